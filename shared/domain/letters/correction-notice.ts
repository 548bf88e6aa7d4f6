import type { Composer } from "./common";
import { formatChineseDate, heading, letter, list, paragraph, provisionalMark, recallToApplicant, clause } from "./common";
import { OGI, ogi, ogiBasis } from "./law";
import { remedies } from "./remedies";

/**
 * 补正告知书 (art. 30): every item to correct at once, the period and its last day,
 * the answer period restarting on receipt of the correction, and the consequence of
 * not correcting (deemed withdrawn).
 */
export const correctionNotice: Composer<"correction_notice"> = (ctx, d) => {
  const a = ctx.application;
  const due = `${formatChineseDate(d.correctionDueOn)}${provisionalMark(d.correctionDueIsProvisional ?? false)}`;
  const where = ctx.agency.officeAddress ? `寄送至本机关政府信息公开工作机构（地址：${ctx.agency.officeAddress}）` : "寄送至本机关政府信息公开工作机构";
  const contact = ctx.agency.officeContact ? `通过${ctx.agency.officeContact}` : "";
  const body = [
    paragraph(recallToApplicant(ctx)),
    paragraph(`经审查，您的申请内容不明确。依照${OGI}第三十条的规定，现一次性告知您对下列事项作出补正：`),
    list(d.items.map(clause).filter(Boolean).map((item) => `${item}。`)),
    paragraph(`补正期限为${d.correctionWorkingDays}个工作日，截至${due}。请您在补正期限内补正。`),
    paragraph(
      "答复期限自本机关收到您补正后的申请之日起重新计算。您无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。",
    ),
    heading("补正方式"),
    list([
      `网上补正：凭申请编号${a.trackingNumber}和查询码登录本机关政府信息公开申请平台，在申请查询页面在线提交补正内容。`,
      `书面补正：以信函方式将补正内容${where}，并注明申请编号${a.trackingNumber}。`,
    ]),
    paragraph(`如对需要补正的事项有疑问，可以${contact}与本机关政府信息公开工作机构联系，本机关将给予指导和释明。`),
  ];
  return letter("correction_notice", ctx, { body, basis: ogiBasis(ogi.art30), remedies: remedies("correction_notice", ctx) });
};
