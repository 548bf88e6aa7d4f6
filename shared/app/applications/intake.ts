import { createHash } from "node:crypto";
import type { AppDeps } from "../deps";
import type { StaffPrincipal } from "../auth";
import { ConcurrentChangeError, UnprocessableError, ValidationError, type FieldError } from "../errors";
import { commitChange } from "../engine/commit";
import { applyDecision } from "../engine/apply";
import { decideOrRefuse } from "../engine/run-outcome";
import { newCaseRecord } from "../../domain/workflows/engine";
import { mailMessage } from "../mail";
import type { Write } from "../ports/store";
import { parseApplicationInput, type ApplicationInput } from "../../schemas/application";
import { isIsoDate, shanghaiDate, type IsoDate } from "../../domain/calendar";
import { formatTrackingNumber, hashAccessCode, newAccessCode } from "../../domain/ids";
import type { CaseRecord } from "../../domain/records";
import { attachmentLimits, checkAttachments, type IncomingAttachment } from "../../domain/files/attachments";
import { jsonAttachmentsSchema } from "../../schemas/requests";
import type { ApplicationData, Attachment, Channel } from "../../domain/workflows/application/data";
import { channelLabels } from "../../domain/workflows/application/data";
import { applicationWorkflow } from "../../domain/workflows";
import { stepQueueName } from "../../domain/workflows/names";
import { logger } from "../../adapters/logger";
import { takeIntake } from "../rate-limits";
import { cachedAgency } from "../agency-cache";
import { nextTrackingSequence } from "./tracking-numbers";

export interface SubmittedApplication {
  trackingNumber: string;
  accessCode: string;
  status: string;
  caseId: string;
  agencyName: string;
}

/** The same applicant across channels: by ID number or credit code, never stored in clear here. */
export function applicantKeyOf(a: ApplicationInput): string {
  const id = a.applicantType === "natural_person" ? `person:${a.idType}:${a.idNumber.toUpperCase()}` : `org:${a.creditCode}`;
  return createHash("sha256").update(id).digest("hex").slice(0, 32);
}

/** The annual report's column of an applicant (SPEC §5.1). */
export function applicantColumnOf(a: ApplicationInput): string {
  return a.applicantType === "natural_person" ? "natural_person" : a.organizationKind;
}

const bodyHash = (body: unknown) => createHash("sha256").update(JSON.stringify(body ?? null)).digest("hex");
const IDEMPOTENCY_HOURS = 24;

/** Base64 attachments of a JSON body (`[{name, data}]`, the schema the OpenAPI document shows), or files of a multipart form. */
function readAttachments(body: unknown, given?: IncomingAttachment[]): { files: IncomingAttachment[]; errors: FieldError[] } {
  if (given) return { files: given, errors: [] };
  const raw = (body as { attachments?: unknown } | null)?.attachments;
  if (raw === undefined || raw === null) return { files: [], errors: [] };
  const parsed = jsonAttachmentsSchema.safeParse(raw);
  if (!parsed.success) {
    const tooMany = Array.isArray(raw) && raw.length > attachmentLimits.maxFiles;
    return {
      files: [],
      errors: [
        tooMany
          ? { path: "attachments", code: "too_many", message: `附件最多 ${attachmentLimits.maxFiles} 个` }
          : { path: "attachments", code: "wrong_type", message: "附件应为 [{name, data}] 列表，data 为 Base64 编码的文件内容" },
      ],
    };
  }
  return { files: parsed.data.map((a) => ({ name: a.name, bytes: Buffer.from(a.data, "base64") })), errors: [] };
}

interface Prepared {
  input: ApplicationInput;
  agencyName: string;
  attachments: ReturnType<typeof checkAttachments>["files"];
}

async function prepare(deps: AppDeps, body: unknown, today: IsoDate, files?: IncomingAttachment[], extraErrors: FieldError[] = []): Promise<Prepared> {
  const parsed = parseApplicationInput(body, today);
  const incoming = readAttachments(body, files);
  const checked = checkAttachments(incoming.files);
  const errors = [...(parsed.ok ? [] : parsed.error.fields), ...incoming.errors, ...checked.errors, ...extraErrors];
  const agency = parsed.ok ? await cachedAgency(deps, parsed.value.agencyCode) : undefined;
  if (parsed.ok && !agency) errors.push({ path: "agencyCode", code: "unknown_agency", message: "受理机关不存在，请选择正确的机关" });
  if (errors.length || !parsed.ok || !agency) {
    throw new ValidationError("VALIDATION_FAILED", parsed.ok ? "提交的内容有误，请按提示修改" : parsed.error.message, errors);
  }
  return { input: parsed.value, agencyName: agency.name, attachments: checked.files };
}

/** A new application case in `received`, its tracking number taken and its attachments filed. */
async function newCase(deps: AppDeps, p: Prepared, channel: Channel, facts: Pick<ApplicationData, "signedForOn" | "enteredReceivedOn"> & { submittedOn: IsoDate }) {
  const now = deps.clock.now();
  const year = Number(shanghaiDate(now).slice(0, 4));
  const trackingNumber = formatTrackingNumber(p.input.agencyCode, year, await nextTrackingSequence(deps, p.input.agencyCode, year));
  const accessCode = newAccessCode();
  const accessCodeHash = hashAccessCode(trackingNumber, accessCode);
  const caseId = deps.newId();
  const attachments: Attachment[] = [];
  for (const [i, f] of p.attachments.entries()) {
    const key = `attachments/${caseId}/${i + 1}.${f.extension}`;
    // filed before the commit: a commit that fails leaves an orphan file, never a case without its file
    await deps.files.put(key, f.bytes, f.contentType);
    attachments.push({ key, name: f.name, contentType: f.contentType, bytes: f.bytes.byteLength });
  }
  const data: ApplicationData = {
    trackingNumber,
    channel,
    submittedAt: now.toISOString(),
    submittedOn: facts.submittedOn,
    ...(facts.signedForOn ? { signedForOn: facts.signedForOn } : {}),
    ...(facts.enteredReceivedOn ? { enteredReceivedOn: facts.enteredReceivedOn } : {}),
    application: p.input,
    applicantKey: applicantKeyOf(p.input),
    applicantColumn: applicantColumnOf(p.input),
    attachments,
    consultations: [],
  };
  const record = newCaseRecord(applicationWorkflow, { caseId, agencyCode: p.input.agencyCode, reference: trackingNumber, now, createdOn: facts.submittedOn, data });

  return { record, accessCode, accessCodeHash, trackingNumber };
}

function receiptMail(c: CaseRecord, agencyName: string, baseUrl: string) {
  const d = c.data as ApplicationData;
  if (!d.application.email) return [];
  return [
    mailMessage({
      to: [d.application.email],
      subject: `已收到您的政府信息公开申请（${d.trackingNumber}）`,
      text: [
        `${agencyName}已收到您于 ${d.submittedOn} 提交的政府信息公开申请，申请编号 ${d.trackingNumber}。`,
        "办公室确认收到并受理登记后，将另行告知受理日期和法定答复期限（《中华人民共和国政府信息公开条例》第三十一条、第三十三条）。",
        `查询办理进度：${baseUrl}/track ，请输入申请编号和提交时页面上显示的查询码。`,
        `查询码遗失的，可在查询页面申请向本邮箱发送新的查询码。`,
      ].join("\n"),
      caseId: c.caseId,
    }),
  ];
}

/**
 * Intake of an online application (SPEC §3.1 step 1). The case, its first audit
 * event, the tracking-number claim, the hand-off to the registration step and the
 * applicant's receipt email are one transaction. With an Idempotency-Key a repeat of
 * the same request returns the first response and stores nothing.
 *
 * `clientIp` (the public edge passes the request's source address) is limited per
 * address (shared/app/rate-limits.ts: 429 with Retry-After); a valid application is
 * counted, a replay is not. Without it (tests, tools) no per-address limit applies.
 */
export async function submitApplication(
  deps: AppDeps,
  body: unknown,
  opts: { idempotencyKey?: string; attachments?: IncomingAttachment[]; clientIp?: string } = {},
): Promise<SubmittedApplication> {
  const claimKey = opts.idempotencyKey ? `idem#applications#${opts.idempotencyKey}` : undefined;
  const hash = bodyHash(body);
  const replay = async () => {
    const claim = claimKey ? await deps.store.claims.get(claimKey) : undefined;
    if (!claim) return undefined;
    if (claim.bodyHash !== hash) throw new UnprocessableError("IDEMPOTENCY_KEY_REUSED", "该 Idempotency-Key 已用于另一份不同的申请，请换用新的键");
    return claim.response as SubmittedApplication;
  };
  const earlier = await replay();
  if (earlier) return earlier;

  const now = deps.clock.now();
  const today = shanghaiDate(now);
  const p = await prepare(deps, body, today, opts.attachments);
  const intake = await takeIntake(deps, opts.clientIp);
  const { record, accessCode, accessCodeHash, trackingNumber } = await newCase(deps, p, "online", { submittedOn: today });
  const response: SubmittedApplication = { trackingNumber, accessCode, status: record.status, caseId: record.caseId, agencyName: p.agencyName };
  const extra: Write[] = [{ kind: "tracking", tracking: { trackingNumber, caseId: record.caseId, accessCodeHash } }];
  if (claimKey) extra.push({ kind: "claim", key: claimKey, value: { bodyHash: hash, response }, expiresAt: Math.floor(now.getTime() / 1000) + IDEMPOTENCY_HOURS * 3600 });
  try {
    await commitChange(deps, {
      case: record,
      events: [
        {
          actor: { kind: "applicant" },
          type: "application.submitted",
          summary: "申请人通过网上申请平台提交政府信息公开申请",
          data: { channel: "online", trackingNumber, attachments: (record.data as ApplicationData).attachments.length },
          applicantVisible: true,
        },
      ],
      outbox: [
        { kind: "queue", queue: stepQueueName("application", applicationWorkflow.start.step), body: { type: "task.opened", caseId: record.caseId, workflow: "application", step: applicationWorkflow.start.step } },
        ...receiptMail(record, p.agencyName, deps.config.publicBaseUrl),
      ],
      extra,
    });
  } catch (error) {
    // the same key committed by a concurrent request: answer what it answered
    if (error instanceof ConcurrentChangeError && claimKey) {
      const first = await replay();
      if (first) {
        await intake.refund();
        return first;
      }
    }
    throw error;
  }
  logger.info("application received", { agencyCode: record.agencyCode, caseId: record.caseId, trackingNumber });
  return response;
}

const staffChannels = ["letter", "registered_mail", "fax", "in_person"] as const;

/**
 * A letter, registered mail, fax or walk-in entered by the office (SPEC §7.1
 * `POST /api/v1/staff/applications`). The office registers it as it enters it: the
 * receipt date follows art. 31 from the channel's facts, the answer period starts,
 * the receipt letter goes out and the completeness review opens — one transaction.
 */
export async function enterApplication(deps: AppDeps, principal: StaffPrincipal, body: unknown, opts: { attachments?: IncomingAttachment[] } = {}) {
  // the office enters applications for its own agency only
  const b: Record<string, unknown> = { ...((body && typeof body === "object" && !Array.isArray(body) ? body : {}) as Record<string, unknown>), agencyCode: principal.agencyCode };
  const now = deps.clock.now();
  const today = shanghaiDate(now);
  const errors: FieldError[] = [];
  const channel = typeof b.channel === "string" ? b.channel.trim() : "";
  if (!(staffChannels as readonly string[]).includes(channel)) {
    errors.push({ path: "channel", code: channel ? "invalid_choice" : "required", message: "请选择收到申请的方式（信函、挂号信件、传真、当面提交）" });
  }
  const date = (name: "receivedOn" | "signedForOn", label: string, required: boolean): IsoDate | undefined => {
    const v = typeof b[name] === "string" ? (b[name] as string).trim() : "";
    if (!v) {
      if (required) errors.push({ path: name, code: "required", message: `请填写${label}` });
      return undefined;
    }
    if (!isIsoDate(v)) errors.push({ path: name, code: "invalid_format", message: `${label}应为 YYYY-MM-DD 格式的日期` });
    else if (v > today) errors.push({ path: name, code: "out_of_range", message: `${label}不能晚于今天` });
    return isIsoDate(v) ? v : undefined;
  };
  const receivedOn = date("receivedOn", channel === "registered_mail" ? "收到日期" : channel === "in_person" ? "当面提交日期" : "与申请人确认收到的日期", true);
  const signedForOn = channel === "registered_mail" ? date("signedForOn", "挂号信签收日期", true) : undefined;
  if (receivedOn && signedForOn && signedForOn > receivedOn) errors.push({ path: "signedForOn", code: "out_of_range", message: "签收日期不能晚于收到日期" });
  const p = await prepare(deps, b, today, opts.attachments, errors);
  const c = channel as Channel;
  const submittedOn = signedForOn ?? receivedOn!;
  const { record, accessCode, accessCodeHash, trackingNumber } = await newCase(deps, p, c, {
    submittedOn,
    ...(signedForOn ? { signedForOn } : {}),
    enteredReceivedOn: receivedOn!,
  });
  const actor = { kind: "staff" as const, username: principal.username, displayName: principal.displayName, role: "office_staff" };
  const decision = decideOrRefuse({
    definition: applicationWorkflow,
    case: record,
    openTasks: [],
    outcome: "registered",
    // the law fixes the day for walk-ins and registered mail; for letters and faxes it is the confirmed day
    input: c === "in_person" || c === "registered_mail" ? {} : { receivedOn },
    actor,
    calendar: await deps.calendar(),
    now,
    newId: deps.newId,
  });
  const stored = await applyDecision(deps, decision, {
    events: [
      {
        actor,
        type: "application.submitted",
        summary: `办公室录入${channelLabels[c]}申请${signedForOn ? `（签收日期 ${signedForOn}）` : `（${receivedOn}）`}`,
        data: { channel: c, trackingNumber },
        applicantVisible: true,
      },
    ],
    extra: [{ kind: "tracking", tracking: { trackingNumber, caseId: record.caseId, accessCodeHash } }],
  });
  logger.info("application entered by staff", { agencyCode: record.agencyCode, caseId: record.caseId, trackingNumber, channel: c });
  return { caseId: stored.caseId, trackingNumber, accessCode, status: stored.status, receivedOn: (stored.data as ApplicationData).receivedOn };
}
