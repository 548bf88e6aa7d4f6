import { caseStatusLabel } from "../../domain/labels";
import type { FieldError } from "../../schemas/errors";
import { errorSummary, fieldContext, hiddenInput, textInput } from "../form";
import type { Html } from "../html";
import { formatShanghaiTime, html, safeHref } from "../html";
import { renderPortalPage } from "../layout";

/** One message for a wrong number and a wrong code alike, so neither can be probed (SPEC §7). */
export const trackNotFoundMessage = "申请编号或查询码不正确，请核对后重新输入";

export interface TrackFormInput {
  /** the number entered; the access code is never echoed back */
  values?: { trackingNumber?: string };
  errors?: FieldError[];
  /** true after a lookup found nothing */
  notFound?: boolean;
  csrfToken?: string;
}

function trackForm(o: TrackFormInput): Html {
  const ctx = fieldContext({ trackingNumber: o.values?.trackingNumber ?? "" }, o.errors ?? []);
  return html`<form method="post" action="/track" accept-charset="UTF-8" novalidate>
${hiddenInput("csrfToken", o.csrfToken)}
${textInput(ctx, { name: "trackingNumber", label: "申请编号", required: true, autocomplete: "off", maxLength: 64 })}
${textInput(ctx, { name: "accessCode", label: "查询码", required: true, type: "password", autocomplete: "off", maxLength: 64, hint: "提交申请时页面上显示的查询码" })}
<p><button type="submit">查询</button></p>
</form>`;
}

/** The tracking form; after a failed lookup it shows the same message whatever was wrong. */
export function renderTrackForm(o: TrackFormInput = {}): string {
  const errors = o.errors ?? [];
  const main = html`<h1>查询办理进度</h1>
${errorSummary(errors)}
${o.notFound ? html`<div class="error-summary" role="alert"><h2>未查到申请</h2><p>${trackNotFoundMessage}</p></div>` : ""}
<p>请输入提交申请时获得的申请编号和查询码。</p>
${trackForm(o)}`;
  return renderPortalPage({ title: "查询办理进度", main, current: "track", hasErrors: errors.length > 0 || o.notFound === true });
}

export interface TrackStatusInput {
  trackingNumber: string;
  status: string;
  receivedOn: string | null;
  dueOn: string | null;
  dueIsProvisional: boolean;
  events: Array<{ at: string; description: string }>;
  letters: Array<{ title: string; issuedOn: string; url?: string }>;
}

/** What the applicant sees about their own application. */
export function renderTrackStatus(o: TrackStatusInput): string {
  const main = html`<h1>办理进度</h1>
<dl class="summary">
<dt>申请编号</dt><dd id="tracking-number">${o.trackingNumber}</dd>
<dt>办理状态</dt><dd id="status">${caseStatusLabel(o.status)}</dd>
<dt>收到申请日期</dt><dd id="received-on">${o.receivedOn ?? "待确认（网上申请以本机关与您确认之日为收到申请之日）"}</dd>
<dt>答复期限</dt><dd id="due-on">${o.dueOn ? html`${o.dueOn}${o.dueIsProvisional ? "（暂定）" : ""}` : "确认收到申请后计算"}</dd>
</dl>
${o.dueIsProvisional ? html`<p class="note">答复期限跨入国务院尚未公布节假日安排的年份，暂按周一至周五为工作日计算，公布后将重新计算。</p>` : ""}
<h2>办理过程</h2>
${
  o.events.length === 0
    ? html`<p>暂无记录。</p>`
    : html`<ol class="timeline">${o.events.map((e) => html`<li><time datetime="${e.at}">${formatShanghaiTime(e.at)}</time> ${e.description}</li>`)}</ol>`
}
<h2>告知书和答复书</h2>
${
  o.letters.length === 0
    ? html`<p>暂无。</p>`
    : html`<ul>${o.letters.map(
        (l) => html`<li>${l.url ? html`<a href="${safeHref(l.url)}">${l.title}</a>` : l.title}（${l.issuedOn}）</li>`,
      )}</ul>`
}
<p><a href="/track">查询其他申请</a></p>`;
  return renderPortalPage({ title: "办理进度", main, current: "track" });
}
