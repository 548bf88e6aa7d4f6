import { randomUUID } from "node:crypto";
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  type Message,
} from "@aws-sdk/client-sqs";
import { z } from "zod";
import { afterAll, describe, expect, inject, it, vi } from "vitest";
import { queueConsumer } from "../../../shared/adapters/aws/queue-consumer";
import { startHost } from "../../../shared/adapters/local/host";
import { toSqsEvent } from "../../../shared/adapters/local/host-sqs";
import { fixedClock } from "../../../shared/domain/clock";
import { queues, retryDelayAfter, retryDelaysSeconds } from "../../../shared/manifest";

/**
 * Backoff of failed messages on the SQS stand-in: the consumer gives a failed record the
 * manifest's visibility for its receive count, and the local host leaves that alone (its
 * own short retry delay is only for handlers that set none).
 */
const sqsEndpoint = inject("sqsEndpoint");
const sqs = new SQSClient({ region: "us-east-1", endpoint: sqsEndpoint, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
const created: string[] = [];

afterAll(async () => {
  await Promise.all(created.map((QueueUrl) => sqs.send(new DeleteQueueCommand({ QueueUrl })).catch(() => undefined)));
  sqs.destroy();
});

/** A fresh queue (with a DLQ after the manifest's maxReceiveCount), unknown to any configuration: the consumer must look its URL up. */
async function freshQueue(): Promise<{ url: string; arn: string; name: string }> {
  const name = `retry-${randomUUID().slice(0, 8)}`;
  const dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }))).QueueUrl!;
  const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
  const url = (
    await sqs.send(
      new CreateQueueCommand({
        QueueName: name,
        Attributes: { VisibilityTimeout: "60", RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: queues.mail!.maxReceiveCount }) },
      }),
    )
  ).QueueUrl!;
  created.push(url, dlqUrl);
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
  return { url, arn, name };
}

/** When each in-flight message of the queue becomes visible again (epoch ms), from the stand-in's inspection endpoint. */
async function visibleAgainAt(queueName: string): Promise<number[]> {
  const res = await fetch(`${sqsEndpoint}/_fauxqs/queues/${queueName}`);
  const body = (await res.json()) as { messages: { inflight: Array<{ visibilityDeadline: number }> } };
  return body.messages.inflight.map((m) => m.visibilityDeadline);
}

async function receiveOne(url: string): Promise<Message> {
  const res = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 1, WaitTimeSeconds: 1, MessageSystemAttributeNames: ["All"] }));
  const [m] = res.Messages ?? [];
  if (!m) throw new Error("no message");
  return m;
}

const context = { getRemainingTimeInMillis: () => 30_000 } as Context;
const failing = queueConsumer("retry-test", z.object({ n: z.number() }), async () => Promise.reject(new Error("store unavailable")), undefined, { sqs: () => sqs });

describe("retries that outlast a short outage", () => {
  it("the schedule: 10 s, 30 s, 90 s, 5 min, then the dead-letter queue, five tries over 7 min 10 s", () => {
    expect(retryDelaysSeconds).toEqual([10, 30, 90, 300]);
    expect([1, 2, 3, 4, 5].map(retryDelayAfter)).toEqual([10, 30, 90, 300, 0]);
    for (const spec of Object.values(queues)) expect(spec.maxReceiveCount).toBe(retryDelaysSeconds.length + 1);
    expect(retryDelaysSeconds.reduce((a, b) => a + b, 0)).toBe(430);
  });

  it.each([1, 2, 3, 4])("a record that failed its delivery no. %i stays hidden for the backoff of that delivery", async (receiveCount) => {
    // Prepare: a real message in flight, its delivery counted as the n-th
    const q = await freshQueue();
    await sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: JSON.stringify({ n: receiveCount }) }));
    const m = await receiveOne(q.url);
    const event = toSqsEvent([m], q.arn);
    event.Records[0]!.attributes.ApproximateReceiveCount = String(receiveCount);

    // Act: (a batch whose every record failed fails the invocation, as Lambda's Powertools do)
    const before = Date.now();
    await expect(failing(event, context)).rejects.toThrow("All records failed processing");

    // Assess: visible again after the manifest's delay (not the queue's 60 s)
    const [deadline] = await visibleAgainAt(q.name);
    const expected = retryDelayAfter(receiveCount) * 1000;
    expect(deadline! - before).toBeGreaterThanOrEqual(expected - 1000);
    expect(deadline! - Date.now()).toBeLessThanOrEqual(expected + 1000);
  });

  it("a record that failed its last try is let go at once, so SQS dead-letters it on the next receive", async () => {
    const q = await freshQueue();
    await sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: JSON.stringify({ n: 5 }) }));
    const m = await receiveOne(q.url);
    const event = toSqsEvent([m], q.arn);
    event.Records[0]!.attributes.ApproximateReceiveCount = String(queues.mail!.maxReceiveCount);

    await expect(failing(event, context)).rejects.toThrow("All records failed processing");

    expect(await visibleAgainAt(q.name)).toEqual([]);
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: q.url, AttributeNames: ["ApproximateNumberOfMessages"] }));
    expect(attrs.Attributes?.ApproximateNumberOfMessages).toBe("1");
  });

  it("in a batch, only the failed record is backed off and reported; the others are done", async () => {
    // Prepare: two messages in flight, the first fails
    const q = await freshQueue();
    await sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: JSON.stringify({ n: 1 }) }));
    await sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: JSON.stringify({ n: 0 }) }));
    const batch = [await receiveOne(q.url), await receiveOne(q.url)];
    const failed = batch.find((m) => m.Body === JSON.stringify({ n: 1 }))!;
    const someFail = queueConsumer(
      "retry-test",
      z.object({ n: z.number() }),
      async ({ n }) => (n > 0 ? Promise.reject(new Error("store unavailable")) : "done"),
      undefined,
      { sqs: () => sqs },
    );

    // Act
    const result = (await someFail(toSqsEvent(batch, q.arn), context)) as SQSBatchResponse;

    // Assess: the done one keeps the queue's 60 s (Lambda deletes it), the failed one got 10 s
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: failed.MessageId }]);
    const deadlines = (await visibleAgainAt(q.name)).map((d) => Math.round((d - Date.now()) / 1000)).sort((a, b) => a - b);
    expect(deadlines).toEqual([10, 60]);
  });

  it("the local host keeps a consumer's backoff, and gives its own short delay only to a handler that set none", async () => {
    // Prepare: two queue-triggered functions, one a queue consumer, one a bare handler; both always fail
    const withBackoff = await freshQueue();
    const bare = await freshQueue();
    const logs: Array<Record<string, unknown>> = [];
    const bareHandler = async (_event: SQSEvent) => Promise.reject(new Error("down"));
    const host = await startHost({
      functions: [
        { name: "consumer", entry: "-", description: "queueConsumer", trigger: { kind: "queue", queue: "a", batchSize: 10 }, grants: {} },
        { name: "bare", entry: "-", description: "bare handler", trigger: { kind: "queue", queue: "b", batchSize: 10 }, grants: {} },
      ],
      port: 0,
      queueUrls: { a: withBackoff.url, b: bare.url },
      sqs,
      clock: fixedClock("2026-03-02T02:00:00Z"),
      // the consumer finds its queue with its own client (the host's SDK endpoint is the stand-in's)
      loadHandler: async (spec) =>
        spec.name === "consumer"
          ? queueConsumer("consumer", z.object({ n: z.number() }), async () => Promise.reject(new Error("down")), undefined, { sqs: () => sqs })
          : bareHandler,
      retryDelaySeconds: 2,
      log: (entry) => logs.push(entry),
    });
    try {
      // Act
      const before = Date.now();
      await sqs.send(new SendMessageCommand({ QueueUrl: withBackoff.url, MessageBody: JSON.stringify({ n: 1 }) }));
      await sqs.send(new SendMessageCommand({ QueueUrl: bare.url, MessageBody: JSON.stringify({ n: 1 }) }));
      await vi.waitFor(
        () => {
          const batches = logs.filter((l) => l.msg === "sqs batch");
          expect(batches.filter((l) => l.function === "consumer" && l.failed === 1)).toHaveLength(1);
          expect(batches.filter((l) => l.function === "bare" && l.failed === 1).length).toBeGreaterThanOrEqual(1);
        },
        { timeout: 10_000, interval: 20 },
      );

      // Assess: the consumer's 10 s held; the bare handler got the host's 2 s
      const [consumerDeadline] = await visibleAgainAt(withBackoff.name);
      expect(consumerDeadline! - before).toBeGreaterThanOrEqual(9_000);
      expect(logs.find((l) => l.function === "consumer" && l.msg === "sqs batch")).toMatchObject({ backedOffByConsumer: 1 });
      const [bareDeadline] = await visibleAgainAt(bare.name);
      expect(bareDeadline! - Date.now()).toBeLessThanOrEqual(2_000);
    } finally {
      await host.stop();
    }
  });
});
