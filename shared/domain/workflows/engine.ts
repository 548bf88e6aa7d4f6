import type { IsoDate, WorkingCalendar } from "../calendar";
import { shanghaiDate, shanghaiInstant } from "../calendar";
import type { Deadline, DeadlineEventInput } from "../deadlines";
import {
  dueMoment,
  evaluateDeadline,
  extendDeadline,
  pauseDeadline,
  restartDeadline,
  resumeDeadline,
  startDeadline,
} from "../deadlines";
import type { Actor } from "../audit";
import { GENESIS_HASH } from "../audit";
import type { CaseDeadline, CaseRecord, TaskRecord } from "../records";
import type { CatalogueEntry } from "../catalogue/entry";
import { taskIdFor } from "../ids";
import { roleLabel } from "../roles";
import type { FieldError } from "../../schemas/errors";
import type { OutboxMessage } from "../../app/ports/outbox";
import { validateOutcomeFields } from "./fields";
import { stepQueueName } from "./names";
import { cancelTimers, caseDeadlineTimers, taskTimers } from "./timers";
import type { AnyOutcome, AnyStep, AnyWorkflow, DeadlineOp, LetterOrder, Notice, OpenStep, Transition, TransitionContext } from "./types";

/**
 * The one engine: `decide` turns (case, task, outcome, values) into a decision —
 * the case's next state, tasks closed and opened, deadline changes with their
 * timers, the audit event, letters to issue, people to tell and step hand-offs.
 * Pure: no I/O, time and ids come in. `shared/app/engine` stores a decision in one
 * transaction.
 */

/** Why a transition is refused; the use case answers it with the status. */
export class TransitionRefusedError extends Error {
  constructor(
    readonly status: 400 | 403 | 409 | 422,
    readonly code: string,
    message: string,
    readonly fields: FieldError[] = [],
  ) {
    super(message);
    this.name = "TransitionRefusedError";
  }
}

export interface NewEvent {
  actor: Actor;
  type: string;
  summary: string;
  data?: Record<string, unknown>;
  applicantVisible?: boolean;
}

export interface DecideInput {
  definition: AnyWorkflow;
  case: CaseRecord;
  /** the task being completed; absent for the start step's outcome on a case opened at once by staff */
  task?: TaskRecord;
  /** the case's open tasks (the task being completed among them) */
  openTasks: TaskRecord[];
  outcome: string;
  input: Record<string, unknown>;
  extra?: Record<string, unknown>;
  actor: Actor;
  calendar: WorkingCalendar;
  now: Date;
  newId: () => string;
}

export interface Decision {
  /** the case after the change (version and audit hash are set when stored) */
  case: CaseRecord;
  /** tasks done or cancelled, as they must be stored; each with the version read */
  closed: Array<{ task: TaskRecord; expectedVersion: number }>;
  opened: TaskRecord[];
  events: NewEvent[];
  letters: Array<LetterOrder & { letterId: string }>;
  notices: Notice[];
  /** timers, cancelled timers and hand-offs to the opened steps' queues */
  messages: OutboxMessage[];
  /** a catalogue entry written with the case */
  catalogue?: { entry: CatalogueEntry; expectedRevision?: number };
}

export function actorName(actor: Actor): string {
  return actor.displayName ?? actor.username ?? (actor.kind === "applicant" ? "申请人" : "系统");
}

/** The case deadline as it stands on `today`, or undefined when it never started. */
export function deadlineAsOf(calendar: WorkingCalendar, d: CaseDeadline | undefined, today: IsoDate) {
  if (!d) return undefined;
  const last = d.deadline.events[d.deadline.events.length - 1]?.on ?? today;
  return { ...evaluateDeadline(calendar, d.deadline, today < last ? last : today), stopped: Boolean(d.stopped) };
}

function contextFor(input: DecideInput, values: TransitionContext<unknown>["values"]): TransitionContext<unknown> {
  const today = shanghaiDate(input.now);
  return {
    case: input.case,
    ...(input.task ? { task: input.task } : {}),
    values,
    extra: input.extra ?? {},
    actor: input.actor,
    calendar: input.calendar,
    now: input.now,
    today,
    deadline: (name) => deadlineAsOf(input.calendar, input.case.deadlines[name], today),
  };
}

/** Outcomes of the task that the actor kind may choose, with why each other one is unavailable now. */
export function outcomesFor(
  definition: AnyWorkflow,
  c: CaseRecord,
  task: TaskRecord,
  actorKind: Actor["kind"],
  calendar: WorkingCalendar,
  now: Date,
): Array<{ outcome: AnyOutcome; unavailable?: string }> {
  const step = definition.steps[task.step];
  if (!step) return [];
  const ctx = contextFor({ definition, case: c, task, openTasks: [], outcome: "", input: {}, actor: { kind: actorKind }, calendar, now, newId: () => "" }, {});
  return step.outcomes
    .filter((o) => !o.entry && (o.actors ?? ["staff"]).includes(actorKind))
    .map((o) => {
      const why = o.unavailable?.(ctx);
      return why ? { outcome: o, unavailable: why } : { outcome: o };
    });
}

export function decide(input: DecideInput): Decision {
  const { definition, case: c, task } = input;
  if (definition.terminal.includes(c.status)) throw new TransitionRefusedError(409, "CASE_CLOSED", "案件已办结，不能再办理");
  const step = definition.steps[task?.step ?? definition.start.step];
  if (!step) throw new Error(`unknown step ${task?.step} of ${definition.workflow}`);
  if (task && task.status !== "open") throw new TransitionRefusedError(409, "TASK_NOT_OPEN", "该待办已办结，不能重复办理");
  // an entry outcome opens a case; it is no answer to a task
  const outcome = step.outcomes.find((o) => o.outcome === input.outcome && !(task && o.entry));
  if (!outcome) {
    const names = step.outcomes.filter((o) => !o.entry && (o.actors ?? ["staff"]).includes(input.actor.kind)).map((o) => o.outcome);
    throw new TransitionRefusedError(400, "VALIDATION_FAILED", "办理结果无效", [
      { path: "outcome", code: input.outcome ? "invalid_choice" : "required", message: `请选择办理结果（可选：${names.join("、")}）` },
    ]);
  }
  if (!(outcome.actors ?? ["staff"]).includes(input.actor.kind)) {
    throw new TransitionRefusedError(403, "FORBIDDEN", `“${outcome.label}”不能由${input.actor.kind === "applicant" ? "申请人" : input.actor.kind === "system" ? "系统" : "工作人员"}办理`);
  }
  const { values, errors } = validateOutcomeFields(outcome.fields, input.input);
  const ctx = contextFor(input, values);
  const unavailable = outcome.unavailable?.(ctx);
  if (unavailable) throw new TransitionRefusedError(409, "OUTCOME_UNAVAILABLE", unavailable);
  if (errors.length) throw new TransitionRefusedError(400, "VALIDATION_FAILED", "提交的内容有误，请按提示修改", errors);
  const more = outcome.check?.(ctx) ?? [];
  if (more.length) throw new TransitionRefusedError(400, "VALIDATION_FAILED", "提交的内容有误，请按提示修改", more);
  const refusal = outcome.refuse?.(ctx);
  if (refusal) throw new TransitionRefusedError(refusal.status, refusal.code, refusal.message, refusal.fields ?? []);
  return applyTransition(input, step, outcome, outcome.transition(ctx) as Transition<unknown>, ctx);
}

function applyTransition(
  input: DecideInput,
  step: AnyStep,
  outcome: AnyOutcome,
  t: Transition<unknown>,
  ctx: TransitionContext<unknown>,
): Decision {
  const { definition, calendar, now, actor } = input;
  const today = ctx.today;
  const messages: OutboxMessage[] = [];
  const flags = new Set(input.case.flags);
  for (const f of t.flags?.add ?? []) flags.add(f);
  for (const f of t.flags?.remove ?? []) flags.delete(f);
  let next: CaseRecord = {
    ...input.case,
    status: t.status ?? input.case.status,
    data: (t.data as Record<string, unknown> | undefined) ?? input.case.data,
    flags: [...flags],
    deadlines: applyDeadlineOps(input, t.deadlines ?? [], today),
  };

  // re-evaluate what changed and move its timers
  for (const name of new Set((t.deadlines ?? []).map((op) => op.name))) {
    const d = next.deadlines[name]!;
    const evaluation = evaluateDeadline(calendar, d.deadline, laterOf(today, lastOn(d.deadline)));
    const moved: CaseDeadline = { ...d, dueOn: evaluation.dueOn, provisional: evaluation.provisional, paused: evaluation.paused };
    if (moved.dueOn !== d.dueOn) delete moved.expiredOn;
    const timers = caseDeadlineTimers(next.caseId, name, moved, definition.deadlines[name]!, calendar, now);
    messages.push(...cancelTimers(d.timerNames, timers.names), ...timers.messages);
    next.deadlines = { ...next.deadlines, [name]: { ...moved, timerNames: timers.names } };
  }

  // close: the completed task, then whatever the transition closes (everything when the case closes)
  const closeSteps = t.result || t.done ? "all" : (t.close ?? []);
  const closed: Decision["closed"] = [];
  const completedAt = now.toISOString();
  if (input.task) {
    closed.push({
      task: {
        ...input.task,
        status: "done",
        outcome: outcome.outcome,
        completedAt,
        completedBy: actor.username ?? actor.kind,
        completedByName: actorName(actor),
        ...(actor.role ? { completedRole: actor.role } : {}),
      },
      expectedVersion: input.task.version,
    });
  }
  const opening = new Set((t.open ?? []).map((o) => o.step));
  for (const open of input.openTasks) {
    if (open.taskId === input.task?.taskId || open.status !== "open") continue;
    // a step opened anew supersedes its open round
    if (closeSteps === "all" || closeSteps.includes(open.step) || opening.has(open.step)) {
      closed.push({ task: { ...open, status: "cancelled", completedAt }, expectedVersion: open.version });
    }
  }
  for (const { task } of closed) messages.push(...cancelTimers(task.scheduleNames));

  // open the next steps, each with its own round and timers, handed to its step's queue
  const opened: TaskRecord[] = [];
  for (const o of t.open ?? []) {
    const round = (next.steps[o.step]?.round ?? 0) + 1;
    next = { ...next, steps: { ...next.steps, [o.step]: { round } } };
    const { task, timers } = newTask(definition, next, o, round, calendar, now, actor);
    opened.push(task);
    messages.push(...timers, { kind: "queue", queue: stepQueueName(definition.workflow, o.step), body: { type: "task.opened", caseId: next.caseId, taskId: task.taskId, workflow: definition.workflow, step: o.step } });
  }

  if (t.result) next = { ...next, result: { ...t.result, closedOn: today }, closedAt: completedAt };
  else if (t.done) next = { ...next, closedAt: completedAt };

  const event: NewEvent = {
    actor,
    type: t.event.type,
    summary: t.event.summary,
    data: {
      ...(t.event.data ?? {}),
      ...(input.task ? { taskId: input.task.taskId } : {}),
      step: step.step,
      outcome: outcome.outcome,
      ...(opened.length ? { opened: opened.map((x) => x.taskId) } : {}),
    },
    ...(t.event.applicantVisible ? { applicantVisible: true } : {}),
  };
  return {
    case: next,
    closed,
    opened,
    events: [event],
    letters: (t.letters ?? []).map((l) => ({ ...l, letterId: input.newId() })),
    notices: t.notices ?? [],
    messages,
    ...(t.catalogue ? { catalogue: t.catalogue } : {}),
  };
}

const lastOn = (d: Deadline) => d.events[d.events.length - 1]?.on ?? "0000-01-01";
const laterOf = (a: IsoDate, b: IsoDate) => (a > b ? a : b);

function applyDeadlineOps(input: DecideInput, ops: DeadlineOp[], today: IsoDate): Record<string, CaseDeadline> {
  const deadlines = { ...input.case.deadlines };
  const who = { by: input.actor.username ?? input.actor.kind, byName: actorName(input.actor), at: input.now.toISOString() };
  for (const op of ops) {
    const definition = input.definition.deadlines[op.name];
    if (!definition) throw new Error(`unknown deadline ${op.name} of ${input.definition.workflow}`);
    const current = deadlines[op.name];
    const e: DeadlineEventInput = { on: op.on, reason: op.reason, ...who };
    if (op.op === "start") {
      const deadline = startDeadline(definition.kind, op.periodWorkingDays ?? definition.periodWorkingDays, e, definition.limits ?? {});
      // timers of an earlier run are cancelled when the new ones are planned
      deadlines[op.name] = { deadline, dueOn: today, provisional: false, paused: false, timerNames: current?.timerNames ?? [] };
      continue;
    }
    if (!current) throw new Error(`deadline ${op.name} has not started`);
    switch (op.op) {
      case "restart": {
        // a restarted period runs again even if it had been stopped
        const { stopped: _stopped, ...running } = current;
        deadlines[op.name] = { ...running, deadline: restartDeadline(current.deadline, e) };
        break;
      }
      case "pause":
        deadlines[op.name] = { ...current, deadline: pauseDeadline(current.deadline, e) };
        break;
      case "resume":
        deadlines[op.name] = { ...current, deadline: resumeDeadline(current.deadline, e) };
        break;
      case "extend":
        deadlines[op.name] = { ...current, deadline: extendDeadline(current.deadline, { ...e, days: op.days }) };
        break;
      case "stop":
        deadlines[op.name] = { ...current, stopped: { on: op.on, reason: op.reason } };
        break;
    }
  }
  return deadlines;
}

/** When a task of the step falls due on `dueOn`: the day's end, or the step's set time of day. */
export function taskDueAt(step: AnyStep, dueOn: IsoDate): string {
  return (step.dueTime ? shanghaiInstant(dueOn, step.dueTime) : dueMoment(dueOn)).toISOString();
}

/** A new task of a step: its own period from `from` (or the case deadline it is due with), its timers. */
export function newTask(
  definition: AnyWorkflow,
  c: CaseRecord,
  o: OpenStep,
  round: number,
  calendar: WorkingCalendar,
  now: Date,
  actor: Actor,
): { task: TaskRecord; timers: OutboxMessage[] } {
  const step = definition.steps[o.step];
  if (!step) throw new Error(`unknown step ${o.step} of ${definition.workflow}`);
  const openedOn = shanghaiDate(now);
  const linked = step.dueWith ? c.deadlines[step.dueWith] : undefined;
  let deadline: Deadline;
  let dueOn: IsoDate;
  let provisional: boolean;
  if (linked) {
    deadline = linked.deadline;
    dueOn = linked.dueOn;
    provisional = linked.provisional;
  } else {
    deadline = startDeadline(`task:${step.step}`, o.periodWorkingDays ?? step.periodWorkingDays, {
      on: o.from ?? openedOn,
      reason: `${step.title}：${o.periodWorkingDays ?? step.periodWorkingDays} 个工作日内办理`,
      by: actor.username ?? actor.kind,
      byName: actorName(actor),
      at: now.toISOString(),
    });
    const e = evaluateDeadline(calendar, deadline);
    dueOn = e.dueOn;
    provisional = e.provisional;
  }
  const task: TaskRecord = {
    taskId: taskIdFor(c.caseId, step.step, round),
    caseId: c.caseId,
    agencyCode: c.agencyCode,
    workflow: definition.workflow,
    step: step.step,
    round,
    role: step.role,
    title: step.title,
    reference: c.reference,
    party: definition.party(c as never),
    status: "open",
    openedAt: now.toISOString(),
    openedOn,
    ...(linked ? { dueWith: step.dueWith } : { deadline }),
    dueOn,
    dueAt: taskDueAt(step, dueOn),
    dueIsProvisional: provisional,
    ...(o.note ? { note: o.note } : {}),
    escalationLevel: 0,
    escalatedTo: [],
    scheduleNames: [],
    version: 0,
  };
  const timers = taskTimers(task, step, deadline, calendar, now);
  task.scheduleNames = timers.names;
  return { task, timers: timers.messages };
}

/** A new case of a workflow in its start status, before its first event is stored. */
export function newCaseRecord<D>(
  definition: AnyWorkflow,
  f: { caseId: string; agencyCode: string; reference: string; now: Date; createdOn?: IsoDate; data: D },
): CaseRecord {
  return {
    caseId: f.caseId,
    agencyCode: f.agencyCode,
    workflow: definition.workflow,
    status: definition.start.status,
    reference: f.reference,
    createdAt: f.now.toISOString(),
    createdOn: f.createdOn ?? shanghaiDate(f.now),
    data: f.data as Record<string, unknown>,
    deadlines: {},
    steps: {},
    flags: [],
    letters: [],
    version: 0,
    eventCount: 0,
    lastEventHash: GENESIS_HASH,
  };
}

/** The step's role in words, for refusals. */
export function stepRoleLabel(step: AnyStep): string {
  return roleLabel(step.role);
}
