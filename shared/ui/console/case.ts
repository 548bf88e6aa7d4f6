/**
 * The case page of the console: status, what the viewer may do now (one form per
 * outcome, from the workflow definition), every deadline with its explanation, the
 * application, what handling decided (correction, consultations, secrecy review,
 * extension, proposal, result), the timeline and the letters. Personal data is shown as
 * the use case gives it: masked unless the viewer's roles handle it (SPEC §6).
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
import type { StaffCaseView } from "../../app/views/case";
import type { TaskView } from "../../app/views/tasks";
import type { OutcomeField } from "../../domain/workflows";
import type { ApplicationData } from "../../domain/workflows/application/data";
import { channelLabels } from "../../domain/workflows/application/data";
import { groundLabels, replyTypeLabels } from "../../domain/workflows/application/labels";
import type { FieldError } from "../../schemas/errors";
import { fieldContext, hiddenInput } from "../form";
import type { Html } from "../html";
import { html, safeHref } from "../html";
import { roleLabel } from "../../domain/roles";
import { shanghaiDate } from "../../domain/calendar";
import { feeMethodLabels } from "../../domain/fees";
import { EXCESSIVE_APPLICATIONS_PER_MONTH, monthOf, signalLines, type SignalFlag } from "../../domain/signals";
import type { ConsoleUser } from "./layout";
import { renderConsolePage } from "./layout";
import { preparedOutcomes, publishingTaskDefaults, workflowSections, type WorkflowSections } from "./publishing";
import {
  atRiskTag,
  beijingTime,
  civilDate,
  daysLeft,
  errorSummaryFor,
  fieldErrorsOnly,
  outcomeFieldInput,
  overdueTag,
  pausedTag,
  provisionalTag,
  row,
  stepOf,
  superviseTag,
  workflowOf,
} from "./parts";

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
  /** e.g. 法定答复期限 */
  label: string;
  dueOn: string;
  provisional: boolean;
  paused?: boolean;
  stopped?: boolean;
  stoppedReason?: string;
  /** working days from today to the due day while it runs (0: today, negative: overdue) */
  workingDaysLeft?: number | null;
  overdue?: boolean;
  /** zh-CN lines explaining how the date was worked out */
  explanation: string[];
}

export interface CaseLetterView {
  title: string;
  issuedOn: string;
  /** the letter to read in the browser */
  url?: string;
  /** the Word file */
  docxUrl?: string;
  number?: string;
  recipient?: string;
}

export interface CaseView {
  caseId: string;
  trackingNumber?: string;
  title?: string;
  /** status code; shown through `statusLabel` when given */
  status: string;
  statusLabel?: string;
  agencyName?: string;
  receivedOn?: string | null;
  /** more rows of the summary at the top (channel, answer deadline, result…) */
  facts?: Array<{ label: string; value: Html | string }>;
  applicant?: CaseApplicantView;
  request?: CaseRequestView;
  deadlines: CaseDeadlineView[];
  /** sections after the application (attachments, correction, consultations…), rendered by the caller */
  sections?: Html[];
  /** sections between the summary and the task forms (what a reviewer reads before deciding: an item's text and findings) */
  leadSections?: Html[];
  /** label of the reference row (default 申请编号) */
  referenceLabel?: string;
  /** the 收到申请日期 row (default shown): applications only */
  showReceivedOn?: boolean;
  /** leave out the deadlines and letters sections when they are empty (workflows other than applications) */
  omitEmpty?: boolean;
  timeline: Array<{ at: string; description: string; actor?: string; role?: string }>;
  letters: CaseLetterView[];
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
  /** names of the posted form's fields: only these errors become links */
  errorFields?: readonly string[];
  /** forms to complete the open tasks, rendered by the caller */
  actions?: Html;
  flash?: string | Html;
  /** the audit chain does not verify */
  auditWarning?: boolean;
}

const lookup = (labels: Record<string, string>, key: string | undefined) => (key === undefined ? "" : Object.hasOwn(labels, key) ? labels[key]! : key);

function applicantSection(a: CaseApplicantView, show: boolean, alreadyMasked: boolean): Html {
  const isPerson = a.applicantType === "natural_person";
  const keep = (value: string | undefined, mask: (v: string) => string) => (value === undefined ? undefined : show || alreadyMasked ? value : mask(value));
  return html`<h2 id="applicant">申请人</h2>
${show ? "" : html`<p class="note">个人信息已脱敏显示（法人或其他组织的名称不属于个人信息，照常显示）。</p>`}
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
  return html`<h2 id="request">申请内容</h2>
<dl class="summary">
${row(L.description, r.description)}
${row(L.documentTitle, r.documentTitle)}
${row(L.documentNumber, r.documentNumber)}
${row(L.purpose, r.purpose)}
${row(L.deliveryForm, lookup(deliveryFormLabels, r.deliveryForm))}
${row(L.deliveryWay, lookup(deliveryWayLabels, r.deliveryWay))}
</dl>`;
}

function deadlineSection(deadlines: CaseDeadlineView[]): Html {
  return html`<h2 id="deadlines">期限</h2>
${
  deadlines.length === 0
    ? html`<p>暂无期限（受理登记后开始计算法定答复期限）。</p>`
    : deadlines.map(
        (d) => html`<section class="deadline">
<p><strong>${d.label}：</strong>${civilDate(d.dueOn)}${d.provisional ? provisionalTag : ""}${d.paused ? pausedTag : ""}${
          d.stopped ? html`<span class="tag stopped">已停止计算</span>` : ""
        }${d.overdue ? overdueTag : ""} ${d.stopped || d.paused ? "" : daysLeft(d.workingDaysLeft, d.overdue ?? false)}${
          d.stopped && d.stoppedReason ? html`<br><span class="hint">停止原因：${d.stoppedReason}</span>` : ""
        }</p>
${d.explanation.length ? html`<details><summary>计算说明：${d.label}</summary><ul>${d.explanation.map((line) => html`<li>${line}</li>`)}</ul></details>` : ""}
</section>`,
      )
}`;
}

function timelineSection(timeline: CaseView["timeline"]): Html {
  return html`<h2 id="timeline">办理过程</h2>
${
  timeline.length === 0
    ? html`<p>暂无记录。</p>`
    : html`<ol class="timeline">${timeline.map((e) => {
        const who = [e.actor, e.role ? roleLabel(e.role) : ""].filter(Boolean);
        return html`<li>${beijingTime(e.at)} ${e.description}${who.length ? html`（${who.join("，")}）` : ""}</li>`;
      })}</ol>`
}`;
}

function lettersSection(letters: CaseLetterView[]): Html {
  return html`<h2 id="letters">文书</h2>
${
  letters.length === 0
    ? html`<p>暂无。</p>`
    : html`<ul class="letters">${letters.map(
        (l) =>
          html`<li>${l.url ? html`<a href="${safeHref(l.url)}">${l.title}</a>` : l.title}（${[l.number, l.issuedOn, l.recipient ? `致${l.recipient}` : ""].filter(Boolean).join("，")}）${
            l.docxUrl ? html` · <a href="${safeHref(l.docxUrl)}">下载 Word 文档<span class="vh">：${l.title}</span></a>` : ""
          }</li>`,
      )}</ul>`
}`;
}

/** The page from a ready case model; `renderCasePage` builds that model from the staff use case's view. */
export function renderCase(o: CasePageInput): string {
  const c = o.caseView;
  const title = c.title ?? (c.trackingNumber ? `申请 ${c.trackingNumber}` : `案件 ${c.caseId}`);
  const errors = o.errors ?? [];
  const main = html`<p><a href="/console/inbox">← 返回待办任务</a> · <a href="/console/cases">案件查询</a></p>
<h1>${title}</h1>
${errorSummaryFor(errors, { title: "无法完成办理，请按提示修改", idPrefix: o.errorIdPrefix ?? "f-", fields: o.errorFields ?? errors.map((e) => e.path) })}
${o.flash ? html`<div class="notice" role="status">${o.flash}</div>` : ""}
${o.auditWarning ? html`<p class="error-summary" role="alert">本案审计记录校验未通过，可能被篡改，请立即报告系统管理员。</p>` : ""}
<dl class="summary">
${row(c.referenceLabel ?? "申请编号", c.trackingNumber)}
${row("受理机关", c.agencyName)}
<dt>办理状态</dt><dd id="case-status">${c.statusLabel ?? caseStatusLabel(c.status)}</dd>
${c.showReceivedOn === false ? "" : row("收到申请日期", c.receivedOn ?? "待确认")}
${(c.facts ?? []).map((f) => row(f.label, f.value))}
</dl>
${c.leadSections ?? []}
${o.actions ? html`<h2 id="actions">办理</h2>${o.actions}` : ""}
${c.omitEmpty && c.deadlines.length === 0 ? "" : deadlineSection(c.deadlines)}
${c.applicant ? applicantSection(c.applicant, o.showPersonalData, o.personalDataMasked === true) : ""}
${c.request ? requestSection(c.request) : ""}
${c.sections ?? []}
${timelineSection(c.timeline)}
${c.omitEmpty && c.letters.length === 0 ? "" : lettersSection(c.letters)}`;
  return renderConsolePage({ title, main, user: o.user, csrfToken: o.csrfToken, current: "cases", hasErrors: errors.length > 0 });
}

// ---------------------------------------------------------------------------
// Task forms: exactly the outcomes the viewer may take now

export type CaseTaskForm = Pick<TaskView, "taskId" | "title" | "step" | "role" | "dueAt" | "dueIsProvisional" | "overdue" | "allowedOutcomes"> &
  Partial<Pick<TaskView, "workflow" | "atRisk" | "workingDaysLeft" | "supervising" | "instructions" | "note" | "escalatedTo" | "unavailableOutcomes">>;

/** Element-id prefix of one outcome form's fields (unique on the page). */
export function taskFieldPrefix(taskId: string, outcome: string): string {
  return `t-${taskId}-${outcome}-`;
}

/** Values a form starts with, and a line saying so (e.g. the register form's receipt date). */
export type FieldDefaults = (task: CaseTaskForm, outcome: string) => { values: Record<string, string>; hints: Record<string, string> } | undefined;

function superviseBanner(t: CaseTaskForm): Html {
  return html`<div class="banner" role="note" aria-labelledby="supervise-${t.taskId}">
<h4 id="supervise-${t.taskId}">督办</h4>
<p>此待办已逾期，提请您督办：请督促${roleLabel(t.role)}尽快办理，或由您直接办理。</p>
${t.instructions ? html`<p><strong>本环节要求：</strong>${t.instructions}</p>` : ""}
</div>`;
}

/**
 * One form per allowed outcome, so the page works without JavaScript: each carries its
 * own fields and a button named after the outcome. A re-rendered form (after an error)
 * is the one whose hidden `taskId` and `outcome` match the posted values. Outcomes not
 * available now are listed with their reason, never as a form.
 */
export function renderTaskForms(o: {
  tasks: CaseTaskForm[];
  csrfToken: string | undefined;
  errors?: FieldError[];
  values?: Record<string, string>;
  defaults?: FieldDefaults;
  /** hints added to fields whether or not the form was just posted (e.g. how a list must be typed) */
  hints?: (task: CaseTaskForm, outcome: string) => Record<string, string> | undefined;
}): Html | "" {
  if (o.tasks.length === 0) return "";
  return html`${o.tasks.map((t) => {
    const unavailable = t.unavailableOutcomes ?? [];
    const heading = html`<h3 id="task-${t.taskId}-title">${t.title}${t.supervising ? superviseTag : ""}</h3>
<p>办理角色：${roleLabel(t.role)}；办理期限：${beijingTime(t.dueAt)}${t.dueIsProvisional ? provisionalTag : ""} ${daysLeft(t.workingDaysLeft, t.overdue, t.atRisk)}${
      t.overdue ? overdueTag : t.atRisk ? atRiskTag : ""
    }</p>
${t.supervising ? superviseBanner(t) : t.instructions ? html`<p class="hint">办理要求：${t.instructions}</p>` : ""}
${t.note ? html`<p class="task-note"><strong>说明：</strong>${t.note}</p>` : ""}`;
    const index =
      t.allowedOutcomes.length > 2
        ? html`<p class="actions-index">可选办理结果：${t.allowedOutcomes.map(
            (outcome, i) => html`${i ? "、" : ""}<a href="#form-${t.taskId}-${outcome.outcome}">${outcome.label}</a>`,
          )}</p>`
        : "";
    const forms = t.allowedOutcomes.map((outcome) => {
      const posted = o.values?.outcome === outcome.outcome && (o.values.taskId === undefined || o.values.taskId === t.taskId);
      const names = outcome.fields.map((f) => f.name);
      const start = posted ? undefined : o.defaults?.(t, outcome.outcome);
      const always = o.hints?.(t, outcome.outcome);
      const hintOf = (name: string) => [start?.hints[name], always?.[name]].filter(Boolean).join(" ") || undefined;
      const ctx = fieldContext(posted ? o.values : (start?.values ?? {}), posted ? fieldErrorsOnly(o.errors ?? [], names) : [], taskFieldPrefix(t.taskId, outcome.outcome));
      return html`<form method="post" action="/console/tasks/${encodeURIComponent(t.taskId)}/complete" class="outcome" id="form-${t.taskId}-${outcome.outcome}" accept-charset="UTF-8" novalidate>
<fieldset>
<legend>${outcome.label}</legend>
${hiddenInput("csrfToken", o.csrfToken)}${hiddenInput("taskId", t.taskId)}${hiddenInput("outcome", outcome.outcome)}
${outcome.fields.map((f: OutcomeField) => outcomeFieldInput(ctx, f, outcome.fields, hintOf(f.name)))}
<p><button type="submit">${outcome.label}</button></p>
</fieldset>
</form>`;
    });
    const notNow = unavailable.length
      ? html`<h4>暂不能选择的办理结果</h4>
<ul class="unavailable">${unavailable.map(
          (u) =>
            html`<li><button type="button" disabled aria-describedby="why-${t.taskId}-${u.outcome}">${u.label}</button><span id="why-${t.taskId}-${u.outcome}">${u.reason}</span></li>`,
        )}</ul>`
      : "";
    const nothing = t.allowedOutcomes.length === 0 && unavailable.length === 0 ? html`<p>此环节目前没有可由您选择的办理结果。</p>` : "";
    return html`<section class="task" id="task-${t.taskId}" aria-labelledby="task-${t.taskId}-title">${heading}${index}${forms}${notNow}${nothing}</section>`;
  })}`;
}

// ---------------------------------------------------------------------------
// Adapter for the console route: the use case's StaffCaseView → the page

export interface CasePageFromViewInput {
  user: ConsoleUser & { csrfToken?: string };
  view: StaffCaseView;
  csrfToken?: string;
  /** a short confirmation at the top, e.g. 已办理 */
  notice?: string | Html | undefined;
  errors?: FieldError[];
  values?: Record<string, string>;
  /** today in Beijing (the register form's receipt date starts with it); defaults to the system clock */
  today?: string;
}

type AppData = Partial<ApplicationData> & Record<string, unknown>;

const secrecyDecisionLabels: Record<string, string> = {
  cleared: "审查通过，可以公开",
  withhold: "涉密或不宜公开",
  referred: "已提交保密工作部门审查，等待答复",
  outside_answered: "已收到保密工作部门答复",
};
const outsideDecisionLabels: Record<string, string> = { disclose: "可以公开", partly: "部分公开（区分处理）", withhold: "不予公开" };
const opinionLabels: Record<string, string> = { agree: "同意公开", object: "不同意公开" };
const taskStatusLabels: Record<string, string> = { open: "待办", done: "已办结", cancelled: "已取消" };

function flagLabel(workflow: string, flag: string): string {
  if (flag === "overdue") return "有待办逾期";
  if (flag === "correction_notice_late") return "补正告知超过法定期限";
  const m = /^(.+)_overdue$/.exec(flag);
  if (m) {
    const definition = workflowOf(workflow);
    const d = definition && Object.hasOwn(definition.deadlines, m[1]!) ? definition.deadlines[m[1]!] : undefined;
    return `${d?.label ?? m[1]}已逾期`;
  }
  return flag;
}

function outcomeLabel(workflow: string, step: string, outcome: string | undefined): string {
  if (!outcome) return "";
  return stepOf(workflow, step)?.outcomes.find((x) => x.outcome === outcome)?.label ?? outcome;
}

function kb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function attachmentsSection(d: AppData): Html | "" {
  const files = d.attachments ?? [];
  return html`<h2 id="attachments">附件</h2>
${
  files.length === 0
    ? html`<p>无附件。</p>`
    : html`<ul>${files.map((f) => html`<li>${f.name}（${f.contentType === "application/pdf" ? "PDF" : f.contentType.replace("image/", "").toUpperCase()}，${kb(f.bytes)}）</li>`)}</ul>`
}`;
}

function correctionSection(d: AppData): Html | "" {
  const c = d.correction;
  if (!c) return "";
  return html`<h2 id="correction">补正</h2>
<dl class="summary">
<dt>需要补正的事项</dt><dd><ol>${c.items.map((item) => html`<li>${item}</li>`)}</ol></dd>
${row("补正期限", `${c.workingDays} 个工作日`)}
${row("提出补正意见", civilDate(c.proposedOn))}
${row("告知书发出", civilDate(c.requestedOn))}
${row("申请人补正截止", civilDate(c.dueOn))}
${row("收到补正", c.receivedOn ? html`${civilDate(c.receivedOn)}（${c.via === "online" ? "申请人在线补正" : "书面补正"}）` : "尚未收到")}
${row("补正的项目", c.changed?.length ? c.changed.map((f) => lookup(L as Record<string, string>, f)).join("、") : "")}
${row("补正内容摘要", c.note)}
</dl>`;
}

function consultationsSection(d: AppData): Html | "" {
  const list = d.consultations ?? [];
  if (list.length === 0) return "";
  return html`<h2 id="consultations">征求意见</h2>
<table class="cards">
<caption>征求第三方和其他机关意见（等待答复期间不计入答复期限）</caption>
<thead><tr><th scope="col">对象</th><th scope="col">征求事项</th><th scope="col">发函日期</th><th scope="col">答复期限</th><th scope="col">答复</th></tr></thead>
<tbody>
${list.map(
  (c) => html`<tr>
<td data-label="对象">${c.kind === "third_party" ? "第三方" : "其他机关"}：${c.party}${c.contact ? html`<br><span class="hint">联系方式：${c.contact}</span>` : ""}</td>
<td data-label="征求事项">${c.matters}</td>
<td data-label="发函日期">${civilDate(c.askedOn)}</td>
<td data-label="答复期限">${civilDate(c.replyDueOn)}</td>
<td data-label="答复">${
    c.answeredOn
      ? c.silent
        ? html`逾期未答复（${civilDate(c.answeredOn)}登记）${c.kind === "agency" ? "，视为同意公开" : "，由本机关依法决定"}`
        : html`${civilDate(c.answeredOn)}：${c.opinion ? lookup(opinionLabels, c.opinion) : ""}${c.summary ? html`。${c.summary}` : ""}`
      : "等待答复"
  }</td>
</tr>`,
)}
</tbody>
</table>`;
}

function secrecySection(d: AppData): Html | "" {
  const s = d.secrecy;
  if (!s) return "";
  return html`<h2 id="secrecy">保密审查</h2>
<dl class="summary">
${row("审查结论", lookup(secrecyDecisionLabels, s.decision))}
${row("日期", civilDate(s.on))}
${row("提交审查的部门", s.authority)}
${row("保密工作部门结论", s.outside ? lookup(outsideDecisionLabels, s.outside.decision) : "")}
${row("答复摘要", s.outside?.summary)}
${row("不宜公开的理由", s.reasons)}
${row("审查意见", s.note)}
</dl>`;
}

function extensionSection(d: AppData): Html | "" {
  const e = d.extension;
  const r = d.extensionRequest;
  if (!e && !r) return "";
  return html`<h2 id="extension">延期答复</h2>
<dl class="summary">
${e ? html`${row("延期", `延长 ${e.workingDays} 个工作日，经分管领导同意`)}${row("同意日期", civilDate(e.approvedOn))}${row("延期后答复期限", civilDate(e.newDueOn))}${row("延期理由", e.reason)}` : ""}
${r ? html`${row("待审批的延期申请", `延长 ${r.workingDays} 个工作日（${r.requestedOn} 提出）`)}${row("申请理由", r.reason)}` : ""}
</dl>`;
}

/** The processing fee: how it was computed (like a deadline's explanation), the notice, the payment or its lapse. */
function feeSection(d: AppData): Html | "" {
  const f = d.fee;
  if (!f) return "";
  const state = f.paid
    ? `已缴纳（${f.paid.paidOn}，票据号码 ${f.paid.receiptNumber}）`
    : f.unpaidOn
      ? "逾期未缴纳，视为放弃申请"
      : f.waivedOn
        ? "经分管领导同意免收"
        : f.noticeIssuedOn
          ? "已发出收费通知，等待缴纳"
          : "待分管领导审批";
  return html`<h2 id="fee">信息处理费</h2>
<dl class="summary">
${row("计收方式", lookup(feeMethodLabels, f.method))}
${row("应缴金额", `${f.amountYuan} 元${f.exemption ? `（按标准 ${f.standardYuan} 元，减免理由：${f.exemption.reason}）` : ""}`)}
${row("状态", state)}
${row("收费通知发出日期", f.noticeIssuedOn ? civilDate(f.noticeIssuedOn) : "")}
${row("缴纳期限", f.paymentDueOn ? civilDate(f.paymentDueOn) : "")}
${row("缴纳方式", f.howToPay)}
</dl>
<ol class="explanation">${f.explanation.map((l) => html`<li>${l}</li>`)}</ol>`;
}

function proposalSection(d: AppData): Html | "" {
  const p = d.proposal;
  if (!p) return "";
  return html`<h2 id="proposal">拟答复意见</h2>
<dl class="summary">
${row("答复类型", lookup(replyTypeLabels, p.replyType))}
${row("具体情形", p.ground ? lookup(groundLabels, p.ground) : "")}
${row("理由和依据", p.reasons)}
${row("不予公开的内容及理由（区分处理）", p.withheld)}
${row("获取该信息的方式和途径", p.where)}
${row("负责公开的机关", p.agencyName)}
${row("该机关的联系方式", p.agencyContact)}
${row("决定公开的公共利益理由", p.publicInterestReason)}
${row("提出日期", civilDate(p.proposedOn))}
</dl>`;
}

/** What the law asks the office to notice (art. 35, 36(6), 44), in the signals' own words. */
function signalsSection(d: AppData): Html | "" {
  const s = d.signals;
  if (!s) return "";
  const applicationsThisMonth = s.applicationsThisMonth ?? 1;
  const sameInformation = s.sameInformation ?? [];
  const possibleRepeatOf = s.possibleRepeatOf ?? [];
  const flags: SignalFlag[] = [
    ...(applicationsThisMonth > EXCESSIVE_APPLICATIONS_PER_MONTH ? (["excessive_requests"] as const) : []),
    ...(sameInformation.length ? (["same_information"] as const) : []),
    ...(possibleRepeatOf.length ? (["possible_repeat"] as const) : []),
  ];
  const lines = signalLines({ applicationsThisMonth, sameInformation, possibleRepeatOf, flags }, monthOf(d.submittedOn ?? ""));
  if (lines.length === 0) return "";
  return html`<h2 id="signals">提示</h2><div class="note" role="note">${lines.map((l) => html`<p>${l}</p>`)}</div>`;
}

function tasksHistorySection(tasks: TaskView[]): Html | "" {
  if (tasks.length === 0) return "";
  return html`<h2 id="tasks">办理环节</h2>
<table class="cards">
<caption>本案各环节待办（最新的在前）</caption>
<thead><tr><th scope="col">环节</th><th scope="col">办理角色</th><th scope="col">状态</th><th scope="col">期限</th><th scope="col">办理结果</th></tr></thead>
<tbody>
${tasks.map(
  (t) => html`<tr>
<td data-label="环节">${t.title}${t.round > 1 ? html`（第 ${t.round} 轮）` : ""}</td>
<td data-label="办理角色">${roleLabel(t.role)}${t.escalatedTo.length ? html`<br><span class="hint">已提请${t.escalatedTo.map(roleLabel).join("、")}督办</span>` : ""}</td>
<td data-label="状态">${lookup(taskStatusLabels, t.status)}${t.status === "open" && t.overdue ? overdueTag : ""}</td>
<td data-label="期限">${civilDate(t.dueOn)}${t.dueIsProvisional ? provisionalTag : ""}</td>
<td data-label="办理结果">${
    t.status === "done"
      ? html`${outcomeLabel(t.workflow, t.step, t.outcome)}${t.completedByName ? html`（${t.completedByName}` : ""}${t.completedAt ? html`${t.completedByName ? "，" : "（"}${beijingTime(t.completedAt)}）` : t.completedByName ? "）" : ""}`
      : t.status === "open"
        ? "—"
        : "已取消"
  }</td>
</tr>`,
)}
</tbody>
</table>`;
}

/** The receipt date of the register form starts with today (or the day the law fixes), said in its hint. */
function registerDefaults(d: AppData, today: string): FieldDefaults {
  return (task, outcome) => {
    if (task.step !== "register" || outcome !== "registered") return undefined;
    const fixed = d.channel === "in_person" ? (d.enteredReceivedOn ?? d.submittedOn) : d.channel === "registered_mail" ? d.signedForOn : undefined;
    if (fixed) {
      return {
        values: { receivedOn: fixed },
        hints: { receivedOn: `${lookup(channelLabels, d.channel)}以${d.channel === "in_person" ? "提交" : "签收"}之日（${fixed}）为收到申请之日，已预填，不能另行指定。` },
      };
    }
    return { values: { receivedOn: today }, hints: { receivedOn: `已预填今天（北京时间 ${today}）；与申请人确认收到申请的日期不是今天的，请改为确认之日。` } };
  };
}

/**
 * A task of a publishing workflow with the outcomes the app prepares (preparedOutcomes)
 * offered as forms: the view lists them as unavailable, the completion does their work.
 */
function withPreparedOutcomes(t: TaskView): TaskView {
  const moved = t.unavailableOutcomes.filter((u) => preparedOutcomes.has(`${t.workflow}/${t.step}/${u.outcome}`));
  if (moved.length === 0) return t;
  const step = stepOf(t.workflow, t.step);
  const offered = moved.flatMap((u) => {
    const def = step?.outcomes.find((x) => x.outcome === u.outcome);
    return def ? [{ outcome: def.outcome, label: def.label, fields: def.fields }] : [];
  });
  return { ...t, allowedOutcomes: [...t.allowedOutcomes, ...offered], unavailableOutcomes: t.unavailableOutcomes.filter((u) => !moved.includes(u)) };
}

/** The case page of a workflow other than an application: its own summary rows and sections, the same forms, timeline and task history. */
function renderWorkflowCasePage(o: CasePageFromViewInput, ws: WorkflowSections): string {
  const v = o.view;
  const d = v.case;
  const csrfToken = o.csrfToken ?? o.user.csrfToken ?? "";
  const mayAct = (t: TaskView) => o.user.roles.some((r) => r === t.role || t.escalatedTo.includes(r));
  const mine = v.tasks.filter((t) => t.status === "open" && mayAct(t)).map(withPreparedOutcomes);
  const othersOpen = v.tasks.filter((t) => t.status === "open" && !mayAct(t));
  const posted = o.values?.taskId && o.values.outcome ? mine.find((t) => t.taskId === o.values!.taskId) : undefined;
  const postedFields = posted?.allowedOutcomes.find((x) => x.outcome === o.values?.outcome)?.fields.map((f) => f.name) ?? [];
  const forms = renderTaskForms({
    tasks: mine,
    csrfToken,
    errors: o.errors ?? [],
    values: o.values ?? {},
    defaults: (t, outcome) => {
      const x = publishingTaskDefaults(d, t.step, outcome);
      return x ? { values: x.values, hints: {} } : undefined;
    },
    hints: (t, outcome) => publishingTaskDefaults(d, t.step, outcome)?.hints,
  });
  const waiting = othersOpen.length
    ? html`<p>${othersOpen.map(
        (t, i) => html`${i ? html`<br>` : ""}当前环节“${t.title}”由${roleLabel(t.role)}办理，期限 ${civilDate(t.dueOn)}${t.dueIsProvisional ? provisionalTag : ""}${t.overdue ? overdueTag : ""}。`,
      )}</p>`
    : "";
  const actions = forms || waiting ? html`${forms}${waiting}` : undefined;
  const facts = [
    ...ws.facts,
    ...(d.flags.length ? [{ label: "提示标记", value: html`${d.flags.map((f) => html`<span class="tag overdue">${flagLabel(d.workflow, f)}</span>`)}` }] : []),
  ];
  return renderCase({
    user: o.user,
    csrfToken,
    showPersonalData: v.showPersonalData,
    errors: o.errors ?? [],
    ...(posted ? { errorIdPrefix: taskFieldPrefix(posted.taskId, o.values!.outcome!), errorFields: postedFields } : { errorFields: [] }),
    ...(o.notice ? { flash: o.notice } : {}),
    ...(actions ? { actions } : {}),
    auditWarning: !v.auditTrailIntact,
    caseView: {
      caseId: d.caseId,
      trackingNumber: d.reference,
      title: ws.title,
      referenceLabel: "编号",
      showReceivedOn: false,
      omitEmpty: true,
      status: d.status,
      statusLabel: d.statusLabel,
      facts,
      leadSections: ws.lead,
      deadlines: v.deadlines.map((x) => ({
        label: x.label,
        dueOn: x.dueOn,
        provisional: x.provisional,
        paused: x.paused,
        stopped: x.stopped,
        ...(x.stoppedReason ? { stoppedReason: x.stoppedReason } : {}),
        workingDaysLeft: x.workingDaysLeft,
        overdue: x.overdue,
        explanation: x.explanation,
      })),
      sections: [...ws.sections, tasksHistorySection(v.tasks)].filter((s): s is Html => s !== ""),
      timeline: v.timeline.map((e) => {
        const actor = e.actor.kind === "applicant" ? "申请人" : e.actor.kind === "system" ? "系统" : e.actor.displayName;
        return { at: e.at, description: e.summary, ...(actor ? { actor } : {}), ...(e.actor.kind === "staff" && e.actor.role ? { role: e.actor.role } : {}) };
      }),
      letters: [],
    },
  });
}

/** The case page from the staff use case's view; forms only for tasks the user's roles may act on. */
export function renderCasePage(o: CasePageFromViewInput): string {
  const v = o.view;
  const ws = v.case.workflow === "application" ? undefined : workflowSections(v.case, o.user.roles);
  if (ws) return renderWorkflowCasePage(o, ws);
  const d = v.case as unknown as AppData & StaffCaseView["case"];
  const a = (d.application ?? undefined) as (Partial<Record<string, string>> & { applicantType?: string }) | undefined;
  const csrfToken = o.csrfToken ?? o.user.csrfToken ?? "";
  const today = o.today ?? shanghaiDate(new Date());
  const mayAct = (t: TaskView) => o.user.roles.some((r) => r === t.role || t.escalatedTo.includes(r));
  const mine = v.tasks.filter((t) => t.status === "open" && mayAct(t));
  const othersOpen = v.tasks.filter((t) => t.status === "open" && !mayAct(t));
  const optional = <K extends string>(key: K, value: string | undefined) => (value === undefined ? {} : { [key]: value });
  // an organisation's name is not personal data: the (masked) view masks it anyway, the task's party carries it as it is
  const organisationName = a?.applicantType === "organization" && !v.showPersonalData ? v.tasks.find((t) => t.applicantMasked)?.applicantMasked : undefined;
  const applicant: CaseApplicantView | undefined = a
    ? {
        applicantType: a.applicantType ?? "",
        name: organisationName ?? a.name ?? "",
        phone: a.phone ?? "",
        address: a.address ?? "",
        postalCode: a.postalCode ?? "",
        ...optional("idType", a.idType),
        ...optional("idNumber", a.idNumber),
        ...optional("organizationKind", a.organizationKind),
        ...optional("creditCode", a.creditCode),
        ...optional("legalRepresentative", a.legalRepresentative),
        ...optional("email", a.email),
      }
    : undefined;
  const request: CaseRequestView | undefined = a
    ? {
        description: a.description ?? "",
        deliveryForm: a.deliveryForm ?? "",
        deliveryWay: a.deliveryWay ?? "",
        ...optional("documentTitle", a.documentTitle),
        ...optional("documentNumber", a.documentNumber),
        ...optional("purpose", a.purpose),
      }
    : undefined;

  const posted = o.values?.taskId && o.values.outcome ? v.tasks.find((t) => t.taskId === o.values!.taskId) : undefined;
  const postedFields = posted?.allowedOutcomes.find((x) => x.outcome === o.values?.outcome)?.fields.map((f) => f.name) ?? [];
  const forms = renderTaskForms({ tasks: mine, csrfToken, errors: o.errors ?? [], values: o.values ?? {}, defaults: registerDefaults(d, today) });
  const waiting = othersOpen.length
    ? html`<p>${othersOpen.map(
        (t, i) => html`${i ? html`<br>` : ""}当前环节“${t.title}”由${roleLabel(t.role)}办理，期限 ${civilDate(t.dueOn)}${t.dueIsProvisional ? provisionalTag : ""}${t.overdue ? overdueTag : ""}。`,
      )}</p>`
    : "";
  const actions = forms || waiting ? html`${forms}${waiting}` : undefined;

  const result = d.result;
  const facts: Array<{ label: string; value: Html | string }> = [
    ...(d.channel ? [{ label: "收到方式", value: lookup(channelLabels, d.channel) }] : []),
    ...(d.submittedAt ? [{ label: d.channel === "online" ? "网上提交时间" : "录入时间", value: beijingTime(d.submittedAt) }] : []),
    ...(d.signedForOn ? [{ label: "挂号信签收日期", value: civilDate(d.signedForOn) }] : []),
    ...(d.receiptRule ? [{ label: "收到日期依据", value: d.receiptRule }] : []),
    ...(d.dueOn ? [{ label: "法定答复期限", value: html`${civilDate(d.dueOn)}${d.dueIsProvisional ? provisionalTag : ""}` }] : []),
    ...(result
      ? [
          { label: "答复结果", value: `${result.replyTypeLabel}${result.groundLabel ? `（${result.groundLabel}）` : ""}` },
          { label: "年度报告统计项", value: result.label },
          { label: "办结日期", value: civilDate(result.closedOn) },
        ]
      : []),
    ...(d.flags.length ? [{ label: "提示标记", value: html`${d.flags.map((f) => html`<span class="tag overdue">${flagLabel(d.workflow, f)}</span>`)}` }] : []),
  ];

  const applicantName = applicant?.name;
  return renderCase({
    user: o.user,
    csrfToken,
    showPersonalData: v.showPersonalData,
    personalDataMasked: !v.showPersonalData,
    errors: o.errors ?? [],
    ...(posted ? { errorIdPrefix: taskFieldPrefix(posted.taskId, o.values!.outcome!), errorFields: postedFields } : { errorFields: [] }),
    ...(o.notice ? { flash: o.notice } : {}),
    ...(actions ? { actions } : {}),
    auditWarning: !v.auditTrailIntact,
    caseView: {
      caseId: d.caseId,
      trackingNumber: d.trackingNumber,
      status: d.status,
      statusLabel: d.statusLabel,
      receivedOn: d.receivedOn ?? null,
      facts,
      ...(applicant ? { applicant } : {}),
      ...(request ? { request } : {}),
      deadlines: v.deadlines.map((x) => ({
        label: x.label,
        dueOn: x.dueOn,
        provisional: x.provisional,
        paused: x.paused,
        stopped: x.stopped,
        ...(x.stoppedReason ? { stoppedReason: x.stoppedReason } : {}),
        workingDaysLeft: x.workingDaysLeft,
        overdue: x.overdue,
        explanation: x.explanation,
      })),
      sections: [
        request ? attachmentsSection(d) : "",
        correctionSection(d),
        consultationsSection(d),
        secrecySection(d),
        extensionSection(d),
        proposalSection(d),
        feeSection(d),
        signalsSection(d),
        tasksHistorySection(v.tasks),
      ].filter((s): s is Html => s !== ""),
      timeline: v.timeline.map((e) => {
        // people by name and role, never by username; the applicant and the system by what they are
        const actor = e.actor.kind === "applicant" ? "申请人" : e.actor.kind === "system" ? "系统" : e.actor.displayName;
        return { at: e.at, description: e.summary, ...(actor ? { actor } : {}), ...(e.actor.kind === "staff" && e.actor.role ? { role: e.actor.role } : {}) };
      }),
      letters: v.letters.map((l) => {
        const base = `/console/cases/${encodeURIComponent(d.caseId)}/letters/${encodeURIComponent(l.letterId)}`;
        return {
          title: l.title,
          issuedOn: l.issuedOn ?? l.issuedAt.slice(0, 10),
          number: l.number,
          recipient: l.to === "applicant" ? `申请人${applicantName ? ` ${applicantName}` : ""}` : l.recipientName,
          url: `${base}?format=html`,
          docxUrl: `${base}?format=docx`,
        };
      }),
    },
  });
}
