import type { Composer } from "./common";
import { paragraph, sentence } from "./common";
import { groundText } from "./grounds";
import { OGI, ogiBasis } from "./law";
import { reply } from "./reply";

/** Cannot provide: the information does not exist (art. 36 item 4), would have to be made (art. 38), or is still unclear after correction (art. 30). */
export const replyCannotProvide: Composer<"reply_cannot_provide"> = (ctx, d) => {
  const g = groundText("cannot_provide", d.ground);
  const decision = [
    paragraph(`依照${OGI}${g.provisions.map((x) => x.cite).join("、")}的规定，现告知如下：${g.finding}。`),
    paragraph(`具体说明：${sentence(d.reasons)}`),
  ];
  return reply("reply_cannot_provide", ctx, decision, ogiBasis(...g.provisions));
};
