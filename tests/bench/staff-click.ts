/**
 * A staff click at scale: an agency with 1,000 open tasks on fresh stand-ins (DynamoDB Local and
 * the SQS, Scheduler and S3 stand-ins, the use cases in process as Lambda runs them). One real
 * application is submitted and handed on (its case, audit trail, tasks and tracking item are the
 * template); 999 copies are written straight into the table with the entities' own item functions.
 * Then, signed in once, each of these is timed against a raw DynamoDB Query of the items it needs:
 *  - the inbox: the console's page (GET /console/inbox, 100 a page, counts per step, banners) and
 *    GET /api/v1/tasks (500 a page) against one Query of the agency's open-task index, every page;
 *  - a case: the console's case page (GET /console/cases/{caseId}) and GET /api/v1/cases/{caseId}
 *    against one Query of the case's partition (case, trail, tasks).
 * The handlers are the staff-console Lambda's routes, called with API Gateway v2 events.
 *
 *   BENCH_CLICK_TASKS (1000) and BENCH_CLICK_RUNS (50) change the run.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { startDynamoDbLocal } from "../../shared/adapters/local/dynamodb-local";
import { startSqsLocal } from "../../shared/adapters/local/sqs-local";
import { startS3Local } from "../../shared/adapters/local/s3-local";
import { logger } from "../../shared/adapters/logger";
import { submitApplication } from "../../shared/app/applications/intake";
import { signIn } from "../../shared/app/auth";
import { DEMO_PASSWORD } from "../../shared/app/seed-demo";
import { createHttpHandler } from "../../shared/http/http";
import { renderErrorPage } from "../../shared/http/error-pages";
import { consolePageRoutes, staffApiRoutes } from "../../functions/http/staff-console";
import { caseKey } from "../../shared/adapters/aws/entities/case";
import { openTasksIndex } from "../../shared/adapters/aws/entities/task";
import { newId } from "../../shared/domain/ids";
import type { AppDeps } from "../../shared/app/deps";
import { startTestStack, type TestStack } from "../support/stack";
import { connectedHarness } from "../support/harness";
import { serviceCenter, validApplication } from "../support/app";
import { cloneCase, readCaseTemplate, seedItems } from "./seed";
import { percentile } from "./stats";

export interface Timing {
  p50Ms: number;
  p99Ms: number;
}
export interface ClickPair {
  label: string;
  handler: Timing;
  raw: Timing;
  /** handler p50 / raw p50 */
  ratio: number;
}

/** p50 and p99 of `runs` sequential calls (after two untimed ones: module loading, connections, caches). */
export async function timeRuns(runs: number, fn: () => Promise<unknown>): Promise<Timing> {
  for (let i = 0; i < 2; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50Ms: percentile(times, 50), p99Ms: percentile(times, 99) };
}

/** Every item of a partition of the table or an index, page after page, as a plain Query reads it. */
export async function rawQuery(stack: Pick<TestStack, "doc" | "tableName">, key: { index?: string; pk: string }): Promise<number> {
  const pkName = key.index ? `${key.index}pk` : "pk";
  let startKey: Record<string, unknown> | undefined;
  let n = 0;
  do {
    const out = await stack.doc.send(
      new QueryCommand({ TableName: stack.tableName, IndexName: key.index, KeyConditionExpression: "#pk = :pk", ExpressionAttributeNames: { "#pk": pkName }, ExpressionAttributeValues: { ":pk": key.pk }, ExclusiveStartKey: startKey }),
    );
    n += out.Items?.length ?? 0;
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return n;
}

/** The staff console's handler (pages and JSON API) over the given deps, and a GET as a signed-in user makes it. */
export async function staffClient(deps: AppDeps, agencyCode: string, username = "office") {
  const handler = createHttpHandler([...staffApiRoutes(() => deps), ...consolePageRoutes(() => deps)], { renderErrorPage });
  // signed in once, outside every timed loop
  const { token } = await signIn(deps, { agencyCode, username, password: DEMO_PASSWORD });
  return async (url: string): Promise<string> => {
    const [path, query = ""] = url.split("?") as [string, string?];
    const api = path.startsWith("/api/");
    const res = await handler({
      rawPath: path,
      rawQueryString: query,
      headers: { host: "gongkai.test", ...(api ? { authorization: `Bearer ${token}` } : {}) },
      cookies: api ? [] : [`gk_session=${token}`],
      requestContext: { http: { method: "GET", path, sourceIp: "198.51.100.7" }, requestId: "bench" },
    } as unknown as APIGatewayProxyEventV2);
    if (res.statusCode !== 200) throw new Error(`GET ${url}: ${res.statusCode} ${String(res.body).slice(0, 300)}`);
    return String(res.body);
  };
}

export async function staffClickFigures(opts: { tasks?: number; runs?: number } = {}): Promise<{ tasks: number; runs: number; seedSeconds: number; pairs: ClickPair[] }> {
  const tasks = opts.tasks ?? Number(process.env.BENCH_CLICK_TASKS ?? 1_000);
  const runs = opts.runs ?? Number(process.env.BENCH_CLICK_RUNS ?? 50);
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const level = logger.getLevelName();
  logger.setLogLevel("WARN"); // a line per request would be the loudest part of the run
  const s3Dir = mkdtempSync(join(tmpdir(), "gongkai-bench-s3-"));
  const [ddb, sqs, s3] = await Promise.all([startDynamoDbLocal({ inMemory: true }), startSqsLocal({ port: 0 }), startS3Local({ dataDir: s3Dir })]);
  const stack = await startTestStack({ endpoints: { dynamo: ddb.endpoint, sqs: sqs.endpoint, s3: s3.endpoint }, clockStart: "2026-03-02T01:30:00.000Z", setEnv: false });
  try {
    const h = await connectedHarness(stack);
    // the template: a real application, handed on to its registration task
    const s = await submitApplication(h.deps, validApplication());
    await h.settle();
    const template = await readCaseTemplate(stack, s.caseId);
    if (!template.tasks.some((t) => t.status === "open")) throw new Error("the template case has no open task");
    const t0 = performance.now();
    const copies = function* () {
      for (let i = 1; i < tasks; i++) {
        const caseId = newId(new Date(Date.parse("2026-03-02T01:00:00.000Z") + i));
        // due moments a second apart: the inbox order is the index's, ties aside
        yield* cloneCase(template, { caseId, reference: `${serviceCenter}-2026-${String(10_000 + i).padStart(5, "0")}`, agencyCode: serviceCenter, dueShiftMs: (i % 500) * 1000 });
      }
    };
    await seedItems(stack, copies());
    const seedSeconds = (performance.now() - t0) / 1000;

    const get = await staffClient(h.deps, serviceCenter);
    const inboxKey = openTasksIndex(serviceCenter);
    const caseId = s.caseId;
    const inboxItems = await rawQuery(stack, inboxKey);
    if (inboxItems !== tasks) throw new Error(`the open-task index holds ${inboxItems} tasks, not ${tasks}`);
    const inboxPage = await get("/console/inbox");
    if (!inboxPage.includes(`共 ${tasks} 项`)) throw new Error("the inbox does not count every open task");

    const pair = async (label: string, fn: () => Promise<unknown>, raw: () => Promise<unknown>): Promise<ClickPair> => {
      const handler = await timeRuns(runs, fn);
      const r = await timeRuns(runs, raw);
      return { label, handler, raw: r, ratio: handler.p50Ms / r.p50Ms };
    };
    const rawInbox = () => rawQuery(stack, inboxKey);
    const rawCase = () => rawQuery(stack, { pk: caseKey(caseId).pk });
    const pairs = [
      await pair("console inbox GET /console/inbox (100 a page)", () => get("/console/inbox"), rawInbox),
      await pair("API GET /api/v1/tasks (500 a page)", () => get("/api/v1/tasks"), rawInbox),
      await pair("console case page GET /console/cases/{caseId}", () => get(`/console/cases/${caseId}`), rawCase),
      await pair("API GET /api/v1/cases/{caseId}", () => get(`/api/v1/cases/${caseId}`), rawCase),
    ];
    return { tasks, runs, seedSeconds, pairs };
  } finally {
    logger.setLogLevel(level as never);
    await stack.stop();
    await Promise.all([ddb.stop(), sqs.stop(), s3.stop()]);
    rmSync(s3Dir, { recursive: true, force: true });
  }
}

const ms = (n: number) => `${n.toFixed(1)} ms`;

export function printStaffClick(f: Awaited<ReturnType<typeof staffClickFigures>>): void {
  console.log(`staff click, an agency with ${f.tasks.toLocaleString("en")} open tasks (${f.runs} runs each, signed in once; copies seeded in ${f.seedSeconds.toFixed(1)} s):`);
  for (const p of f.pairs) {
    console.log(`  ${p.label}: p50 ${ms(p.handler.p50Ms)}, p99 ${ms(p.handler.p99Ms)} vs raw Query p50 ${ms(p.raw.p50Ms)}, p99 ${ms(p.raw.p99Ms)}; ratio ${p.ratio.toFixed(1)}×`);
  }
}

if (process.argv[1]?.endsWith("staff-click.ts")) {
  staffClickFigures().then(printStaffClick, (error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
