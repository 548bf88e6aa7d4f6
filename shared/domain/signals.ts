import { createHash } from "node:crypto";

/**
 * Signals the OGI Regulations ask the office to notice (SPEC §3.1 "Also:"), as pure
 * functions: art. 35 (one applicant's applications clearly exceed a reasonable range),
 * art. 44 (several applicants ask for the same information: consider publishing it
 * proactively) and art. 36(6) (the same as one already answered for the same applicant).
 * They only point things out; what to do stays the office's decision.
 */

/**
 * More than this many applications from one applicant to one agency in a calendar month
 * counts as "clearly exceeding a reasonable range" (art. 35). 10 a month is the boundary
 * above which 国办函〔2020〕109号 (政府信息公开信息处理费管理办法) starts charging by
 * quantity, the national measure of "many" for one applicant.
 */
export const EXCESSIVE_APPLICATIONS_PER_MONTH = 10;

/** How far back other applicants' applications for the same information count (art. 44). */
export const SAME_INFORMATION_WINDOW_MONTHS = 12;

export const signalFlags = ["excessive_requests", "same_information", "possible_repeat"] as const;
export type SignalFlag = (typeof signalFlags)[number];
export const signalFlagLabels: Record<SignalFlag, string> = {
  excessive_requests: "申请数量明显超过合理范围（条例第三十五条）",
  same_information: "多个申请人申请相同信息（条例第四十四条）",
  possible_repeat: "疑似重复申请（条例第三十六条第六项）",
};

/** Reply types that are no answer on the substance: asking again after them is no repeat. */
const NOT_ANSWERED = new Set(["withdrawn", "fee_unpaid"]);

/**
 * One form of a text for comparison: full-width to half-width (NFKC, which also folds the
 * ideographic space and full-width digits), lower case, and only letters and digits kept,
 * so punctuation, brackets (〔2025〕 = [2025] = (2025)) and whitespace do not matter.
 */
export function normaliseForComparison(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "");
}

/** What identifies the information sought: the description, and the document number when given. */
export interface InformationSought {
  description: string;
  documentNumber?: string | undefined;
}

/** A fingerprint of the information sought (32 hex characters): equal for the same information however it is typed. */
export function informationFingerprint(info: InformationSought): string {
  const description = normaliseForComparison(info.description);
  const documentNumber = normaliseForComparison(info.documentNumber ?? "");
  return createHash("sha256").update(`${description}\u0000${documentNumber}`).digest("hex").slice(0, 32);
}

/** Index keys the signals are computed from (Store `signal` writes). */
export const applicantMonthKey = (agencyCode: string, applicantKey: string, month: string) => `applicant#${agencyCode}#${applicantKey}#${month}`;
export const informationKey = (agencyCode: string, fingerprint: string) => `info#${agencyCode}#${fingerprint}`;

/** The calendar month (YYYY-MM) of an Asia/Shanghai date. */
export const monthOf = (isoDate: string) => isoDate.slice(0, 7);

/** Another application for the same information (same fingerprint, same agency). */
export interface SameInformationCase {
  caseId: string;
  reference: string;
  applicantKey: string;
  /** when it was submitted (ISO instant) */
  at: string;
  /** the reply type and when it was given, when the case was answered */
  replyType?: string | undefined;
  answeredAt?: string | undefined;
}

export interface SignalFacts {
  caseId: string;
  applicantKey: string;
  /** when this application was submitted (ISO instant) */
  at: string;
  /** this applicant's applications to this agency in this application's month, this one included */
  applicationsThisMonth: number;
  sameFingerprint: SameInformationCase[];
}

export interface SignalAssessment {
  applicationsThisMonth: number;
  /** tracking numbers of other applicants' applications for the same information */
  sameInformation: string[];
  /** tracking numbers of this applicant's earlier, answered applications for the same information */
  possibleRepeatOf: string[];
  flags: SignalFlag[];
}

/** `at` minus whole calendar months (UTC arithmetic on the instant: a day either way does not matter here). */
function monthsBefore(at: string, months: number): string {
  const d = new Date(at);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.toISOString();
}

export function assessSignals(f: SignalFacts): SignalAssessment {
  const others = f.sameFingerprint.filter((o) => o.caseId !== f.caseId);
  const since = monthsBefore(f.at, SAME_INFORMATION_WINDOW_MONTHS);
  const sameInformation = others.filter((o) => o.applicantKey !== f.applicantKey && o.at >= since).map((o) => o.reference);
  const possibleRepeatOf = others
    // asked again after the answer: while the first is still open, the office answers both together
    .filter((o) => o.applicantKey === f.applicantKey && o.answeredAt !== undefined && o.answeredAt <= f.at && o.replyType !== undefined && !NOT_ANSWERED.has(o.replyType))
    .map((o) => o.reference);
  const flags: SignalFlag[] = [];
  if (f.applicationsThisMonth > EXCESSIVE_APPLICATIONS_PER_MONTH) flags.push("excessive_requests");
  if (sameInformation.length > 0) flags.push("same_information");
  if (possibleRepeatOf.length > 0) flags.push("possible_repeat");
  return { applicationsThisMonth: f.applicationsThisMonth, sameInformation: [...new Set(sameInformation)].sort(), possibleRepeatOf: [...new Set(possibleRepeatOf)].sort(), flags };
}

/** What each signal means for the office, one line each (audit timeline and mail). */
export function signalLines(a: SignalAssessment, month: string): string[] {
  const lines: string[] = [];
  if (a.flags.includes("excessive_requests")) {
    lines.push(
      `该申请人 ${month} 已向本机关提出 ${a.applicationsThisMonth} 件申请，超过每月 ${EXCESSIVE_APPLICATIONS_PER_MONTH} 件，明显超过合理范围：依《条例》第三十五条，可以要求申请人说明理由；理由不合理的，告知不予处理；理由合理但无法在规定期限内答复的，可以确定延迟答复的合理期限并告知申请人。`,
    );
  }
  if (a.flags.includes("same_information")) {
    lines.push(`其他申请人近 ${SAME_INFORMATION_WINDOW_MONTHS} 个月申请过相同的政府信息（${a.sameInformation.join("、")}）：依《条例》第四十四条，多个申请人就相同政府信息申请公开且属于可以公开的，可以纳入主动公开的范围。`);
  }
  if (a.flags.includes("possible_repeat")) {
    lines.push(`该申请人曾申请相同的政府信息并已获答复（${a.possibleRepeatOf.join("、")}）：如确属重复申请，依《条例》第三十六条第六项告知不予重复处理。`);
  }
  return lines;
}

/** One line for the audit timeline. */
export function signalSummary(a: SignalAssessment, month: string): string {
  if (a.flags.length === 0) return `核查申请情况：该申请人 ${month} 向本机关提出申请 ${a.applicationsThisMonth} 件（含本件），未发现相同信息申请或重复申请`;
  return `提示：${a.flags.map((f) => signalFlagLabels[f]).join("；")}`;
}
