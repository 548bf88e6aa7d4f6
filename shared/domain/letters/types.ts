import type { IsoDate } from "../calendar";
import type { LetterKind } from "./kinds";

/** What every letter knows about its agency, number, date, recipient and the application it concerns. */
export interface LetterContext {
  agency: {
    name: string;
    code: string;
    /** letterhead and seal line; defaults to the name */
    letterhead: string;
    officeContact?: string;
    officeAddress?: string;
    /** where administrative review is sought, e.g. 黄岩区人民政府 */
    reviewAuthority: string;
    /** court named for litigation; absent: 有管辖权的人民法院 */
    court?: string;
  };
  /** e.g. 黄行服依复〔2026〕3号 */
  number: string;
  issuedOn: IsoDate;
  recipient: { name: string; address?: string };
  application: {
    trackingNumber: string;
    applicantName: string;
    submittedOn: IsoDate;
    /** art. 31 receipt date, once known */
    receivedOn?: IsoDate;
    description: string;
    documentTitle?: string;
    documentNumber?: string;
    /** zh-CN labels, e.g. 电子邮件 */
    deliveryForm: string;
    deliveryWay: string;
  };
}

/** The facts each kind of letter needs from the transition that issues it. */
export interface LetterData {
  registration_receipt: { receivedOn: IsoDate; receiptRule: string; channelLabel: string; dueOn: IsoDate; dueIsProvisional: boolean };
  correction_notice: {
    items: string[];
    correctionWorkingDays: number;
    correctionDueOn: IsoDate;
    /** the due date crosses into a year without an official holiday schedule */
    correctionDueIsProvisional?: boolean;
  };
  extension_notice: {
    originalDueOn: IsoDate;
    newDueOn: IsoDate;
    workingDays: number;
    reason: string;
    /** the new due date crosses into a year without an official holiday schedule */
    newDueIsProvisional?: boolean;
  };
  third_party_consultation: { party: string; matters: string; replyDueOn: IsoDate };
  third_party_disclosure_notice: { party: string; content: string; reasons: string };
  agency_consultation: { agencyName: string; matters: string; replyDueOn: IsoDate };
  fee_notice: {
    method: "per_application" | "per_volume";
    /** the computation, one sentence each (shared/domain/fees) */
    explanation: string[];
    standardYuan: number;
    amountYuan: number;
    exemption?: { reason: string; toYuan: number };
    howToPay: string;
    paymentDueOn: IsoDate;
    paymentDueIsProvisional?: boolean;
  };
  reply_already_published: { where: string; reasons?: string };
  reply_disclosed: {
    reasons?: string;
    /** how, where and when to get the information when it is not sent with the letter (art. 36 item 2); default: sent in the requested form and way */
    access?: string;
  };
  reply_partly_disclosed: {
    withheld: string;
    reasons: string;
    /** as for reply_disclosed */
    access?: string;
  };
  reply_not_disclosed: { ground: string; reasons: string };
  reply_cannot_provide: { ground: string; reasons: string };
  reply_other_agency: { agencyName: string; agencyContact: string; reasons?: string };
  reply_not_processed: { ground: string; reasons: string };
  reply_special_law: { reasons: string };
  reply_withdrawn: {
    correctionDueOn: IsoDate;
    noticeNumber?: string;
    /** the day the correction notice was issued */
    noticeIssuedOn?: IsoDate;
  };
  reply_fee_unpaid: {
    amountYuan?: number;
    paymentDueOn?: IsoDate;
    noticeNumber?: string;
    /** the day the fee notice was issued */
    noticeIssuedOn?: IsoDate;
  };
}

export type LetterBlock =
  | { kind: "paragraph"; text: string }
  | { kind: "list"; items: string[] }
  | { kind: "heading"; text: string };

/** A letter as composed: structured, so HTML and .docx render the same words. */
export interface LetterDocument {
  kind: LetterKind;
  /** e.g. 政府信息公开申请答复书 */
  title: string;
  number: string;
  /** e.g. 张三： */
  salutation: string;
  body: LetterBlock[];
  /** the legal basis sentence(s), cited article by article */
  basis: string[];
  /** the applicant's remedies (review, litigation) with body and time limit; absent for letters to others or that decide nothing */
  remedies?: string;
  closing: { agency: string; date: string; contact?: string };
}
