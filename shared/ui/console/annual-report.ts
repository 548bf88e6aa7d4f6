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
import { NARRATIVE_MAX_CHARS, type NarrativeSection } from "../../domain/report/narrative";
import { html, raw, type Html } from "../html";
import { renderAnnualReportHtml } from "../reports/annual-html";
import { renderConsolePage, type ConsoleUser } from "./layout";
import { beijingTime } from "./parts";

export const ANNUAL_REPORT_PATH = "/console/reports/annual";
export const ANNUAL_ENTRIES_PATH = "/console/reports/annual/entries";
export const ANNUAL_IMPORT_PATH = "/console/reports/annual/import";
export const ANNUAL_FINAL_PATH = "/console/reports/annual/final";
export const ANNUAL_NARRATIVE_PATH = "/console/reports/annual/narrative";

/** Who may enter §5.2 figures and import applications (as shared/app/reports/records.ts and import.ts check). */
export const ANNUAL_ENTRY_ROLES = ["office_staff", "office_director"] as const;
/** Who may finalise the report (as finaliseAnnualReport checks). */
export const ANNUAL_FINAL_ROLES = ["office_director", "deputy_leader"] as const;

const holdsAny = (roles: readonly string[], allowed: readonly string[]) => roles.some((r) => allowed.includes(r));

export interface AnnualReportPageInput {
  user: ConsoleUser;
  csrfToken: string;
  report: AnnualReport;
  /** the six text sections (edited, or the figures' drafts) */
  narrative: NarrativeSection[];
  final?: FinalReport | undefined;
  /** after a redirect: what was saved */
  notice?: { kind: "entry" } | { kind: "narrative" } | { kind: "import"; imported: number; unchanged: number } | { kind: "final" } | undefined;
  /** a refused §5.2 entry: the item, what was typed and the errors */
  entry?: { item: string; values: Record<string, string>; errors: FieldError[] } | undefined;
  /** a refused save of the text sections: what was typed and the errors */
  narrativeRefused?: { texts: Record<string, string>; errors: FieldError[] } | undefined;
  /** a refused import */
  importErrors?: { message: string; errors: FieldError[] } | undefined;
  /** a refused 定稿 */
  finalRefused?: string | undefined;
}

/** The tables and checks of the printable copy, without its page shell and title (its renderer escapes everything: trusted markup). */
function reportBody(report: AnnualReport, narrative: readonly NarrativeSection[]): string {
  const page = renderAnnualReportHtml(report, narrative);
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
  const text = n.kind === "entry" ? "已保存填报的数据。" : n.kind === "narrative" ? "已保存文字部分。" : n.kind === "final" ? "年度报告已定稿。" : `导入完成：新导入 ${n.imported} 件，已导入过未变动 ${n.unchanged} 件。`;
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

function narrativeForm(o: AnnualReportPageInput): Html {
  const refused = o.narrativeRefused;
  const fields = o.narrative.map((s) => {
    const id = `narrative-${s.key}`;
    const errors = refused?.errors.filter((e) => e.path === `sections.${s.key}`) ?? [];
    const who = s.edited ? html`<p class="hint">${s.editedBy} 于 ${beijingTime(s.editedAt!)} 编辑。${s.text !== s.draft ? html`按当前数字生成的草稿：` : ""}</p>${s.text !== s.draft ? html`<blockquote class="draft">${s.draft}</blockquote>` : ""}` : html`<p class="hint">按本年数字生成的草稿，尚未编辑。</p>`;
    return html`<div class="field${errors.length ? " has-error" : ""}"><label for="${id}">${s.heading}</label>
${who}${errors.map((e) => html`<p class="error-message">${e.message}</p>`)}<textarea id="${id}" name="sections.${s.key}" rows="8" maxlength="${NARRATIVE_MAX_CHARS}">${refused ? (refused.texts[s.key] ?? "") : s.text}</textarea></div>`;
  });
  return html`<section id="narrative"><h2>文字部分</h2><p class="hint">六个部分预先按本年数字写好草稿，修改后保存；清空某一部分并保存即恢复为草稿。</p>
${refused ? errorList("文字部分有误，请按提示修改", refused.errors) : ""}
<form method="post" action="${ANNUAL_NARRATIVE_PATH}">
<input type="hidden" name="csrfToken" value="${o.csrfToken}"><input type="hidden" name="year" value="${o.report.year}">
${fields}
<button type="submit">保存文字部分</button>
</form></section>`;
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
<section class="annual-report" id="report">${raw(reportBody(report, o.narrative))}</section>
${mayEnter ? narrativeForm(o) : ""}
${mayEnter ? entryForms(o) : ""}
${mayEnter ? importForm(o) : ""}`;
  return renderConsolePage({
    title,
    main,
    user: o.user,
    csrfToken: o.csrfToken,
    current: "annual-report",
    hasErrors: Boolean(o.entry || o.importErrors || o.finalRefused || o.narrativeRefused),
  });
}
