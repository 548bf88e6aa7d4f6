import type { SignalRecord, Store, TrackingRecord, Write } from "../../app/ports/store";
import type { OutboxRecord } from "../../app/ports/outbox";
import type { AgencyRecord, AuditEvent, CaseRecord, SessionRecord, TaskRecord, UserRecord } from "../../domain/records";
import { workflows } from "../../domain/workflows";
import { ConcurrentChangeError } from "../../app/errors";
import { caseIdOfTask } from "../aws/entities/task";

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
  const mail = new Map<string, { state: "sending" | "sent"; claimedAt: string }>();
  const outbox: OutboxRecord[] = [];
  const failures = new Map<string, number>();
  const bucket = (key: string, windowSeconds: number, at: Date) => `${key}#${Math.floor(at.getTime() / 1000 / windowSeconds)}`;
  let commits = 0;

  const fail = (what: string): never => {
    throw new ConcurrentChangeError(`事务条件未满足: ${what}`);
  };

  function check(w: Write): void {
    switch (w.kind) {
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
      case "outbox":
      case "signal":
        return;
    }
  }

  function apply(w: Write): void {
    switch (w.kind) {
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
      case "outbox":
        outbox.push(copy(w.record));
        return;
      case "signal":
        signals.set(w.signal.key, [copy(w.signal), ...(signals.get(w.signal.key) ?? []).filter((s) => s.caseId !== w.signal.caseId)].sort((a, b) => b.at.localeCompare(a.at)));
        return;
    }
  }

  const openTasks = (agencyCode: string) =>
    [...tasks.values()].filter((t) => t.agencyCode === agencyCode && t.status === "open").sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.taskId.localeCompare(b.taskId));

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
    },
    directory: {
      agency: async (code) => copy(agencies.get(code)),
      agencies: async () => copy([...agencies.values()].sort((a, b) => a.code.localeCompare(b.code))),
      user: async (agencyCode, username) => copy(users.get(`${agencyCode}/${username}`)),
      users: async (agencyCode) => copy([...users.values()].filter((u) => u.agencyCode === agencyCode && !u.disabled)),
      putAgency: async (a) => void agencies.set(a.code, copy(a)),
      putUser: async (u) => void users.set(`${u.agencyCode}/${u.username}`, copy(u)),
    },
    sessions: {
      put: async (s) => void sessions.set(s.tokenHash, copy(s)),
      get: async (h) => copy(sessions.get(h)),
      delete: async (h) => void sessions.delete(h),
    },
    counters: {
      async next(agencyCode, name) {
        const key = `${agencyCode}/${name}`;
        const value = (counters.get(key) ?? 0) + 1;
        counters.set(key, value);
        return value;
      },
    },
    signals: { list: async (key, limit) => copy((signals.get(key) ?? []).slice(0, limit)) },
    claims: { get: async (key) => copy(claims.get(key)) },
    mail: {
      get: async (id) => copy(mail.get(id)),
      async claim(id, at, takeOver) {
        const current = mail.get(id);
        if (takeOver ? current?.state !== "sending" || current.claimedAt !== takeOver : current) return false;
        mail.set(id, { state: "sending", claimedAt: at });
        return true;
      },
      async markSent(id, at) {
        mail.set(id, { state: "sent", claimedAt: mail.get(id)?.claimedAt ?? at });
      },
    },
    throttle: {
      failures: async (key, w, at) => failures.get(bucket(key, w, at)) ?? 0,
      async recordFailure(key, w, at) {
        const b = bucket(key, w, at);
        failures.set(b, (failures.get(b) ?? 0) + 1);
        return failures.get(b)!;
      },
    },
    async commit(writes) {
      if (writes.length === 0) return;
      for (const w of writes) check(w);
      for (const w of writes) apply(w);
      commits++;
    },
  };
}
