import type { AppDeps } from "../deps";
import { shanghaiDate } from "../../domain/calendar";
import type { Role } from "../../domain/roles";
import { renderAnnualReportHtml } from "../../ui/reports/annual-html";
import { renderAnnualReportXlsx } from "../../ui/reports/annual-xlsx";
import { annualReport, finalReport } from "./annual";
import { annualNarrative } from "./narrative";
import { storeAndMailEach, type StoredReportResult } from "./stored";

/**
 * Early each January (manifest `annual-report-draft`), last year's annual report of every
 * agency as the system counts it — tables, checks and the text sections' drafts — is stored
 * and mailed to those who finalise it, with what still fails and the statutory date of
 * publication (31 January, OGI Regulations art. 49). Once per agency and year.
 */

export const ANNUAL_COPY_RECIPIENTS: readonly Role[] = ["office_director", "deputy_leader"];

export async function sendAnnualReportDrafts(deps: AppDeps): Promise<{ year: number; agencies: StoredReportResult[] }> {
  const now = deps.clock.now();
  const year = Number(shanghaiDate(now).slice(0, 4)) - 1;
  const agencies = await storeAndMailEach(
    deps,
    "annual",
    String(year),
    async (agencyCode) => {
      const [report, final] = await Promise.all([annualReport(deps, agencyCode, year), finalReport(deps, agencyCode, year)]);
      const narrative = await annualNarrative(deps, report);
      const failed = report.checks.filter((c) => !c.ok);
      const name = `${report.agency.name}${year}年政府信息公开工作年度报告`;
      return {
        files: { json: JSON.stringify(report, null, 2), html: renderAnnualReportHtml(report, narrative), xlsx: await renderAnnualReportXlsx(report, narrative) },
        mail: {
          roles: ANNUAL_COPY_RECIPIENTS,
          subject: `【年报】${name}（自动生成稿）${failed.length ? `：${failed.length} 项校验未通过` : ""}`,
          text: [
            `${name}已按系统数据生成，请于 ${year + 1} 年 1 月 31 日前定稿并向社会公布（《政府信息公开条例》第四十九条）。`,
            final ? `已于此前定稿（${final.finalisedBy}）。` : failed.length ? `尚有 ${failed.length} 项校验未通过：${failed.map((c) => c.name).join("；")}。` : "全部校验通过，可以定稿。",
            "文字部分为按数字生成的草稿，请在控制台修改：",
            `${deps.config.publicBaseUrl}/console/reports/annual?year=${year}`,
          ].join("\n"),
          attach: "xlsx",
          filename: `${name}.xlsx`,
        },
      };
    },
    now,
  );
  return { year, agencies };
}
