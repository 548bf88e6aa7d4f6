import { describe, expect, it } from "vitest";
import type { Harness } from "../support/harness";
import { annualReport, annualReportFor } from "../../shared/app/reports/annual";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../../shared/app/errors";
import { enterProactiveFigures, recordRemedy } from "../../shared/app/reports/records";
import { finaliseAnnualReport, finalReport } from "../../shared/app/reports/annual";
import { newCaseRecord } from "../../shared/domain/workflows/engine";
import { applicationWorkflow } from "../../shared/domain/workflows";
import { resultCells, type ResultCell } from "../../shared/domain/report/cells";
import { annualNarrative, saveNarrative } from "../../shared/app/reports/narrative";
import { renderAnnualReportHtml } from "../../shared/ui/reports/annual-html";

/**
 * The annual report counted from the store as it stands, offline and on DynamoDB Local:
 * cases written straight into the store (received, closed in one cell, or still open),
 * then the table compared with counts worked out here.
 */

const agency = "001008010002002";
const columns = ["natural_person", "commercial", "research", "public_welfare", "legal_service", "other"] as const;
type Column = (typeof columns)[number];

interface Planned {
  receivedOn: string;
  column: Column;
  closed?: { on: string; cell: ResultCell; at?: string };
}

function plan(): Planned[] {
  const cells = Object.keys(resultCells) as ResultCell[];
  const out: Planned[] = [];
  // every cell in every column, received and closed in 2026
  cells.forEach((cell, i) => columns.forEach((column, j) => out.push({ receivedOn: `2026-0${1 + ((i + j) % 9)}-1${j}`, column, closed: { on: `2026-1${j % 3}-2${i % 8}`, cell } })));
  // carried over from 2025: closed in 2026, still open, and one closed in 2025 that must not count
  out.push({ receivedOn: "2025-11-20", column: "natural_person", closed: { on: "2026-01-08", cell: "1" } });
  out.push({ receivedOn: "2025-12-28", column: "commercial" });
  out.push({ receivedOn: "2025-06-02", column: "research", closed: { on: "2025-07-01", cell: "2" } });
  // closed in the first minutes of 1 January and the last of 31 December, Beijing time (the day before, and the same day, in UTC)
  out.push({ receivedOn: "2025-12-30", column: "public_welfare", closed: { on: "2026-01-01", cell: "4.1", at: "2025-12-31T16:30:00.000Z" } });
  out.push({ receivedOn: "2026-12-01", column: "public_welfare", closed: { on: "2026-12-31", cell: "5.2", at: "2026-12-31T15:50:00.000Z" } });
  // carried into 2027: open, and closed after the year
  out.push({ receivedOn: "2026-12-21", column: "other" });
  out.push({ receivedOn: "2026-12-29", column: "natural_person", closed: { on: "2027-01-06", cell: "3.1" } });
  // received after the year: not in the 2026 report
  out.push({ receivedOn: "2027-01-04", column: "legal_service" });
  return out;
}

async function store(h: Harness, planned: Planned[]): Promise<void> {
  for (const [i, p] of planned.entries()) {
    const c = newCaseRecord(applicationWorkflow, {
      caseId: `01KREPORT${String(i).padStart(17, "0")}`,
      agencyCode: agency,
      reference: `${agency}-${p.receivedOn.slice(0, 4)}-${String(i + 1).padStart(5, "0")}`,
      now: new Date(`${p.receivedOn}T02:00:00.000Z`),
      createdOn: p.receivedOn,
      data: { receivedOn: p.receivedOn, submittedOn: p.receivedOn, applicantColumn: p.column, application: { applicantType: "natural_person", name: `申请人${i}`, description: "统计用" } },
    });
    const record = p.closed
      ? { ...c, status: "replied", result: { cell: p.closed.cell, replyType: "disclosed", closedOn: p.closed.on }, closedAt: p.closed.at ?? `${p.closed.on}T08:00:00.000Z` }
      : { ...c, status: "in_progress" };
    await h.deps.store.commit([{ kind: "case", record: { ...record, version: 1 } }]);
  }
}

/** The counts the report must show, worked out from the plan alone. */
function expected(planned: Planned[], year: number) {
  const start = `${year}-01-01`;
  const end = `${year}-12-31`;
  const row = (pick: (p: Planned) => boolean) => {
    const v = columns.map((col) => planned.filter((p) => p.column === col && pick(p)).length);
    return [...v, v.reduce((a, b) => a + b, 0)];
  };
  return {
    new: row((p) => p.receivedOn >= start && p.receivedOn <= end),
    carriedOver: row((p) => p.receivedOn < start && (!p.closed || p.closed.on >= start)),
    cell: (cell: ResultCell) => row((p) => p.closed?.cell === cell && p.closed.on >= start && p.closed.on <= end),
    total: row((p) => !!p.closed && p.closed.on >= start && p.closed.on <= end),
    carriedForward: row((p) => p.receivedOn <= end && (!p.closed || p.closed.on > end)),
  };
}

export function annualReportCases(name: string, make: () => Promise<Harness>) {
  describe(`annual report (${name})`, () => {
    it("counts new, carried-over, every result cell and what carries into next year, per applicant column; every check passes", async () => {
      const h = await make();
      const planned = plan();
      await store(h, planned);
      const report = await annualReport(h.deps, agency, 2026);
      const want = expected(planned, 2026);
      const rows = new Map(report.applications.rows.map((r) => [r.label, r.values]));
      expect(report.agency).toMatchObject({ code: agency, name: "黄岩区行政服务中心" });
      expect(report.year).toBe(2026);
      expect(report.applications.columns).toEqual(["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]);
      expect(rows.get("一、本年新收政府信息公开申请数量")).toEqual(want.new);
      expect(rows.get("二、上年结转政府信息公开申请数量")).toEqual(want.carriedOver);
      expect(rows.get("（一）予以公开")).toEqual(want.cell("1"));
      expect(rows.get("（二）部分公开（区分处理的，只计这一情形，不计其他情形）")).toEqual(want.cell("2"));
      expect(rows.get("（七）总计")).toEqual(want.total);
      expect(rows.get("四、结转下年度继续办理")).toEqual(want.carriedForward);
      // sub-items keep their numbers; find each cell's row in order under its group
      for (const cell of Object.keys(resultCells).filter((c) => c.includes(".")) as ResultCell[]) {
        const label = resultCells[cell];
        const matching = report.applications.rows.filter((r) => r.label === label);
        expect(matching.length, label).toBeGreaterThan(0);
      }
      // the counted tables add up; the hand-entered §5.2 figures are still missing, and say so
      expect(report.checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(["手工填报数据完整"]);
      // the numbers the test worked out add up as the checks say
      expect(want.new.map((n, i) => n + want.carriedOver[i]!)).toEqual(want.total.map((n, i) => n + want.carriedForward[i]!));
    });

    it("takes the hand-entered §5.2 figures and the reviews and lawsuits of §5.3; a report is final only when every check passes", async () => {
      const h = await make();
      const planned = plan();
      await store(h, planned);
      const office = await h.signIn("office");
      const director = await h.signIn("director");
      // not every item entered yet: the report cannot be final
      await expect(finaliseAnnualReport(h.deps, director, { year: "2026" })).rejects.toBeInstanceOf(ConflictError);
      const items = { rules: { issued: 0, repealed: 0, inForce: 0 }, normative: { issued: 3, repealed: 1, inForce: 12 }, licensing: { decisions: 1520 }, punishment: { decisions: 0 }, enforcement: { decisions: 0 }, fees: { amount: 12.3456 } };
      for (const [item, values] of Object.entries(items)) await enterProactiveFigures(h.deps, office, { year: 2026, item, values });
      await expect(enterProactiveFigures(h.deps, office, { year: 2026, item: "fees", values: { amount: 1.23456 } })).rejects.toMatchObject({ fields: [expect.objectContaining({ path: "values.amount" })] });
      await expect(enterProactiveFigures(h.deps, office, { year: 2026, item: "licensing", values: { issued: 1 } })).rejects.toBeInstanceOf(ValidationError);
      // a review decided in the year, one still pending at its end, a lawsuit filed directly
      const cases = await h.deps.store.cases.listClosed(agency, 2026);
      await recordRemedy(h.deps, office, cases[0]!.caseId, { kind: "review", filedOn: "2026-03-01", result: "upheld", decidedOn: "2026-04-20" });
      await recordRemedy(h.deps, office, cases[1]!.caseId, { kind: "review", filedOn: "2026-11-01", result: "corrected", decidedOn: "2027-01-10" });
      await recordRemedy(h.deps, office, cases[2]!.caseId, { kind: "litigation_direct", filedOn: "2026-06-01" });
      await expect(recordRemedy(h.deps, office, cases[2]!.caseId, { kind: "litigation_direct", filedOn: "2026-06-01", result: "upheld" })).rejects.toMatchObject({ fields: [expect.objectContaining({ path: "decidedOn" })] });
      expect((await h.deps.store.cases.events(cases[0]!.caseId)).map((e) => e.type)).toContain("remedy.recorded");

      const report = await annualReport(h.deps, agency, 2026);
      const proactive = new Map(report.proactive.rows.map((r) => [r.label, r]));
      expect(proactive.get("行政规范性文件")!.values.slice(0, 3)).toEqual([3, 1, 12]);
      expect(proactive.get("行政事业性收费")!.values.at(-1)).toBe(12.3456);
      expect(proactive.get("行政许可")).toMatchObject({ handEntered: true, enteredBy: "办公室 王敏" });
      const review = new Map(report.reviewLitigation.rows.map((r) => [r.label, r.values]));
      // 结果维持, 结果纠正, 其他结果, 尚未审结, 总计
      expect(review.get("行政复议")).toEqual([1, 0, 0, 1, 2]);
      expect(review.get("行政诉讼·未经复议直接起诉")).toEqual([0, 0, 0, 1, 1]);
      expect(report.checks.filter((c) => !c.ok)).toEqual([]);

      await expect(finaliseAnnualReport(h.deps, office, { year: "2026" })).rejects.toBeInstanceOf(ForbiddenError);
      const final = await finaliseAnnualReport(h.deps, director, { year: "2026" });
      expect(final.finalisedBy).toBe("办公室主任 李强");
      expect((await finalReport(h.deps, agency, 2026))!.report.applications.rows).toEqual(report.applications.rows);
      // next year's 二 is checked against this final 四
      const next = await annualReport(h.deps, agency, 2027);
      expect(next.checks.find((c) => c.name === "本年“二”等于上年“四”")).toMatchObject({ ok: true });
    });

    it("writes the six text sections as drafts from the figures; an edit is kept with who and when, the draft sent back stays a draft", async () => {
      const h = await make();
      const planned = plan();
      await store(h, planned);
      const office = await h.signIn("office");
      const want = expected(planned, 2026);
      const report = await annualReport(h.deps, agency, 2026);
      const sections = await annualNarrative(h.deps, report);
      expect(sections.map((s) => s.heading)).toEqual(["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]);
      const text = new Map(sections.map((s) => [s.key, s]));
      // the figures the test worked out, in words
      expect(text.get("applications")!.text).toContain(`新收政府信息公开申请 ${want.new.at(-1)} 件，上年结转 ${want.carriedOver.at(-1)} 件`);
      expect(text.get("applications")!.text).toContain(`合计办结 ${want.total.at(-1)} 件；结转下年度继续办理 ${want.carriedForward.at(-1)} 件`);
      expect(text.get("other")!.text).toContain("国办函〔2020〕109号");
      // §5.2 figures not entered yet are marked to be filled in
      expect(text.get("proactive")!.text).toContain("【请填写】");
      expect(sections.every((s) => !s.edited)).toBe(true);

      const overview = "2026年，本中心依法做好政府信息公开工作。\n全年未发生泄密事件。";
      await saveNarrative(h.deps, office, { year: 2026, sections: { overview, applications: text.get("applications")!.draft } });
      // more figures entered afterwards: the untouched drafts follow them, the edit stays
      await enterProactiveFigures(h.deps, office, { year: 2026, item: "normative", values: { issued: 3, repealed: 1, inForce: 12 } });
      const after = new Map((await annualNarrative(h.deps, await annualReport(h.deps, agency, 2026))).map((s) => [s.key, s]));
      expect(after.get("overview")).toMatchObject({ text: overview, edited: true, editedBy: "办公室 王敏" });
      expect(after.get("applications")!.edited).toBe(false);
      expect(after.get("proactive")!.text).toContain("行政规范性文件 3 件");

      // the printable copy: the sections in order, each table under its own
      const page = renderAnnualReportHtml(report, [...after.values()]);
      const at = (s: string) => page.indexOf(s);
      expect(at("全年未发生泄密事件")).toBeGreaterThan(at("一、总体情况"));
      expect(at("主动公开政府信息情况</h2>")).toBeGreaterThan(at("二、主动公开政府信息情况"));
      expect(at("收到和处理政府信息公开申请情况</h2>")).toBeGreaterThan(at("三、收到和处理政府信息公开申请情况"));
      expect(at("六、其他需要报告的事项")).toBeGreaterThan(at("四、政府信息公开行政复议、行政诉讼情况"));

      // emptied: back to the draft; bad input names the field and stores nothing
      await saveNarrative(h.deps, office, { year: 2026, sections: { overview: "" } });
      expect((await annualNarrative(h.deps, report)).find((s) => s.key === "overview")!.edited).toBe(false);
      await expect(saveNarrative(h.deps, office, { year: 2026, sections: { summary: "x", problems: 5 } })).rejects.toMatchObject({
        fields: [expect.objectContaining({ path: "sections.summary", code: "not_allowed" }), expect.objectContaining({ path: "sections.problems", code: "wrong_type" })],
      });
      await expect(saveNarrative(h.deps, office, { year: 2026, sections: { problems: "问".repeat(20_001) } })).rejects.toMatchObject({ fields: [expect.objectContaining({ path: "sections.problems", code: "too_long" })] });
      expect((await annualNarrative(h.deps, report)).every((s) => !s.edited)).toBe(true);
      await expect(saveNarrative(h.deps, await h.signIn("auditor"), { year: 2026, sections: { overview } })).rejects.toBeInstanceOf(ForbiddenError);
    });

    it("is the caller's agency's only, for report roles, for a valid year", async () => {
      const h = await make();
      const office = await h.signIn("office");
      await expect(annualReportFor(h.deps, office, { year: "2026" })).resolves.toMatchObject({ year: 2026 });
      await expect(annualReportFor(h.deps, office, { agency: "001008010003001", year: "2026" })).rejects.toBeInstanceOf(NotFoundError);
      await expect(annualReportFor(h.deps, await h.signIn("duty"), { year: "2026" })).rejects.toBeInstanceOf(ForbiddenError);
      await expect(annualReportFor(h.deps, office, { year: "26" })).rejects.toBeInstanceOf(ValidationError);
      await expect(annualReportFor(h.deps, office, {})).rejects.toMatchObject({ fields: [expect.objectContaining({ path: "year", code: "required" })] });
    });
  });
}
