import { describe, expect, it } from "vitest";
import { votePasses } from "../../../shared/domain/workflows/duty/vote";
import { inspectionWeek } from "../../../shared/app/duty/inspections";
import { checkRoster, workingDaysOf } from "../../../shared/domain/workflows/duty/roster";
import { WorkingCalendar } from "../../../shared/domain/calendar";

describe("duty rules", () => {
  it("a vote passes with at least half of the members in favour, a tie at exactly half included (半数(包括半数)以上)", () => {
    expect([0, 1, 2, 3, 4].map((n) => votePasses(n, 4))).toEqual([false, false, true, true, true]);
    expect([0, 1, 2, 3].map((n) => votePasses(n, 5))).toEqual([false, false, false, true]);
    expect(votePasses(0, 0)).toBe(false);
  });

  it("inspects every N weeks counted from a fixed Monday, so a rerun in the same week agrees", () => {
    const mondays = ["2026-11-30", "2026-12-07", "2026-12-14", "2026-12-21"];
    expect(mondays.map((m) => inspectionWeek(m, 1))).toEqual([true, true, true, true]);
    expect(mondays.map((m) => inspectionWeek(m, 2)).filter(Boolean)).toHaveLength(2);
    expect(mondays.map((m) => inspectionWeek(m, 2))).toEqual(mondays.map((m) => inspectionWeek(m, 2)));
  });

  it("a roster covers each working day of the month by the calendar: the National Day holiday is off, its make-up Saturday on", () => {
    const calendar = WorkingCalendar.official();
    const days = workingDaysOf(calendar, "2026-10");
    expect(days).not.toContain("2026-10-01");
    expect(days).toContain("2026-10-10");
    const staff = [
      { username: "duty", displayName: "值守人员 冯雪", roles: ["duty_officer"] },
      { username: "deputy", displayName: "分管领导 陈华", roles: ["deputy_leader"] },
    ];
    const ok = checkRoster(calendar, "2026-10", days.map((date) => ({ date, officer: "duty", leader: "deputy" })), staff);
    expect(ok.errors).toEqual([]);
    const leaderAsOfficer = checkRoster(calendar, "2026-10", days.map((date) => ({ date, officer: "deputy", leader: "duty" })), staff);
    expect(leaderAsOfficer.errors[0]).toMatchObject({ path: "days[0].officer", code: "wrong_role" });
  });
});
