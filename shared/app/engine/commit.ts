import type { AppDeps } from "../deps";
import type { Write } from "../ports/store";
import type { OutboxMessage, OutboxRecord, SchedulerCall } from "../ports/outbox";
import type { CaseRecord, TaskRecord } from "../../domain/records";
import type { AuditEventContent } from "../../domain/audit";
import { chainEvent } from "../../domain/audit";
import type { NewEvent } from "../../domain/workflows/engine";
import { countedWorkflows } from "../../domain/transparency/figures";
import { workflows } from "../../domain/workflows";

export interface CaseChange {
  /** the case as it must be after the change (version and hash are set here) */
  case: CaseRecord;
  /** version read before the change; absent when the case is new */
  expectedVersion?: number;
  events: NewEvent[];
  /** expectedVersion absent: a new task */
  tasks?: Array<{ task: TaskRecord; expectedVersion?: number }>;
  outbox?: OutboxMessage[];
  extra?: Write[];
}

/**
 * A transition sets and clears several timers (reminder, halfway, last day, overdue per
 * deadline): they travel as one outbox record, in their order, instead of one record each —
 * most of a lifecycle's write units were these records and the writes that mark them sent.
 */
function batchSchedulerCalls(messages: OutboxMessage[]): OutboxMessage[] {
  const calls = messages.filter((m): m is SchedulerCall => m.kind === "schedule" || m.kind === "unschedule");
  const rest = messages.filter((m) => m.kind !== "schedule" && m.kind !== "unschedule");
  if (calls.length <= 1) return messages;
  return [...rest, { kind: "scheduler", calls }];
}

/**
 * A new case handed on to its start step's Lambda is committed again when that Lambda opens
 * its first task (shared/app/engine/step.ts), and that commit tells the counters; they count
 * the case as it is then, so the creating commit (intake, above all) needs no message of its
 * own. A case created with its start step already under way is not handed on like that.
 */
function countedWhenStartTaskOpens(next: CaseRecord, change: CaseChange): boolean {
  const start = workflows[next.workflow]?.start;
  if (change.expectedVersion !== undefined || change.tasks?.length || !start || next.status !== start.status || next.steps[start.step]) return false;
  return (change.outbox ?? []).some(
    (m) => m.kind === "queue" && m.body.type === "task.opened" && m.body.caseId === next.caseId && m.body.workflow === next.workflow && m.body.step === start.step && m.body.taskId === undefined,
  );
}

/**
 * Writes a case's new state, its audit events, task changes and outgoing messages in
 * ONE transaction, then hands the messages on. Either all of it is stored or none of
 * it is; a concurrent change fails it with ConcurrentChangeError.
 */
export async function commitChange(deps: Pick<AppDeps, "store" | "outbox" | "clock" | "newId">, change: CaseChange): Promise<CaseRecord> {
  const now = deps.clock.now().toISOString();
  const next = change.case;
  let hash = next.lastEventHash;
  let seq = change.expectedVersion === undefined ? 0 : next.eventCount;
  const writes: Write[] = [];
  for (const e of change.events) {
    seq += 1;
    const content: AuditEventContent = { caseId: next.caseId, seq, at: now, ...e };
    const event = chainEvent(content, hash);
    hash = event.hash;
    writes.push({ kind: "event", event });
  }
  const stored: CaseRecord = { ...next, version: (change.expectedVersion ?? 0) + 1, lastEventHash: hash, eventCount: seq };
  writes.unshift(change.expectedVersion === undefined ? { kind: "case", record: stored } : { kind: "case", record: stored, expectedVersion: change.expectedVersion });
  for (const { task, expectedVersion } of change.tasks ?? []) {
    writes.push(
      expectedVersion === undefined
        ? { kind: "task", task: { ...task, version: 1 } }
        : { kind: "task", task: { ...task, version: expectedVersion + 1 }, expectedVersion },
    );
  }
  // the transparency counters take the change asynchronously: one more outbox item of its own, never a shared counter in this transaction
  const outbox = batchSchedulerCalls(change.outbox ?? []);
  if ((countedWorkflows as readonly string[]).includes(next.workflow) && !countedWhenStartTaskOpens(next, change)) {
    outbox.push({ kind: "queue", queue: "transparency", body: { type: "case.changed", caseId: next.caseId } });
  }
  const records: OutboxRecord[] = outbox.map((message) => ({ messageId: deps.newId(), createdAt: now, message }));
  writes.push(...records.map((record) => ({ kind: "outbox" as const, record })), ...(change.extra ?? []));
  await deps.store.commit(writes);
  await deps.outbox.dispatch(records);
  return stored;
}
