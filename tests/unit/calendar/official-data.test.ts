import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { WorkingCalendar, addDays, isWeekend, officialSchedules, validateYearSchedule } from "../../../shared/domain/calendar";

/**
 * chinese-days' date functions parse "YYYY-MM-DD" in the process time zone and get
 * days wrong west of UTC (e.g. isWorkday("2024-02-19") is false under
 * America/Los_Angeles). So the cross-check reads its raw day tables (the official
 * holidays and make-up working days, keyed by date string) and never calls its
 * date functions: a day works when it is a listed make-up day, or it is neither a
 * listed holiday nor a weekend.
 */
const require = createRequire(import.meta.url);
const reference = require("chinese-days/dist/chinese-days.json") as { holidays: Record<string, string>; workdays: Record<string, string> };

function referenceIsWorkingDay(date: string): boolean {
  if (date in reference.workdays) return true;
  if (date in reference.holidays) return false;
  return !isWeekend(date);
}

describe("official calendar data 2020–2026", () => {
  it("has one schedule per year with its notice's document number and date", () => {
    // Prepare / Act
    const years = officialSchedules.map((s) => s.year);
    // Assess
    expect(years).toEqual([2020, 2021, 2022, 2023, 2024, 2025, 2026]);
    for (const s of officialSchedules) {
      expect(s.notice.documentNumber).toMatch(/^国办发明电〔\d{4}〕\d+号$/);
      expect(s.notice.title).toBe(`国务院办公厅关于${s.year}年部分节假日安排的通知`);
      expect(s.notice.issuedOn < `${s.year}-01-01`).toBe(true);
      expect(validateYearSchedule(s)).toEqual([]);
    }
  });

  it("records 2020's Spring Festival extension as a correction and holds the final schedule", () => {
    const y2020 = officialSchedules.find((s) => s.year === 2020)!;
    expect(y2020.corrections?.map((c) => c.documentNumber)).toEqual(["国办发明电〔2020〕1号"]);
    const cal = WorkingCalendar.official();
    expect(cal.day("2020-02-01")).toMatchObject({ working: false, kind: "holiday", holiday: "春节" });
    expect(cal.day("2020-01-31")).toMatchObject({ working: false, kind: "holiday" });
    expect(cal.day("2020-02-03")).toMatchObject({ working: true, kind: "workday" });
  });

  it("agrees with chinese-days on every day of every year", () => {
    // Prepare
    const cal = WorkingCalendar.official();
    const mismatches: string[] = [];
    // Act
    for (let d = "2020-01-01"; d <= "2026-12-31"; d = addDays(d, 1)) {
      if (cal.isWorkingDay(d) !== referenceIsWorkingDay(d)) mismatches.push(d);
    }
    // Assess
    expect(mismatches).toEqual([]);
  });

  it("names the holiday of every day off that chinese-days lists as a holiday", () => {
    const cal = WorkingCalendar.official();
    for (const date of Object.keys(reference.holidays).filter((d) => d >= "2020-01-01" && d <= "2026-12-31")) {
      const info = cal.day(date);
      // 2022-12-31 belongs to the 2023 notice's 元旦 but is a Saturday: off as a weekend here
      if (date === "2022-12-31") expect(info.kind).toBe("weekend");
      else expect(info, date).toMatchObject({ kind: "holiday", working: false });
    }
    for (const date of Object.keys(reference.workdays).filter((d) => d >= "2020-01-01" && d <= "2026-12-31")) {
      expect(cal.day(date), date).toMatchObject({ kind: "makeup_workday", working: true });
    }
  });
});
