import { stringField } from "../publishing/submit";
import type { AppDeps } from "../deps";
import { ConcurrentChangeError, ConflictError, NotFoundError, ValidationError, type FieldError } from "../errors";
import { commitChange } from "../engine/commit";
import { addressKey, takeAttempt, waitText, type WindowLimit } from "../rate-limits";
import { screeningSettingsOf } from "../publishing/submit";
import { screen } from "../../domain/screening";
import { dueMoment } from "../../domain/deadlines";
import { shanghaiDate } from "../../domain/calendar";
import type { CaseRecord } from "../../domain/records";
import {
  commentCounts,
  consultationPath,
  dispositionLabels,
  publicCommentText,
  type ConsultationComment,
  type ConsultationData,
  type DispositionDecision,
  type DraftingExplanation,
} from "../../domain/workflows/consultation/data";
import { logger } from "../../adapters/logger";

/**
 * The public side of a consultation (SPEC §7.3): the lists of open and closed
 * consultations, one consultation with its draft, explanation, period and — once published —
 * the summary of how comments were handled; and the comment form's use case: checked,
 * rate-limited per client address, screened for personal data (a comment holding a resident
 * ID, phone number… is held: never shown publicly with them), refused once the period ended.
 */

/** Comments live on the case item: bounded so it stays well under DynamoDB's 400 KB. */
export const commentLimits = { text: 1000, name: 50, contact: 100, perConsultation: 100 } as const;

export const commentRateLimits = {
  perMinute: { name: "comment#ip#min", windowSeconds: 60, max: 5 },
  perDay: { name: "comment#ip#day", windowSeconds: 24 * 3600, max: 50 },
} as const satisfies Record<string, WindowLimit>;

export type ConsultationStatus = "open" | "closed";

export interface PublicConsultation {
  caseId: string;
  agencyCode: string;
  reference: string;
  title: string;
  opensOn: string;
  closesOn: string;
  workingDays: number;
  status: ConsultationStatus;
  draft: string;
  explanation: DraftingExplanation;
  url: string;
  commentCount: number;
  /** 第十一条: published once every comment has its disposition */
  summary?: {
    publishedOn: string;
    adopted: number;
    partlyAdopted: number;
    notAdopted: number;
    comments: Array<{ commentId: string; receivedOn: string; text: string; decision: DispositionDecision; decisionLabel: string; reason?: string }>;
  };
}

/** Open until the end of its closing day (Beijing time), whether or not the closing timer has run yet. */
export function consultationStatus(d: ConsultationData, now: Date): ConsultationStatus {
  return !d.closed && d.period && now.getTime() <= dueMoment(d.period.closesOn).getTime() ? "open" : "closed";
}

function publicView(deps: AppDeps, c: CaseRecord<ConsultationData>, now: Date): PublicConsultation {
  const d = c.data;
  const p = d.period!;
  const n = commentCounts(d);
  return {
    caseId: c.caseId,
    agencyCode: c.agencyCode,
    reference: c.reference,
    title: d.title,
    opensOn: p.opensOn,
    closesOn: p.closesOn,
    workingDays: p.workingDays,
    status: consultationStatus(d, now),
    draft: d.draft,
    explanation: d.explanation,
    url: `${deps.config.publicBaseUrl}${consultationPath(c.caseId)}`,
    commentCount: n.total,
    ...(d.summary
      ? {
          summary: {
            publishedOn: d.summary.on,
            adopted: n.adopted,
            partlyAdopted: n.partlyAdopted,
            notAdopted: n.notAdopted,
            comments: d.comments.map((x) => ({
              commentId: x.commentId,
              receivedOn: x.on,
              text: publicCommentText(x),
              decision: x.disposition!.decision,
              decisionLabel: dispositionLabels[x.disposition!.decision],
              ...(x.disposition!.reason ? { reason: x.disposition!.reason } : {}),
            })),
          },
        }
      : {}),
  };
}

/** A published consultation, or 404 (never published, exempt under 第四条, or another workflow's case). */
async function publishedConsultation(deps: AppDeps, caseId: string): Promise<CaseRecord<ConsultationData>> {
  const c = /^[0-9A-Z]{26}$/.test(caseId) ? await deps.store.cases.get(caseId) : undefined;
  if (!c || c.workflow !== "consultation" || !(c.data as unknown as ConsultationData).period) throw new NotFoundError("未找到该征求意见");
  return c as unknown as CaseRecord<ConsultationData>;
}

export async function viewConsultation(deps: AppDeps, caseId: string): Promise<PublicConsultation> {
  return publicView(deps, await publishedConsultation(deps, caseId), deps.clock.now());
}

/** Published consultations of an agency (or of every agency), newest first, by status. */
export async function listConsultations(deps: AppDeps, opts: { agencyCode?: string; status?: ConsultationStatus }): Promise<PublicConsultation[]> {
  const now = deps.clock.now();
  const today = shanghaiDate(now);
  const agencies = opts.agencyCode ? [opts.agencyCode] : (await deps.store.directory.agencies()).map((a) => a.code);
  const out: PublicConsultation[] = [];
  for (const agencyCode of agencies) {
    // open cases, and those closed (submitted for review) this year and last
    const found = await deps.store.cases.search({ agencyCode, workflow: "consultation", from: `${Number(today.slice(0, 4)) - 1}-01-01`, to: today, limit: 200 });
    for (const c of found as unknown as Array<CaseRecord<ConsultationData>>) {
      if (c.workflow !== "consultation" || !c.data.period) continue;
      const v = publicView(deps, c, now);
      if (!opts.status || v.status === opts.status) out.push(v);
    }
  }
  return out.sort((a, b) => b.opensOn.localeCompare(a.opensOn) || b.caseId.localeCompare(a.caseId));
}

export interface CommentInput {
  text: string;
  name?: string;
  contact?: string;
}

export function parseCommentInput(body: unknown): { input?: CommentInput; errors: FieldError[] } {
  const b = body && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const errors: FieldError[] = [];
  const text = stringField(b, "text", "意见内容", commentLimits.text, errors, true);
  const name = stringField(b, "name", "姓名", commentLimits.name, errors, false);
  const contact = stringField(b, "contact", "联系方式", commentLimits.contact, errors, false);
  if (errors.length) return { errors };
  return { input: { text: text!, ...(name ? { name } : {}), ...(contact ? { contact } : {}) }, errors };
}

const closedMessage = (d: ConsultationData) => `本次征求意见已于 ${d.period!.closesOn} 24时（北京时间）截止，不再接收意见`;

/** `POST /api/v1/consultations/{caseId}/comments`: 201 with the comment's number; 409 once the period is over. */
export async function submitComment(deps: AppDeps, caseId: string, body: unknown, clientIp?: string): Promise<{ commentId: string; held: boolean }> {
  const { input, errors } = parseCommentInput(body);
  const c0 = await publishedConsultation(deps, caseId);
  if (consultationStatus(c0.data, deps.clock.now()) === "closed") throw new ConflictError("CONSULTATION_CLOSED", closedMessage(c0.data));
  if (!input) throw new ValidationError("VALIDATION_FAILED", "提交的意见有误，请按提示修改", errors);
  if (clientIp !== undefined) {
    const address = addressKey(clientIp);
    await takeAttempt(
      deps,
      [
        [commentRateLimits.perMinute, address],
        [commentRateLimits.perDay, address],
      ],
      (wait) => `提交意见过于频繁：同一网络地址每分钟最多 ${commentRateLimits.perMinute.max} 条、每天最多 ${commentRateLimits.perDay.max} 条，请 ${waitText(wait)}后再试`,
    );
  }
  const agency = await deps.store.directory.agency(c0.agencyCode);
  // personal data and the agency's listed words, found before any comment is shown
  const report = screen([{ source: "comment", text: input.text }], agency ? screeningSettingsOf(agency) : { wordLists: {}, flagIndividualCreditCodes: true });
  const personalData = report.findings.map((f) => ({ start: f.start, end: f.end, label: f.label }));
  for (let attempt = 1; ; attempt++) {
    const c = attempt === 1 ? c0 : await publishedConsultation(deps, caseId);
    const now = deps.clock.now();
    if (consultationStatus(c.data, now) === "closed") throw new ConflictError("CONSULTATION_CLOSED", closedMessage(c.data));
    if (c.data.comments.length >= commentLimits.perConsultation) throw new ConflictError("TOO_MANY_COMMENTS", `本次征求意见收到的网上意见已达 ${commentLimits.perConsultation} 条上限，请以书面形式向起草科室提出`);
    const comment: ConsultationComment = {
      commentId: `C${c.data.comments.length + 1}`,
      at: now.toISOString(),
      on: shanghaiDate(now),
      text: input.text,
      ...(input.name ? { name: input.name } : {}),
      ...(input.contact ? { contact: input.contact } : {}),
      held: personalData.length > 0,
      personalData,
    };
    try {
      await commitChange(deps, {
        case: { ...c, data: { ...c.data, comments: [...c.data.comments, comment] } } as unknown as CaseRecord,
        expectedVersion: c.version,
        events: [
          {
            actor: { kind: "applicant", displayName: "社会公众" },
            type: "consultation.comment_received",
            summary: `收到网上意见 ${comment.commentId}${comment.held ? `（含${[...new Set(personalData.map((p) => p.label))].join("、")}，暂不公开，待审核）` : ""}`,
            data: { commentId: comment.commentId, held: comment.held },
          },
        ],
      });
      logger.info("consultation comment received", { agencyCode: c.agencyCode, caseId, commentId: comment.commentId, held: comment.held });
      return { commentId: comment.commentId, held: comment.held };
    } catch (error) {
      if (!(error instanceof ConcurrentChangeError) || attempt >= 5) throw error;
    }
  }
}
