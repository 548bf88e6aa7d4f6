/**
 * `npm run bench`: figures for the local stack, started exactly as `npm start` starts it.
 *  1. hand-off latency: submission → the registration task exists (p50/p99), on a quiet system;
 *  2. intake beside a raw 4-item transaction, at 1 client and at 20 for S seconds (./intake.ts);
 *  3. a full application lifecycle: AWS calls, consumed capacity and cost per 1,000 applications,
 *     beside the same workflow's state transitions on Step Functions Standard;
 *  4. content screening of a 50,000-character document, and catalogue search at 10,000 entries
 *     (in process: pure functions, warm);
 *  5. the annual report of an agency with BENCH_REPORT_APPLICATIONS (100,000) applications in the
 *     year, on fresh stand-ins;
 *  6. every function's bundle: minified size and module init in a fresh Node process;
 *  7. a staff click (inbox, case page) at 1,000 open tasks against a raw Query, and a province:
 *     2,000 agencies with 100,000 open and 400,000 closed cases (BENCH_PROVINCE_AGENCIES,
 *     BENCH_PROVINCE_OPEN, BENCH_PROVINCE_CLOSED), one agency's pages beside the same agency alone.
 * BENCH_SECONDS (30), BENCH_HANDOFFS (50) and BENCH_LIFECYCLES (20) change the run.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { allocatePorts, removeDataDir, startLocalProcess } from "../support/local-process";
import { validApplication } from "../support/app";
import { lifecycleFigures, printLifecycle } from "./lifecycle";
import { screeningFigures } from "./screening";
import { catalogueSearchFigures } from "./catalogue";
import { annualReportFigures } from "./annual";
import { transparencyFigures } from "./transparency";
import { printStaffClick, staffClickFigures } from "./staff-click";
import { bundleFigures, printBundles } from "./bundles";
import { printProvince, provinceFigures } from "./province";
import { intakeFigures, printIntake } from "./intake";
import { percentile } from "./stats";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
// the load comes from this machine like an agency portal's would: not limited per address
process.env.GONGKAI_INTAKE_TRUSTED_ADDRESSES ??= "127.0.0.1,::1";

const seconds = Number(process.env.BENCH_SECONDS ?? 30);
const handoffs = Number(process.env.BENCH_HANDOFFS ?? 50);
const lifecycles = Number(process.env.BENCH_LIFECYCLES ?? 20);
const reportApplications = Number(process.env.BENCH_REPORT_APPLICATIONS ?? 100_000);

const ms = (n: number) => `${n.toFixed(1)} ms`;

async function submit(baseUrl: string): Promise<{ status: number; trackingNumber?: string }> {
  const res = await fetch(`${baseUrl}/api/v1/applications`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(validApplication()),
  });
  const body = (await res.json()) as { trackingNumber?: string };
  return { status: res.status, trackingNumber: body.trackingNumber };
}

async function main(): Promise<void> {
  const ports = await allocatePorts();
  console.log("starting the local stack …");
  const started = Date.now();
  const stack = await startLocalProcess({ ports, timeoutMs: 120_000 });
  console.log(`local stack answering after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: `http://127.0.0.1:${ports.dynamodb}`, region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } }),
  );
  const get = async (pk: string, sk: string) => (await doc.send(new GetCommand({ TableName: "gongkai", Key: { pk, sk } }))).Item;

  try {
    // 1. hand-off latency, one submission at a time on a quiet system
    await submit(stack.baseUrl); // warm-up: first calls load handler modules
    const handoff: number[] = [];
    for (let i = 0; i < handoffs; i++) {
      const t0 = performance.now();
      const { trackingNumber } = await submit(stack.baseUrl);
      const tracking = await get(`TRACK#${trackingNumber}`, "TRACK");
      const caseId = tracking?.caseId as string;
      for (;;) {
        if (await get(`CASE#${caseId}`, `TASK#${caseId}-register-1`)) break;
        if (performance.now() - t0 > 30_000) throw new Error(`no task for ${trackingNumber} after 30 s`);
        await new Promise((r) => setTimeout(r, 5));
      }
      handoff.push(performance.now() - t0);
    }
    handoff.sort((a, b) => a - b);

    // 2. intake beside the store's own limit
    const intake = await intakeFigures({ baseUrl: stack.baseUrl, dynamoEndpoint: `http://127.0.0.1:${ports.dynamodb}`, seconds, sequential: handoffs });

    console.log("");
    console.log(`hand-off submission → registration task (${handoffs} sequential): p50 ${ms(percentile(handoff, 50))}, p99 ${ms(percentile(handoff, 99))}`);
    printIntake(intake);
  } finally {
    await stack.stop();
    removeDataDir(stack.dataDir);
  }

  // 3. lifecycle: counted in-process on fresh stand-ins, so nothing else runs meanwhile
  printLifecycle(await lifecycleFigures(lifecycles));

  // 4. publishing: screening before review, and the public catalogue's search
  const sc = await screeningFigures();
  const cs = await catalogueSearchFigures();
  console.log("");
  console.log(`screening ${sc.chars.toLocaleString("en")} characters (200-word lists): ${ms(sc.msPerRun)} per document (median), ${sc.charsPerMs.toFixed(0)} characters/ms, ${sc.findings} findings; budget 50 ms`);
  const ar = await annualReportFigures(reportApplications);
  console.log(`annual report of ${ar.applications.toLocaleString("en")} applications in the year (a query per closing month, a busy month per day, of the report's attributes only; no Scan): ${ms(ar.reportMs)} (seeding took ${ar.seedSeconds.toFixed(1)} s; checks ${ar.checksOk}/${ar.checks}, the hand-entered figures missing)`);
  const tp = await transparencyFigures(2_000);
  console.log(`transparency pages with ${tp.agencies.toLocaleString("en")} agencies' counters (no case read): one agency ${ms(tp.agencyPageMs)} (goal 100 ms); the deployment ${ms(tp.deploymentPageMs)} within its minute's reuse, ${ms(tp.deploymentColdMs)} reading every shard (goal 1 s warm; ${tp.itemBytes.toLocaleString("en")} bytes a counter item, one Query per shard)`);
  console.log(`catalogue search at ${cs.entries.toLocaleString("en")} entries (warm, in memory): p50 ${ms(cs.p50Ms)}, p99 ${ms(cs.p99Ms)}${cs.coldLoadMs === undefined ? "" : `; first search building the index ${ms(cs.coldLoadMs)}`}`);

  // 6. each function's bundle: size and module init in a fresh process
  printBundles(await bundleFigures());

  // 7. a staff click with 1,000 open tasks, and a province on one deployment (seeding takes minutes)
  printStaffClick(await staffClickFigures());
  printProvince(await provinceFigures());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
