import * as z from "zod";
import type { AppDeps } from "../deps";
import type { StaffPrincipal } from "../auth";
import { ForbiddenError, NotFoundError, ValidationError, type FieldError } from "../errors";
import { commitChange } from "../engine/commit";
import { sanitizeBody, textOf } from "./content";
import { attachmentText } from "../screening/attachment-text";
import { screen } from "../../domain/screening";
import { defaultScreeningSettings, type ScreeningReport, type ScreeningSettings } from "../../domain/screening/types";
import { catalogueColumnCodes } from "../../domain/catalogue/columns";
import { parseIndexNumber } from "../../domain/catalogue/entry";
import { shanghaiDate } from "../../domain/calendar";
import { sniffType, safeFileName } from "../../domain/files/attachments";
import { checkText } from "../../domain/text";
import type { AgencyRecord, CaseRecord } from "../../domain/records";
import type { Role } from "../../domain/roles";
import { workflowDefinition } from "../../domain/workflows";
import { newCaseRecord } from "../../domain/workflows/engine";
import { stepQueueName } from "../../domain/workflows/names";
import type { ContentVersion, PublicationData, StoredFile } from "../../domain/workflows/publication/data";
import type { DocumentData } from "../../domain/workflows/document/definition";
import type { CatalogueChangeData } from "../../domain/workflows/catalogue-change/definition";
import { logger } from "../../adapters/logger";

/**
 * Starting the publishing workflows (SPEC §7.2): an information item, an official
 * document, a correction or withdrawal of a catalogue entry. Each checks its input
 * (400 naming the field, nothing stored), screens the text and readable attachments with
 * the agency's word lists, files the attachments, and commits the case, its first audit
 * event and the hand-off to its first step in one transaction.
 */

/** Files of an item: images and attachments; the type is decided by content, never by name alone. */
export const publishingFileLimits = { maxFiles: 5, maxBytesEach: 1_500_000, maxBytesTotal: 3_000_000 } as const;

const DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

interface IncomingFile {
  name: string;
  bytes: Uint8Array;
}

const jsonFiles = z.array(z.object({ name: z.string().min(1).max(200), data: z.string().max(5_000_000) }).strict()).max(publishingFileLimits.maxFiles);

function fileType(name: string, bytes: Uint8Array): { contentType: string; extension: string } | undefined {
  const sniffed = sniffType(bytes);
  if (sniffed) return { contentType: sniffed.type, extension: sniffed.extension };
  const lower = name.toLowerCase();
  // a .docx is a zip: PK\x03\x04
  if (lower.endsWith(".docx") && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return { contentType: DOCX_TYPE, extension: "docx" };
  if (lower.endsWith(".txt") && !bytes.includes(0)) return { contentType: "text/plain; charset=utf-8", extension: "txt" };
  return undefined;
}

function readFiles(raw: unknown, path: string, errors: FieldError[]): IncomingFile[] {
  if (raw === undefined || raw === null) return [];
  const parsed = jsonFiles.safeParse(raw);
  if (!parsed.success) {
    errors.push(
      Array.isArray(raw) && raw.length > publishingFileLimits.maxFiles
        ? { path, code: "too_many", message: `文件最多 ${publishingFileLimits.maxFiles} 个` }
        : { path, code: "wrong_type", message: "文件应为 [{name, data}] 列表，data 为 Base64 编码的文件内容" },
    );
    return [];
  }
  return parsed.data.map((f) => ({ name: f.name, bytes: Buffer.from(f.data, "base64") }));
}

export interface CheckedFile {
  name: string;
  bytes: Uint8Array;
  contentType: string;
  extension: string;
}

function checkFiles(files: IncomingFile[], path: string, errors: FieldError[], images: boolean): CheckedFile[] {
  const out: CheckedFile[] = [];
  files.forEach((f, i) => {
    const type = fileType(f.name, f.bytes);
    if (f.bytes.byteLength === 0) errors.push({ path: `${path}[${i}]`, code: "empty", message: `文件「${safeFileName(f.name)}」是空的` });
    else if (f.bytes.byteLength > publishingFileLimits.maxBytesEach) errors.push({ path: `${path}[${i}]`, code: "too_large", message: `文件「${safeFileName(f.name)}」超过 1.5 MB` });
    else if (!type || (images && !type.contentType.startsWith("image/"))) {
      errors.push({ path: `${path}[${i}]`, code: "unsupported_type", message: images ? `图片「${safeFileName(f.name)}」应为 JPEG 或 PNG` : `附件「${safeFileName(f.name)}」应为 PDF、JPEG、PNG、DOCX 或 TXT` });
    } else out.push({ name: safeFileName(f.name), bytes: f.bytes, ...type });
  });
  return out;
}

/** Attachments sent with a record (JSON `[{name, data}]`), checked like an item's; errors name `path[i]`. */
export function checkedAttachments(raw: unknown, path: string, errors: FieldError[]): CheckedFile[] {
  return checkFiles(readFiles(raw, path, errors), path, errors, false);
}

const channelSchema = z.enum(["website", "wechat"]);

/** A trimmed text field: required or not, clean of control characters (multi-line above 200 characters), within `max`. */
export function stringField(b: Record<string, unknown>, name: string, label: string, max: number, errors: FieldError[], required = true): string | undefined {
  const raw = b[name];
  if (raw === undefined || raw === null || (typeof raw === "string" && raw.trim() === "")) {
    if (required) errors.push({ path: name, code: "required", message: `请填写${label}` });
    return undefined;
  }
  if (typeof raw !== "string") {
    errors.push({ path: name, code: "wrong_type", message: `${label}应为文本` });
    return undefined;
  }
  const value = raw.trim();
  const dirty = checkText(label, value, { multiline: max > 200 });
  if (dirty) errors.push({ path: name, ...dirty });
  else if (value.length > max) errors.push({ path: name, code: "too_long", message: `${label}不能超过 ${max} 个字` });
  else return value;
  return undefined;
}

const asObject = (body: unknown): Record<string, unknown> => (body && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : {});

function requireRole(principal: StaffPrincipal, roles: Role[], what: string): void {
  if (!principal.roles.some((r) => roles.includes(r))) throw new ForbiddenError(`当前角色无权${what}`);
}

async function agencyOf(deps: AppDeps, code: string): Promise<AgencyRecord> {
  const agency = await deps.store.directory.agency(code);
  if (!agency) throw new NotFoundError("机关不存在");
  return agency;
}

export const screeningSettingsOf = (agency: AgencyRecord): ScreeningSettings => agency.screening ?? defaultScreeningSettings;

/** Files stored under the case, and the text of each for screening. */
async function storeFiles(deps: AppDeps, caseId: string, version: number, files: CheckedFile[], kind: "attachments" | "images"): Promise<StoredFile[]> {
  const stored: StoredFile[] = [];
  for (const [i, f] of files.entries()) {
    const key = `${kind}/${caseId}/v${version}-${i + 1}.${f.extension}`;
    await deps.files.put(key, f.bytes, f.contentType);
    stored.push({ key, name: f.name, contentType: f.contentType, bytes: f.bytes.byteLength });
  }
  return stored;
}

function screenContent(title: string, text: string, files: CheckedFile[], settings: ScreeningSettings): ScreeningReport {
  return screen(
    [
      { source: "title", text: title },
      { source: "body", text },
      ...files.map((f) => {
        const read = attachmentText(f.name, f.contentType, f.bytes);
        return "text" in read ? { source: `attachment:${f.name}`, text: read.text } : { source: `attachment:${f.name}`, unreadable: read.unreadable };
      }),
    ],
    settings,
  );
}

/** A version of an item from what the info officer sent (new or revised); nothing is stored until `storeVersion`. */
export async function readContent(body: unknown, errors: FieldError[]) {
  const b = asObject(body);
  const title = stringField(b, "title", "标题", 200, errors);
  const rawBody = stringField(b, "body", "正文", 100_000, errors);
  const bodyHtml = rawBody === undefined ? undefined : await sanitizeBody(rawBody);
  if (rawBody !== undefined && bodyHtml !== undefined && (await textOf(bodyHtml)) === "") errors.push({ path: "body", code: "required", message: "正文不能为空" });
  const attachments = checkFiles(readFiles(b.attachments, "attachments", errors), "attachments", errors, false);
  const images = checkFiles(readFiles(b.images, "images", errors), "images", errors, true);
  const total = [...attachments, ...images].reduce((n, f) => n + f.bytes.byteLength, 0);
  if (total > publishingFileLimits.maxBytesTotal) errors.push({ path: "attachments", code: "too_large", message: "图片和附件合计不能超过 3 MB" });
  return { title, bodyHtml, attachments, images };
}

export async function storeVersion(
  deps: AppDeps,
  caseId: string,
  n: number,
  content: { title: string; bodyHtml: string; attachments: CheckedFile[]; images: CheckedFile[] },
  byName: string,
  settings: ScreeningSettings,
): Promise<ContentVersion> {
  const text = await textOf(content.bodyHtml);
  return {
    n,
    title: content.title,
    bodyHtml: content.bodyHtml,
    text,
    attachments: await storeFiles(deps, caseId, n, content.attachments, "attachments"),
    images: await storeFiles(deps, caseId, n, content.images, "images"),
    at: deps.clock.now().toISOString(),
    byName,
    screening: screenContent(content.title, text, content.attachments, settings),
  };
}

async function userEmail(deps: AppDeps, principal: StaffPrincipal): Promise<string | undefined> {
  return (await deps.store.directory.user(principal.agencyCode, principal.username))?.email;
}

/** A new case in its start status, committed with its first event and the hand-off to its start step. */
async function startCase(deps: AppDeps, principal: StaffPrincipal, workflow: string, caseId: string, reference: string, data: unknown, summary: string, actorRole: Role): Promise<CaseRecord> {
  const definition = workflowDefinition(workflow);
  const now = deps.clock.now();
  const record = newCaseRecord(definition, { caseId, agencyCode: principal.agencyCode, reference, now, data });

  const stored = await commitChange(deps, {
    case: record,
    events: [{ actor: { kind: "staff", username: principal.username, displayName: principal.displayName, role: actorRole }, type: `${workflow}.submitted`, summary }],
    outbox: [{ kind: "queue", queue: stepQueueName(workflow, definition.start.step), body: { type: "task.opened", caseId, workflow, step: definition.start.step } }],
  });
  logger.info(`${workflow} submitted`, { agencyCode: principal.agencyCode, caseId, reference });
  return stored;
}

async function nextReference(deps: AppDeps, agencyCode: string, prefix: string): Promise<string> {
  const year = Number(shanghaiDate(deps.clock.now()).slice(0, 4));
  return `${prefix}-${year}-${String(await deps.store.counters.next(agencyCode, `${prefix}#${year}`)).padStart(5, "0")}`;
}

function booleanField(b: Record<string, unknown>, name: string, label: string, errors: FieldError[]): boolean {
  const v = b[name];
  if (v === undefined || v === null || v === "" || v === false || v === "false" || v === "0") return false;
  if (v === true || v === "true" || v === "1" || v === "on") return true;
  errors.push({ path: name, code: "wrong_type", message: `${label}应为是或否` });
  return false;
}

function columnField(b: Record<string, unknown>, errors: FieldError[], required: boolean): string | undefined {
  const v = b.column;
  if (v === undefined || v === null || v === "") {
    if (required) errors.push({ path: "column", code: "required", message: "请选择目录栏目" });
    return undefined;
  }
  if (typeof v !== "string" || !(catalogueColumnCodes as readonly string[]).includes(v)) {
    errors.push({ path: "column", code: "invalid_choice", message: `目录栏目无效（可选：${catalogueColumnCodes.join("、")}）` });
    return undefined;
  }
  return v;
}

/** `POST /api/v1/publications`: an info officer (or the office) submits an item for review. */
export async function submitPublication(deps: AppDeps, principal: StaffPrincipal, body: unknown) {
  requireRole(principal, ["info_officer", "office_staff"], "报送信息");
  const b = asObject(body);
  const errors: FieldError[] = [];
  const content = await readContent(body, errors);
  let channels: Array<"website" | "wechat"> = [];
  const rawChannels = typeof b.channels === "string" ? [b.channels] : b.channels;
  const parsedChannels = z.array(channelSchema).min(1).max(2).safeParse(rawChannels);
  if (!parsedChannels.success) errors.push({ path: "channels", code: rawChannels === undefined ? "required" : "invalid_choice", message: "请选择发布渠道：website（门户网站）、wechat（微信公众号），至少一个" });
  else channels = [...new Set(parsedChannels.data)];
  const column = columnField(b, errors, channels.includes("website") || b.column !== undefined);
  const important = booleanField(b, "important", "是否重要内容", errors);
  const section = stringField(b, "section", "报送科室", 100, errors, false);
  if (errors.length) throw new ValidationError("VALIDATION_FAILED", "提交的内容有误，请按提示修改", errors);
  const agency = await agencyOf(deps, principal.agencyCode);
  const caseId = deps.newId();
  const version = await storeVersion(deps, caseId, 1, { title: content.title!, bodyHtml: content.bodyHtml!, attachments: content.attachments, images: content.images }, principal.displayName, screeningSettingsOf(agency));
  const email = await userEmail(deps, principal);
  const data: PublicationData = {
    submitter: { username: principal.username, displayName: principal.displayName, ...(email ? { email } : {}), ...(section ? { section } : {}) },
    channels,
    column: column ?? "work",
    important,
    versions: [version],
    overrides: [],
    redactions: [],
    returns: [],
  };
  const reference = await nextReference(deps, principal.agencyCode, "XX");
  const findings = version.screening.findings.length + version.screening.unscreened.length;
  const stored = await startCase(deps, principal, "publication", caseId, reference, data, `报送信息「${version.title}」${important ? "（重要内容）" : ""}${findings ? `，内容筛查发现 ${findings} 处需处理` : ""}`, principal.roles.includes("info_officer") ? "info_officer" : "office_staff");
  return { caseId, reference, status: stored.status, screening: version.screening };
}

const attributeSchema = z.enum(["proactive", "on_application", "not_public"]);

/**
 * A normative document's extra fields on `POST /api/v1/documents`: `normative`, the
 * interpretation draft sent with it (`interpretation`: {title, body}; 谁起草谁解读), the
 * working days to finalise the interpretation after the issue (`interpretationWorkingDays`,
 * 0–5, default 0: the same working day) and its consultation (`consultationCaseId`).
 */
function readNormative(b: Record<string, unknown>, errors: FieldError[]) {
  const normative = booleanField(b, "normative", "是否行政规范性文件", errors);
  const out: Pick<DocumentData, "normative" | "interpretationDraft" | "interpretationWorkingDays" | "consultationCaseId"> = {};
  if (normative) out.normative = true;
  if (b.interpretation !== undefined && b.interpretation !== null && b.interpretation !== "") {
    const i = asObject(b.interpretation);
    const nested: FieldError[] = [];
    const title = stringField(i, "title", "解读标题", 200, nested);
    const body = stringField(i, "body", "解读正文", 50_000, nested);
    errors.push(...nested.map((e) => ({ ...e, path: `interpretation.${e.path}` })));
    if (title && body) out.interpretationDraft = { title, body };
    if (!normative) errors.push({ path: "interpretation", code: "not_allowed", message: "只有行政规范性文件（normative 为 true）才报送解读初稿" });
  }
  const days = b.interpretationWorkingDays;
  if (days !== undefined && days !== null && days !== "") {
    const n = typeof days === "number" ? days : typeof days === "string" && /^\d+$/.test(days) ? Number(days) : NaN;
    if (!Number.isInteger(n) || n < 0 || n > 5) errors.push({ path: "interpretationWorkingDays", code: "out_of_range", message: "解读完成期限应为 0 到 5 个工作日（0 为印发当日）" });
    else out.interpretationWorkingDays = n;
  }
  const consultation = stringField(b, "consultationCaseId", "草案征求意见案件", 26, errors, false);
  if (consultation) {
    if (!/^[0-9A-Z]{26}$/.test(consultation)) errors.push({ path: "consultationCaseId", code: "invalid_format", message: "草案征求意见案件编号格式不正确" });
    else out.consultationCaseId = consultation;
  }
  return out;
}

/** `POST /api/v1/documents`: the drafting section proposes a document's disclosure attribute. */
export async function submitDocument(deps: AppDeps, principal: StaffPrincipal, body: unknown) {
  requireRole(principal, ["section_head", "office_staff", "info_officer"], "报送公文");
  const b = asObject(body);
  const errors: FieldError[] = [];
  const content = await readContent(body, errors);
  const attribute = attributeSchema.safeParse(b.disclosureAttribute);
  if (!attribute.success) errors.push({ path: "disclosureAttribute", code: b.disclosureAttribute === undefined ? "required" : "invalid_choice", message: "请选择公开属性：proactive（主动公开）、on_application（依申请公开）、not_public（不予公开）" });
  const reason = stringField(b, "reason", "不公开的理由", 2000, errors, attribute.success && attribute.data !== "proactive");
  const column = columnField(b, errors, false);
  const section = stringField(b, "section", "拟稿科室", 100, errors, false);
  const normative = readNormative(b, errors);
  if (errors.length || !attribute.success) throw new ValidationError("VALIDATION_FAILED", "提交的内容有误，请按提示修改", errors);
  if (normative.consultationCaseId) {
    const consultation = await deps.store.cases.get(normative.consultationCaseId);
    if (!consultation || consultation.agencyCode !== principal.agencyCode || consultation.workflow !== "consultation") {
      throw new ValidationError("VALIDATION_FAILED", "提交的内容有误，请按提示修改", [{ path: "consultationCaseId", code: "not_found", message: "未找到该草案征求意见案件" }]);
    }
  }
  const agency = await agencyOf(deps, principal.agencyCode);
  const caseId = deps.newId();
  const version = await storeVersion(deps, caseId, 1, { title: content.title!, bodyHtml: content.bodyHtml!, attachments: content.attachments, images: [] }, principal.displayName, screeningSettingsOf(agency));
  const email = await userEmail(deps, principal);
  const data: DocumentData = {
    title: version.title,
    bodyHtml: version.bodyHtml,
    text: version.text,
    attachments: version.attachments,
    screening: version.screening,
    drafter: { username: principal.username, displayName: principal.displayName, ...(email ? { email } : {}), ...(section ? { section } : {}) },
    proposal: { attribute: attribute.data, ...(reason ? { reason } : {}) },
    attribute: attribute.data,
    ...(reason && attribute.data !== "proactive" ? { attributeReason: reason } : {}),
    column: column ?? (normative.normative ? "normative" : "policy"),
    ...(normative.normative ? { normative: true } : {}),
    ...(normative.interpretationDraft ? { interpretationDraft: normative.interpretationDraft } : {}),
    ...(normative.interpretationWorkingDays !== undefined ? { interpretationWorkingDays: normative.interpretationWorkingDays } : {}),
    ...(normative.consultationCaseId ? { consultationCaseId: normative.consultationCaseId } : {}),
  };
  const reference = await nextReference(deps, principal.agencyCode, "GW");
  const labels = { proactive: "主动公开", on_application: "依申请公开", not_public: "不予公开" } as const;
  const stored = await startCase(deps, principal, "document", caseId, reference, data, `报送公文「${version.title}」，拟定公开属性：${labels[attribute.data]}${reason ? `（${reason}）` : ""}`, principal.roles.includes("section_head") ? "section_head" : principal.roles[0]!);
  return { caseId, reference, status: stored.status, screening: version.screening };
}

/** `POST /api/v1/catalogue-changes`: the office asks to correct or withdraw a published entry. */
export async function requestCatalogueChange(deps: AppDeps, principal: StaffPrincipal, body: unknown) {
  requireRole(principal, ["office_staff", "office_director", "web_admin"], "申请更正或撤回");
  const b = asObject(body);
  const errors: FieldError[] = [];
  const indexNumber = stringField(b, "indexNumber", "索引号", 40, errors);
  if (indexNumber && !parseIndexNumber(indexNumber)) errors.push({ path: "indexNumber", code: "invalid_format", message: "索引号格式应为 机关代码/年份-序号，如 001008010002002/2024-000157" });
  const action = z.enum(["correct", "withdraw"]).safeParse(b.action);
  if (!action.success) errors.push({ path: "action", code: b.action === undefined ? "required" : "invalid_choice", message: "请选择 correct（更正）或 withdraw（撤回）" });
  const note = stringField(b, "note", action.success && action.data === "withdraw" ? "撤回说明" : "更正说明", 2000, errors);
  const content = action.success && action.data === "correct" ? await readContent(body, errors) : undefined;
  if (errors.length || !action.success) throw new ValidationError("VALIDATION_FAILED", "提交的内容有误，请按提示修改", errors);
  const entry = await deps.store.catalogue.get(principal.agencyCode, indexNumber!);
  if (!entry) throw new ValidationError("VALIDATION_FAILED", "未找到该索引号的信息", [{ path: "indexNumber", code: "not_found", message: "本机关目录中没有这个索引号" }]);
  if (entry.status === "withdrawn") throw new ValidationError("VALIDATION_FAILED", "该信息已撤回", [{ path: "indexNumber", code: "withdrawn", message: "该信息已撤回，不能再更正或撤回" }]);
  const email = await userEmail(deps, principal);
  const caseId = deps.newId();
  const data: CatalogueChangeData = {
    indexNumber: entry.indexNumber,
    action: action.data,
    note: note!,
    ...(content ? { corrected: { title: content.title!, bodyHtml: content.bodyHtml!, text: await textOf(content.bodyHtml!) } } : {}),
    before: entry,
    requestedBy: { username: principal.username, displayName: principal.displayName, ...(email ? { email } : {}) },
  };
  const reference = await nextReference(deps, principal.agencyCode, "GZ");
  const stored = await startCase(deps, principal, "catalogue_change", caseId, reference, data, `申请${action.data === "withdraw" ? "撤回" : "更正"} ${entry.indexNumber}「${entry.title}」：${note}`, principal.roles[0]!);
  return { caseId, reference, status: stored.status };
}
