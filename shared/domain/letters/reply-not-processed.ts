import type { Composer } from "./common";
import { paragraph, sentence } from "./common";
import { groundText } from "./grounds";
import { OGI, ogiBasis } from "./law";
import { reply } from "./reply";

/**
 * Not processed: complaints and petitions go to their own channel (art. 39 para. 1),
 * repeated applications (art. 36 item 6), public publications (art. 39 para. 2),
 * unreasonable volume or frequency (art. 35), requests to confirm or re-issue
 * information already obtained.
 */
export const replyNotProcessed: Composer<"reply_not_processed"> = (ctx, d) => {
  const g = groundText("not_processed", d.ground);
  const decision = [
    paragraph(`经审查，${g.finding}（${OGI}${g.provisions.map((x) => x.cite).join("、")}）。`),
    paragraph(`具体说明：${sentence(d.reasons)}`),
  ];
  return reply("reply_not_processed", ctx, decision, ogiBasis(...g.provisions));
};
