/**
 * The fields of a disclosure application (OGI Regulations art. 29) as form fieldsets,
 * shared by the portal's application form and the office's entry of letters, faxes and
 * walk-ins, so both ask for the same things in the same words.
 */
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
} from "../schemas/application";
import { radioGroup, selectInput, textArea, textInput, type FieldContext } from "./form";
import { html, type Html } from "./html";

export const options = <T extends string>(values: readonly T[], labels: Record<T, string>) => values.map((v) => ({ value: v, label: labels[v] }));

/** The applicant, how to reach them, what they ask for and how they want it. */
export function applicationFieldsets(ctx: FieldContext, o: { personal: boolean }): Html {
  // the applicant's own browser may fill in their details; an officer's must not fill in theirs
  const auto = (what: string) => (o.personal ? what : "off");
  return html`<fieldset>
<legend>申请人信息</legend>
${radioGroup(ctx, { name: "applicantType", label: L.applicantType, required: true, options: options(applicantTypes, applicantTypeLabels) })}
${textInput(ctx, { name: "name", label: L.name, required: true, hint: "自然人填写姓名；法人或其他组织填写单位全称", autocomplete: auto("name"), maxLength: M.name })}

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
${textInput(ctx, { name: "legalRepresentative", label: L.legalRepresentative, required: true, conditional: true, hint: "法定代表人或者主要负责人姓名", autocomplete: "off", maxLength: M.legalRepresentative })}
${textInput(ctx, { name: "contactPerson", label: L.contactPerson, required: o.personal, conditional: true, hint: "办理本申请时与本机关联系的人员", autocomplete: "off", maxLength: M.contactPerson })}
</fieldset>
</fieldset>

<fieldset>
<legend>联系方式</legend>
${textInput(ctx, { name: "phone", label: L.phone, required: true, type: "tel", hint: "手机号码，或带区号的固定电话，如 0576-84123456", autocomplete: auto("tel"), inputMode: "tel", maxLength: M.phone })}
${textInput(ctx, { name: "email", label: L.email, type: "email", hint: "选择以电子邮件提供或获取信息时必填", autocomplete: auto("email"), maxLength: M.email })}
${textInput(ctx, { name: "address", label: L.address, required: true, autocomplete: auto("street-address"), maxLength: M.address })}
${textInput(ctx, { name: "postalCode", label: L.postalCode, required: true, autocomplete: auto("postal-code"), inputMode: "numeric", maxLength: M.postalCode })}
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
</fieldset>`;
}
