import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { WorkingCalendar, addDays, fromDayNumber, toDayNumber } from "../../../shared/domain/calendar";
import { evaluateDeadline, pauseDeadline, resumeDeadline, startDeadline } from "../../../shared/domain/deadlines";

const cal = WorkingCalendar.official();
const dateBetween = (from: string, to: string) => fc.integer({ min: toDayNumber(from), max: toDayNumber(to) }).map(fromDayNumber);
const startIn2020to2026 = dateBetween("2020-01-01", "2026-12-31");
const startIntoUnknownYears = dateBetween("2026-10-01", "2027-12-31");
const period = fc.integer({ min: 1, max: 40 });
const by = { reason: "测试", by: "tester", at: "2026-01-01T00:00:00.000Z" };

describe("calendar properties", () => {
  it("adding n working days then counting back gives n", () => {
    fc.assert(
      fc.property(fc.oneof(startIn2020to2026, startIntoUnknownYears), period, (start, n) => {
        const { date } = cal.addWorkingDays(start, n);
        expect(cal.workingDaysBetween(start, date)).toBe(n);
      }),
      { numRuns: 500 },
    );
  });

  it("a deadline never lands on a non-working day and is after the start", () => {
    fc.assert(
      fc.property(fc.oneof(startIn2020to2026, startIntoUnknownYears), period, (start, n) => {
        const { date } = cal.addWorkingDays(start, n);
        expect(cal.isWorkingDay(date)).toBe(true);
        expect(date > start).toBe(true);
        // the day before the due day still had fewer than n working days
        expect(cal.workingDaysBetween(start, addDays(date, -1))).toBe(n - 1);
      }),
      { numRuns: 500 },
    );
  });

  it("provisional exactly when the counted days reach a year without schedule", () => {
    fc.assert(
      fc.property(fc.oneof(startIn2020to2026, startIntoUnknownYears), period, (start, n) => {
        const { date, provisional } = cal.addWorkingDays(start, n);
        expect(provisional).toBe(Number(date.slice(0, 4)) > 2026);
      }),
      { numRuns: 500 },
    );
  });

  it("pauses only ever move a deadline later", () => {
    fc.assert(
      fc.property(
        startIn2020to2026,
        period,
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 30 }),
        (start, n, pauseAfter, pauseLength) => {
          const base = startDeadline("answer", n, { on: start, ...by });
          const pausedOn = addDays(start, pauseAfter);
          const resumedOn = addDays(pausedOn, pauseLength);
          const paused = resumeDeadline(pauseDeadline(base, { on: pausedOn, ...by }), { on: resumedOn, ...by });
          const before = evaluateDeadline(cal, base);
          const after = evaluateDeadline(cal, paused);
          expect(after.dueOn >= before.dueOn).toBe(true);
          expect(cal.isWorkingDay(after.dueOn)).toBe(true);
          // the pause adds exactly the working days it stopped before the due day
          expect(cal.workingDaysBetween(start, after.dueOn)).toBe(n + after.pausedWorkingDays);
        },
      ),
      { numRuns: 300 },
    );
  });
});
