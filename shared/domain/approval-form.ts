/**
 * 《信息公开审批表》 (seed 政务信息公开发布及审核制度 第二条): every published item
 * carries one, listing every signer with role, date and opinion in the order they
 * signed. Pure data: the caller builds it (from the item's audit trail), the renderers
 * in shared/ui/approval-form print it as an A4 page or a Word document.
 */

export interface ApprovalSignature {
  /** the step signed, e.g. 科室负责人审核 */
  stepLabel: string;
  /** the signer's role, e.g. 科室负责人 */
  roleLabel: string;
  /** the signer's display name (never a user name) */
  name: string;
  /** ISO instant of the signature */
  at: string;
  /** e.g. 同意 / 退回修改 */
  decisionLabel: string;
  opinion?: string;
}

export interface ApprovalForm {
  agencyName: string;
  /** the item's reference number */
  reference: string;
  title: string;
  /** 网站/微信信息 or 公文 */
  kindLabel: string;
  /** e.g. 报送科室, 信息员, 拟发布渠道, 栏目, 是否重要, 公开属性, 索引号 — in the order printed */
  fields: Array<{ label: string; value: string }>;
  /** in the order signed */
  signatures: ApprovalSignature[];
  screening?: { findings: number; overridden: number; redacted: number; unscreened: number };
}

export const APPROVAL_FORM_TITLE = "信息公开审批表";

/** Asia/Shanghai is UTC+8 all year (no DST since 1991). */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/**
 * An instant as the form prints it, in Beijing time: `2026年12月2日 14:05`.
 * Something that is no instant prints as `—` (a form never shows raw ISO text).
 */
export function formatSignedAt(iso: string): string {
  const t = new Date(iso).getTime();
  if (!iso || Number.isNaN(t)) return "—";
  const d = new Date(t + SHANGHAI_OFFSET_MS);
  const hh = String(d.getUTCHours()).padStart(2, "0");
  const mm = String(d.getUTCMinutes()).padStart(2, "0");
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${hh}:${mm}`;
}

/** The screening line under the signatures, or undefined when the item was not screened. */
export function screeningSummary(form: Pick<ApprovalForm, "screening">): string | undefined {
  const s = form.screening;
  if (!s) return undefined;
  const parts = [`发现疑似问题 ${s.findings} 处`, `经审核保留 ${s.overridden} 处`, `已删改 ${s.redacted} 处`];
  const unscreened = s.unscreened > 0 ? `；${s.unscreened} 个附件无法读取文字，未经自动检查` : "";
  return `内容检查：${parts.join("，")}${unscreened}。`;
}

/** The 意见 cell: the decision, then the opinion when one was written. */
export function signatureOpinion(s: ApprovalSignature): { decision: string; opinion?: string } {
  const opinion = s.opinion?.trim();
  return opinion ? { decision: s.decisionLabel, opinion } : { decision: s.decisionLabel };
}

/** The fields in rows of two label/value pairs (the last row may hold one). */
export function fieldRows(form: Pick<ApprovalForm, "fields">): Array<Array<{ label: string; value: string }>> {
  const rows: Array<Array<{ label: string; value: string }>> = [];
  for (let i = 0; i < form.fields.length; i += 2) rows.push(form.fields.slice(i, i + 2));
  return rows;
}
