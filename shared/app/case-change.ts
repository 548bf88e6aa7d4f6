import { randomUUID } from "node:crypto";
import type { AppDeps } from "./deps";
import type { ApplicationCase, TaskRecord } from "../domain/records";
import type { Actor, AuditEventContent } from "../domain/audit";
import { chainEvent } from "../domain/audit";
import type { OutboxMessage, OutboxRecord } from "../adapters/aws/outbox";
import { outboxPut } from "../adapters/aws/outbox";
import type { TransactItem } from "../adapters/aws/table";
import { putCaseVersion, putEvent, putNewCase, putNewTask, putTaskVersion } from "../adapters/aws/records";

export interface NewEvent {
  actor: Actor;
  type: string;
  summary: string;
  data?: Record<string, unknown>;
}

export interface CaseChange {
  /** the case as it must be after the change (version and hash are set here) */
  next: ApplicationCase;
  /** version read before the change; absent when the case is new */
  expectedVersion?: number;
  events: NewEvent[];
  tasks?: Array<{ task: TaskRecord; expectedVersion?: number }>;
  outbox?: OutboxMessage[];
  extra?: TransactItem[];
}

/**
 * Writes a case's new state, its audit events, task changes and outgoing messages in
 * ONE DynamoDB transaction, then hands the messages on. Either all of it is stored
 * or none of it is.
 */
export async function commitCaseChange(deps: AppDeps, change: CaseChange): Promise<ApplicationCase> {
  const now = deps.clock.now().toISOString();
  const { next } = change;
  let hash = next.lastEventHash;
  let seq = change.expectedVersion === undefined ? 0 : next.eventCount;
  const items: TransactItem[] = [];
  for (const e of change.events) {
    seq += 1;
    const content: AuditEventContent = { caseId: next.caseId, seq, at: now, ...e };
    const event = chainEvent(content, hash);
    hash = event.hash;
    items.push(putEvent(deps.table, event));
  }
  const stored: ApplicationCase = {
    ...next,
    version: (change.expectedVersion ?? 0) + 1,
    lastEventHash: hash,
    eventCount: seq,
  };
  items.unshift(
    change.expectedVersion === undefined
      ? putNewCase(deps.table, stored)
      : putCaseVersion(deps.table, stored, change.expectedVersion),
  );
  for (const { task, expectedVersion } of change.tasks ?? []) {
    items.push(
      expectedVersion === undefined
        ? putNewTask(deps.table, { ...task, version: 1 })
        : putTaskVersion(deps.table, { ...task, version: expectedVersion + 1 }, expectedVersion),
    );
  }
  const records: OutboxRecord[] = (change.outbox ?? []).map((message) => ({
    messageId: randomUUID(),
    createdAt: now,
    message,
  }));
  items.push(...records.map((r) => outboxPut(deps.table, r)), ...(change.extra ?? []));
  await deps.table.transact(items);
  await deps.outbox.dispatch(records);
  return stored;
}
