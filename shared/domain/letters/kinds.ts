import type { ReplyType } from "../report/cells";

/**
 * Every letter the application workflow issues (SPEC §7.1, issue "letters"): one
 * template per kind in shared/domain/letters/, each with its legal basis and, for
 * letters that decide something for the applicant, the remedies.
 */
export const letterKinds = [
  "registration_receipt",
  "correction_notice",
  "extension_notice",
  "third_party_consultation",
  "third_party_disclosure_notice",
  "agency_consultation",
  "fee_notice",
  "reply_already_published",
  "reply_disclosed",
  "reply_partly_disclosed",
  "reply_not_disclosed",
  "reply_cannot_provide",
  "reply_other_agency",
  "reply_not_processed",
  "reply_special_law",
  "reply_withdrawn",
  "reply_fee_unpaid",
] as const;

export type LetterKind = (typeof letterKinds)[number];

export function replyLetterKind(replyType: ReplyType): LetterKind {
  return `reply_${replyType}`;
}
