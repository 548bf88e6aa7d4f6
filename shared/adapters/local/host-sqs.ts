/**
 * SQS event source mapping for the local host: poll a queue, hand batches to
 * the handler as Lambda's SQSEvent, honour ReportBatchItemFailures.
 */
import type { Message, MessageAttributeValue, SQSClient } from "@aws-sdk/client-sqs";
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
} from "@aws-sdk/client-sqs";
import type { SQSEvent, SQSMessageAttributes, SQSRecord, SQSRecordAttributes } from "aws-lambda";
import { takeVisibilitySet } from "../aws/queue-consumer";
import { LOCAL_REGION } from "./host-lambda";

export function toLambdaMessageAttributes(attrs: Record<string, MessageAttributeValue> | undefined): SQSMessageAttributes {
  const out: SQSMessageAttributes = {};
  const b64 = (u: Uint8Array) => Buffer.from(u).toString("base64");
  for (const [name, a] of Object.entries(attrs ?? {})) {
    // Lambda's shape: camelCase, binary as base64, list fields always present
    const v: SQSMessageAttributes[string] = {
      stringListValues: a.StringListValues ?? [],
      binaryListValues: (a.BinaryListValues ?? []).map(b64),
      dataType: a.DataType ?? "String",
    };
    if (a.StringValue !== undefined) v.stringValue = a.StringValue;
    if (a.BinaryValue !== undefined) v.binaryValue = b64(a.BinaryValue);
    out[name] = v;
  }
  return out;
}

export function regionOfArn(arn: string): string {
  return arn.split(":")[3] || LOCAL_REGION;
}

export function toSqsEvent(messages: Message[], queueArn: string): SQSEvent {
  const awsRegion = regionOfArn(queueArn);
  return {
    Records: messages.map((m): SQSRecord => {
      const record: SQSRecord = {
        messageId: m.MessageId ?? "",
        receiptHandle: m.ReceiptHandle ?? "",
        body: m.Body ?? "",
        attributes: (m.Attributes ?? {}) as unknown as SQSRecordAttributes,
        messageAttributes: toLambdaMessageAttributes(m.MessageAttributes),
        md5OfBody: m.MD5OfBody ?? "",
        eventSource: "aws:sqs",
        eventSourceARN: queueArn,
        awsRegion,
      };
      if (m.MD5OfMessageAttributes) record.md5OfMessageAttributes = m.MD5OfMessageAttributes;
      return record;
    }),
  };
}

/**
 * Which message ids failed, by Lambda's ReportBatchItemFailures rules: a throw
 * fails all; a `batchItemFailures` entry with a missing or unknown id fails
 * all; any other response (including none) means every message succeeded.
 */
export function failedMessageIds(ids: string[], outcome: { threw: true } | { threw: false; result: unknown }): Set<string> {
  if (outcome.threw) return new Set(ids);
  const r = outcome.result;
  if (typeof r !== "object" || r === null || !("batchItemFailures" in r)) return new Set();
  const list = (r as { batchItemFailures: unknown }).batchItemFailures;
  if (!Array.isArray(list)) return new Set();
  const known = new Set(ids);
  const failed = new Set<string>();
  for (const item of list as unknown[]) {
    const id = typeof item === "object" && item !== null ? (item as { itemIdentifier?: unknown }).itemIdentifier : undefined;
    if (typeof id !== "string" || !known.has(id)) return new Set(ids);
    failed.add(id);
  }
  return failed;
}

export interface PollerOptions {
  sqs: SQSClient;
  queueUrl: string;
  batchSize: number;
  waitTimeSeconds: number;
  pollIntervalMs: number;
  /** visibility timeout of a failed message whose consumer set none (a consumer's own backoff is left alone) */
  retryDelaySeconds: number;
  /** runs the handler; resolves with its result or rejects with its error */
  run(event: SQSEvent): Promise<unknown>;
  log(entry: Record<string, unknown>): void;
}

export interface Poller {
  stop(timeoutMs: number): Promise<void>;
}

/**
 * One loop per queue-triggered function, one batch at a time: like a Lambda
 * with reserved concurrency 1. Keeps the local order of effects easy to
 * follow and leaves the second core to the stand-ins.
 */
export function startPoller(opts: PollerOptions): Poller {
  let stopped = false;
  let wake: (() => void) | undefined;
  const pause = (ms: number) =>
    new Promise<void>((res) => {
      const t = setTimeout(res, ms);
      wake = () => {
        clearTimeout(t);
        res();
      };
    });

  const loop = (async () => {
    let queueArn: string | undefined;
    while (!stopped) {
      try {
        queueArn ??= (
          await opts.sqs.send(new GetQueueAttributesCommand({ QueueUrl: opts.queueUrl, AttributeNames: ["QueueArn"] }))
        ).Attributes?.QueueArn;
        if (!queueArn) throw new Error(`queue ${opts.queueUrl} has no QueueArn`);
        const received = await opts.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: opts.queueUrl,
            MaxNumberOfMessages: Math.min(10, Math.max(1, opts.batchSize)),
            WaitTimeSeconds: opts.waitTimeSeconds,
            MessageSystemAttributeNames: ["All"],
            MessageAttributeNames: ["All"],
          }),
        );
        const messages = received.Messages ?? [];
        if (messages.length === 0) {
          if (!stopped) await pause(opts.pollIntervalMs);
          continue;
        }
        await processBatch(messages, queueArn);
      } catch (err) {
        opts.log({ level: "ERROR", msg: "sqs poll failed", queueUrl: opts.queueUrl, error: String(err) });
        if (!stopped) await pause(Math.max(opts.pollIntervalMs, 1000));
      }
    }
  })();

  async function processBatch(messages: Message[], queueArn: string): Promise<void> {
    const event = toSqsEvent(messages, queueArn);
    const ids = messages.map((m) => m.MessageId ?? "");
    let outcome: { threw: true } | { threw: false; result: unknown };
    try {
      outcome = { threw: false, result: await opts.run(event) };
    } catch (err) {
      opts.log({ level: "ERROR", msg: "sqs batch failed", queueUrl: opts.queueUrl, size: messages.length, error: String(err) });
      outcome = { threw: true };
    }
    const failed = failedMessageIds(ids, outcome);
    const done = messages.filter((m) => !failed.has(m.MessageId ?? ""));
    // Lambda leaves a failed message's visibility to the queue, or to the consumer that set one
    // (queue-consumer.ts: the manifest's backoff); taken for every message so none is left behind
    const setByConsumer = new Set(messages.filter((m) => takeVisibilitySet(m.ReceiptHandle ?? "") !== undefined).map((m) => m.MessageId ?? ""));
    const retry = messages.filter((m) => failed.has(m.MessageId ?? "") && !setByConsumer.has(m.MessageId ?? ""));
    if (done.length > 0) {
      const res = await opts.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: opts.queueUrl,
          Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
        }),
      );
      if (res.Failed && res.Failed.length > 0) {
        opts.log({ level: "WARN", msg: "sqs delete failed", queueUrl: opts.queueUrl, failed: res.Failed.length });
      }
    }
    if (retry.length > 0) {
      // Shorten the wait before the retry (the queue's own timeout is 60 s) so a failing
      // message of a handler without its own backoff reaches its DLQ within seconds.
      await opts.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: opts.queueUrl,
          Entries: retry.map((m, i) => ({
            Id: String(i),
            ReceiptHandle: m.ReceiptHandle,
            VisibilityTimeout: opts.retryDelaySeconds,
          })),
        }),
      );
    }
    opts.log({ level: "INFO", msg: "sqs batch", queueUrl: opts.queueUrl, size: messages.length, failed: failed.size, backedOffByConsumer: setByConsumer.size });
  }

  return {
    async stop(timeoutMs) {
      stopped = true;
      wake?.();
      let timer: NodeJS.Timeout | undefined;
      const bounded = new Promise<void>((res) => {
        timer = setTimeout(res, timeoutMs);
      });
      await Promise.race([loop, bounded]);
      clearTimeout(timer);
    },
  };
}
