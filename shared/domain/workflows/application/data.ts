import * as z from "zod";
import { applicationInputSchema } from "../../../schemas/application";

/**
 * What an application case keeps besides the engine's envelope (SPEC §3.1): the
 * application as received (and as corrected), how it came in, and what handling
 * decided along the way. Parsed with zod whenever a case is read.
 */

/** Intake channels: online, and those the office enters (SPEC §7.1 `channel`). */
export const channels = ["online", "letter", "registered_mail", "fax", "in_person"] as const;
export type Channel = (typeof channels)[number];
export const channelLabels: Record<Channel, string> = {
  online: "网上申请",
  letter: "信函（平常信件）",
  registered_mail: "挂号信件（邮政签收）",
  fax: "传真",
  in_person: "当面提交",
};

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const attachmentSchema = z.object({
  key: z.string(),
  name: z.string(),
  contentType: z.string(),
  bytes: z.number().int(),
});
export type Attachment = z.infer<typeof attachmentSchema>;

export const consultationSchema = z.object({
  kind: z.enum(["third_party", "agency"]),
  /** the third party's or the other agency's name */
  party: z.string(),
  matters: z.string(),
  contact: z.string().optional(),
  address: z.string().optional(),
  email: z.string().optional(),
  askedOn: isoDate,
  replyDueOn: isoDate,
  answeredOn: isoDate.optional(),
  opinion: z.enum(["agree", "object"]).optional(),
  summary: z.string().optional(),
  /** no answer within the limit: an agency's silence is consent (art. 34); a third party's leaves the decision to the office (art. 32) */
  silent: z.boolean().optional(),
});
export type Consultation = z.infer<typeof consultationSchema>;

export const proposalSchema = z.object({
  replyType: z.string(),
  ground: z.string().optional(),
  reasons: z.string(),
  withheld: z.string().optional(),
  where: z.string().optional(),
  agencyName: z.string().optional(),
  agencyContact: z.string().optional(),
  publicInterestReason: z.string().optional(),
  proposedOn: isoDate,
});
export type Proposal = z.infer<typeof proposalSchema>;

const feeLineSchema = z.object({ item: z.string(), units: z.number().int(), rate: z.number().int(), amount: z.number().int(), tier: z.string() });

/** 信息处理费 (shared/domain/fees): the computation, the notice, and the payment or its absence. */
export const feeSchema = z.object({
  method: z.enum(["per_application", "per_volume"]),
  month: z.string().optional(),
  counted: z.array(z.object({ caseId: z.string(), reference: z.string(), at: z.string() })).optional(),
  ordinals: z.object({ from: z.number().int(), to: z.number().int() }).optional(),
  pages: z.number().int().optional(),
  lines: z.array(feeLineSchema),
  standardYuan: z.number().int(),
  exemption: z.object({ reason: z.string(), toYuan: z.number().int() }).optional(),
  amountYuan: z.number().int(),
  explanation: z.array(z.string()),
  /** how to pay, as the notice states it */
  howToPay: z.string(),
  proposedOn: isoDate,
  /** the deputy leader approved: the notice went out (absent for a full waiver) */
  noticeIssuedOn: isoDate.optional(),
  paymentDueOn: isoDate.optional(),
  /** a full waiver approved: nothing to pay, handling goes on */
  waivedOn: isoDate.optional(),
  paid: z.object({ amountYuan: z.number().int(), paidOn: isoDate, receiptNumber: z.string(), recordedOn: isoDate }).optional(),
  unpaidOn: isoDate.optional(),
});
export type Fee = z.infer<typeof feeSchema>;

export const applicationDataSchema = z.object({
  trackingNumber: z.string(),
  channel: z.enum(channels),
  submittedAt: z.string(),
  submittedOn: isoDate,
  /** registered mail: the day the office signed for it (art. 31(2)) */
  signedForOn: isoDate.optional(),
  /** staff entry: the receipt day the office recorded (in person: the day handed in; letter, fax: the day confirmed) */
  enteredReceivedOn: isoDate.optional(),
  receivedOn: isoDate.optional(),
  receiptRule: z.string().optional(),
  application: applicationInputSchema,
  /** hash of the applicant's ID or credit code: the same applicant across channels (art. 35 signals) */
  applicantKey: z.string(),
  /** the applicant's column of the annual report (SPEC §5.1) */
  applicantColumn: z.string(),
  attachments: z.array(attachmentSchema),
  correction: z
    .object({
      items: z.array(z.string()),
      workingDays: z.number().int(),
      proposedOn: isoDate,
      requestedOn: isoDate.optional(),
      dueOn: isoDate.optional(),
      receivedOn: isoDate.optional(),
      via: z.enum(["online", "letter"]).optional(),
      changed: z.array(z.string()).optional(),
      note: z.string().optional(),
    })
    .optional(),
  consultations: z.array(consultationSchema),
  secrecy: z
    .object({
      decision: z.enum(["cleared", "withhold", "referred", "outside_answered"]),
      reasons: z.string().optional(),
      authority: z.string().optional(),
      outside: z.object({ decision: z.string(), summary: z.string() }).optional(),
      note: z.string().optional(),
      on: isoDate,
    })
    .optional(),
  extensionRequest: z.object({ reason: z.string(), workingDays: z.number().int(), requestedOn: isoDate }).optional(),
  extension: z.object({ reason: z.string(), workingDays: z.number().int(), approvedOn: isoDate, newDueOn: isoDate }).optional(),
  proposal: proposalSchema.optional(),
  fee: feeSchema.optional(),
  /** signals the law asks for (art. 35, 36(6), 44), computed when the case is registered */
  signals: z
    .object({
      applicationsThisMonth: z.number().int().optional(),
      sameInformation: z.array(z.string()).optional(),
      possibleRepeatOf: z.array(z.string()).optional(),
    })
    .optional(),
});

export type ApplicationData = z.infer<typeof applicationDataSchema>;
