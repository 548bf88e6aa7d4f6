import type {
  AgencyRecord,
  AuditEvent,
  CaseRecord,
  SessionRecord,
  TaskRecord,
  UserRecord,
} from "../../domain/records";
import type { OutboxRecord } from "../../adapters/aws/outbox";

/**
 * Persistence as use cases see it: named reads per entity and ONE way to write,
 * `commit`, which stores a list of writes atomically (a DynamoDB transaction; the
 * in-memory store does the same checks). A write whose precondition no longer
 * holds fails the whole commit with ConcurrentChangeError.
 */

export interface TrackingRecord {
  trackingNumber: string;
  caseId: string;
  accessCodeHash: string;
}

/** An index entry the signals of art. 35, 36(6) and 44 are computed from. */
export interface SignalRecord {
  /** e.g. `applicant#<agency>#<key>` or `info#<agency>#<fingerprint>` */
  key: string;
  caseId: string;
  at: string;
  reference: string;
}

export interface CaseQuery {
  agencyCode: string;
  workflow?: string;
  /** exact reference (tracking number) */
  reference?: string;
  status?: string;
  /** open tasks of this step */
  step?: string;
  /** created on or after / on or before (Asia/Shanghai dates) */
  from?: string;
  to?: string;
  /** free text matched against the case's searchable text (applicant name, description) */
  text?: string;
  limit?: number;
}

export type Write =
  /** expectedVersion undefined: the case must not exist yet */
  | { kind: "case"; record: CaseRecord; expectedVersion?: number }
  | { kind: "event"; event: AuditEvent }
  /** expectedVersion undefined: the task must not exist yet */
  | { kind: "task"; task: TaskRecord; expectedVersion?: number }
  | { kind: "tracking"; tracking: TrackingRecord; replace?: boolean }
  | { kind: "outbox"; record: OutboxRecord }
  | { kind: "signal"; signal: SignalRecord }
  /** a once-only marker (e.g. an idempotency key); fails the commit when it exists */
  | { kind: "claim"; key: string; value: Record<string, unknown>; expiresAt?: number };

export interface CaseRepo {
  get(caseId: string): Promise<CaseRecord | undefined>;
  /** several at once (lists); missing ones are left out */
  getMany(caseIds: string[]): Promise<CaseRecord[]>;
  tracking(trackingNumber: string): Promise<TrackingRecord | undefined>;
  events(caseId: string): Promise<AuditEvent[]>;
  /** open cases of an agency, oldest first */
  listOpen(agencyCode: string): Promise<CaseRecord[]>;
  /** cases closed in a year (Asia/Shanghai), for reports and the archive */
  listClosed(agencyCode: string, year: number): Promise<CaseRecord[]>;
  search(query: CaseQuery): Promise<CaseRecord[]>;
}

export interface TaskRepo {
  get(taskId: string): Promise<TaskRecord | undefined>;
  /** every task of a case (consistent read) */
  ofCase(caseId: string): Promise<TaskRecord[]>;
  /** open tasks of an agency, soonest due first */
  listOpen(agencyCode: string): Promise<TaskRecord[]>;
}

export interface Directory {
  agency(code: string): Promise<AgencyRecord | undefined>;
  agencies(): Promise<AgencyRecord[]>;
  user(agencyCode: string, username: string): Promise<UserRecord | undefined>;
  /** active users of an agency */
  users(agencyCode: string): Promise<UserRecord[]>;
  putAgency(agency: AgencyRecord): Promise<void>;
  putUser(user: UserRecord): Promise<void>;
}

export interface SessionRepo {
  put(session: SessionRecord): Promise<void>;
  get(tokenHash: string): Promise<SessionRecord | undefined>;
  delete(tokenHash: string): Promise<void>;
}

export interface Counters {
  /** atomically the next number of a per-agency sequence (gaps are harmless) */
  next(agencyCode: string, name: string): Promise<number>;
}

export interface Signals {
  /** entries under a key, newest first */
  list(key: string, limit?: number): Promise<SignalRecord[]>;
}

export interface Claims {
  get(key: string): Promise<Record<string, unknown> | undefined>;
}

/** One mail's send state, so a redelivered message is sent once (claimed, then sent). */
export interface MailLedger {
  get(messageId: string): Promise<{ state: "sending" | "sent"; claimedAt: string } | undefined>;
  /** claims it when unclaimed (or when `takeOver` names the stale claim); false when someone else holds it */
  claim(messageId: string, at: string, takeOver?: string): Promise<boolean>;
  markSent(messageId: string, at: string): Promise<void>;
}

/** Failed attempts per key and time window (wrong access codes, wrong passwords), for slowing guessers down. */
export interface Throttle {
  /** failures recorded for the key in the window that contains `at` */
  failures(key: string, windowSeconds: number, at: Date): Promise<number>;
  /** records one and returns the window's count including it */
  recordFailure(key: string, windowSeconds: number, at: Date): Promise<number>;
}

export interface Store {
  cases: CaseRepo;
  tasks: TaskRepo;
  directory: Directory;
  sessions: SessionRepo;
  counters: Counters;
  signals: Signals;
  claims: Claims;
  mail: MailLedger;
  throttle: Throttle;
  /** all of it or none of it */
  commit(writes: Write[]): Promise<void>;
}
