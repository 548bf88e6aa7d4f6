import type { Composer } from "./common";
import { clause, paragraph, sentence } from "./common";
import { OGI, ogi, ogiBasis } from "./law";
import { reply } from "./reply";

/** Already proactively published (art. 36 item 1): where and how to get it. */
export const replyAlreadyPublished: Composer<"reply_already_published"> = (ctx, d) => {
  const decision = [
    paragraph(`您申请获取的政府信息本机关已经主动公开。依照${OGI}第三十六条第（一）项的规定，现告知您获取该政府信息的方式、途径：${clause(d.where)}。`),
  ];
  if (d.reasons?.trim()) decision.push(paragraph(`说明：${sentence(d.reasons)}`));
  return reply("reply_already_published", ctx, decision, ogiBasis(ogi.art36item1));
};
