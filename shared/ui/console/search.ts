/**
 * Case search (案件查询): by tracking number, keyword (applicant or description), date
 * range, status and open step. A GET form, so a search is a link one can keep; the
 * results come masked per role from the use case (organisations are never masked).
 */
import type { CaseSummary } from "../../app/views/search";
import type { FieldError } from "../../schemas/errors";
import { fieldContext, selectInput, textInput } from "../form";
import { html } from "../html";
import type { ConsoleUser } from "./layout";
import { renderConsolePage } from "./layout";
import { civilDate, errorSummaryFor, provisionalTag, workflowOf } from "./parts";

export const searchFields = ["trackingNumber", "q", "from", "to", "status", "step"] as const;

export interface SearchPageInput {
  user: ConsoleUser & { csrfToken?: string };
  /** the query as given (raw strings) */
  values: Partial<Record<(typeof searchFields)[number], string>>;
  errors?: FieldError[];
  /** undefined when the query was refused */
  results?: CaseSummary[];
  showPersonalData: boolean;
  /** the store returns at most this many */
  limit?: number;
}

export function renderSearchPage(o: SearchPageInput): string {
  const errors = o.errors ?? [];
  const definition = workflowOf("application")!;
  const values: Record<string, string> = {};
  for (const k of searchFields) values[k] = o.values[k] ?? "";
  const ctx = fieldContext(values, errors, "s-");
  const results = o.results;
  const limit = o.limit ?? 200;
  const main = html`<h1>案件查询</h1>
${errorSummaryFor(errors, { title: "查询条件有误，请修改", idPrefix: "s-", fields: searchFields })}
<form method="get" action="/console/cases" class="search" accept-charset="UTF-8" novalidate role="search" aria-label="查询依申请公开案件">
<div class="filters">
${textInput(ctx, { name: "trackingNumber", label: "申请编号", hint: "完整编号，如 001008010002002-2026-00001", maxLength: 40 })}
${textInput(ctx, {
  name: "q",
  label: "关键词",
  hint: o.showPersonalData ? "申请人姓名或名称、所需信息的内容描述、文件名称或文号" : "所需信息的内容描述、文件名称或文号、组织名称（您的角色不能按个人姓名查询）",
  maxLength: 100,
})}
</div>
<div class="filters">
${textInput(ctx, { name: "from", label: "提交日期自", type: "date", hint: "不填则自去年 1 月 1 日起" })}
${textInput(ctx, { name: "to", label: "提交日期至", type: "date", hint: "不填则至今天" })}
</div>
<div class="filters">
${selectInput(ctx, { name: "status", label: "办理状态", placeholder: "全部状态", options: Object.entries(definition.statuses).map(([value, label]) => ({ value, label })) })}
${selectInput(ctx, { name: "step", label: "待办环节", placeholder: "全部环节", options: Object.values(definition.steps).map((s) => ({ value: s.step, label: s.title })) })}
</div>
<p><button type="submit">查询</button> <a href="/console/cases">清空条件</a></p>
</form>
${
  results === undefined
    ? ""
    : html`<h2 id="results">查询结果</h2>
${results.length === 0 ? html`<p>没有符合条件的案件。</p>` : html`<p role="status">共 ${results.length} 件${results.length >= limit ? html`（仅显示前 ${limit} 件，请缩小查询范围）` : ""}。</p>
<table class="cards">
<caption class="vh">查询结果：依申请公开案件</caption>
<thead><tr><th scope="col">申请编号</th><th scope="col">申请人</th><th scope="col">办理状态</th><th scope="col">提交日期</th><th scope="col">收到申请日期</th><th scope="col">答复期限</th><th scope="col">答复结果</th></tr></thead>
<tbody>
${results.map(
  (c) => html`<tr data-case-id="${c.caseId}">
<td data-label="申请编号"><a href="/console/cases/${encodeURIComponent(c.caseId)}">${c.trackingNumber}</a></td>
<td data-label="申请人">${c.applicant || "—"}</td>
<td data-label="办理状态">${c.statusLabel}${c.flags.some((f) => f.endsWith("overdue")) ? html`<span class="tag overdue">有逾期</span>` : ""}</td>
<td data-label="提交日期">${civilDate(c.createdOn)}</td>
<td data-label="收到申请日期">${c.receivedOn ? civilDate(c.receivedOn) : "待确认"}</td>
<td data-label="答复期限">${c.dueOn ? html`${civilDate(c.dueOn)}${c.dueIsProvisional ? provisionalTag : ""}` : "—"}</td>
<td data-label="答复结果">${c.result ?? "—"}</td>
</tr>`,
)}
</tbody>
</table>`}`
}`;
  return renderConsolePage({ title: "案件查询", main, user: o.user, csrfToken: o.user.csrfToken, current: "cases", hasErrors: errors.length > 0 });
}
