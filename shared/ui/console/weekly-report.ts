/**
 * The weekly risk report (shared/app/reports/weekly.ts) as HTML: one body for the stored
 * copy mailed to the office director and deputy leader (a standalone page) and for the
 * console's 风险周报 pages, plus the list of stored copies. Dates are Beijing dates, the
 * time it was made Beijing time, people by their display names.
 */
import { roleLabel } from "../../domain/roles";
import { weekdayZh } from "../../domain/calendar";
import type { CalendarWarning, RiskApplication, RiskRoleGroup, RiskTiming, WeeklyRiskReport } from "../../app/reports/weekly";
import { html, raw, type Html } from "../html";
import { uninterpretedBanner } from "./interpretation-flag";
import { styles } from "../layout";
import { consoleStyles, renderConsolePage, type ConsoleUser } from "./layout";
import { beijingTime, civilDate, daysLeft, overdueTag, atRiskTag, provisionalTag, superviseTag } from "./parts";

export const WEEKLY_REPORT_PATH = "/console/reports/weekly";
export const WEEKLY_ARCHIVE_PATH = "/console/reports/weekly/archive";

/** The warning every report (and the console's front page) opens with while next year's holiday schedule is missing. */
export function calendarWarningBanner(w: CalendarWarning | undefined): Html | "" {
  if (!w) return "";
  return html`<div class="note calendar-warning" role="alert"><strong>日历提醒：</strong>${w.year} 年节假日安排尚未录入，当前有 <strong>${w.provisionalDeadlines}</strong> 个未到期的办理期限为暂定日期（按周末推算，公布节假日后可能变动）。请尽快在“工作日历”中录入 ${w.year} 年安排。</div>`;
}

const due = (t: RiskTiming) => html`${civilDate(t.dueOn)}${t.provisional ? html` ${provisionalTag}` : ""}`;
const state = (t: RiskTiming) => html`${t.overdue ? overdueTag : atRiskTag} ${daysLeft(t.workingDays, t.overdue, true)}`;

function roleSection(g: RiskRoleGroup): Html {
  const people = g.people.length > 0 ? g.people.join("、") : "（暂无人员担任该角色）";
  return html`<section class="risk-role" data-role="${g.role}">
<h3>${g.roleLabel}（${g.tasks.length} 件）</h3>
<p class="hint">承办人员：${people}</p>
<table class="cards"><thead><tr><th scope="col">案件编号</th><th scope="col">待办事项</th><th scope="col">当事人</th><th scope="col">办理期限</th><th scope="col">状态</th><th scope="col">督办</th></tr></thead>
<tbody>${g.tasks.map(
    (t) => html`<tr${t.overdue ? raw(' class="overdue"') : ""} data-task-id="${t.taskId}">
<td data-label="案件编号"><a href="/console/cases/${t.caseId}">${t.reference}</a></td>
<td data-label="待办事项">${t.title}</td>
<td data-label="当事人">${t.party}</td>
<td data-label="办理期限">${due(t)}</td>
<td data-label="状态">${state(t)}</td>
<td data-label="督办">${t.escalatedTo.length > 0 ? html`${superviseTag} 已提请${t.escalatedTo.map(roleLabel).join("、")}` : "—"}</td>
</tr>`,
  )}</tbody></table>
</section>`;
}

function applicationsTable(apps: RiskApplication[]): Html {
  if (apps.length === 0) return html`<p>没有已超过或即将到达法定答复期限的申请。</p>`;
  return html`<table class="cards"><thead><tr><th scope="col">申请编号</th><th scope="col">申请人</th><th scope="col">法定答复期限</th><th scope="col">状态</th></tr></thead>
<tbody>${apps.map(
    (a) => html`<tr${a.overdue ? raw(' class="overdue"') : ""} data-case-id="${a.caseId}">
<td data-label="申请编号"><a href="/console/cases/${a.caseId}">${a.reference}</a></td>
<td data-label="申请人">${a.party}</td>
<td data-label="法定答复期限">${due(a)}</td>
<td data-label="状态">${state(a)}</td>
</tr>`,
  )}</tbody></table>`;
}

/** The report itself (headings from h1 down), the same in the mail's copy and the console. */
export function weeklyReportBody(r: WeeklyRiskReport): Html {
  const c = r.counts;
  return html`${calendarWarningBanner(r.calendarWarning)}${uninterpretedBanner(r.uninterpreted)}
<h1>办理风险周报</h1>
<p class="lead">${r.agencyName} · ${r.week}（${weekdayZh(r.week)}）起的一周 · 生成于 ${beijingTime(r.generatedAt)}（北京时间）</p>
<ul class="risk-counts">
<li>已逾期待办 <strong>${c.overdueTasks}</strong> 件，${r.horizonDays} 个工作日内到期待办 <strong>${c.dueSoonTasks}</strong> 件</li>
<li>已超过法定答复期限的申请 <strong>${c.overdueApplications}</strong> 件，${r.horizonDays} 个工作日内到期的申请 <strong>${c.dueSoonApplications}</strong> 件</li>
</ul>
<h2>依申请公开：法定答复期限</h2>
${applicationsTable(r.applications)}
<h2>各角色待办</h2>
${r.roles.length === 0 ? html`<p>没有已逾期或 ${r.horizonDays} 个工作日内到期的待办。</p>` : r.roles.map(roleSection)}
<p class="hint">“暂定”表示所依据的节假日安排尚未公布，日期可能变动；工作日按国务院办公厅公布的节假日安排计算。</p>`;
}

/** The stored copy (and the mail's attachment): a page of its own, no navigation, no external assets. */
export function renderWeeklyReportDocument(r: WeeklyRiskReport): string {
  return html`<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>办理风险周报（${r.week} 起）- ${r.agencyName}</title>
<style>${raw(styles)}</style>
<style>${raw(consoleStyles)}</style>
</head>
<body>
<main id="main">
${weeklyReportBody(r)}
</main>
</body>
</html>
`.toString();
}

/** GET /console/reports/weekly: the report as of now. */
export function renderWeeklyReportPage(o: { user: ConsoleUser; report: WeeklyRiskReport }): string {
  const main = html`${weeklyReportBody(o.report)}
<p><a href="${WEEKLY_ARCHIVE_PATH}">历次周报存档</a></p>`;
  return renderConsolePage({ title: "办理风险周报", main, user: o.user, current: "weekly-report" });
}

/** GET /console/reports/weekly/archive: every stored week, newest first, each downloadable. */
export function renderWeeklyArchivePage(o: { user: ConsoleUser; weeks: string[] }): string {
  const main = html`<h1>办理风险周报存档</h1>
<p>每周一 09:00（北京时间）生成并发送给办公室主任和分管领导的周报。<a href="${WEEKLY_REPORT_PATH}">查看当前情况</a></p>
${
  o.weeks.length === 0
    ? html`<p>尚无存档的周报。</p>`
    : html`<ul class="weekly-archive">${o.weeks.map((w) => html`<li><a href="${WEEKLY_ARCHIVE_PATH}/${w}">${w}（${weekdayZh(w)}）起的一周</a></li>`)}</ul>`
}`;
  return renderConsolePage({ title: "办理风险周报存档", main, user: o.user, current: "weekly-report" });
}
