import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { ChangeMessageVisibilityCommand, GetQueueUrlCommand } from "@aws-sdk/client-sqs";
import type { SQSClient } from "@aws-sdk/client-sqs";
import type { SQSEvent, SQSRecord, Context, SQSBatchResponse } from "aws-lambda";
import type { z } from "zod";
import { loadConfig } from "../../config";
import { retryDelayAfter } from "../../manifest";
import { logger } from "../logger";
import { awsClients } from "./clients";

/** Which delivery of a message a handler is working on, so it can tell a live holder of a claim from a dead one. */
export interface Delivery {
  /** SQS's id of the message: the same on each of its redeliveries (a relayed copy gets a new one) */
  sqsMessageId: string;
  /** ApproximateReceiveCount: 1 on the first delivery, one more on each redelivery */
  receiveCount: number;
  /** the wall-clock moment by which this invocation is over: Lambda stops it at its timeout */
  endsBy: Date;
}

export interface QueueConsumerOptions {
  /** default: the process's SDK client (awsClients) */
  sqs?: () => SQSClient;
}

/**
 * A queue consumer: validates each message with its schema and reports partial batch
 * failures. A message that can never be processed (bad shape) is final: logged and
 * acknowledged. Anything thrown by `handle` is retryable: the message returns to the
 * queue after the manifest's backoff for its receive count (retryDelayAfter, set here with
 * ChangeMessageVisibility, since Lambda itself leaves a failed record to the queue's
 * visibility timeout), and after maxReceiveCount tries lands in the dead-letter queue.
 */
export function queueConsumer<S extends z.ZodType>(
  name: string,
  schema: S,
  handle: (message: z.output<S>, record: SQSRecord, delivery: Delivery) => Promise<string>,
  /** tells the outbox the message was processed, so it is not re-sent */
  acknowledge?: (messageId: string) => Promise<void>,
  options: QueueConsumerOptions = {},
) {
  const processor = new BatchProcessor(EventType.SQS);
  const sqs = options.sqs ?? (() => awsClients().sqs);
  const recordHandler = async (record: SQSRecord, context?: Context): Promise<void> => {
    let body: unknown;
    try {
      body = JSON.parse(record.body);
    } catch {
      body = undefined;
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      logger.error("unprocessable message dropped", { consumer: name, correlationId: record.messageId, messageId: record.messageId });
      return;
    }
    const receiveCount = receiveCountOf(record);
    const delivery: Delivery = {
      sqsMessageId: record.messageId,
      receiveCount,
      // without a context nothing bounds the run: assume Lambda's longest (15 min), never less
      endsBy: new Date(Date.now() + (context?.getRemainingTimeInMillis() ?? 900_000)),
    };
    const outboxId = (parsed.data as { messageId?: string }).messageId;
    let outcome: string;
    try {
      outcome = await handle(parsed.data, record, delivery);
      if (acknowledge && outboxId) await acknowledge(outboxId);
    } catch (error) {
      await backOff(sqs(), name, record, receiveCount);
      throw error;
    }
    logger.info("message processed", {
      consumer: name,
      correlationId: outboxId ?? record.messageId,
      messageId: record.messageId,
      outcome,
      caseId: (parsed.data as { caseId?: string }).caseId,
      receiveCount,
    });
  };
  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
    processPartialResponse(event, recordHandler, processor, { context });
}

function receiveCountOf(record: SQSRecord): number {
  const n = Number(record.attributes?.ApproximateReceiveCount);
  return Number.isInteger(n) && n >= 1 ? n : 1;
}

/**
 * Sets a failed record's visibility to the manifest's backoff for its receive count. Best
 * effort: if SQS refuses (an outage of its own), the message comes back after the queue's
 * visibility timeout, which is merely the old behaviour.
 */
async function backOff(sqs: SQSClient, consumer: string, record: SQSRecord, receiveCount: number): Promise<void> {
  const seconds = retryDelayAfter(receiveCount);
  try {
    const queueUrl = await queueUrlOf(sqs, record.eventSourceARN);
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: record.receiptHandle, VisibilityTimeout: seconds }));
    noteVisibility(record.receiptHandle, seconds);
    logger.warn(seconds > 0 ? "message failed, retried later" : "message failed its last try, dead-lettered next", {
      consumer,
      messageId: record.messageId,
      receiveCount,
      retryInSeconds: seconds,
    });
  } catch (error) {
    logger.warn("message failed; could not set its retry delay", {
      consumer,
      messageId: record.messageId,
      receiveCount,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

const urlsByArn = new Map<string, string>();

/**
 * The queue URL of a record's queue (the event names only its ARN). A function's own
 * queue is rarely among its configured URLs (those are the queues it sends to), so
 * GetQueueUrl answers the rest, once per queue: the event source mapping's grant on the
 * function's own queue includes it (and ChangeMessageVisibility).
 */
async function queueUrlOf(sqs: SQSClient, arn: string): Promise<string> {
  const known = urlsByArn.get(arn);
  if (known) return known;
  const [, , , , account, queueName] = arn.split(":");
  if (!queueName) throw new Error(`not a queue ARN: ${arn}`);
  let url = Object.values(loadConfig().queueUrls).find((u) => u && u.split("/").pop() === queueName);
  if (!url) url = (await sqs.send(new GetQueueUrlCommand({ QueueName: queueName, QueueOwnerAWSAccountId: account || undefined }))).QueueUrl;
  if (!url) throw new Error(`no URL for queue ${queueName}`);
  urlsByArn.set(arn, url);
  return url;
}

/**
 * Visibility timeouts this process's consumers gave failed records, by receipt handle.
 * Lambda leaves a failed record's visibility alone; the local host (host-sqs.ts) gives
 * failed messages a short retry delay of its own, and reads this so it does not override
 * the consumer's backoff. On globalThis, so a second copy of this module (a bundle) shares
 * it; bounded, since on Lambda nobody takes the entries.
 */
const NOTES = Symbol.for("gongkai.queue-consumer.visibility");
const MAX_NOTES = 10_000;

function notes(): Map<string, number> {
  const g = globalThis as { [NOTES]?: Map<string, number> };
  return (g[NOTES] ??= new Map());
}

function noteVisibility(receiptHandle: string, seconds: number): void {
  const all = notes();
  all.set(receiptHandle, seconds);
  if (all.size > MAX_NOTES) all.delete(all.keys().next().value!);
}

/** The visibility timeout a consumer set on this delivery after it failed, if it set one; forgets it. */
export function takeVisibilitySet(receiptHandle: string): number | undefined {
  const all = notes();
  const seconds = all.get(receiptHandle);
  all.delete(receiptHandle);
  return seconds;
}
