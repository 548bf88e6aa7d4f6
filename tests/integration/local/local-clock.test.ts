import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClockBackwardsError, createLocalClock } from "../../../shared/adapters/local/local-clock";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "clock-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("local clock", () => {
  it("keeps a jump across a restart through the offset file", async () => {
    // Prepare: real time is injected, so the test controls it
    const file = join(dir, "clock.json");
    let real = Date.parse("2026-03-02T01:00:00Z");
    const first = createLocalClock({ file, realNow: () => real });

    // Act
    await first.advanceBy(3 * 86_400_000);
    real += 60_000; // a minute of real time passes, then the stack restarts
    const second = createLocalClock({ file, realNow: () => real });

    // Assess
    expect(second.now().toISOString()).toBe("2026-03-05T01:01:00.000Z");
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ offsetMs: 3 * 86_400_000 });
  });

  it("never moves backwards and leaves the time unchanged when asked to", async () => {
    // Prepare
    const clock = createLocalClock({ start: "2026-03-02T01:00:00Z" });

    // Act
    const back = clock.advanceTo(new Date("2026-03-01T00:00:00Z"));

    // Assess
    await expect(back).rejects.toBeInstanceOf(ClockBackwardsError);
    await expect(clock.advanceBy(-1)).rejects.toBeInstanceOf(ClockBackwardsError);
    expect(clock.now().toISOString()).toBe("2026-03-02T01:00:00.000Z");
  });

  it("stands still at a fixed start and notifies listeners after each move", async () => {
    // Prepare
    const clock = createLocalClock({ start: "2026-03-02T01:00:00Z" });
    const seen: string[] = [];
    const off = clock.onMove((now) => {
      seen.push(now.toISOString());
    });

    // Act
    const before = clock.now().toISOString();
    await clock.advanceTo(new Date("2026-03-03T01:00:00Z"));
    off();
    await clock.advanceBy(1000);

    // Assess
    expect(before).toBe("2026-03-02T01:00:00.000Z");
    expect(seen).toEqual(["2026-03-03T01:00:00.000Z"]);
    expect(clock.now().toISOString()).toBe("2026-03-03T01:00:01.000Z");
  });
});
