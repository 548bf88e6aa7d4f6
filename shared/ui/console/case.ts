/**
 * The case page of the console. Personal data is masked unless the viewer's roles handle
 * it (`showPersonalData`, decided by the caller), as SPEC §6 asks for lists and views.
 */
import { maskAddress, maskEmail, maskIdNumber, maskName, maskPhone } from "../../domain/identity";
import { caseStatusLabel, stepLabel } from "../../domain/labels";
import {
  applicantTypeLabels,
  applicationFieldLabels as L,
  deliveryFormLabels,
  deliveryWayLabels,
  idTypeLabels,
  organizationKindLabels,
} from "../../schemas/application";
import type { StaffCaseView } from "../../app/view-case";
import type { OutcomeField } from "../../domain/workflows";
import type { FieldError } from "../../schemas/errors";
import { errorSummary, fieldContext, hiddenInput, selectInput, textArea, textInput } from "../form";
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
  /** the caller already masked the applicant's data (then it is shown as given, with the note) */
  personalDataMasked?: boolean;
  /** errors of a task form that was just posted, listed at the top */
  errors?: FieldError[];
  /** id prefix of the posted form's fields, so the summary links land on them */
  errorIdPrefix?: string;
  /** forms to complete the open tasks, rendered by the caller */
  actions?: Html;
  flash?: string;
}

const lookup = (labels: Record<string, string>, key: string | undefined) => (key === undefined ? "" : (labels[key] ?? key));

function row(label: string, value: string | Html | undefined): Html | "" {
  if (value === undefined || value === "") return "";
  return html`<dt>${label}</dt><dd>${value}</dd>`;
}

function applicantSection(a: CaseApplicantView, show: boolean, alreadyMasked: boolean): Html {
  const isPerson = a.applicantType === "natural_person";
  const keep = (value: string | undefined, mask: (v: string) => string) =>
    value === undefined ? undefined : show || alreadyMasked ? value : mask(value);
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
${errorSummary(o.errors ?? [], "无法完成办理，请按提示修改", o.errorIdPrefix)}
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
${c.applicant ? applicantSection(c.applicant, o.showPersonalData, o.personalDataMasked === true) : ""}
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
  return renderConsolePage({ title, main, user: o.user, csrfToken: o.csrfToken, current: "inbox", hasErrors: (o.errors ?? []).length > 0 });
}

// ---------------------------------------------------------------------------
// Adapter for the console route: the use case's StaffCaseView → the page

export interface CaseTaskForm {
  taskId: string;
  title: string;
  step: string;
  role: string;
  dueAt: string;
  dueIsProvisional: boolean;
  overdue: boolean;
  escalatedTo?: string[];
  allowedOutcomes: Array<{ outcome: string; label: string; fields: OutcomeField[] }>;
}

/** Element-id prefix of one outcome form's fields (unique on the page). */
export function taskFieldPrefix(taskId: string, outcome: string): string {
  return `t-${taskId}-${outcome}-`;
}

/**
 * One form per allowed outcome, so the page works without JavaScript: each carries its
 * own fields and a button named after the outcome. A re-rendered form (after an error)
 * is the one whose hidden `taskId` and `outcome` match the posted values.
 */
export function renderTaskForms(o: {
  tasks: CaseTaskForm[];
  csrfToken: string | undefined;
  errors?: FieldError[];
  values?: Record<string, string>;
}): Html | "" {
  if (o.tasks.length === 0) return "";
  return html`${o.tasks.map((t) => {
    const heading = html`<h3>${t.title}</h3>
<p>环节：${stepLabel(t.step)}；办理角色：${roleLabel(t.role)}；期限：<time datetime="${t.dueAt}">${formatShanghaiTime(t.dueAt)}</time>${
      t.dueIsProvisional ? html`<span class="tag provisional">暂定</span>` : ""
    }${t.overdue ? html`<span class="tag overdue">已逾期</span>` : ""}</p>`;
    const forms = t.allowedOutcomes.map((outcome) => {
      const posted = o.values?.outcome === outcome.outcome && (o.values.taskId === undefined || o.values.taskId === t.taskId);
      const ctx = fieldContext(posted ? o.values : {}, posted ? (o.errors ?? []).filter((e) => e.path !== "") : [], taskFieldPrefix(t.taskId, outcome.outcome));
      return html`<form method="post" action="/console/tasks/${encodeURIComponent(t.taskId)}/complete" class="outcome" accept-charset="UTF-8" novalidate>
<fieldset>
<legend>${outcome.label}</legend>
${hiddenInput("csrfToken", o.csrfToken)}${hiddenInput("taskId", t.taskId)}${hiddenInput("outcome", outcome.outcome)}
${outcome.fields.map((f) =>
  f.type === "choice"
    ? selectInput(ctx, { name: f.name, label: f.label, required: f.required, options: f.choices ?? [] })
    : f.type === "date"
      ? textInput(ctx, { name: f.name, label: f.label, required: f.required, type: "date", hint: "格式：YYYY-MM-DD" })
      : (f.maxLength ?? 0) > 200
        ? textArea(ctx, { name: f.name, label: f.label, required: f.required, ...(f.maxLength ? { maxLength: f.maxLength } : {}) })
        : textInput(ctx, { name: f.name, label: f.label, required: f.required, ...(f.maxLength ? { maxLength: f.maxLength } : {}) }),
)}
<p><button type="submit">${outcome.label}</button></p>
</fieldset>
</form>`;
    });
    return html`<section class="task" id="task-${t.taskId}">${heading}${forms}</section>`;
  })}`;
}

export interface CasePageFromViewInput {
  user: ConsoleUser & { csrfToken?: string };
  view: StaffCaseView;
  csrfToken?: string;
  /** a short confirmation at the top, e.g. 已办理 */
  notice?: string | undefined;
  errors?: FieldError[];
  values?: Record<string, string>;
}

/** The case page from the staff use case's view; forms only for tasks the user's roles may act on. */
export function renderCasePage(o: CasePageFromViewInput): string {
  const v = o.view;
  const a = v.case.application as Partial<Record<string, string>> & { applicantType: string };
  const csrfToken = o.csrfToken ?? o.user.csrfToken ?? "";
  const mine = v.tasks.filter((t) => t.status === "open" && o.user.roles.some((r) => r === t.role || t.escalatedTo.includes(r)));
  const optional = <K extends string>(key: K, value: string | undefined) => (value === undefined ? {} : { [key]: value });
  const applicant: CaseApplicantView = {
    applicantType: a.applicantType,
    name: a.name ?? "",
    phone: a.phone ?? "",
    address: a.address ?? "",
    postalCode: a.postalCode ?? "",
    ...optional("idType", a.idType),
    ...optional("idNumber", a.idNumber),
    ...optional("organizationKind", a.organizationKind),
    ...optional("creditCode", a.creditCode),
    ...optional("legalRepresentative", a.legalRepresentative),
    ...optional("email", a.email),
  };
  const request: CaseRequestView = {
    description: a.description ?? "",
    deliveryForm: a.deliveryForm ?? "",
    deliveryWay: a.deliveryWay ?? "",
    ...optional("documentTitle", a.documentTitle),
    ...optional("documentNumber", a.documentNumber),
    ...optional("purpose", a.purpose),
  };
  const actions = renderTaskForms({ tasks: mine, csrfToken, errors: o.errors ?? [], values: o.values ?? {} });
  return renderCase({
    user: o.user,
    csrfToken,
    showPersonalData: v.showPersonalData,
    personalDataMasked: !v.showPersonalData,
    errors: o.errors ?? [],
    ...(o.values?.taskId && o.values.outcome ? { errorIdPrefix: taskFieldPrefix(o.values.taskId, o.values.outcome) } : {}),
    ...(o.notice ? { flash: o.notice } : {}),
    ...(actions ? { actions } : {}),
    caseView: {
      caseId: v.case.caseId,
      trackingNumber: v.case.trackingNumber,
      status: v.case.status,
      receivedOn: v.case.receivedOn ?? null,
      applicant,
      request,
      deadlines: v.deadlines.map((d) => ({ label: d.label, dueOn: d.dueOn, provisional: d.provisional, paused: d.paused, explanation: d.explanation })),
      timeline: v.timeline.map((e) => ({
        at: e.at,
        description: e.summary,
        ...(e.actor.displayName || e.actor.username ? { actor: e.actor.displayName ?? e.actor.username ?? "" } : {}),
        ...(e.actor.role ? { role: e.actor.role } : {}),
      })),
      letters: v.letters.map((l) => ({ title: l.title, issuedOn: l.issuedAt.slice(0, 10) })),
    },
  });
}
