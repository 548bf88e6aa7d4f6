import type { LetterKind } from "./kinds";
import type { LetterBlock, LetterContext, LetterDocument } from "./types";
import { letter, paragraph, recallToApplicant } from "./common";
import { remedies, remediesReviewFirst } from "./remedies";

/**
 * The frame of every 答复书: the application recalled, "现答复如下：", the
 * decision, its basis, and the remedies (review first for a refusal to disclose).
 */
export function reply(
  kind: LetterKind,
  ctx: LetterContext,
  decision: LetterBlock[],
  basis: string[],
  options: { reviewFirst?: boolean } = {},
): LetterDocument {
  return letter(kind, ctx, {
    body: [paragraph(recallToApplicant(ctx)), paragraph("现答复如下："), ...decision],
    basis,
    remedies: options.reviewFirst ? remediesReviewFirst(kind, ctx) : remedies(kind, ctx),
  });
}

/** The default way the information reaches the applicant: in the form and way they asked for, with this letter. */
export function providedAsRequested(ctx: LetterContext): string {
  const a = ctx.application;
  return `按照您申请的${a.deliveryForm}形式，以${a.deliveryWay}方式随本答复书一并提供`;
}
