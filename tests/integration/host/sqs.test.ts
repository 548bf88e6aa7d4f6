import { createHash, randomUUID } from "node:crypto";
import type { SQSEvent, SQSRecord } from "aws-lambda";
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { afterAll, describe, expect, inject, it, vi } from "vitest";
import { startHost } from "../../../shared/adapters/local/host";
import { fixedClock } from "../../../shared/domain/clock";
import { recorded } from "../../fixtures/handlers/recorder";

// the run's shared fauxqs (tests/support/global-setup.ts); queues are unique per test
const sqs = new SQSClient({ region: "us-east-1", endpoint: inject("sqsEndpoint"), credentials: { accessKeyId: "test", secretAccessKey: "test" } });
const created: string[] = [];

afterAll(async () => {
  await Promise.all(created.map((QueueUrl) => sqs.send(new DeleteQueueCommand({ QueueUrl })).catch(() => undefined)));
  sqs.destroy();
});

async function createQueue(name: string, attributes: Record<string, string>): Promise<{ url: string; arn: string }> {
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl ?? "";
  created.push(url);
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }))).Attributes?.QueueArn ?? "";
  return { url, arn };
}

/** A fresh queue with its DLQ, so tests never see each other's messages. */
async function queuePair(maxReceiveCount: number) {
  const id = `host-${randomUUID().slice(0, 8)}`;
  const dlq = await createQueue(`${id}-dlq`, {});
  const main = await createQueue(id, {
    VisibilityTimeout: "60",
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: String(maxReceiveCount) }),
  });
  return { main, dlq };
}

/** Messages still in the queue, visible or in flight. */
async function messagesLeft(queueUrl: string): Promise<number> {
  const res = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }),
  );
  return Number(res.Attributes?.ApproximateNumberOfMessages ?? NaN) + Number(res.Attributes?.ApproximateNumberOfMessagesNotVisible ?? NaN);
}

async function hostFor(queueUrl: string, retryDelaySeconds: number) {
  return startHost({
    functions: [
      {
        name: "batch-fixture",
        entry: "tests/fixtures/handlers/batch.ts",
        description: "fixture",
        trigger: { kind: "queue", queue: "registration", batchSize: 10 },
        grants: {},
      },
    ],
    port: 0,
    queueUrls: { registration: queueUrl, mail: "", timers: "" },
    sqs,
    clock: fixedClock("2026-01-05T00:00:00Z"),
    pollIntervalMs: 20,
    retryDelaySeconds,
    log: () => undefined,
  });
}

/** Every record the fixture handler was given from this queue, in order. */
function recordsOf(queueArn: string): SQSRecord[] {
  return recorded<SQSEvent>("sqs").flatMap((e) => e.Records.filter((r) => r.eventSourceARN === queueArn));
}

function bodiesSeen(queueArn: string, body: string): SQSRecord[] {
  return recordsOf(queueArn).filter((r) => r.body === body);
}

async function drain(queueUrl: string): Promise<string[]> {
  const res = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
  return (res.Messages ?? []).map((m) => m.Body ?? "");
}

describe("local host: SQS → Lambda batch events", () => {
  it("builds records exactly like Lambda's SQS event source", async () => {
    // Prepare
    const { main } = await queuePair(3);
    const host = await hostFor(main.url, 1);

    try {
      // Act
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: main.url,
          MessageBody: '{"caseId":"c-1","step":"registration"}',
          MessageAttributes: {
            kind: { DataType: "String", StringValue: "registration" },
            attempt: { DataType: "Number", StringValue: "1" },
            blob: { DataType: "Binary", BinaryValue: new Uint8Array([1, 2, 3]) },
          },
        }),
      );
      await vi.waitFor(() => expect(recordsOf(main.arn)).toHaveLength(1), { timeout: 5000, interval: 20 });

      // Assess
      const [record] = recordsOf(main.arn);
      expect(record).toMatchObject({
        body: '{"caseId":"c-1","step":"registration"}',
        eventSource: "aws:sqs",
        eventSourceARN: main.arn,
        awsRegion: "us-east-1",
        md5OfBody: createHash("md5").update('{"caseId":"c-1","step":"registration"}').digest("hex"),
        messageAttributes: {
          kind: { stringValue: "registration", stringListValues: [], binaryListValues: [], dataType: "String" },
          attempt: { stringValue: "1", stringListValues: [], binaryListValues: [], dataType: "Number" },
          blob: { binaryValue: "AQID", stringListValues: [], binaryListValues: [], dataType: "Binary" },
        },
      });
      expect(record?.messageId).toMatch(/^[0-9a-f-]{36}$/);
      expect(record?.receiptHandle).toBeTruthy();
      expect(record?.attributes.ApproximateReceiveCount).toBe("1");
      expect(Number(record?.attributes.SentTimestamp)).toBeGreaterThan(0);
      expect(Number(record?.attributes.ApproximateFirstReceiveTimestamp)).toBeGreaterThanOrEqual(Number(record?.attributes.SentTimestamp));
      expect(record?.attributes.SenderId).toBeTruthy();
      await vi.waitFor(async () => expect(await messagesLeft(main.url)).toBe(0), { timeout: 2000, interval: 20 });
    } finally {
      await host.stop();
    }
  });

  it("deletes the successful records of a batch and retries only the reported failure", async () => {
    // Prepare
    const { main } = await queuePair(5);
    const host = await hostFor(main.url, 1);

    try {
      // Act
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: main.url,
          Entries: [
            { Id: "a", MessageBody: "ok-1" },
            { Id: "b", MessageBody: "fail" },
            { Id: "c", MessageBody: "ok-2" },
          ],
        }),
      );
      await vi.waitFor(() => expect(bodiesSeen(main.arn, "fail").length).toBeGreaterThanOrEqual(2), { timeout: 6000, interval: 20 });

      // Assess
      expect(bodiesSeen(main.arn, "ok-1")).toHaveLength(1);
      expect(bodiesSeen(main.arn, "ok-2")).toHaveLength(1);
      expect(bodiesSeen(main.arn, "fail").map((r) => r.attributes.ApproximateReceiveCount).slice(0, 2)).toEqual(["1", "2"]);
      expect(await messagesLeft(main.url)).toBe(1);
    } finally {
      await host.stop();
    }
  });

  it("deletes nothing when the handler throws, so the whole batch is retried", async () => {
    // Prepare
    const { main, dlq } = await queuePair(2);
    const host = await hostFor(main.url, 0);

    try {
      // Act
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: main.url,
          Entries: [
            { Id: "a", MessageBody: "throw" },
            { Id: "b", MessageBody: "innocent" },
          ],
        }),
      );
      await vi.waitFor(() => expect(bodiesSeen(main.arn, "innocent").length).toBeGreaterThanOrEqual(2), { timeout: 6000, interval: 20 });

      // Assess: the innocent record was not deleted; after maxReceiveCount both reach the DLQ
      const inDlq: string[] = [];
      await vi.waitFor(
        async () => {
          inDlq.push(...(await drain(dlq.url)));
          expect(inDlq.sort()).toEqual(["innocent", "throw"]);
        },
        { timeout: 6000, interval: 50 },
      );
    } finally {
      await host.stop();
    }
  });

  it("moves a message that always fails to the DLQ after maxReceiveCount receives", async () => {
    // Prepare
    const maxReceiveCount = 3;
    const { main, dlq } = await queuePair(maxReceiveCount);
    const host = await hostFor(main.url, 1);

    try {
      // Act
      await sqs.send(new SendMessageCommand({ QueueUrl: main.url, MessageBody: "fail" }));
      const inDlq: string[] = [];
      await vi.waitFor(
        async () => {
          inDlq.push(...(await drain(dlq.url)));
          expect(inDlq).toEqual(["fail"]);
        },
        { timeout: 10_000, interval: 100 },
      );

      // Assess
      expect(bodiesSeen(main.arn, "fail").map((r) => r.attributes.ApproximateReceiveCount)).toEqual(["1", "2", "3"]);
      expect(await messagesLeft(main.url)).toBe(0);
    } finally {
      await host.stop();
    }
  }, 15_000);
});
