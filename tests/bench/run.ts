/**
 * `npm run bench`: figures for the local stack, started exactly as `npm start` starts it.
 *  1. hand-off latency: submission → the registration task exists (p50/p99), on a quiet system;
 *  2. intake: requests per second and p50/p99 latency at N concurrent clients for S seconds.
 * BENCH_SECONDS (30), BENCH_CLIENTS (20) and BENCH_HANDOFFS (50) change the run.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { allocatePorts, removeDataDir, startLocalProcess } from "../support/local-process";
import { validApplication } from "../support/app";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const seconds = Number(process.env.BENCH_SECONDS ?? 30);
const clients = Number(process.env.BENCH_CLIENTS ?? 20);
const handoffs = Number(process.env.BENCH_HANDOFFS ?? 50);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
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

    // 2. intake throughput and latency
    const latencies: number[] = [];
    let errors = 0;
    const end = Date.now() + seconds * 1000;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (Date.now() < end) {
          const s = performance.now();
          try {
            const { status } = await submit(stack.baseUrl);
            if (status === 201) latencies.push(performance.now() - s);
            else errors++;
          } catch {
            errors++;
          }
        }
      }),
    );
    const elapsed = (performance.now() - t0) / 1000;
    latencies.sort((a, b) => a - b);

    console.log("");
    console.log(`hand-off submission → registration task (${handoffs} sequential): p50 ${ms(percentile(handoff, 50))}, p99 ${ms(percentile(handoff, 99))}`);
    console.log(
      `intake POST /api/v1/applications, ${clients} clients × ${seconds} s: ${(latencies.length / elapsed).toFixed(1)} req/s, ` +
        `p50 ${ms(percentile(latencies, 50))}, p99 ${ms(percentile(latencies, 99))}, ${latencies.length} ok, ${errors} errors`,
    );
  } finally {
    await stack.stop();
    removeDataDir(stack.dataDir);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
