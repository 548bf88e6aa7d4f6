import { CreateQueueCommand, DeleteQueueCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { APIGatewayProxyEventV2, SQSEvent } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { loadConfig } from "../../../shared/config";
import type { AppConfig } from "../../../shared/config";
import { functionEnvironment } from "../../../shared/environment";
import type { EnvironmentResources } from "../../../shared/environment";
import { startHost } from "../../../shared/adapters/local/host";
import type { RunningHost } from "../../../shared/adapters/local/host";
import { currentEnv, currentFunctionName, runInFunctionScope, scopedCache, tableAccess } from "../../../shared/adapters/runtime-env";
import { fixedClock } from "../../../shared/domain/clock";
import type { FunctionSpec } from "../../../shared/manifest";

interface Seen {
  name: string | undefined;
  env: Record<string, string | undefined>;
  /** the env read again after other invocations had their turn */
  envLater: Record<string, string | undefined>;
  access: "read" | "readWrite";
  config: AppConfig;
  /** made once per function scope */
  instance: number;
}

const resources: EnvironmentResources = {
  tableName: "gongkai-env-test",
  queueUrls: { mail: "http://127.0.0.1:1/000000000000/mail", timers: "http://127.0.0.1:1/000000000000/timers" },
  timersQueueArn: "arn:aws:sqs:us-east-1:000000000000:timers",
  scheduleGroup: "gongkai-timers",
  schedulerRoleArn: "arn:aws:iam::000000000000:role/scheduler",
  filesBucket: "gongkai-files",
  mail: { transport: "smtp", from: "gongkai@localhost", smtpHost: "127.0.0.1", smtpPort: 2525 },
  publicBaseUrl: "http://127.0.0.1:3000",
  local: true,
};

const reader: FunctionSpec = { name: "reader", entry: "inline", description: "", trigger: { kind: "http", paths: ["/env/reader"] }, grants: { table: "read" } };
const relay: FunctionSpec = {
  name: "relay",
  entry: "inline",
  description: "",
  trigger: { kind: "http", paths: ["/env/relay"] },
  grants: { table: "readWrite", sendTo: ["mail", "timers"], scheduler: true },
};
const worker: FunctionSpec = { name: "worker", entry: "inline", description: "", trigger: { kind: "queue", queue: "mail", batchSize: 1 }, grants: { mail: true, files: "read" } };

let instances = 0;
const fromQueue: Seen[] = [];

/** The fixture handler: reports what the function sees, reading its env on both sides of an await. */
async function observe(): Promise<Seen> {
  const env = { ...currentEnv() };
  const instance = scopedCache("fixture-instance", () => ++instances);
  await new Promise((r) => setImmediate(r));
  return { name: currentFunctionName(), env, envLater: { ...currentEnv() }, access: tableAccess(), config: loadConfig(), instance };
}

async function handlerFor(spec: FunctionSpec) {
  if (spec.trigger.kind === "queue") {
    return async (_event: SQSEvent) => {
      fromQueue.push(await observe());
    };
  }
  return async (_event: APIGatewayProxyEventV2) => ({ statusCode: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(await observe()) });
}

const sqs = new SQSClient({ region: "us-east-1", endpoint: inject("sqsEndpoint"), credentials: { accessKeyId: "test", secretAccessKey: "test" } });
let queueUrl = "";
let host: RunningHost;

beforeAll(async () => {
  // only in process.env: a scoped function must not see it
  process.env.GONGKAI_TEST_PROCESS_ONLY = "leaked";
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `host-env-${Date.now().toString(36)}` }))).QueueUrl ?? "";
  host = await startHost({
    functions: [reader, relay, worker],
    port: 0,
    queueUrls: { mail: queueUrl },
    sqs,
    clock: fixedClock("2026-03-02T01:00:00Z"),
    environment: (spec) => functionEnvironment(spec, resources),
    loadHandler: handlerFor,
    pollIntervalMs: 20,
    log: () => undefined,
  });
});
afterAll(async () => {
  await host?.stop();
  await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl })).catch(() => undefined);
  sqs.destroy();
  delete process.env.GONGKAI_TEST_PROCESS_ONLY;
});

const get = async (path: string): Promise<Seen> => (await fetch(`${host.url}${path}`)).json() as Promise<Seen>;

describe("local host: each function sees only its own manifest entry's environment", () => {
  it("gives an HTTP function exactly its grants' variables, and nothing of process.env", async () => {
    // Act
    const seen = await get("/env/reader");

    // Assess
    expect(seen.name).toBe("reader");
    expect(seen.env).toEqual(functionEnvironment(reader, resources));
    expect(seen.env).toEqual({
      PUBLIC_BASE_URL: "http://127.0.0.1:3000",
      TABLE_NAME: "gongkai-env-test",
      GONGKAI_LOCAL: "1",
      GONGKAI_LOCAL_TABLE_ACCESS: "read",
    });
    expect(seen.access).toBe("read");
    // the very defect the shared process.env hid: no scheduler grant, no scheduler settings
    expect(seen.config).toMatchObject({ tableName: "gongkai-env-test", timersQueueArn: "", schedulerRoleArn: "", filesBucket: "", localMode: true });
    expect(Object.values(seen.config.queueUrls).every((u) => u === "")).toBe(true);
  });

  it("gives another function its own, larger set, at the same time", async () => {
    // Act: interleave many invocations of both; each reads its env again after yielding
    const seen = await Promise.all(Array.from({ length: 10 }, (_, i) => get(i % 2 ? "/env/reader" : "/env/relay")));

    // Assess
    for (const s of seen) {
      const spec = s.name === "relay" ? relay : reader;
      expect(s.env).toEqual(functionEnvironment(spec, resources));
      expect(s.envLater).toEqual(s.env);
    }
    const relaySeen = seen.find((s) => s.name === "relay");
    expect(relaySeen?.access).toBe("readWrite");
    expect(relaySeen?.config).toMatchObject({
      timersQueueArn: resources.timersQueueArn,
      schedulerRoleArn: resources.schedulerRoleArn,
      scheduleGroup: "gongkai-timers",
      queueUrls: expect.objectContaining({ mail: resources.queueUrls.mail, timers: resources.queueUrls.timers }),
    });
    expect(relaySeen?.env).not.toHaveProperty("GONGKAI_LOCAL_TABLE_ACCESS");
  });

  it("scopes queue-triggered invocations too", async () => {
    // Act
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "{}" }));
    await vi.waitFor(() => expect(fromQueue).toHaveLength(1), { timeout: 5000, interval: 20 });

    // Assess
    const [seen] = fromQueue;
    expect(seen?.name).toBe("worker");
    expect(seen?.env).toEqual(functionEnvironment(worker, resources));
    expect(seen?.env).not.toHaveProperty("TABLE_NAME");
    expect(seen?.config.mail).toEqual({ transport: "smtp", from: "gongkai@localhost", smtpHost: "127.0.0.1", smtpPort: 2525, smtpSecretArn: undefined });
    expect(seen?.config.filesBucket).toBe("gongkai-files");
  });

  it("caches per function like a warm container: one instance per function, kept across invocations", async () => {
    // Act
    const first = await get("/env/reader");
    const again = await get("/env/reader");
    const other = await get("/env/relay");
    const outside = scopedCache("fixture-instance", () => -1);

    // Assess
    expect(again.instance).toBe(first.instance);
    expect(other.instance).not.toBe(first.instance);
    expect(outside).toBe(-1);
  });
});

describe("runtime-env outside the host", () => {
  it("reads process.env outside a scope (Lambda) and the scope's env inside one", () => {
    // Act
    const outside = currentEnv().GONGKAI_TEST_PROCESS_ONLY;
    const inside = runInFunctionScope("lambda-like", { ONLY: "this" }, () => ({ ...currentEnv() }));
    const accessInside = runInFunctionScope("ro", { GONGKAI_LOCAL_TABLE_ACCESS: "read" }, tableAccess);

    // Assess
    expect(outside).toBe("leaked");
    expect(inside).toEqual({ ONLY: "this" });
    expect(accessInside).toBe("read");
    expect(tableAccess()).toBe("readWrite");
  });

  it("starts a fresh cache when a function's environment changes (a new stack in the same process)", () => {
    // Act
    const a = runInFunctionScope("f", { TABLE_NAME: "one" }, () => scopedCache("config", loadConfig));
    const b = runInFunctionScope("f", { TABLE_NAME: "one" }, () => scopedCache("config", loadConfig));
    const c = runInFunctionScope("f", { TABLE_NAME: "two" }, () => scopedCache("config", loadConfig));

    // Assess
    expect(b).toBe(a);
    expect(c.tableName).toBe("two");
  });
});
