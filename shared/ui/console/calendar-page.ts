import type { ScheduleJsonError } from "../../domain/calendar";
import type { CalendarYearRow } from "../../app/calendar/list-years";
import type { Html } from "../html";
import { formatShanghaiTime, html } from "../html";

export interface CalendarPageInput {
  /** from describeYears(calendar, entered, today) */
  rows: CalendarYearRow[];
  csrfToken: string;
  /** where the form posts; default /console/calendar */
  action?: string;
  /** the pasted text, kept after an error */
  scheduleJson?: string;
  /** per-line errors of the pasted text (parseYearScheduleJson) */
  errors?: ScheduleJsonError[];
  /** after a successful entry */
  entered?: { year: number; revision: number; changed: number };
  /** whether the user may enter schedules (administrators); others see the years only */
  canEnter?: boolean;
}

const example = `{
  "year": 2027,
  "notice": { "documentNumber": "国办发明电〔2026〕X号", "issuedOn": "2026-11-01", "title": "国务院办公厅关于2027年部分节假日安排的通知" },
  "holidays": [ { "name": "元旦", "from": "2027-01-01", "to": "2027-01-03" } ],
  "makeUpWorkdays": [ { "date": "2027-01-09", "holiday": "元旦" } ]
}`;

/**
 * The administrator's calendar page (fragment, zh-CN): every year with its source
 * and notice, a warning for years without a schedule, and a form to enter or
 * correct a year's schedule as JSON, with per-line errors.
 */
export function renderCalendarPage(input: CalendarPageInput): Html {
  const missing = input.rows.filter((r) => r.source === "missing");
  const errors = input.errors ?? [];
  return html`<section class="calendar-admin">
<h1>节假日安排（工作日日历）</h1>
<p>所有期限按工作日计算：周末和法定节假日不计，调休上班日计入。下表为各年度的放假安排来源。</p>
${
  missing.length > 0
    ? html`<div class="warning" role="status"><p><strong>提示：</strong>${missing.map((r) => r.year).join("、")} 年尚无官方放假安排。涉及这些年份的期限仅按周末推算，标记为“暂定”（provisional）；录入放假安排后将自动重新计算并通知承办人。</p></div>`
    : ""
}
${input.entered ? html`<div class="notice" role="status"><p>已保存 ${input.entered.year} 年放假安排（第 ${input.entered.revision} 版），重新计算后调整了 ${input.entered.changed} 个未结期限。</p></div>` : ""}
<table class="calendar-years">
<caption>年度放假安排</caption>
<thead><tr><th scope="col">年份</th><th scope="col">来源</th><th scope="col">文号</th><th scope="col">发文日期</th><th scope="col">说明</th></tr></thead>
<tbody>
${input.rows.map((r) => row(r))}
</tbody>
</table>
${
  input.canEnter === false
    ? html`<p class="note">录入或更正年度放假安排由系统管理员办理。</p>`
    : html`<h2 id="enter">录入或更正年度放假安排</h2>
<p>粘贴国务院办公厅通知对应的 JSON（与系统内置数据格式相同）。更正某一年时须提交该年完整的安排，整年替换。</p>
${
  errors.length > 0
    ? html`<div class="error-summary" role="alert" aria-labelledby="calendar-errors-title" tabindex="-1">
<h2 id="calendar-errors-title">内容有 ${errors.length} 处错误，未保存</h2>
<ul>${errors.map((e) => html`<li><a href="#f-scheduleJson">第 ${e.line} 行 ${e.path}：${e.message}</a></li>`)}</ul>
</div>`
    : ""
}
<form method="post" action="${input.action ?? "/console/calendar"}">
<input type="hidden" name="csrfToken" value="${input.csrfToken}">
<div class="${errors.length > 0 ? "field has-error" : "field"}">
<label for="f-scheduleJson">年度放假安排（JSON）</label>
<p class="hint" id="f-scheduleJson-hint">一个年度对象，或由多个年度对象组成的数组。示例：</p>
<pre class="hint">${example}</pre>
<textarea id="f-scheduleJson" name="scheduleJson" rows="18" spellcheck="false" aria-describedby="f-scheduleJson-hint"${errors.length > 0 ? html` aria-invalid="true"` : ""}>${input.scheduleJson ?? ""}</textarea>
</div>
<button type="submit">保存并重新计算期限</button>
</form>`
}
</section>`;
}

function row(r: CalendarYearRow): Html {
  if (r.source === "missing") {
    return html`<tr class="missing"><th scope="row">${r.year}</th><td>缺失</td><td>—</td><td>—</td><td>尚无官方安排，期限暂按周末推算（暂定）</td></tr>`;
  }
  const s = r.schedule!;
  const notes = [
    ...(s.corrections ?? []).map((c) => `更正：${c.documentNumber}（${c.issuedOn}）${c.note}`),
    ...(r.source === "entered"
      ? [`由 ${r.enteredBy ?? ""} 于 ${formatShanghaiTime(r.enteredAt ?? "")} 录入，第 ${r.revision ?? 1} 版${r.replacesOfficial ? "，取代系统内置数据" : ""}`]
      : []),
  ];
  return html`<tr><th scope="row">${r.year}</th><td>${r.source === "entered" ? "管理员录入" : "系统内置（官方）"}</td><td>${s.notice.documentNumber}</td><td>${s.notice.issuedOn}</td><td>${notes.map((n) => html`<p>${n}</p>`)}</td></tr>`;
}
