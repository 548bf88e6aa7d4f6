import type { LetterKind } from "./kinds";
import { LITIGATION_LAW, REVIEW_LAW, remediesLaw } from "./law";
import { courtOf, selfName } from "./common";
import type { LetterContext } from "./types";

/**
 * The remedies sentence of a letter that decides something for its recipient. It
 * always names the body, the time limit and the remedy: a letter that omits one of
 * them extends the time to seek review (Administrative Review Law art. 20 para. 3).
 */
export function remedies(kind: LetterKind, ctx: LetterContext, who: "applicant" | "third_party" = "applicant"): string {
  const self = selfName(kind);
  const subject = who === "applicant" ? "如对" : "贵方如对";
  return (
    `${subject}${self}不服，可以自收到${self}之日起六十日内向${ctx.agency.reviewAuthority}申请行政复议，` +
    `也可以自收到${self}之日起六个月内依法向${courtOf(ctx)}提起行政诉讼` +
    `（${REVIEW_LAW}${remediesLaw.review20para1.cite}、${LITIGATION_LAW}${remediesLaw.litigation46para1.cite}）。`
  );
}

/**
 * A refusal to disclose (不予公开) must be reviewed before it can be litigated
 * (复议前置, Administrative Review Law art. 23 para. 1 item 4), and the letter must
 * say so (art. 23 para. 2); litigation then lies against the review decision.
 */
export function remediesReviewFirst(kind: LetterKind, ctx: LetterContext): string {
  const self = selfName(kind);
  const { review23para1item4, review23para2, review20para1, litigation45 } = remediesLaw;
  return (
    `依照${REVIEW_LAW}${review23para1item4.cite}和${review23para2.cite.replace(/^第二十三条/, "")}的规定，对不予公开政府信息的决定实行复议前置，应当先申请行政复议，不能直接向人民法院提起行政诉讼。` +
    `如对${self}不服，应当自收到${self}之日起六十日内向${ctx.agency.reviewAuthority}申请行政复议（${REVIEW_LAW}${review20para1.cite}）；` +
    `对行政复议决定不服的，可以自收到行政复议决定书之日起十五日内依法向${courtOf(ctx)}提起行政诉讼；` +
    `行政复议机关逾期不作决定的，可以自复议期满之日起十五日内依法提起行政诉讼（${LITIGATION_LAW}${litigation45.cite}）。`
  );
}
