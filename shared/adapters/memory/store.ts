import type { SecurityEvent, SignalRecord, Store, Strikes, TransparencyCounters, ContributionRecord, TaskPosition, TrackingRecord, Write } from "../../app/ports/store";
import { REPORT_DATA_ATTRIBUTES } from "../aws/entities/case";
import type { OutboxRecord } from "../../app/ports/outbox";
import type { AgencyRecord, AuditEvent, CaseRecord, SessionRecord, TaskRecord, UserRecord } from "../../domain/records";
import { workflows } from "../../domain/workflows";
import { ConcurrentChangeError } from "../../app/errors";
import { caseIdOfTask } from "../aws/entities/task";
import type { CatalogueEntry } from "../../domain/catalogue/entry";

/**
 * The Store port in memory, with the same preconditions as the DynamoDB store
 * (versions, must-not-exist, append-only events) checked before anything of a
 * commit is applied. Values are copied in and out, like a real store's would be.
 */
export interface MemoryStore extends Store {
  /** what the outbox writes of every commit so far held, in order */
  readonly outbox: OutboxRecord[];
  /** number of commits, for tests that count transactions */
  commits(): number;
}

const copy = <T>(v: T): T => structuredClone(v);

export function createMemoryStore(): MemoryStore {
  const cases = new Map<string, CaseRecord>();
  const events = new Map<string, AuditEvent[]>();
  const tasks = new Map<string, TaskRecord>();
  const tracking = new Map<string, TrackingRecord>();
  const signals = new Map<string, SignalRecord[]>();
  const claims = new Map<string, Record<string, unknown>>();
  const agencies = new Map<string, AgencyRecord>();
  const users = new Map<string, UserRecord>();
  const sessions = new Map<string, SessionRecord>();
  const counters = new Map<string, number>();
  const mail = new Map<string, NonNullable<Awaited<ReturnType<Store["mail"]["get"]>>>>();
  const outbox: OutboxRecord[] = [];
  const windows = new Map<string, number>();
  const bucket = (key: string, windowSeconds: number, at: Date) => `${key}#${Math.floor(at.getTime() / 1000 / windowSeconds)}`;
  const strikes = new Map<string, { strikes: Strikes; version: number }>();
  const security = new Map<string, SecurityEvent[]>();
  const securitySk = (e: SecurityEvent) => `${e.at}#${e.eventId}`;
  const catalogue = new Map<string, CatalogueEntry>();
  const transparency = new Map<string, TransparencyCounters>();
  const contributions = new Map<string, ContributionRecord>();
  let commits = 0;

  const fail = (what: string): never => {
    throw new ConcurrentChangeError(`事务条件未满足: ${what}`);
  };

  function check(w: Write): void {
    switch (w.kind) {
      case "contribution": {
        const current = contributions.get(w.contribution.caseId);
        if (w.expectedCaseVersion === undefined ? current : current?.caseVersion !== w.expectedCaseVersion) fail(`contribution ${w.contribution.caseId}`);
        return;
      }
      case "transparency":
        if ((transparency.get(w.counters.agencyCode)?.version ?? 0) !== w.expectedVersion) fail(`transparency ${w.counters.agencyCode}`);
        return;
      case "case": {
        const current = cases.get(w.record.caseId);
        if (w.expectedVersion === undefined ? current : current?.version !== w.expectedVersion) fail(`case ${w.record.caseId}`);
        return;
      }
      case "event":
        if ((events.get(w.event.caseId) ?? []).some((e) => e.seq === w.event.seq)) fail(`event ${w.event.caseId}/${w.event.seq}`);
        return;
      case "task": {
        const current = tasks.get(w.task.taskId);
        if (w.expectedVersion === undefined ? current : current?.version !== w.expectedVersion) fail(`task ${w.task.taskId}`);
        return;
      }
      case "tracking":
        if (!w.replace && tracking.has(w.tracking.trackingNumber)) fail(`tracking ${w.tracking.trackingNumber}`);
        return;
      case "claim":
        if (claims.has(w.key)) fail(`claim ${w.key}`);
        return;
      case "strikes":
        if ((strikes.get(w.key)?.version ?? 0) !== w.expectedVersion) fail(`strikes ${w.key}`);
        return;
      case "security":
        if ((security.get(w.event.agencyCode) ?? []).some((e) => securitySk(e) === securitySk(w.event))) fail(`security ${w.event.eventId}`);
        return;
      case "user": {
        const current = users.get(`${w.user.agencyCode}/${w.user.username}`);
        if (w.expectedVersion === undefined ? current : !current || (current.version ?? 0) !== w.expectedVersion) fail(`user ${w.user.username}`);
        return;
      }
      case "agency":
        if (w.create ? agencies.has(w.agency.code) : !agencies.has(w.agency.code)) fail(`agency ${w.agency.code}`);
        return;
      case "catalogue": {
        const current = catalogue.get(w.entry.indexNumber);
        if (w.expectedRevision === undefined ? current : current?.revision !== w.expectedRevision) fail(`catalogue ${w.entry.indexNumber}`);
        return;
      }
      case "outbox":
      case "signal":
        return;
    }
  }

  function apply(w: Write): void {
    switch (w.kind) {
      case "contribution":
        contributions.set(w.contribution.caseId, copy(w.contribution));
        return;
      case "transparency":
        transparency.set(w.counters.agencyCode, copy({ ...w.counters, version: w.expectedVersion + 1 }));
        return;
      case "case":
        cases.set(w.record.caseId, copy(w.record));
        return;
      case "event":
        events.set(w.event.caseId, [...(events.get(w.event.caseId) ?? []), copy(w.event)].sort((a, b) => a.seq - b.seq));
        return;
      case "task":
        tasks.set(w.task.taskId, copy(w.task));
        return;
      case "tracking":
        tracking.set(w.tracking.trackingNumber, copy(w.tracking));
        return;
      case "claim":
        claims.set(w.key, copy(w.value));
        return;
      case "strikes":
        strikes.set(w.key, { strikes: copy(w.strikes), version: w.expectedVersion + 1 });
        return;
      case "security":
        security.set(w.event.agencyCode, [...(security.get(w.event.agencyCode) ?? []), copy(w.event)].sort((a, b) => (securitySk(a) < securitySk(b) ? -1 : 1)));
        return;
      case "outbox":
        outbox.push(copy(w.record));
        return;
      case "catalogue":
        catalogue.set(w.entry.indexNumber, copy(w.entry));
        return;
      case "user":
        users.set(`${w.user.agencyCode}/${w.user.username}`, copy({ ...w.user, version: (w.expectedVersion ?? 0) + 1 }));
        return;
      case "agency":
        agencies.set(w.agency.code, copy(w.agency));
        return;
      case "signal":
        signals.set(w.signal.key, [copy(w.signal), ...(signals.get(w.signal.key) ?? []).filter((s) => s.caseId !== w.signal.caseId)].sort((a, b) => b.at.localeCompare(a.at)));
        return;
    }
  }

  const openTasks = (agencyCode: string) =>
    [...tasks.values()].filter((t) => t.agencyCode === agencyCode && t.status === "open").sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.taskId.localeCompare(b.taskId));
  /** the inbox index order as DynamoDB keeps gsi1 (`<dueAt>#<taskId>`, by code unit) */
  const inboxKey = (t: TaskPosition) => `${t.dueAt}#${t.taskId}`;
  const inbox = (agencyCode: string) =>
    [...tasks.values()].filter((t) => t.agencyCode === agencyCode && t.status === "open").sort((a, b) => (inboxKey(a) < inboxKey(b) ? -1 : inboxKey(a) > inboxKey(b) ? 1 : 0));

  return {
    outbox,
    commits: () => commits,
    cases: {
      get: async (caseId) => copy(cases.get(caseId)),
      getMany: async (ids) => copy(ids.map((id) => cases.get(id)).filter((c): c is CaseRecord => c !== undefined)),
      tracking: async (n) => copy(tracking.get(n)),
      events: async (caseId) => copy(events.get(caseId) ?? []),
      listOpen: async (agencyCode) =>
        copy([...cases.values()].filter((c) => c.agencyCode === agencyCode && !c.closedAt).sort((a, b) => a.createdAt.localeCompare(b.createdAt))),
      listClosed: async (agencyCode, year) =>
        copy([...cases.values()].filter((c) => c.agencyCode === agencyCode && c.closedAt && (c.result?.closedOn ?? c.closedAt).startsWith(String(year)))),
      async reportRows(agencyCode, period) {
        const picked = [...cases.values()].filter(
          (c) => c.agencyCode === agencyCode && (period === "open" ? !c.closedAt : !!c.closedAt && (c.result?.closedOn ?? c.closedAt).startsWith(String(period))),
        );
        return copy(
          picked.map((c) => {
            const d = c.data as Record<string, unknown>;
            const data = Object.fromEntries(REPORT_DATA_ATTRIBUTES.filter((k) => d[k] !== undefined).map((k) => [k, d[k]]));
            return { caseId: c.caseId, workflow: c.workflow, createdOn: c.createdOn, ...(c.closedAt ? { closedAt: c.closedAt } : {}), ...(c.result ? { result: c.result } : {}), data };
          }),
        );
      },
      async search(q) {
        const withStep = q.step ? new Set(openTasks(q.agencyCode).filter((t) => t.step === q.step).map((t) => t.caseId)) : undefined;
        const text = q.text?.toLowerCase();
        return copy(
          [...cases.values()]
            .filter(
              (c) =>
                c.agencyCode === q.agencyCode &&
                (!q.workflow || c.workflow === q.workflow) &&
                (!q.reference || c.reference === q.reference) &&
                (!q.status || c.status === q.status) &&
                (!q.from || c.createdOn >= q.from) &&
                (!q.to || c.createdOn <= q.to) &&
                (!withStep || withStep.has(c.caseId)) &&
                (!text || (workflows[c.workflow]?.searchText(c as never) ?? c.reference).toLowerCase().includes(text)),
            )
            .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
            .slice(0, q.limit ?? 100),
        );
      },
    },
    tasks: {
      get: async (taskId) => (caseIdOfTask(taskId) ? copy(tasks.get(taskId)) : undefined),
      ofCase: async (caseId) => copy([...tasks.values()].filter((t) => t.caseId === caseId).sort((a, b) => a.taskId.localeCompare(b.taskId))),
      listOpen: async (agencyCode) => copy(openTasks(agencyCode)),
      async listOpenPage(agencyCode, { limit, after }) {
        const rest = inbox(agencyCode).filter((t) => !after || inboxKey(t) > inboxKey(after));
        const page = rest.slice(0, Math.max(1, limit));
        const last = page.at(-1);
        return { tasks: copy(page), ...(rest.length > page.length && last ? { next: { dueAt: last.dueAt, taskId: last.taskId } } : {}) };
      },
      openSummaries: async (agencyCode) =>
        copy(inbox(agencyCode).map(({ taskId, caseId, workflow, step, title, role, escalatedTo, dueAt, dueOn }) => ({ taskId, caseId, workflow, step, title, role, escalatedTo, dueAt, dueOn }))),
    },
    directory: {
      agency: async (code) => copy(agencies.get(code)),
      agencies: async () => copy([...agencies.values()].sort((a, b) => a.code.localeCompare(b.code))),
      user: async (agencyCode, username) => copy(users.get(`${agencyCode}/${username}`)),
      users: async (agencyCode) => copy([...users.values()].filter((u) => u.agencyCode === agencyCode && !u.disabled)),
      staff: async (agencyCode) => copy([...users.values()].filter((u) => u.agencyCode === agencyCode).sort((a, b) => a.username.localeCompare(b.username))),
      putAgency: async (a) => void agencies.set(a.code, copy(a)),
      putUser: async (u) => void users.set(`${u.agencyCode}/${u.username}`, copy(u)),
    },
    sessions: {
      put: async (s) => void sessions.set(s.tokenHash, copy(s)),
      get: async (h) => copy(sessions.get(h)),
      delete: async (h) => void sessions.delete(h),
      async touch(h, lastSeenAt) {
        const s = sessions.get(h);
        if (s) sessions.set(h, { ...s, lastSeenAt });
      },
    },
    counters: {
      async next(agencyCode, name, count = 1) {
        const key = `${agencyCode}/${name}`;
        const value = (counters.get(key) ?? 0) + count;
        counters.set(key, value);
        return value;
      },
    },
    signals: { list: async (key, limit) => copy((signals.get(key) ?? []).slice(0, limit)) },
    claims: { get: async (key) => copy(claims.get(key)) },
    mail: {
      get: async (id) => copy(mail.get(id)),
      async claim(id, { claimId, at, holder }, takeOver) {
        const current = mail.get(id);
        const stale = takeOver && current?.state === "sending" && current.claimedAt === takeOver.claimedAt && current.claimId === takeOver.claimId;
        if (takeOver ? !stale : current) return false;
        mail.set(id, { state: "sending", claimedAt: at, claimId, ...(holder ? { holder: { ...holder } } : {}) });
        return true;
      },
      async release(id, claimId) {
        const current = mail.get(id);
        // released is as good as unclaimed
        if (current?.state === "sending" && current.claimId === claimId) mail.delete(id);
      },
      async markSent(id, at) {
        const current = mail.get(id);
        mail.set(id, { ...current, state: "sent", claimedAt: current?.claimedAt ?? at });
      },
    },
    throttle: {
      count: async (key, w, at) => windows.get(bucket(key, w, at)) ?? 0,
      async add(key, w, at, by = 1) {
        const b = bucket(key, w, at);
        windows.set(b, (windows.get(b) ?? 0) + by);
        return windows.get(b)!;
      },
      strikes: async (key) => copy(strikes.get(key) ?? { version: 0 }),
    },
    security: {
      list: async (agencyCode, range = {}) =>
        copy((security.get(agencyCode) ?? []).filter((e) => (!range.from || e.at >= range.from) && (!range.to || e.at <= range.to))),
    },
    transparency: {
      counters: async (agencyCode) => (transparency.has(agencyCode) ? copy(transparency.get(agencyCode)!) : undefined),
      allCounters: async () => [...transparency.values()].map(copy),
      contribution: async (caseId) => (contributions.has(caseId) ? copy(contributions.get(caseId)!) : undefined),
    },
    catalogue: {
      get: async (agencyCode, indexNumber) => {
        const entry = catalogue.get(indexNumber);
        return entry?.agencyCode === agencyCode ? copy(entry) : undefined;
      },
      list: async (agencyCode) =>
        copy([...catalogue.values()].filter((e) => e.agencyCode === agencyCode).sort((a, b) => b.year - a.year || b.sequence - a.sequence)),
    },
    async commit(writes) {
      if (writes.length === 0) return;
      for (const w of writes) check(w);
      for (const w of writes) apply(w);
      commits++;
    },
  };
}
