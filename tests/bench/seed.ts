import { BatchWriteCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { TestStack } from "../support/stack";
import type { CaseRecord, TaskRecord } from "../../shared/domain/records";
import { chainEvent, GENESIS_HASH, type AuditEvent } from "../../shared/domain/audit";
import { caseItem, caseKey, parseCase } from "../../shared/adapters/aws/entities/case";
import { parseTask, taskItem } from "../../shared/adapters/aws/entities/task";
import { eventItem, parseEvent } from "../../shared/adapters/aws/entities/event";
import { contributionItem, parseContribution } from "../../shared/adapters/aws/entities/transparency";
import { parseTracking, trackingItem, trackingKey } from "../../shared/adapters/aws/entities/lookups";

type Item = Record<string, unknown>;

/** Writes items straight into the stack's table, 25 a batch, `parallel` batches at a time (8), retrying what DynamoDB left unprocessed. */
export async function seedItems(stack: Pick<TestStack, "doc" | "tableName">, items: Iterable<Item>, parallel = 8): Promise<number> {
  let written = 0;
  const iterator = items[Symbol.iterator]();
  // batches are taken from the iterator as they are sent, so a generator of millions of items is never held in memory at once
  const nextBatch = (): Item[] => {
    const batch: Item[] = [];
    for (let r = iterator.next(); !r.done; r = iterator.next()) {
      batch.push(r.value);
      if (batch.length === 25) break;
    }
    return batch;
  };
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let batch = nextBatch(); batch.length; batch = nextBatch()) {
        let requests = batch.map((Item) => ({ PutRequest: { Item } }));
        while (requests.length) {
          const out = await stack.doc.send(new BatchWriteCommand({ RequestItems: { [stack.tableName]: requests } }));
          requests = (out.UnprocessedItems?.[stack.tableName] ?? []) as typeof requests;
        }
        written += batch.length;
      }
    }),
  );
  return written;
}

/**
 * A case as the store keeps it, read back whole: its partition (the case, its audit trail, its
 * tasks, its transparency contribution) and its tracking item — the template `cloneCase` copies.
 */
export interface CaseTemplate {
  record: CaseRecord;
  searchText: string;
  events: AuditEvent[];
  tasks: TaskRecord[];
  contribution?: ReturnType<typeof parseContribution>;
  tracking?: ReturnType<typeof parseTracking>;
}

export async function readCaseTemplate(stack: Pick<TestStack, "doc" | "tableName">, caseId: string): Promise<CaseTemplate> {
  const out = await stack.doc.send(new QueryCommand({ TableName: stack.tableName, KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": caseKey(caseId).pk }, ConsistentRead: true }));
  const items = (out.Items ?? []) as Item[];
  const caseRow = items.find((i) => i.sk === caseKey(caseId).sk);
  const record = parseCase(caseRow);
  if (!record) throw new Error(`no case ${caseId}`);
  const trackingRow = await stack.doc.send(new QueryCommand({ TableName: stack.tableName, KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": trackingKey(record.reference).pk } }));
  return {
    record,
    searchText: String(caseRow!.searchText ?? ""),
    events: items.filter((i) => String(i.sk).startsWith("EVENT#")).map((i) => parseEvent(i)!),
    tasks: items.filter((i) => String(i.sk).startsWith("TASK#")).map((i) => parseTask(i)!),
    contribution: parseContribution(items.find((i) => i.sk === "TRANSPARENCY")),
    tracking: parseTracking(trackingRow.Items?.[0] as Item | undefined),
  };
}

/**
 * The template's items under another case id, reference and agency (every occurrence replaced),
 * built with the entities' own item functions, so keys and index attributes are exactly what the
 * store writes; the audit trail is chained afresh. `dueShiftMs` moves the open tasks' due moment
 * (inbox order), `closed` closes the case on that day (it then leaves the open-case index and its
 * tasks the inbox), `withTrail: false` leaves the audit events out (a case only listed, never opened).
 */
export function cloneCase(
  t: CaseTemplate,
  to: { caseId: string; reference: string; agencyCode: string; dueShiftMs?: number; closed?: { on: string; cell: NonNullable<CaseRecord["result"]>["cell"] }; withTrail?: boolean; withTasks?: boolean },
): Item[] {
  const swap = <T>(value: T): T =>
    JSON.parse(
      JSON.stringify(value).replaceAll(t.record.caseId, to.caseId).replaceAll(t.record.reference, to.reference).replaceAll(t.record.agencyCode, to.agencyCode),
    ) as T;
  let record = swap(t.record);
  if (to.closed) {
    const closedAt = `${to.closed.on}T08:00:00.000Z`;
    record = { ...record, status: "replied", result: { cell: to.closed.cell, replyType: "disclosed", closedOn: to.closed.on }, closedAt };
  }
  const items: Item[] = [caseItem(record, swap(t.searchText))];
  if (to.withTrail !== false) {
    let prev = GENESIS_HASH;
    for (const e of swap(t.events)) {
      const { prevHash: _p, hash: _h, ...content } = e;
      const chained = chainEvent(content, prev);
      prev = chained.hash;
      items.push(eventItem(chained));
    }
    items[0] = caseItem({ ...record, lastEventHash: prev }, swap(t.searchText));
  }
  if (to.withTasks !== false) {
    for (const task of swap(t.tasks)) {
      const open = task.status === "open" && !to.closed;
      const dueAt = open && to.dueShiftMs ? new Date(Date.parse(task.dueAt) + to.dueShiftMs).toISOString() : task.dueAt;
      const done = { status: "done" as const, completedAt: record.closedAt ?? task.openedAt, outcome: task.outcome ?? "replied" };
      items.push(taskItem(open ? { ...task, dueAt } : task.status === "open" ? { ...task, ...done } : task));
    }
  }
  if (t.contribution && to.withTrail !== false) items.push(contributionItem(swap(t.contribution)));
  if (t.tracking) items.push(trackingItem(swap(t.tracking)));
  return items;
}
