import type {
  AgencyRecord,
  AuditEvent,
  CaseRecord,
  SessionRecord,
  TaskRecord,
  UserRecord,
} from "../../domain/records";
import type { OutboxRecord } from "../../adapters/aws/outbox";
import type { CatalogueEntry } from "../../domain/catalogue/entry";

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
  | { kind: "claim"; key: string; value: Record<string, unknown>; expiresAt?: number }
  /** a target's strikes (sign-in backoff); fails the commit unless the stored version is `expectedVersion` (0: none stored) */
  | { kind: "strikes"; key: string; strikes: Strikes; expectedVersion: number }
  /** an append-only security record (a lockout, its end) */
  | { kind: "security"; event: SecurityEvent }
  /** a staff account; expectedVersion undefined: it must not exist yet, else its stored version (0: one stored without a version); stored with version + 1 */
  | { kind: "user"; user: UserRecord; expectedVersion?: number }
  /** an agency's profile; create: it must not exist yet, else it must */
  | { kind: "agency"; agency: AgencyRecord; create?: boolean }
  /** a catalogue entry; expectedRevision undefined: its index number must not be taken yet */
  | { kind: "catalogue"; entry: CatalogueEntry; expectedRevision?: number }
  /** a case's transparency contribution; expectedCaseVersion undefined: none may be stored yet, else the stored one must be of that case version */
  | { kind: "contribution"; contribution: ContributionRecord; expectedCaseVersion?: number }
  /** an agency's transparency counters, stored with version + 1; expectedVersion 0: none stored yet */
  | { kind: "transparency"; counters: TransparencyCounters; expectedVersion: number };

/** An agency's transparency counters (shared/domain/transparency/figures.ts), versioned for optimistic writes. */
export interface TransparencyCounters {
  agencyCode: string;
  counts: Record<string, number>;
  version: number;
}

/** What one case version added to its agency's counters, so a redelivered change adds nothing. */
export interface ContributionRecord {
  caseId: string;
  agencyCode: string;
  caseVersion: number;
  counts: Record<string, number>;
}

/** The transparency counters: per agency, and every agency's for the deployment page (a few partition queries, never a scan). */
export interface TransparencyRepo {
  counters(agencyCode: string): Promise<TransparencyCounters | undefined>;
  allCounters(): Promise<TransparencyCounters[]>;
  contribution(caseId: string): Promise<ContributionRecord | undefined>;
}

/** The public catalogue (政府信息公开目录) of each agency. */
export interface CatalogueRepo {
  get(agencyCode: string, indexNumber: string): Promise<CatalogueEntry | undefined>;
  /** every entry of an agency (withdrawn ones too), newest index number first */
  list(agencyCode: string): Promise<CatalogueEntry[]>;
}

/** What the reports read of a case: a few attributes, not the whole item (the annual report reads tens of thousands). */
export interface ReportCaseRow {
  caseId: string;
  workflow: string;
  createdOn: string;
  closedAt?: string;
  result?: CaseRecord["result"];
  /** the application's own facts (data.receivedOn, data.submittedOn, data.applicantColumn, data.remedies) */
  data: Record<string, unknown>;
}

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
  /** the report attributes of an agency's open cases ("open") or of those closed in a year */
  reportRows(agencyCode: string, period: "open" | number): Promise<ReportCaseRow[]>;
}

/** Where a task sits in its agency's inbox order (soonest due first, then task id): what a page cursor holds. */
export interface TaskPosition {
  dueAt: string;
  taskId: string;
}

export interface TaskPage {
  /** open tasks after the position asked for, in inbox order (possibly fewer than the limit, even none: index reads lag) */
  tasks: TaskRecord[];
  /** where the next read starts; undefined when the inbox was read to its end */
  next?: TaskPosition;
}

/** What counts and filters of an inbox need of an open task, read without its payload. */
export type OpenTaskSummary = Pick<TaskRecord, "taskId" | "caseId" | "workflow" | "step" | "title" | "role" | "escalatedTo" | "dueAt" | "dueOn">;

export interface TaskRepo {
  get(taskId: string): Promise<TaskRecord | undefined>;
  /** every task of a case (consistent read) */
  ofCase(caseId: string): Promise<TaskRecord[]>;
  /** open tasks of an agency, soonest due first */
  listOpen(agencyCode: string): Promise<TaskRecord[]>;
  /** one page of the same order: at most `limit` index entries after `after` (DynamoDB Limit/ExclusiveStartKey on gsi1) */
  listOpenPage(agencyCode: string, page: { limit: number; after?: TaskPosition }): Promise<TaskPage>;
  /** every open task of an agency, only the attributes of OpenTaskSummary (for counts) */
  openSummaries(agencyCode: string): Promise<OpenTaskSummary[]>;
}

export interface Directory {
  agency(code: string): Promise<AgencyRecord | undefined>;
  agencies(): Promise<AgencyRecord[]>;
  user(agencyCode: string, username: string): Promise<UserRecord | undefined>;
  /** active users of an agency */
  users(agencyCode: string): Promise<UserRecord[]>;
  /** every account of an agency, disabled ones included (the administrator's list) */
  staff(agencyCode: string): Promise<UserRecord[]>;
  putAgency(agency: AgencyRecord): Promise<void>;
  putUser(user: UserRecord): Promise<void>;
}

export interface SessionRepo {
  put(session: SessionRecord): Promise<void>;
  /** records a request on a session that still exists (never brings back one signed out meanwhile) */
  touch(tokenHash: string, lastSeenAt: string): Promise<void>;
  get(tokenHash: string): Promise<SessionRecord | undefined>;
  delete(tokenHash: string): Promise<void>;
}

export interface Counters {
  /**
   * atomically the next number of a per-agency sequence (gaps are harmless); with `count`, a
   * block of that many numbers is taken at once and the last of them returned
   */
  next(agencyCode: string, name: string, count?: number): Promise<number>;
}

export interface Signals {
  /** entries under a key, newest first */
  list(key: string, limit?: number): Promise<SignalRecord[]>;
}

export interface Claims {
  get(key: string): Promise<Record<string, unknown> | undefined>;
}

/** The queue delivery that holds a mail's claim, so a later delivery can tell a dead holder from a live one. */
export interface MailHolder {
  /** SQS's message id and ApproximateReceiveCount of the delivery that claimed it */
  sqsMessageId: string;
  receiveCount: number;
  /** ISO wall-clock moment by which that delivery's invocation is over (Lambda stops it at its timeout) */
  endsBy: string;
}

/** One mail's send state. `claimId` (absent on claims of older senders) tells one claim from the next. */
export interface MailClaim {
  state: "sending" | "sent";
  claimedAt: string;
  claimId?: string;
  holder?: MailHolder;
}

/** One mail's send state, so a redelivered message is sent once (claimed, then sent). */
export interface MailLedger {
  get(messageId: string): Promise<MailClaim | undefined>;
  /**
   * Claims it when unclaimed, or when `takeOver` is the claim as read (still "sending" and
   * unchanged since: same claimId and claimedAt); false when someone else holds it.
   */
  claim(messageId: string, claim: { claimId: string; at: string; holder?: MailHolder }, takeOver?: MailClaim): Promise<boolean>;
  /** gives up the caller's own claim (by its id) after a failed send; no-op when it is not (or no longer) theirs */
  release(messageId: string, claimId: string): Promise<void>;
  markSent(messageId: string, at: string): Promise<void>;
}

/**
 * A target's run of failed attempts (a user's sign-ins): how many, when the next attempt may
 * come, and the lockout in force. Epoch milliseconds; `expiresAt` (epoch seconds) is when
 * the store may forget it (TTL), and readers treat it as forgotten from then on.
 */
export interface Strikes {
  count: number;
  notBefore: number;
  lockedFrom?: number;
  lockedUntil?: number;
  expiresAt: number;
}

/**
 * Counters behind the limits of shared/app/rate-limits.ts, shared by every instance
 * (DynamoDB on AWS): fixed windows per key (attempts per address, per tracking number…)
 * and per-target strikes for a growing delay and lockout.
 */
export interface Throttle {
  /** the count of the key's window that contains `at` */
  count(key: string, windowSeconds: number, at: Date): Promise<number>;
  /** adds `by` (default 1; -1 gives one back) atomically and returns the window's new count */
  add(key: string, windowSeconds: number, at: Date, by?: number): Promise<number>;
  /** the key's strikes as stored (expired ones included) and their version (0: none stored); written with a `strikes` write */
  strikes(key: string): Promise<{ strikes?: Strikes; version: number }>;
}

/** A security record (存档备查 like the case trail: append-only, kept), one item per event under its agency. */
export interface SecurityEvent {
  /** the agency the attempt named, `-` when no such agency exists */
  agencyCode: string;
  /** ISO instant */
  at: string;
  eventId: string;
  type: SecurityEventType;
  /** the account concerned, as typed (it may not exist: the answer to the client is the same) */
  username: string;
  /** the client address of the attempt that caused it */
  clientIp: string;
  /** one line in Chinese */
  summary: string;
  data?: Record<string, unknown>;
  /** who did it, when it is not the account itself (an administrator, the CLI) */
  actor?: { username: string; displayName: string };
}

/** What the security trail records: lockouts, sign-ins and their failures, and every change to accounts and agencies. */
export type SecurityEventType =
  | "signin.locked"
  | "signin.lockout_ended"
  | "signin.succeeded"
  | "signin.failed"
  | "signin.totp_failed"
  | "password.changed"
  | "password.reset_sent"
  | "password.reset"
  | "totp.enrolled"
  | "totp.removed"
  | "user.created"
  | "user.updated"
  | "user.roles_changed"
  | "user.disabled"
  | "user.enabled"
  | "agency.created"
  | "agency.updated";

export interface SecurityLog {
  /** an agency's security events, oldest first; `from`/`to` are ISO instants (inclusive) */
  list(agencyCode: string, range?: { from?: string; to?: string }): Promise<SecurityEvent[]>;
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
  security: SecurityLog;
  catalogue: CatalogueRepo;
  transparency: TransparencyRepo;
  /** all of it or none of it */
  commit(writes: Write[]): Promise<void>;
}
