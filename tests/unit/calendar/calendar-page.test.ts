import { describe, expect, it } from "vitest";
import { WorkingCalendar } from "../../../shared/domain/calendar";
import type { YearSchedule } from "../../../shared/domain/calendar";
import { describeYears } from "../../../shared/app/calendar/list-years";
import { renderCalendarPage } from "../../../shared/ui/console/calendar-page";

describe("console calendar page", () => {
  it("lists official years, warns about a missing year, and carries the CSRF token", () => {
    // Prepare
    const rows = describeYears(WorkingCalendar.official(), [], "2026-11-27");
    // Act
    const page = renderCalendarPage({ rows, csrfToken: "tok-123" }).value;
    // Assess
    expect(page).toContain("国办发明电〔2025〕7号");
    expect(page).toMatch(/2027 年尚无官方放假安排/);
    expect(page).toContain('<input type="hidden" name="csrfToken" value="tok-123">');
    expect(page).toContain('name="scheduleJson"');
    expect(page).not.toContain("error-summary");
  });

  it("shows the years but no entry form to someone who may not enter schedules", () => {
    const rows = describeYears(WorkingCalendar.official(), [], "2026-11-27");
    const page = renderCalendarPage({ rows, csrfToken: "tok-123", canEnter: false }).value;
    expect(page).toContain("国办发明电〔2025〕7号");
    expect(page).not.toContain('name="scheduleJson"');
    expect(page).toContain("系统管理员");
  });

  it("shows who entered a year and per-line errors, escaping what was pasted", () => {
    // Prepare
    const entered: YearSchedule = {
      year: 2027,
      notice: { documentNumber: "测试〔2026〕1号", issuedOn: "2026-11-01", title: "测试" },
      holidays: [{ name: "元旦", from: "2027-01-01", to: "2027-01-03" }],
      makeUpWorkdays: [],
    };
    const calendar = WorkingCalendar.official().withSchedule(entered);
    const rows = describeYears(calendar, [{ schedule: entered, enteredBy: "李四", enteredAt: "2026-11-27T02:00:00.000Z", revision: 2 }], "2026-11-27");
    // Act
    const page = renderCalendarPage({
      rows,
      csrfToken: "t",
      scheduleJson: '{"year": "<script>"}',
      errors: [{ line: 1, path: "year", message: "年份应为数字" }],
    }).value;
    // Assess
    expect(page).toContain("由 李四 于 2026-11-27 10:00 录入，第 2 版");
    expect(page).not.toMatch(/2027 年尚无官方放假安排/);
    expect(page).toContain("第 1 行 year：年份应为数字");
    expect(page).toContain("&lt;script&gt;");
    expect(page).not.toContain("<script>");
    expect(page).toContain('aria-invalid="true"');
  });
});
