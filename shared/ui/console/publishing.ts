/**
 * The console's publishing pages (SPEC §7.2): the forms that start an information item
 * (报送信息), an official document (报送公文) and a correction or withdrawal of a
 * published catalogue entry, and the case page's sections of the publishing workflows
 * (information items, documents, catalogue changes) and of the monthly reconciliation.
 *
 * Server-rendered, no JavaScript: the item and document forms post multipart/form-data
 * (their files), the correction form url-encoded; every form carries the session's CSRF
 * token; a refused form comes back with an error summary linking to each field and what
 * was typed kept — files excepted, which no browser keeps, and the page says so. People
 * by their names, moments in Beijing time.
 */
import { dutyCaseSections } from "./duty";
import type { FieldError } from "../../schemas/errors";
import { catalogueColumns, columnLabel } from "../../domain/catalogue/columns";
import { channelLabels, latest, openFindings, type Channel, type ContentVersion as ItemVersion, type PublicationData, type StoredFile } from "../../domain/workflows/publication/data";
import { disclosureAttributeLabels, disclosureAttributes, type DisclosureAttribute, type DocumentData } from "../../domain/workflows/document/definition";
import type { ReconciliationData } from "../../domain/workflows/reconciliation/definition";
import type { CatalogueChangeData } from "../../domain/workflows/catalogue-change/definition";
import { secrecyDecisionLabels, secrecyLevelLabel, type SecrecyReview, type SecrecyState } from "../../domain/workflows/secrecy";
import { findingKindLabels, markPassages, type Finding, type ScreeningReport } from "../../domain/screening";
import type { ContentVersion } from "../../domain/versions";
import { roleLabel } from "../../domain/roles";
import { checkbox, fieldContext, fieldId, hiddenInput, isTicked, radioGroup, selectInput, textArea, textInput, type FieldContext } from "../form";
import { html, safeHref, type Html } from "../html";
import type { ConsoleSection, ConsoleUser } from "./layout";
import { CATALOGUE_CHANGE_ROLES, renderConsolePage } from "./layout";
import { beijingTime, civilDate, errorSummaryFor, row } from "./parts";
import { renderVersionDiff } from "./version-diff";
import { consultationSections, interpretationSections } from "./normative";
import { consultationSituations, explanationPartLabels, explanationParts, situationLabels, type ConsultationData } from "../../domain/workflows/consultation/data";
import type { InterpretationData } from "../../domain/workflows/interpretation/definition";

export const PUBLICATION_FORM_PATH = "/console/publications/new";
export const DOCUMENT_FORM_PATH = "/console/documents/new";
export const CATALOGUE_CHANGE_FORM_PATH = "/console/catalogue-changes/new";

/** What the forms say about files (the use case's limits, shared/app/publishing/submit.ts). */
export interface FileLimits {
  maxFiles: number;
  maxBytesEach: number;
  maxBytesTotal: number;
}

const mb = (bytes: number) => `${Number((bytes / 1_000_000).toFixed(1))} MB`;

export interface PublishingFormInput {
  user: ConsoleUser;
  csrfToken: string;
  /** raw form strings, kept after an error */
  values?: Record<string, string>;
  errors?: FieldError[];
  fileLimits: FileLimits;
  action?: string;
}

// ---- form pieces -------------------------------------------------------------------

const requiredMark = html` <span class="req" aria-hidden="true">*</span><span class="vh">（必填）</span>`;

/** `images[2]` → `images`: a file's error belongs to its input. */
export function formFieldOf(path: string): string {
  return path.replace(/\[\d+\]$/, "");
}

/** The use case's messages, said for a form (the API's name the codes to send). */
const formMessages: Record<string, string> = {
  channels: "请选择发布渠道（门户网站、微信公众号），至少选择一个",
  disclosureAttribute: "请选择拟定公开属性：主动公开、依申请公开或不予公开",
  action: "请选择更正或撤回",
};

/** The errors as the form shows them: each on its input, in the form's words. */
export function formErrors(errors: FieldError[]): FieldError[] {
  return errors.map((e) => {
    const path = formFieldOf(e.path);
    const message =
      Object.hasOwn(formMessages, path) && (e.code === "required" || e.code === "invalid_choice")
        ? formMessages[path]!
        : path === "column" && e.code === "invalid_choice"
          ? "请从列表中选择目录栏目"
          : e.message;
    return { ...e, path, message };
  });
}

function fieldError(ctx: FieldContext, name: string): Html | "" {
  const error = ctx.errors.get(name);
  return error ? html`<p class="field-error" id="${fieldId(name, ctx.idPrefix)}-error"><span class="vh">错误：</span>${error.message}</p>` : "";
}

/** A file input taking several files (form.ts's takes one). */
function filesInput(ctx: FieldContext, c: { name: string; label: string; hint: string; accept: string }): Html {
  const id = fieldId(c.name, ctx.idPrefix);
  const error = ctx.errors.get(c.name);
  const describedBy = [`${id}-hint`, error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return html`<div class="${error ? "field has-error" : "field"}">
<label for="${id}">${c.label}</label>
<p class="hint" id="${id}-hint">${c.hint}</p>${fieldError(ctx, c.name)}<input type="file" id="${id}" name="${c.name}" accept="${c.accept}" multiple${error ? html` aria-invalid="true"` : ""} aria-describedby="${describedBy}">
</div>`;
}

const channelOrder: Channel[] = ["website", "wechat"];

/** The channels as checkboxes `channels.website` / `channels.wechat` (a form posts each under its own name). */
function channelBoxes(ctx: FieldContext): Html {
  const id = fieldId("channels", ctx.idPrefix);
  const error = ctx.errors.get("channels");
  return html`<div class="${error ? "field has-error" : "field"}">
<fieldset class="choices" aria-describedby="${id}-hint${error ? ` ${id}-error` : ""}">
<legend class="label">发布渠道${requiredMark}</legend>
<p class="hint" id="${id}-hint">可多选。发布到微信公众号的，审核通过后由系统推送到本机关公众号。</p>${fieldError(ctx, "channels")}
${channelOrder.map(
  (ch, i) =>
    html`<label><input type="checkbox" name="channels.${ch}" value="yes" id="${i === 0 ? id : `${id}-${ch}`}"${isTicked(ctx.values[`channels.${ch}`]) ? html` checked` : ""}>${channelLabels[ch]}</label>`,
)}
</fieldset>
</div>`;
}

const columnOptions = catalogueColumns.map((c) => ({ value: c.code, label: c.label }));

const bodyHint =
  "直接输入文字即可，每段一行；也可粘贴 HTML（只保留段落、标题、列表、表格、强调和链接，脚本、样式和图片标签会被删除）。报送后系统对标题、正文和附件进行内容筛查（身份证号码、手机号码、银行卡号、密级标志、敏感词等），发现的内容在审核页面标出。";

function filesDroppedNote(errors: FieldError[]): Html | "" {
  return errors.length
    ? html`<p class="note" role="note"><strong>请重新选择图片和附件：</strong>浏览器不会保留已选择的文件，填写的文字已保留。</p>`
    : "";
}

/** The error summary of a form, linking only to the fields it has. */
function summary(errors: FieldError[], fields: readonly string[]): Html | "" {
  return errorSummaryFor(errors, { idPrefix: "f-", fields });
}

const attachmentAccept = ".pdf,.docx,.txt,.jpg,.jpeg,.png,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,text/plain,image/jpeg,image/png";

function attachmentsHint(l: FileLimits): string {
  return `PDF、DOCX、TXT、JPEG 或 PNG，最多 ${l.maxFiles} 个，每个不超过 ${mb(l.maxBytesEach)}，图片和附件合计不超过 ${mb(l.maxBytesTotal)}。可读取文字的附件一并筛查；不能读取的（如扫描件）标为“未能筛查”，由审核人查看。`;
}

function page(o: PublishingFormInput, title: string, current: ConsoleSection, main: Html): string {
  return renderConsolePage({ title, main, user: o.user, csrfToken: o.csrfToken, current, hasErrors: (o.errors ?? []).length > 0 });
}

// ---- 报送信息 ---------------------------------------------------------------------------

export const publicationFormFields = ["title", "body", "channels", "column", "important", "section", "images", "attachments"] as const;

/** The information item form: a fresh one has 门户网站 ticked. */
export function renderPublicationForm(o: PublishingFormInput): string {
  const errors = formErrors(o.errors ?? []);
  const values = o.values ?? { "channels.website": "yes" };
  const ctx = fieldContext(values, errors);
  const l = o.fileLimits;
  const main = html`<h1>报送信息</h1>
${summary(errors, publicationFormFields)}
${filesDroppedNote(errors)}
<p>报送拟在门户网站或微信公众号发布的信息。信息经办公室复核后发布；重要内容复核后报分管领导审核，审核同意后方可发布。发布时系统登记索引号并列入政府信息公开目录。标有 <span class="req">*</span> 的为必填项。</p>
<form method="post" action="${o.action ?? PUBLICATION_FORM_PATH}" enctype="multipart/form-data" accept-charset="UTF-8" novalidate>
${hiddenInput("csrfToken", o.csrfToken)}
<fieldset>
<legend>信息内容</legend>
${textInput(ctx, { name: "title", label: "标题", required: true, maxLength: 200 })}
${textArea(ctx, { name: "body", label: "正文", required: true, rows: 14, hint: bodyHint })}
</fieldset>
<fieldset>
<legend>发布</legend>
${channelBoxes(ctx)}
${selectInput(ctx, { name: "column", label: "目录栏目（发布到门户网站的必选）", options: columnOptions, hint: "政府信息公开目录中的栏目；只发布到微信公众号的可不选（列入“工作动态”）。" })}
${checkbox(ctx, { name: "important", label: "重要内容", value: "yes", hint: "重要内容报分管领导审核：涉及重大决策、重要政策、重大突发事件等的，请勾选。" })}
${textInput(ctx, { name: "section", label: "报送科室", maxLength: 100 })}
</fieldset>
<fieldset>
<legend>图片和附件</legend>
${filesInput(ctx, { name: "images", label: "图片", accept: "image/jpeg,image/png,.jpg,.jpeg,.png", hint: `JPEG 或 PNG，最多 ${l.maxFiles} 个，每个不超过 ${mb(l.maxBytesEach)}。` })}
${filesInput(ctx, { name: "attachments", label: "附件", accept: attachmentAccept, hint: attachmentsHint(l) })}
</fieldset>
<p><button type="submit">报送</button></p>
</form>`;
  return page(o, "报送信息", "publication-new", main);
}

// ---- 报送公文 ---------------------------------------------------------------------------

export const documentFormFields = ["title", "body", "disclosureAttribute", "reason", "column", "section", "attachments"] as const;

export function renderDocumentForm(o: PublishingFormInput): string {
  const errors = formErrors(o.errors ?? []);
  const ctx = fieldContext(o.values ?? {}, errors);
  const main = html`<h1>报送公文</h1>
${summary(errors, documentFormFields)}
${filesDroppedNote(errors)}
<p>拟稿科室在公文报送时提出公开属性的初步意见。公文经办公室主任定密审核、办公室审核公开属性、分管领导审签后印发；主动公开的，自印发之日起 20 个工作日内在政府信息公开目录发布。标有 <span class="req">*</span> 的为必填项。</p>
<form method="post" action="${o.action ?? DOCUMENT_FORM_PATH}" enctype="multipart/form-data" accept-charset="UTF-8" novalidate>
${hiddenInput("csrfToken", o.csrfToken)}
<fieldset>
<legend>公文</legend>
${textInput(ctx, { name: "title", label: "标题", required: true, maxLength: 200 })}
${textArea(ctx, { name: "body", label: "正文", required: true, rows: 14, hint: bodyHint })}
</fieldset>
<fieldset>
<legend>公开属性</legend>
${radioGroup(ctx, {
  name: "disclosureAttribute",
  label: "拟定公开属性",
  required: true,
  options: disclosureAttributes.map((value) => ({ value, label: disclosureAttributeLabels[value] })),
  hint: "公开属性最终由办公室审核、分管领导审签确定。",
})}
${textArea(ctx, { name: "reason", label: "理由（选择“依申请公开”或“不予公开”时必填）", rows: 4, maxLength: 2000, hint: "写明不主动公开的理由和依据，如涉及国家秘密、商业秘密、个人隐私，或属于内部事务信息、过程性信息。" })}
${selectInput(ctx, { name: "column", label: "目录栏目", options: columnOptions, hint: "主动公开的公文发布时列入的栏目，可不选（列入“政策文件”），发布时可修改。" })}
${textInput(ctx, { name: "section", label: "拟稿科室", maxLength: 100 })}
</fieldset>
<fieldset>
<legend>附件</legend>
${filesInput(ctx, { name: "attachments", label: "附件", accept: attachmentAccept, hint: attachmentsHint(o.fileLimits) })}
</fieldset>
<p><button type="submit">报送</button></p>
</form>`;
  return page(o, "报送公文", "document-new", main);
}

// ---- 征求意见 ---------------------------------------------------------------------------

export const CONSULTATION_FORM_PATH = "/console/consultations/new";

export const consultationFormFields = [
  "title",
  "draft",
  ...explanationParts.map((p) => `explanation.${p}`),
  "situations",
  "publicInterest",
  "sectorInterests",
  "exempt.reason",
  "section",
] as const;

/** The drafting section's draft normative document for public comment (SPEC §7.3 `POST /api/v1/consultations`). */
export function renderConsultationForm(o: Omit<PublishingFormInput, "fileLimits">): string {
  const errors = formErrors(o.errors ?? []);
  const ctx = fieldContext(o.values ?? {}, errors);
  const main = html`<h1>草案公开征求意见</h1>
${summary(errors, consultationFormFields)}
<p>起草科室报送行政规范性文件草案及起草说明。办公室在门户网站公布草案，征求意见期限不少于 7 个工作日；征求意见结束、意见逐条处理后，方可提交审核（第十三条）。标有 <span class="req">*</span> 的为必填项。</p>
<form method="post" action="${CONSULTATION_FORM_PATH}" accept-charset="UTF-8" novalidate>
${hiddenInput("csrfToken", o.csrfToken)}
<fieldset>
<legend>草案</legend>
${textInput(ctx, { name: "title", label: "草案标题", required: true, maxLength: 200 })}
${textArea(ctx, { name: "draft", label: "草案正文", required: true, rows: 14 })}
${textInput(ctx, { name: "section", label: "起草科室", maxLength: 100 })}
</fieldset>
<fieldset>
<legend>起草说明（第五条）</legend>
${explanationParts.map((part) => textArea(ctx, { name: `explanation.${part}`, label: explanationPartLabels[part], required: true, rows: 4 }))}
</fieldset>
<fieldset>
<legend>需要专门征求意见的情形</legend>
${consultationSituations.map((s) => checkbox(ctx, { name: `situations.${s}`, label: situationLabels[s], value: "yes" }))}
<p class="hint">属于第七条所列情形之一的，应当先组织专家论证。</p>
${checkbox(ctx, { name: "publicInterest", label: "涉及重大公共利益（第九条：须召开座谈会或听证会）", value: "yes" })}
${checkbox(ctx, { name: "sectorInterests", label: "涉及特定团体、行业利益（第十条：须听取行业协会、商会意见）", value: "yes" })}
</fieldset>
<fieldset>
<legend>不公开征求意见（第四条）</legend>
${textArea(ctx, { name: "exempt.reason", label: "理由（依法不得公开或者应急性的事项；填写后不经公开征求意见）", rows: 3 })}
</fieldset>
<p><button type="submit">报送草案</button></p>
</form>`;
  return renderConsolePage({ title: "草案公开征求意见", main, user: o.user, csrfToken: o.csrfToken, current: "consultation-new", hasErrors: (o.errors ?? []).length > 0 });
}

// ---- 更正或撤回 ---------------------------------------------------------------------------

export interface CatalogueChangeFormInput extends Omit<PublishingFormInput, "fileLimits"> {
  /** the entry as it stands, when the index number names one of the agency's */
  entry?: { indexNumber: string; title: string; column: string; publishedOn: string; status: "published" | "withdrawn"; revision: number };
}

export const catalogueChangeFormFields = ["indexNumber", "action", "note", "title", "body"] as const;

export function renderCatalogueChangeForm(o: CatalogueChangeFormInput): string {
  const errors = formErrors(o.errors ?? []);
  const ctx = fieldContext(o.values ?? {}, errors);
  const e = o.entry;
  const current = e
    ? html`<h2 id="entry">当前发布的信息</h2>
<dl class="summary">
${row("索引号", html`<a href="${safeHref(`/catalogue/${e.indexNumber}`)}">${e.indexNumber}</a>`)}
${row("标题", e.title)}
${row("目录栏目", columnLabel(e.column))}
${row("发布日期", civilDate(e.publishedOn))}
${row("状态", e.status === "withdrawn" ? "已撤回（不能再更正或撤回）" : e.revision > 1 ? `已发布（已更正 ${e.revision - 1} 次）` : "已发布")}
</dl>`
    : "";
  const main = html`<h1>更正或撤回已发布的信息</h1>
${summary(errors, catalogueChangeFormFields)}
<p>已发布的信息有误需要更正，或不应继续公开需要撤回的，由办公室提出，经分管领导审批同意后，目录页面随即更新，并公开显示更正说明或撤回说明；原内容存档备查。</p>
${current}
<form method="post" action="${o.action ?? CATALOGUE_CHANGE_FORM_PATH}" accept-charset="UTF-8" novalidate>
${hiddenInput("csrfToken", o.csrfToken)}
<fieldset>
<legend>申请事项</legend>
${textInput(ctx, { name: "indexNumber", label: "索引号", required: true, maxLength: 40, hint: "格式：机关代码/年份-序号，如 001008010002002/2026-000001。" })}
${radioGroup(ctx, {
  name: "action",
  label: "办理事项",
  required: true,
  options: [
    { value: "correct", label: "更正（修改标题或正文）" },
    { value: "withdraw", label: "撤回（不再公开）" },
  ],
})}
${textArea(ctx, { name: "note", label: "更正说明或撤回说明", required: true, rows: 4, maxLength: 2000, hint: "在信息的公开页面显示，如：原文第二段中的日期有误，已更正。" })}
</fieldset>
<fieldset>
<legend>更正后的内容（仅更正时填写）</legend>
${textInput(ctx, { name: "title", label: "更正后的标题", maxLength: 200 })}
${textArea(ctx, { name: "body", label: "更正后的正文", rows: 14, hint: `${bodyHint} 已预填当前发布的正文，请直接修改。` })}
</fieldset>
<p><button type="submit">提交分管领导审批</button></p>
</form>`;
  return renderConsolePage({ title: "更正或撤回已发布的信息", main, user: o.user, csrfToken: o.csrfToken, current: "catalogue-change-new", hasErrors: errors.length > 0 });
}

/**
 * The body as it should be edited: the plain text when the HTML is only paragraphs (what
 * a typed body becomes), else the HTML itself, so tables and lists are not lost.
 */
export function editableBody(bodyHtml: string, text: string): string {
  const bare = bodyHtml.replace(/<\/?p>/g, "");
  return /[<&]/.test(bare) ? bodyHtml : text;
}

// ---- notices after a redirect ------------------------------------------------------------

type Envelope = { caseId: string; workflow: string; reference: string; status: string; statusLabel: string; createdAt?: string; agencyCode?: string };

function countOpen(d: PublicationData): number {
  const open = openFindings(d);
  return open.findings.length + open.unscreened.length;
}

/** 「已报送，编号 XX-2026-00001」 and what screening found, for the case page after a submission. */
export function submittedNotice(c: Record<string, unknown> & Envelope): Html | undefined {
  if (c.workflow === "publication") {
    const n = countOpen(c as unknown as PublicationData);
    return html`<p><strong>已报送，编号 <span class="code" id="reference">${c.reference}</span>。</strong>信息已转办公室复核。</p>${
      n ? html`<p><strong>内容筛查发现 ${n} 处需处理</strong>，已在下方“内容筛查”中标出；审核人须删除或写明放行理由后方可通过。</p>` : html`<p>内容筛查未发现需处理的内容。</p>`
    }`;
  }
  if (c.workflow === "document") {
    const s = (c as unknown as DocumentData).screening;
    const n = s.findings.length + s.unscreened.length;
    return html`<p><strong>已报送，编号 <span class="code" id="reference">${c.reference}</span>。</strong>公文已转定密审核。</p>${n ? html`<p><strong>内容筛查发现 ${n} 处需处理</strong>，已在下方“内容筛查”中标出。</p>` : ""}`;
  }
  if (c.workflow === "catalogue_change") {
    const d = c as unknown as CatalogueChangeData;
    return html`<p><strong>已提交${d.action === "withdraw" ? "撤回" : "更正"}申请，编号 <span class="code" id="reference">${c.reference}</span>。</strong>待分管领导审批。</p>`;
  }
  return undefined;
}

// ---- case page sections --------------------------------------------------------------------

/** Where a finding is: 标题, 正文 or 附件「名称」. */
export function sourceLabel(source: string): string {
  if (source === "title") return "标题";
  if (source === "body") return "正文";
  return source.startsWith("attachment:") ? `附件「${source.slice("attachment:".length)}」` : source;
}

const findingLabel = (f: Finding) => f.label || findingKindLabels[f.kind] || f.kind;

function fileType(f: StoredFile): string {
  const t = f.contentType;
  if (t === "application/pdf") return "PDF";
  if (t.startsWith("image/")) return t.slice(6).toUpperCase();
  if (t.includes("wordprocessingml")) return "DOCX";
  if (t.startsWith("text/plain")) return "TXT";
  return t;
}

function size(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** A text's line breaks as <br>. */
function lines(text: string): Html {
  return html`${text.split("\n").map((line, i) => (i === 0 ? html`${line}` : html`<br>${line}`))}`;
}

/**
 * A text with the findings of its source marked in place: each mark says what was found
 * (read out, not only coloured) and links to its row of the findings table.
 */
function markedText(text: string, findings: Finding[], numberOf: Map<string, number>, overridden: Set<string>): Html {
  return html`${markPassages(text, findings).map((run) => {
    if (!run.finding) return lines(run.text);
    const n = numberOf.get(run.finding.id);
    const cls = overridden.has(run.finding.id) ? "finding overridden" : "finding";
    return html`<mark class="${cls}"><span class="vh">【筛查发现${n ? ` ${n}` : ""}：${findingLabel(run.finding)}${overridden.has(run.finding.id) ? "，已放行" : ""}】</span>${lines(run.text)}</mark>${
      n ? html`<sup><a href="#finding-${n}" aria-label="筛查发现 ${n}">[${n}]</a></sup>` : ""
    }`;
  })}`;
}

interface ScreenedContent {
  title: string;
  text: string;
  screening: ScreeningReport;
  attachments: StoredFile[];
  images: StoredFile[];
}

interface FindingStatus {
  /** open: still to be dealt with (blocks an item's approval); overridden: let through with a reason; redacted: ■ */
  state: "open" | "overridden" | "redacted";
  label: Html | string;
}

/** The content and its findings: the marked title and text, the findings table, unscreened attachments. */
function screenedSections(o: {
  heading: string;
  content: ScreenedContent;
  status: (f: Finding) => FindingStatus;
  unscreenedStatus: (source: string) => FindingStatus;
  blocking: boolean;
}): Html[] {
  const { content } = o;
  const findings = content.screening.findings;
  const numberOf = new Map(findings.map((f, i) => [f.id, i + 1]));
  const overridden = new Set(findings.filter((f) => o.status(f).state === "overridden").map((f) => f.id));
  const marked = (source: string, text: string) =>
    markedText(
      text,
      findings.filter((f) => f.source === source),
      numberOf,
      overridden,
    );
  const openCount = findings.filter((f) => o.status(f).state === "open").length + content.screening.unscreened.filter((u) => o.unscreenedStatus(u.source).state === "open").length;
  const total = findings.length + content.screening.unscreened.length;
  const contentSection = html`<h2 id="content">${o.heading}</h2>
${findings.length ? html`<p class="hint">内容筛查发现的内容以 <mark class="finding">黄底粗下划线</mark> 标出，方括号中的序号对应下方“内容筛查”表；已放行的以灰底虚线标出；■ 为已删除（区分处理）的内容。</p>` : ""}
<h3>标题</h3>
<p class="item-title">${marked("title", content.title)}</p>
<h3>正文</h3>
<div class="item-text">${marked("body", content.text)}</div>`;

  const table = findings.length
    ? html`<table class="cards">
<caption>筛查发现（共 ${findings.length} 处）</caption>
<thead><tr><th scope="col">序号</th><th scope="col">类别</th><th scope="col">内容</th><th scope="col">位置</th><th scope="col">处理情况</th></tr></thead>
<tbody>
${findings.map((f, i) => {
  const s = o.status(f);
  return html`<tr id="finding-${i + 1}"${s.state === "open" ? html` class="discrepancy"` : ""}>
<td data-label="序号">${i + 1}</td>
<td data-label="类别">${findingLabel(f)}</td>
<td data-label="内容">${f.passage}</td>
<td data-label="位置">${sourceLabel(f.source)}</td>
<td data-label="处理情况">${s.label}</td>
</tr>`;
})}
</tbody>
</table>`
    : "";
  const unscreened = content.screening.unscreened.length
    ? html`<h3>未能筛查的附件</h3>
<ul>${content.screening.unscreened.map((u) => html`<li>${sourceLabel(u.source)} <span class="tag unscreened">未能筛查</span>：${u.reason}。${o.unscreenedStatus(u.source).label}</li>`)}</ul>`
    : "";
  const screeningSection = html`<h2 id="screening">内容筛查</h2>
${
  total === 0
    ? html`<p>未发现需处理的内容（已筛查 ${content.screening.chars} 字）。</p>`
    : html`<p${openCount && o.blocking ? html` class="banner" role="note"` : ""}>共发现 ${total} 处${openCount ? html`，<strong>其中 ${openCount} 处待处理</strong>` : "，均已处理"}。${
        openCount && o.blocking ? "须区分处理删除，或在审核时写明放行理由后方可通过。" : ""
      }</p>`
}
${table}
${unscreened}`;
  return [contentSection, screeningSection];
}

function filesSection(content: Pick<ScreenedContent, "attachments" | "images" | "screening">): Html {
  const unscreened = new Set(content.screening.unscreened.map((u) => u.source));
  const list = (files: StoredFile[]) =>
    html`<ul>${files.map(
      (f) => html`<li>${f.name}（${fileType(f)}，${size(f.bytes)}）${unscreened.has(`attachment:${f.name}`) ? html` <span class="tag unscreened">未能筛查</span>` : ""}</li>`,
    )}</ul>`;
  return html`<h2 id="files">图片和附件</h2>
${content.images.length ? html`<h3>图片</h3>${list(content.images)}` : ""}
${content.attachments.length ? html`<h3>附件</h3>${list(content.attachments)}` : ""}
${content.images.length + content.attachments.length === 0 ? html`<p>无图片和附件。</p>` : ""}`;
}

const consultationOpinions: Record<string, string> = { agree: "同意公开", object: "不同意公开", silent: "逾期未答复" };
const lookup = (labels: Record<string, string>, key: string) => (Object.hasOwn(labels, key) ? labels[key]! : key);

/** The secrecy chain's record (第十二条): every decision with its level, person, date and opinion; consultations; redactions. */
export function secrecyReviewSection(r: SecrecyReview | undefined): Html | "" {
  if (!r) return "";
  const state = r.outcome === "cleared" ? "保密审查完成，可以公开" : r.outcome === "withheld" ? "保密审查认为不宜公开" : `审查中：${secrecyLevelLabel(r.level)}`;
  return html`<h2 id="secrecy">保密审查</h2>
<dl class="summary">
${row("审查情况", state)}
${row("提请日期", civilDate(r.startedOn))}
${r.current?.decision === "referred" ? row("等待答复", `已提交${r.current.authority ?? "保密工作部门"}审查`) : ""}
</dl>
${
  r.decisions.length
    ? html`<table class="cards">
<caption>各级审查意见</caption>
<thead><tr><th scope="col">审查环节</th><th scope="col">审查人</th><th scope="col">时间</th><th scope="col">结论</th><th scope="col">意见</th></tr></thead>
<tbody>
${r.decisions.map(
  (x) => html`<tr>
<td data-label="审查环节">${secrecyLevelLabel(x.step)}</td>
<td data-label="审查人">${x.byName}${x.role ? html`（${roleLabel(x.role)}）` : ""}</td>
<td data-label="时间">${beijingTime(x.at)}</td>
<td data-label="结论">${lookup(secrecyDecisionLabels, x.decision)}</td>
<td data-label="意见">${x.opinion ?? ""}</td>
</tr>`,
)}
</tbody>
</table>`
    : html`<p>尚无审查意见。</p>`
}
${
  r.consultations.length
    ? html`<table class="cards">
<caption>书面征求意见</caption>
<thead><tr><th scope="col">对象</th><th scope="col">事项</th><th scope="col">发函日期</th><th scope="col">答复</th></tr></thead>
<tbody>
${r.consultations.map(
  (c) => html`<tr>
<td data-label="对象">${c.kind === "third_party" ? "第三方" : "其他机关"}：${c.party}</td>
<td data-label="事项">${c.matters}</td>
<td data-label="发函日期">${civilDate(c.askedOn)}</td>
<td data-label="答复">${c.answer ? html`${civilDate(c.answer.on)}：${lookup(consultationOpinions, c.answer.opinion)}。${c.answer.summary}` : "等待答复"}</td>
</tr>`,
)}
</tbody>
</table>`
    : ""
}
${
  r.redactions.length
    ? html`<h3>保密审查中删除的内容</h3>
<ul>${r.redactions.map((x) => html`<li>「${x.passage}」：${x.reason}（${x.byName}，${civilDate(x.on)}）</li>`)}</ul>`
    : ""
}`;
}

const approvalFormLinks = (caseId: string) => {
  const base = `/api/v1/cases/${encodeURIComponent(caseId)}/approval-form`;
  return html`<a href="${safeHref(`${base}?format=html`)}">打印审批表</a> · <a href="${safeHref(`${base}?format=docx`)}">下载 Word<span class="vh">：信息公开审批表</span></a>`;
};

const catalogueLink = (indexNumber: string) => html`<a href="${safeHref(`/catalogue/${indexNumber}`)}" id="index-number">${indexNumber}</a>`;

/** What the case page adds for a workflow: rows of the summary, sections before the task forms and after them. */
export interface WorkflowSections {
  title: string;
  facts: Array<{ label: string; value: Html | string }>;
  lead: Html[];
  sections: Html[];
}

const asVersion = (v: ItemVersion): ContentVersion => ({ n: v.n, title: v.title, text: v.text, at: v.at, by: v.byName });

function publicationSections(c: Envelope, d: PublicationData, roles: readonly string[]): WorkflowSections {
  const v = latest(d);
  const open = openFindings(d);
  const openIds = new Set(open.findings.map((f) => f.id));
  const openUnscreened = new Set(open.unscreened.map((u) => u.source));
  const overrideOf = (id: string) => d.overrides.find((o) => o.version === v.n && o.findingId === id);
  const overrideText = (id: string) => {
    const o = overrideOf(id);
    return o ? html`已放行：${o.reason}（${o.byName}${o.role ? `，${roleLabel(o.role)}` : ""}，${beijingTime(o.at)}）` : undefined;
  };
  const status = (f: Finding): FindingStatus =>
    openIds.has(f.id)
      ? { state: "open", label: html`<strong>待处理</strong>` }
      : overrideOf(f.id)
        ? { state: "overridden", label: overrideText(f.id)! }
        : { state: "redacted", label: "已删除（区分处理）" };
  const unscreenedStatus = (source: string): FindingStatus =>
    openUnscreened.has(source) ? { state: "open", label: html`<strong>待处理</strong>：请审核人查看原件。` } : { state: "overridden", label: overrideText(`unscreened:${source}`) ?? "" };
  const n = open.findings.length + open.unscreened.length;

  const facts: WorkflowSections["facts"] = [
    { label: "标题", value: v.title },
    { label: "信息员", value: d.submitter.displayName },
    { label: "报送科室", value: d.submitter.section ?? "—" },
    { label: "发布渠道", value: d.channels.map((ch) => channelLabels[ch]).join("、") },
    { label: "目录栏目", value: columnLabel(d.column) },
    { label: "是否重要内容", value: d.important ? "是（报分管领导审核）" : "否" },
    { label: "稿次", value: html`第 ${v.n} 稿（${v.byName}，${beijingTime(v.at)}）` },
    { label: "内容筛查", value: n ? html`<span class="tag unscreened">${n} 处待处理</span>` : v.screening.findings.length + v.screening.unscreened.length ? "筛查发现均已处理" : "未发现需处理的内容" },
    ...(d.published ? [{ label: "索引号", value: catalogueLink(d.published.indexNumber) }, { label: "发布时间", value: beijingTime(d.published.at) }] : []),
    { label: "信息公开审批表", value: approvalFormLinks(c.caseId) },
  ];

  const lead = screenedSections({ heading: `信息内容（第 ${v.n} 稿）`, content: v, status, unscreenedStatus, blocking: !d.published && !d.rejection });
  const previous = d.versions[d.versions.length - 2];
  if (previous) lead.push(html`<div id="latest-diff">${renderVersionDiff(asVersion(previous), asVersion(v))}</div>`);

  const sections: Html[] = [filesSection(v)];
  if (d.redactions.length) {
    sections.push(html`<h2 id="redactions">区分处理（已删除的内容）</h2>
<table class="cards">
<caption>删除的内容以 ■ 代替，原文仅在此记录</caption>
<thead><tr><th scope="col">稿次</th><th scope="col">删除的内容</th><th scope="col">理由</th><th scope="col">删除人</th><th scope="col">时间</th></tr></thead>
<tbody>
${d.redactions.map(
  (r) => html`<tr><td data-label="稿次">第 ${r.version} 稿</td><td data-label="删除的内容">${r.passage}</td><td data-label="理由">${r.reason}</td><td data-label="删除人">${r.byName}</td><td data-label="时间">${beijingTime(r.at)}</td></tr>`,
)}
</tbody>
</table>`);
  }
  if (d.versions.length > 1) {
    const pairs = d.versions.slice(1, -1).map((b, i) => renderVersionDiff(asVersion(d.versions[i]!), asVersion(b)));
    sections.push(html`<h2 id="versions">各稿记录</h2>
<table class="cards">
<caption>每次报送的稿件都保留（共 ${d.versions.length} 稿）</caption>
<thead><tr><th scope="col">稿次</th><th scope="col">标题</th><th scope="col">报送人</th><th scope="col">时间</th><th scope="col">筛查发现</th></tr></thead>
<tbody>
${d.versions.map(
  (x) =>
    html`<tr><td data-label="稿次">第 ${x.n} 稿</td><td data-label="标题">${x.title}</td><td data-label="报送人">${x.byName}</td><td data-label="时间">${beijingTime(x.at)}</td><td data-label="筛查发现">${
      x.screening.findings.length + x.screening.unscreened.length
    } 处</td></tr>`,
)}
</tbody>
</table>
<p>第 ${previous!.n} 稿与第 ${v.n} 稿的差异见上文<a href="#latest-diff">“信息内容”之后</a>。</p>
${pairs}`);
  }
  if (d.returns.length) {
    sections.push(html`<h2 id="returns">退回修改意见</h2>
<ol>${d.returns.map((r) => html`<li>第 ${r.version} 稿：${r.note}（${r.byName}${r.role ? `，${roleLabel(r.role)}` : ""}，${beijingTime(r.at)}）</li>`)}</ol>`);
  }
  if (d.rejection) {
    sections.push(html`<h2 id="rejection">不予发布</h2>
<dl class="summary">
${row("理由", d.rejection.reason)}
${row("决定人", `${d.rejection.byName}${d.rejection.role ? `（${roleLabel(d.rejection.role)}）` : ""}`)}
${row("时间", beijingTime(d.rejection.at))}
</dl>`);
  }
  const secrecy = secrecyReviewSection(d.secrecy);
  if (secrecy) sections.push(secrecy);
  if (d.published) sections.push(publishedSection(d.published.indexNumber, beijingTime(d.published.at), d.channels, d.published.wechat?.publishId, roles));
  return { title: `信息 ${c.reference}`, facts, lead, sections };
}

function publishedSection(indexNumber: string, at: Html, channels: Channel[] | undefined, wechat: string | undefined, roles: readonly string[]): Html {
  const mayChange = roles.some((r) => (CATALOGUE_CHANGE_ROLES as readonly string[]).includes(r));
  return html`<h2 id="published">发布情况</h2>
<dl class="summary">
${row("索引号", html`<a href="${safeHref(`/catalogue/${indexNumber}`)}">${indexNumber}</a>`)}
${row("发布时间", at)}
${channels ? row("发布渠道", channels.map((ch) => channelLabels[ch]).join("、")) : ""}
${row("微信公众号发布编号", wechat)}
</dl>
${mayChange ? html`<p><a href="${safeHref(`${CATALOGUE_CHANGE_FORM_PATH}?indexNumber=${encodeURIComponent(indexNumber)}`)}">申请更正或撤回该信息</a></p>` : ""}`;
}

const classificationLabels: Record<string, string> = {
  cleared: "审查通过，可以公开",
  withhold: "涉密或不宜公开",
  referred: "不能确定，已征求保密工作部门意见，等待答复",
  outside_answered: "已收到保密工作部门答复",
};
const outsideLabels: Record<string, string> = { disclose: "可以公开", partly: "部分公开（区分处理）", withhold: "不予公开" };

function classificationText(s: SecrecyState): string {
  const parts = [lookup(classificationLabels, s.decision)];
  if (s.outside) parts.push(`${s.authority ?? "保密工作部门"}答复：${lookup(outsideLabels, s.outside.decision)}，${s.outside.summary}`);
  else if (s.authority) parts.push(`征求${s.authority}意见`);
  if (s.reasons) parts.push(`理由：${s.reasons}`);
  if (s.note) parts.push(`意见：${s.note}`);
  return parts.join("；");
}

const attributeLabel = (a: DisclosureAttribute, reason?: string) => `${lookup(disclosureAttributeLabels, a)}${reason ? `（${reason}）` : ""}`;

function documentSections(c: Envelope, d: DocumentData, roles: readonly string[]): WorkflowSections {
  const redacted = (f: Finding) => {
    const text = f.source === "title" ? d.title : f.source === "body" ? d.text : undefined;
    return text !== undefined && [...text.slice(f.start, f.end)].every((ch) => ch === "■");
  };
  const content: ScreenedContent = { title: d.title, text: d.text, screening: d.screening, attachments: d.attachments, images: [] };
  const facts: WorkflowSections["facts"] = [
    { label: "标题", value: d.title },
    { label: "拟稿科室", value: d.drafter.section ?? "—" },
    { label: "拟稿人", value: d.drafter.displayName },
    { label: "拟定公开属性", value: attributeLabel(d.proposal.attribute, d.proposal.reason) },
    { label: "审定公开属性", value: attributeLabel(d.attribute, d.attributeReason) },
    { label: "定密审核", value: d.classification ? `${classificationText(d.classification)}（${d.classification.on}）` : "尚未审核" },
    ...(d.issued ? [{ label: "文号", value: d.issued.documentNumber }, { label: "印发日期", value: civilDate(d.issued.issuedOn) }] : []),
    { label: "目录栏目", value: columnLabel(d.column) },
    ...(d.published
      ? [{ label: "索引号", value: catalogueLink(d.published.indexNumber) }, { label: "发布时间", value: beijingTime(d.published.at) }]
      : d.issued && d.attribute !== "proactive"
        ? [{ label: "索引号", value: `不在目录发布（${lookup(disclosureAttributeLabels, d.attribute)}）` }]
        : []),
    { label: "信息公开审批表", value: approvalFormLinks(c.caseId) },
  ];
  const lead = screenedSections({
    heading: "公文内容",
    content,
    status: (f) => (redacted(f) ? { state: "redacted", label: "已删除（区分处理）" } : { state: "open", label: "请审核" }),
    unscreenedStatus: () => ({ state: "open", label: "请审核人查看原件。" }),
    blocking: false,
  });
  const sections: Html[] = [filesSection(content)];
  const secrecy = secrecyReviewSection(d.secrecy);
  if (secrecy) sections.push(secrecy);
  if (d.published) sections.push(publishedSection(d.published.indexNumber, beijingTime(d.published.at), undefined, undefined, roles));
  return { title: `公文 ${c.reference}`, facts, lead, sections };
}

const monthText = (month: string) => {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  return m ? `${m[1]}年${Number(m[2])}月` : month;
};

function reconciliationSections(c: Envelope, d: ReconciliationData): WorkflowSections {
  const problems = new Set(d.discrepancies.map((x) => x.documentNumber));
  const resolutionOf = (no: string) => d.record?.resolutions.find((r) => r.documentNumber === no)?.resolution;
  const facts: WorkflowSections["facts"] = [
    { label: "比对月份", value: monthText(d.month) },
    { label: "本月印发公文", value: `${d.issued.length} 件` },
    { label: "差异", value: d.discrepancies.length ? html`<span class="tag discrepancy">${d.discrepancies.length} 项</span>` : "无" },
    ...(d.record ? [{ label: "比对结果", value: d.record.paperCheck }, { label: "登记", value: html`${d.record.byName}，${beijingTime(d.record.at)}` }] : []),
  ];
  const table = html`<h2 id="issued">本月印发的公文</h2>
${
  d.issued.length === 0
    ? html`<p>本月没有印发公文。</p>`
    : html`<table class="cards">
<caption>${monthText(d.month)}印发的公文（共 ${d.issued.length} 件${d.discrepancies.length ? `，差异 ${d.discrepancies.length} 项已标出` : ""}）</caption>
<thead><tr><th scope="col">文号</th><th scope="col">标题</th><th scope="col">印发日期</th><th scope="col">公开属性</th><th scope="col">索引号</th></tr></thead>
<tbody>
${d.issued.map((x) => {
  const problem = problems.has(x.documentNumber);
  return html`<tr${problem ? html` class="discrepancy"` : ""}>
<td data-label="文号">${x.documentNumber}${problem ? html` <span class="tag discrepancy">差异</span>` : ""}</td>
<td data-label="标题"><a href="/console/cases/${encodeURIComponent(x.caseId)}">${x.title}</a></td>
<td data-label="印发日期">${civilDate(x.issuedOn)}</td>
<td data-label="公开属性">${lookup(disclosureAttributeLabels, x.attribute)}</td>
<td data-label="索引号">${x.indexNumber ? html`<a href="${safeHref(`/catalogue/${x.indexNumber}`)}">${x.indexNumber}</a>` : problem ? html`<strong>未发布</strong>` : "未发布"}</td>
</tr>`;
})}
</tbody>
</table>`
}`;
  const discrepancies = d.discrepancies.length
    ? html`<h2 id="discrepancies">差异</h2>
<ul>${d.discrepancies.map((x) => {
        const resolution = resolutionOf(x.documentNumber);
        return html`<li><strong>${x.documentNumber}</strong>「${x.title}」：${x.problem === "not_published" ? "主动公开但尚未在目录发布" : x.problem}${resolution ? html`。处理情况：${resolution}` : d.record ? "" : "。待说明处理情况"}</li>`;
      })}</ul>`
    : "";
  return { title: `${monthText(d.month)}公文公开比对 ${c.reference}`, facts, lead: [], sections: [table, ...(discrepancies ? [discrepancies] : [])] };
}

function catalogueChangeSections(c: Envelope, d: CatalogueChangeData): WorkflowSections {
  const withdraw = d.action === "withdraw";
  const b = d.before;
  const facts: WorkflowSections["facts"] = [
    { label: "索引号", value: catalogueLink(d.indexNumber) },
    { label: "办理事项", value: withdraw ? "撤回" : "更正" },
    { label: withdraw ? "撤回说明" : "更正说明", value: d.note },
    { label: "申请人", value: d.requestedBy.displayName },
    { label: "原标题", value: b.title },
    ...(d.corrected ? [{ label: "更正后的标题", value: d.corrected.title }] : []),
    { label: "原发布日期", value: civilDate(b.publishedOn) },
  ];
  const sections: Html[] = [];
  if (d.corrected) {
    const before: ContentVersion = { n: b.revision, title: b.title, text: b.text, at: b.publishedAt, by: b.publisher };
    const after: ContentVersion = { n: b.revision + 1, title: d.corrected.title, text: d.corrected.text, at: c.createdAt ?? b.publishedAt, by: d.requestedBy.displayName };
    sections.push(html`<h2 id="correction">更正前后对比</h2>
<p>“第 ${before.n} 版”为申请时目录中的内容，“第 ${after.n} 版”为更正后的内容。</p>
${renderVersionDiff(before, after)}`);
  } else {
    sections.push(html`<h2 id="withdrawn-content">撤回的信息</h2>
<p class="item-title">${b.title}</p>
<div class="item-text">${lines(b.text)}</div>`);
  }
  sections.push(html`<p><a href="/console/cases/${encodeURIComponent(b.caseId)}">查看发布该信息的案件</a></p>`);
  return { title: `${withdraw ? "撤回" : "更正"} ${c.reference}`, facts, lead: [], sections };
}

/** The case page's parts of a publishing workflow (or the reconciliation); undefined for others. */
export function workflowSections(c: Record<string, unknown> & Envelope, roles: readonly string[]): WorkflowSections | undefined {
  switch (c.workflow) {
    case "publication":
      return publicationSections(c, c as unknown as PublicationData, roles);
    case "document":
      return documentSections(c, c as unknown as DocumentData, roles);
    case "reconciliation":
      return reconciliationSections(c, c as unknown as ReconciliationData);
    case "catalogue_change":
      return catalogueChangeSections(c, c as unknown as CatalogueChangeData);
    case "consultation":
      return consultationSections(c, c as unknown as ConsultationData, roles);
    case "interpretation":
      return interpretationSections(c, c as unknown as InterpretationData);
    default:
      return dutyCaseSections(c);
  }
}

// ---- task forms of these workflows ------------------------------------------------------------

/**
 * Outcomes whose extra work the app does when they are completed (a new version's files and
 * screening, an index number, the entry as it stands: shared/app/publishing/publish.ts).
 * The task view lists them as unavailable, since the definition alone cannot tell; the
 * console form posts to the task's completion, which does that work, so they get a form.
 */
export const preparedOutcomes: ReadonlySet<string> = new Set(["publication/revise/resubmit", "document/publish_document/published", "catalogue_change/approve_change/approve", "interpretation/publish_interpretation/published"]);

const passagesHint = "每行一段，须与标题或正文中的文字逐字一致（含标点、空格和全角半角），否则无法删除；可从上方“信息内容”中复制。删除的内容以 ■ 代替。";

/** Values the task forms start with, and their hints (for the workflows above). */
export function publishingTaskDefaults(
  c: Record<string, unknown> & Envelope,
  step: string,
  outcome: string,
): { values: Record<string, string>; hints: Record<string, string> } | undefined {
  if (c.workflow === "publication") {
    const d = c as unknown as PublicationData;
    const v = latest(d);
    if (step === "revise" && outcome === "resubmit") {
      return {
        values: { title: v.title, body: editableBody(v.bodyHtml, v.text) },
        hints: { body: `已预填第 ${v.n} 稿的正文，请按退回意见修改；每段一行，也可粘贴 HTML。修改前后的差异会显示给审核人。` },
      };
    }
    if (outcome === "redact" && (step === "recheck" || step === "leader_review")) {
      const passages = [...new Set(openFindings(d).findings.filter((f) => f.source === "title" || f.source === "body").map((f) => f.passage))];
      return {
        values: passages.length ? { passages: passages.join("\n") } : {},
        hints: { passages: passages.length ? `已预填内容筛查发现的 ${passages.length} 处，请核对增删。${passagesHint}` : passagesHint },
      };
    }
    if (outcome === "approve") {
      const open = openFindings(d);
      const n = open.findings.length + open.unscreened.length;
      return n ? { values: {}, hints: { overrideReason: `本稿尚有 ${n} 处筛查发现待处理，不删除的须在此写明放行理由。` } } : undefined;
    }
  }
  if (c.workflow === "document" && step === "publish_document" && outcome === "published") {
    const d = c as unknown as DocumentData;
    return {
      values: { column: d.column },
      hints: { column: `已预填拟稿时选择的栏目（${columnLabel(d.column)}）。填写栏目代码：${catalogueColumns.map((x) => `${x.code}（${x.label}）`).join("、")}。` },
    };
  }
  if (c.workflow === "reconciliation" && outcome === "recorded") {
    const d = c as unknown as ReconciliationData;
    return d.discrepancies.length
      ? { values: { resolutions: d.discrepancies.map((x) => `${x.documentNumber}：`).join("\n") }, hints: { resolutions: "已按差异逐行预填文号，请在冒号后写明处理情况（如：已于某日补充发布）。" } }
      : undefined;
  }
  if (outcome === "redact" && step.startsWith("secrecy_")) return { values: {}, hints: { passages: passagesHint } };
  return undefined;
}
