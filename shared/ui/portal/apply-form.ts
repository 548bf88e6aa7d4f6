/**
 * The application form (OGI Regulations art. 29). Works without JavaScript: both the
 * natural-person and the organisation groups are shown, each clearly labelled; the
 * server ignores the group that does not apply (see shared/schemas/application.ts).
 */
import type { FieldError } from "../../schemas/errors";
import {
  applicantTypeLabels,
  applicantTypes,
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
import { html } from "../html";
import { renderPortalPage } from "../layout";

export interface ApplyFormInput {
  agencies: Array<{ code: string; name: string }>;
  /** previously entered values (raw form strings), kept after an error */
  values?: Record<string, string>;
  errors?: FieldError[];
  csrfToken?: string;
}

const options = <T extends string>(values: readonly T[], labels: Record<T, string>) => values.map((v) => ({ value: v, label: labels[v] }));

export function renderApplyForm(o: ApplyFormInput): string {
  const errors = o.errors ?? [];
  const values = { ...o.values };
  if (!values.agencyCode && o.agencies.length === 1) values.agencyCode = o.agencies[0]!.code;
  const ctx = fieldContext(values, errors);

  const main = html`<h1>政府信息公开申请表</h1>
${errorSummary(errors)}
<p>标有 <span class="req">*</span> 的为必填项。网上提交的申请，以本机关与您确认之日为收到申请之日（《中华人民共和国政府信息公开条例》第三十一条）。</p>
<form method="post" action="/apply" accept-charset="UTF-8" enctype="application/x-www-form-urlencoded" novalidate>
${hiddenInput("csrfToken", o.csrfToken)}
<fieldset>
<legend>受理机关</legend>
${selectInput(ctx, { name: "agencyCode", label: L.agencyCode, required: true, options: o.agencies.map((a) => ({ value: a.code, label: a.name })), placeholder: "请选择受理机关" })}
</fieldset>

<fieldset>
<legend>申请人信息</legend>
${radioGroup(ctx, { name: "applicantType", label: L.applicantType, required: true, options: options(applicantTypes, applicantTypeLabels) })}
${textInput(ctx, { name: "name", label: L.name, required: true, hint: "自然人填写姓名；法人或其他组织填写单位全称", autocomplete: "name", maxLength: M.name })}

<fieldset>
<legend>自然人填写</legend>
<p class="group-note">申请人为自然人时填写本组；法人或其他组织无需填写。</p>
${selectInput(ctx, { name: "idType", label: L.idType, required: true, conditional: true, options: options(idTypes, idTypeLabels) })}
${textInput(ctx, { name: "idNumber", label: L.idNumber, required: true, conditional: true, hint: "居民身份证号码为18位，最后一位可能是 X", autocomplete: "off", maxLength: M.idNumber })}
</fieldset>

<fieldset>
<legend>法人或其他组织填写</legend>
<p class="group-note">申请人为法人或其他组织时填写本组；自然人无需填写。</p>
${radioGroup(ctx, { name: "organizationKind", label: L.organizationKind, required: true, conditional: true, options: options(organizationKinds, organizationKindLabels) })}
${textInput(ctx, { name: "creditCode", label: L.creditCode, required: true, conditional: true, hint: "18位，由数字和大写字母组成", autocomplete: "off", maxLength: M.creditCode })}
${textInput(ctx, { name: "legalRepresentative", label: L.legalRepresentative, required: true, conditional: true, autocomplete: "off", maxLength: M.legalRepresentative })}
</fieldset>
</fieldset>

<fieldset>
<legend>联系方式</legend>
${textInput(ctx, { name: "phone", label: L.phone, required: true, type: "tel", hint: "手机号码，或带区号的固定电话，如 0576-84123456", autocomplete: "tel", inputMode: "tel", maxLength: M.phone })}
${textInput(ctx, { name: "email", label: L.email, type: "email", hint: "选择以电子邮件提供或获取信息时必填", autocomplete: "email", maxLength: M.email })}
${textInput(ctx, { name: "address", label: L.address, required: true, autocomplete: "street-address", maxLength: M.address })}
${textInput(ctx, { name: "postalCode", label: L.postalCode, required: true, autocomplete: "postal-code", inputMode: "numeric", maxLength: M.postalCode })}
</fieldset>

<fieldset>
<legend>所需政府信息</legend>
${textArea(ctx, { name: "description", label: L.description, required: true, hint: `请写明所需信息的名称、文号或者便于查询的其他特征性描述，不超过 ${M.description} 字`, maxLength: M.description })}
${textInput(ctx, { name: "documentTitle", label: L.documentTitle, hint: "选填", maxLength: M.documentTitle })}
${textInput(ctx, { name: "documentNumber", label: L.documentNumber, hint: "选填", maxLength: M.documentNumber })}
${textArea(ctx, { name: "purpose", label: L.purpose, hint: "选填", maxLength: M.purpose, rows: 3 })}
</fieldset>

<fieldset>
<legend>提供形式和获取方式</legend>
${radioGroup(ctx, { name: "deliveryForm", label: L.deliveryForm, required: true, options: options(deliveryForms, deliveryFormLabels) })}
${radioGroup(ctx, { name: "deliveryWay", label: L.deliveryWay, required: true, options: options(deliveryWays, deliveryWayLabels) })}
</fieldset>

<p class="note">您填写的个人信息仅用于办理本申请，在列表、日志和报表中均作脱敏处理。</p>
<p><button type="submit">提交申请</button></p>
</form>`;
  return renderPortalPage({ title: "提交申请", main, current: "apply", hasErrors: errors.length > 0 });
}
