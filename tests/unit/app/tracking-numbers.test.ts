import { describe, expect, it } from "vitest";
import { createMemoryStore } from "../../../shared/adapters/memory/store";
import { fixedClock } from "../../../shared/domain/clock";
import { blockCounter, MAX_BLOCK, QUIET_MS } from "../../../shared/app/applications/tracking-numbers";

/** Tracking-number blocks (shared/app/applications/tracking-numbers.ts) on the in-memory counter. */

function counting() {
  const store = createMemoryStore();
  const reservations: number[] = [];
  const counters = {
    next: (agencyCode: string, name: string, count = 1) => {
      reservations.push(count);
      return store.counters.next(agencyCode, name, count);
    },
  };
  return { store, counters, reservations };
}

describe("tracking-number blocks", () => {
  it("a quiet office gets every number in turn, one reservation each: no gaps even when the process ends", async () => {
    // Prepare
    const { store, counters, reservations } = counting();
    const clock = fixedClock("2026-03-02T01:00:00Z");
    const numbers = blockCounter(counters, clock);

    // Act: one application every few minutes
    const taken: number[] = [];
    for (let i = 0; i < 5; i++) {
      taken.push(await numbers.next("A", "APPLICATION#2026"));
      clock.advance(QUIET_MS + 1);
    }

    // Assess: exactly 1..5, and the counter item holds 5: a new process would go on with 6
    expect(taken).toEqual([1, 2, 3, 4, 5]);
    expect(reservations).toEqual([1, 1, 1, 1, 1]);
    expect(await store.counters.next("A", "APPLICATION#2026")).toBe(6);
  });

  it("under load the blocks double up to the maximum, and one after another numbers stay consecutive", async () => {
    // Prepare
    const { counters, reservations } = counting();
    const numbers = blockCounter(counters, fixedClock("2026-03-02T01:00:00Z"));

    // Act
    const taken: number[] = [];
    for (let i = 0; i < 200; i++) taken.push(await numbers.next("A", "APPLICATION#2026"));

    // Assess
    expect(taken).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(reservations.slice(0, 7)).toEqual([1, 2, 4, 8, 16, MAX_BLOCK, MAX_BLOCK]);
    expect(Math.max(...reservations)).toBe(MAX_BLOCK);
  });

  it("concurrent requests share one reservation, and two processes on one counter never hand out the same number", async () => {
    // Prepare: two processes (two block counters) on the same counter item
    const { store, counters, reservations } = counting();
    const clock = fixedClock("2026-03-02T01:00:00Z");
    const first = blockCounter(counters, clock);
    const second = blockCounter(counters, clock);

    // Act: 100 racing requests on each
    const [a, b] = await Promise.all([
      Promise.all(Array.from({ length: 100 }, () => first.next("A", "APPLICATION#2026"))),
      Promise.all(Array.from({ length: 100 }, () => second.next("A", "APPLICATION#2026"))),
    ]);

    // Assess: unique across both, increasing within each in the order asked, far fewer reservations than numbers
    expect(new Set([...a, ...b]).size).toBe(200);
    expect(a).toEqual([...a].sort((x, y) => x - y));
    expect(b).toEqual([...b].sort((x, y) => x - y));
    expect(reservations.length).toBeLessThan(30);
    // what is left unused is a gap, never reused: the counter is past every number handed out
    expect(await store.counters.next("A", "APPLICATION#2026")).toBeGreaterThan(Math.max(...a, ...b));
  });

  it("keeps a sequence per agency and name, and after a pause starts small again", async () => {
    // Prepare
    const { counters, reservations } = counting();
    const clock = fixedClock("2026-03-02T01:00:00Z");
    const numbers = blockCounter(counters, clock);
    for (let i = 0; i < 20; i++) await numbers.next("A", "APPLICATION#2026");

    // Act
    const otherAgency = await numbers.next("B", "APPLICATION#2026");
    const otherYear = await numbers.next("A", "APPLICATION#2027");
    // the block of A 2026 runs out after a quiet spell: the next reservation is 1
    for (let i = 20; i < 31; i++) await numbers.next("A", "APPLICATION#2026");
    clock.advance(QUIET_MS + 1);
    reservations.length = 0;
    const afterPause = await numbers.next("A", "APPLICATION#2026");

    // Assess
    expect([otherAgency, otherYear]).toEqual([1, 1]);
    expect(afterPause).toBe(32);
    expect(reservations).toEqual([1]);
  });

  it("a failed reservation fails the requests waiting for it, and the next request tries again", async () => {
    // Prepare
    const store = createMemoryStore();
    let fail = true;
    const numbers = blockCounter(
      { next: (a: string, n: string, c?: number) => (fail ? Promise.reject(new Error("store unavailable")) : store.counters.next(a, n, c)) },
      fixedClock("2026-03-02T01:00:00Z"),
    );

    // Act
    const failed = await Promise.allSettled([numbers.next("A", "X"), numbers.next("A", "X")]);
    fail = false;

    // Assess
    expect(failed.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(await numbers.next("A", "X")).toBe(1);
  });
});
