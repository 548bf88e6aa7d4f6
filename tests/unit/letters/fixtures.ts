import type { LetterKind } from "../../../shared/domain/letters/kinds";
import type { LetterContext, LetterData } from "../../../shared/domain/letters/types";

/** Things that must never appear in a letter: the applicant's ID number and phone. */
export const applicantIdNumber = "331003199001011234";
export const applicantPhone = "13912345678";

/** A realistic context; the application's personal data sits nearby, as in a case, but is not part of it. */
export function context(overrides: Partial<LetterContext> = {}): LetterContext {
  return {
    agency: {
      name: "台州市黄岩区行政审批服务局",
      code: "hyxsp",
      letterhead: "台州市黄岩区行政审批服务局",
      officeContact: "0576-84111111（政务公开科）",
      officeAddress: "台州市黄岩区东城街道劳动北路118号",
      reviewAuthority: "台州市黄岩区人民政府",
      court: "台州市黄岩区人民法院",
    },
    number: "黄行服依复〔2026〕3号",
    issuedOn: "2026-12-02",
    recipient: { name: "张三", address: "台州市黄岩区西城街道某路1号" },
    application: {
      trackingNumber: "GK-2026-000123",
      applicantName: "张三",
      submittedOn: "2026-11-03",
      receivedOn: "2026-11-04",
      description: "2025年黄岩区某某地块建设用地规划许可的批复文件",
      documentTitle: "关于某某地块建设用地规划许可的批复",
      documentNumber: "黄行服〔2025〕12号",
      deliveryForm: "电子邮件",
      deliveryWay: "电子邮件",
    },
    ...overrides,
  };
}

export const toThirdParty = (): LetterContext => context({ recipient: { name: "台州某某置业有限公司" }, number: "黄行服依征〔2026〕5号" });
export const toAgency = (): LetterContext => context({ recipient: { name: "台州市黄岩区自然资源和规划局" }, number: "黄行服依征〔2026〕6号" });

/** Realistic facts for each kind, as the workflow would pass them. */
export const sample: { [K in LetterKind]: LetterData[K] } = {
  registration_receipt: {
    receivedOn: "2026-11-04",
    receiptRule: "通过互联网渠道提交申请的，以双方确认之日为收到申请之日（《政府信息公开条例》第三十一条第三项）",
    channelLabel: "网上申请",
    dueOn: "2026-12-02",
    dueIsProvisional: false,
  },
  correction_notice: {
    items: ["请提供申请人有效身份证明的复印件", "请明确所申请文件的名称或文号；“某某地块”所指地块请写明具体位置", "请明确获取信息的形式（纸质、电子邮件或光盘）"],
    correctionWorkingDays: 7,
    correctionDueOn: "2026-12-11",
  },
  extension_notice: { originalDueOn: "2026-12-02", newDueOn: "2026-12-30", workingDays: 20, reason: "所申请信息涉及多个科室的历史档案，需要调档检索和核实" },
  third_party_consultation: { party: "台州某某置业有限公司", matters: "申请公开的批复附件中含有贵公司的项目投资估算和设计方案，是否同意公开", replyDueOn: "2026-12-23" },
  third_party_disclosure_notice: {
    party: "台州某某置业有限公司",
    content: "《关于某某地块建设用地规划许可的批复》及其附件中的项目用地位置、用地面积和规划条件",
    reasons: "该信息关系到周边居民的重大切身利益，不公开可能对公共利益造成重大影响",
  },
  agency_consultation: { agencyName: "台州市黄岩区自然资源和规划局", matters: "该批复由本机关与贵机关共同制作，是否同意公开", replyDueOn: "2026-12-23" },
  fee_notice: {
    method: "per_application",
    explanation: ["该申请人 2026-11 向本机关提出的申请，本件之前已有 11 件。", "本件为本月第12件。", "第12件：第四条第（二）项：累计申请11—30件（含30件）的部分，100元/件，1 件 × 100 元 = 100 元。", "按件计收合计 100 元。"],
    standardYuan: 100,
    amountYuan: 100,
    howToPay: "通过浙江省统一公共支付平台缴纳，或到黄岩区行政服务中心一楼收费窗口缴纳",
    paymentDueOn: "2026-12-10",
  },
  reply_already_published: { where: "黄岩区人民政府门户网站“政府信息公开—法定主动公开内容—规划信息”栏目（https://www.zjhy.gov.cn）" },
  reply_disclosed: {},
  reply_partly_disclosed: { withheld: "批复附件三中第三方企业的银行账户和联系人手机号码", reasons: "该部分内容属于第三方的个人信息和商业秘密，公开会对第三方合法权益造成损害" },
  reply_not_disclosed: { ground: "process_information", reasons: "该文件为本机关向上级机关报送的请示稿，尚未形成正式决定" },
  reply_cannot_provide: { ground: "not_held", reasons: "本机关已在文书档案系统和办件系统中以文件名称、文号和地块名称为关键词进行检索，均未找到该信息" },
  reply_other_agency: { agencyName: "台州市黄岩区自然资源和规划局", agencyContact: "0576-84222222，台州市黄岩区劳动北路66号" },
  reply_not_processed: { ground: "petition_complaint", reasons: "您反映的某某地块施工噪声扰民问题，可以通过12345政务服务便民热线或者向黄岩区信访局提出" },
  reply_special_law: { reasons: "您申请查询的是某某地块的不动产登记资料，请依照《不动产登记暂行条例》和《不动产登记资料查询暂行办法》的规定，向黄岩区不动产登记机构申请查询" },
  reply_withdrawn: { correctionDueOn: "2026-12-11", noticeNumber: "黄行服依补〔2026〕2号", noticeIssuedOn: "2026-11-06" },
  reply_fee_unpaid: { amountYuan: 300, paymentDueOn: "2026-12-10", noticeNumber: "黄行服依费〔2026〕1号", noticeIssuedOn: "2026-11-11" },
};

export function contextFor(kind: LetterKind): LetterContext {
  if (kind === "third_party_consultation" || kind === "third_party_disclosure_notice") return toThirdParty();
  if (kind === "agency_consultation") return toAgency();
  return context();
}
