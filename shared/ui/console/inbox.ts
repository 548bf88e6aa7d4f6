/**
 * The task inbox: the open tasks the user's roles may act on, soonest due first, with
 * overdue / at-risk / 督办 marks and a count per step linking to a filtered view. On a
 * phone the table becomes stacked cards (CSS only, see consoleStyles).
 */
import { roleLabel } from "../../domain/roles";
import { stepLabel } from "../../domain/labels";
import { html, type Html } from "../html";
import type { ConsoleUser } from "./layout";
import { renderConsolePage } from "./layout";
import { atRiskTag, beijingTime, daysLeft, overdueTag, provisionalTag, stepOf, superviseTag } from "./parts";

export interface InboxTask {
  taskId: string;
  caseId: string;
  title: string;
  step: string;
  workflow?: string;
  /** shown instead of the step code; defaults to the step's title in its workflow */
  stepLabel?: string;
  role: string;
  /** ISO instant */
  dueAt: string;
  dueIsProvisional: boolean;
  overdue: boolean;
  /** applicant's name already masked by the caller; "—" when absent */
  applicantMasked?: string;
  /** the case's tracking number: the link text when given */
  trackingNumber?: string;
  /** working days from today to the due day (0: due today, negative: overdue) */
  workingDaysLeft?: number;
  /** due today or the next working day */
  atRisk?: boolean;
  /** the viewer acts because the task was escalated to them (督办) */
  supervising?: boolean;
}

export interface StepCount {
  workflow: string;
  step: string;
  title: string;
  total: number;
  overdue: number;
  atRisk: number;
  /** escalated to the viewer (督办) */
  supervising?: number;
}

export interface InboxInput {
  user: ConsoleUser & { csrfToken?: string };
  /** the tasks to list (already filtered by `step` when one is chosen) */
  tasks: InboxTask[];
  /** for the sign-out form; defaults to `user.csrfToken` */
  csrfToken?: string;
  /** optional notice at the top, e.g. after completing a task */
  flash?: string;
  /** the console's front-page banner (e.g. next year's holiday schedule still missing) */
  banner?: Html | "";
  /** count per step of all the user's open tasks (countByStep), for the header */
  counts?: StepCount[];
  /** the step filter in force (`?step=`) */
  step?: string | undefined;
  /** how many tasks the list has over all its pages (default: those given) */
  total?: number;
  /** the next page of the same list, when there is one */
  nextHref?: string;
  /** on a later page: the first page of the same list */
  firstHref?: string;
}

function stepTitle(t: { workflow?: string; step: string; stepLabel?: string }): string {
  if (t.stepLabel) return t.stepLabel;
  return stepOf(t.workflow ?? "application", t.step)?.title ?? stepLabel(t.step);
}

function countsNav(counts: StepCount[], current: string | undefined) {
  const all = counts.reduce((n, c) => n + c.total, 0);
  const extra = (c: { overdue: number; atRisk: number }) =>
    c.overdue || c.atRisk ? `（${[c.overdue ? `已逾期 ${c.overdue}` : "", c.atRisk ? `即将到期 ${c.atRisk}` : ""].filter(Boolean).join("，")}）` : "";
  return html`<nav class="counts" aria-label="按办理环节筛选待办">
<ul>
<li><a href="/console/inbox"${current ? "" : html` aria-current="page"`}>全部 ${all} 项</a></li>
${counts.map(
  (c) =>
    html`<li><a href="/console/inbox?step=${encodeURIComponent(c.step)}"${c.step === current ? html` aria-current="page"` : ""}>${stepTitle(c)} ${c.total} 项${extra(c)}</a></li>`,
)}
</ul>
</nav>`;
}

/** The task inbox: open tasks the user's roles may act on, soonest due first. */
export function renderInbox(o: InboxInput): string {
  const tasks = [...o.tasks].sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt) || a.taskId.localeCompare(b.taskId));
  // the marks count the whole list (every page) when the counts per step are given
  const listed = o.counts?.filter((c) => !o.step || c.step === o.step);
  const sum = (f: (c: StepCount) => number) => (listed ?? []).reduce((n, c) => n + f(c), 0);
  const paged = o.total !== undefined || o.nextHref !== undefined || o.firstHref !== undefined;
  const fromCounts = paged && listed !== undefined;
  const overdueCount = fromCounts ? sum((c) => c.overdue) : tasks.filter((t) => t.overdue).length;
  const atRiskCount = fromCounts ? sum((c) => c.atRisk) : tasks.filter((t) => !t.overdue && t.atRisk).length;
  const superviseCount = fromCounts ? sum((c) => c.supervising ?? 0) : tasks.filter((t) => t.supervising).length;
  const total = o.total ?? tasks.length;
  const filtered = o.step ? stepTitle({ step: o.step, ...(tasks[0]?.workflow ? { workflow: tasks[0].workflow } : {}) }) : undefined;
  const marks = [
    overdueCount ? html`<strong class="tag overdue">已逾期 ${overdueCount} 项</strong>` : "",
    atRiskCount ? html`<strong class="tag at-risk">即将到期 ${atRiskCount} 项</strong>` : "",
    superviseCount ? html`<strong class="tag supervise">督办 ${superviseCount} 项</strong>` : "",
  ].filter(Boolean);
  const main = html`${o.banner ?? ""}<h1>待办任务${filtered ? html`：${filtered}` : ""}</h1>
${o.flash ? html`<p class="notice" role="status">${o.flash}</p>` : ""}
${o.counts && o.counts.length > 0 ? countsNav(o.counts, o.step) : ""}
<p>共 ${total} 项${marks.length ? html`，其中 ${marks.map((m, i) => html`${i ? "、" : ""}${m}`)}` : ""}。${total > tasks.length ? html`本页列出 ${tasks.length} 项。` : ""}按办理期限先后排列；“即将到期”指今天或下一个工作日到期。</p>
${
  tasks.length === 0
    ? html`<p>${o.step ? html`该环节暂无待办任务。<a href="/console/inbox">查看全部待办</a>` : "暂无待办任务。"}</p>`
    : html`<table class="cards">
<caption class="vh">待办任务列表，按办理期限排序</caption>
<thead><tr><th scope="col">申请</th><th scope="col">环节</th><th scope="col">办理角色</th><th scope="col">申请人</th><th scope="col">办理期限</th><th scope="col">剩余时间</th></tr></thead>
<tbody>
${tasks.map(
  (t) => html`<tr${t.overdue ? html` class="overdue"` : ""} data-task-id="${t.taskId}">
<td data-label="申请"><a href="/console/cases/${encodeURIComponent(t.caseId)}">${t.trackingNumber ?? t.title}</a></td>
<td data-label="环节">${stepTitle(t)}</td>
<td data-label="办理角色">${roleLabel(t.role)}${t.supervising ? superviseTag : ""}</td>
<td data-label="申请人">${t.applicantMasked ?? "—"}</td>
<td data-label="办理期限">${beijingTime(t.dueAt)}${t.dueIsProvisional ? provisionalTag : ""}</td>
<td data-label="剩余时间">${daysLeft(t.workingDaysLeft, t.overdue, t.atRisk)}${t.overdue ? overdueTag : t.atRisk ? atRiskTag : ""}</td>
</tr>`,
)}
</tbody>
</table>`
}
${o.nextHref || o.firstHref ? html`<nav class="pages" aria-label="翻页">${o.firstHref ? html`<a href="${o.firstHref}">回到第一页</a>` : ""}${o.firstHref && o.nextHref ? " " : ""}${o.nextHref ? html`<a href="${o.nextHref}" rel="next">下一页</a>` : ""}</nav>` : ""}`;
  return renderConsolePage({ title: "待办任务", main, user: o.user, csrfToken: o.csrfToken ?? o.user.csrfToken, current: "inbox" });
}
