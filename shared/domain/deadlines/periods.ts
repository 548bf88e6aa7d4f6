/** Statutory periods in working days (SPEC §3; OGI Regulations art. 30–34; the seed's 办理工作流程). */
export const statutoryPeriods = {
  register: { kind: "register", periodWorkingDays: 1 },
  completenessReview: { kind: "completeness_review", periodWorkingDays: 2 },
  /** art. 30: a correction notice goes out within 7 wd of receipt, naming everything at once */
  correctionNotice: { kind: "correction_notice", periodWorkingDays: 7 },
  /** art. 30: the applicant's time to correct is a reasonable period the office sets in the notice */
  correction: { kind: "correction", defaultWorkingDays: 10, minWorkingDays: 1, maxWorkingDays: 30 },
  handle: { kind: "handle", periodWorkingDays: 7 },
  pointToPublished: { kind: "point_to_published", periodWorkingDays: 5 },
  signOff: { kind: "sign_off", periodWorkingDays: 3 },
  /** art. 33: 20 wd, one extension of at most 20, never past 40 */
  answer: { kind: "answer", periodWorkingDays: 20, maxExtensionDays: 20, maxTotalWorkingDays: 40 },
  publicComment: { kind: "public_comment", periodWorkingDays: 7 },
  /** art. 32: a third party answers within 15 wd of receiving the letter */
  thirdPartyReply: { kind: "third_party_reply", periodWorkingDays: 15 },
  /** art. 34: another agency answers within 15 wd; silence is consent */
  agencyReply: { kind: "agency_reply", periodWorkingDays: 15 },
} as const;

/** Warnings before the statutory answer deadline (SPEC §4): 5 and 2 wd before. */
export const answerWarningWorkingDays = [5, 2] as const;

/** zh-CN names of deadline kinds, for explanations. */
export const deadlineKindLabels: Record<string, string> = {
  register: "受理登记期限",
  completeness_review: "审查期限",
  correction_notice: "补正告知期限",
  correction: "申请人补正期限",
  handle: "办理期限",
  point_to_published: "告知已公开信息期限",
  sign_off: "审签期限",
  answer: "法定答复期限",
  public_comment: "公开征求意见期限",
  third_party_reply: "第三方答复期限",
  agency_reply: "其他机关答复期限",
  fee_payment: "缴纳信息处理费期限",
};
