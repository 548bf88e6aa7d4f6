/**
 * The console's 年度报告 page (SPEC §5): the year's annual report with the national tables
 * and checks exactly as the printable copy shows them (shared/ui/reports/annual-html.ts),
 * download links, whether a final copy exists (who, when), a form per §5.2 item, the
 * import of applications handled before the system, and the 定稿 button. Times are
 * Beijing time, people by their display names. Forms post with the session's CSRF token.
 */
import type { FieldError } from "../../app/errors";
import type { FinalReport } from "../../app/reports/annual";
import { IMPORT_HEADER } from "../../app/reports/import";
import { proactiveColumnKeys, proactiveFields, proactiveSections, type AnnualReport } from "../../domain/report/annual";
import { html, raw, type Html } from "../html";
import { renderAnnualReportHtml } from "../reports/annual-html";
import { renderConsolePage, type ConsoleUser } from "./layout";
import { beijingTime } from "./parts";

export const ANNUAL_REPORT_PATH = "/console/reports/annual";
export const ANNUAL_ENTRIES_PATH = "/console/reports/annual/entries";
export const ANNUAL_IMPORT_PATH = "/console/reports/annual/import";
export const ANNUAL_FINAL_PATH = "/console/reports/annual/final";

/** Who may enter §5.2 figures and import applications (as shared/app/reports/records.ts and import.ts check). */
export const ANNUAL_ENTRY_ROLES = ["office_staff", "office_director"] as const;
/** Who may finalise the report (as finaliseAnnualReport checks). */
export const ANNUAL_FINAL_ROLES = ["office_director", "deputy_leader"] as const;

const holdsAny = (roles: readonly string[], allowed: readonly string[]) => roles.some((r) => allowed.includes(r));

export interface AnnualReportPageInput {
  user: ConsoleUser;
  csrfToken: string;
  report: AnnualReport;
  final?: FinalReport | undefined;
  /** after a redirect: what was saved */
  notice?: { kind: "entry" } | { kind: "import"; imported: number; unchanged: number } | { kind: "final" } | undefined;
  /** a refused §5.2 entry: the item, what was typed and the errors */
  entry?: { item: string; values: Record<string, string>; errors: FieldError[] } | undefined;
  /** a refused import */
  importErrors?: { message: string; errors: FieldError[] } | undefined;
  /** a refused 定稿 */
  finalRefused?: string | undefined;
}

/** The tables and checks of the printable copy, without its page shell and title (its renderer escapes everything: trusted markup). */
function reportBody(report: AnnualReport): string {
  const page = renderAnnualReportHtml(report);
  const body = /<body[^>]*>([\s\S]*)<\/body>/.exec(page)?.[1] ?? "";
  // the console page has its own heading
  return body.replace(/<h1[^>]*>[\s\S]*?<\/h1>/, "");
}

function errorList(title: string, errors: FieldError[], message?: string): Html {
  return html`<div class="error-summary" role="alert" tabindex="-1">
<h2>${title}</h2>${message ? html`<p>${message}</p>` : ""}
<ul>${errors.map((e) => html`<li>${e.message}</li>`)}</ul>
</div>`;
}

function noticeOf(n: AnnualReportPageInput["notice"]): Html | "" {
  if (!n) return "";
  const text = n.kind === "entry" ? "已保存填报的数据。" : n.kind === "final" ? "年度报告已定稿。" : `导入完成：新导入 ${n.imported} 件，已导入过未变动 ${n.unchanged} 件。`;
  return html`<div class="notice" role="status">${text}</div>`;
}

function downloads(year: number): Html {
  const link = (format: string, label: string) => html`<a href="/api/v1/reports/annual?year=${year}&amp;format=${format}">${label}</a>`;
  return html`<p class="downloads">下载：${link("xlsx", "Excel（.xlsx）")} · ${link("csv", "CSV")} · ${link("html", "打印版（HTML）")} · ${link("json", "JSON")}</p>`;
}

function finalStatus(final: FinalReport | undefined): Html {
  return final
    ? html`<p class="final-status"><strong>已定稿</strong>：${final.finalisedBy} 于 ${beijingTime(final.finalisedAt)} 定稿。</p>`
    : html`<p class="final-status"><strong>尚未定稿</strong>。全部校验通过后，办公室主任或分管领导可以定稿。</p>`;
}

function yearForm(year: number): Html {
  return html`<form method="get" action="${ANNUAL_REPORT_PATH}" class="year-form">
<label for="report-year">报告年度</label> <input id="report-year" name="year" type="number" inputmode="numeric" min="2008" step="1" value="${year}"> <button type="submit">查看</button>
</form>`;
}

function entryForms(o: AnnualReportPageInput): Html {
  const year = o.report.year;
  const forms = proactiveSections.flatMap((s) =>
    s.items.map(({ item, label }) => {
      const row = o.report.proactive.rows.find((r) => r.label === label);
      const refused = o.entry?.item === item ? o.entry : undefined;
      const errorOf = (field: string) => refused?.errors.filter((e) => e.path === `values.${field}`) ?? [];
      const inputs = s.fields.map((field) => {
        const id = `entry-${item}-${field}`;
        const shown = row?.handEntered ? row.values[proactiveColumnKeys.indexOf(field)] : undefined;
        const value = refused ? (refused.values[`values.${field}`] ?? "") : shown === null || shown === undefined ? "" : String(shown);
        const errors = errorOf(field);
        return html`<div class="field${errors.length ? " has-error" : ""}"><label for="${id}">${proactiveFields[field]}</label>
${errors.map((e) => html`<p class="error-message">${e.message}</p>`)}<input id="${id}" name="values.${field}" type="text" inputmode="decimal" value="${value}"></div>`;
      });
      return html`<form method="post" action="${ANNUAL_ENTRIES_PATH}" class="entry-form" id="entry-${item}">
<fieldset><legend>${s.title} · ${label}</legend>
${refused ? errorList("填报的数据有误，请按提示修改", refused.errors) : ""}
<input type="hidden" name="csrfToken" value="${o.csrfToken}"><input type="hidden" name="year" value="${year}"><input type="hidden" name="item" value="${item}">
${inputs}
<button type="submit">保存${label}</button>
</fieldset></form>`;
    }),
  );
  return html`<section id="entries"><h2>手工填报（主动公开情况）</h2><p class="hint">系统不统计的数字，请逐项填报；再次填报替换之前的数字。</p>${forms}</section>`;
}

function importForm(o: AnnualReportPageInput): Html {
  return html`<section id="import"><h2>导入系统上线前办理的申请</h2>
${o.importErrors ? errorList("导入失败", o.importErrors.errors, o.importErrors.message) : ""}
<p class="hint">.xlsx 文件（第一个工作表）或 CSV 文件（UTF-8 或 GBK 编码），第 1 行为表头：<code>${IMPORT_HEADER.join(",")}</code>。任何一行有误，整个文件都不导入；同一文件重复导入不会重复计数。</p>
<form method="post" action="${ANNUAL_IMPORT_PATH}" enctype="multipart/form-data">
<input type="hidden" name="csrfToken" value="${o.csrfToken}"><input type="hidden" name="year" value="${o.report.year}">
<div class="field"><label for="import-file">导入文件</label> <input id="import-file" name="file" type="file" accept=".xlsx,.csv,text/csv"></div>
<button type="submit">导入</button>
</form></section>`;
}

function finalForm(o: AnnualReportPageInput): Html {
  return html`<section id="final"><h2>定稿</h2>
${o.finalRefused ? errorList("不能定稿", o.report.checks.filter((c) => !c.ok).map((c) => ({ path: "", code: "check_failed", message: `${c.name}${c.detail ? `：${c.detail}` : ""}` })), o.finalRefused) : ""}
<form method="post" action="${ANNUAL_FINAL_PATH}">
<input type="hidden" name="csrfToken" value="${o.csrfToken}"><input type="hidden" name="year" value="${o.report.year}">
<button type="submit">${o.final ? "重新定稿" : "定稿"}</button>
</form></section>`;
}

export function renderAnnualReportPage(o: AnnualReportPageInput): string {
  const { report } = o;
  const title = `${report.year}年政府信息公开工作年度报告`;
  const mayEnter = holdsAny(o.user.roles, ANNUAL_ENTRY_ROLES);
  const mayFinalise = holdsAny(o.user.roles, ANNUAL_FINAL_ROLES);
  const main = html`<h1>${title}</h1>
<p class="hint">${report.agency.name}</p>
${noticeOf(o.notice)}
${yearForm(report.year)}
${finalStatus(o.final)}
${downloads(report.year)}
${mayFinalise ? finalForm(o) : ""}
<section class="annual-report" id="report">${raw(reportBody(report))}</section>
${mayEnter ? entryForms(o) : ""}
${mayEnter ? importForm(o) : ""}`;
  return renderConsolePage({
    title,
    main,
    user: o.user,
    csrfToken: o.csrfToken,
    current: "annual-report",
    hasErrors: Boolean(o.entry || o.importErrors || o.finalRefused),
  });
}
