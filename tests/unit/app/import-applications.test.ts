import { describe, expect, it } from "vitest";
import { importApplications, parseCsv } from "../../../shared/app/reports/import";
import { annualReport } from "../../../shared/app/reports/annual";
import { ForbiddenError, ValidationError } from "../../../shared/app/errors";
import { memoryHarness } from "../../support/harness";

/** Applications handled before the system, imported from a spreadsheet (SPEC §7.2), counted like any other. */

const agency = "001008010002002";
const header = "reference,receivedOn,applicantType,organizationKind,replyType,ground,closedOn";
const csv = [
  header,
  "HY-2026-001,2026-02-03,natural_person,,disclosed,,2026-02-20",
  "HY-2026-002,2026-03-10,organization,commercial,not_disclosed,state_secret,2026-04-01",
  '"HY-2026-003",2026-05-06,organization,research,,,',
  "HY-2025-118,2025-12-22,natural_person,,not_processed,repeated,2026-01-09",
].join("\r\n");

describe("importing applications handled before the system", () => {
  it("stores one case per row, marked imported, and the annual report counts them", async () => {
    const h = await memoryHarness("2026-06-01T02:00:00.000Z");
    const result = await importApplications(h.deps, await h.signIn("office"), parseCsv(csv));
    expect(result).toEqual({ imported: 4, unchanged: 0 });
    const open = await h.deps.store.cases.listOpen(agency);
    expect(open.map((c) => [c.reference, c.flags])).toEqual([["HY-2026-003", ["imported"]]]);
    const report = await annualReport(h.deps, agency, 2026);
    const row = (label: string) => report.applications.rows.find((r) => r.label === label)!.values;
    // 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计
    expect(row("一、本年新收政府信息公开申请数量")).toEqual([1, 1, 1, 0, 0, 0, 3]);
    expect(row("二、上年结转政府信息公开申请数量")).toEqual([1, 0, 0, 0, 0, 0, 1]);
    expect(row("（一）予以公开")).toEqual([1, 0, 0, 0, 0, 0, 1]);
    expect(row("（七）总计")).toEqual([2, 1, 0, 0, 0, 0, 3]);
    expect(row("四、结转下年度继续办理")).toEqual([0, 0, 1, 0, 0, 0, 1]);
    // the counted tables add up; the hand-entered §5.2 figures are still missing, and say so
      expect(report.checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(["手工填报数据完整"]);
  });

  it("refuses the whole file for one bad row, naming its line and column, and stores nothing", async () => {
    const h = await memoryHarness("2026-06-01T02:00:00.000Z");
    const bad = `${csv}\r\nHY-2026-009,2026-13-01,natural_person,,disclosed,,2026-02-20\r\nHY-2026-010,2026-02-01,organization,,cannot_provide,,2026-02-05`;
    const attempt = importApplications(h.deps, await h.signIn("office"), parseCsv(bad));
    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    const error = (await attempt.catch((e: unknown) => e)) as ValidationError;
    expect(error.fields.map((f) => f.path)).toEqual(["rows.6.receivedOn", "rows.7.organizationKind", "rows.7.ground"]);
    expect(error.fields[0]!.message).toContain("第 6 行");
    expect(await h.deps.store.cases.listOpen(agency)).toEqual([]);
    expect(await h.deps.store.cases.listClosed(agency, 2026)).toEqual([]);
  });

  it("checks the header and who imports", async () => {
    const h = await memoryHarness("2026-06-01T02:00:00.000Z");
    await expect(importApplications(h.deps, await h.signIn("office"), parseCsv("ref,date\r\nx,y"))).rejects.toMatchObject({ fields: [expect.objectContaining({ path: "rows.1", code: "invalid_header" })] });
    await expect(importApplications(h.deps, await h.signIn("officer"), parseCsv(csv))).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("stores nothing twice when the same file comes again, and refuses a changed row under an imported reference", async () => {
    const h = await memoryHarness("2026-06-01T02:00:00.000Z");
    const office = await h.signIn("office");
    await importApplications(h.deps, office, parseCsv(csv));
    expect(await importApplications(h.deps, office, parseCsv(csv))).toEqual({ imported: 0, unchanged: 4 });
    const changed = csv.replace("HY-2026-001,2026-02-03", "HY-2026-001,2026-02-04");
    await expect(importApplications(h.deps, office, parseCsv(changed))).rejects.toMatchObject({ fields: [expect.objectContaining({ path: "rows.2.reference", code: "already_imported" })] });
    expect((await h.deps.store.cases.listClosed(agency, 2026)).length).toBe(3);
  });

  it("reads quoted CSV fields with commas, quotes and a BOM", () => {
    expect(parseCsv('\uFEFFa,b\r\n"x, ""y""",z\r\n\r\n')).toEqual([["a", "b"], ['x, "y"', "z"]]);
  });
});
