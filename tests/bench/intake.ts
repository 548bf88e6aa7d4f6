/**
 * Online intake beside the store's own limit (issue 12): on an already started local stack,
 * (a) a raw 4-item TransactWriteItems shaped like intake's (a case, its audit event, the
 * tracking item, an outbox record — copied from a real submission, keys under `BENCH#` so
 * no product query ever sees them) and (b) `POST /api/v1/applications`, each at 1 client
 * (sequential) and at 20 concurrent clients. The phases alternate raw, product, raw,
 * product so the machine's noise hits both sides alike, and each side keeps its better
 * phase. After a product phase the consumers' backlog (hand-off, receipt mail, transparency)
 * is let drain before the next phase starts; how long that took is reported beside it.
 */
import { randomUUID } from "node:crypto";
import { pathToFileURL } from "node:url";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { sdkClientConfig } from "../../shared/adapters/aws/clients";
import { validApplication } from "../support/app";
import { percentile } from "./stats";

const TABLE = "gongkai";
const CLIENTS = 20;
const PHASES = 2;

export interface IntakeSide {
  /** 1 client, one request after another */
  sequential: { requests: number; p50Ms: number; p99Ms: number };
  /** 20 clients for `seconds` */
  concurrent: { clients: number; rate: number; p50Ms: number; p99Ms: number; ok: number; errors: number };
}

export interface IntakeFigures {
  raw: IntakeSide;
  product: IntakeSide;
  /** product rate / raw rate at 20 clients (goal ≥ 0.7) */
  rateRatio: number;
  /** product p50 / raw p50 at 1 client (goal ≤ 2) */
  p50Ratio: number;
  /** longest wait, after a product phase, until every outbox record was acknowledged */
  drainMs: number;
}

type Item = Record<string, unknown>;

async function submit(baseUrl: string): Promise<number> {
  const res = await fetch(`${baseUrl}/api/v1/applications`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(validApplication()),
  });
  await res.arrayBuffer();
  return res.status;
}

/** The items one real submission wrote, as templates for the raw transaction. */
async function templates(doc: DynamoDBDocumentClient, baseUrl: string): Promise<{ case: Item; event: Item; tracking: Item; outbox: Item }> {
  const res = await fetch(`${baseUrl}/api/v1/applications`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(validApplication()) });
  const body = (await res.json()) as { trackingNumber?: string };
  if (res.status !== 201 || !body.trackingNumber) throw new Error(`template submission answered ${res.status}`);
  const get = async (pk: string, sk: string) => (await doc.send(new GetCommand({ TableName: TABLE, Key: { pk, sk }, ConsistentRead: true }))).Item;
  const tracking = await get(`TRACK#${body.trackingNumber}`, "TRACK");
  const caseId = String(tracking?.caseId);
  const items = (await doc.send(new QueryCommand({ TableName: TABLE, KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": `CASE#${caseId}` }, ConsistentRead: true }))).Items ?? [];
  const caseItem = items.find((i) => i.sk === "CASE");
  const event = items.find((i) => String(i.sk).startsWith("EVENT#"));
  // the hand-off record as intake writes it (it may be acknowledged already: then no gsi1 keys, put them back)
  const outbox: Item = {
    pk: `OUTBOX#${randomUUID()}`,
    sk: "OUTBOX",
    gsi1pk: "OUTBOX#PENDING",
    gsi1sk: `${new Date().toISOString()}#${randomUUID()}`,
    messageId: randomUUID(),
    createdAt: new Date().toISOString(),
    message: { kind: "queue", queue: "application-register", body: { type: "task.opened", caseId, workflow: "application", step: "register" } },
  };
  if (!caseItem || !event || !tracking) throw new Error("template items not found");
  return { case: caseItem, event, tracking, outbox };
}

/** A template with its keys (and index keys) under BENCH#, unique per call. */
function benchItem(template: Item, id: string): Item {
  const out: Item = { ...template };
  for (const k of ["pk", "gsi1pk", "gsi2pk"]) if (typeof out[k] === "string") out[k] = `BENCH#${k === "pk" ? `${id}#` : ""}${out[k] as string}`;
  return out;
}

function rawWriter(doc: DynamoDBDocumentClient, t: Awaited<ReturnType<typeof templates>>) {
  return async () => {
    const id = randomUUID();
    await doc.send(
      new TransactWriteCommand({
        TransactItems: [t.case, t.event, t.tracking, t.outbox].map((template) => ({
          Put: { TableName: TABLE, Item: benchItem(template, id), ConditionExpression: "attribute_not_exists(pk)" },
        })),
      }),
    );
    return 201;
  };
}

async function sequential(n: number, call: () => Promise<number>): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    const status = await call();
    if (status === 201) latencies.push(performance.now() - s);
  }
  return latencies.sort((a, b) => a - b);
}

async function concurrent(seconds: number, call: () => Promise<number>) {
  const latencies: number[] = [];
  let errors = 0;
  const end = Date.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (Date.now() < end) {
        const s = performance.now();
        try {
          if ((await call()) === 201) latencies.push(performance.now() - s);
          else errors++;
        } catch {
          errors++;
        }
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return { clients: CLIENTS, rate: latencies.length / elapsed, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), ok: latencies.length, errors };
}

/** Waits until no outbox record awaits its consumer any more (at most 120 s); the time it took. */
async function drain(doc: DynamoDBDocumentClient): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    const out = await doc.send(
      new QueryCommand({ TableName: TABLE, IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :pk", ExpressionAttributeValues: { ":pk": "OUTBOX#PENDING" }, Select: "COUNT", Limit: 1 }),
    );
    if (!out.Count || performance.now() - t0 > 120_000) return performance.now() - t0;
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function intakeFigures(opts: { baseUrl: string; dynamoEndpoint: string; seconds: number; sequential: number }): Promise<IntakeFigures> {
  const doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({ ...sdkClientConfig("dynamodb"), endpoint: opts.dynamoEndpoint, region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } }),
  );
  const t = await templates(doc, opts.baseUrl);
  const raw = rawWriter(doc, t);
  const product = () => submit(opts.baseUrl);
  // warm both paths (modules, connections) before anything counts
  await sequential(5, raw);
  await sequential(5, product);
  let drainMs = await drain(doc);

  const perPhase = Math.max(1, Math.ceil(opts.sequential / PHASES));
  const seq = { raw: [] as number[][], product: [] as number[][] };
  const conc = { raw: [] as Array<Awaited<ReturnType<typeof concurrent>>>, product: [] as Array<Awaited<ReturnType<typeof concurrent>>> };
  for (let phase = 0; phase < PHASES; phase++) {
    seq.raw.push(await sequential(perPhase, raw));
    seq.product.push(await sequential(perPhase, product));
    drainMs = Math.max(drainMs, await drain(doc));
  }
  for (let phase = 0; phase < PHASES; phase++) {
    conc.raw.push(await concurrent(opts.seconds / PHASES, raw));
    conc.product.push(await concurrent(opts.seconds / PHASES, product));
    drainMs = Math.max(drainMs, await drain(doc));
  }
  // each side's better phase: the one with the lower median, the one with the higher rate
  const bestSeq = (runs: number[][]) => {
    const best = runs.reduce((a, b) => (percentile(b, 50) < percentile(a, 50) ? b : a));
    return { requests: best.length, p50Ms: percentile(best, 50), p99Ms: percentile(best, 99) };
  };
  const bestConc = (runs: Array<Awaited<ReturnType<typeof concurrent>>>) => runs.reduce((a, b) => (b.rate > a.rate ? b : a));
  const figures = {
    raw: { sequential: bestSeq(seq.raw), concurrent: bestConc(conc.raw) },
    product: { sequential: bestSeq(seq.product), concurrent: bestConc(conc.product) },
  };
  doc.destroy();
  return {
    ...figures,
    rateRatio: figures.product.concurrent.rate / figures.raw.concurrent.rate,
    p50Ratio: figures.product.sequential.p50Ms / figures.raw.sequential.p50Ms,
    drainMs,
  };
}

export function printIntake(f: IntakeFigures): void {
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  const side = (name: string, s: IntakeSide) => [
    `  ${name} 1 client (${s.sequential.requests} sequential): p50 ${ms(s.sequential.p50Ms)}, p99 ${ms(s.sequential.p99Ms)}`,
    `  ${name} ${s.concurrent.clients} clients: ${s.concurrent.rate.toFixed(1)} req/s, p50 ${ms(s.concurrent.p50Ms)}, p99 ${ms(s.concurrent.p99Ms)}, ${s.concurrent.ok} ok, ${s.concurrent.errors} errors`,
  ];
  console.log("intake beside the store's limit (raw = a 4-item TransactWriteItems shaped like intake's, better of two alternating phases):");
  for (const line of [...side("raw TransactWriteItems   ", f.raw), ...side("POST /api/v1/applications", f.product)]) console.log(line);
  console.log(`  rate ratio at ${f.product.concurrent.clients} clients (product / raw): ${f.rateRatio.toFixed(2)} (goal ≥ 0.70${f.rateRatio >= 0.7 ? ", met" : ", NOT met"})`);
  console.log(`  p50 ratio at 1 client (product / raw): ${f.p50Ratio.toFixed(2)} (goal ≤ 2.00${f.p50Ratio <= 2 ? ", met" : ", NOT met"})`);
  console.log(`  consumers' backlog drained within ${ms(f.drainMs)} after a product phase`);
}

/** `npx tsx tests/bench/intake.ts`: this section alone, on a stack of its own (BENCH_SECONDS, BENCH_SEQUENTIAL). */
async function main(): Promise<void> {
  const { allocatePorts, removeDataDir, startLocalProcess } = await import("../support/local-process");
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  process.env.GONGKAI_INTAKE_TRUSTED_ADDRESSES ??= "127.0.0.1,::1";
  const ports = await allocatePorts();
  const stack = await startLocalProcess({ ports, timeoutMs: 120_000 });
  try {
    printIntake(
      await intakeFigures({
        baseUrl: stack.baseUrl,
        dynamoEndpoint: `http://127.0.0.1:${ports.dynamodb}`,
        seconds: Number(process.env.BENCH_SECONDS ?? 30),
        sequential: Number(process.env.BENCH_SEQUENTIAL ?? 50),
      }),
    );
  } finally {
    await stack.stop();
    removeDataDir(stack.dataDir);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
