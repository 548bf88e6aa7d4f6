import type { Composer } from "./common";
import { formatChineseDate, paragraph } from "./common";
import { OGI, ogi, ogiBasis } from "./law";
import { reply } from "./reply";

/** Deemed withdrawn (art. 30): no correction by the deadline without good reason; no longer processed. */
export const replyWithdrawn: Composer<"reply_withdrawn"> = (ctx, d) => {
  const when = d.noticeIssuedOn ? `于${formatChineseDate(d.noticeIssuedOn)}` : "";
  const number = d.noticeNumber?.trim() ? `（${d.noticeNumber.trim()}）` : "";
  const decision = [
    paragraph(
      `本机关已${when}向您发出《政府信息公开补正告知书》${number}，一次性告知您需要补正的事项，补正期限截至${formatChineseDate(d.correctionDueOn)}。` +
        "补正期限届满，本机关未收到您的补正，您也未说明逾期未补正的正当理由。",
    ),
    paragraph(`依照${OGI}第三十条的规定，视为您放弃申请，本机关不再处理该政府信息公开申请。您如仍需获取相关政府信息，可以重新提出申请。`),
  ];
  return reply("reply_withdrawn", ctx, decision, ogiBasis(ogi.art30));
};
