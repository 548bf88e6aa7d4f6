import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { officialSchedules, parseYearScheduleJson } from "../../../shared/domain/calendar";

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/calendar/${name}`, import.meta.url), "utf8");
const official = (year: number) => readFileSync(new URL(`../../../shared/domain/calendar/official/${year}.json`, import.meta.url), "utf8");

describe("parseYearScheduleJson", () => {
  it("reads every official data file back to the same schedule", () => {
    for (const s of officialSchedules) {
      expect(parseYearScheduleJson(official(s.year))).toEqual({ ok: true, schedules: [s] });
    }
  });

  it("reads an array of years", () => {
    const text = JSON.stringify([JSON.parse(official(2025)), JSON.parse(fixture("2027-test.json"))], null, 2);
    const result = parseYearScheduleJson(text);
    expect(result.ok && result.schedules.map((s) => s.year)).toEqual([2025, 2027]);
  });

  it("names the line and field of every rule broken", () => {
    // Act
    const result = parseYearScheduleJson(fixture("2027-bad.json"));
    // Assess
    expect(result).toEqual({
      ok: false,
      errors: [
        { line: 6, path: "holidays[1].to", message: "结束日期 2027-02-05 早于开始日期 2027-02-13" },
        { line: 9, path: "makeUpWorkdays[0].date", message: "调休上班日 2027-01-06 不是周六或周日" },
      ],
    });
  });

  it("names the line of a JSON syntax error", () => {
    const text = '{\n  "year": 2027,\n  "notice": {"documentNumber": "x"\n  "title": "t"}\n}';
    const result = parseYearScheduleJson(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toEqual([{ line: 4, path: "(JSON)", message: "JSON 语法错误：此处应为逗号或 }" }]);
  });

  it("names missing, mistyped and unknown fields", () => {
    const text = [
      "{",
      '  "year": "2027",',
      '  "notice": {"documentNumber": "x", "issuedOn": "2026-11-1", "title": "t"},',
      '  "holidays": [],',
      '  "makeupWorkdays": []',
      "}",
    ].join("\n");
    const result = parseYearScheduleJson(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      { line: 1, path: "makeUpWorkdays", message: "缺少字段：调休上班日（makeUpWorkdays）" },
      { line: 2, path: "year", message: "年份应为数字" },
      { line: 3, path: "notice.issuedOn", message: "发文日期应为 YYYY-MM-DD 格式的日期" },
      { line: 5, path: "makeupWorkdays", message: '未知字段 "makeupWorkdays"' },
    ]);
  });

  it("refuses dates outside the year, overlapping ranges and a make-up day inside a holiday", () => {
    const s = JSON.parse(fixture("2027-test.json")) as { holidays: unknown[]; makeUpWorkdays: unknown[] };
    s.holidays.push({ name: "春节", from: "2027-02-10", to: "2027-02-11" });
    s.holidays.push({ name: "元旦", from: "2026-12-31", to: "2027-01-01" });
    s.makeUpWorkdays.push({ date: "2027-02-06", holiday: "春节" });
    const result = parseYearScheduleJson(JSON.stringify(s, null, 2));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => [e.path, e.message])).toEqual([
      ["holidays[2].from", "与第 2 个放假区间重叠"],
      ["holidays[3].from", "日期 2026-12-31 不在 2027 年内"],
      ["makeUpWorkdays[2].date", "调休上班日 2027-02-06 落在放假区间内"],
    ]);
    expect(result.errors.every((e) => e.line > 1)).toBe(true);
  });

  it("refuses a year twice in one file and an empty file", () => {
    const y = JSON.parse(fixture("2027-test.json")) as unknown;
    const twice = parseYearScheduleJson(JSON.stringify([y, y], null, 2));
    expect(!twice.ok && twice.errors.map((e) => e.path)).toEqual(["[1].year"]);
    expect(parseYearScheduleJson("[]").ok).toBe(false);
    expect(parseYearScheduleJson("").ok).toBe(false);
  });
});
