import { describe, expect, it } from "vitest";
import { ExpressionError, nextOccurrence, parseExpression } from "../../../shared/adapters/local/schedule-expression";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

describe("Scheduler expressions of the local stand-in", () => {
  it("reads at() as wall time in the schedule's zone", () => {
    expect(parseExpression("at(2026-03-02T09:00:00)", "Asia/Shanghai")).toEqual({ kind: "at", instant: Date.parse("2026-03-02T01:00:00Z") });
    expect(parseExpression("at(2026-07-01T09:00:00)", "Europe/Berlin")).toEqual({ kind: "at", instant: Date.parse("2026-07-01T07:00:00Z") });
    expect(parseExpression("at(2026-03-02T09:00:00)")).toEqual({ kind: "at", instant: Date.parse("2026-03-02T09:00:00Z") });
  });

  it("steps rate() from its anchor", () => {
    const p = parseExpression("rate(5 minutes)");
    const anchor = Date.parse("2026-03-02T00:00:00Z");
    expect(iso(nextOccurrence(p, anchor, anchor))).toBe("2026-03-02T00:05:00.000Z");
    expect(iso(nextOccurrence(p, anchor + 7 * 60_000, anchor))).toBe("2026-03-02T00:10:00.000Z");
  });

  it("finds the next cron() time in the zone: weekdays 09:00 Shanghai", () => {
    const p = parseExpression("cron(0 9 ? * MON-FRI *)", "Asia/Shanghai");
    // Friday 2026-03-06 10:00 Shanghai → Monday 2026-03-09 09:00 Shanghai
    expect(iso(nextOccurrence(p, Date.parse("2026-03-06T02:00:00Z"), 0))).toBe("2026-03-09T01:00:00.000Z");
    const monthly = parseExpression("cron(30 8 1 * ? *)", "Asia/Shanghai");
    expect(iso(nextOccurrence(monthly, Date.parse("2026-03-02T00:00:00Z"), 0))).toBe("2026-04-01T00:30:00.000Z");
    const steps = parseExpression("cron(0/15 * * * ? 2026)");
    expect(iso(nextOccurrence(steps, Date.parse("2026-03-02T00:07:00Z"), 0))).toBe("2026-03-02T00:15:00.000Z");
    expect(nextOccurrence(parseExpression("cron(0 0 1 1 ? 2020)"), Date.parse("2026-01-01T00:00:00Z"), 0)).toBeNull();
  });

  it.each([
    "at(2026-02-29T09:00:00)",
    "at(2026-03-02 09:00:00)",
    "rate(1 minutes)",
    "rate(5 minute)",
    "rate(0 minutes)",
    "rate(1 week)",
    "cron(0 9 * * * *)",
    "cron(0 9 ? * ? *)",
    "cron(0 9 L * ? *)",
    "cron(0 9 ? * 2#1 *)",
    "cron(0 9 15W * ? *)",
    "cron(0 9 ? * MON-FRI)",
    "cron(60 9 ? * MON *)",
    "every day",
  ])("rejects %s rather than guessing", (expr) => {
    expect(() => parseExpression(expr, "Asia/Shanghai")).toThrow(ExpressionError);
  });

  it("rejects an unknown time zone", () => {
    expect(() => parseExpression("at(2026-03-02T09:00:00)", "Asia/Atlantis")).toThrow(ExpressionError);
  });
});
