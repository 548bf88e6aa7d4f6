import type { Composer } from "./common";
import { clause, paragraph, sentence } from "./common";
import { OGI, ogi, ogiBasis } from "./law";
import { providedAsRequested, reply } from "./reply";

/** Disclosed (art. 36 item 2): the information provided, or how, where and when to get it. */
export const replyDisclosed: Composer<"reply_disclosed"> = (ctx, d) => {
  const how = d.access?.trim() ? `现告知您获取该政府信息的方式、途径和时间：${clause(d.access)}` : `本机关${providedAsRequested(ctx)}该政府信息`;
  const decision = [paragraph(`您申请获取的政府信息属于可以公开的政府信息，本机关决定予以公开。依照${OGI}第三十六条第（二）项的规定，${how}。`)];
  if (d.reasons?.trim()) decision.push(paragraph(`说明：${sentence(d.reasons)}`));
  return reply("reply_disclosed", ctx, decision, ogiBasis(ogi.art36item2));
};
