import type { Composer } from "./common";
import { clause, formatChineseDate, letter, list, paragraph, provisionalMark, recallToApplicant } from "./common";
import { FEE_MEASURES, OGI, ogi, ogiBasis } from "./law";
import { remedies } from "./remedies";

const methodLabel = { per_application: "按件计收", per_volume: "按量计收" } as const;

/**
 * 收费通知书 (OGI art. 42 para. 1; 国办函〔2020〕109号): the basis, the standard and how the
 * amount was computed, how to pay, the 20-working-day period, and what happens without payment.
 */
export const feeNotice: Composer<"fee_notice"> = (ctx, d) => {
  const body = [
    paragraph(recallToApplicant(ctx)),
    paragraph(
      `您申请公开政府信息的数量、频次明显超过合理范围。依照${OGI}第四十二条第一款和${FEE_MEASURES}的规定，本机关对该申请收取信息处理费，` +
        `采用${methodLabel[d.method]}方式，按照超额累进方式计算，计算过程如下：`,
    ),
    list(d.explanation),
    paragraph(
      d.exemption
        ? `按标准应收 ${d.standardYuan} 元，经本机关决定减收，您应缴纳信息处理费 ${d.amountYuan} 元。`
        : `您应缴纳信息处理费 ${d.amountYuan} 元。`,
    ),
    paragraph(`缴纳方式：${clause(d.howToPay)}。`),
    paragraph(
      `请您自收到本通知书的次日起20个工作日内（即${formatChineseDate(d.paymentDueOn)}${provisionalMark(d.paymentDueIsProvisional ?? false)}前）缴纳。` +
        "逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。" +
        "自本通知书发出之日至本机关收到您缴纳的费用之日，不计算在答复期限内；缴费后本机关继续办理并依法答复。" +
        "您确有经济困难等情形的，可以向本机关申请减免信息处理费。",
    ),
  ];
  return letter("fee_notice", ctx, {
    body,
    basis: [...ogiBasis(ogi.art42para1), `${FEE_MEASURES}第三条、第四条、第五条及关于收费通知、缴纳期限的规定。`],
    remedies: remedies("fee_notice", ctx),
  });
};
