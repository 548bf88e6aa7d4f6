import { roleLabel } from "../../domain/roles";
import { stepLabel } from "../../domain/labels";
import { formatShanghaiTime, html } from "../html";
import type { ConsoleUser } from "./layout";
import { renderConsolePage } from "./layout";

export interface InboxTask {
  taskId: string;
  caseId: string;
  title: string;
  step: string;
  /** shown instead of the step code; defaults to the step's label */
  stepLabel?: string;
  role: string;
  /** ISO instant */
  dueAt: string;
  dueIsProvisional: boolean;
  overdue: boolean;
  /** applicant's name already masked by the caller; "—" when absent */
  applicantMasked?: string;
}

export interface InboxInput {
  user: ConsoleUser & { csrfToken?: string };
  tasks: InboxTask[];
  /** for the sign-out form; defaults to `user.csrfToken` */
  csrfToken?: string;
  /** optional notice at the top, e.g. after completing a task */
  flash?: string;
}

/** The task inbox: open tasks the user's roles may act on, soonest due first. */
export function renderInbox(o: InboxInput): string {
  const tasks = [...o.tasks].sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt) || a.taskId.localeCompare(b.taskId));
  const overdueCount = tasks.filter((t) => t.overdue).length;
  const main = html`<h1>待办任务</h1>
${o.flash ? html`<p class="panel" role="status">${o.flash}</p>` : ""}
<p>共 ${tasks.length} 项${overdueCount > 0 ? html`，其中 <strong class="tag overdue">已逾期 ${overdueCount} 项</strong>` : ""}。按办理期限先后排列。</p>
${
  tasks.length === 0
    ? html`<p>暂无待办任务。</p>`
    : html`<table>
<caption class="vh">待办任务列表，按办理期限排序</caption>
<thead><tr><th scope="col">事项</th><th scope="col">环节</th><th scope="col">办理角色</th><th scope="col">申请人</th><th scope="col">办理期限</th></tr></thead>
<tbody>
${tasks.map(
  (t) => html`<tr${t.overdue ? html` class="overdue"` : ""} data-task-id="${t.taskId}">
<td><a href="/console/cases/${encodeURIComponent(t.caseId)}">${t.title}</a></td>
<td>${t.stepLabel ?? stepLabel(t.step)}</td>
<td>${roleLabel(t.role)}</td>
<td>${t.applicantMasked ?? "—"}</td>
<td><time datetime="${t.dueAt}">${formatShanghaiTime(t.dueAt)}</time>${t.dueIsProvisional ? html`<span class="tag provisional">暂定</span>` : ""}${
    t.overdue ? html`<span class="tag overdue">已逾期</span>` : ""
  }</td>
</tr>`,
)}
</tbody>
</table>`
}`;
  return renderConsolePage({ title: "待办任务", main, user: o.user, csrfToken: o.csrfToken ?? o.user.csrfToken, current: "inbox" });
}
