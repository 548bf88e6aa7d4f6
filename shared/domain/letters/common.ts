import type { IsoDate } from "../calendar";
import { isIsoDate, InvalidDateError } from "../calendar";
import type { LetterKind } from "./kinds";
import type { LetterBlock, LetterContext, LetterData, LetterDocument } from "./types";

/** "2026-12-02" → "2026年12月2日", the form dates take in official letters. */
export function formatChineseDate(date: IsoDate): string {
  if (!isIsoDate(date)) throw new InvalidDateError(String(date));
  return `${date.slice(0, 4)}年${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
}

const REPLY_TITLE = "政府信息公开申请答复书";

const titles: Record<LetterKind, string> = {
  registration_receipt: "政府信息公开申请受理回执",
  correction_notice: "政府信息公开补正告知书",
  extension_notice: "政府信息公开延期答复告知书",
  third_party_consultation: "政府信息公开第三方意见征询函",
  third_party_disclosure_notice: "政府信息公开决定告知书（第三方）",
  agency_consultation: "政府信息公开征求意见函（其他机关）",
  fee_notice: "政府信息公开信息处理费收费通知书",
  reply_already_published: REPLY_TITLE,
  reply_disclosed: REPLY_TITLE,
  reply_partly_disclosed: REPLY_TITLE,
  reply_not_disclosed: REPLY_TITLE,
  reply_cannot_provide: REPLY_TITLE,
  reply_other_agency: REPLY_TITLE,
  reply_not_processed: REPLY_TITLE,
  reply_special_law: REPLY_TITLE,
  reply_withdrawn: REPLY_TITLE,
  reply_fee_unpaid: REPLY_TITLE,
};

/** zh-CN title of a kind of letter; every reply type is a 政府信息公开申请答复书. */
export function letterTitle(kind: LetterKind): string {
  return titles[kind];
}

/** How a letter refers to itself in its own text (本答复书, 本告知书, 本函). */
export function selfName(kind: LetterKind): string {
  if (kind.startsWith("reply_")) return "本答复书";
  if (kind === "registration_receipt") return "本回执";
  if (kind === "third_party_consultation" || kind === "agency_consultation") return "本函";
  return "本告知书";
}

export const paragraph = (text: string): LetterBlock => ({ kind: "paragraph", text });
export const heading = (text: string): LetterBlock => ({ kind: "heading", text });
export const list = (items: string[]): LetterBlock => ({ kind: "list", items });

/** The information sought, as the applicant described it, with title and number when given. */
export function informationSought(ctx: LetterContext): string {
  const a = ctx.application;
  const extra = [a.documentTitle ? `文件名称：《${stripBookMarks(a.documentTitle)}》` : "", a.documentNumber ? `文号：${a.documentNumber}` : ""].filter(Boolean);
  return `“${a.description.trim()}”${extra.length ? `（${extra.join("；")}）` : ""}`;
}

function stripBookMarks(title: string): string {
  return title.trim().replace(/^《/, "").replace(/》$/, "");
}

/** The day the letter treats as receipt: the art. 31 date when known, else the day submitted. */
function receivedOn(ctx: LetterContext): IsoDate {
  return ctx.application.receivedOn ?? ctx.application.submittedOn;
}

/**
 * The opening sentence recalling the application to the applicant: when it was
 * submitted and received, its tracking number and the information sought.
 */
export function recallToApplicant(ctx: LetterContext): string {
  const a = ctx.application;
  const on = receivedOn(ctx);
  const submitted = a.submittedOn === on ? "" : `于${formatChineseDate(a.submittedOn)}`;
  return `您${submitted}提交的政府信息公开申请（申请编号：${a.trackingNumber}），本机关已于${formatChineseDate(on)}收悉。您申请获取的政府信息为：${informationSought(ctx)}。`;
}

/**
 * The same for a third party or another agency: the applicant stays unnamed, since
 * who asked is the applicant's personal information and not needed to give an opinion.
 */
export function recallToOthers(ctx: LetterContext): string {
  const a = ctx.application;
  return `本机关于${formatChineseDate(receivedOn(ctx))}收到一件政府信息公开申请（申请编号：${a.trackingNumber}），申请获取的政府信息为：${informationSought(ctx)}。`;
}

/** Where to reach the office, when the agency has told us. */
export function officeContact(ctx: LetterContext): string | undefined {
  const parts = [ctx.agency.officeContact ? `联系方式：${ctx.agency.officeContact}` : "", ctx.agency.officeAddress ? `地址：${ctx.agency.officeAddress}` : ""].filter(Boolean);
  return parts.length ? parts.join("；") : undefined;
}

/** The court named for litigation. */
export function courtOf(ctx: LetterContext): string {
  return ctx.agency.court?.trim() || "有管辖权的人民法院";
}

/** The parts every letter has, around the kind's own body, basis and remedies. */
export function letter(
  kind: LetterKind,
  ctx: LetterContext,
  parts: { body: LetterBlock[]; basis: string[]; remedies?: string },
): LetterDocument {
  const contact = officeContact(ctx);
  const doc: LetterDocument = {
    kind,
    title: letterTitle(kind),
    number: ctx.number,
    salutation: `${ctx.recipient.name.trim()}：`,
    body: parts.body,
    basis: parts.basis,
    closing: { agency: ctx.agency.letterhead.trim() || ctx.agency.name, date: formatChineseDate(ctx.issuedOn), ...(contact ? { contact } : {}) },
  };
  if (parts.remedies) doc.remedies = parts.remedies;
  return doc;
}

/** "（暂定）" after a due date the calendar has not yet confirmed. */
export function provisionalMark(provisional: boolean): string {
  return provisional ? "（暂定）" : "";
}

/** Staff text embedded inside a sentence: trimmed, without its own final punctuation. */
export function clause(text: string): string {
  return text.trim().replace(/[。．.；;，,、：:\s]+$/u, "");
}

/** Staff text standing as a sentence of its own: trimmed, ending with a full stop. */
export function sentence(text: string): string {
  const t = text.trim();
  return /[。！？]$/u.test(t) ? t : `${clause(t)}。`;
}

/** The signature of a composer of one kind of letter. */
export type Composer<K extends LetterKind> = (ctx: LetterContext, data: LetterData[K]) => LetterDocument;
