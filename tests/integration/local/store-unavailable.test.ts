import { createServer, connect } from "node:net";
import type { Server, Socket } from "node:net";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { readFileSync } from "node:fs";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { CreateQueueCommand, DeleteQueueCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ServiceUnavailableError } from "../../../shared/app/errors";
import { awsClients, createDocumentClient, sdkClientConfig, sdkTimeouts, withUnavailableAs503 } from "../../../shared/adapters/aws/clients";
import { createTable } from "../../../shared/adapters/aws/table";
import { createCalendarStore } from "../../../shared/adapters/aws/calendar-store";
import { createS3FileStore, s3Client } from "../../../shared/adapters/aws/file-store";
import { buildAppDeps } from "../../../shared/adapters/aws/app-deps";
import { freePort } from "../../../shared/adapters/local/dynamodb-local";
import { createHttpHandler } from "../../../shared/http/http";
import { renderErrorPage } from "../../../shared/http/error-pages";
import { portalRoutes } from "../../../functions/http/public-portal";
import { startTestStack, type TestStack } from "../../support/stack";
import { seededDeps, serviceCenter, validApplication } from "../../support/app";

/**
 * A store that does not answer — stopped (SIGSTOP), unreachable or dead — must cost a
 * request a bounded time and end as 503 with Retry-After, never a hang or a 500; and a
 * write that was applied although its answer never came must not become a second
 * application when the client retries with its Idempotency-Key.
 */

const region = "us-east-1";
const credentials = { accessKeyId: "test", secretAccessKey: "test" };
const ddbBudgetMs = sdkTimeouts.dynamodb.maxAttempts * sdkTimeouts.dynamodb.requestTimeout;

/** Accepts connections and never answers: what a SIGSTOPped DynamoDB Local looks like from outside. */
async function blackHole(): Promise<{ endpoint: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on("error", () => undefined);
    s.resume();
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const port = (server.address() as { port: number }).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((ok) => {
        for (const s of sockets) s.destroy();
        server.close(() => ok());
      }),
  };
}

/**
 * Forwards to DynamoDB Local; while `hold` is on, the answer to a TransactWriteItems is
 * swallowed: the write is applied, the writer never learns it.
 */
async function losingProxy(upstream: string): Promise<{ endpoint: string; hold: boolean; close(): Promise<void> }> {
  const target = new URL(upstream);
  const sockets = new Set<Socket>();
  const state = { hold: false };
  const server = createServer((client) => {
    const up = connect(Number(target.port), target.hostname);
    sockets.add(client).add(up);
    let swallow = false;
    client.on("data", (chunk: Buffer) => {
      if (state.hold && chunk.includes("DynamoDB_20120810.TransactWriteItems")) swallow = true;
      up.write(chunk);
    });
    up.on("data", (chunk: Buffer) => {
      if (!swallow) client.write(chunk);
    });
    const end = () => {
      client.destroy();
      up.destroy();
    };
    client.on("close", end).on("error", end);
    up.on("close", end).on("error", end);
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const port = (server.address() as { port: number }).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get hold() {
      return state.hold;
    },
    set hold(v: boolean) {
      state.hold = v;
    },
    close: () =>
      new Promise<void>((ok) => {
        for (const s of sockets) s.destroy();
        server.close(() => ok());
      }),
  };
}

async function timed<T>(p: Promise<T>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  try {
    await p;
    return { error: undefined, ms: performance.now() - started };
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
}

function expectUnavailable(error: unknown) {
  expect(error).toBeInstanceOf(ServiceUnavailableError);
  const e = error as ServiceUnavailableError;
  expect(e.status).toBe(503);
  expect(e.retryAfterSeconds).toBeGreaterThan(0);
  expect(e.message).toMatch(/[\u4e00-\u9fff]/);
}

let hole: Awaited<ReturnType<typeof blackHole>>;
beforeAll(async () => {
  hole = await blackHole();
});
afterAll(async () => {
  await hole?.close();
});

describe("a store that does not answer", () => {
  it("ends every table call, read or write, as ServiceUnavailableError within the SDK budget", async () => {
    // Prepare: the production budgets, pointed at a store that accepts and stays silent
    const doc = createDocumentClient(new DynamoDBClient({ ...sdkClientConfig("dynamodb"), endpoint: hole.endpoint, region, credentials }));
    const table = createTable(doc, "gongkai");

    // Act
    const [get, query, put, transact] = await Promise.all([
      timed(table.get("CASE#1", "CASE")),
      timed(table.query({ pk: "AGENCY#1" })),
      timed(table.put({ pk: "A", sk: "B" }, { expression: "attribute_not_exists(pk)" })),
      timed(table.transact([{ Put: { TableName: "gongkai", Item: { pk: "A", sk: "B" } } }])),
    ]);

    // Assess: both attempts ran out, and not much later than that
    for (const r of [get, query, put, transact]) {
      expectUnavailable(r.error);
      expect(r.ms).toBeGreaterThanOrEqual(ddbBudgetMs - 100);
      expect(r.ms).toBeLessThan(ddbBudgetMs + 1_500);
    }
    doc.destroy();
  }, 20_000);

  it("answers a dead store (connection refused) with ServiceUnavailableError at once", async () => {
    // Prepare: a port nothing listens on
    const port = await freePort();
    const doc = createDocumentClient(new DynamoDBClient({ ...sdkClientConfig("dynamodb"), endpoint: `http://127.0.0.1:${port}`, region, credentials }));

    // Act
    const r = await timed(createTable(doc, "gongkai").get("CASE#1", "CASE"));

    // Assess
    expectUnavailable(r.error);
    expect(r.ms).toBeLessThan(1_500);
    doc.destroy();
  });

  it("maps the same failures for every client awsClients() makes: calendar store and files bucket too, while long polls are not cut", async () => {
    // Prepare: the handlers' clients, as the local stack points them (DynamoDB and S3 silent, SQS the real stand-in)
    Object.assign(process.env, {
      AWS_REGION: region,
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      AWS_ENDPOINT_URL_DYNAMODB: hole.endpoint,
      AWS_ENDPOINT_URL_S3: hole.endpoint,
      AWS_ENDPOINT_URL_SQS: inject("sqsEndpoint"),
    });
    const clients = awsClients();
    const { QueueUrl } = await clients.sqs.send(new CreateQueueCommand({ QueueName: `long-poll-${Date.now()}` }));
    const waitSeconds = Math.ceil(sdkTimeouts.sqs.requestTimeout / 1000) + 1;

    // Act
    const [calendar, file, poll] = await Promise.all([
      timed(createCalendarStore({ doc: clients.doc, tableName: "gongkai" }).listEntered()),
      timed(createS3FileStore(s3Client(), "gongkai-files").get("letters/x.docx")),
      timed(clients.sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: waitSeconds }))),
    ]);

    // Assess
    expectUnavailable(calendar.error);
    expectUnavailable(file.error);
    expect(file.ms).toBeLessThan(sdkTimeouts.s3.maxAttempts * sdkTimeouts.s3.requestTimeout + 1_500);
    expect(poll.error).toBeUndefined();
    expect(poll.ms).toBeGreaterThanOrEqual(waitSeconds * 1000 - 200);
    await clients.sqs.send(new DeleteQueueCommand({ QueueUrl }));
  }, 30_000);
});

describe("a write applied whose answer was lost", () => {
  let stack: TestStack;
  let proxy: Awaited<ReturnType<typeof losingProxy>>;
  beforeAll(async () => {
    stack = await startTestStack();
    proxy = await losingProxy(inject("dynamoEndpoint"));
  });
  afterAll(async () => {
    await proxy?.close();
    await stack?.stop();
  });

  it("is found, not repeated, when the client retries POST /api/v1/applications with the same Idempotency-Key", async () => {
    // Prepare: the portal over a store whose transaction answers are lost while `hold` is on
    const deps = await seededDeps(stack);
    const ddb = withUnavailableAs503(new DynamoDBClient({ ...sdkClientConfig("dynamodb"), endpoint: proxy.endpoint, region, credentials }), "dynamodb");
    const proxied = buildAppDeps({ doc: createDocumentClient(ddb), sqs: stack.sqs, scheduler: stack.scheduler, files: createS3FileStore(stack.s3, stack.config.filesBucket), config: stack.config, clock: stack.clock });
    const handler = createHttpHandler(portalRoutes(() => proxied), { renderErrorPage });
    const fixture = JSON.parse(readFileSync(new URL("../../fixtures/events/apigw/post-application-json.json", import.meta.url), "utf8")) as APIGatewayProxyEventV2;
    const marker = `停顿期间提交的申请 ${Date.now()}`;
    const key = `outage-${Date.now().toString(36)}`;
    const post = () =>
      handler({
        ...fixture,
        headers: { ...fixture.headers, "idempotency-key": key },
        body: JSON.stringify(validApplication({ description: marker })),
        isBase64Encoded: false,
      });

    // Act
    proxy.hold = true;
    const first = await post();
    proxy.hold = false;
    const claimAfterFirst = await deps.store.claims.get(`idem#applications#${key}`);
    const retry = await post();
    const again = await post();

    // Assess: the first client saw 503 although its application was stored; the retries get that application
    expect(first.statusCode).toBe(503);
    expect(first.headers?.["retry-after"]).toBe("5");
    expect(JSON.parse(first.body ?? "{}").error.message).toMatch(/[\u4e00-\u9fff]/);
    expect(claimAfterFirst).toBeDefined();
    expect(retry.statusCode).toBe(201);
    const body = JSON.parse(retry.body ?? "{}") as { trackingNumber: string; accessCode: string };
    expect(body.trackingNumber).toBe((claimAfterFirst as { response: { trackingNumber: string } }).response.trackingNumber);
    expect(JSON.parse(again.body ?? "{}")).toEqual(body);
    const stored = (await deps.store.cases.listOpen(serviceCenter)).filter((c) => JSON.stringify(c.data).includes(marker));
    expect(stored).toHaveLength(1);
    expect(stored[0]?.reference).toBe(body.trackingNumber);
    ddb.destroy();
  }, 30_000);
});
