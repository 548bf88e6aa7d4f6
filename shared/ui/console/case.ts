/**
 * The case page of the console. Personal data is masked unless the viewer's roles handle
 * it (`showPersonalData`, decided by the caller), as SPEC §6 asks for lists and views.
 */
import { maskAddress, maskEmail, maskIdNumber, maskName, maskPhone } from "../../domain/identity";
import { caseStatusLabel } from "../../domain/labels";
import {
  applicantTypeLabels,
  applicationFieldLabels as L,
  deliveryFormLabels,
  deliveryWayLabels,
  idTypeLabels,
  organizationKindLabels,
} from "../../schemas/application";
import type { Html } from "../html";
import { formatShanghaiTime, html, safeHref } from "../html";
import { roleLabel } from "../../domain/roles";
import type { ConsoleUser } from "./layout";
import { renderConsolePage } from "./layout";

export interface CaseApplicantView {
  applicantType: string;
  name: string;
  idType?: string;
  idNumber?: string;
  organizationKind?: string;
  creditCode?: string;
  legalRepresentative?: string;
  phone: string;
  email?: string;
  address: string;
  postalCode: string;
}

export interface CaseRequestView {
  description: string;
  documentTitle?: string;
  documentNumber?: string;
  purpose?: string;
  deliveryForm: string;
  deliveryWay: string;
}

export interface CaseDeadlineView {
  /** e.g. 答复期限, 受理登记 */
  label: string;
  dueOn: string;
  provisional: boolean;
  paused?: boolean;
  /** zh-CN lines explaining how the date was worked out */
  explanation: string[];
}

export interface CaseView {
  caseId: string;
  trackingNumber?: string;
  title?: string;
  status: string;
  agencyName?: string;
  receivedOn?: string | null;
  applicant?: CaseApplicantView;
  request?: CaseRequestView;
  deadlines: CaseDeadlineView[];
  timeline: Array<{ at: string; description: string; actor?: string; role?: string }>;
  letters: Array<{ title: string; issuedOn: string; url?: string }>;
}

export interface CasePageInput {
  user: ConsoleUser;
  csrfToken: string;
  caseView: CaseView;
  /** true only for roles that handle applicants' personal data */
  showPersonalData: boolean;
  /** forms to complete the open tasks, rendered by the caller */
  actions?: Html;
  flash?: string;
}

const lookup = (labels: Record<string, string>, key: string | undefined) => (key === undefined ? "" : (labels[key] ?? key));

function row(label: string, value: string | Html | undefined): Html | "" {
  if (value === undefined || value === "") return "";
  return html`<dt>${label}</dt><dd>${value}</dd>`;
}

function applicantSection(a: CaseApplicantView, show: boolean): Html {
  const isPerson = a.applicantType === "natural_person";
  const keep = (value: string | undefined, mask: (v: string) => string) => (value === undefined ? undefined : show ? value : mask(value));
  return html`<h2>申请人</h2>
${show ? "" : html`<p class="note">个人信息已脱敏显示。</p>`}
<dl class="summary">
${row(L.applicantType, lookup(applicantTypeLabels, a.applicantType))}
${row(isPerson ? L.name : "名称", isPerson ? keep(a.name, maskName) : a.name)}
${isPerson ? row(L.idType, lookup(idTypeLabels, a.idType)) : row(L.organizationKind, lookup(organizationKindLabels, a.organizationKind))}
${isPerson ? row(L.idNumber, keep(a.idNumber, maskIdNumber)) : row(L.creditCode, a.creditCode)}
${isPerson ? "" : row(L.legalRepresentative, keep(a.legalRepresentative, maskName))}
${row(L.phone, keep(a.phone, maskPhone))}
${row(L.email, keep(a.email, maskEmail))}
${row(L.address, keep(a.address, maskAddress))}
${row(L.postalCode, a.postalCode)}
</dl>`;
}

function requestSection(r: CaseRequestView): Html {
  return html`<h2>申请内容</h2>
<dl class="summary">
${row(L.description, r.description)}
${row(L.documentTitle, r.documentTitle)}
${row(L.documentNumber, r.documentNumber)}
${row(L.purpose, r.purpose)}
${row(L.deliveryForm, lookup(deliveryFormLabels, r.deliveryForm))}
${row(L.deliveryWay, lookup(deliveryWayLabels, r.deliveryWay))}
</dl>`;
}

export function renderCase(o: CasePageInput): string {
  const c = o.caseView;
  const title = c.title ?? (c.trackingNumber ? `申请 ${c.trackingNumber}` : `案件 ${c.caseId}`);
  const main = html`<p><a href="/console">← 返回待办任务</a></p>
<h1>${title}</h1>
${o.flash ? html`<p class="panel" role="status">${o.flash}</p>` : ""}
<dl class="summary">
${row("申请编号", c.trackingNumber)}
${row("受理机关", c.agencyName)}
<dt>办理状态</dt><dd id="case-status">${caseStatusLabel(c.status)}</dd>
${row("收到申请日期", c.receivedOn ?? "待确认")}
</dl>
${o.actions ? html`<h2>办理</h2>${o.actions}` : ""}
<h2>期限</h2>
${
  c.deadlines.length === 0
    ? html`<p>暂无期限。</p>`
    : c.deadlines.map(
        (d) => html`<section class="deadline">
<p><strong>${d.label}：</strong>${d.dueOn}${d.provisional ? html`<span class="tag provisional">暂定</span>` : ""}${d.paused ? html`<span class="tag">暂停计算</span>` : ""}</p>
${d.explanation.length ? html`<details><summary>计算说明</summary><ul>${d.explanation.map((line) => html`<li>${line}</li>`)}</ul></details>` : ""}
</section>`,
      )
}
${c.applicant ? applicantSection(c.applicant, o.showPersonalData) : ""}
${c.request ? requestSection(c.request) : ""}
<h2>办理过程</h2>
${
  c.timeline.length === 0
    ? html`<p>暂无记录。</p>`
    : html`<ol class="timeline">${c.timeline.map(
        (e) =>
          html`<li><time datetime="${e.at}">${formatShanghaiTime(e.at)}</time> ${e.description}${
            e.actor ? html`（${e.actor}${e.role ? html`，${roleLabel(e.role)}` : ""}）` : ""
          }</li>`,
      )}</ol>`
}
<h2>文书</h2>
${
  c.letters.length === 0
    ? html`<p>暂无。</p>`
    : html`<ul>${c.letters.map((l) => html`<li>${l.url ? html`<a href="${safeHref(l.url)}">${l.title}</a>` : l.title}（${l.issuedOn}）</li>`)}</ul>`
}`;
  return renderConsolePage({ title, main, user: o.user, csrfToken: o.csrfToken, current: "inbox" });
}
