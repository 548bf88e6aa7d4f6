import type { AppDeps } from "../deps";
import { ConcurrentChangeError, ConflictError, NotFoundError, UnprocessableError, ValidationError, type FieldError } from "../errors";
import { mayMailNewCode, takeAccessCodeAttempt, takeCorrection, takeNewCodeRequest } from "../rate-limits";
import { runOutcome } from "../engine/run-outcome";
import { mailMessage } from "../mail";
import { applicationFieldLabels, applicationFields, parseApplicationInput } from "../../schemas/application";
import { shanghaiDate } from "../../domain/calendar";
import { hashAccessCode, newAccessCode, trackingNumberPattern } from "../../domain/ids";
import type { CaseRecord, LetterRecord } from "../../domain/records";
import type { ApplicationData } from "../../domain/workflows/application/data";
import { applicationWorkflow } from "../../domain/workflows";
import { deadlineViews } from "../views/case";
import { replyTypeLabels } from "../../domain/workflows/application/labels";
import type { ReplyType } from "../../domain/report/cells";

/**
 * The applicant's side: everything needs the tracking number and the access code,
 * and a wrong number and a wrong code get the very same answer. Wrong codes are
 * counted per tracking number and per client address (shared/app/rate-limits.ts);
 * past the limit every attempt is refused (429) until the window ends, the right code
 * included — for an unknown number exactly as for a real one.
 */
const notFound = () => new NotFoundError("申请编号或查询码不正确");

/** Plain-Chinese status for the applicant (not the office's wording). */
const applicantStatus: Record<string, string> = {
  received: "已提交，等待办公室确认收到",
  registered: "已受理，正在审查申请内容",
  under_review: "正在审查申请内容",
  correction_requested: "需要您补正申请",
  in_progress: "正在办理",
  extended: "正在办理（已延期答复）",
  replied: "已答复",
  withdrawn: "已终止（逾期未补正，视为放弃申请）",
  fee_notified: "需要您缴纳信息处理费（见收费通知书）",
  fee_unpaid: "已终止（逾期未缴纳信息处理费，视为放弃申请）",
  archived: "已办结并归档",
};

/** The applicant's case, or the same 404 for an unknown number and a wrong code. */
export async function authenticateApplicant(deps: AppDeps, trackingNumber: string, accessCode: string | undefined, clientIp: string): Promise<CaseRecord> {
  // counted before the check, so that racing guesses cannot overshoot the limit; a right code gives it back
  const attempt = await takeAccessCodeAttempt(deps, trackingNumber, clientIp);
  // a number of no possible shape is not looked up (nor is a key past DynamoDB's size), and is answered alike
  const tracking = trackingNumberPattern.test(trackingNumber) && trackingNumber.length <= 64 ? await deps.store.cases.tracking(trackingNumber) : undefined;
  const ok = Boolean(accessCode) && tracking?.accessCodeHash === hashAccessCode(trackingNumber, accessCode ?? "");
  const c = ok && tracking ? await deps.store.cases.get(tracking.caseId) : undefined;
  if (!c) throw notFound();
  await attempt.refund();
  return c;
}

export interface ApplicantView {
  trackingNumber: string;
  status: string;
  statusText: string;
  receivedOn: string | null;
  /** the statutory answer deadline */
  dueOn: string | null;
  dueIsProvisional: boolean;
  /** the answer clock waits (for a correction, a third party or another agency) */
  duePaused: boolean;
  workingDaysLeft: number | null;
  events: Array<{ at: string; type: string; summary: string }>;
  letters: Array<{ letterId: string; kind: string; title: string; number: string; issuedAt: string; issuedOn: string }>;
  /** open correction notice: what to correct and by when */
  correction: { items: string[]; dueOn: string; open: boolean } | null;
  result: { replyType: string; label: string } | null;
}

export async function viewCaseAsApplicant(deps: AppDeps, trackingNumber: string, accessCode: string | undefined, clientIp = "unknown"): Promise<ApplicantView> {
  const c = await authenticateApplicant(deps, trackingNumber, accessCode, clientIp);
  const d = c.data as ApplicationData;
  const [events, calendar, tasks] = await Promise.all([deps.store.cases.events(c.caseId), deps.calendar(), deps.store.tasks.ofCase(c.caseId)]);
  const answer = deadlineViews(c, calendar, deps.clock.now()).find((x) => x.name === "answer");
  const correctionOpen = tasks.some((t) => t.step === "await_correction" && t.status === "open");
  return {
    trackingNumber: d.trackingNumber,
    status: c.status,
    statusText: applicantStatus[c.status] ?? c.status,
    receivedOn: d.receivedOn ?? null,
    dueOn: answer && !answer.stopped ? answer.dueOn : (answer?.dueOn ?? null),
    dueIsProvisional: answer?.provisional ?? false,
    duePaused: answer?.paused ?? false,
    workingDaysLeft: answer?.workingDaysLeft ?? null,
    events: events.filter((e) => e.applicantVisible).map((e) => ({ at: e.at, type: e.type, summary: e.summary })),
    letters: c.letters.filter((l) => l.to === "applicant").map(({ letterId, kind, title, number, issuedAt, issuedOn }) => ({ letterId, kind, title, number, issuedAt, issuedOn })),
    correction: d.correction?.requestedOn ? { items: d.correction.items, dueOn: d.correction.dueOn ?? "", open: correctionOpen } : null,
    result: c.result ? { replyType: c.result.replyType, label: replyTypeLabels[c.result.replyType as ReplyType] ?? c.result.replyType } : null,
  };
}

/**
 * The applicant corrects online (SPEC §7.1 correction): any application fields to
 * correct plus `note`. 409 when no correction notice is open, 422 after its deadline;
 * the corrected application is validated as a whole.
 */
export async function submitCorrection(deps: AppDeps, trackingNumber: string, accessCode: string | undefined, clientIp: string, body: unknown) {
  const c = await authenticateApplicant(deps, trackingNumber, accessCode, clientIp);
  await takeCorrection(deps, trackingNumber, clientIp);
  const d = c.data as ApplicationData;
  const b = (body && typeof body === "object" && !Array.isArray(body) ? body : undefined) as Record<string, unknown> | undefined;
  if (!b) throw new ValidationError("VALIDATION_FAILED", "请求体应为 JSON 对象", [{ path: "", code: "wrong_type", message: "请求体应为 JSON 对象" }]);
  const today = shanghaiDate(deps.clock.now());
  const task = (await deps.store.tasks.ofCase(c.caseId)).find((t) => t.step === "await_correction" && t.status === "open");
  if (!task) {
    if (d.correction?.dueOn && d.correction.dueOn < today && !d.correction.receivedOn) {
      throw new UnprocessableError("CORRECTION_PERIOD_OVER", `补正期限已于 ${d.correction.dueOn} 届满，逾期补正不予接受`);
    }
    throw new ConflictError("NO_CORRECTION_NOTICE", "该申请当前没有待补正的告知书，无需补正");
  }
  const note = typeof b.note === "string" ? b.note.trim() : "";
  const errors: FieldError[] = [];
  if (note.length > 2000) errors.push({ path: "note", code: "too_long", message: "补正说明不能超过 2000 个字" });
  // the corrected application: the fields sent replace the stored ones, then the whole is checked again
  const changed = applicationFields.filter((f) => f !== "agencyCode" && f !== "applicantType" && b[f] !== undefined);
  const merged: Record<string, unknown> = { ...d.application };
  for (const f of changed) merged[f] = b[f];
  const parsed = parseApplicationInput(merged, today);
  if (!parsed.ok) errors.push(...parsed.error.fields);
  if (changed.length === 0 && !note) errors.push({ path: "", code: "required", message: "请填写需要补正的内容或补正说明" });
  if (errors.length || !parsed.ok) throw new ValidationError("VALIDATION_FAILED", "补正内容有误，请按提示修改", errors);
  const summary = [note, ...changed.map((f) => `${applicationFieldLabels[f]}已更正`)].filter(Boolean).join("；");
  try {
    const stored = await runOutcome(deps, {
      task,
      outcome: "corrected",
      input: { receivedOn: today, note: summary.slice(0, 2000) },
      extra: { application: parsed.value, changed },
      actor: { kind: "applicant" },
    });
    return { trackingNumber: d.trackingNumber, status: stored.status };
  } catch (error) {
    if (error instanceof ConcurrentChangeError) throw new ConflictError("CONFLICT", "申请状态刚刚发生变化，请刷新后重试");
    throw error;
  }
}

export interface LetterFile {
  body: Uint8Array;
  contentType: string;
  filename: string;
}

export async function letterFile(deps: AppDeps, letter: LetterRecord, format: string | null): Promise<LetterFile> {
  const kind = format === "html" ? "html" : "docx";
  const file = await deps.files.get(letter.files[kind]);
  if (!file) throw new NotFoundError("文书文件不存在");
  return { body: file.body, contentType: file.contentType, filename: `${letter.title}（${letter.number}）.${kind}` };
}

/** One of the applicant's own letters (those sent to them), never one to a third party. */
export async function applicantLetter(deps: AppDeps, trackingNumber: string, accessCode: string | undefined, clientIp: string, letterId: string, format: string | null) {
  const c = await authenticateApplicant(deps, trackingNumber, accessCode, clientIp);
  const letter = c.letters.find((l) => l.letterId === letterId && l.to === "applicant");
  if (!letter) throw new NotFoundError("未找到该文书");
  return letterFile(deps, letter, format);
}

/**
 * A lost access code: a new one goes to the email on file (the old one stops
 * working). The answer is the same whether or not the number exists or has an
 * email, so it reveals nothing; at most a few a day per number.
 */
export async function sendNewAccessCode(deps: AppDeps, trackingNumber: string, clientIp?: string): Promise<{ sent: true }> {
  const now = deps.clock.now();
  // one client asking for many numbers is refused (429); one number asked too often is answered as always
  await takeNewCodeRequest(deps, clientIp);
  if (!trackingNumberPattern.test(trackingNumber) || trackingNumber.length > 64 || !(await mayMailNewCode(deps, trackingNumber))) return { sent: true };
  const tracking = await deps.store.cases.tracking(trackingNumber);
  const c = tracking ? await deps.store.cases.get(tracking.caseId) : undefined;
  const email = c ? (c.data as ApplicationData).application.email : undefined;
  if (!tracking || !c || !email || c.workflow !== applicationWorkflow.workflow) return { sent: true };
  const accessCode = newAccessCode();
  const message = mailMessage({
    to: [email],
    subject: `您的政府信息公开申请的新查询码（${trackingNumber}）`,
    text: `您申请了新的查询码。申请编号 ${trackingNumber} 的新查询码为：${accessCode}\n原查询码已失效。如非本人操作，请联系受理机关。\n查询地址：${deps.config.publicBaseUrl}/track`,
    caseId: c.caseId,
  });
  const record = { messageId: deps.newId(), createdAt: now.toISOString(), message };
  await deps.store.commit([
    { kind: "tracking", tracking: { ...tracking, accessCodeHash: hashAccessCode(trackingNumber, accessCode) }, replace: true },
    { kind: "outbox", record },
  ]);
  await deps.outbox.dispatch([record]);
  return { sent: true };
}
