import { describe, expect, it } from "vitest";
import type { YearSchedule } from "../../../shared/domain/calendar";
import { InvalidDateError, WorkingCalendar, shanghaiDate, shanghaiInstant } from "../../../shared/domain/calendar";

const cal = WorkingCalendar.official();

/** A made-up 2027 schedule for tests only (the real notice is not out yet). */
const test2027: YearSchedule = {
  year: 2027,
  notice: { documentNumber: "测试〔2026〕1号", issuedOn: "2026-11-01", title: "测试用 2027 年放假安排" },
  holidays: [{ name: "元旦", from: "2027-01-01", to: "2027-01-03" }],
  makeUpWorkdays: [{ date: "2027-01-09", holiday: "元旦" }],
};

describe("WorkingCalendar: examples worked by hand", () => {
  it.each([
    // Spring Festival 2024: 02-10..02-17 off, Sun 02-04 and Sun 02-18 worked; 除夕 02-09 is a working day
    ["2024-02-08", 1, "2024-02-09"],
    ["2024-02-08", 2, "2024-02-18"],
    ["2024-02-08", 3, "2024-02-19"],
    ["2024-02-02", 1, "2024-02-04"],
    // Spring Festival 2025 (from 除夕 01-28 to 02-04; Sun 01-26, Sat 02-08 worked)
    ["2025-01-24", 1, "2025-01-26"],
    ["2025-01-27", 1, "2025-02-05"],
    // Spring Festival 2026: 02-15..02-23 off, Sat 02-14 and Sat 02-28 worked
    ["2026-02-13", 1, "2026-02-14"],
    ["2026-02-13", 2, "2026-02-24"],
    // 2020 after the extension: 01-24..02-02 off; the planned make-up Saturday 02-01 was cancelled
    ["2020-01-23", 1, "2020-02-03"],
    ["2020-01-17", 1, "2020-01-19"],
    // Mid-Autumn 2024: 09-15..09-17 off, Sat 09-14 worked
    ["2024-09-13", 1, "2024-09-14"],
    ["2024-09-13", 2, "2024-09-18"],
    // National Day 2024: 10-01..10-07 off, Sun 09-29 and Sat 10-12 worked
    ["2024-09-27", 1, "2024-09-29"],
    ["2024-09-27", 3, "2024-10-08"],
    ["2024-09-30", 20, "2024-11-01"],
    // Mid-Autumn + National Day 2023: 09-29..10-06 off, Sat 10-07 and Sun 10-08 worked
    ["2023-09-28", 1, "2023-10-07"],
    ["2023-09-28", 2, "2023-10-08"],
    ["2023-09-28", 3, "2023-10-09"],
    // National Day + Mid-Autumn 2025: 10-01..10-08 off, Sun 09-28 and Sat 10-11 worked
    ["2025-09-26", 1, "2025-09-28"],
    ["2025-09-26", 4, "2025-10-09"],
    ["2025-09-26", 6, "2025-10-11"],
    // plain weeks
    ["2026-12-01", 20, "2026-12-29"],
  ])("%s + %i working days = %s", (start, n, due) => {
    // Act
    const result = cal.addWorkingDays(start, n);
    // Assess
    expect(result).toEqual({ date: due, provisional: false });
    expect(cal.workingDaysBetween(start, due)).toBe(n);
  });

  it("n = 0 gives the start day when it works, else the next working day", () => {
    expect(cal.addWorkingDays("2024-02-09", 0).date).toBe("2024-02-09");
    expect(cal.addWorkingDays("2024-02-10", 0).date).toBe("2024-02-18");
  });

  it("counts working days between two dates, negative backwards", () => {
    expect(cal.workingDaysBetween("2024-02-08", "2024-02-19")).toBe(3);
    expect(cal.workingDaysBetween("2024-02-19", "2024-02-08")).toBe(-3);
    expect(cal.workingDaysBetween("2024-02-10", "2024-02-17")).toBe(0);
  });

  it("says why a day is off or on", () => {
    expect(cal.day("2024-10-03")).toEqual({ date: "2024-10-03", working: false, kind: "holiday", holiday: "国庆节", provisional: false });
    expect(cal.day("2024-10-12")).toEqual({ date: "2024-10-12", working: true, kind: "makeup_workday", holiday: "国庆节", provisional: false });
    expect(cal.day("2024-10-19")).toEqual({ date: "2024-10-19", working: false, kind: "weekend", provisional: false });
    expect(cal.day("2024-10-18")).toEqual({ date: "2024-10-18", working: true, kind: "workday", provisional: false });
    expect(cal.day("2027-01-01")).toEqual({ date: "2027-01-01", working: true, kind: "workday", provisional: true });
  });

  it("marks a period reaching a year without schedule provisional, and final once the year is entered", () => {
    // Prepare
    const before = cal.addWorkingDays("2026-12-25", 20);
    // Act
    const after = cal.withSchedule(test2027).addWorkingDays("2026-12-25", 20);
    // Assess: weekends alone would put it on 01-22; 元旦 01-01 off and Sat 01-09 worked give the same count shifted
    expect(before).toEqual({ date: "2027-01-22", provisional: true });
    expect(after).toEqual({ date: "2027-01-22", provisional: false });
    expect(cal.withSchedule(test2027).addWorkingDays("2026-12-25", 5)).toEqual({ date: "2027-01-04", provisional: false });
    expect(cal.addWorkingDays("2026-12-25", 5)).toEqual({ date: "2027-01-01", provisional: true });
    expect(cal.hasSchedule(2027)).toBe(false);
  });

  it("a period ending on 2026-12-31 is final even though the next year has no schedule", () => {
    expect(cal.addWorkingDays("2026-12-30", 1)).toEqual({ date: "2026-12-31", provisional: false });
  });

  it("explains every day skipped or counted specially", () => {
    // Act
    const steps = cal.explainAdd("2024-02-08", 3);
    // Assess
    expect(steps.map((s) => [s.date, s.action, s.dayKind, s.counted])).toEqual([
      ["2024-02-08", "start", "workday", 0],
      ["2024-02-10", "skip", "holiday", 1],
      ["2024-02-11", "skip", "holiday", 1],
      ["2024-02-12", "skip", "holiday", 1],
      ["2024-02-13", "skip", "holiday", 1],
      ["2024-02-14", "skip", "holiday", 1],
      ["2024-02-15", "skip", "holiday", 1],
      ["2024-02-16", "skip", "holiday", 1],
      ["2024-02-17", "skip", "holiday", 1],
      ["2024-02-18", "count", "makeup_workday", 2],
      ["2024-02-19", "due", "workday", 3],
    ]);
    expect(steps[1]?.text).toBe("2024-02-10（周六）春节放假，不计入");
    expect(steps[9]?.text).toBe("2024-02-18（周日）春节调休上班，计为第 2 个工作日");
    expect(steps[10]?.text).toBe("2024-02-19（周一）第 3 个工作日，期限届满");
  });

  it("flags provisional days in an explanation", () => {
    const due = cal.explainAdd("2026-12-30", 2).at(-1)!;
    expect(due).toMatchObject({ date: "2027-01-01", action: "due", provisional: true });
    expect(due.text).toContain("尚无官方放假安排");
  });

  it("a corrected schedule replaces the whole year", () => {
    // Prepare: the 2020 schedule as first published (before the extension)
    const original = structuredClone(cal.schedule(2020)!);
    original.holidays[1] = { name: "春节", from: "2020-01-24", to: "2020-01-30" };
    original.makeUpWorkdays.push({ date: "2020-02-01", holiday: "春节" });
    delete original.corrections;
    // Act
    const asPublished = WorkingCalendar.official().withSchedule(original);
    // Assess
    expect(asPublished.addWorkingDays("2020-01-23", 1).date).toBe("2020-01-31");
    expect(asPublished.addWorkingDays("2020-01-23", 2).date).toBe("2020-02-01");
    expect(cal.addWorkingDays("2020-01-23", 2).date).toBe("2020-02-04");
  });

  it("refuses invalid dates and invalid schedules", () => {
    expect(() => cal.addWorkingDays("2024-02-30", 1)).toThrow(InvalidDateError);
    expect(() => cal.day("2024-2-3")).toThrow(InvalidDateError);
    expect(() => cal.addWorkingDays("2024-02-01", -1)).toThrow(RangeError);
    expect(() => cal.withSchedule({ ...test2027, makeUpWorkdays: [{ date: "2027-01-05", holiday: "元旦" }] })).toThrow(/不是周六或周日/);
  });
});

describe("Asia/Shanghai civil dates", () => {
  it("maps instants to Shanghai dates at the UTC+8 midnight boundary", () => {
    expect(shanghaiDate(new Date("2024-02-08T15:59:59.999Z"))).toBe("2024-02-08");
    expect(shanghaiDate(new Date("2024-02-08T16:00:00.000Z"))).toBe("2024-02-09");
  });

  it("maps a Shanghai wall time to its instant", () => {
    expect(shanghaiInstant("2024-02-09", "09:00").toISOString()).toBe("2024-02-09T01:00:00.000Z");
    expect(shanghaiInstant("2024-01-01", "00:00").toISOString()).toBe("2023-12-31T16:00:00.000Z");
    expect(shanghaiInstant("2024-02-09", "23:59:59.999").toISOString()).toBe("2024-02-09T15:59:59.999Z");
    expect(() => shanghaiInstant("2024-02-09", "9am")).toThrow(RangeError);
  });
});
