import type { Deadline } from "./deadlines";
import type { IsoDate } from "./calendar";
import type { ApplicationInput } from "../schemas/application";
import type { Role } from "./roles";
import type { AuditEvent } from "./audit";

/** Stored shapes of Gongkai's entities (without the table's key attributes). */

export interface AgencyRecord {
  code: string;
  name: string;
  /** shown to applicants as the office's contact */
  officeContact?: string;
}

export interface UserRecord {
  agencyCode: string;
  username: string;
  displayName: string;
  email: string;
  roles: Role[];
  passwordHash: string;
  disabled?: boolean;
}

export interface SessionRecord {
  tokenHash: string;
  agencyCode: string;
  username: string;
  csrfToken: string;
  createdAt: string;
  /** epoch seconds; DynamoDB TTL deletes it eventually, readers check it themselves */
  expiresAt: number;
}

export type CaseStatus =
  | "received"
  | "registered"
  | "under_review"
  | "correction_requested"
  | "in_progress"
  | "extended"
  | "replied"
  | "withdrawn"
  | "closed";

export interface ApplicationCase {
  caseId: string;
  agencyCode: string;
  workflow: "application";
  status: CaseStatus;
  trackingNumber: string;
  accessCodeHash: string;
  channel: "online" | "in_person" | "registered_mail" | "ordinary_mail" | "fax";
  submittedAt: string;
  submittedOn: IsoDate;
  /** art. 31 receipt date, known once the office confirms an online application */
  receivedOn?: IsoDate;
  receiptRule?: string;
  application: ApplicationInput;
  deadlines: Record<string, Deadline>;
  /** derived from deadlines, kept for lists and the applicant's view */
  dueOn?: IsoDate;
  dueIsProvisional?: boolean;
  flags: string[];
  /** Scheduler schedules that warn about the statutory answer deadline */
  timerNames?: string[];
  /** answer-deadline warnings already sent (kind, days left, due date), so a redelivered timer does not send twice */
  remindersSent?: string[];
  version: number;
  /** number of audit events so far; the next one gets seq eventCount + 1 */
  eventCount: number;
  lastEventHash: string;
  letters: LetterRecord[];
}

export interface LetterRecord {
  letterId: string;
  kind: string;
  title: string;
  issuedAt: string;
}

export type TaskStatus = "open" | "done" | "cancelled";

export interface TaskRecord {
  taskId: string;
  caseId: string;
  agencyCode: string;
  workflow: string;
  step: string;
  role: Role;
  title: string;
  /** of the case, so lists need not read every case */
  trackingNumber: string;
  /** the applicant's name, already masked */
  applicantMasked: string;
  status: TaskStatus;
  openedAt: string;
  deadline: Deadline;
  dueOn: IsoDate;
  /** ISO instant: end of the due day in Asia/Shanghai */
  dueAt: string;
  dueIsProvisional: boolean;
  /** how many times it passed its due moment and went up the chain */
  escalationLevel: number;
  escalatedTo: Role[];
  /** names of Scheduler schedules that remind and escalate */
  scheduleNames: string[];
  /** reminders already sent (kind and due moment), so a redelivered timer does not send twice */
  remindersSent?: string[];
  completedAt?: string;
  completedBy?: string;
  outcome?: string;
  version: number;
}

export type { AuditEvent };
