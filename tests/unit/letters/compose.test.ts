import { describe, expect, it, vi } from "vitest";
import type { LetterContext, LetterDocument, LetterKind } from "../../../shared/domain/letters";
import { composeLetter, formatChineseDate, groundLabel, letterKinds, letterText, letterTitle, replyLetterKind } from "../../../shared/domain/letters";
import { replyGrounds, replyTypes } from "../../../shared/domain/report/cells";
import { applicantIdNumber, applicantPhone, context, contextFor, sample } from "./fixtures";

const compose = <K extends LetterKind>(kind: K, data = sample[kind], ctx: LetterContext = contextFor(kind)) => composeLetter(kind, ctx, data);
const textOf = (doc: LetterDocument) => letterText(doc);

/** Letters that decide something for the applicant carry the applicant's remedies. */
const decidesForApplicant = letterKinds.filter((k) => k.startsWith("reply_") || k === "correction_notice" || k === "extension_notice");
const toOthers: LetterKind[] = ["third_party_consultation", "third_party_disclosure_notice", "agency_consultation"];

describe("formatChineseDate and titles", () => {
  it("writes dates as official letters do", () => {
    expect(formatChineseDate("2026-12-02")).toBe("2026年12月2日");
    expect(formatChineseDate("2027-01-31")).toBe("2027年1月31日");
    expect(() => formatChineseDate("2026-02-30")).toThrow();
    expect(() => formatChineseDate("2.12.2026")).toThrow();
  });

  it("names every kind in Chinese; every reply is a 答复书", () => {
    expect(letterTitle("registration_receipt")).toBe("政府信息公开申请受理回执");
    expect(letterTitle("correction_notice")).toBe("政府信息公开补正告知书");
    expect(letterTitle("extension_notice")).toBe("政府信息公开延期答复告知书");
    expect(letterTitle("third_party_consultation")).toBe("政府信息公开第三方意见征询函");
    expect(letterTitle("third_party_disclosure_notice")).toBe("政府信息公开决定告知书（第三方）");
    expect(letterTitle("agency_consultation")).toBe("政府信息公开征求意见函（其他机关）");
    for (const t of replyTypes) expect(letterTitle(replyLetterKind(t))).toBe("政府信息公开申请答复书");
  });
});

describe("every letter", () => {
  it.each(letterKinds)("%s: title, number, salutation, the application recalled, basis, agency and date", (kind) => {
    const ctx = contextFor(kind);
    const doc = compose(kind);
    const text = textOf(doc);
    expect(doc.kind).toBe(kind);
    expect(doc.title).toBe(letterTitle(kind));
    expect(doc.number).toBe(ctx.number);
    expect(doc.salutation).toBe(`${ctx.recipient.name}：`);
    expect(text).toContain(ctx.application.trackingNumber);
    expect(text).toContain(`“${ctx.application.description}”`);
    expect(text).toContain("《关于某某地块建设用地规划许可的批复》");
    expect(text).toContain("黄行服〔2025〕12号");
    expect(text).toMatch(/收悉|收到/);
    expect(doc.basis.length).toBeGreaterThan(0);
    for (const b of doc.basis) expect(b).toMatch(/^《[^》]+》|国务院办公厅/);
    expect(doc.closing).toEqual({
      agency: "台州市黄岩区行政审批服务局",
      date: "2026年12月2日",
      contact: "联系方式：0576-84111111（政务公开科）；地址：台州市黄岩区东城街道劳动北路118号",
    });
  });

  it.each(letterKinds)("%s: never carries the applicant's ID number or phone, even when the caller passes them along", (kind) => {
    const base = contextFor(kind);
    const leaky = { ...base, application: { ...base.application, idNumber: applicantIdNumber, phone: applicantPhone }, recipient: { ...base.recipient, phone: applicantPhone } } as LetterContext;
    const text = textOf(compose(kind, sample[kind], leaky));
    expect(text).not.toContain(applicantIdNumber);
    expect(text).not.toContain(applicantPhone);
  });

  it.each(toOthers)("%s: does not name the applicant to the third party or agency", (kind) => {
    const doc = compose(kind);
    expect(textOf(doc)).not.toContain("张三");
    expect(doc.remedies).toBeUndefined();
  });

  it("without an office contact the closing has none; without a court, 有管辖权的人民法院", () => {
    const base = context();
    const ctx: LetterContext = { ...base, agency: { ...base.agency, officeContact: undefined, officeAddress: undefined, court: undefined } };
    const doc = composeLetter("reply_disclosed", ctx, {});
    expect(doc.closing.contact).toBeUndefined();
    expect(doc.remedies).toContain("依法向有管辖权的人民法院提起行政诉讼");
  });

  it("is pure: the same inputs give the same letter, whatever the clock says", () => {
    vi.useFakeTimers();
    try {
      for (const kind of letterKinds) {
        vi.setSystemTime(new Date("2030-06-01T00:00:00Z"));
        const first = compose(kind);
        vi.setSystemTime(new Date("1999-01-01T00:00:00Z"));
        expect(compose(kind)).toEqual(first);
        expect(first.closing.date).toBe("2026年12月2日");
      }
    } finally {
      vi.useRealTimers();
    }
  });

  it("refuses a ground that does not belong to the reply type", () => {
    expect(() => compose("reply_not_disclosed", { ground: "not_held", reasons: "x" })).toThrow(/not_held/);
    expect(() => compose("reply_not_processed", { ground: "toString", reasons: "x" })).toThrow();
  });
});

describe("remedies", () => {
  it.each(decidesForApplicant)("%s: review within 60 days to the review authority; the body and time limits named", (kind) => {
    const doc = compose(kind);
    expect(doc.remedies).toBeDefined();
    expect(doc.remedies).toContain("台州市黄岩区人民政府申请行政复议");
    expect(doc.remedies).toContain("六十日");
    expect(doc.remedies).toContain("《中华人民共和国行政复议法》第二十条第一款");
    expect(doc.remedies).toContain("台州市黄岩区人民法院");
    // a partial disclosure refuses the withheld part: review comes first for it too
    if (kind === "reply_not_disclosed" || kind === "reply_partly_disclosed") {
      expect(doc.remedies).toContain("复议前置");
      expect(doc.remedies).toContain("第二十三条第一款第（四）项和第二款");
      expect(doc.remedies).toContain("不能直接向人民法院提起行政诉讼");
      expect(doc.remedies).toContain("自收到行政复议决定书之日起十五日内");
      expect(doc.remedies).toContain("《中华人民共和国行政诉讼法》第四十五条");
      expect(doc.remedies).not.toContain("六个月");
    } else {
      expect(doc.remedies).toContain("六个月");
      expect(doc.remedies).toContain("《中华人民共和国行政诉讼法》第四十六条第一款");
      expect(doc.remedies).not.toContain("复议前置");
    }
  });

  it("every not-disclosed ground gets review first", () => {
    for (const ground of replyGrounds.not_disclosed) expect(compose("reply_not_disclosed", { ground, reasons: "理由" }).remedies).toContain("复议前置");
  });

  it("the receipt and the letters to others carry no applicant remedies", () => {
    for (const kind of ["registration_receipt", ...toOthers] as LetterKind[]) expect(compose(kind).remedies).toBeUndefined();
  });

  it("the disclosure notice states the third party's own remedy", () => {
    const text = textOf(compose("third_party_disclosure_notice"));
    expect(text).toContain("贵方如对本告知书不服，可以自收到本告知书之日起六十日内向台州市黄岩区人民政府申请行政复议");
    expect(text).toContain("六个月内依法向台州市黄岩区人民法院提起行政诉讼");
  });
});

describe("registration receipt", () => {
  it("gives the receipt date with its art. 31 rule, the 20-working-day period and the due date", () => {
    const text = textOf(compose("registration_receipt"));
    expect(text).toContain("提交渠道：网上申请");
    expect(text).toContain("以双方确认之日为收到申请之日（《政府信息公开条例》第三十一条第三项）。据此，本机关收到您的申请之日为2026年11月4日");
    expect(text).toContain("20个工作日内予以答复，答复期限届满日为2026年12月2日；");
    expect(text).toContain("延长的期限最长不得超过20个工作日");
    expect(text).toContain("查询码");
    expect(text).not.toContain("暂定");
  });

  it("marks a provisional due date 暂定 and says why", () => {
    const text = textOf(compose("registration_receipt", { ...sample.registration_receipt, dueOn: "2027-01-05", dueIsProvisional: true }));
    expect(text).toContain("答复期限届满日为2027年1月5日（暂定）");
    expect(text).toContain("尚未公布节假日安排");
  });
});

describe("correction notice", () => {
  const text = textOf(compose("correction_notice"));

  it("names every item to correct, numbered, with the period and its last day", () => {
    expect(text).toContain("一次性告知您对下列事项作出补正：\n1．请提供申请人有效身份证明的复印件。\n2．请明确所申请文件的名称或文号；“某某地块”所指地块请写明具体位置。\n3．请明确获取信息的形式（纸质、电子邮件或光盘）。");
    expect(text).toContain("补正期限为7个工作日，截至2026年12月11日");
  });

  it("says the answer period restarts and that no correction means withdrawal", () => {
    expect(text).toContain("答复期限自本机关收到您补正后的申请之日起重新计算");
    expect(text).toContain("无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请");
    expect(text).toContain("第三十条");
  });

  it("says how to correct: online with the tracking number and access code, or by letter", () => {
    expect(text).toContain("网上补正：凭申请编号GK-2026-000123和查询码登录");
    expect(text).toContain("书面补正：以信函方式将补正内容寄送至本机关政府信息公开工作机构（地址：台州市黄岩区东城街道劳动北路118号），并注明申请编号GK-2026-000123");
  });
});

describe("extension and consultations", () => {
  it("extension: reason, working days added, new due date, art. 33 para. 2", () => {
    const text = textOf(compose("extension_notice"));
    expect(text).toContain("因所申请信息涉及多个科室的历史档案，需要调档检索和核实，本机关不能在原答复期限（2026年12月2日）内作出答复");
    expect(text).toContain("答复期限延长20个工作日，本机关将于2026年12月30日前作出答复");
    expect(text).toContain("第三十三条第二款");
    expect(text).toContain("政府信息公开工作机构负责人同意");
  });

  it("third-party consultation: what is asked, 15 working days, silence and objection (art. 32)", () => {
    const text = textOf(compose("third_party_consultation"));
    expect(text).toContain("征求意见事项：申请公开的批复附件中含有贵公司的项目投资估算和设计方案，是否同意公开。");
    expect(text).toContain("自收到本函之日起15个工作日内（预计截至2026年12月23日）");
    expect(text).toContain("逾期未提出意见的，由本机关依照《中华人民共和国政府信息公开条例》的规定决定是否公开");
    expect(text).toContain("不同意公开且有合理理由的，本机关不予公开");
    expect(text).toContain("不公开可能对公共利益造成重大影响的，可以决定予以公开");
    expect(text).toContain("第三十二条");
  });

  it("disclosure notice to the third party: the content and the reasons, in writing", () => {
    const text = textOf(compose("third_party_disclosure_notice"));
    expect(text).toContain("一、决定公开的政府信息内容\n《关于某某地块建设用地规划许可的批复》及其附件中的项目用地位置、用地面积和规划条件。");
    expect(text).toContain("二、决定公开的理由\n该信息关系到周边居民的重大切身利益，不公开可能对公共利益造成重大影响。");
    expect(text).toContain("第十五条、第三十二条");
  });

  it("agency consultation: 15 working days from receipt, silence is consent (art. 34)", () => {
    const text = textOf(compose("agency_consultation"));
    expect(text).toContain("自收到本函之日起15个工作日内（预计截至2026年12月23日）提出意见；逾期未提出意见的，视为同意公开");
    expect(text).toContain("第三十四条");
  });
});

describe("replies", () => {
  it("already published: where and how (art. 36 item 1)", () => {
    const text = textOf(compose("reply_already_published"));
    expect(text).toContain("获取该政府信息的方式、途径：黄岩区人民政府门户网站“政府信息公开—法定主动公开内容—规划信息”栏目");
    expect(text).toContain("第三十六条第（一）项");
  });

  it("disclosed: in the requested form and way, or how, where and when (art. 36 item 2)", () => {
    expect(textOf(compose("reply_disclosed"))).toContain("按照您申请的电子邮件形式，以电子邮件方式随本答复书一并提供该政府信息");
    const text = textOf(compose("reply_disclosed", { access: "请于2026年12月10日前的工作日到本机关政务公开科查阅并领取复制件" }));
    expect(text).toContain("获取该政府信息的方式、途径和时间：请于2026年12月10日前的工作日到本机关政务公开科查阅并领取复制件");
    expect(text).toContain("第三十六条第（二）项");
  });

  it("partly disclosed: what is withheld and why (art. 37)", () => {
    const text = textOf(compose("reply_partly_disclosed"));
    expect(text).toContain("能够作区分处理");
    expect(text).toContain("对下列内容不予公开：批复附件三中第三方企业的银行账户和联系人手机号码。");
    expect(text).toContain("不予公开部分的理由：该部分内容属于第三方的个人信息和商业秘密");
    expect(text).toContain("第三十七条");
  });

  const notDisclosedBasis: Record<(typeof replyGrounds.not_disclosed)[number], string[]> = {
    state_secret: ["第十四条", "国家秘密"],
    prohibited_by_law: ["第十四条", "法律、行政法规禁止公开"],
    three_safeties_one_stability: ["第十四条", "国家安全、公共安全、经济安全、社会稳定"],
    third_party_rights: ["第十五条", "第三方合法权益"],
    internal_affairs: ["第十六条第一款", "内部事务信息"],
    process_information: ["第十六条第二款", "过程性信息"],
    law_enforcement_file: ["第十六条第二款", "行政执法案卷信息"],
    administrative_inquiry: ["国办公开办函〔2016〕206号", "行政查询事项"],
  };
  it.each(replyGrounds.not_disclosed)("not disclosed, %s: the ground, its article, art. 36 item 3 and the reasons", (ground) => {
    const reasons = `理由-${ground}`;
    const text = textOf(compose("reply_not_disclosed", { ground, reasons }));
    for (const s of notDisclosedBasis[ground]) expect(text).toContain(s);
    expect(text).toContain("第三十六条第（三）项");
    expect(text).toContain("本机关决定不予公开");
    expect(text).toContain(`理由如下：${reasons}。`);
  });

  const cannotProvideBasis: Record<(typeof replyGrounds.cannot_provide)[number], string[]> = {
    not_held: ["第三十六条第（四）项", "该政府信息不存在"],
    needs_creation: ["第三十八条", "加工、分析"],
    unclear_after_correction: ["第三十条", "补正后的申请内容仍不明确"],
  };
  it.each(replyGrounds.cannot_provide)("cannot provide, %s", (ground) => {
    const text = textOf(compose("reply_cannot_provide", { ground, reasons: "检索情况说明" }));
    for (const s of cannotProvideBasis[ground]) expect(text).toContain(s);
    expect(text).toContain("具体说明：检索情况说明。");
  });

  const notProcessedBasis: Record<(typeof replyGrounds.not_processed)[number], string[]> = {
    petition_complaint: ["第三十九条第一款", "信访、投诉、举报", "相应渠道"],
    repeated: ["第三十六条第（六）项", "不予重复处理"],
    publication: ["第三十九条第二款", "公开出版物"],
    excessive: ["第三十五条", "明显超过合理范围", "说明理由"],
    reconfirmation: ["第二十七条", "确认或者重新出具"],
  };
  it.each(replyGrounds.not_processed)("not processed, %s", (ground) => {
    const text = textOf(compose("reply_not_processed", { ground, reasons: "说明" }));
    for (const s of notProcessedBasis[ground]) expect(text).toContain(s);
  });

  it("other agency: names the agency and its contact (art. 36 item 5)", () => {
    const text = textOf(compose("reply_other_agency"));
    expect(text).toContain("负责公开该政府信息的行政机关为台州市黄岩区自然资源和规划局，联系方式：0576-84222222，台州市黄岩区劳动北路66号");
    expect(text).toContain("第三十六条第（五）项");
    expect(text).toContain("理由：");
  });

  it("special law: follow that law (art. 36 item 7)", () => {
    const text = textOf(compose("reply_special_law"));
    expect(text).toContain("工商、不动产登记资料等信息");
    expect(text).toContain("《不动产登记资料查询暂行办法》");
    expect(text).toContain("第三十六条第（七）项");
  });

  it("withdrawn: the notice, the deadline, deemed withdrawn and no longer processed (art. 30)", () => {
    const text = textOf(compose("reply_withdrawn"));
    expect(text).toContain("本机关已于2026年11月6日向您发出《政府信息公开补正告知书》（黄行服依补〔2026〕2号）");
    expect(text).toContain("补正期限截至2026年12月11日");
    expect(text).toContain("视为您放弃申请，本机关不再处理该政府信息公开申请");
    expect(text).toContain("第三十条");
  });

  it("fee unpaid: amount, time limit, art. 42 and 国办函〔2020〕109号, no longer processed", () => {
    const text = textOf(compose("reply_fee_unpaid"));
    expect(text).toContain("信息处理费300元，缴纳期限截至2026年12月10日");
    expect(text).toContain("第四十二条第一款");
    expect(text).toContain("国办函〔2020〕109号");
    expect(text).toContain("本机关不再处理该政府信息公开申请");
    expect(textOf(compose("reply_fee_unpaid", {}))).toContain("告知您应当缴纳信息处理费。");
  });
});

describe("groundLabel", () => {
  it("gives every ground its Chinese name and legal basis", () => {
    expect(groundLabel("not_disclosed", "state_secret")).toBe("属于国家秘密（《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项）");
    expect(groundLabel("not_disclosed", "internal_affairs")).toContain("第十六条第一款");
    expect(groundLabel("not_disclosed", "administrative_inquiry")).toContain("国办公开办函〔2016〕206号");
    expect(groundLabel("cannot_provide", "needs_creation")).toContain("第三十八条");
    expect(groundLabel("not_processed", "excessive")).toContain("第三十五条");
    for (const [type, grounds] of Object.entries(replyGrounds)) {
      for (const g of grounds) expect(groundLabel(type as keyof typeof replyGrounds, g)).toMatch(/^[^（]+（《中华人民共和国政府信息公开条例》第/);
    }
    expect(() => groundLabel("disclosed", "state_secret")).toThrow();
  });
});
