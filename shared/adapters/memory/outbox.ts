import type { OutboxDispatcher, OutboxRecord, SchedulerCall } from "../../app/ports/outbox";

/**
 * The outbox in memory for use-case tests: what was handed on, per queue, and the
 * Scheduler's live schedules (created, moved, deleted), so a test can deliver
 * messages to the next use case and check no timer is left behind.
 */
export interface MemoryOutbox extends OutboxDispatcher {
  /** queue messages handed on and not yet taken, oldest first */
  take(queue: string): Array<Record<string, unknown> & { messageId: string }>;
  /** every queue message handed on so far (taken or not) */
  readonly delivered: Array<{ queue: string; body: Record<string, unknown> & { messageId: string } }>;
  /** live one-time schedules by name */
  readonly schedules: Map<string, { at: string; input: Record<string, unknown> }>;
}

export function createMemoryOutbox(): MemoryOutbox {
  const waiting = new Map<string, Array<Record<string, unknown> & { messageId: string }>>();
  const delivered: MemoryOutbox["delivered"] = [];
  const schedules: MemoryOutbox["schedules"] = new Map();
  const pending = new Map<string, OutboxRecord>();
  const call = (c: SchedulerCall) => {
    if (c.kind === "schedule") schedules.set(c.name, { at: c.at, input: c.input });
    else schedules.delete(c.name);
  };
  const send = (r: OutboxRecord) => {
    const m = r.message;
    if (m.kind === "queue") {
      const body = { ...m.body, messageId: r.messageId };
      waiting.set(m.queue, [...(waiting.get(m.queue) ?? []), body]);
      delivered.push({ queue: m.queue, body });
      pending.set(r.messageId, r);
    } else for (const c of m.kind === "scheduler" ? m.calls : [m]) call(c);
  };
  return {
    delivered,
    schedules,
    async dispatch(records) {
      for (const r of records) send(r);
    },
    async relayPending() {
      for (const r of pending.values()) send(r);
      return pending.size;
    },
    async acknowledge(messageId) {
      pending.delete(messageId);
    },
    take(queue) {
      const out = waiting.get(queue) ?? [];
      waiting.set(queue, []);
      return out;
    },
  };
}
