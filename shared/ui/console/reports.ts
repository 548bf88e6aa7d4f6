/**
 * The console's 月度报告 page (SPEC §5 item 3: the month's report as the printable copy
 * shows it, any month on request) and 报告存档 (every copy the schedules stored — weekly,
 * monthly, annual — each downloadable). Months and weeks are shown in Chinese.
 */
import type { MonthlyReport } from "../../app/reports/monthly";
import { fileTypes, type StoredReportListing } from "../../app/reports/stored";
import { html, raw } from "../html";
import { renderMonthlyReportHtml } from "../reports/monthly-html";
import { renderConsolePage, type ConsoleUser } from "./layout";

export const MONTHLY_REPORT_PATH = "/console/reports/monthly";
export const REPORT_ARCHIVE_PATH = "/console/reports/archive";

/** The printable copy's body, without its page shell and title (its renderer escapes everything: trusted markup). */
function monthlyBody(report: MonthlyReport): string {
  const page = renderMonthlyReportHtml(report);
  const body = /<body[^>]*>([\s\S]*)<\/body>/.exec(page)?.[1] ?? "";
  return body.replace(/<h1[^>]*>[\s\S]*?<\/h1>/, "");
}

const monthZh = (month: string) => `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`;

/** A stored copy's period in words: a week from its Monday, a month, a year. */
export function periodZh(kind: StoredReportListing["kind"], period: string): string {
  if (kind === "weekly") return `${period} 起的一周`;
  if (kind === "monthly") return monthZh(period);
  return `${period}年度`;
}

export function renderMonthlyReportPage(o: { user: ConsoleUser; report: MonthlyReport }): string {
  const { report } = o;
  const title = `${monthZh(report.month)}信息发布情况`;
  const api = (format: string) => `/api/v1/reports/monthly?month=${report.month}&format=${format}`;
  const main = html`<h1>${title}</h1>
<p class="hint">${report.agency.name}。每月 1 日 09:00（北京时间）上月的报告自动生成，发送给办公室主任和技术信息科，并存入<a href="${REPORT_ARCHIVE_PATH}">报告存档</a>。</p>
<form method="get" action="${MONTHLY_REPORT_PATH}" class="year-form">
<label for="report-month">月份</label> <input id="report-month" name="month" type="month" value="${report.month}"> <button type="submit">查看</button>
</form>
<p class="downloads">下载：<a href="${api("html")}">打印版（HTML）</a> · <a href="${api("json")}">JSON</a></p>
<section class="monthly-report" id="report">${raw(monthlyBody(report))}</section>`;
  return renderConsolePage({ title, main, user: o.user, current: "monthly-report" });
}

export function renderReportArchivePage(o: { user: ConsoleUser; reports: StoredReportListing[] }): string {
  const kinds = [...new Map(o.reports.map((r) => [r.kind, r.label])).entries()];
  const main = html`<h1>报告存档</h1>
<p class="hint">定时生成并发送的报告：风险周报（每周一 09:00）、月度信息发布情况（每月 1 日 09:00）、年度报告自动生成稿（1 月 2 日 09:00）。每期只生成一次。</p>
${
  o.reports.length === 0
    ? html`<p>尚无存档的报告。</p>`
    : kinds.map(
        ([kind, label]) => html`<section class="report-archive" id="archive-${kind}"><h2>${label}</h2>
<table class="data-table"><thead><tr><th scope="col">期间</th><th scope="col">下载</th></tr></thead><tbody>
${o.reports
  .filter((r) => r.kind === kind)
  .map(
    (r) => html`<tr><td>${periodZh(r.kind, r.period)}</td><td>${r.types.map((t, i) => html`${i ? " · " : ""}<a href="${REPORT_ARCHIVE_PATH}/${r.kind}/${r.period}.${t}">${fileTypes[t].label}</a>`)}</td></tr>`,
  )}
</tbody></table></section>`,
      )
}`;
  return renderConsolePage({ title: "报告存档", main, user: o.user, current: "report-archive" });
}
