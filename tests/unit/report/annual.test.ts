import { describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import {
  buildAnnualReport,
  checkNames,
  isFinalisable,
  type AnnualReport,
  type ApplicantColumn,
  type ApplicationFact,
  type ProactiveEntry,
  type ReviewLitigationCounts,
} from "../../../shared/domain/report/annual";
import type { ResultCell } from "../../../shared/domain/report/cells";
import { renderAnnualReportCsv } from "../../../shared/ui/reports/annual-csv";
import { renderAnnualReportHtml } from "../../../shared/ui/reports/annual-html";
import { renderAnnualReportXlsx } from "../../../shared/ui/reports/annual-xlsx";

// Labels written out literally, exactly as SPEC §5.1 prints them.
const expectedLabels = [
  "一、本年新收政府信息公开申请数量",
  "二、上年结转政府信息公开申请数量",
  "三、本年度办理结果",
  "（一）予以公开",
  "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
  "（三）不予公开",
  "1.属于国家秘密",
  "2.其他法律行政法规禁止公开",
  "3.危及“三安全一稳定”",
  "4.保护第三方合法权益",
  "5.属于三类内部事务信息",
  "6.属于四类过程性信息",
  "7.属于行政执法案卷",
  "8.属于行政查询事项",
  "（四）无法提供",
  "1.本机关不掌握相关政府信息",
  "2.没有现成信息需要另行制作",
  "3.补正后申请内容仍不明确",
  "（五）不予处理",
  "1.信访举报投诉类申请",
  "2.重复申请",
  "3.要求提供公开出版物",
  "4.无正当理由大量反复申请",
  "5.要求行政机关确认或重新出具已获取信息",
  "（六）其他处理",
  "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
  "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
  "3.其他",
  "（七）总计",
  "四、结转下年度继续办理",
];
const expectedColumns = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"];
const columns: ApplicantColumn[] = ["natural_person", "commercial", "research", "public_welfare", "legal_service", "other"];
const cells: ResultCell[] = ["1", "2", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7", "3.8", "4.1", "4.2", "4.3", "5.1", "5.2", "5.3", "5.4", "5.5", "6.1", "6.2", "6.3"];
// the row index (in expectedLabels) of each cell, and of each cell's group heading
const cellRow: Record<string, number> = {};
const groupRow: Record<string, number> = { "3": 5, "4": 14, "5": 18, "6": 24 };
cells.forEach((c, i) => (cellRow[c] = [3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 15, 16, 17, 19, 20, 21, 22, 23, 25, 26, 27][i]!));
const NEW = 0, CARRIED = 1, TOTAL = 28, CARRY_FORWARD = 29;

/** Facts for 2024, and the table worked out by hand as they are added. */
function scenario() {
  const facts: ApplicationFact[] = [];
  const expected = expectedLabels.map(() => [0, 0, 0, 0, 0, 0, 0]);
  const add = (n: number, fact: ApplicationFact, rows: number[]) => {
    const col = columns.indexOf(fact.column);
    for (let k = 0; k < n; k++) facts.push({ ...fact });
    for (const r of rows) {
      expected[r]![col]! += n;
      expected[r]![6]! += n;
    }
  };
  const resultRows = (cell: ResultCell) => [cellRow[cell]!, ...(groupRow[cell.split(".")[0]!] !== undefined ? [groupRow[cell.split(".")[0]!]!] : []), TOTAL];
  // received and closed in 2024: every cell, every column
  cells.forEach((cell, i) => {
    add((i % 3) + 1, { receivedOn: "2024-03-04", closedOn: "2024-04-01", cell, column: columns[i % 6]! }, [NEW, ...resultRows(cell)]);
    add(1, { receivedOn: "2024-01-01", closedOn: "2024-12-31", cell, column: columns[(i + 3) % 6]! }, [NEW, ...resultRows(cell)]);
  });
  // received last year, closed this year
  add(2, { receivedOn: "2023-12-20", closedOn: "2024-01-01", cell: "1", column: "natural_person" }, [CARRIED, ...resultRows("1")]);
  add(1, { receivedOn: "2023-11-02", closedOn: "2024-02-10", cell: "3.4", column: "research" }, [CARRIED, ...resultRows("3.4")]);
  // received last year, still open
  add(2, { receivedOn: "2023-12-28", column: "commercial" }, [CARRIED, CARRY_FORWARD]);
  // received last year, closed next year
  add(1, { receivedOn: "2023-10-01", closedOn: "2025-01-03", cell: "2", column: "natural_person" }, [CARRIED, CARRY_FORWARD]);
  // received and closed last year: not in this year's table
  add(3, { receivedOn: "2023-05-01", closedOn: "2023-12-31", cell: "1", column: "other" }, []);
  // received this year, still open
  add(1, { receivedOn: "2024-12-30", column: "public_welfare" }, [NEW, CARRY_FORWARD]);
  add(2, { receivedOn: "2024-07-15", column: "legal_service" }, [NEW, CARRY_FORWARD]);
  // received this year, closed next year
  add(1, { receivedOn: "2024-12-31", closedOn: "2025-01-02", cell: "1", column: "other" }, [NEW, CARRY_FORWARD]);
  // received next year: ignored
  add(1, { receivedOn: "2025-01-01", closedOn: "2025-01-05", cell: "1", column: "natural_person" }, []);
  add(1, { receivedOn: "2025-02-01", column: "research" }, []);
  return { facts, expected };
}

const proactive: ProactiveEntry[] = [
  { item: "rules", values: { issued: 1, repealed: 0, inForce: 5 }, enteredBy: "王五", enteredAt: "2025-01-10T09:00:00+08:00" },
  { item: "normative", values: { 本年制发件数: 3, 本年废止件数: 1, 现行有效件数: 12 }, enteredBy: "王五" },
  { item: "licensing", values: { decisions: 120 } },
  { item: "punishment", values: { decisions: 7 } },
  { item: "enforcement", values: { decisions: 0 } },
  { item: "fees", values: { amount: 12.3456 } },
];
const reviewLitigation: ReviewLitigationCounts = {
  review: { upheld: 2, corrected: 1, other: 0, pending: 1, total: 4 },
  litigationDirect: { upheld: 1, corrected: 0, other: 0, pending: 0, total: 1 },
  litigationAfterReview: { upheld: 0, corrected: 0, other: 1, pending: 1, total: 2 },
};
const agency = { code: "110105000000001", name: "北京市朝阳区<测试>局" };

function fullReport(extra: Partial<Parameters<typeof buildAnnualReport>[0]> = {}): { report: AnnualReport; expected: number[][] } {
  const { facts, expected } = scenario();
  return { report: buildAnnualReport({ agency, year: 2024, facts, previous: { carriedForward: expected[CARRIED]! }, proactive, reviewLitigation, ...extra }), expected };
}

describe("buildAnnualReport", () => {
  it("has the labels and columns of SPEC §5.1, in order", () => {
    const { report } = fullReport();
    expect(report.applications.columns).toEqual(expectedColumns);
    expect(report.applications.rows.map((r) => r.label)).toEqual(expectedLabels);
    expect(report.applications.columnGroups).toEqual([{ label: "法人或其他组织", start: 1, span: 5 }]);
    expect(report.applications.rows[2]).toMatchObject({ heading: true, values: [0, 0, 0, 0, 0, 0, 0] });
  });

  it("counts every row as worked out by hand", () => {
    const { report, expected } = fullReport();
    report.applications.rows.forEach((r, i) => expect([r.label, r.values]).toEqual([expectedLabels[i], expected[i]]));
    // a few figures spelled out, so a mistake in the tally above cannot hide one in the code
    expect(report.applications.rows[CARRIED]!.values).toEqual([3, 2, 1, 0, 0, 0, 6]);
    expect(report.applications.rows[CARRY_FORWARD]!.values).toEqual([1, 2, 0, 1, 2, 1, 7]);
    expect(report.applications.rows[3]!.values).toEqual([3, 0, 0, 1, 0, 0, 4]); // （一）予以公开
  });

  it("passes every check, with the names of §5", () => {
    const { report } = fullReport();
    expect(report.checks.map((c) => c.name)).toEqual(Object.values(checkNames));
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(isFinalisable(report)).toBe(true);
  });

  it("fails 本年“二”等于上年“四” when last year's 四 differs, naming the column", () => {
    const { facts, expected } = scenario();
    const wrong = [...expected[CARRIED]!];
    wrong[1]! += 1;
    wrong[6]! += 1;
    const report = buildAnnualReport({ agency, year: 2024, facts, previous: { carriedForward: wrong }, proactive, reviewLitigation });
    const check = report.checks.find((c) => c.name === checkNames.carriedForward)!;
    expect(check.ok).toBe(false);
    expect(check.detail).toContain("商业企业：本年“二”=2，上年“四”=3");
    expect(check.detail).toContain("总计");
    expect(check.detail).not.toContain("自然人");
    expect(isFinalisable(report)).toBe(false);
  });

  it("leaves out the 二=上年四 check without last year's report", () => {
    const { facts } = scenario();
    const report = buildAnnualReport({ agency, year: 2024, facts, proactive, reviewLitigation });
    expect(report.checks.map((c) => c.name)).not.toContain(checkNames.carriedForward);
  });

  it("fails the review/litigation check when a group's 总计 is not the sum of its four items", () => {
    const { report } = fullReport({ reviewLitigation: { ...reviewLitigation, litigationDirect: { upheld: 1, corrected: 1, other: 0, pending: 0, total: 1 } } });
    const check = report.checks.find((c) => c.name === checkNames.reviewLitigationTotals)!;
    expect(check).toMatchObject({ ok: false, detail: "行政诉讼·未经复议直接起诉：总计=1，四项之和=2" });
    expect(report.reviewLitigation.columns).toEqual(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]);
    expect(report.reviewLitigation.rows.map((r) => r.label)).toEqual(["行政复议", "行政诉讼·未经复议直接起诉", "行政诉讼·复议后起诉"]);
  });

  it("shows the hand-entered §5.2 figures and fails when one is missing or malformed", () => {
    const { report } = fullReport();
    expect(report.proactive.columns).toEqual(["本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额（单位：万元）"]);
    expect(report.proactive.rows.map((r) => [r.label, r.values])).toEqual([
      ["规章", [1, 0, 5, null, null]],
      ["行政规范性文件", [3, 1, 12, null, null]],
      ["行政许可", [null, null, null, 120, null]],
      ["行政处罚", [null, null, null, 7, null]],
      ["行政强制", [null, null, null, 0, null]],
      ["行政事业性收费", [null, null, null, null, 12.3456]],
    ]);
    expect(report.proactive.rows[0]).toMatchObject({ handEntered: true, enteredBy: "王五", section: "第二十条第（一）项" });

    const missing = fullReport({ proactive: [...proactive.filter((p) => p.item !== "licensing"), { item: "fees", values: { amount: 1.23456 } }] }).report;
    const check = missing.checks.find((c) => c.name === checkNames.handEnteredComplete)!;
    expect(check.ok).toBe(false);
    expect(check.detail).toContain("行政许可：未填报");
    expect(check.detail).toContain("行政事业性收费·本年收费金额（单位：万元）：应为非负数，最多4位小数");
  });

  it("keeps the balance but fails the results check when a closed case has no result cell", () => {
    const { facts } = scenario();
    facts.push({ receivedOn: "2024-05-05", closedOn: "2024-06-01", column: "research" });
    const report = buildAnnualReport({ agency, year: 2024, facts, proactive, reviewLitigation });
    expect(report.checks.find((c) => c.name === checkNames.balance)!.ok).toBe(true);
    const results = report.checks.find((c) => c.name === checkNames.resultsTotal)!;
    expect(results.ok).toBe(false);
    expect(results.detail).toContain("科研机构");
  });
});

/** RFC 4180 reader for the test: quoted fields, doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = "";
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") endField();
    else if (ch === "\r" && text[i + 1] === "\n") {
      endField();
      rows.push(row);
      row = [];
      i++;
    } else field += ch;
  }
  if (field || row.length) {
    endField();
    rows.push(row);
  }
  return rows;
}

describe("renderers", () => {
  it("XLSX reads back with the same labels, numbers and merged headers", async () => {
    const { report } = fullReport();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await renderAnnualReportXlsx(report)) as any);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["收到和处理政府信息公开申请情况", "主动公开政府信息情况", "政府信息公开行政复议、行政诉讼情况", "校验"]);
    const ws = wb.getWorksheet("收到和处理政府信息公开申请情况")!;
    expect(ws.getCell("C3").value).toBe("法人或其他组织");
    for (const a of ["D3", "E3", "F3", "G3"]) expect(ws.getCell(a).master.address).toBe("C3");
    expect(ws.getCell("B3").value).toBe("自然人");
    expect(ws.getCell("B4").master.address).toBe("B3");
    expect(ws.getCell("H3").value).toBe("总计");
    expect(ws.getCell("H4").master.address).toBe("H3");
    expect(["C4", "D4", "E4", "F4", "G4"].map((a) => ws.getCell(a).value)).toEqual(expectedColumns.slice(1, 6));
    expect(ws.getCell("B3").font?.bold).toBe(true);
    report.applications.rows.forEach((r, i) => {
      const row = ws.getRow(5 + i);
      expect(row.getCell(1).value).toBe(r.label);
      const values = [2, 3, 4, 5, 6, 7, 8].map((c) => row.getCell(c).value);
      expect(values).toEqual(r.heading ? [null, null, null, null, null, null, null] : r.values);
    });
    const rl = wb.getWorksheet("政府信息公开行政复议、行政诉讼情况")!;
    expect(rl.getCell("A2").value).toBe("行政复议");
    expect(rl.getCell("F2").value).toBe("行政诉讼");
    expect(rl.getCell("O2").master.address).toBe("F2");
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15].map((c) => rl.getRow(5).getCell(c).value)).toEqual(report.reviewLitigation.rows.flatMap((r) => r.values));
    const checks = wb.getWorksheet("校验")!;
    expect(checks.getCell("A2").value).toBe(report.checks[0]!.name);
  });

  it("CSV has a BOM, CRLF lines and parses back to the same numbers", () => {
    const { report } = fullReport();
    const csv = renderAnnualReportCsv({ ...report, agency: { code: agency.code, name: '朝阳区"测试",局' } });
    expect(csv.startsWith("\uFEFF")).toBe(true);
    expect(csv.replace(/\r\n/g, "")).not.toMatch(/\n/);
    const rows = parseCsv(csv.slice(1));
    expect(rows[0]).toEqual(['朝阳区"测试",局2024年政府信息公开工作年度报告']);
    const start = rows.findIndex((r) => r[0] === "收到和处理政府信息公开申请情况");
    expect(rows[start + 1]).toEqual(["项目", ...expectedColumns]);
    report.applications.rows.forEach((r, i) => {
      const line = rows[start + 2 + i]!;
      expect(line[0]).toBe(r.label);
      expect(line.slice(1)).toEqual(r.heading ? ["", "", "", "", "", "", ""] : r.values.map(String));
    });
    const rl = rows.findIndex((r) => r[0] === "政府信息公开行政复议、行政诉讼情况");
    expect(rows.slice(rl + 2, rl + 5).map((r) => r.slice(1).map(Number))).toEqual(report.reviewLitigation.rows.map((r) => r.values));
    const pr = rows.findIndex((r) => r[0] === "主动公开政府信息情况");
    expect(rows[pr + 7]!.slice(1, 7)).toEqual(["行政事业性收费", "", "", "", "", "12.3456"]);
  });

  it("HTML escapes everything and lists failed checks in red", () => {
    const { report } = fullReport({ previous: { carriedForward: [9, 9, 9, 9, 9, 9, 54] }, agency: { code: "110105000000001", name: "<script>alert(1)</script>局" } });
    const page = renderAnnualReportHtml(report);
    expect(page).not.toContain("<script>");
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;局");
    expect(page).toMatch(/<th[^>]*colspan="5"[^>]*>法人或其他组织<\/th>/);
    expect(page).toMatch(/<th[^>]*rowspan="2"[^>]*>自然人<\/th>/);
    const failed = page.slice(page.indexOf('class="failed-checks"'), page.indexOf("</div>", page.indexOf('class="failed-checks"')));
    expect(failed).toContain("color:#c00");
    expect(failed).toContain("本年“二”等于上年“四”");
    expect(failed).toContain("自然人：本年“二”=3，上年“四”=9");
    expect(page).toContain("@media print");
    for (const label of expectedLabels) expect(page).toContain(label);
  });
});
