import type { AppDeps } from "../deps";
import type { StaffPrincipal } from "../auth";
import { ForbiddenError, ValidationError } from "../errors";
import { shanghaiDate } from "../../domain/calendar";
import type { CaseRecord } from "../../domain/records";
import { columnLabel } from "../../domain/catalogue/columns";
import { channelLabels, latest, type PublicationData } from "../../domain/workflows/publication/data";
import type { DocumentData } from "../../domain/workflows/document/definition";
import { REPORT_ROLES } from "./annual";
import { storeAndMailEach, type StoredReportResult } from "./stored";
import type { Role } from "../../domain/roles";
import { renderMonthlyReportHtml } from "../../ui/reports/monthly-html";

/**
 * The monthly publishing report (SPEC §5 item 3): what was published per channel and
 * column, the month's issued documents against those published, and the items returned
 * or rejected in review with the reasons given. Read per period like the annual report:
 * the catalogue, the open cases and those closed in the month's year.
 */

export interface MonthlyReport {
  agency: { code: string; name: string };
  month: string;
  published: { total: number; byChannel: Array<{ channel: string; label: string; count: number }>; byColumn: Array<{ column: string; label: string; count: number }> };
  documents: { issued: number; proactive: number; published: number; unpublished: Array<{ documentNumber: string; title: string; issuedOn: string }> };
  returned: Array<{ reference: string; title: string; note: string; byName: string; on: string }>;
  rejected: Array<{ reference: string; title: string; reason: string; byName: string; on: string }>;
}

export function parseMonth(raw: string | null | undefined, today: string): string {
  if (!raw || !/^\d{4}-(0[1-9]|1[0-2])$/.test(raw) || raw > today.slice(0, 7) || raw < "2008-01") {
    throw new ValidationError("VALIDATION_FAILED", "月份无效", [{ path: "month", code: raw ? "invalid_format" : "required", message: "请填写月份（YYYY-MM，不晚于本月）" }]);
  }
  return raw;
}

export async function monthlyReport(deps: AppDeps, agencyCode: string, month: string): Promise<MonthlyReport> {
  const year = Number(month.slice(0, 4));
  const [agency, entries, open, closed, closedNext] = await Promise.all([
    deps.store.directory.agency(agencyCode),
    deps.store.catalogue.list(agencyCode),
    deps.store.cases.listOpen(agencyCode),
    deps.store.cases.listClosed(agencyCode, year),
    deps.store.cases.listClosed(agencyCode, year + 1),
  ]);
  const cases = [...new Map([...open, ...closed, ...closedNext].map((c) => [c.caseId, c])).values()];
  const inMonth = (iso: string | undefined) => !!iso && shanghaiDate(new Date(iso)).startsWith(month);
  const items = cases.filter((c) => c.workflow === "publication") as unknown as Array<CaseRecord<PublicationData>>;
  const docs = cases.filter((c) => c.workflow === "document") as unknown as Array<CaseRecord<DocumentData>>;

  const monthEntries = entries.filter((e) => e.publishedOn.startsWith(month));
  const channelCounts = new Map<string, number>();
  for (const c of items) if (c.data.published && c.data.published.on.startsWith(month)) for (const ch of c.data.channels) channelCounts.set(ch, (channelCounts.get(ch) ?? 0) + 1);
  // documents are published on the website
  const documentEntries = monthEntries.filter((e) => e.kind === "document").length;
  if (documentEntries) channelCounts.set("website", (channelCounts.get("website") ?? 0) + documentEntries);
  const columnCounts = new Map<string, number>();
  for (const e of monthEntries) columnCounts.set(e.column, (columnCounts.get(e.column) ?? 0) + 1);

  const issued = docs.filter((d) => d.data.issued?.issuedOn.startsWith(month));
  const proactive = issued.filter((d) => d.data.attribute === "proactive");
  return {
    agency: { code: agencyCode, name: agency?.name ?? agencyCode },
    month,
    published: {
      total: monthEntries.length,
      byChannel: [...channelCounts].map(([channel, count]) => ({ channel, label: channelLabels[channel as keyof typeof channelLabels] ?? channel, count })),
      byColumn: [...columnCounts].sort((a, b) => b[1] - a[1]).map(([column, count]) => ({ column, label: columnLabel(column), count })),
    },
    documents: {
      issued: issued.length,
      proactive: proactive.length,
      published: proactive.filter((d) => d.data.published).length,
      unpublished: proactive.filter((d) => !d.data.published).map((d) => ({ documentNumber: d.data.issued!.documentNumber, title: d.data.title, issuedOn: d.data.issued!.issuedOn })),
    },
    returned: items.flatMap((c) => c.data.returns.filter((r) => inMonth(r.at)).map((r) => ({ reference: c.reference, title: latest(c.data).title, note: r.note, byName: r.byName, on: shanghaiDate(new Date(r.at)) }))),
    rejected: items.flatMap((c) =>
      c.data.rejection && inMonth(c.data.rejection.at)
        ? [{ reference: c.reference, title: latest(c.data).title, reason: c.data.rejection.reason, byName: c.data.rejection.byName, on: shanghaiDate(new Date(c.data.rejection.at)) }]
        : [],
    ),
  };
}

export async function monthlyReportFor(deps: AppDeps, principal: StaffPrincipal, query: { month?: string | null }): Promise<MonthlyReport> {
  if (!principal.roles.some((r) => REPORT_ROLES.includes(r))) throw new ForbiddenError("当前角色无权查看月度报告");
  return monthlyReport(deps, principal.agencyCode, parseMonth(query.month, shanghaiDate(deps.clock.now())));
}

// ---- the copy stored and mailed on the 1st of each month ---------------------------------

/** Who receives the monthly report: the office director, and the section that publishes. */
export const MONTHLY_RECIPIENTS: readonly Role[] = ["office_director", "tech_info"];

/** The month before the one `today` lies in (YYYY-MM). */
export function previousMonth(today: string): string {
  const [y, m] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
}

function monthlyMailText(r: MonthlyReport, link: string): string {
  const [y, m] = r.month.split("-");
  return [
    `${r.agency.name}${y}年${Number(m)}月信息发布情况：`,
    `发布信息 ${r.published.total} 条；印发公文 ${r.documents.issued} 件，其中主动公开 ${r.documents.proactive} 件，已发布 ${r.documents.published} 件${r.documents.unpublished.length ? `，尚有 ${r.documents.unpublished.length} 件未发布，请核对` : ""}；`,
    `审核中退回修改 ${r.returned.length} 次，不予发布 ${r.rejected.length} 条。`,
    "详见附件；也可在控制台查看：",
    link,
  ].join("\n");
}

/** Manifest `monthly-publishing-report` (1st of the month, 09:00 Beijing time): last month's report of every agency, stored and mailed once. */
export async function sendMonthlyReports(deps: AppDeps): Promise<{ month: string; agencies: StoredReportResult[] }> {
  const now = deps.clock.now();
  const month = previousMonth(shanghaiDate(now));
  const agencies = await storeAndMailEach(
    deps,
    "monthly",
    month,
    async (agencyCode) => {
      const report = await monthlyReport(deps, agencyCode, month);
      return {
        files: { json: JSON.stringify(report, null, 2), html: renderMonthlyReportHtml(report) },
        mail: {
          roles: MONTHLY_RECIPIENTS,
          subject: `【月报】${month} 信息发布情况${report.documents.unpublished.length ? `：${report.documents.unpublished.length} 件公文未发布` : ""}`,
          text: monthlyMailText(report, `${deps.config.publicBaseUrl}/console/reports/monthly?month=${month}`),
          attach: "html",
          filename: `${report.agency.name}${month}信息发布情况.html`,
        },
      };
    },
    now,
  );
  return { month, agencies };
}
