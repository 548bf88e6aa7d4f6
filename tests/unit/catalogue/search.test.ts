import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { normaliseForSearch, searchCatalogue, searchTerms } from "../../../shared/domain/catalogue/search";
import { formatIndexNumber, type CatalogueEntry } from "../../../shared/domain/catalogue/entry";
import { catalogueColumns } from "../../../shared/domain/catalogue/columns";

const AGENCY = "001008010002002";
let sequence = 0;

function entry(over: Partial<CatalogueEntry> & { day?: string } = {}): CatalogueEntry {
  const seq = over.sequence ?? ++sequence;
  const year = over.year ?? 2024;
  const day = over.day ?? `${year}-03-01`;
  const { day: _day, ...rest } = over;
  return {
    agencyCode: AGENCY,
    indexNumber: formatIndexNumber(AGENCY, year, seq),
    year,
    sequence: seq,
    kind: "publication",
    caseId: "01JCASE0000000000000000000",
    title: "关于开展窗口服务评议的通知",
    column: "notices",
    writtenOn: day,
    publisher: "黄岩区行政服务中心",
    disclosureMode: "主动公开",
    scope: "面向全社会",
    publishedAt: `${day}T02:00:00.000Z`,
    publishedOn: day,
    bodyHtml: "<p>正文</p>",
    text: "为进一步提升服务水平，现将有关事项通知如下。",
    attachments: [],
    status: "published",
    corrections: [],
    revision: 1,
    ...rest,
  };
}

const titles = (r: { entries: CatalogueEntry[] }) => r.entries.map((e) => e.title);

describe("normalisation", () => {
  it("folds full-width letters and digits, case, whitespace and punctuation, Chinese and ASCII", () => {
    expect(normaliseForSearch("黄政办发〔２０２４〕１２号")).toBe("黄政办发202412号");
    expect(normaliseForSearch("ＡＢＣ　ｄｅｆ")).toBe("abcdef");
    expect(normaliseForSearch("《关于 印发、实施》的\u200b通知！")).toBe("关于印发实施的通知");
    expect(normaliseForSearch("001008010002002/2024-157175")).toBe("0010080100020022024157175");
  });

  it("equals NFKC, lower case and a Unicode-property strip, whatever mix of scripts and marks (the fast path changes nothing)", () => {
    const reference = (s: string) => s.normalize("NFKC").toLowerCase().replace(/[\s\p{P}\p{Z}\p{Cf}]+/gu, "");
    const pieces = ["a", "Z", "9", " ", "\t", "\n", "-", "/", "租", "〔", "〕", "，", "。", "“", "”", "…", "․", "\u3000", "\u00a0", "\u200b", "\ufeff", "Ａ", "１", "（", "é", "e", "\u0301", "\u302a", "ᄀ", "ᅡ", "가", "ﬁ", "㍿", "①", "Ⅻ", "😀", "𠀀", "\ud800", "İ", "ß", "Σ", "ς"];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 30 }), (parts) => {
        const s = parts.join("");
        expect(normaliseForSearch(s)).toBe(reference(s));
      }),
      { numRuns: 3000 },
    );
  });

  it("splits the query on any whitespace (the ideographic space too) and drops empty terms", () => {
    expect(searchTerms("营商环境\u3000优化  ，")).toEqual(["营商环境", "优化"]);
    expect(searchTerms("")).toEqual([]);
    expect(searchTerms(undefined)).toEqual([]);
  });
});

describe("searchCatalogue", () => {
  it("lists published entries newest first and never a withdrawn one", () => {
    // Prepare
    const entries = [
      entry({ title: "较早的通知", day: "2024-01-05" }),
      entry({ title: "最新的通知", day: "2024-06-05" }),
      entry({ title: "已撤回的通知", day: "2024-07-05", status: "withdrawn", withdrawn: { at: "2024-07-06T01:00:00.000Z", on: "2024-07-06", note: "内容有误" } }),
      entry({ title: "中间的通知", day: "2024-03-05" }),
    ];
    // Act
    const browse = searchCatalogue(entries);
    const search = searchCatalogue(entries, { q: "撤回" });
    // Assess
    expect(titles(browse)).toEqual(["最新的通知", "中间的通知", "较早的通知"]);
    expect(browse.total).toBe(3);
    expect(search.total).toBe(0);
    expect(browse.facets.columns.find((c) => c.code === "notices")?.count).toBe(3);
  });

  it("finds Chinese substrings without a word splitter, in title, document number, index number and text", () => {
    // Prepare
    const entries = [
      entry({ title: "黄岩区优化营商环境若干措施", text: "为优化营商环境……" }),
      entry({ title: "关于调整公共租赁住房租金标准的通知", documentNumber: "黄政办发〔2024〕12号", text: "各街道、乡镇……" }),
      entry({ title: "2023年财政预算执行情况", column: "finance", text: "全区一般公共预算收入完成情况如下，其中税收收入增长较快。", sequence: 157175 }),
    ];
    // Act / Assess
    expect(titles(searchCatalogue(entries, { q: "营商" }))).toEqual(["黄岩区优化营商环境若干措施"]);
    expect(titles(searchCatalogue(entries, { q: "黄政办发〔2024〕12号" }))).toEqual(["关于调整公共租赁住房租金标准的通知"]);
    expect(titles(searchCatalogue(entries, { q: "黄政办发2024 12" }))).toEqual(["关于调整公共租赁住房租金标准的通知"]);
    expect(titles(searchCatalogue(entries, { q: "2024-157175" }))).toEqual(["2023年财政预算执行情况"]);
    expect(titles(searchCatalogue(entries, { q: "税收收入" }))).toEqual(["2023年财政预算执行情况"]);
  });

  it("matches full-width and upper-case input against half-width text, and the other way round", () => {
    // Prepare
    const entries = [entry({ title: "ＰＭ２.５ 监测结果公示", text: "详见附件 GDP 数据" })];
    // Act / Assess
    expect(searchCatalogue(entries, { q: "pm25" }).total).toBe(1);
    expect(searchCatalogue(entries, { q: "ｇｄｐ" }).total).toBe(1);
    expect(searchCatalogue(entries, { q: "ＧＤＰ　监测" }).total).toBe(1);
  });

  it("needs every term (AND), in any field", () => {
    // Prepare
    const entries = [
      entry({ title: "养老服务补贴申请指南", text: "高龄老人可以申请补贴。" }),
      entry({ title: "养老机构名单", text: "本区养老机构共十二家。" }),
      entry({ title: "残疾人补贴申请指南", text: "符合条件的残疾人……" }),
    ];
    // Act / Assess
    expect(titles(searchCatalogue(entries, { q: "养老 补贴" }))).toEqual(["养老服务补贴申请指南"]);
    expect(titles(searchCatalogue(entries, { q: "养老 高龄" }))).toEqual(["养老服务补贴申请指南"]);
    expect(searchCatalogue(entries, { q: "养老 残疾人" }).total).toBe(0);
  });

  it("ranks title hits above number hits above text hits, then newest first", () => {
    // Prepare
    const entries = [
      entry({ title: "关于公示的通知", text: "本年度公共租赁住房租金标准不变。", day: "2024-12-01" }),
      entry({ title: "公共租赁住房租金调整方案", day: "2024-01-01" }),
      entry({ title: "某项通知", documentNumber: "黄租金发〔2024〕1号", day: "2024-09-01" }),
      entry({ title: "租金减免政策问答", day: "2024-02-01" }),
      entry({ title: "无关的通知", day: "2024-12-31" }),
    ];
    // Act
    const r = searchCatalogue(entries, { q: "租金" });
    // Assess
    expect(titles(r)).toEqual(["租金减免政策问答", "公共租赁住房租金调整方案", "某项通知", "关于公示的通知"]);
  });

  it("ranks an entry hitting more terms in its title first", () => {
    // Prepare
    const entries = [
      entry({ title: "养老服务", text: "补贴", day: "2024-12-01" }),
      entry({ title: "养老服务补贴", day: "2024-01-01" }),
    ];
    // Act / Assess
    expect(titles(searchCatalogue(entries, { q: "养老 补贴" }))).toEqual(["养老服务补贴", "养老服务"]);
  });

  it("counts column facets with the year applied and year facets with the column applied", () => {
    // Prepare
    const entries = [
      entry({ column: "notices", year: 2024 }),
      entry({ column: "notices", year: 2023, day: "2023-05-01" }),
      entry({ column: "policy", year: 2024 }),
      entry({ column: "policy", year: 2024 }),
      entry({ column: "finance", year: 2022, day: "2022-05-01" }),
    ];
    // Act
    const r = searchCatalogue(entries, { column: "policy", year: 2024 });
    const all = searchCatalogue(entries);
    // Assess
    expect(r.total).toBe(2);
    expect(r.facets.columns.map((c) => c.code)).toEqual(catalogueColumns.map((c) => c.code));
    expect(Object.fromEntries(r.facets.columns.filter((c) => c.count).map((c) => [c.code, c.count]))).toEqual({ notices: 1, policy: 2 });
    expect(r.facets.years).toEqual([{ year: 2024, count: 2 }]);
    expect(all.facets.years).toEqual([
      { year: 2024, count: 3 },
      { year: 2023, count: 1 },
      { year: 2022, count: 1 },
    ]);
    expect(r.facets.columns.find((c) => c.code === "policy")?.label).toBe("政策文件");
  });

  it("pages through the results", () => {
    // Prepare
    const entries = Array.from({ length: 45 }, (_, i) => entry({ title: `第${i + 1}条`, day: `2024-01-${String((i % 28) + 1).padStart(2, "0")}`, sequence: 1000 + i }));
    // Act
    const p3 = searchCatalogue(entries, { page: 3, pageSize: 20 });
    const beyond = searchCatalogue(entries, { page: 9, pageSize: 20 });
    // Assess
    expect(p3.total).toBe(45);
    expect(p3.entries).toHaveLength(5);
    expect(p3.page).toBe(3);
    expect(beyond.entries).toHaveLength(0);
    expect(searchCatalogue(entries, { pageSize: 1000 }).pageSize).toBe(100);
  });
});
