import type { Composer } from "./common";
import { clause, paragraph, sentence } from "./common";
import { OGI, ogi, ogiBasis } from "./law";
import { providedAsRequested, reply } from "./reply";

/**
 * Partly disclosed (区分处理, art. 37): what is provided, what is withheld, and why
 * the withheld part is not disclosed.
 */
export const replyPartlyDisclosed: Composer<"reply_partly_disclosed"> = (ctx, d) => {
  const how = d.access?.trim() ? `获取方式、途径和时间：${clause(d.access)}` : providedAsRequested(ctx);
  const decision = [
    paragraph(
      `您申请获取的政府信息中含有不应当公开或者不属于政府信息的内容，但是能够作区分处理。依照${OGI}第三十七条的规定，本机关向您提供其中可以公开的政府信息内容（${how}），对下列内容不予公开：${clause(d.withheld)}。`,
    ),
    paragraph(`不予公开部分的理由：${sentence(d.reasons)}`),
  ];
  // the withheld part is a refusal (不予公开): review comes first for it, so the letter must not promise a direct suit
  return reply("reply_partly_disclosed", ctx, decision, ogiBasis(ogi.art37, ogi.art36item2, ogi.art36item3), { reviewFirst: true });
};
