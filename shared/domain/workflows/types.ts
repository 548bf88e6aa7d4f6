import type { IsoDate, WorkingCalendar } from "../calendar";
import type { DeadlineLimits, DeadlineEvaluation } from "../deadlines";
import type { Role } from "../roles";
import type { CaseRecord, TaskRecord } from "../records";
import type { Actor } from "../audit";
import type { FieldError } from "../../schemas/errors";
import type { LetterKind } from "../letters/kinds";
import type { ResultCell } from "../report/cells";
import type { CatalogueEntry } from "../catalogue/entry";

/**
 * A workflow is data plus small pure functions (DESIGN §6): statuses, steps (role,
 * period, escalation chain, outcomes with their fields) and per outcome a transition.
 * The engine (`engine.ts`) turns a transition into a decision; one use case stores it.
 */

export type FieldValue = string | number | string[];
export type Values = Record<string, FieldValue>;

/** A field a person fills in when choosing an outcome (rendered as a form, validated at the edge). */
export interface OutcomeField {
  name: string;
  type: "date" | "text" | "choice" | "integer" | "list";
  label: string;
  required: boolean;
  choices?: Array<{ value: string; label: string }>;
  maxLength?: number;
  /** integer bounds */
  min?: number;
  max?: number;
  /** list: at most this many entries */
  maxItems?: number;
  /** required only when another field of the same outcome has one of these values */
  requiredWhen?: { field: string; values: string[] };
  /** one line shown under the field */
  hint?: string;
}

export type ActorKind = Actor["kind"];

export interface TransitionContext<D> {
  case: CaseRecord<D>;
  /** the task being completed; absent for a case opened at once by staff (entry outcome) */
  task?: TaskRecord;
  values: Values;
  /** what the use case prepared beyond the form's fields (e.g. a corrected application, already validated) */
  extra: Record<string, unknown>;
  actor: Actor;
  calendar: WorkingCalendar;
  now: Date;
  today: IsoDate;
  /** the case deadline as it stands today (undefined when never started) */
  deadline(name: string): (DeadlineEvaluation & { stopped: boolean }) | undefined;
}

export interface OutcomeDefinition<D = Record<string, unknown>> {
  outcome: string;
  label: string;
  fields: OutcomeField[];
  /** who may choose it: staff in the step's role (default), the applicant online, the system's timers */
  actors?: ActorKind[];
  /** only opens a case (decided with no task, e.g. a vote called or a duty day begun); never offered on a task */
  entry?: boolean;
  /** why it cannot be chosen in the case's present state (answered 409), or undefined */
  unavailable?(ctx: TransitionContext<D>): string | undefined;
  /** checks across fields and against the case (answered 400 naming the field) */
  check?(ctx: TransitionContext<D>): FieldError[];
  /** a refusal the law imposes once the fields are valid (answered 422 or 409 with this code) */
  refuse?(ctx: TransitionContext<D>): { status: 409 | 422; code: string; message: string; fields?: FieldError[] } | undefined;
  transition(ctx: TransitionContext<D>): Transition<D>;
}

export interface StepDefinition<D = Record<string, unknown>> {
  step: string;
  /** the role whose members work the task */
  role: Role;
  title: string;
  /** one sentence saying what the assignee is expected to do (task page, email) */
  instructions: string;
  /** working days from the day the task opens */
  periodWorkingDays: number;
  /** the task is due when this case deadline is (e.g. the other side's 15 working days) */
  dueWith?: string;
  /** who hears about it, in order, each time the task passes its due moment */
  escalateTo: Role[];
  /** halfway and last-day reminders to the assignee (default true); a wait for the applicant has none */
  reminders?: boolean;
  /** due at this Beijing time (HH:mm) of its due day instead of the day's end (a duty check at a set time); its one timer is the escalation then */
  dueTime?: string;
  /**
   * The people who stand for the escalation chain on this case (usernames, e.g. the leader on
   * duty that day): when it names anyone, they are told instead of every holder of the role.
   */
  escalateToPeople?(c: CaseRecord<D>): string[];
  /** its Lambda completes the task itself (e.g. publishing): it gets a decision's grants (files, every step queue) */
  automatic?: boolean;
  outcomes: OutcomeDefinition<D>[];
}

export type TimerKind = "halfway" | "warning" | "last_day" | "overdue";

export interface DeadlineDefinition {
  name: string;
  /** label kind for explanations (deadlineKindLabels) */
  kind: string;
  label: string;
  periodWorkingDays: number;
  limits?: DeadlineLimits;
  /** which timers it gets while running */
  timers: TimerKind[];
  warnWorkingDaysBefore?: number[];
  /** told of warnings */
  notify: Role[];
  /** told, once, when it passes unmet; the case is flagged `<name>_overdue` */
  escalateTo: Role[];
  /** when it passes, the system completes this open task with this outcome (e.g. withdrawn, silence = consent) */
  onExpiry?: { step: string; outcome: string };
}

export type DeadlineOp =
  | { op: "start"; name: string; on: IsoDate; reason: string; periodWorkingDays?: number }
  | { op: "restart"; name: string; on: IsoDate; reason: string }
  | { op: "pause"; name: string; on: IsoDate; reason: string }
  | { op: "resume"; name: string; on: IsoDate; reason: string }
  | { op: "extend"; name: string; on: IsoDate; reason: string; days: number }
  | { op: "stop"; name: string; on: IsoDate; reason: string };

export type Recipient =
  | { kind: "applicant" }
  | { kind: "roles"; roles: Role[] }
  /** someone outside the office (a third party, another agency); letters only, printed and posted */
  | { kind: "party"; name: string; address?: string; email?: string };

export interface LetterOrder {
  kind: LetterKind;
  to: Recipient;
  /** the kind's own facts (see shared/domain/letters) */
  data: Record<string, unknown>;
  /** emailed (attached) to the recipient when they have an address */
  email: boolean;
}

export interface Notice {
  to: Recipient;
  subject: string;
  text: string;
  /** letters of this decision to attach, by kind */
  attach?: LetterKind[];
}

export interface OpenStep {
  step: string;
  /** the task's period runs from this day (default: today) */
  from?: IsoDate;
  /** instead of the step's own period */
  periodWorkingDays?: number;
  /** context for the assignee, e.g. why a sign-off was returned */
  note?: string;
}

export interface Transition<D> {
  status?: string;
  /** the case's new data (whole), when it changes */
  data?: D;
  /** steps whose open tasks are cancelled ("all": every open task); the task being completed is closed anyway */
  close?: string[] | "all";
  open?: OpenStep[];
  deadlines?: DeadlineOp[];
  letters?: LetterOrder[];
  notices?: Notice[];
  /** closes the case with its one annual-report cell */
  result?: { cell: ResultCell; replyType: string; ground?: string };
  /** closes the case without a report cell (workflows other than applications) */
  done?: boolean;
  /** publishes, corrects or withdraws a catalogue entry in the same transaction */
  catalogue?: { entry: CatalogueEntry; expectedRevision?: number };
  flags?: { add?: string[]; remove?: string[] };
  event: {
    type: string;
    summary: string;
    data?: Record<string, unknown>;
    /** the applicant sees it on the tracking page */
    applicantVisible?: boolean;
  };
}

export interface WorkflowDefinition<D = Record<string, unknown>> {
  workflow: string;
  label: string;
  /** status → zh-CN label (for staff); the applicant's wording may differ */
  statuses: Record<string, string>;
  /** statuses in which nothing is open any more */
  terminal: string[];
  /** the step intake hands the new case to, and the status it waits in */
  start: { step: string; status: string };
  steps: Record<string, StepDefinition<D>>;
  deadlines: Record<string, DeadlineDefinition>;
  /** words staff search finds the case by (names, descriptions), lower-cased by the store */
  searchText(c: CaseRecord<D>): string;
  /** the person or organisation the case answers: letters' recipient, the address of applicant notices */
  applicant(c: CaseRecord<D>): { name: string; email?: string; address?: string };
  /** who the case is about, already masked, for task lists */
  party(c: CaseRecord<D>): string;
  /** roles that may open a case of this workflow, and those among them who see personal data */
  viewRoles: Role[];
  personalDataRoles: Role[];
}

/** The engine handles every workflow's data alike; each definition types its own. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- data is opaque to the engine
export type AnyWorkflow = WorkflowDefinition<any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see AnyWorkflow
export type AnyStep = StepDefinition<any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see AnyWorkflow
export type AnyOutcome = OutcomeDefinition<any>;
