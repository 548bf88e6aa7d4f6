import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { logger } from "../../../shared/adapters/logger";
import { buildWorld, type World } from "../../fuzz/world";
import { requestArbitrary } from "../../fuzz/requests";
import { check, describe as describeRequest } from "../../fuzz/check";

/**
 * The HTTP fuzz suite with the CI budget (issue 7 item 1): a few hundred seeded requests
 * over every route of the manifest through the real handlers (tests/fuzz/world.ts), each
 * answer checked by tests/fuzz/check.ts — no 5xx, one error shape, safe headers, nothing
 * stored for a rejected request and nothing stored that no text may hold.
 * `npm run fuzz` runs the long campaign (FUZZ_RUNS, default 20,000).
 */

const RUNS = Number(process.env.FUZZ_CI_RUNS ?? 300);
const SEED = Number(process.env.FUZZ_CI_SEED ?? 20_260_302);

let world: World;

beforeAll(async () => {
  logger.setLogLevel("SILENT");
  world = await buildWorld();
});
afterAll(() => logger.setLogLevel("INFO"));

describe("HTTP fuzz (CI budget)", () => {
  it(`${RUNS} generated requests: no 5xx, one error shape, safe headers, nothing stored when refused`, async () => {
    // Act & Assert
    await fc.assert(
      fc.asyncProperty(requestArbitrary(world), async (req) => {
        const verdict = await check(world, req);
        if (verdict.problems.length > 0) throw new Error(`${verdict.problems.join(" | ")}\n${describeRequest(req)}`);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  }, 60_000);

  it("the world's store refuses what DynamoDB refuses: a key over its size limit or not UTF-8", async () => {
    // Act
    const long = world.harness.deps.store.cases.tracking("1".repeat(2_100));
    const broken = world.harness.deps.store.directory.user("001008010002002", "office\ud800");

    // Assert
    await expect(long).rejects.toThrow(/emulated DynamoDB/);
    await expect(broken).rejects.toThrow(/emulated DynamoDB/);
  });

  it("the world counts a write and a stored forbidden character", async () => {
    // Arrange
    const before = world.writes.count;
    const dirty = world.writes.dirty.length;

    // Act
    await world.harness.deps.store.commit([{ kind: "claim", key: "fuzz-self-test", value: { note: "a\u0000b" } }]);

    // Assert
    expect(world.writes.count).toBe(before + 1);
    expect(world.writes.dirty.slice(dirty)).toEqual([{ kind: "claim", path: "value.note", codePoint: "U+0000" }]);
    world.writes.dirty.splice(dirty);
  });
});
