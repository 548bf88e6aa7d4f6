import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  defaultScreeningSettings,
  markPassages,
  redactText,
  screen,
  screenText,
  type Finding,
  type ScreeningSettings,
} from "../../../shared/domain/screening";

// Independent little helpers (not the identity module's) so a shared mistake cannot pass both.

/** GB 11643 / ISO 7064 MOD 11-2 check character of 17 digits. */
function idCheck(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = first17.split("").reduce((acc, d, i) => acc + Number(d) * weights[i]!, 0);
  return "10X98765432"[sum % 11]!;
}
const residentId = (first17: string) => first17 + idCheck(first17);

/** Appends the Luhn check digit. */
function withLuhn(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2; // doubled: every second digit counting from the check digit
    sum += d;
  }
  return body + ((10 - (sum % 10)) % 10);
}

/** GB 32100 check character: weights 3^i mod 31 over the 31-character set. */
function creditCode(first17: string): string {
  const charset = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  let sum = 0;
  let weight = 1;
  for (const ch of first17) {
    sum += charset.indexOf(ch) * weight;
    weight = (weight * 3) % 31;
  }
  return first17 + charset[(31 - (sum % 31)) % 31]!;
}

const settings: ScreeningSettings = defaultScreeningSettings;
const kinds = (findings: Finding[]) => findings.map((f) => f.kind);
const passages = (findings: Finding[], kind?: Finding["kind"]) => findings.filter((f) => !kind || f.kind === kind).map((f) => f.passage);

/** Every finding's offsets point at its passage in the original text. */
function expectOffsetsHold(text: string, findings: Finding[]) {
  for (const f of findings) expect(text.slice(f.start, f.end)).toBe(f.passage);
}

describe("resident ID numbers", () => {
  it("flags an 18-digit number with a valid check character, X or x", () => {
    // Prepare: the worked example of GB 11643 (not a real person)
    const text = "申请人身份证号11010519491231002X，其子女110105194912310021x之外另有11010519491231002x。";
    // Act
    const findings = screenText(text, "body", settings);
    // Assess
    expect(passages(findings, "resident_id")).toEqual(["11010519491231002X", "11010519491231002x"]);
    expect(findings[0]).toMatchObject({ category: "privacy", label: "居民身份证号码", source: "body" });
    expectOffsetsHold(text, findings);
  });

  it("does not flag a wrong check digit, an impossible birth date or an unknown region", () => {
    // Prepare
    const wrongCheck = "110105194912310021";
    const badDate = residentId("11010519490231002");
    const badRegion = residentId("91010519491231002");
    expect(idCheck("11010519491231002")).toBe("X"); // the helper agrees with the standard's example
    // Act
    const findings = screenText(`${wrongCheck}、${badDate}、${badRegion}`, "body", settings);
    // Assess
    expect(kinds(findings)).not.toContain("resident_id");
  });

  it("flags the old 15-digit form only with a real birth date", () => {
    // Prepare: 110105 + 491231 + 002 is born 1949-12-31; 491331 is no date
    const text = "旧证号110105491231002，错误证号110105491331002。";
    // Act
    const findings = screenText(text, "body", settings);
    // Assess
    expect(passages(findings, "resident_id")).toEqual(["110105491231002"]);
    expectOffsetsHold(text, findings);
  });

  it("does not flag an ID number inside a longer digit run", () => {
    // Prepare
    const id = residentId("33010219900307123");
    // Act
    const findings = screenText(`流水号9${id}7 和 ${id}0`, "body", settings);
    // Assess
    expect(findings).toEqual([]);
  });

  it("finds full-width digits and points at them in the original text", () => {
    // Prepare
    const text = "证件：１１０１０５１９４９１２３１００２Ｘ。";
    // Act
    const findings = screenText(text, "body", settings);
    // Assess
    expect(passages(findings, "resident_id")).toEqual(["１１０１０５１９４９１２３１００２Ｘ"]);
    expectOffsetsHold(text, findings);
  });
});

describe("phone numbers", () => {
  it("flags mobiles in 3-4-4 groups with or without +86", () => {
    // Prepare
    const text = "联系13812345678；或138 1234 5678，或138-1234-5678，或+86 139-0000-1111，或8615900001111。";
    // Act
    const findings = screenText(text, "body", settings);
    // Assess
    expect(passages(findings, "mobile")).toEqual(["13812345678", "138 1234 5678", "138-1234-5678", "+86 139-0000-1111", "8615900001111"]);
    expect(findings.every((f) => f.category === "privacy" && f.label === "手机号码")).toBe(true);
    expectOffsetsHold(text, findings);
  });

  it("does not flag what only looks like a mobile", () => {
    // Prepare: second digit 2, twelve digits, inside a longer run
    const text = "编号12812345678、138123456789、2013812345678、文号2024年13号";
    // Act
    const findings = screenText(text, "body", settings);
    // Assess
    expect(kinds(findings)).not.toContain("mobile");
  });

  it("flags landlines with area code, brackets and extensions", () => {
    // Prepare
    const text = "电话0571-87654321，（0576）8468 1234无效，(010)62345678，021 52345678-8001，0576-84681234转206。";
    // Act
    const findings = screenText(text, "body", settings);
    // Assess
    expect(passages(findings, "landline")).toEqual(["0571-87654321", "(010)62345678", "021 52345678-8001", "0576-84681234转206"]);
    expect(findings.find((f) => f.kind === "landline")?.label).toBe("固定电话号码");
    expectOffsetsHold(text, findings);
  });

  it("flags a landline written with full-width brackets", () => {
    // Prepare
    const text = "电话（0571）87654321";
    // Act
    const findings = screenText(text, "body", settings);
    // Assess
    expect(passages(findings, "landline")).toEqual(["（0571）87654321"]);
  });
});

describe("bank card numbers", () => {
  it("flags 16–19 digits that pass Luhn, plain or grouped by four", () => {
    // Prepare
    const card19 = withLuhn("622202123456789012");
    const card16 = withLuhn("621700123456789");
    const grouped = card16.replace(/(\d{4})(?=\d)/g, "$1 ");
    const text = `卡号${card19}；另一张${grouped}；${card16.replace(/(\d{4})(?=\d)/g, "$1-")}。`;
    // Act
    const findings = screenText(text, "body", settings);
    // Assess
    expect(passages(findings, "bank_card")).toEqual([card19, grouped, card16.replace(/(\d{4})(?=\d)/g, "$1-")]);
    expect(findings[0]).toMatchObject({ category: "privacy", label: "银行卡号" });
    expectOffsetsHold(text, findings);
  });

  it("does not flag a number failing Luhn", () => {
    // Prepare
    const card = withLuhn("622202123456789012");
    const broken = card.slice(0, -1) + ((Number(card.slice(-1)) + 1) % 10);
    // Act
    const findings = screenText(`卡号${broken}`, "body", settings);
    // Assess
    expect(findings).toEqual([]);
  });

  it("reports an ID number that also passes Luhn as an ID number only", () => {
    // Prepare: a valid ID whose 18 digits happen to pass Luhn
    let id = "";
    for (let seq = 0; seq < 1000; seq++) {
      const candidate = residentId(`33010219900307${String(seq).padStart(3, "0")}`);
      if (/^\d{18}$/.test(candidate) && withLuhn(candidate.slice(0, 17)) === candidate) {
        id = candidate;
        break;
      }
    }
    expect(id).not.toBe("");
    // Act
    const findings = screenText(`身份证${id}`, "body", settings);
    // Assess
    expect(kinds(findings)).toEqual(["resident_id"]);
  });
});

describe("email addresses and credit codes", () => {
  it("flags email addresses, also with a full-width @, and not the digits inside them", () => {
    // Prepare
    const text = "来信请寄zhang.san@example.gov.cn或13812345678＠163.com。";
    // Act
    const findings = screenText(text, "body", settings);
    // Assess
    expect(kinds(findings)).toEqual(["email", "email"]);
    expect(passages(findings)).toEqual(["zhang.san@example.gov.cn", "13812345678＠163.com"]);
    expect(findings[0]!.label).toBe("电子邮箱地址");
  });

  it("flags an individual business's code (92…) only when the setting asks for it", () => {
    // Prepare
    const individual = creditCode("92331003MA2AB1C2D");
    const company = creditCode("91350100M000100Y4");
    const wrong = individual.slice(0, 17) + (individual[17] === "0" ? "1" : "0");
    const text = `个体户${individual}，公司${company}，错误${wrong}`;
    // Act
    const on = screenText(text, "body", { ...settings, flagIndividualCreditCodes: true });
    const off = screenText(text, "body", { ...settings, flagIndividualCreditCodes: false });
    // Assess
    expect(passages(on)).toEqual([individual]);
    expect(on[0]).toMatchObject({ kind: "credit_code", category: "privacy", label: "个体工商户统一社会信用代码" });
    expect(off).toEqual([]);
  });

  it("does not report an all-digit company code as a bank card", () => {
    // Prepare: a valid 91… code made only of digits that also passes Luhn
    let code = "";
    for (let n = 0; n < 100_000 && !code; n++) {
      const candidate = creditCode(`91331003${String(n).padStart(9, "0")}`);
      if (/^\d{18}$/.test(candidate) && withLuhn(candidate.slice(0, 17)) === candidate) code = candidate;
    }
    expect(code).not.toBe("");
    // Act
    const findings = screenText(`供应商${code}`, "body", settings);
    // Assess
    expect(findings).toEqual([]);
  });
});

describe("classification marks", () => {
  it("flags the levels with ★ wherever they stand", () => {
    // Prepare
    const text = "秘密★1年\n机密★10年 文件\n★绝密\n绝密★启用前\n机密★";
    // Act
    const findings = screenText(text, "body", settings);
    // Assess
    expect(passages(findings)).toEqual(["秘密★1年", "机密★10年", "★绝密", "绝密★启用前", "机密★"]);
    expect(findings.every((f) => f.kind === "classification_mark" && f.category === "state_security")).toBe(true);
    expectOffsetsHold(text, findings);
  });

  it("flags standalone marks: own line, brackets, after 密级", () => {
    // Prepare
    const text = "机密\n关于某事的通知\n内部资料　注意保存\n【内部】\n密级：秘密\n（内部使用）";
    // Act
    const findings = screenText(text, "body", settings);
    // Assess
    expect(passages(findings)).toEqual(["机密", "内部资料", "注意保存", "内部", "秘密", "内部使用"]);
  });

  it("flags handling phrases in running text", () => {
    // Prepare
    const text = "本材料仅供内部使用，不得外传。";
    // Act
    const findings = screenText(text, "body", settings);
    // Assess
    expect(passages(findings)).toEqual(["仅供内部使用", "不得外传"]);
    expect(findings[0]!.label).toBe("内部资料标志");
  });

  it("does not flag legal terms and ordinary sentences", () => {
    // Prepare: sentences every disclosure reply quotes
    const text = [
      "根据《中华人民共和国保守国家秘密法》第九条，涉及国家秘密的信息不予公开。",
      "该信息涉及商业秘密，征求第三方意见。",
      "国家秘密的密级分为绝密、机密、秘密三级。",
      "加强机关内部管理，请注意保存好收据。",
      "国家秘密",
    ].join("\n");
    // Act
    const findings = screenText(text, "body", settings);
    // Assess
    expect(findings).toEqual([]);
  });
});

describe("word lists", () => {
  it("flags words per category, case-insensitive and across full-width forms", () => {
    // Prepare
    const lists: ScreeningSettings = { ...settings, wordLists: { rumour: ["谣传", "fake news"], privacy: ["病历"], religion: ["ＦＬＧ"] } };
    const text = "网上谣传……其病历显示FAKE NEWS与ｆｌｇ、flg。";
    // Act
    const findings = screenText(text, "body", lists);
    // Assess
    expect(findings.map((f) => [f.passage, f.category])).toEqual([
      ["谣传", "rumour"],
      ["病历", "privacy"],
      ["FAKE NEWS", "rumour"],
      ["ｆｌｇ", "religion"],
      ["flg", "religion"],
    ]);
    expect(findings[0]!.kind).toBe("word");
    expect(findings[0]!.label).toBe("敏感词（散布谣言、扰乱社会秩序）");
    expectOffsetsHold(text, findings);
  });

  it("keeps offsets right after NFKC changed the text's length", () => {
    // Prepare: …… folds to six dots, ﬁ to fi, ㈱ to (株): the folded text is longer than the original
    const lists: ScreeningSettings = { ...settings, wordLists: { defamation: ["骗子", "file"] } };
    const text = "他说……㈱ﬁle是骗子。电话13812345678";
    // Act
    const findings = screenText(text, "body", lists);
    // Assess
    expect(passages(findings)).toEqual(["ﬁle", "骗子", "13812345678"]);
    expectOffsetsHold(text, findings);
  });

  it("matches a Latin word only as a whole word, and the longest of overlapping words", () => {
    // Prepare
    const lists: ScreeningSettings = { ...settings, wordLists: { defamation: ["sb"], religion: ["法轮", "法轮功"], rumour: ["法轮功"] } };
    const text = "USB接口，SB，法轮功。";
    // Act
    const findings = screenText(text, "body", lists);
    // Assess
    expect(findings.map((f) => [f.passage, f.category])).toEqual([
      ["SB", "defamation"],
      ["法轮功", "religion"], // in two lists: the first category in seed order keeps it
    ]);
  });

  it("picks up a changed word list on the same settings object", () => {
    // Prepare
    const lists: ScreeningSettings = { ...settings, wordLists: { rumour: ["谣传"] } };
    expect(screenText("谣言", "body", lists)).toEqual([]);
    lists.wordLists.rumour!.push("谣言");
    // Act
    const findings = screenText("谣言", "body", lists);
    // Assess
    expect(passages(findings)).toEqual(["谣言"]);
  });
});

describe("findings", () => {
  it("have stable ids that change with place, source and passage", () => {
    // Prepare
    const text = "13812345678 与 13812345678";
    // Act
    const a = screenText(text, "body", settings);
    const b = screenText(text, "body", settings);
    const c = screenText(text, "title", settings);
    // Assess
    expect(a.map((f) => f.id)).toEqual(b.map((f) => f.id));
    expect(a[0]!.id).not.toBe(a[1]!.id);
    expect(a[0]!.id).not.toBe(c[0]!.id);
    expect(a[0]!.id).toMatch(/^[0-9a-f]{16}$/);
  });

  it("hold their offsets, sort by start and never overlap within a kind, on any mix", () => {
    const fragments = [
      "11010519491231002X", "110105491231002", "13812345678", "0571-87654321", withLuhn("622202123456789012"),
      "a@b.cn", "秘密★1年", "\n机密\n", "国家秘密", "谣言", "ＦＬＧ", "……", "ﬁ", "e\u0301", "😀", "１３８", "1", " ", "，", "内部", "\n",
    ];
    const lists: ScreeningSettings = { ...settings, wordLists: { rumour: ["谣言", "言谣", "flg", "fi", "é"] } };
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...fragments), { maxLength: 30 }), (pieces) => {
        // Prepare
        const text = pieces.join("");
        // Act
        const findings = screenText(text, "body", lists);
        // Assess
        expectOffsetsHold(text, findings);
        for (let i = 1; i < findings.length; i++) expect(findings[i]!.start).toBeGreaterThanOrEqual(findings[i - 1]!.start);
        const byKind = new Map<string, Finding[]>();
        for (const f of findings) byKind.set(f.kind, [...(byKind.get(f.kind) ?? []), f]);
        for (const list of byKind.values()) for (let i = 1; i < list.length; i++) expect(list[i]!.start).toBeGreaterThanOrEqual(list[i - 1]!.end);
        expect(markPassages(text, findings).map((r) => r.text).join("")).toBe(text);
      }),
    );
  });
});

describe("screen", () => {
  it("combines parts, sorts by source then start and lists unreadable parts as unscreened", () => {
    // Prepare
    const parts = [
      { source: "title", text: "关于13812345678的答复" },
      { source: "body", text: "机密★\n身份证11010519491231002X" },
      { source: "attachment:扫描件.pdf", unreadable: "无法读取PDF文字，未经筛查" },
      { source: "attachment:名单.txt", text: "邮箱a@b.cn" },
    ];
    // Act
    const report = screen(parts, settings);
    // Assess
    expect(report.findings.map((f) => [f.source, f.kind])).toEqual([
      ["attachment:名单.txt", "email"],
      ["body", "classification_mark"],
      ["body", "resident_id"],
      ["title", "mobile"],
    ]);
    expect(report.unscreened).toEqual([{ source: "attachment:扫描件.pdf", reason: "无法读取PDF文字，未经筛查" }]);
    expect(report.chars).toBe(parts.reduce((n, p) => n + (p.text?.length ?? 0), 0));
  });

  it("does not report the same passage twice when a source comes twice", () => {
    // Prepare
    const parts = [
      { source: "body", text: "13812345678" },
      { source: "body", text: "13812345678" },
    ];
    // Act
    const report = screen(parts, settings);
    // Assess
    expect(report.findings).toHaveLength(1);
  });

  it("screens 50,000 characters well within the time budget, and pathological text stays linear", () => {
    // Prepare
    const sentence = "根据《政府信息公开条例》第二十条，本机关主动公开本年度财政预算，联系电话0576-84681234。";
    const doc = sentence.repeat(Math.ceil(50_000 / sentence.length)).slice(0, 50_000);
    const oneLine = "内部".repeat(25_000);
    const digits = "1".repeat(50_000);
    const lists: ScreeningSettings = { ...settings, wordLists: { rumour: Array.from({ length: 200 }, (_, i) => `词${i}号`) } };
    screenText(doc, "body", lists); // warm-up
    // Act
    const t0 = performance.now();
    const findings = screenText(doc, "body", lists);
    const docMs = performance.now() - t0;
    const t1 = performance.now();
    screenText(oneLine, "body", lists);
    screenText(digits, "body", lists);
    const pathologicalMs = performance.now() - t1;
    // Assess: loose bounds on a shared machine; the bench measures the real figure
    expect(findings.length).toBeGreaterThan(500);
    expect(docMs).toBeLessThan(250);
    expect(pathologicalMs).toBeLessThan(1_000);
  });
});

describe("markPassages and redactText", () => {
  it("splits a text into plain and marked runs", () => {
    // Prepare
    const text = "请致电13812345678或发邮件a@b.cn。";
    const findings = screenText(text, "body", settings);
    // Act
    const runs = markPassages(text, findings);
    // Assess
    expect(runs.map((r) => [r.text, r.finding?.kind])).toEqual([
      ["请致电", undefined],
      ["13812345678", "mobile"],
      ["或发邮件", undefined],
      ["a@b.cn", "email"],
      ["。", undefined],
    ]);
  });

  it("skips findings whose passage is no longer there and marks only the rest of an overlapping one", () => {
    // Prepare
    const text = "abcdef";
    const f = (start: number, end: number): Finding => ({
      id: String(start), kind: "word", category: "rumour", label: "敏感词", source: "body", start, end, passage: text.slice(start, end),
    });
    const stale = { ...f(0, 2), passage: "xx" };
    // Act
    const runs = markPassages(text, [f(1, 4), f(2, 5), stale]);
    // Assess
    expect(runs.map((r) => [r.text, r.finding?.start])).toEqual([
      ["a", undefined],
      ["bcd", 1],
      ["e", 2],
      ["f", undefined],
    ]);
    expect(markPassages("", [])).toEqual([{ text: "" }]);
  });

  it("replaces each passage by as many ■ as it has characters", () => {
    // Prepare
    const text = "身份证11010519491231002X，手机13812345678。";
    const findings = screenText(text, "body", settings);
    // Act
    const redacted = redactText(text, findings);
    // Assess
    expect(redacted).toBe(`身份证${"■".repeat(18)}，手机${"■".repeat(11)}。`);
    expect(redacted).toHaveLength(text.length);
  });

  it("merges overlapping passages, clamps offsets and keeps surrogate pairs whole", () => {
    // Prepare
    const text = "ab😀cd";
    // Act / Assess
    expect(redactText(text, [{ start: 0, end: 2 }, { start: 1, end: 3 }])).toBe("■■■cd"); // 😀 is one character
    expect(redactText(text, [{ start: 3, end: 99 }])).toBe("ab■■■");
    expect(redactText(text, [{ start: 5, end: 1 }], "*")).toBe(text);
  });
});
