import type { Composer } from "./common";
import { paragraph, sentence } from "./common";
import { groundText } from "./grounds";
import { OGI, ogiBasis } from "./law";
import { reply } from "./reply";

/**
 * Not disclosed (art. 36 item 3) on one of the eight grounds, always with reasons.
 * Review comes first (复议前置), and the letter says so.
 */
export const replyNotDisclosed: Composer<"reply_not_disclosed"> = (ctx, d) => {
  const g = groundText("not_disclosed", d.ground);
  const decision = [
    paragraph(`经审查，您申请获取的政府信息${g.finding}。依照${OGI}${g.provisions.map((x) => x.cite).join("、")}的规定，本机关决定不予公开。`),
    paragraph(`理由如下：${sentence(d.reasons)}`),
  ];
  return reply("reply_not_disclosed", ctx, decision, [...ogiBasis(...g.provisions), ...(g.otherBasis ?? [])], { reviewFirst: true });
};
