import type { Composer } from "./common";
import { clause, paragraph, sentence } from "./common";
import { OGI, ogi, ogiBasis } from "./law";
import { reply } from "./reply";

/** Not this agency's (art. 36 item 5): why, and the responsible agency's name and contact. */
export const replyOtherAgency: Composer<"reply_other_agency"> = (ctx, d) => {
  const agency = clause(d.agencyName);
  const why = d.reasons?.trim()
    ? sentence(d.reasons)
    : `按照“谁制作、谁公开，谁保存、谁公开”的原则，该政府信息应当由${agency}负责公开。`;
  const decision = [
    paragraph(`经审查，您申请获取的政府信息不属于本机关负责公开的政府信息。理由：${why}`),
    paragraph(
      `依照${OGI}第十条第一款、第三十六条第（五）项的规定，现告知您：负责公开该政府信息的行政机关为${agency}，联系方式：${clause(d.agencyContact)}。您可以向该机关提出政府信息公开申请。`,
    ),
  ];
  return reply("reply_other_agency", ctx, decision, ogiBasis(ogi.art10para1, ogi.art36item5));
};
