import type { Composer } from "./common";
import { clause, formatChineseDate, letter, paragraph, provisionalMark, recallToApplicant } from "./common";
import { OGI, ogi, ogiBasis } from "./law";
import { remedies } from "./remedies";

/** 延期答复告知书 (art. 33 para. 2): why, how many working days, and the new last day. */
export const extensionNotice: Composer<"extension_notice"> = (ctx, d) => {
  const body = [
    paragraph(recallToApplicant(ctx)),
    paragraph(
      `因${clause(d.reason)}，本机关不能在原答复期限（${formatChineseDate(d.originalDueOn)}）内作出答复。` +
        `依照${OGI}第三十三条第二款的规定，经本机关政府信息公开工作机构负责人同意，答复期限延长${d.workingDays}个工作日，` +
        `本机关将于${formatChineseDate(d.newDueOn)}${provisionalMark(d.newDueIsProvisional ?? false)}前作出答复。`,
    ),
    paragraph("本机关征求第三方和其他机关意见所需时间不计算在答复期限内。"),
  ];
  return letter("extension_notice", ctx, { body, basis: ogiBasis(ogi.art33para2, ogi.art33para3), remedies: remedies("extension_notice", ctx) });
};
