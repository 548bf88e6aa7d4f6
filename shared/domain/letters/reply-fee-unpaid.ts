import type { Composer } from "./common";
import { formatChineseDate, paragraph } from "./common";
import { FEE_MEASURES, OGI, ogi, ogiBasis } from "./law";
import { reply } from "./reply";

/** The fee rule as the measures state it (cited by document, not article, since their article numbering was not verified). */
const FEE_RULE = "申请人应当在收到收费通知的次日起20个工作日内缴纳费用，逾期未缴纳的视为放弃申请，行政机关不再处理该政府信息公开申请";

function yuan(amount: number): string {
  return Number.isInteger(amount) ? String(amount) : amount.toFixed(2);
}

/** Fee not paid in time (art. 42 and 国办函〔2020〕109号): deemed withdrawn, no longer processed. */
export const replyFeeUnpaid: Composer<"reply_fee_unpaid"> = (ctx, d) => {
  const when = d.noticeIssuedOn ? `于${formatChineseDate(d.noticeIssuedOn)}` : "";
  const number = d.noticeNumber?.trim() ? `（${d.noticeNumber.trim()}）` : "";
  const amount = d.amountYuan !== undefined ? `信息处理费${yuan(d.amountYuan)}元` : "信息处理费";
  const by = d.paymentDueOn ? `，缴纳期限截至${formatChineseDate(d.paymentDueOn)}` : "";
  const decision = [
    paragraph(`本机关已${when}向您发出政府信息公开信息处理费收费通知${number}，告知您应当缴纳${amount}${by}。缴纳期限届满，本机关未收到您缴纳的费用。`),
    paragraph(
      `依照${OGI}第四十二条第一款和${FEE_MEASURES}的规定，${FEE_RULE}。据此，视为您放弃申请，本机关不再处理该政府信息公开申请。`,
    ),
  ];
  return reply("reply_fee_unpaid", ctx, decision, [...ogiBasis(ogi.art42para1), `${FEE_MEASURES}：${FEE_RULE}。`]);
};
