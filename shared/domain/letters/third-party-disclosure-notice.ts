import type { Composer } from "./common";
import { heading, letter, paragraph, recallToOthers, sentence } from "./common";
import { OGI, ogi, ogiBasis } from "./law";
import { remedies } from "./remedies";

/**
 * 决定告知书（第三方） (art. 32): the agency discloses in the public interest and tells
 * the third party, in writing, the content to be disclosed and the reasons. The
 * decision affects the third party, so the letter states the third party's own remedy.
 */
export const thirdPartyDisclosureNotice: Composer<"third_party_disclosure_notice"> = (ctx, d) => {
  const body = [
    paragraph(`${recallToOthers(ctx)}本机关已依照${OGI}第三十二条的规定书面征求贵方意见。`),
    paragraph(
      `经审查，本机关认为不公开该政府信息可能对公共利益造成重大影响。依照${OGI}第十五条、第三十二条的规定，本机关决定予以公开，现将决定公开的政府信息内容和理由书面告知如下。`,
    ),
    heading("一、决定公开的政府信息内容"),
    paragraph(sentence(d.content)),
    heading("二、决定公开的理由"),
    paragraph(sentence(d.reasons)),
    paragraph(remedies("third_party_disclosure_notice", ctx, "third_party")),
  ];
  return letter("third_party_disclosure_notice", ctx, { body, basis: ogiBasis(ogi.art15, ogi.art32) });
};
