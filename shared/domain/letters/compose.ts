import type { LetterKind } from "./kinds";
import type { Composer } from "./common";
import type { LetterContext, LetterData, LetterDocument } from "./types";
import { agencyConsultation } from "./agency-consultation";
import { correctionNotice } from "./correction-notice";
import { extensionNotice } from "./extension-notice";
import { feeNotice } from "./fee-notice";
import { registrationReceipt } from "./registration-receipt";
import { replyAlreadyPublished } from "./reply-already-published";
import { replyCannotProvide } from "./reply-cannot-provide";
import { replyDisclosed } from "./reply-disclosed";
import { replyFeeUnpaid } from "./reply-fee-unpaid";
import { replyNotDisclosed } from "./reply-not-disclosed";
import { replyNotProcessed } from "./reply-not-processed";
import { replyOtherAgency } from "./reply-other-agency";
import { replyPartlyDisclosed } from "./reply-partly-disclosed";
import { replySpecialLaw } from "./reply-special-law";
import { replyWithdrawn } from "./reply-withdrawn";
import { thirdPartyConsultation } from "./third-party-consultation";
import { thirdPartyDisclosureNotice } from "./third-party-disclosure-notice";

export { formatChineseDate, letterTitle } from "./common";
export { groundLabel } from "./grounds";

/** One template per kind (DESIGN §6: letters are templates, one file per kind). */
const composers: { [K in LetterKind]: Composer<K> } = {
  registration_receipt: registrationReceipt,
  correction_notice: correctionNotice,
  extension_notice: extensionNotice,
  third_party_consultation: thirdPartyConsultation,
  third_party_disclosure_notice: thirdPartyDisclosureNotice,
  agency_consultation: agencyConsultation,
  fee_notice: feeNotice,
  reply_already_published: replyAlreadyPublished,
  reply_disclosed: replyDisclosed,
  reply_partly_disclosed: replyPartlyDisclosed,
  reply_not_disclosed: replyNotDisclosed,
  reply_cannot_provide: replyCannotProvide,
  reply_other_agency: replyOtherAgency,
  reply_not_processed: replyNotProcessed,
  reply_special_law: replySpecialLaw,
  reply_withdrawn: replyWithdrawn,
  reply_fee_unpaid: replyFeeUnpaid,
};

/**
 * Composes a letter: pure (no I/O, no clock; the issue date is in the context), so
 * the same case always yields the same words, whichever renderer prints them.
 * Throws for an unknown kind or a ground that does not belong to the reply type.
 */
export function composeLetter<K extends LetterKind>(kind: K, ctx: LetterContext, data: LetterData[K]): LetterDocument {
  const compose = composers[kind] as Composer<K> | undefined;
  if (!compose) throw new Error(`unknown letter kind ${String(kind)}`);
  return compose(ctx, data);
}
