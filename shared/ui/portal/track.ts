/**
 * The applicant's side after filing: the tracking form (with the lost-code form), and
 * the status page of one application — plain-Chinese status, the statutory deadline,
 * the events, the letters, and the correction form while a correction notice is open.
 * Every form posts and is answered by a redirect (post/redirect/get), so reloading a
 * page never sends anything again. No JavaScript.
 */
import type { FieldError } from "../../schemas/errors";
import {
  applicantTypeLabels,
  applicationFieldLabels as L,
  applicationFieldMaxLengths as M,
  deliveryFormLabels,
  deliveryForms,
  deliveryWayLabels,
  deliveryWays,
  idTypeLabels,
  idTypes,
  organizationKindLabels,
  organizationKinds,
} from "../../schemas/application";
import { errorSummary, fieldContext, hiddenInput, radioGroup, selectInput, textArea, textInput } from "../form";
import type { Html } from "../html";
import { formatShanghaiTime, html } from "../html";
import { renderPortalPage } from "../layout";

/** One message for a wrong number and a wrong code alike, so neither can be probed (SPEC §7). */
export const trackNotFoundMessage = "申请编号或查询码不正确，请核对后重新输入";

/** The one answer to a lost-code request, whether or not the number exists or has an email. */
export const newCodeSentMessage =
  "如该申请留有电子邮箱，新的查询码已发送至该邮箱，原查询码同时失效。请查收邮件后凭新的查询码查询。未留电子邮箱或未收到邮件的，请携带有效身份证件联系受理机关。";

export const correctionNoteMaxLength = 2000;

export interface TrackFormInput {
  /** the number entered; the access code is never echoed back */
  values?: { trackingNumber?: string };
  errors?: FieldError[];
  /** true after a lookup found nothing */
  notFound?: boolean;
  /** too many wrong codes: the Chinese message with the wait time */
  throttled?: string;
  /** the lost-code form: what was entered and what is wrong with it */
  newCode?: { values?: { trackingNumber?: string }; errors?: FieldError[] };
  /** after a lost-code request (always the same message) */
  newCodeSent?: boolean;
  /** the earlier lookup ended (its time ran out, or the applicant ended it) */
  ended?: boolean;
  csrfToken?: string;
}

function trackForm(o: TrackFormInput): Html {
  const ctx = fieldContext({ trackingNumber: o.values?.trackingNumber ?? "" }, o.errors ?? []);
  return html`<form method="post" action="/track" accept-charset="UTF-8" novalidate>
${hiddenInput("csrfToken", o.csrfToken)}
${textInput(ctx, { name: "trackingNumber", label: "申请编号", required: true, autocomplete: "off", maxLength: 64, hint: "如 001008010002002-2026-00001" })}
${textInput(ctx, { name: "accessCode", label: "查询码", required: true, type: "password", autocomplete: "off", maxLength: 64, hint: "提交申请时页面上显示的查询码" })}
<p><button type="submit">查询</button></p>
</form>`;
}

function newCodeForm(o: TrackFormInput): Html {
  const errors = o.newCode?.errors ?? [];
  const ctx = fieldContext({ trackingNumber: o.newCode?.values?.trackingNumber ?? "" }, errors, "n-");
  return html`<section aria-labelledby="lost-code">
<h2 id="lost-code">查询码遗失</h2>
${errorSummary(errors, "请修改以下内容后重新提交", "n-")}
<p>输入申请编号，系统将向申请时预留的电子邮箱发送新的查询码，原查询码随即失效。</p>
<form method="post" action="/track/access-code" accept-charset="UTF-8" novalidate>
${hiddenInput("csrfToken", o.csrfToken)}
${textInput(ctx, { name: "trackingNumber", label: "申请编号", required: true, autocomplete: "off", maxLength: 64 })}
<p><button type="submit" class="secondary">向预留邮箱发送新的查询码</button></p>
</form>
</section>`;
}

/** The tracking form; after a failed lookup it shows the same message whatever was wrong. */
export function renderTrackForm(o: TrackFormInput = {}): string {
  const errors = o.errors ?? [];
  const main = html`<h1>查询办理进度</h1>
${o.newCodeSent ? html`<div class="panel info" role="status"><h2>已收到发送新查询码的请求</h2><p id="new-code-sent">${newCodeSentMessage}</p></div>` : ""}
${o.ended ? html`<div class="panel info" role="status"><p>查询已结束。如需再次查看，请重新输入申请编号和查询码。</p></div>` : ""}
${errorSummary(errors)}
${o.notFound ? html`<div class="error-summary" role="alert" tabindex="-1"><h2>未查到申请</h2><p>${trackNotFoundMessage}</p></div>` : ""}
${o.throttled ? html`<div class="error-summary" role="alert" tabindex="-1"><h2>暂时无法查询</h2><p id="throttled">${o.throttled}</p><p>为保护申请人的信息，查询码连续输错多次后将暂停查询。</p></div>` : ""}
<p>请输入提交申请时获得的申请编号和查询码。</p>
${trackForm(o)}
${newCodeForm(o)}`;
  const failed = errors.length > 0 || o.notFound === true || Boolean(o.throttled) || (o.newCode?.errors?.length ?? 0) > 0;
  return renderPortalPage({ title: "查询办理进度", main, current: "track", hasErrors: failed });
}

// ---------------------------------------------------------------------------
// The status page

export interface TrackStatusInput {
  trackingNumber: string;
  status: string;
  /** plain-Chinese status for the applicant */
  statusText: string;
  receivedOn: string | null;
  dueOn: string | null;
  dueIsProvisional: boolean;
  /** the answer clock waits (for the applicant's correction, a third party or another agency) */
  duePaused: boolean;
  workingDaysLeft: number | null;
  events: Array<{ at: string; summary: string }>;
  letters: Array<{ letterId: string; title: string; number: string; issuedOn: string }>;
  correction: { items: string[]; dueOn: string; open: boolean } | null;
  result: { replyType: string; label: string } | null;
  /** shown once after a redirect: the correction was received */
  corrected?: boolean;
  /** the correction form after an error: what was entered and what is wrong */
  correctionForm?: { values?: Record<string, string>; errors?: FieldError[] };
  /** a refused correction (409: no notice open; 422: its period is over) */
  correctionProblem?: string;
  csrfToken?: string;
}

const options = <T extends string>(values: readonly T[], labels: Record<T, string>) => values.map((v) => ({ value: v, label: labels[v] }));

/** Where the answer deadline stands, in words: the countdown, or why the clock waits. */
function deadlineText(o: TrackStatusInput): Html {
  if (!o.dueOn) return html`<dd id="due-on">确认收到申请后计算</dd>`;
  const date = html`<strong>${o.dueOn}</strong>${o.dueIsProvisional ? html`<span class="provisional">（暂定）</span>` : ""}`;
  if (o.result || o.status === "withdrawn" || o.status === "archived") return html`<dd id="due-on">${date}</dd>`;
  // art. 30: after a correction the period runs anew from the corrected application, so the old date means nothing
  if (o.duePaused && waitingForCorrection(o)) return html`<dd id="due-on"><span class="days-left" id="days-left">期限暂停计算，自收到补正后的申请之日起重新计算</span></dd>`;
  if (o.duePaused && o.status === "fee_notified") return html`<dd id="due-on">${date}<br><span class="days-left" id="days-left">期限暂停计算（自收费通知发出至收到缴费的期间不计算）</span></dd>`;
  if (o.duePaused) return html`<dd id="due-on">${date}<br><span class="days-left" id="days-left">期限暂停计算（征求意见期间不计算）</span></dd>`;
  const n = o.workingDaysLeft;
  const left =
    n === null
      ? ""
      : n > 0
        ? html`<br><span class="days-left" id="days-left">还剩 ${n} 个工作日</span>`
        : n === 0
          ? html`<br><span class="days-left" id="days-left">今天是答复期限的最后一个工作日</span>`
          : html`<br><span class="days-left" id="days-left">已超过答复期限 ${-n} 个工作日</span>`;
  return html`<dd id="due-on">${date}${left}</dd>`;
}

const waitingForCorrection = (o: TrackStatusInput) => o.status === "correction_requested" || o.correction?.open === true;

function pausedNote(o: TrackStatusInput): Html | "" {
  if (!o.duePaused || o.result) return "";
  if (waitingForCorrection(o)) {
    return html`<p class="note" id="paused-note">等待补正期间不计算答复期限。答复期限自本机关收到您补正后的申请之日起重新计算（《中华人民共和国政府信息公开条例》第三十条）。</p>`;
  }
  return html`<p class="note" id="paused-note">本机关正在征求第三方或其他机关的意见，征求意见期间不计算在答复期限内（《中华人民共和国政府信息公开条例》第三十三条），收到意见后继续计算。</p>`;
}

function letterLinks(o: TrackStatusInput): Html {
  if (o.letters.length === 0) return html`<p>暂无。</p>`;
  return html`<ul class="letters">${o.letters.map((l) => {
    const href = `/track/letters/${encodeURIComponent(l.letterId)}`;
    return html`<li><strong>${l.title}</strong>（${l.number ? html`${l.number}，` : ""}${l.issuedOn}）<br><a href="${href}?format=docx">下载 Word 文档<span class="vh">：${l.title}</span></a> · <a href="${href}?format=html">在线查看<span class="vh">：${l.title}</span></a></li>`;
  })}</ul>`;
}

/** The correction form: a note, and any application fields to correct (empty ones stay as they were). */
function correctionForm(o: TrackStatusInput): Html {
  const errors = o.correctionForm?.errors ?? [];
  const values = o.correctionForm?.values ?? {};
  const ctx = fieldContext(values, errors, "c-");
  const fieldErrors = errors.some((e) => e.path !== "" && e.path !== "note");
  const changedAny = Object.entries(values).some(([k, v]) => k !== "note" && k !== "csrfToken" && v.trim() !== "");
  const open = fieldErrors || changedAny;
  return html`${errorSummary(errors, "补正内容有误，请修改后重新提交", "c-")}
<form method="post" action="/track/correction" accept-charset="UTF-8" novalidate>
${hiddenInput("csrfToken", o.csrfToken)}
${textArea(ctx, { name: "note", label: "补正说明", hint: `说明您补正的内容，例如补充更明确的所需信息描述；不超过 ${correctionNoteMaxLength} 字`, maxLength: correctionNoteMaxLength, rows: 5 })}
<details${open ? html` open` : ""}>
<summary>更正申请表中的内容（只填写需要更正的项目，未填写的项目保持不变）</summary>
<fieldset>
<legend>申请人信息</legend>
<p class="group-note">申请人类型（${applicantTypeLabels.natural_person}或${applicantTypeLabels.organization}）不能通过补正更改。</p>
${textInput(ctx, { name: "name", label: L.name, autocomplete: "name", maxLength: M.name })}
${selectInput(ctx, { name: "idType", label: `${L.idType}（自然人）`, options: options(idTypes, idTypeLabels), placeholder: "不更改" })}
${textInput(ctx, { name: "idNumber", label: `${L.idNumber}（自然人）`, autocomplete: "off", maxLength: M.idNumber })}
${selectInput(ctx, { name: "organizationKind", label: `${L.organizationKind}（法人或其他组织）`, options: options(organizationKinds, organizationKindLabels), placeholder: "不更改" })}
${textInput(ctx, { name: "creditCode", label: `${L.creditCode}（法人或其他组织）`, autocomplete: "off", maxLength: M.creditCode })}
${textInput(ctx, { name: "legalRepresentative", label: `${L.legalRepresentative}（法人或其他组织）`, autocomplete: "off", maxLength: M.legalRepresentative })}
${textInput(ctx, { name: "contactPerson", label: `${L.contactPerson}（法人或其他组织）`, autocomplete: "off", maxLength: M.contactPerson })}
</fieldset>
<fieldset>
<legend>联系方式</legend>
${textInput(ctx, { name: "phone", label: L.phone, type: "tel", autocomplete: "tel", inputMode: "tel", maxLength: M.phone })}
${textInput(ctx, { name: "email", label: L.email, type: "email", autocomplete: "email", maxLength: M.email })}
${textInput(ctx, { name: "address", label: L.address, autocomplete: "street-address", maxLength: M.address })}
${textInput(ctx, { name: "postalCode", label: L.postalCode, autocomplete: "postal-code", inputMode: "numeric", maxLength: M.postalCode })}
</fieldset>
<fieldset>
<legend>所需政府信息</legend>
${textArea(ctx, { name: "description", label: L.description, hint: `补正后的完整描述，不超过 ${M.description} 字`, maxLength: M.description, rows: 5 })}
${textInput(ctx, { name: "documentTitle", label: L.documentTitle, maxLength: M.documentTitle })}
${textInput(ctx, { name: "documentNumber", label: L.documentNumber, maxLength: M.documentNumber })}
${textArea(ctx, { name: "purpose", label: L.purpose, maxLength: M.purpose, rows: 3 })}
</fieldset>
<fieldset>
<legend>提供形式和获取方式</legend>
${radioGroup(ctx, { name: "deliveryForm", label: L.deliveryForm, hint: "不选择即保持不变", options: options(deliveryForms, deliveryFormLabels) })}
${radioGroup(ctx, { name: "deliveryWay", label: L.deliveryWay, hint: "不选择即保持不变", options: options(deliveryWays, deliveryWayLabels) })}
</fieldset>
</details>
<p><button type="submit">提交补正</button></p>
</form>`;
}

function correctionSection(o: TrackStatusInput): Html | "" {
  const c = o.correction;
  if (o.correctionProblem) {
    return html`<section aria-labelledby="correction-title"><h2 id="correction-title">补正</h2><div class="error-summary" role="alert" tabindex="-1"><h2>无法提交补正</h2><p id="correction-problem">${o.correctionProblem}</p></div></section>`;
  }
  if (!c?.open) return "";
  return html`<section aria-labelledby="correction-title">
<h2 id="correction-title">需要您补正申请</h2>
<div class="panel warn">
<p>本机关已向您发出补正告知书（见下方“告知书和答复书”），请补正以下事项：</p>
<ol id="correction-items">${c.items.map((item) => html`<li>${item}</li>`)}</ol>
<p>补正期限：<strong id="correction-due">${c.dueOn}</strong>（含当日）。无正当理由逾期不补正的，视为放弃申请（《中华人民共和国政府信息公开条例》第三十条）。</p>
</div>
${correctionForm(o)}
</section>`;
}

/** What the applicant sees about their own application. */
export function renderTrackStatus(o: TrackStatusInput): string {
  const formErrors = o.correctionForm?.errors ?? [];
  const main = html`<h1>办理进度</h1>
${o.corrected ? html`<div class="panel" role="status"><p id="corrected">已收到您提交的补正内容。答复期限自本机关收到补正后的申请之日起重新计算。</p></div>` : ""}
<dl class="summary">
<dt>申请编号</dt><dd id="tracking-number">${o.trackingNumber}</dd>
<dt>办理状态</dt><dd id="status">${o.statusText}</dd>
${o.result ? html`<dt>答复结果</dt><dd id="result">${o.result.label}</dd>` : ""}
<dt>收到申请日期</dt><dd id="received-on">${o.receivedOn ?? "待确认（网上申请以本机关与您确认之日为收到申请之日）"}</dd>
<dt>答复期限</dt>${deadlineText(o)}
</dl>
${pausedNote(o)}
${o.dueIsProvisional ? html`<p class="note">答复期限跨入国务院尚未公布节假日安排的年份，暂按周一至周五为工作日计算，公布后将重新计算。</p>` : ""}
${o.dueOn && !o.result && !o.duePaused ? html`<p class="hint">答复期限自收到申请之日起计算，只计工作日（收到申请的当日不计算在内）；需要延长的，本机关将另行书面告知。</p>` : ""}
${correctionSection(o)}
<h2>告知书和答复书</h2>
${letterLinks(o)}
<h2>办理过程<span class="hint">（北京时间）</span></h2>
${
  o.events.length === 0
    ? html`<p>暂无记录。</p>`
    : html`<ol class="timeline" id="events">${o.events.map((e) => html`<li><time datetime="${e.at}">${formatShanghaiTime(e.at)}</time> ${e.summary}</li>`)}</ol>`
}
<p><a href="/track">查询其他申请</a></p>
<form method="post" action="/track/end" class="inline">${hiddenInput("csrfToken", o.csrfToken)}<button type="submit" class="secondary">结束查询</button></form>`;
  return renderPortalPage({ title: "办理进度", main, current: "track", hasErrors: formErrors.length > 0 || Boolean(o.correctionProblem) });
}
