import type { Composer } from "./common";
import { paragraph, sentence } from "./common";
import { OGI, ogi, ogiBasis } from "./law";
import { reply } from "./reply";

/** Special-law information such as business or real-estate registration records (art. 36 item 7): follow that law. */
export const replySpecialLaw: Composer<"reply_special_law"> = (ctx, d) => {
  const decision = [
    paragraph(
      `经审查，您申请获取的信息属于工商、不动产登记资料等信息，有关法律、行政法规对信息的获取有特别规定。依照${OGI}第三十六条第（七）项的规定，请您依照有关法律、行政法规的规定办理。`,
    ),
    paragraph(`具体说明：${sentence(d.reasons)}`),
  ];
  return reply("reply_special_law", ctx, decision, ogiBasis(ogi.art36item7));
};
