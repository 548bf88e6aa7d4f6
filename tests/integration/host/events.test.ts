import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { request } from "node:http";
import { join, resolve } from "node:path";
import { CreateQueueCommand, DeleteQueueCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { APIGatewayProxyEventV2, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { startHost } from "../../../shared/adapters/local/host";
import type { RunningHost } from "../../../shared/adapters/local/host";
import { buildRouteTable, fromHandlerResult, isTextContentType } from "../../../shared/adapters/local/host-http";
import { importHandler, lambdaContext } from "../../../shared/adapters/local/host-lambda";
import { failedMessageIds } from "../../../shared/adapters/local/host-sqs";
import { runInFunctionScope } from "../../../shared/adapters/runtime-env";
import { appDeps } from "../../../shared/adapters/aws/app-deps";
import { seedDemo } from "../../../shared/app/seed-demo";
import { fixedClock } from "../../../shared/domain/clock";
import { functionEnvironment } from "../../../shared/environment";
import { functions } from "../../../shared/manifest";
import type { FunctionSpec, QueueName } from "../../../shared/manifest";
import { startTestStack } from "../../support/stack";
import type { TestStack } from "../../support/stack";

/**
 * The fixtures are events as AWS delivers them (tests/fixtures/events/README.md). The host
 * must build the same shape from real HTTP requests and SQS messages, and the functions'
 * handlers must take the fixtures as they come.
 */
const root = resolve(import.meta.dirname, "../../..");
const fixtures = join(root, "tests/fixtures/events");
const load = <T>(dir: string) =>
  readdirSync(join(fixtures, dir))
    .filter((f) => f.endsWith(".json"))
    .map((f) => [f, JSON.parse(readFileSync(join(fixtures, dir, f), "utf8")) as T] as const);
const apigwFixtures = load<APIGatewayProxyEventV2>("apigw");
const sqsFixtures = load<SQSEvent>("sqs");
/** the manifest queue each SQS fixture was delivered from (CDK names the real queues) */
const queueOf: Record<string, QueueName> = {
  "mail-send-batch.json": "mail",
  "application-register-task-opened.json": "application-register",
};

/** API Gateway adds these itself; a client's own values would be appended to or replaced */
const ADDED_BY_GATEWAY = ["x-amzn-trace-id", "x-forwarded-for", "x-forwarded-port", "x-forwarded-proto"];

/** Keys and value types, recursively: what a handler can rely on, whatever the values. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return [...new Set(value.map((v) => JSON.stringify(shape(v))))].map((s) => JSON.parse(s) as unknown);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v)]));
  return value === null ? "null" : typeof value;
}

const rawBody = (e: APIGatewayProxyEventV2) => (e.body === undefined ? Buffer.alloc(0) : Buffer.from(e.body, e.isBase64Encoded ? "base64" : "utf8"));

/** Rules every HTTP API v2 event follows, recorded or built. */
function expectHttpApiRules(e: APIGatewayProxyEventV2): void {
  expect(Object.keys(e.headers).filter((k) => k !== k.toLowerCase())).toEqual([]);
  expect(e.headers).not.toHaveProperty("cookie");
  expect(e.headers).not.toHaveProperty("connection");
  expect(e.headers["content-length"]).toBe(String(rawBody(e).length));
  expect(e.isBase64Encoded).toBe(e.body !== undefined && !isTextContentType(e.headers["content-type"]));
  expect(e.headers["x-amzn-trace-id"]).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
  expect(e.headers["x-forwarded-for"]?.split(", ").at(-1)).toBe(e.requestContext.http.sourceIp);
  expect(e.requestContext.http.path).toBe(e.rawPath);
  expect(e.requestContext.http.userAgent).toBe(e.headers["user-agent"]);
  expect(e.requestContext.routeKey).toBe(e.routeKey);
  expect(e.requestContext.domainName).toBe(e.headers.host);
  expect(e.requestContext.domainPrefix).toBe(e.requestContext.domainName.split(".")[0]);
  expect(e.requestContext.requestId).toMatch(/^[A-Za-z0-9_-]{15}=$/);
  expect(e.requestContext.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
}

/** Rules of a record from Lambda's SQS event source. */
function expectSqsRules(r: SQSRecord): void {
  expect(r.eventSource).toBe("aws:sqs");
  expect(r.eventSourceARN).toMatch(/^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[\w-]+$/);
  expect(r.awsRegion).toBe(r.eventSourceARN.split(":")[3]);
  expect(r.md5OfBody).toBe(createHash("md5").update(r.body, "utf8").digest("hex"));
  expect(r.messageId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  expect(Object.keys(r.attributes).sort()).toEqual(["ApproximateFirstReceiveTimestamp", "ApproximateReceiveCount", "SenderId", "SentTimestamp"]);
  expect(Number(r.attributes.ApproximateFirstReceiveTimestamp)).toBeGreaterThanOrEqual(Number(r.attributes.SentTimestamp));
}

/** Replays what the client sent for a recorded event: its own headers, cookies and body. */
function replay(url: string, e: APIGatewayProxyEventV2): Promise<APIGatewayProxyEventV2> {
  const body = rawBody(e);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(e.headers)) if (v !== undefined && !ADDED_BY_GATEWAY.includes(k)) headers[k] = v;
  // a browser sends no content-length without a body; API Gateway adds "0"
  if (body.length === 0) delete headers["content-length"];
  if (e.cookies?.length) headers.cookie = e.cookies.join("; ");
  const target = `${url}${e.rawPath}${e.rawQueryString ? `?${e.rawQueryString}` : ""}`;
  return new Promise((ok, fail) => {
    const req = request(target, { method: e.requestContext.http.method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => ok(JSON.parse(Buffer.concat(chunks).toString("utf8")) as APIGatewayProxyEventV2));
    });
    req.on("error", fail);
    req.end(body);
  });
}

const sqs = new SQSClient({ region: "us-east-1", endpoint: inject("sqsEndpoint"), credentials: { accessKeyId: "test", secretAccessKey: "test" } });
const queueUrls: Record<QueueName, string> = {};
const delivered: SQSRecord[] = [];
let host: RunningHost;

beforeAll(async () => {
  // the real manifest's routes and queues; every handler answers with the event it was given
  for (const queue of Object.values(queueOf)) {
    queueUrls[queue] = (await sqs.send(new CreateQueueCommand({ QueueName: `events-${queue}-${Date.now().toString(36)}` }))).QueueUrl ?? "";
  }
  host = await startHost({
    functions: functions.filter((f) => f.trigger.kind === "http" || (f.trigger.kind === "queue" && Object.values(queueOf).includes(f.trigger.queue))),
    port: 0,
    queueUrls,
    sqs,
    clock: fixedClock("2026-01-05T02:30:00Z"),
    pollIntervalMs: 20,
    loadHandler: async (spec) =>
      spec.trigger.kind === "queue"
        ? async (event: SQSEvent) => void delivered.push(...event.Records)
        : async (event: APIGatewayProxyEventV2) => ({ statusCode: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(event) }),
    log: () => undefined,
  });
});
afterAll(async () => {
  await host?.stop();
  await Promise.all(Object.values(queueUrls).map((QueueUrl) => sqs.send(new DeleteQueueCommand({ QueueUrl })).catch(() => undefined)));
  sqs.destroy();
});

describe("the host builds the events AWS delivers", () => {
  it.each(apigwFixtures)("HTTP API v2: a real request for %s gives the recorded event's shape", async (_name, recorded) => {
    // Act
    const built = await replay(host.url, recorded);

    // Assess: same keys (headers included) and value types
    expect(shape(built)).toEqual(shape(recorded));
    expectHttpApiRules(recorded);
    expectHttpApiRules(built);
    const same = (e: APIGatewayProxyEventV2) => ({
      version: e.version,
      routeKey: e.routeKey,
      rawPath: e.rawPath,
      rawQueryString: e.rawQueryString,
      cookies: e.cookies,
      queryStringParameters: e.queryStringParameters,
      pathParameters: e.pathParameters,
      body: e.body,
      isBase64Encoded: e.isBase64Encoded,
      method: e.requestContext.http.method,
      protocol: e.requestContext.http.protocol,
      stage: e.requestContext.stage,
      clientHeaders: Object.fromEntries(Object.entries(e.headers).filter(([k]) => !ADDED_BY_GATEWAY.includes(k))),
    });
    expect(same(built)).toEqual(same(recorded));
  });

  it.each(sqsFixtures)("SQS event source: a message sent like %s is delivered in the recorded record's shape", async (name, recorded) => {
    // Prepare
    const queue = queueOf[name];
    expect(queue, `map ${name} to its manifest queue in queueOf`).toBeDefined();
    const first = recorded.Records[0];
    if (!queue || !first) return;

    // Act
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrls[queue], MessageBody: first.body }));
    await vi.waitFor(() => expect(delivered.some((r) => r.body === first.body)).toBe(true), { timeout: 5000, interval: 20 });

    // Assess
    const built = delivered.find((r) => r.body === first.body) as SQSRecord;
    expect(shape(built)).toEqual(shape(first));
    for (const r of recorded.Records) expectSqsRules(r);
    expectSqsRules(built);
  });

  it("routes every recorded HTTP event to its route key under the real manifest", () => {
    // Prepare
    const routes = buildRouteTable(functions);

    // Act / Assess
    for (const [, e] of apigwFixtures) {
      const match = routes.match(e.rawPath);
      expect(match?.route.routeKey).toBe(e.routeKey);
      expect(match?.pathParameters).toEqual(e.pathParameters);
    }
  });

  it("maps every SQS fixture to a queue that a manifest function consumes", () => {
    for (const [name] of sqsFixtures) {
      const queue = queueOf[name];
      expect(functions.some((f) => f.trigger.kind === "queue" && f.trigger.queue === queue), `${name} → ${queue}`).toBe(true);
    }
  });
});

/** The manifest function a recorded event goes to. */
function consumerOf(queue: QueueName | undefined): FunctionSpec | undefined {
  return functions.find((f) => f.trigger.kind === "queue" && f.trigger.queue === queue);
}
const routeSpecs = buildRouteTable(functions);
const written = (spec: FunctionSpec | undefined) => spec !== undefined && existsSync(resolve(root, spec.entry));

describe("the functions' handlers take the recorded events", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ clockStart: "2026-01-05T02:30:00Z" });
    // the demo agencies and staff, seeded as npm start does: as the staff console
    const staff = functions.find((f) => f.name === "staff-console") as FunctionSpec;
    await runInFunctionScope(staff.name, functionEnvironment(staff, stack.resources), () => seedDemo(appDeps()));
  });
  afterAll(async () => {
    await stack?.stop();
  });

  // each handler runs as its own function, with only its manifest entry's environment
  const run = async (spec: FunctionSpec, event: unknown) =>
    runInFunctionScope(spec.name, functionEnvironment(spec, stack.resources), async () => (await importHandler(root)(spec))(event, lambdaContext(spec)));

  it.each(apigwFixtures.map(([name, e]) => [name, e, routeSpecs.match(e.rawPath)?.route.spec] as const))(
    "%s: answers it without a server error",
    async (_name, recorded, spec) => {
      // Act
      const reply = fromHandlerResult(await run(spec as FunctionSpec, structuredClone(recorded)));

      // Assess
      expect(reply.statusCode).toBeGreaterThanOrEqual(200);
      expect(reply.statusCode, reply.body.toString("utf8").slice(0, 300)).toBeLessThan(500);
    },
  );

  for (const [name, recorded] of sqsFixtures) {
    const spec = consumerOf(queueOf[name]);
    it.skipIf(!written(spec))(`${name}: ${spec?.name ?? "?"} takes the batch and answers in Lambda's batch-response form`, async () => {
      // Act
      const result = await run(spec as FunctionSpec, structuredClone(recorded));

      // Assess: a batch response naming only records of this batch (an unknown id would fail it whole)
      const ids = new Set(recorded.Records.map((r) => r.messageId));
      const failures = result === undefined || result === null ? [] : (result as SQSBatchResponse).batchItemFailures;
      expect(Array.isArray(failures)).toBe(true);
      for (const f of failures) expect(ids.has(f.itemIdentifier)).toBe(true);
    });
  }
});

describe("host rules without a server", () => {
  it("treats an unknown or missing itemIdentifier as failure of the whole batch (Lambda's rule)", () => {
    const ids = ["a", "b", "c"];
    expect([...failedMessageIds(ids, { threw: false, result: { batchItemFailures: [{ itemIdentifier: "b" }] } })]).toEqual(["b"]);
    expect(failedMessageIds(ids, { threw: false, result: { batchItemFailures: [{ itemIdentifier: "zzz" }] } }).size).toBe(3);
    expect(failedMessageIds(ids, { threw: false, result: { batchItemFailures: [{}] } }).size).toBe(3);
    expect(failedMessageIds(ids, { threw: false, result: { batchItemFailures: [] } }).size).toBe(0);
    expect(failedMessageIds(ids, { threw: false, result: undefined }).size).toBe(0);
    expect(failedMessageIds(ids, { threw: true }).size).toBe(3);
  });

  it("sends multi-value headers and cookies as repeated headers", () => {
    const reply = fromHandlerResult({
      statusCode: 302,
      headers: { Location: "/console" },
      multiValueHeaders: { Vary: ["Accept", "Cookie"] },
      cookies: ["a=1", "b=2"],
    });
    expect(reply.statusCode).toBe(302);
    expect(reply.headers).toEqual({ location: "/console", vary: ["Accept", "Cookie"], "set-cookie": ["a=1", "b=2"] });
    expect(reply.body.length).toBe(0);
  });

  it("classifies text and binary content types like API Gateway HTTP APIs (form posts arrive base64-encoded)", () => {
    expect(isTextContentType("application/json; charset=utf-8")).toBe(true);
    expect(isTextContentType("application/problem+json")).toBe(true);
    expect(isTextContentType("text/html")).toBe(true);
    expect(isTextContentType("application/x-www-form-urlencoded")).toBe(false);
    expect(isTextContentType("multipart/form-data; boundary=x")).toBe(false);
    expect(isTextContentType("application/pdf")).toBe(false);
    expect(isTextContentType(undefined)).toBe(false);
  });
});
