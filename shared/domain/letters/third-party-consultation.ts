import type { Composer } from "./common";
import { clause, formatChineseDate, letter, paragraph, recallToOthers } from "./common";
import { OGI, ogi, ogiBasis } from "./law";

/**
 * 第三方意见征询函 (art. 32): what is asked, the 15-working-day limit, what happens
 * on silence and on a reasoned objection. Addressed to the third party, so no
 * applicant remedies and no applicant name.
 */
export const thirdPartyConsultation: Composer<"third_party_consultation"> = (ctx, d) => {
  const back = ctx.agency.officeAddress ? `（地址：${ctx.agency.officeAddress}）` : "";
  const body = [
    paragraph(recallToOthers(ctx)),
    paragraph(`经审查，该政府信息涉及贵方，公开可能损害贵方的合法权益。依照${OGI}第三十二条的规定，现书面征求贵方意见。征求意见事项：${clause(d.matters)}。`),
    paragraph(
      `请贵方自收到本函之日起15个工作日内（预计截至${formatChineseDate(d.replyDueOn)}）书面提出是否同意公开的意见；不同意公开的，请说明理由并提供相关材料。`,
    ),
    paragraph(
      "贵方逾期未提出意见的，由本机关依照《中华人民共和国政府信息公开条例》的规定决定是否公开。贵方不同意公开且有合理理由的，本机关不予公开；" +
        "但本机关认为不公开可能对公共利益造成重大影响的，可以决定予以公开，并将决定公开的政府信息内容和理由书面告知贵方。",
    ),
    paragraph(`书面意见请寄送或者送达本机关政府信息公开工作机构${back}，并注明申请编号${ctx.application.trackingNumber}。`),
  ];
  return letter("third_party_consultation", ctx, { body, basis: ogiBasis(ogi.art32, ogi.art33para3) });
};
