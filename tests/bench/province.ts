/**
 * A province on one deployment: 2,000 agencies with 100,000 open and 400,000 closed cases in one
 * table on DynamoDB Local, written straight into it (BatchWriteItem, in parallel) with the entities'
 * own item functions — copies of one real application submitted and handed on through the use
 * cases. Then, for one agency of the province (its share: 50 open cases with their tasks, 200
 * closed), the staff inbox, a case page, the staff case search and the annual report are timed, and
 * the same for that agency alone on an otherwise empty table. Nothing a staff member of one agency
 * does may read other agencies' data, so each pair should be within 2× (DynamoDB Local's own cost
 * of a larger table aside).
 *
 * BENCH_PROVINCE_AGENCIES (2000), BENCH_PROVINCE_OPEN (100000), BENCH_PROVINCE_CLOSED (400000) and
 * BENCH_PROVINCE_RUNS (20) change the run.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDynamoDbLocal } from "../../shared/adapters/local/dynamodb-local";
import { startSqsLocal } from "../../shared/adapters/local/sqs-local";
import { startS3Local } from "../../shared/adapters/local/s3-local";
import { logger } from "../../shared/adapters/logger";
import { submitApplication } from "../../shared/app/applications/intake";
import { annualReport } from "../../shared/app/reports/annual";
import { agencyItem } from "../../shared/adapters/aws/entities/directory";
import { openTasksIndex } from "../../shared/adapters/aws/entities/task";
import { closedCasesIndex, openCasesIndex } from "../../shared/adapters/aws/entities/case";
import { resultCells, type ResultCell } from "../../shared/domain/report/cells";
import { newId } from "../../shared/domain/ids";
import { startTestStack } from "../support/stack";
import { connectedHarness } from "../support/harness";
import { serviceCenter, validApplication } from "../support/app";
import { cloneCase, readCaseTemplate, seedItems, type CaseTemplate } from "./seed";
import { rawQuery, staffClient, timeRuns, type Timing } from "./staff-click";

export interface ProvinceOptions {
  agencies?: number;
  open?: number;
  closed?: number;
  runs?: number;
}

export interface ProvincePair {
  label: string;
  province: Timing;
  single: Timing;
  /** province p50 / single p50; the goal is ≤ 2 */
  ratio: number;
}

export interface ProvinceFigures {
  agencies: number;
  open: number;
  closed: number;
  /** the measured agency's share */
  agencyOpen: number;
  agencyClosed: number;
  items: number;
  seedSeconds: number;
  runs: number;
  pairs: ProvincePair[];
}

const cells = Object.keys(resultCells) as ResultCell[];
const GOAL = 2;
const CLOCK = "2026-12-10T01:30:00.000Z";

/** Agency codes: the measured one (a demo agency, whose staff can sign in) first, then made-up ones. */
const agencyCode = (i: number) => (i === 0 ? serviceCenter : `0010099${String(i).padStart(8, "0")}`);

/** An agency's share of n cases over `agencies` (the first ones take the remainder). */
const share = (n: number, agencies: number, i: number) => Math.floor(n / agencies) + (i < n % agencies ? 1 : 0);

/** Closed over the report's year and the one before (one in five), so search reads two closing years and the report one. */
function closedOn(k: number): string {
  const year = k % 5 === 0 ? 2025 : 2026;
  return `${year}-${String(1 + (k % 11)).padStart(2, "0")}-${String(1 + (k % 28)).padStart(2, "0")}`;
}

/** Every item of the given agencies' cases: the open ones with their inbox task and tracking item, the closed ones with their tracking item. */
function* agencyCases(template: CaseTemplate, agencies: number, open: number, closed: number, only?: number): Generator<Record<string, unknown>> {
  let serial = 0;
  for (let i = 0; i < agencies; i++) {
    if (only !== undefined && i !== only) continue;
    const code = agencyCode(i);
    // the measured agency's real case counts among its open ones
    const opens = share(open, agencies, i) - (i === 0 ? 1 : 0);
    const closes = share(closed, agencies, i);
    for (let k = 0; k < opens + closes; k++) {
      serial++;
      const caseId = newId(new Date(Date.parse("2026-01-05T01:00:00.000Z") + serial * 37));
      const reference = `${code}-2026-${String(100 + k).padStart(5, "0")}`;
      yield* k < opens
        ? cloneCase(template, { caseId, reference, agencyCode: code, dueShiftMs: k * 1000, withTrail: false })
        : cloneCase(template, { caseId, reference, agencyCode: code, withTrail: false, withTasks: false, closed: { on: closedOn(k), cell: cells[k % cells.length]! } });
    }
  }
}

/** One setup: the stand-ins, the table seeded with `agencies` agencies' cases, then the four pages timed for agency 0. */
async function measure(o: Required<ProvinceOptions>, alone: boolean): Promise<{ items: number; seedSeconds: number; timings: Timing[]; shares: { open: number; closed: number } }> {
  const s3Dir = mkdtempSync(join(tmpdir(), "gongkai-bench-s3-"));
  const [ddb, sqs, s3] = await Promise.all([startDynamoDbLocal({ inMemory: true }), startSqsLocal({ port: 0 }), startS3Local({ dataDir: s3Dir })]);
  const stack = await startTestStack({ endpoints: { dynamo: ddb.endpoint, sqs: sqs.endpoint, s3: s3.endpoint }, clockStart: CLOCK, setEnv: false });
  try {
    const h = await connectedHarness(stack);
    const s = await submitApplication(h.deps, validApplication({ agencyCode: serviceCenter }));
    await h.settle();
    const template = await readCaseTemplate(stack, s.caseId);
    const t0 = performance.now();
    const profiles = alone ? [] : Array.from({ length: o.agencies - 1 }, (_, i) => agencyItem({ code: agencyCode(i + 1), name: `基准机关${i + 1}`, reviewAuthority: "某市人民政府", court: "某市中级人民法院" }));
    const items = (await seedItems(stack, profiles)) + (await seedItems(stack, agencyCases(template, o.agencies, o.open, o.closed, alone ? 0 : undefined), 12));
    const seedSeconds = (performance.now() - t0) / 1000;

    // the measured agency holds its share, whatever else the table holds
    const shares = { open: share(o.open, o.agencies, 0), closed: share(o.closed, o.agencies, 0) };
    const [tasks, opened, closed25, closed26] = await Promise.all([
      rawQuery(stack, openTasksIndex(serviceCenter)),
      rawQuery(stack, openCasesIndex(serviceCenter)),
      rawQuery(stack, closedCasesIndex(serviceCenter, 2025)),
      rawQuery(stack, closedCasesIndex(serviceCenter, 2026)),
    ]);
    if (tasks !== shares.open || opened !== shares.open || closed25 + closed26 !== shares.closed) {
      throw new Error(`agency ${serviceCenter} holds ${tasks} open tasks, ${opened} open and ${closed25 + closed26} closed cases, not ${shares.open} and ${shares.closed}`);
    }
    const get = await staffClient(h.deps, serviceCenter);
    const search = `/console/cases?q=${encodeURIComponent("满意度")}`;
    if (!(await get(search)).includes(s.trackingNumber)) throw new Error("the search does not find the agency's case");
    const timings = [
      await timeRuns(o.runs, () => get("/console/inbox")),
      await timeRuns(o.runs, () => get(`/console/cases/${s.caseId}`)),
      await timeRuns(o.runs, () => get(search)),
      await timeRuns(o.runs, () => annualReport(h.deps, serviceCenter, 2026)),
    ];
    return { items, seedSeconds, timings, shares };
  } finally {
    await stack.stop();
    await Promise.all([ddb.stop(), sqs.stop(), s3.stop()]);
    rmSync(s3Dir, { recursive: true, force: true });
  }
}

export async function provinceFigures(opts: ProvinceOptions = {}): Promise<ProvinceFigures> {
  const o: Required<ProvinceOptions> = {
    agencies: opts.agencies ?? Number(process.env.BENCH_PROVINCE_AGENCIES ?? 2_000),
    open: opts.open ?? Number(process.env.BENCH_PROVINCE_OPEN ?? 100_000),
    closed: opts.closed ?? Number(process.env.BENCH_PROVINCE_CLOSED ?? 400_000),
    runs: opts.runs ?? Number(process.env.BENCH_PROVINCE_RUNS ?? 20),
  };
  if (o.agencies < 1 || o.open < o.agencies) throw new Error("the province needs at least one agency and an open case for each");
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const level = logger.getLevelName();
  logger.setLogLevel("WARN");
  try {
    // the agency alone first, on its own DynamoDB Local; then the province on a fresh one
    const single = await measure(o, true);
    const province = await measure(o, false);
    const labels = ["staff inbox GET /console/inbox", "case page GET /console/cases/{caseId}", "staff case search GET /console/cases?q=", "annual report (the agency's 2026)"];
    return {
      agencies: o.agencies,
      open: o.open,
      closed: o.closed,
      agencyOpen: province.shares.open,
      agencyClosed: province.shares.closed,
      items: province.items,
      seedSeconds: province.seedSeconds,
      runs: o.runs,
      pairs: labels.map((label, i) => ({ label, province: province.timings[i]!, single: single.timings[i]!, ratio: province.timings[i]!.p50Ms / single.timings[i]!.p50Ms })),
    };
  } finally {
    logger.setLogLevel(level as never);
  }
}

const ms = (n: number) => `${n.toFixed(1)} ms`;

export function printProvince(f: ProvinceFigures): void {
  console.log(
    `a province on one deployment: ${f.agencies.toLocaleString("en")} agencies, ${f.open.toLocaleString("en")} open and ${f.closed.toLocaleString("en")} closed cases ` +
      `(${f.items.toLocaleString("en")} items seeded in ${f.seedSeconds.toFixed(1)} s); one agency (${f.agencyOpen} open, ${f.agencyClosed} closed) vs the same agency alone, ${f.runs} runs each:`,
  );
  for (const p of f.pairs) {
    console.log(
      `  ${p.label}: province p50 ${ms(p.province.p50Ms)}, p99 ${ms(p.province.p99Ms)} vs alone p50 ${ms(p.single.p50Ms)}, p99 ${ms(p.single.p99Ms)}; ratio ${p.ratio.toFixed(2)}× (goal ≤ ${GOAL}×)${p.ratio <= GOAL ? "" : " — over the goal"}`,
    );
  }
}

if (process.argv[1]?.endsWith("province.ts")) {
  provinceFigures().then(printProvince, (error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
