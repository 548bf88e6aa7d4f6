import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { CaseQuery, OpenTaskSummary, ReportCaseRow, SecurityEvent, Store, Strikes, TaskPosition, Write } from "../../app/ports/store";
import type { AgencyRecord, CaseRecord } from "../../domain/records";
import { workflows } from "../../domain/workflows";
import type { Item, Table, TransactItem } from "./table";
import { putItem } from "./table";
import { outboxPut } from "./outbox";
import { caseItem, caseKey, closedCasesIndex, openCasesIndex, parseCase, REPORT_DATA_ATTRIBUTES } from "./entities/case";
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
import { catalogueItem, catalogueKey, cataloguePartition, parseCatalogueEntry } from "./entities/catalogue";
import { parseIndexNumber } from "../../domain/catalogue/entry";
import { contributionItem, contributionKey, countersItem, parseContribution, parseCounters, transparencyKey, transparencyPartition, TRANSPARENCY_SHARDS } from "./entities/transparency";

/** The delivery holding a mail claim, when the claim names one (claims of older senders do not). */
function parseMailHolder(value: unknown): { sqsMessageId: string; receiveCount: number; endsBy: string } | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { sqsMessageId, receiveCount, endsBy } = value as Record<string, unknown>;
  if (typeof sqsMessageId !== "string" || typeof receiveCount !== "number" || typeof endsBy !== "string") return undefined;
  return { sqsMessageId, receiveCount, endsBy };
}

const throttleKey = (key: string, windowSeconds: number, at: Date) => ({ pk: `THROTTLE#${key}#${Math.floor(at.getTime() / 1000 / windowSeconds)}`, sk: "THROTTLE" });

/** A target's strikes: one item, versioned, forgotten by TTL after `expiresAt`. */
const strikesKey = (key: string) => ({ pk: `STRIKES#${key}`, sk: "STRIKES" });
const strikesItem = (key: string, s: Strikes, version: number): Item => ({ ...strikesKey(key), ...s, version });
function parseStrikes(item: Item | undefined): { strikes?: Strikes; version: number } {
  if (!item) return { version: 0 };
  const n = (v: unknown) => (typeof v === "number" ? v : undefined);
  const strikes: Strikes = { count: n(item.count) ?? 0, notBefore: n(item.notBefore) ?? 0, expiresAt: n(item.expiresAt) ?? 0 };
  if (n(item.lockedFrom) !== undefined) strikes.lockedFrom = n(item.lockedFrom)!;
  if (n(item.lockedUntil) !== undefined) strikes.lockedUntil = n(item.lockedUntil)!;
  return { strikes, version: n(item.version) ?? 0 };
}

/** Security events: `SECURITY#<agency>` / `<at>#<eventId>`, dated and append-only, no TTL (kept like the case trail). */
const securityKey = (e: Pick<SecurityEvent, "agencyCode" | "at" | "eventId">) => ({ pk: `SECURITY#${e.agencyCode}`, sk: `${e.at}#${e.eventId}` });
function parseSecurityEvent(item: Item): SecurityEvent {
  const { pk: _pk, sk: _sk, ...event } = item;
  return event as unknown as SecurityEvent;
}

/** The inbox index key of a position: gsi1 keys plus the table keys, as DynamoDB's ExclusiveStartKey for gsi1 wants them. */
function inboxStartKey(agencyCode: string, after: TaskPosition): Item | undefined {
  const caseId = caseIdOfTask(after.taskId);
  if (!caseId) return undefined;
  return { ...taskKey(caseId, after.taskId), gsi1pk: openTasksIndex(agencyCode).pk, gsi1sk: `${after.dueAt}#${after.taskId}` };
}

function positionOf(key: Item | undefined): TaskPosition | undefined {
  const sk = typeof key?.gsi1sk === "string" ? key.gsi1sk : undefined;
  const i = sk?.indexOf("#") ?? -1;
  return sk && i > 0 ? { dueAt: sk.slice(0, i), taskId: sk.slice(i + 1) } : undefined;
}

const SUMMARY_ATTRIBUTES = ["taskId", "caseId", "workflow", "step", "title", "role", "escalatedTo", "dueAt", "dueOn", "status"] as const;

/** A range of an index's sort key: below a value, starting with a prefix, or from a value on. */
export type SortKeySlice = { skName: string } & ({ below: string } | { prefix: string } | { from: string });

/**
 * Every item of an index partition (or of a slice of its sort key), only the projected attributes
 * travelling (no payload), page after page. A slice that takes more than one page is read as the
 * finer slices `split` gives instead.
 */
async function queryProjected(
  table: Table,
  key: { index: string; pkName: string; pk: string; slice?: SortKeySlice; split?: (slice: SortKeySlice) => SortKeySlice[] },
  projection: string,
  names: Record<string, string>,
): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Item | undefined;
  const slice = key.slice;
  const values: Item = { ":pk": key.pk };
  let range = "";
  if (slice && "below" in slice) [range, values[":sk"]] = [" AND #sk < :sk", slice.below];
  else if (slice && "prefix" in slice) [range, values[":sk"]] = [" AND begins_with(#sk, :sk)", slice.prefix];
  else if (slice) [range, values[":sk"]] = [" AND #sk >= :sk", slice.from];
  do {
    const page = await table.doc.send(
      new QueryCommand({
        TableName: table.name,
        IndexName: key.index,
        KeyConditionExpression: `${key.pkName} = :pk${range}`,
        ExpressionAttributeValues: values,
        ProjectionExpression: projection,
        ExpressionAttributeNames: slice ? { ...names, "#sk": slice.skName } : names,
        ExclusiveStartKey: startKey,
      }),
    );
    startKey = page.LastEvaluatedKey as Item | undefined;
    const finer = startKey && !items.length && slice && key.split ? key.split(slice) : [];
    if (finer.length) {
      const { split: _split, ...rest } = key;
      // one after another: the coarse slices already run side by side, and a month has 31 days
      for (const s of finer) items.push(...(await queryProjected(table, { ...rest, slice: s }, projection, names)));
      return items;
    }
    items.push(...((page.Items ?? []) as Item[]));
  } while (startKey);
  return items;
}

/**
 * gsi2's sort key of a closed case starts with its closing instant (ISO, UTC): a year as its
 * months, with what lies before and after (a case closed on 1 January Beijing time closed on 31
 * December UTC).
 */
function monthSlices(year: number): SortKeySlice[] {
  const months = Array.from({ length: 12 }, (_, i) => ({ skName: "gsi2sk", prefix: `${year}-${String(i + 1).padStart(2, "0")}` }));
  return [{ skName: "gsi2sk", below: `${year}-01` }, ...months, { skName: "gsi2sk", from: `${year + 1}` }];
}

/** A month slice as its days; the open ends stay whole. */
function daySlices(slice: SortKeySlice): SortKeySlice[] {
  if (!("prefix" in slice) || slice.prefix.length !== 7) return [];
  return Array.from({ length: 31 }, (_, d) => ({ skName: slice.skName, prefix: `${slice.prefix}-${String(d + 1).padStart(2, "0")}` }));
}

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
    case "strikes":
      return w.expectedVersion === 0
        ? putItem(table, strikesItem(w.key, w.strikes, 1), "attribute_not_exists(pk)")
        : putItem(table, strikesItem(w.key, w.strikes, w.expectedVersion + 1), "version = :expected", { ":expected": w.expectedVersion });
    case "security":
      // append-only, like the case trail
      return putItem(table, { ...securityKey(w.event), ...w.event }, "attribute_not_exists(pk)");
    case "user":
      return w.expectedVersion === undefined
        ? putItem(table, userItem({ ...w.user, version: 1 }), "attribute_not_exists(pk)")
        : w.expectedVersion === 0
          ? putItem(table, userItem({ ...w.user, version: 1 }), "attribute_exists(pk) AND (attribute_not_exists(version) OR version = :expected)", { ":expected": 0 })
          : putItem(table, userItem({ ...w.user, version: w.expectedVersion + 1 }), "version = :expected", { ":expected": w.expectedVersion });
    case "agency":
      return putItem(table, agencyItem(w.agency), w.create ? "attribute_not_exists(pk)" : "attribute_exists(pk)");
    case "catalogue":
      // an index number is taken once: a new entry must not overwrite another
      return w.expectedRevision === undefined
        ? putItem(table, catalogueItem(w.entry), "attribute_not_exists(pk)")
        : putItem(table, catalogueItem(w.entry), "revision = :expected", { ":expected": w.expectedRevision });
    case "contribution":
      return w.expectedCaseVersion === undefined
        ? putItem(table, contributionItem(w.contribution), "attribute_not_exists(pk)")
        : putItem(table, contributionItem(w.contribution), "caseVersion = :expected", { ":expected": w.expectedCaseVersion });
    case "transparency":
      return w.expectedVersion === 0
        ? putItem(table, countersItem({ ...w.counters, version: 1 }), "attribute_not_exists(pk)")
        : putItem(table, countersItem({ ...w.counters, version: w.expectedVersion + 1 }), "version = :expected", { ":expected": w.expectedVersion });
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

/**
 * How long one store (one Lambda instance) reuses the agency list. The list is the one
 * deployment-wide index partition (gsi2 `AGENCIES`): every agency's whole profile, a few hundred
 * read units at province scale, asked for by every public home page, application form, agency
 * chooser and the staff sign-in page — read afresh each time, a province's traffic would pass the
 * partition's 3,000 read units a second. An agency written through this store clears it at once;
 * other instances see a new or renamed agency within the minute.
 */
export const AGENCIES_TTL_MS = 60_000;

/** The Store port on the single DynamoDB table (named access patterns in ./entities). */
export function createDynamoStore(table: Table): Store {
  let agencyList: { at: number; agencies: AgencyRecord[] } | undefined;
  const agencies = async (): Promise<AgencyRecord[]> => {
    const now = Date.now();
    if (!agencyList || now - agencyList.at >= AGENCIES_TTL_MS || now < agencyList.at) {
      agencyList = { at: now, agencies: (await table.query(agenciesIndex)).map((i) => parseAgency(i)!) };
    }
    return [...agencyList.agencies];
  };

  const queryCases = async (key: { index: "gsi2"; pk: string }, forward = true) =>
    (await table.query({ ...key, forward })).map((i) => ({ record: parseCase(i)!, text: String(i.searchText ?? "") }));

  return {
    catalogue: {
      async get(agencyCode, indexNumber) {
        const n = parseIndexNumber(indexNumber);
        if (!n || n.agencyCode !== agencyCode) return undefined;
        const k = catalogueKey(agencyCode, n.year, n.sequence);
        return parseCatalogueEntry(await table.get(k.pk, k.sk));
      },
      list: async (agencyCode) => (await table.query({ pk: cataloguePartition(agencyCode), skBeginsWith: "ENTRY#", forward: false })).map((i) => parseCatalogueEntry(i)!),
    },
    cases: {
      get: async (caseId) => parseCase(await table.get(caseKey(caseId).pk, "CASE")),
      getMany: async (ids) => (await table.batchGet([...new Set(ids)].map((id) => caseKey(id)))).map((i) => parseCase(i)!),
      tracking: async (trackingNumber) => parseTracking(await table.get(trackingKey(trackingNumber).pk, "TRACK")),
      events: async (caseId) =>
        (await table.query({ pk: caseKey(caseId).pk, skBeginsWith: "EVENT#", consistent: true })).map((i) => parseEvent(i)!),
      listOpen: async (agencyCode) => (await queryCases(openCasesIndex(agencyCode))).map((c) => c.record),
      listClosed: async (agencyCode, year) => (await queryCases(closedCasesIndex(agencyCode, year))).map((c) => c.record),
      async reportRows(agencyCode, period) {
        const index = period === "open" ? openCasesIndex(agencyCode) : closedCasesIndex(agencyCode, period);
        const names: Record<string, string> = { "#caseId": "caseId", "#workflow": "workflow", "#createdOn": "createdOn", "#closedAt": "closedAt", "#result": "result", "#data": "data" };
        REPORT_DATA_ATTRIBUTES.forEach((a, i) => (names[`#d${i}`] = a));
        const projection = ["#caseId", "#workflow", "#createdOn", "#closedAt", "#result", ...REPORT_DATA_ATTRIBUTES.map((_, i) => `#data.#d${i}`)].join(", ");
        // a year's closed cases are read as month slices at once, a busy month as its days: each query
        // stays small however large the year (DynamoDB Local pages a large partition in time growing
        // with what is left after the page; on AWS the slices run side by side)
        const slices: Array<SortKeySlice | undefined> = period === "open" ? [undefined] : monthSlices(period);
        const items = (
          await Promise.all(slices.map((slice) => queryProjected(table, { index: index.index, pkName: "gsi2pk", pk: index.pk, ...(slice ? { slice, split: daySlices } : {}) }, projection, names)))
        ).flat();
        return items.map((i) => ({
          caseId: String(i.caseId),
          workflow: String(i.workflow),
          createdOn: String(i.createdOn),
          ...(typeof i.closedAt === "string" ? { closedAt: i.closedAt } : {}),
          ...(i.result ? { result: i.result as ReportCaseRow["result"] } : {}),
          data: (i.data ?? {}) as Record<string, unknown>,
        }));
      },
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
      async listOpenPage(agencyCode, { limit, after }) {
        const index = openTasksIndex(agencyCode);
        const startKey = after ? inboxStartKey(agencyCode, after) : undefined;
        if (after && !startKey) return { tasks: [] };
        const out = await table.doc.send(
          new QueryCommand({
            TableName: table.name,
            IndexName: index.index,
            KeyConditionExpression: "gsi1pk = :pk",
            ExpressionAttributeValues: { ":pk": index.pk },
            ExclusiveStartKey: startKey,
            Limit: limit,
          }),
        );
        const next = positionOf(out.LastEvaluatedKey);
        return { tasks: ((out.Items ?? []) as Item[]).map((i) => parseTask(i)!).filter((t) => t.status === "open"), ...(next ? { next } : {}) };
      },
      async openSummaries(agencyCode) {
        // the index is read whole, but only these attributes travel: no payload, no case reads
        const index = openTasksIndex(agencyCode);
        const names = Object.fromEntries(SUMMARY_ATTRIBUTES.map((a, i) => [`#a${i}`, a]));
        const items = await queryProjected(table, { index: index.index, pkName: "gsi1pk", pk: index.pk }, Object.keys(names).join(", "), names);
        return items
          .filter((i) => i.status === "open")
          .map((i) => ({
            taskId: String(i.taskId),
            caseId: String(i.caseId),
            workflow: String(i.workflow),
            step: String(i.step),
            title: String(i.title),
            role: i.role as OpenTaskSummary["role"],
            escalatedTo: (Array.isArray(i.escalatedTo) ? i.escalatedTo : []) as OpenTaskSummary["escalatedTo"],
            dueAt: String(i.dueAt),
            dueOn: String(i.dueOn),
          }));
      },
    },
    directory: {
      agency: async (code) => parseAgency(await table.get(agencyKey(code).pk, "PROFILE")),
      agencies,
      user: async (agencyCode, username) => {
        const k = userKey(agencyCode, username);
        return parseUser(await table.get(k.pk, k.sk));
      },
      users: async (agencyCode) =>
        (await table.query({ pk: agencyKey(agencyCode).pk, skBeginsWith: "USER#" })).map((i) => parseUser(i)!).filter((u) => !u.disabled),
      staff: async (agencyCode) => (await table.query({ pk: agencyKey(agencyCode).pk, skBeginsWith: "USER#", consistent: true })).map((i) => parseUser(i)!),
      async putAgency(agency) {
        agencyList = undefined;
        await table.put(agencyItem(agency));
        agencyList = undefined;
      },
      putUser: (user) => table.put(userItem(user)),
    },
    sessions: {
      put: (session) => table.put(sessionItem(session)),
      get: async (tokenHash) => parseSession(await table.get(sessionKey(tokenHash).pk, "SESSION")),
      delete: (tokenHash) => table.delete(sessionKey(tokenHash).pk, "SESSION"),
      async touch(tokenHash, lastSeenAt) {
        try {
          await table.update({ ...sessionKey(tokenHash), set: "lastSeenAt = :at", condition: "attribute_exists(pk)", values: { ":at": lastSeenAt } });
        } catch (error) {
          // signed out meanwhile: nothing to record
          if (!(error instanceof ConcurrentChangeError)) throw error;
        }
      },
    },
    counters: {
      async next(agencyCode, name, count = 1) {
        const k = counterKey(agencyCode, name);
        const out = await table.update({ ...k, expression: "ADD #v :n", names: { "#v": "value" }, values: { ":n": count } });
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
      async get(messageId) {
        const item = await table.get<Item>(mailKey(messageId).pk, "MAIL");
        // a released claim is as good as none: its holder gave up before sending
        if (!item || item.state === "released") return undefined;
        const claim = parseMail(item)!;
        const holder = parseMailHolder(item.holder);
        return { ...claim, ...(typeof item.claimId === "string" ? { claimId: item.claimId } : {}), ...(holder ? { holder } : {}) };
      },
      async claim(messageId, { claimId, at, holder }, takeOver) {
        const names = { "#state": "state" };
        // a take-over succeeds only on the very claim that was judged stale: same id (older senders: none) and moment
        const condition = takeOver
          ? {
              expression: `#state = :sending AND claimedAt = :seenAt AND ${takeOver.claimId ? "claimId = :seenId" : "attribute_not_exists(claimId)"}`,
              names,
              values: { ":sending": "sending", ":seenAt": takeOver.claimedAt, ...(takeOver.claimId ? { ":seenId": takeOver.claimId } : {}) },
            }
          : { expression: "attribute_not_exists(pk) OR #state = :released", names, values: { ":released": "released" } };
        try {
          await table.put(
            { ...mailKey(messageId), state: "sending", claimedAt: at, claimId, ...(holder ? { holder } : {}), expiresAt: Math.floor(Date.parse(at) / 1000) + 90 * 86_400 },
            condition,
          );
          return true;
        } catch (error) {
          if (error instanceof ConcurrentChangeError) return false;
          throw error;
        }
      },
      async release(messageId, claimId) {
        await table
          .update({
            ...mailKey(messageId),
            set: "#state = :released",
            condition: "claimId = :id AND #state = :sending",
            names: { "#state": "state" },
            values: { ":released": "released", ":id": claimId, ":sending": "sending" },
          })
          .catch((error: unknown) => {
            // taken over or sent meanwhile: not ours to give up any more
            if (!(error instanceof ConcurrentChangeError)) throw error;
          });
      },
      async markSent(messageId, at) {
        await table.update({ ...mailKey(messageId), set: "#state = :sent, sentAt = :at", names: { "#state": "state" }, values: { ":sent": "sent", ":at": at } });
      },
    },
    throttle: {
      async count(key, w, at) {
        const k = throttleKey(key, w, at);
        return Number((await table.get<Item>(k.pk, k.sk))?.n ?? 0);
      },
      async add(key, w, at, by = 1) {
        const k = throttleKey(key, w, at);
        // one atomic ADD, so instances racing on one key never both see room; the item outlives its window a little, then TTL removes it
        const out = await table.update({ ...k, expression: "ADD n :by SET expiresAt = :ttl", values: { ":by": by, ":ttl": Math.floor(at.getTime() / 1000) + 2 * w } });
        return Number(out?.n ?? by);
      },
      strikes: async (key) => parseStrikes(await table.get<Item>(strikesKey(key).pk, "STRIKES")),
    },
    security: {
      async list(agencyCode, range = {}) {
        const from = range.from ?? "0";
        const to = `${range.to ?? "9999"}#\uffff`;
        return (await table.query({ pk: `SECURITY#${agencyCode}`, skBetween: [from, to], consistent: true })).map(parseSecurityEvent);
      },
    },
    transparency: {
      counters: async (agencyCode) => parseCounters(await table.get<Item>(transparencyKey(agencyCode).pk, transparencyKey(agencyCode).sk)),
      async allCounters() {
        const shards = await Promise.all(
          Array.from({ length: TRANSPARENCY_SHARDS }, (_, n) => table.query({ pk: transparencyPartition(n), skBeginsWith: "AGENCY#" })),
        );
        return shards.flat().map((i) => parseCounters(i)!);
      },
      contribution: async (caseId) => parseContribution(await table.get<Item>(contributionKey(caseId).pk, contributionKey(caseId).sk)),
    },
    async commit(writes) {
      const agencyWritten = writes.some((w) => w.kind === "agency");
      if (agencyWritten) agencyList = undefined;
      await table.transact(writes.map((w) => writeItem(table, w)));
      if (agencyWritten) agencyList = undefined;
    },
  };
}
