import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  UpdateScheduleCommand,
  type SchedulerClient,
} from "@aws-sdk/client-scheduler";
import type { OutboxDispatcher, OutboxMessage, OutboxRecord, SchedulerCall } from "../../app/ports/outbox";
import type { AppConfig } from "../../config";
import type { Table, TransactItem } from "./table";
import { putItem } from "./table";
import { logger } from "../logger";
import { isServiceUnavailable } from "./clients";
import { ConcurrentChangeError } from "../../app/errors";

/**
 * The outbox on DynamoDB: a queue message stays on record until its consumer
 * acknowledges it, so if the writer dies before the hand-off, or the queue loses it
 * (the local SQS stand-in keeps messages in memory), the relay sends it again.
 * Consumers are idempotent, so a message sent twice does no harm.
 */
export type { OutboxMessage, OutboxRecord, OutboxDispatcher };

/**
 * Records waiting for their ack are listed on gsi1 under one of `OUTBOX_PENDING_SHARDS` keys
 * (`OUTBOX#PENDING#<hash of the message id mod 16>`), so the records of every agency's commits
 * (a burst of timers firing at one moment across a province) spread over sixteen index partitions
 * instead of one; the relay reads each shard. Records written before the shards were introduced
 * sit under the plain `OUTBOX#PENDING` key, which the relay still reads (it empties as they are
 * acknowledged).
 */
export const OUTBOX_PENDING_SHARDS = 16;
const LEGACY_PENDING = "OUTBOX#PENDING";

export function pendingShard(messageId: string): number {
  let h = 0;
  for (const ch of messageId) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h % OUTBOX_PENDING_SHARDS;
}

export const pendingPartition = (shard: number) => `${LEGACY_PENDING}#${shard}`;
/** Every key the relay reads: the shards, then the key of records older than them. */
export const pendingPartitions = () => [...Array.from({ length: OUTBOX_PENDING_SHARDS }, (_, n) => pendingPartition(n)), LEGACY_PENDING];
/** A handed-off queue message not acknowledged by then is sent again (longer than SQS retries take). */
export const REDELIVER_AFTER_MS = 15 * 60_000;
/** A Scheduler call its writer did not confirm by then is made by the relay (the writer is gone). */
export const WRITER_GRACE_MS = 30_000;
const MAX_SENDS = 3;

/**
 * When the relay should look at a record: queue messages when their consumer is
 * overdue with the ack, Scheduler calls when their writer is overdue with the call.
 * Until then the writer's own hand-off (right after the commit) is trusted.
 */
function relayDueAt(record: OutboxRecord): string {
  const wait = record.message.kind === "queue" ? REDELIVER_AFTER_MS * ((record.sends ?? 0) + 1) : WRITER_GRACE_MS;
  return new Date(Date.parse(record.createdAt) + wait).toISOString();
}

export function outboxKey(messageId: string) {
  return { pk: `OUTBOX#${messageId}`, sk: "OUTBOX" };
}

/** The transaction item that records one outgoing message. */
export function outboxPut(table: Table, record: OutboxRecord): TransactItem {
  return putItem(
    table,
    {
      ...outboxKey(record.messageId),
      gsi1pk: pendingPartition(pendingShard(record.messageId)),
      gsi1sk: `${relayDueAt(record)}#${record.messageId}`,
      messageId: record.messageId,
      createdAt: record.createdAt,
      message: record.message,
    },
    "attribute_not_exists(pk)",
  );
}

export function createOutboxDispatcher(deps: {
  table: Table;
  sqs: SQSClient;
  scheduler: SchedulerClient;
  config: AppConfig;
}): OutboxDispatcher {
  const { table, sqs, scheduler, config } = deps;

  /** Idempotent, so a batch cut short is made again whole by the relay. */
  async function callScheduler(call: SchedulerCall): Promise<void> {
    if (call.kind === "unschedule") {
      try {
        await scheduler.send(new DeleteScheduleCommand({ Name: call.name, GroupName: config.scheduleGroup }));
      } catch (error) {
        if (!(error instanceof ResourceNotFoundException)) throw error;
      }
      return;
    }
    // at() wants a local time without zone; UTC keeps it unambiguous
    const expression = `at(${call.at.slice(0, 19)})`;
    const request = {
      Name: call.name,
      GroupName: config.scheduleGroup,
      ScheduleExpression: expression,
      ScheduleExpressionTimezone: "UTC",
      FlexibleTimeWindow: { Mode: "OFF" as const },
      ActionAfterCompletion: "DELETE" as const,
      Target: {
        Arn: config.timersQueueArn,
        RoleArn: config.schedulerRoleArn,
        Input: JSON.stringify(call.input),
      },
    };
    try {
      await scheduler.send(new CreateScheduleCommand(request));
    } catch (error) {
      // same name = same timer; a re-send or a moved due date updates it in place
      if (!(error instanceof ConflictException)) throw error;
      await scheduler.send(new UpdateScheduleCommand(request));
    }
  }

  async function send(record: OutboxRecord): Promise<void> {
    const { message } = record;
    switch (message.kind) {
      case "queue":
        await sqs.send(
          new SendMessageCommand({
            QueueUrl: config.queueUrls[message.queue],
            MessageBody: JSON.stringify({ ...message.body, messageId: record.messageId }),
          }),
        );
        return;
      case "scheduler":
        // in order: a timer cleared and set again under its name must end up set
        for (const call of message.calls) await callScheduler(call);
        return;
      default:
        await callScheduler(message);
    }
  }

  /** Scheduler calls are durable once they succeed; queue messages wait for their consumer's ack. */
  async function markSent(record: OutboxRecord, at: Date, byRelay: boolean): Promise<void> {
    const sends = (record.sends ?? 0) + 1;
    if (record.message.kind !== "queue" || sends >= MAX_SENDS) {
      await table.update({
        ...outboxKey(record.messageId),
        expression: "SET sentAt = :at, sends = :sends REMOVE gsi1pk, gsi1sk",
        values: { ":at": at.toISOString(), ":sends": sends },
      });
      return;
    }
    // the writer's first hand-off needs no write: the record already waits for its ack
    if (!byRelay) return;
    await table
      .update({
        ...outboxKey(record.messageId),
        expression: "SET sentAt = :at, sends = :sends, gsi1sk = :next",
        condition: "attribute_exists(gsi1pk)",
        values: { ":at": at.toISOString(), ":sends": sends, ":next": `${relayDueAt({ ...record, sends })}#${record.messageId}` },
      })
      .catch((error: unknown) => {
        // acknowledged in the meantime: nothing left to track
        if (!(error instanceof ConcurrentChangeError)) throw error;
      });
  }

  async function sendAll(records: OutboxRecord[], byRelay: boolean): Promise<number> {
    let sent = 0;
    for (const [i, record] of records.entries()) {
      try {
        await send(record);
        await markSent(record, new Date(), byRelay);
        sent++;
      } catch (error) {
        logger.warn("outbox message left for the relay", {
          messageId: record.messageId,
          kind: record.message.kind,
          error: error instanceof Error ? error.message : String(error),
        });
        // a service that does not answer would make every further record wait its time-out too: the relay sends the rest
        if (isServiceUnavailable(error)) {
          if (i + 1 < records.length) logger.warn("outbox hand-off stopped: service unavailable", { left: records.length - i - 1 });
          break;
        }
      }
    }
    return sent;
  }

  return {
    async dispatch(records) {
      // the writer's hand-off waits for its slowest message, not their sum: queue messages are unordered
      // anyway and go at once; Scheduler calls keep their order (a timer deleted and set again by one change)
      const queued = records.filter((r) => r.message.kind === "queue");
      const scheduled = records.filter((r) => r.message.kind !== "queue");
      await Promise.all([...queued.map((r) => sendAll([r], false)), sendAll(scheduled, false)]);
    },
    async acknowledge(messageId) {
      await table.update({
        ...outboxKey(messageId),
        expression: "SET ackedAt = :at REMOVE gsi1pk, gsi1sk",
        condition: "attribute_exists(pk)",
        values: { ":at": new Date().toISOString() },
      }).catch((error: unknown) => {
        // not an outbox message (e.g. a replayed DLQ message): nothing to acknowledge
        if (!(error instanceof ConcurrentChangeError)) throw error;
      });
    },
    async relayPending(before) {
      const shards = await Promise.all(
        pendingPartitions().map((pk) => table.query<OutboxRecord & { gsi1sk: string }>({ index: "gsi1", pk, skBetween: ["0", `${before.toISOString()}#~`] })),
      );
      // due order across the shards, as one partition gave it
      const pending = shards.flat().sort((a, b) => (a.gsi1sk < b.gsi1sk ? -1 : a.gsi1sk > b.gsi1sk ? 1 : 0));
      return sendAll(pending, true);
    },
  };
}
