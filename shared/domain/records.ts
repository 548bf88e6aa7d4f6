import type { Deadline } from "./deadlines";
import type { IsoDate } from "./calendar";
import type { Role } from "./roles";
import type { AuditEvent } from "./audit";
import type { ResultCell } from "./report/cells";
import type { ScreeningSettings } from "./screening/types";

/** Stored shapes of Gongkai's entities (without the table's key attributes). */

export interface AgencyRecord {
  code: string;
  name: string;
  /** shown to applicants as the office's contact */
  officeContact?: string;
  /** letterhead and seal line of the agency's letters (default: its name) */
  letterhead?: string;
  /** prefix of its letters' numbers, e.g. 黄行服依复 → 黄行服依复〔2026〕3号 */
  letterPrefix?: string;
  /** where applicants seek administrative review (Administrative Review Law 2023: the people's government at the same level) */
  reviewAuthority?: string;
  /** the court of first instance named in letters (optional; otherwise 人民法院) */
  court?: string;
  officeAddress?: string;
  /** what every public page shows of the agency (footer, guide), edited in the console */
  site?: AgencySite;
  /** content screening word lists and switches (shared/domain/screening) */
  screening?: ScreeningSettings;
  /** sign-in policy (seed 网站安全防护制度 第二条); absent: the defaults of shared/domain/accounts/security.ts */
  security?: AgencySecurity;
  /** ISO instant it was created through the admin API or the CLI (absent for seeded agencies) */
  createdAt?: string;
  /** duty watch and security inspection settings (shared/app/duty) */
  duty?: AgencyDutySettings;
}

/** An agency's sign-in policy. */
export interface AgencySecurity {
  /** roles that must sign in with a second factor (TOTP); a new agency: administrators */
  totpRoles: Role[];
  /** a password expires this many days after it was set (0: never); default 90 */
  passwordMaxAgeDays: number;
  /** a session ends after this many minutes without a request; default 30 */
  sessionIdleMinutes: number;
}

export interface AgencyDutySettings {
  /** pages the automatic check fetches (default: the portal's own home and catalogue pages) */
  sites?: string[];
  /** weeks between security inspections (default 1) */
  inspectionEveryWeeks?: number;
}

/** The footer a government site must carry, and the office's contact for the guide (OGI Regulations art. 12). */
export interface AgencySite {
  /** 主办单位 (default: the agency's name) */
  organiser?: string;
  address?: string;
  postalCode?: string;
  phone?: string;
  fax?: string;
  email?: string;
  /** office hours, e.g. 工作日 上午8:30—12:00 下午14:30—17:30 */
  hours?: string;
  /** 网站标识码 */
  siteCode?: string;
  /** ICP 备案号, e.g. 浙ICP备05001234号 */
  icp?: string;
  /** 公安机关备案号, e.g. 浙公网安备 33100302000123号 */
  psb?: string;
  /** 政府信息公开指南: sections in order, each a heading and plain-text paragraphs */
  guide?: { updatedOn: IsoDate; sections: Array<{ heading: string; body: string }> };
}

export interface UserRecord {
  agencyCode: string;
  username: string;
  displayName: string;
  email: string;
  roles: Role[];
  passwordHash: string;
  disabled?: boolean;
  /** ISO instant: sessions created at or before it are void (set when the user is disabled, so enabling again revives none) */
  tokensValidAfter?: string;
  /** contact phone (a password may not contain it) */
  phone?: string;
  /** optimistic-locking version of the record (absent: 0, a record from before versions) */
  version?: number;
  createdAt?: string;
  /** ISO instant the password was last set; with the agency's passwordMaxAgeDays it decides expiry */
  passwordChangedAt?: string;
  /** hashes of earlier passwords, newest first (with the current one: the last PASSWORD_HISTORY) */
  passwordHistory?: string[];
  /** set by an administrator's initial password or reset: the next sign-in must choose a new one */
  mustChangePassword?: boolean;
  /** demo accounts only (shared/app/seed-demo.ts): scripts move the local clock by months */
  passwordNeverExpires?: boolean;
  lastSignInAt?: string;
  /** a confirmed TOTP second factor */
  totpEnabled?: boolean;
  /** base32 TOTP secret, once confirmed */
  totpSecret?: string;
  /** a secret shown for enrolment, not yet confirmed by a code */
  totpPendingSecret?: string;
  /** the last time step a code was accepted for (no replay) */
  totpLastStep?: number;
  /** the one outstanding password-reset link (its token's hash) */
  passwordReset?: { tokenHash: string; expiresAt: string };
}

export interface SessionRecord {
  tokenHash: string;
  agencyCode: string;
  username: string;
  csrfToken: string;
  createdAt: string;
  /** epoch seconds; DynamoDB TTL deletes it eventually, readers check it themselves */
  expiresAt: number;
  /** ISO instant of the last request seen (refreshed at most once a minute), for the idle timeout */
  lastSeenAt?: string;
}

/** A named deadline of a case, with what its timers have done. */
export interface CaseDeadline {
  deadline: Deadline;
  /** evaluated on the calendar when last changed (kept for lists and the sweep) */
  dueOn: IsoDate;
  provisional: boolean;
  paused: boolean;
  /** no longer running (met, or no longer relevant) */
  stopped?: { on: IsoDate; reason: string };
  timerNames: string[];
  /** it passed unmet and the escalation (or its expiry outcome) happened, for this due day */
  expiredOn?: IsoDate;
}

export interface LetterRecord {
  letterId: string;
  kind: string;
  title: string;
  /** the agency's number for it, e.g. 黄行服依复〔2026〕3号 */
  number: string;
  issuedAt: string;
  issuedOn: IsoDate;
  /** applicant: shown and downloadable on the tracking page */
  to: "applicant" | "party" | "staff";
  recipientName: string;
  /** files bucket keys */
  files: { html: string; docx: string };
}

/** The one annual-report cell a closed case counts in (SPEC §5.1). */
export interface CaseResult {
  cell: ResultCell;
  replyType: string;
  ground?: string;
  closedOn: IsoDate;
}

export interface StepRounds {
  /** last round opened; task ids are `<caseId>-<step>-<round>` */
  round: number;
}

/** The generic case entity: every workflow's cases have this shape; `data` is the workflow's own. */
export interface CaseRecord<D = Record<string, unknown>> {
  caseId: string;
  agencyCode: string;
  workflow: string;
  status: string;
  /** what people quote: the tracking number of an application */
  reference: string;
  createdAt: string;
  createdOn: IsoDate;
  data: D;
  deadlines: Record<string, CaseDeadline>;
  steps: Record<string, StepRounds>;
  flags: string[];
  letters: LetterRecord[];
  result?: CaseResult;
  closedAt?: string;
  archivedAt?: string;
  version: number;
  /** number of audit events so far; the next one gets seq eventCount + 1 */
  eventCount: number;
  lastEventHash: string;
}

export type TaskStatus = "open" | "done" | "cancelled";

export interface TaskRecord {
  taskId: string;
  caseId: string;
  agencyCode: string;
  workflow: string;
  step: string;
  round: number;
  role: Role;
  title: string;
  /** of the case, so lists need not read every case */
  reference: string;
  /** who the case is about, already masked (lists are seen by many) */
  party: string;
  status: TaskStatus;
  openedAt: string;
  openedOn: IsoDate;
  /** the task's own period; absent when it is due with a case deadline */
  deadline?: Deadline;
  dueWith?: string;
  dueOn: IsoDate;
  /** ISO instant: end of the due day in Asia/Shanghai */
  dueAt: string;
  dueIsProvisional: boolean;
  /** context for the assignee from the transition that opened it */
  note?: string;
  /** how many times it passed its due moment and went up the chain */
  escalationLevel: number;
  escalatedTo: Role[];
  /** names of Scheduler schedules that remind and escalate */
  scheduleNames: string[];
  completedAt?: string;
  completedBy?: string;
  completedByName?: string;
  completedRole?: string;
  outcome?: string;
  version: number;
}

export type { AuditEvent };
