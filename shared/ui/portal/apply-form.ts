/**
 * The application form (OGI Regulations art. 29). Works without JavaScript: both the
 * natural-person and the organisation groups are shown, each clearly labelled; the
 * server ignores the group that does not apply (see shared/schemas/application.ts).
 * It posts multipart (up to three attachments) with a one-time form token, so a double
 * click files one application.
 */
import type { FieldError } from "../../schemas/errors";
import { applicationConfirmationTexts as C, applicationFieldLabels as L } from "../../schemas/application";
import { applicationFieldsets } from "../application-fields";
import { attachmentLimits, acceptedAttachmentTypes } from "../../domain/files/attachments";
import { checkbox, errorSummary, fieldContext, fileInput, hiddenInput, selectInput } from "../form";
import { html } from "../html";
import { renderPortalPage } from "../layout";

export interface ApplyFormInput {
  agencies: Array<{ code: string; name: string }>;
  /** previously entered values (raw form strings), kept after an error */
  values?: Record<string, string>;
  errors?: FieldError[];
  csrfToken?: string;
  /** one-time token of this rendering of the form (the application's idempotency key) */
  formToken?: string;
  /** a message about the form as a whole (e.g. it was already sent), shown above it */
  notice?: string;
}

/** Names of the file inputs, in order (the server maps `attachments.N` errors back onto them). */
export const attachmentInputs = Array.from({ length: attachmentLimits.maxFiles }, (_, i) => `attachment${i + 1}`);

const megabytes = (bytes: number) => `${bytes / 1_000_000} MB`;


export function renderApplyForm(o: ApplyFormInput): string {
  const errors = o.errors ?? [];
  const values = { ...o.values };
  if (!values.agencyCode && o.agencies.length === 1) values.agencyCode = o.agencies[0]!.code;
  const ctx = fieldContext(values, errors);

  const main = html`<h1>政府信息公开申请表</h1>
${errorSummary(errors)}
${o.notice ? html`<div class="panel warn" role="alert"><p>${o.notice}</p></div>` : ""}
<p>标有 <span class="req">*</span> 的为必填项。网上提交的申请，以本机关与您确认之日为收到申请之日（《中华人民共和国政府信息公开条例》第三十一条）。</p>
<form method="post" action="/apply" accept-charset="UTF-8" enctype="multipart/form-data" novalidate>
${hiddenInput("csrfToken", o.csrfToken)}
${hiddenInput("formToken", o.formToken)}
<fieldset>
<legend>受理机关</legend>
${selectInput(ctx, { name: "agencyCode", label: L.agencyCode, required: true, options: o.agencies.map((a) => ({ value: a.code, label: a.name })), placeholder: "请选择受理机关" })}
</fieldset>

${applicationFieldsets(ctx, { personal: true })}

<fieldset aria-describedby="attachments-note">
<legend>附件（选填）</legend>
<p class="group-note" id="attachments-note">可上传身份证件、营业执照、授权委托书等材料的扫描件或照片，最多 ${attachmentLimits.maxFiles} 个，只接受 ${acceptedAttachmentTypes} 格式，每个不超过 ${megabytes(attachmentLimits.maxBytesEach)}，合计不超过 ${megabytes(attachmentLimits.maxBytesTotal)}。</p>
${errors.length > 0 ? html`<p class="field-error">提交未成功时，浏览器不会保留已选择的文件，请重新选择需要上传的附件。</p>` : ""}
${attachmentInputs.map((name, i) => fileInput(ctx, { name, label: `附件 ${i + 1}`, accept: ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" }))}
</fieldset>

<fieldset>
<legend>承诺与同意</legend>
${checkbox(ctx, { name: "declaration", label: C.declaration, required: true })}
${checkbox(ctx, { name: "consent", label: C.consent, required: true, hint: "您填写的个人信息仅用于办理本申请，在列表、日志和报表中均作脱敏处理。" })}
</fieldset>

<p><button type="submit">提交申请</button></p>
</form>`;
  return renderPortalPage({ title: "提交申请", main, current: "apply", hasErrors: errors.length > 0 });
}
