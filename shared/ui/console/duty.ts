/**
 * The console's 值班值守 pages: the duty front page (today's duty day, open incidents,
 * votes and inspections), the monthly roster form, a duty day with its checks, log,
 * the day's published items and annotations, a vote with its ballot form, the incident
 * report form, and the duty and inspection summary (also the mailed copy). Beijing
 * dates and times, people by their display names; every form works without JavaScript.
 */
import { weekdayZh } from "../../domain/calendar";
import type { CatalogueEntry } from "../../domain/catalogue/entry";
import type { CaseRecord, TaskRecord } from "../../domain/records";
import { dutyDayWorkflow, dutyTimes, type DutyDayData, type DutyStep } from "../../domain/workflows/duty/day";
import { incidentCategoryLabels, type IncidentData } from "../../domain/workflows/duty/incident";
import { itemStatusLabels, type InspectionData } from "../../domain/workflows/duty/inspection";
import { choiceLabels } from "../../domain/workflows/duty/vote";
import type { DutyRoster } from "../../domain/workflows/duty/roster";
import type { FieldError } from "../../schemas/errors";
import type { DutySummary } from "../../app/duty/summary";
import type { VoteView } from "../../app/duty/votes";
import { html, raw, type Html } from "../html";
import { styles } from "../layout";
import { errorSummary, fieldContext, hiddenInput, selectInput, textArea, textInput, checkbox } from "../form";
import { consoleStyles, renderConsolePage, type ConsoleUser } from "./layout";
import { beijingTime, civilDate } from "./parts";

export const DUTY_PATH = "/console/duty";

const voteStatusLabels: Record<string, string> = { open: "表决中", passed: "已通过", failed: "未通过" };
const csrf = (token: string | undefined) => hiddenInput("csrfToken", token);
const page = (user: ConsoleUser, title: string, main: Html, hasErrors = false) => renderConsolePage({ title, main, user, current: "duty", hasErrors });

export interface DutyHomeInput {
  user: ConsoleUser;
  today: string;
  day?: CaseRecord<DutyDayData>;
  roster?: DutyRoster;
  incidents: Array<CaseRecord<IncidentData>>;
  votes: VoteView[];
  inspections: Array<CaseRecord<InspectionData>>;
  mayCallVote: boolean;
  mayReport: boolean;
  mayInspect: boolean;
  mayEditRoster: boolean;
}

export function renderDutyHome(o: DutyHomeInput): string {
  const entry = o.roster?.days.find((d) => d.date === o.today);
  const main = html`<h1>值班值守</h1>
<p class="lead">今天 ${civilDate(o.today)}（${weekdayZh(o.today)}）</p>
<section><h2>今日值守</h2>
${
  o.day
    ? html`<p>值守人员 ${o.day.data.officer.displayName}，带班领导 ${o.day.data.leader.displayName}：<a href="${DUTY_PATH}/days/${o.day.caseId}">查看值守任务和值守记录</a>（${o.day.status === "logged" ? "已记录" : "值守中"}）</p>`
    : entry
      ? html`<p>值守人员 ${entry.officer.displayName}，带班领导 ${entry.leader.displayName}；值守任务每个工作日 08:30 生成。</p>`
      : html`<p>今天没有排班${o.roster ? "（非工作日）" : "，本月值班表尚未编排"}。</p>`
}
<p><a href="${DUTY_PATH}/roster?month=${o.today.slice(0, 7)}">本月值班表</a>${o.mayEditRoster ? "（可编排）" : ""} · <a href="${DUTY_PATH}/summary?month=${o.today.slice(0, 7)}">值班值守与巡检情况</a></p>
</section>
<section><h2>故障与安全事件</h2>
${o.mayReport ? html`<p><a href="${DUTY_PATH}/incidents/new">报告故障或安全事件</a></p>` : ""}
${
  o.incidents.length
    ? html`<ul>${o.incidents.map((c) => html`<li><a href="/console/cases/${c.caseId}">${c.reference}</a> ${c.data.emergency ? html`<span class="tag overdue">紧急</span> ` : ""}${c.data.title}（${beijingTime(c.createdAt)}）</li>`)}</ul>`
    : html`<p>没有处置中的故障或事件。</p>`
}
</section>
<section><h2>领导小组表决</h2>
${
  o.votes.length
    ? html`<ul>${o.votes.map((v) => html`<li><a href="${DUTY_PATH}/votes/${v.voteId}">${v.reference} ${v.subject}</a>：${voteStatusLabels[v.status]}，赞成 ${v.for}、反对 ${v.against}（成员 ${v.members.length} 人）</li>`)}</ul>`
    : html`<p>没有进行中的表决。</p>`
}
${
  o.mayCallVote
    ? html`<form method="post" action="${DUTY_PATH}/votes" class="stack">${csrf(o.user.csrfToken)}
<h3>提请领导小组表决</h3>
${textInput(fieldContext(), { name: "subject", label: "表决事项", required: true, maxLength: 200 })}
${textArea(fieldContext(), { name: "detail", label: "情况说明", required: true, rows: 4, maxLength: 4000 })}
${textArea(fieldContext(), { name: "reviewOf", label: "提请复议的带班领导决定（如有）", required: false, rows: 2, maxLength: 1000, hint: "对带班领导单独作出的决定有异议时，可提请领导小组集体审议" })}
<button type="submit">发起表决</button></form>`
    : ""
}
</section>
<section><h2>网站安全巡检</h2>
${
  o.inspections.length
    ? html`<ul>${o.inspections.map((c) => html`<li><a href="/console/cases/${c.caseId}">${c.reference}</a>：发现问题 ${c.data.items.filter((i) => i.status === "finding").length} 项（${c.status === "open" ? "待登记" : "已登记"}）</li>`)}</ul>`
    : html`<p>没有待登记的巡检。</p>`
}
${o.mayInspect ? html`<form method="post" action="${DUTY_PATH}/inspections">${csrf(o.user.csrfToken)}<button type="submit">现在开始巡检</button></form>` : ""}
</section>`;
  return page(o.user, "值班值守", main);
}

export interface RosterPageInput {
  user: ConsoleUser;
  month: string;
  roster?: DutyRoster;
  workingDays: string[];
  officers: Array<{ username: string; displayName: string }>;
  leaders: Array<{ username: string; displayName: string }>;
  mayEdit: boolean;
  values?: Record<string, string>;
  errors?: FieldError[];
  saved?: boolean;
}

export function renderRosterPage(o: RosterPageInput): string {
  const errors = o.errors ?? [];
  const current = new Map((o.roster?.days ?? []).map((d) => [d.date, d]));
  const main = html`<h1>${o.month} 值班表</h1>
${o.saved ? html`<div class="note" role="status">值班表已保存，并已发送给表上的值守人员和带班领导。</div>` : ""}
${errorSummary(errors)}
${o.roster ? html`<p class="hint">第 ${o.roster.revision} 版，${o.roster.drawnUpBy.displayName}编排于 ${beijingTime(o.roster.drawnUpAt)}</p>` : html`<p>本月值班表尚未编排。</p>`}
${
  o.mayEdit
    ? html`<form method="post" action="${DUTY_PATH}/roster">${csrf(o.user.csrfToken)}${hiddenInput("month", o.month)}
<table class="cards"><thead><tr><th scope="col">日期</th><th scope="col">值守人员</th><th scope="col">带班领导</th></tr></thead><tbody>
${o.workingDays.map((d, i) => {
  const ctx = fieldContext({ [`officer.${i}`]: o.values?.[`officer.${i}`] ?? current.get(d)?.officer.username ?? "", [`leader.${i}`]: o.values?.[`leader.${i}`] ?? current.get(d)?.leader.username ?? "" });
  return html`<tr><td data-label="日期">${hiddenInput(`date.${i}`, d)}${civilDate(d)}（${weekdayZh(d)}）</td>
<td data-label="值守人员">${selectInput(ctx, { name: `officer.${i}`, label: `${d} 值守人员`, required: true, options: o.officers.map((p) => ({ value: p.username, label: p.displayName })), placeholder: "请选择" })}</td>
<td data-label="带班领导">${selectInput(ctx, { name: `leader.${i}`, label: `${d} 带班领导`, required: true, options: o.leaders.map((p) => ({ value: p.username, label: p.displayName })), placeholder: "请选择" })}</td></tr>`;
})}
</tbody></table>
<button type="submit">保存并发送值班表</button></form>`
    : o.roster
      ? html`<table class="cards"><thead><tr><th scope="col">日期</th><th scope="col">值守人员</th><th scope="col">带班领导</th></tr></thead><tbody>${o.roster.days.map((d) => html`<tr><td data-label="日期">${civilDate(d.date)}（${weekdayZh(d.date)}）</td><td data-label="值守人员">${d.officer.displayName}</td><td data-label="带班领导">${d.leader.displayName}</td></tr>`)}</tbody></table>`
      : ""
}
<p><a href="${DUTY_PATH}">返回值班值守</a></p>`;
  return page(o.user, `${o.month} 值班表`, main, errors.length > 0);
}

export interface DutyDayPageInput {
  user: ConsoleUser;
  day: CaseRecord<DutyDayData>;
  tasks: TaskRecord[];
  published: CatalogueEntry[];
  mayAnnotate: boolean;
  errors?: FieldError[];
}

export function renderDutyDayPage(o: DutyDayPageInput): string {
  const d = o.day.data;
  const errors = o.errors ?? [];
  const taskRow = (t: TaskRecord) => {
    const check = d.checks.find((c) => c.step === t.step);
    return html`<tr><td data-label="任务">${t.title}</td><td data-label="规定时间">${dutyTimes[t.step as DutyStep] ?? ""}</td>
<td data-label="状态">${t.status === "open" ? html`<a href="/console/cases/${o.day.caseId}#task-${t.taskId}">待办理</a>${t.escalationLevel > 0 ? html` <span class="tag overdue">已逾时，已提请带班领导督办</span>` : ""}` : t.status === "done" ? "已完成" : "已取消"}</td>
<td data-label="情况">${check ? html`${check.result === "normal" ? "正常" : html`<strong>发现异常</strong>`}：${check.findings}${check.handling ? html`；处理意见：${check.handling}` : ""}${check.late ? "（超过规定时间）" : ""}` : "—"}</td></tr>`;
  };
  const main = html`<h1>${d.date} 值守</h1>
<p class="lead">值守人员 ${d.officer.displayName} · 带班领导 ${d.leader.displayName} · ${dutyDayWorkflow.statuses[o.day.status] ?? o.day.status}</p>
${errorSummary(errors)}
${d.carried.length ? html`<section><h2>上一班移交的未了事项</h2><p class="hint">${d.carriedFrom ? html`${d.carriedFrom.date} ${d.carriedFrom.officerName}移交` : ""}</p><ul>${d.carried.map((m) => html`<li>${m}</li>`)}</ul></section>` : ""}
<section><h2>值守任务</h2>
<table class="cards"><thead><tr><th scope="col">任务</th><th scope="col">规定时间</th><th scope="col">状态</th><th scope="col">情况</th></tr></thead><tbody>${o.tasks.sort((a, b) => a.dueAt.localeCompare(b.dueAt)).map(taskRow)}</tbody></table>
</section>
<section><h2>当天新发布的信息（${o.published.length} 条）</h2>
${o.published.length ? html`<ul>${o.published.map((e) => html`<li><a href="/catalogue/${e.agencyCode}/${encodeURIComponent(e.indexNumber.split("/")[1] ?? "")}">${e.title}</a>（${e.indexNumber}，${beijingTime(e.publishedAt)}）</li>`)}</ul>` : html`<p>当天没有新发布的信息。</p>`}
</section>
<section><h2>值守记录</h2>
${
  d.log
    ? html`<dl><dt>值守情况</dt><dd>${d.log.findings}</dd><dt>处理意见</dt><dd>${d.log.handling}</dd>
<dt>移交下一班的未了事项</dt><dd>${d.log.openMatters.length ? html`<ul>${d.log.openMatters.map((m) => html`<li>${m}</li>`)}</ul>` : "无"}</dd>
<dt>记录人</dt><dd>${d.log.byName}，${beijingTime(d.log.at)}${d.log.late ? "（值守日后补记）" : ""}</dd></dl>
<p class="hint">值守记录存档备查，不能修改，只能批注。</p>`
    : html`<p>尚未填写。</p>`
}
${d.annotations.length ? html`<h3>批注</h3><ul>${d.annotations.map((a) => html`<li>${a.text}（${a.byName}，${beijingTime(a.at)}）</li>`)}</ul>` : ""}
${
  o.mayAnnotate && d.log
    ? html`<form method="post" action="${DUTY_PATH}/days/${o.day.caseId}/annotations">${csrf(o.user.csrfToken)}${textArea(fieldContext({}, errors), { name: "text", label: "批注", required: true, rows: 3, maxLength: 2000 })}<button type="submit">添加批注</button></form>`
    : ""
}
</section>
<p><a href="/console/cases/${o.day.caseId}">办理页面与完整记录</a> · <a href="${DUTY_PATH}">返回值班值守</a></p>`;
  return page(o.user, `${d.date} 值守`, main, errors.length > 0);
}

export function renderVotePage(o: { user: ConsoleUser; vote: VoteView; mayVote: boolean; voted?: string; errors?: FieldError[] }): string {
  const v = o.vote;
  const errors = o.errors ?? [];
  const main = html`<h1>领导小组表决：${v.subject}</h1>
<p class="lead">${v.reference} · ${voteStatusLabels[v.status]} · ${v.calledBy}发起于 ${beijingTime(v.openedAt)}${v.closesOn ? html` · 表决期限 ${civilDate(v.closesOn)}` : ""}</p>
${errorSummary(errors)}
${v.reviewOf ? html`<p><strong>提请复议的带班领导决定：</strong>${v.reviewOf}</p>` : ""}
<p>${v.detail}</p>
<p>赞成 <strong>${v.for}</strong> 票，反对 <strong>${v.against}</strong> 票；成员 ${v.members.length} 人（${v.memberNames.join("、")}），半数（包括半数）以上赞成即通过。</p>
${v.ballots.length ? html`<ul>${v.ballots.map((b) => html`<li>${b.displayName}：${choiceLabels[b.choice]}（${beijingTime(b.at)}）</li>`)}</ul>` : ""}
${
  o.mayVote && v.status === "open" && !o.voted
    ? html`<form method="post" action="${DUTY_PATH}/votes/${v.voteId}/ballots">${csrf(o.user.csrfToken)}
<fieldset><legend>您的表决意见</legend>
<label><input type="radio" name="choice" value="for" required> 赞成</label>
<label><input type="radio" name="choice" value="against"> 反对</label></fieldset>
<button type="submit">投票</button></form>`
    : o.voted
      ? html`<p>您已投票：${o.voted}。</p>`
      : ""
}
<p><a href="/console/cases/${v.voteId}">完整记录</a> · <a href="${DUTY_PATH}">返回值班值守</a></p>`;
  return page(o.user, `表决：${v.subject}`, main, errors.length > 0);
}

export function renderIncidentForm(o: { user: ConsoleUser; values?: Record<string, string>; errors?: FieldError[] }): string {
  const errors = o.errors ?? [];
  const ctx = fieldContext(o.values ?? {}, errors);
  const main = html`<h1>报告故障或安全事件</h1>
${errorSummary(errors)}
<p class="hint">发现异常及故障，应及时向相关责任人报告，并进行故障描述记录（值班值守制度二、10）。提交后网站管理员会立即收到邮件。</p>
<form method="post" action="${DUTY_PATH}/incidents/new" class="stack">${csrf(o.user.csrfToken)}
${textInput(ctx, { name: "title", label: "事件标题", required: true, maxLength: 200 })}
${selectInput(ctx, { name: "category", label: "事件类别", required: true, options: Object.entries(incidentCategoryLabels).map(([value, label]) => ({ value, label })), placeholder: "请选择" })}
${textArea(ctx, { name: "description", label: "故障描述", required: true, rows: 6, maxLength: 4000 })}
${checkbox(ctx, { name: "emergency", label: "紧急情况（须立即报告上级部门）", value: "true" })}
<button type="submit">报告</button></form>
<p><a href="${DUTY_PATH}">返回值班值守</a></p>`;
  return page(o.user, "报告故障或安全事件", main, errors.length > 0);
}

function summaryBody(s: DutySummary): Html {
  return html`<h1>${s.month} 值班值守与安全巡检情况</h1>
<p class="lead">${s.agencyName} · 生成于 ${beijingTime(s.generatedAt)}（北京时间）</p>
<table class="cards"><tbody>
<tr><th scope="row">排班天数</th><td>${s.days.rostered}</td></tr>
<tr><th scope="row">按时记录天数</th><td>${s.days.covered}</td></tr>
<tr><th scope="row">值守记录缺失</th><td>${s.days.logsMissing}（其中补记 ${s.days.logsLate}）</td></tr>
<tr><th scope="row">检查未按时完成</th><td>${s.checks.missed}</td></tr>
<tr><th scope="row">检查发现异常</th><td>${s.checks.abnormal}</td></tr>
<tr><th scope="row">自动检查</th><td>${s.checks.automaticRuns} 次，异常 ${s.checks.automaticFailed} 次</td></tr>
<tr><th scope="row">故障和事件</th><td>新发 ${s.incidents.opened} 起（紧急 ${s.incidents.emergencies}，已报告上级 ${s.incidents.reportedUpward}），尚未处置 ${s.incidents.open} 起</td></tr>
<tr><th scope="row">领导小组表决</th><td>${s.votes.held} 次（通过 ${s.votes.passed}，未通过 ${s.votes.failed}，进行中 ${s.votes.open}）</td></tr>
<tr><th scope="row">安全巡检</th><td>${s.inspections.held} 次，清单发现问题 ${s.inspections.findings} 项，未登记 ${s.inspections.unrecorded} 次</td></tr>
</tbody></table>
<h2>每日值守</h2>
${
  s.rows.length
    ? html`<table class="cards"><thead><tr><th scope="col">日期</th><th scope="col">值守人员</th><th scope="col">带班领导</th><th scope="col">值守记录</th><th scope="col">逾时检查</th><th scope="col">异常</th></tr></thead><tbody>
${s.rows.map((r) => html`<tr${!r.logged || r.late ? raw(' class="overdue"') : ""}><td data-label="日期">${civilDate(r.date)}</td><td data-label="值守人员">${r.officer}</td><td data-label="带班领导">${r.leader}</td><td data-label="值守记录">${r.logged ? (r.late ? "补记" : "已记录") : "缺失"}</td><td data-label="逾时检查">${r.missedChecks}</td><td data-label="异常">${r.abnormal}</td></tr>`)}
</tbody></table>`
    : html`<p>本月没有值班表。</p>`
}`;
}

export function renderDutySummaryPage(o: { user: ConsoleUser; summary: DutySummary }): string {
  return page(o.user, `${o.summary.month} 值班值守与安全巡检情况`, html`${summaryBody(o.summary)}<p><a href="${DUTY_PATH}">返回值班值守</a></p>`);
}

/** The mailed copy: a page of its own, no navigation, no external assets. */
export function renderDutySummaryDocument(s: DutySummary): string {
  return html`<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${s.month} 值班值守与安全巡检情况 - ${s.agencyName}</title>
<style>${raw(styles)}</style>
<style>${raw(consoleStyles)}</style>
</head>
<body>
<main id="main">
${summaryBody(s)}
</main>
</body>
</html>
`.toString();
}

/** The inspection checklist as the case page shows it. */
export function inspectionChecklist(d: InspectionData): Html {
  return html`<table class="cards"><thead><tr><th scope="col">项目</th><th scope="col">结果</th><th scope="col">情况</th></tr></thead><tbody>
${d.items.map((i) => html`<tr><td data-label="项目">${i.label}</td><td data-label="结果">${i.status === "finding" ? html`<strong>${itemStatusLabels[i.status]}</strong>` : itemStatusLabels[i.status]}</td><td data-label="情况">${i.details.join("；")}</td></tr>`)}
</tbody></table>`;
}

/** The case page's parts of the duty workflows (duty day, incident, vote, inspection); undefined for others. */
export function dutyCaseSections(c: Record<string, unknown> & { caseId: string; workflow: string; reference: string; statusLabel: string }): { title: string; facts: Array<{ label: string; value: Html | string }>; lead: Html[]; sections: Html[] } | undefined {
  switch (c.workflow) {
    case "duty": {
      const d = c as unknown as DutyDayData;
      return {
        title: `${d.date} 值守`,
        facts: [
          { label: "值守人员", value: d.officer.displayName },
          { label: "带班领导", value: d.leader.displayName },
          { label: "状态", value: c.statusLabel },
        ],
        lead: [],
        sections: [html`<p><a href="${DUTY_PATH}/days/${c.caseId}">值守页面：检查情况、当天发布的信息、值守记录和批注</a></p>`],
      };
    }
    case "incident": {
      const d = c as unknown as IncidentData;
      return {
        title: `${d.emergency ? "【紧急】" : ""}${d.title}`,
        facts: [
          { label: "类别", value: incidentCategoryLabels[d.category] },
          { label: "报告人", value: d.reportedBy.displayName },
          { label: "状态", value: c.statusLabel },
          ...d.reportsUpward.map((r) => ({ label: "报告上级", value: html`${r.department}：${r.summary}（${r.byName}，${beijingTime(r.at)}）` })),
          ...(d.resolution ? [{ label: "处置情况", value: d.resolution.handling }] : []),
          ...(d.resolution?.containment ? [{ label: "控制措施", value: d.resolution.containment }] : []),
          ...(d.resolution?.recordsKept ? [{ label: "保存的记录", value: d.resolution.recordsKept }] : []),
        ],
        lead: [],
        sections: [html`<h2>故障描述</h2><p style="white-space:pre-line">${d.description}</p>`],
      };
    }
    case "vote":
      return { title: `表决 ${c.reference}`, facts: [{ label: "状态", value: c.statusLabel }], lead: [], sections: [html`<p><a href="${DUTY_PATH}/votes/${c.caseId}">表决页面：票数、成员和投票</a></p>`] };
    case "inspection": {
      const d = c as unknown as InspectionData;
      return {
        title: `网站安全巡检 ${c.reference}`,
        facts: [
          { label: "状态", value: c.statusLabel },
          ...(d.record ? [{ label: "巡检发现", value: d.record.findings }, { label: "处理情况", value: d.record.handling ?? "—" }, { label: "登记", value: html`${d.record.byName}，${beijingTime(d.record.at)}` }] : []),
        ],
        lead: [],
        sections: [html`<h2>巡检清单</h2>${inspectionChecklist(d)}`],
      };
    }
    default:
      return undefined;
  }
}
