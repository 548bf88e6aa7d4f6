import { describe, expect, it } from "vitest";
import { createMemoryStore } from "../../../shared/adapters/memory/store";
import { fixedClock } from "../../../shared/domain/clock";
import { AGENCY_TTL_MS, cachedAgency } from "../../../shared/app/agency-cache";

/** The agency profile intake reuses (shared/app/agency-cache.ts), on the in-memory store and a clock moved by hand. */

describe("cached agency profile", () => {
  it("is read once a minute per store, an unknown code is asked again at once, and a clock moved back reads afresh", async () => {
    // Prepare
    const store = createMemoryStore();
    let reads = 0;
    const agency = store.directory.agency.bind(store.directory);
    store.directory.agency = (code) => (reads++, agency(code));
    const clock = fixedClock("2026-03-02T01:00:00Z");
    const deps = { store, clock };
    await store.directory.putAgency({ code: "A", name: "甲机关" });

    // Act and assess: within the minute, one read
    expect((await cachedAgency(deps, "A"))?.name).toBe("甲机关");
    await store.directory.putAgency({ code: "A", name: "甲机关（新名）" });
    clock.advance(AGENCY_TTL_MS - 1);
    expect((await cachedAgency(deps, "A"))?.name).toBe("甲机关");
    expect(reads).toBe(1);
    // after it, the new name
    clock.advance(1);
    expect((await cachedAgency(deps, "A"))?.name).toBe("甲机关（新名）");
    expect(reads).toBe(2);
    // a clock moved back does not keep an old profile alive
    clock.advance(-10_000);
    await cachedAgency(deps, "A");
    expect(reads).toBe(3);
    // unknown: not remembered, so an agency created now takes applications at once
    expect(await cachedAgency(deps, "B")).toBeUndefined();
    await store.directory.putAgency({ code: "B", name: "乙机关" });
    expect((await cachedAgency(deps, "B"))?.name).toBe("乙机关");
  });
});
