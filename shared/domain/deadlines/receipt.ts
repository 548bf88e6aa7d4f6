import type { IsoDate } from "../calendar";

export type ReceiptChannel = "in_person" | "registered_mail" | "ordinary_mail" | "online" | "fax";

export type ReceiptResult = { on: IsoDate; rule: string } | { pending: true; reason: string };

/**
 * The day an application counts as received (OGI Regulations art. 31); the answer
 * period starts after it. Channels that need a confirmation stay pending until the
 * office has confirmed receipt with the applicant.
 */
export function receiptRule(
  channel: ReceiptChannel,
  facts: { submittedOn?: IsoDate; signedForOn?: IsoDate; confirmedOn?: IsoDate },
): ReceiptResult {
  switch (channel) {
    case "in_person":
      return facts.submittedOn
        ? { on: facts.submittedOn, rule: "申请人当面提交申请的，以提交之日为收到申请之日（《政府信息公开条例》第三十一条第一项）" }
        : { pending: true, reason: "尚未记录当面提交的日期" };
    case "registered_mail":
      return facts.signedForOn
        ? { on: facts.signedForOn, rule: "以邮寄方式提交申请的，以行政机关签收之日为收到申请之日（《政府信息公开条例》第三十一条第二项）" }
        : { pending: true, reason: "挂号信件尚未签收" };
    case "ordinary_mail":
      return facts.confirmedOn
        ? {
            on: facts.confirmedOn,
            rule: "以平常信函等无需签收的邮寄方式提交申请的，以与申请人确认之日为收到申请之日（《政府信息公开条例》第三十一条第二项）",
          }
        : { pending: true, reason: "平常信函须于收到当日与申请人确认，尚未确认" };
    case "online":
    case "fax":
      return facts.confirmedOn
        ? {
            on: facts.confirmedOn,
            rule: `通过${channel === "online" ? "互联网渠道" : "传真"}提交申请的，以双方确认之日为收到申请之日（《政府信息公开条例》第三十一条第三项）`,
          }
        : { pending: true, reason: `${channel === "online" ? "网上" : "传真"}申请尚未与申请人确认收到` };
  }
}
