import type { QueueName } from "../../manifest";

/**
 * Transactional outbox: every message a state change must send is written in the same
 * commit as the change, then handed on right after it (see shared/adapters/aws/outbox.ts).
 */
/** a one-time Scheduler schedule that sends `input` to the timers queue at `at`, or its removal */
export type SchedulerCall = { kind: "schedule"; name: string; at: string; input: Record<string, unknown> } | { kind: "unschedule"; name: string };

export type OutboxMessage =
  | { kind: "queue"; queue: QueueName; body: Record<string, unknown> }
  | SchedulerCall
  /** every Scheduler call of one commit, made in order: one record to write and mark, not one per timer */
  | { kind: "scheduler"; calls: SchedulerCall[] };

export interface OutboxRecord {
  messageId: string;
  createdAt: string;
  message: OutboxMessage;
  sentAt?: string;
  /** hand-offs so far; the relay gives up after its limit and leaves it to the DLQ */
  sends?: number;
}

export interface OutboxDispatcher {
  /** Sends these just-committed records; failures are left pending for the relay. */
  dispatch(records: OutboxRecord[]): Promise<void>;
  /** Sends every record whose relay moment is at or before `before`; returns how many were sent. */
  relayPending(before: Date): Promise<number>;
  /** The consumer has processed the message: it will not be sent again. */
  acknowledge(messageId: string): Promise<void>;
}
