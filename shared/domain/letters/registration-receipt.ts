import type { Composer } from "./common";
import { formatChineseDate, informationSought, letter, paragraph, provisionalMark, sentence } from "./common";
import { OGI, ogi, ogiBasis } from "./law";

/**
 * 受理回执: the receipt date and the art. 31 rule that fixed it, the statutory answer
 * period (art. 33) with its due date, and how to follow the case. It decides nothing,
 * so it carries no remedies.
 */
export const registrationReceipt: Composer<"registration_receipt"> = (ctx, d) => {
  const a = ctx.application;
  const due = `${formatChineseDate(d.dueOn)}${provisionalMark(d.dueIsProvisional)}`;
  const body = [
    paragraph(
      `您于${formatChineseDate(a.submittedOn)}提交的政府信息公开申请（申请编号：${a.trackingNumber}；提交渠道：${d.channelLabel}）已收悉。您申请获取的政府信息为：${informationSought(ctx)}。`,
    ),
    paragraph(`${sentence(d.receiptRule)}据此，本机关收到您的申请之日为${formatChineseDate(d.receivedOn)}。`),
    paragraph(
      `依照${OGI}第三十三条第二款的规定，本机关将自收到申请之日起20个工作日内予以答复，答复期限届满日为${due}；` +
        `需要延长答复期限的，经本机关政府信息公开工作机构负责人同意并告知您，延长的期限最长不得超过20个工作日。` +
        `本机关征求第三方和其他机关意见所需时间不计算在答复期限内（第三十三条第三款）；申请内容需要补正的，答复期限自本机关收到补正的申请之日起计算（第三十条）。`,
    ),
  ];
  if (d.dueIsProvisional) {
    body.push(paragraph("上述期限届满日标注“暂定”，是因为期限跨入国家尚未公布节假日安排的年份，暂按周末推算；节假日安排公布后，以重新计算的日期为准。"));
  }
  body.push(paragraph(`您可以凭申请编号${a.trackingNumber}和提交申请时取得的查询码，在本机关政府信息公开申请平台查询办理进度、查看和下载有关文书。`));
  return letter("registration_receipt", ctx, { body, basis: ogiBasis(ogi.art31, ogi.art33para2, ogi.art33para3, ogi.art30) });
};
