import type { CaseQuery, Store, Write } from "../../app/ports/store";
import type { CaseRecord } from "../../domain/records";
import { workflows } from "../../domain/workflows";
import type { Item, Table, TransactItem } from "./table";
import { putItem } from "./table";
import { outboxPut } from "./outbox";
import { caseItem, caseKey, closedCasesIndex, openCasesIndex, parseCase } from "./entities/case";
import { caseIdOfTask, openTasksIndex, parseTask, taskItem, taskKey } from "./entities/task";
import { eventItem, parseEvent } from "./entities/event";
import {
  agenciesIndex,
  agencyItem,
  agencyKey,
  counterKey,
  parseAgency,
  parseSession,
  parseUser,
  sessionItem,
  sessionKey,
  userItem,
  userKey,
} from "./entities/directory";
import { claimItem, claimKey, mailKey, parseMail, parseSignal, parseTracking, signalItem, trackingItem, trackingKey } from "./entities/lookups";
import { ConcurrentChangeError } from "../../app/errors";

const throttleKey = (key: string, windowSeconds: number, at: Date) => ({ pk: `THROTTLE#${key}#${Math.floor(at.getTime() / 1000 / windowSeconds)}`, sk: "THROTTLE" });

/** Search text is lower-cased and kept on the case item; only staff search reads it. */
function searchTextOf(record: CaseRecord): string {
  return (workflows[record.workflow]?.searchText(record as never) ?? record.reference).toLowerCase();
}

function writeItem(table: Table, w: Write): TransactItem {
  switch (w.kind) {
    case "case":
      return w.expectedVersion === undefined
        ? putItem(table, caseItem(w.record, searchTextOf(w.record)), "attribute_not_exists(pk)")
        : putItem(table, caseItem(w.record, searchTextOf(w.record)), "version = :expected", { ":expected": w.expectedVersion });
    case "event":
      // the trail is append-only: an event is never overwritten
      return putItem(table, eventItem(w.event), "attribute_not_exists(pk)");
    case "task":
      return w.expectedVersion === undefined
        ? putItem(table, taskItem(w.task), "attribute_not_exists(pk)")
        : putItem(table, taskItem(w.task), "version = :expected", { ":expected": w.expectedVersion });
    case "tracking":
      return putItem(table, trackingItem(w.tracking), w.replace ? undefined : "attribute_not_exists(pk)");
    case "outbox":
      return outboxPut(table, w.record);
    case "signal":
      return putItem(table, signalItem(w.signal));
    case "claim":
      return putItem(table, claimItem(w.key, w.value, w.expiresAt), "attribute_not_exists(pk)");
  }
}

function matches(record: CaseRecord, text: string, q: CaseQuery): boolean {
  if (q.workflow && record.workflow !== q.workflow) return false;
  if (q.reference && record.reference !== q.reference) return false;
  if (q.status && record.status !== q.status) return false;
  if (q.from && record.createdOn < q.from) return false;
  if (q.to && record.createdOn > q.to) return false;
  if (q.text && !text.includes(q.text.toLowerCase())) return false;
  return true;
}

/** The Store port on the single DynamoDB table (named access patterns in ./entities). */
export function createDynamoStore(table: Table): Store {
  const queryCases = async (key: { index: "gsi2"; pk: string }, forward = true) =>
    (await table.query({ ...key, forward })).map((i) => ({ record: parseCase(i)!, text: String(i.searchText ?? "") }));

  return {
    cases: {
      get: async (caseId) => parseCase(await table.get(caseKey(caseId).pk, "CASE")),
      getMany: async (ids) => (await table.batchGet([...new Set(ids)].map((id) => caseKey(id)))).map((i) => parseCase(i)!),
      tracking: async (trackingNumber) => parseTracking(await table.get(trackingKey(trackingNumber).pk, "TRACK")),
      events: async (caseId) =>
        (await table.query({ pk: caseKey(caseId).pk, skBeginsWith: "EVENT#", consistent: true })).map((i) => parseEvent(i)!),
      listOpen: async (agencyCode) => (await queryCases(openCasesIndex(agencyCode))).map((c) => c.record),
      listClosed: async (agencyCode, year) => (await queryCases(closedCasesIndex(agencyCode, year))).map((c) => c.record),
      async search(q) {
        if (q.reference) {
          const t = parseTracking(await table.get(trackingKey(q.reference).pk, "TRACK"));
          const record = t ? parseCase(await table.get(caseKey(t.caseId).pk, "CASE")) : undefined;
          return record && record.agencyCode === q.agencyCode && matches(record, searchTextOf(record), { ...q, reference: undefined }) ? [record] : [];
        }
        // open cases, then those closed in the years the range touches (without a range: open ones only)
        const toYear = Number(q.to?.slice(0, 4) ?? 0);
        const fromYear = Number(q.from?.slice(0, 4) ?? toYear);
        const found = await queryCases(openCasesIndex(q.agencyCode), false);
        for (let y = toYear; y >= fromYear; y--) found.push(...(await queryCases(closedCasesIndex(q.agencyCode, y), false)));
        let out = found.filter((c) => matches(c.record, c.text, q)).map((c) => c.record);
        if (q.step) {
          const withStep = new Set(
            (await table.query({ ...openTasksIndex(q.agencyCode) })).map((i) => parseTask(i)!).filter((t) => t.step === q.step).map((t) => t.caseId),
          );
          out = out.filter((c) => withStep.has(c.caseId));
        }
        return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, q.limit ?? 100);
      },
    },
    tasks: {
      async get(taskId) {
        const caseId = caseIdOfTask(taskId);
        if (!caseId) return undefined;
        const k = taskKey(caseId, taskId);
        return parseTask(await table.get(k.pk, k.sk));
      },
      ofCase: async (caseId) => (await table.query({ pk: caseKey(caseId).pk, skBeginsWith: "TASK#", consistent: true })).map((i) => parseTask(i)!),
      // index reads are eventually consistent: a task closed a moment ago may still be listed, so filter
      listOpen: async (agencyCode) => (await table.query({ ...openTasksIndex(agencyCode) })).map((i) => parseTask(i)!).filter((t) => t.status === "open"),
    },
    directory: {
      agency: async (code) => parseAgency(await table.get(agencyKey(code).pk, "PROFILE")),
      agencies: async () => (await table.query(agenciesIndex)).map((i) => parseAgency(i)!),
      user: async (agencyCode, username) => {
        const k = userKey(agencyCode, username);
        return parseUser(await table.get(k.pk, k.sk));
      },
      users: async (agencyCode) =>
        (await table.query({ pk: agencyKey(agencyCode).pk, skBeginsWith: "USER#" })).map((i) => parseUser(i)!).filter((u) => !u.disabled),
      putAgency: (agency) => table.put(agencyItem(agency)),
      putUser: (user) => table.put(userItem(user)),
    },
    sessions: {
      put: (session) => table.put(sessionItem(session)),
      get: async (tokenHash) => parseSession(await table.get(sessionKey(tokenHash).pk, "SESSION")),
      delete: (tokenHash) => table.delete(sessionKey(tokenHash).pk, "SESSION"),
    },
    counters: {
      async next(agencyCode, name) {
        const k = counterKey(agencyCode, name);
        const out = await table.update({ ...k, expression: "ADD #v :one", names: { "#v": "value" }, values: { ":one": 1 } });
        return Number(out?.value);
      },
    },
    signals: {
      list: async (key, limit) => (await table.query({ pk: `SIGNAL#${key}`, forward: false, limit, consistent: true })).map((i) => parseSignal(i)!),
    },
    claims: {
      get: async (key) => ((await table.get<Item>(claimKey(key).pk, "CLAIM"))?.value as Record<string, unknown> | undefined) ?? undefined,
    },
    mail: {
      get: async (messageId) => parseMail(await table.get(mailKey(messageId).pk, "MAIL")),
      async claim(messageId, at, takeOver) {
        try {
          await table.put(
            { ...mailKey(messageId), state: "sending", claimedAt: at, expiresAt: Math.floor(Date.parse(at) / 1000) + 90 * 86_400 },
            takeOver ? { expression: "claimedAt = :seen AND #state = :sending", names: { "#state": "state" }, values: { ":seen": takeOver, ":sending": "sending" } } : { expression: "attribute_not_exists(pk)" },
          );
          return true;
        } catch (error) {
          if (error instanceof ConcurrentChangeError) return false;
          throw error;
        }
      },
      async markSent(messageId, at) {
        await table.update({ ...mailKey(messageId), set: "#state = :sent, sentAt = :at", names: { "#state": "state" }, values: { ":sent": "sent", ":at": at } });
      },
    },
    throttle: {
      async failures(key, w, at) {
        const k = throttleKey(key, w, at);
        return Number((await table.get<Item>(k.pk, k.sk, false))?.n ?? 0);
      },
      async recordFailure(key, w, at) {
        const k = throttleKey(key, w, at);
        // the item outlives its window a little, then TTL removes it
        const out = await table.update({ ...k, expression: "ADD n :one SET expiresAt = :ttl", values: { ":one": 1, ":ttl": Math.floor(at.getTime() / 1000) + 2 * w } });
        return Number(out?.n ?? 1);
      },
    },
    commit: (writes) => table.transact(writes.map((w) => writeItem(table, w))),
  };
}
