import type { Table, TransactItem } from "./table";
import { putItem, updateItem } from "./table";
import type {
  AgencyRecord,
  ApplicationCase,
  AuditEvent,
  SessionRecord,
  TaskRecord,
  UserRecord,
} from "../../domain/records";

/**
 * Named access patterns over the single table. Keys:
 *   AGENCY#<code> / PROFILE, USER#<username>, COUNTER#<name>
 *   CASE#<caseId> / CASE, EVENT#<seq>, TASK#<taskId>
 *   TRACK#<trackingNumber> / TRACK      (tracking number → case)
 *   SESSION#<tokenHash> / SESSION
 * Indexes: gsi1 = open tasks per agency ordered by due time (and pending outbox);
 *          gsi2 = agencies list, open cases per agency.
 */
export const keys = {
  agency: (code: string) => ({ pk: `AGENCY#${code}`, sk: "PROFILE" }),
  user: (code: string, username: string) => ({ pk: `AGENCY#${code}`, sk: `USER#${username}` }),
  counter: (code: string, name: string) => ({ pk: `AGENCY#${code}`, sk: `COUNTER#${name}` }),
  case: (caseId: string) => ({ pk: `CASE#${caseId}`, sk: "CASE" }),
  event: (caseId: string, seq: number) => ({ pk: `CASE#${caseId}`, sk: `EVENT#${String(seq).padStart(6, "0")}` }),
  task: (caseId: string, taskId: string) => ({ pk: `CASE#${caseId}`, sk: `TASK#${taskId}` }),
  tracking: (trackingNumber: string) => ({ pk: `TRACK#${trackingNumber}`, sk: "TRACK" }),
  session: (tokenHash: string) => ({ pk: `SESSION#${tokenHash}`, sk: "SESSION" }),
};

const AGENCIES = "AGENCIES";
const openTasksOf = (agencyCode: string) => `AGENCY#${agencyCode}#OPENTASKS`;
const openCasesOf = (agencyCode: string) => `AGENCY#${agencyCode}#OPENCASES`;

/** Task ids embed their case id so a task can be read by key alone. */
export function taskIdFor(caseId: string, step: string, n = 1): string {
  return `${caseId}-${step}-${n}`;
}
export function caseIdOfTask(taskId: string): string | undefined {
  const caseId = taskId.split("-")[0];
  return caseId && /^[0-9A-Z]{26}$/.test(caseId) ? caseId : undefined;
}

function strip<T>(item: Record<string, unknown> | undefined): T | undefined {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, gsi1pk: _a, gsi1sk: _b, gsi2pk: _c, gsi2sk: _d, ...rest } = item;
  return rest as T;
}

// ---- agencies and users -------------------------------------------------------

export function agencyItem(agency: AgencyRecord) {
  return { ...keys.agency(agency.code), gsi2pk: AGENCIES, gsi2sk: agency.code, ...agency };
}
export async function getAgency(table: Table, code: string): Promise<AgencyRecord | undefined> {
  return strip(await table.get(keys.agency(code).pk, "PROFILE"));
}
export async function listAgencies(table: Table): Promise<AgencyRecord[]> {
  const items = await table.query({ index: "gsi2", pk: AGENCIES });
  return items.map((i) => strip<AgencyRecord>(i)!);
}

export function userItem(user: UserRecord) {
  return { ...keys.user(user.agencyCode, user.username), ...user };
}
export async function getUser(table: Table, agencyCode: string, username: string): Promise<UserRecord | undefined> {
  const k = keys.user(agencyCode, username);
  return strip(await table.get(k.pk, k.sk));
}
export async function listUsers(table: Table, agencyCode: string): Promise<UserRecord[]> {
  const items = await table.query({ pk: keys.agency(agencyCode).pk, skBeginsWith: "USER#" });
  return items.map((i) => strip<UserRecord>(i)!).filter((u) => !u.disabled);
}

/** Atomically takes the next number of a per-agency sequence (gaps are harmless). */
export async function nextSequence(table: Table, agencyCode: string, name: string): Promise<number> {
  const k = keys.counter(agencyCode, name);
  const out = await table.update({
    ...k,
    expression: "ADD #v :one",
    names: { "#v": "value" },
    values: { ":one": 1 },
  });
  return Number(out?.value);
}

// ---- sessions -----------------------------------------------------------------

export async function putSession(table: Table, session: SessionRecord): Promise<void> {
  await table.put({ ...keys.session(session.tokenHash), ...session });
}
export async function getSession(table: Table, tokenHash: string): Promise<SessionRecord | undefined> {
  return strip(await table.get(keys.session(tokenHash).pk, "SESSION"));
}
export async function deleteSession(table: Table, tokenHash: string): Promise<void> {
  await table.delete(keys.session(tokenHash).pk, "SESSION");
}

// ---- cases --------------------------------------------------------------------

const CLOSED_STATUSES = new Set(["replied", "withdrawn", "closed"]);

function caseItem(record: ApplicationCase) {
  const open = !CLOSED_STATUSES.has(record.status);
  return {
    ...keys.case(record.caseId),
    ...(open ? { gsi2pk: openCasesOf(record.agencyCode), gsi2sk: `${record.submittedAt}#${record.caseId}` } : {}),
    ...record,
  };
}

export async function getCase(table: Table, caseId: string): Promise<ApplicationCase | undefined> {
  return strip(await table.get(keys.case(caseId).pk, "CASE"));
}

export async function listOpenCases(table: Table, agencyCode: string): Promise<ApplicationCase[]> {
  const items = await table.query({ index: "gsi2", pk: openCasesOf(agencyCode) });
  return items.map((i) => strip<ApplicationCase>(i)!);
}

/** Creates a case; fails if the id exists. */
export function putNewCase(table: Table, record: ApplicationCase): TransactItem {
  return putItem(table, caseItem(record), "attribute_not_exists(pk)");
}

/** Replaces a case only if nobody changed it since `expectedVersion` (optimistic locking). */
export function putCaseVersion(table: Table, record: ApplicationCase, expectedVersion: number): TransactItem {
  return putItem(table, caseItem(record), "version = :expected", { ":expected": expectedVersion });
}

export function putTracking(table: Table, trackingNumber: string, caseId: string, accessCodeHash: string): TransactItem {
  return putItem(
    table,
    { ...keys.tracking(trackingNumber), trackingNumber, caseId, accessCodeHash },
    "attribute_not_exists(pk)",
  );
}
export async function getTracking(
  table: Table,
  trackingNumber: string,
): Promise<{ caseId: string; accessCodeHash: string } | undefined> {
  return strip(await table.get(keys.tracking(trackingNumber).pk, "TRACK"));
}

export function putEvent(table: Table, event: AuditEvent): TransactItem {
  // events are never overwritten: the trail is append-only
  return putItem(table, { ...keys.event(event.caseId, event.seq), ...event }, "attribute_not_exists(pk)");
}
export async function listEvents(table: Table, caseId: string): Promise<AuditEvent[]> {
  const items = await table.query({ pk: keys.case(caseId).pk, skBeginsWith: "EVENT#", consistent: true });
  return items.map((i) => strip<AuditEvent>(i)!);
}

// ---- tasks --------------------------------------------------------------------

function taskItem(task: TaskRecord) {
  return {
    ...keys.task(task.caseId, task.taskId),
    ...(task.status === "open" ? { gsi1pk: openTasksOf(task.agencyCode), gsi1sk: `${task.dueAt}#${task.taskId}` } : {}),
    ...task,
  };
}
export function putNewTask(table: Table, task: TaskRecord): TransactItem {
  return putItem(table, taskItem(task), "attribute_not_exists(pk)");
}
export function putTaskVersion(table: Table, task: TaskRecord, expectedVersion: number): TransactItem {
  return putItem(table, taskItem(task), "version = :expected", { ":expected": expectedVersion });
}
export async function getTask(table: Table, taskId: string): Promise<TaskRecord | undefined> {
  const caseId = caseIdOfTask(taskId);
  if (!caseId) return undefined;
  const k = keys.task(caseId, taskId);
  return strip(await table.get(k.pk, k.sk));
}
export async function listCaseTasks(table: Table, caseId: string): Promise<TaskRecord[]> {
  const items = await table.query({ pk: keys.case(caseId).pk, skBeginsWith: "TASK#", consistent: true });
  return items.map((i) => strip<TaskRecord>(i)!);
}
/** Open tasks of an agency, soonest due first (index reads are eventually consistent). */
export async function listOpenTasks(table: Table, agencyCode: string): Promise<TaskRecord[]> {
  const items = await table.query({ index: "gsi1", pk: openTasksOf(agencyCode) });
  return items.map((i) => strip<TaskRecord>(i)!).filter((t) => t.status === "open");
}

export { updateItem };
