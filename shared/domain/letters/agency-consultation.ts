import type { Composer } from "./common";
import { clause, formatChineseDate, letter, paragraph, recallToOthers } from "./common";
import { OGI, ogi, ogiBasis } from "./law";

/** 征求意见函（其他机关） (art. 34): 15 working days from receipt of the letter; silence is consent to disclosure. */
export const agencyConsultation: Composer<"agency_consultation"> = (ctx, d) => {
  const back = ctx.agency.officeAddress ? `（地址：${ctx.agency.officeAddress}）` : "";
  const body = [
    paragraph(recallToOthers(ctx)),
    paragraph(`经审查，该政府信息涉及贵机关。依照${OGI}第三十四条的规定，现征求贵机关意见。征求意见事项：${clause(d.matters)}。`),
    paragraph(`请贵机关自收到本函之日起15个工作日内（预计截至${formatChineseDate(d.replyDueOn)}）提出意见；逾期未提出意见的，视为同意公开。`),
    paragraph(`意见请函复本机关政府信息公开工作机构${back}，并注明申请编号${ctx.application.trackingNumber}。`),
  ];
  return letter("agency_consultation", ctx, { body, basis: ogiBasis(ogi.art34, ogi.art33para3) });
};
