/**
 * The fuzz campaign: `npm run fuzz` sends FUZZ_RUNS (default 20,000) generated requests
 * through the real HTTP handlers (see world.ts) and prints the counts by status, by
 * function, and every request that broke a rule (check.ts). FUZZ_SEED repeats a run.
 * A fresh world every FUZZ_WORLD_RUNS inputs (default 2,500) keeps throttles and state
 * from drowning the rest. Exits 1 when anything broke a rule.
 *
 * The suite (`npm test`) runs the same generator and checks with a small seeded budget:
 * tests/unit/http/fuzz.test.ts.
 */
import fc from "fast-check";
import { logger } from "../../shared/adapters/logger";
import { buildWorld, type World } from "./world";
import { requestArbitrary, type FuzzRequest } from "./requests";
import { check, describe } from "./check";

export interface CampaignOptions {
  runs: number;
  seed: number;
  worldRuns?: number;
  /** called after each input, e.g. for progress */
  onProgress?: (done: number, stats: CampaignStats) => void;
}

export interface CampaignStats {
  runs: number;
  byStatus: Record<string, number>;
  byFunction: Record<string, number>;
  failures: Array<{ request: string; status: number; problems: string[] }>;
  ms: number;
}

/** Runs `runs` inputs in chunks of generated values (so 20,000 bodies never sit in memory at once). */
export async function runCampaign(options: CampaignOptions): Promise<CampaignStats> {
  const started = Date.now();
  const stats: CampaignStats = { runs: 0, byStatus: {}, byFunction: {}, failures: [], ms: 0 };
  const worldRuns = options.worldRuns ?? 2_500;
  const chunk = 250;
  let world: World | undefined;
  let inWorld = 0;
  for (let done = 0; done < options.runs; ) {
    if (!world || inWorld >= worldRuns) {
      world = await buildWorld();
      inWorld = 0;
    }
    const n = Math.min(chunk, options.runs - done, worldRuns - inWorld);
    const inputs: FuzzRequest[] = fc.sample(requestArbitrary(world), { numRuns: n, seed: options.seed + done });
    for (const req of inputs) {
      const verdict = await check(world, req);
      stats.runs++;
      stats.byStatus[verdict.status] = (stats.byStatus[verdict.status] ?? 0) + 1;
      stats.byFunction[verdict.function] = (stats.byFunction[verdict.function] ?? 0) + 1;
      if (verdict.problems.length > 0) stats.failures.push({ request: describe(req), status: verdict.status, problems: verdict.problems });
      options.onProgress?.(stats.runs, stats);
    }
    done += n;
    inWorld += n;
  }
  stats.ms = Date.now() - started;
  return stats;
}

/** The figures as the issue's closing note wants them. */
export function formatStats(stats: CampaignStats, seed: number): string {
  const statuses = Object.entries(stats.byStatus).sort(([a], [b]) => Number(a) - Number(b));
  const fivexx = statuses.filter(([s]) => Number(s) >= 500).reduce((n, [, c]) => n + c, 0);
  const lines = [
    `fuzz: ${stats.runs} inputs, seed ${seed}, ${(stats.ms / 1000).toFixed(1)} s`,
    `by status: ${statuses.map(([s, c]) => `${s}: ${c}`).join(", ")}`,
    `by function: ${Object.entries(stats.byFunction).map(([f, c]) => `${f}: ${c}`).join(", ")}`,
    `5xx: ${fivexx}; inputs breaking a rule: ${stats.failures.length}`,
  ];
  for (const f of stats.failures.slice(0, 20)) lines.push(`  ✗ ${f.status} ${f.problems.join(" | ")}\n    ${f.request}`);
  if (stats.failures.length > 20) lines.push(`  … and ${stats.failures.length - 20} more`);
  return lines.join("\n");
}

async function main(): Promise<void> {
  const runs = Number(process.env.FUZZ_RUNS ?? 20_000);
  const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
  const worldRuns = Number(process.env.FUZZ_WORLD_RUNS ?? 2_500);
  // one log line per request would be the whole output; a 5xx is reported below anyway
  logger.setLogLevel("SILENT");
  process.stdout.write(`fuzzing ${runs} inputs (seed ${seed})…\n`);
  const stats = await runCampaign({
    runs,
    seed,
    worldRuns,
    onProgress: (done, s) => {
      if (done % 2_000 === 0) process.stdout.write(`  ${done}/${runs}: ${Object.entries(s.byStatus).map(([k, v]) => `${k}×${v}`).join(" ")}\n`);
    },
  });
  process.stdout.write(`${formatStats(stats, seed)}\n`);
  process.exitCode = stats.failures.length > 0 ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
