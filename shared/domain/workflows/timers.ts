import type { WorkingCalendar } from "../calendar";
import type { Deadline, ReminderMoment } from "../deadlines";
import { reminderMoments } from "../deadlines";
import type { OutboxMessage } from "../../app/ports/outbox";
import type { CaseDeadline, TaskRecord } from "../records";
import type { DeadlineDefinition, StepDefinition, TimerKind } from "./types";

/** What a task's Scheduler timer puts on the timers queue. */
export interface TaskTimerInput {
  type: "task.timer";
  taskId: string;
  caseId: string;
  kind: TimerKind;
  /** the due moment the timer was set for; a timer for an old due moment is stale */
  dueAt: string;
  /** overdue only: the escalation level the task must still be at, so each escalation happens once */
  level?: number;
}

/** What a case deadline's Scheduler timer puts on the timers queue. */
export interface CaseTimerInput {
  type: "case.timer";
  caseId: string;
  deadline: string;
  kind: TimerKind;
  /** the due date the timer was set for; a timer for an old due date is stale */
  dueOn: string;
  workingDaysLeft?: number;
}

/** A Scheduler schedule name: stable per owner and kind, so re-creating one moves it (≤ 64 characters). */
export function timerName(owner: string, kind: TimerKind, n = 0): string {
  return `gk-${owner}-${kind}${n ? `-${n}` : ""}`;
}

/** One one-time schedule per future moment of `kinds`, each putting `input(moment)` on the timers queue. */
export function plannedTimers(
  owner: string,
  deadline: Deadline,
  kinds: readonly TimerKind[],
  calendar: WorkingCalendar,
  now: Date,
  input: (moment: ReminderMoment) => Record<string, unknown>,
  warnWorkingDaysBefore: number[] = [],
): { names: string[]; messages: OutboxMessage[] } {
  const names: string[] = [];
  const messages: OutboxMessage[] = [];
  const seen = new Map<TimerKind, number>();
  for (const moment of reminderMoments(calendar, deadline, { warnWorkingDaysBefore })) {
    if (!kinds.includes(moment.kind) || moment.at.getTime() <= now.getTime()) continue;
    const n = seen.get(moment.kind) ?? 0;
    seen.set(moment.kind, n + 1);
    const name = timerName(owner, moment.kind, n);
    names.push(name);
    messages.push({ kind: "schedule", name, at: moment.at.toISOString(), input: input(moment) });
  }
  return { names, messages };
}

/** Deletes the schedules of `before` that `after` does not re-create under the same name. */
export function cancelTimers(before: string[], after: string[] = []): OutboxMessage[] {
  return before.filter((name) => !after.includes(name)).map((name) => ({ kind: "unschedule", name }));
}

/** A task's timers: halfway and last day to the assignee (unless the step has none), overdue when it escalates. */
export function taskTimers(
  task: TaskRecord,
  step: StepDefinition<unknown>,
  deadline: Deadline,
  calendar: WorkingCalendar,
  now: Date,
): { names: string[]; messages: OutboxMessage[] } {
  if (step.dueTime) return setTimeTimer(task, step, now);
  const kinds: TimerKind[] = [...(step.reminders === false ? [] : (["halfway", "last_day"] as const)), ...(step.escalateTo.length ? (["overdue"] as const) : [])];
  return plannedTimers(task.taskId, deadline, kinds, calendar, now, (moment) => {
    const input: TaskTimerInput = { type: "task.timer", taskId: task.taskId, caseId: task.caseId, kind: moment.kind, dueAt: task.dueAt };
    if (moment.kind === "overdue") input.level = task.escalationLevel;
    return { ...input };
  });
}

/** A case deadline's timers, as its definition names them; a stopped or paused deadline has none. */
export function caseDeadlineTimers(
  caseId: string,
  name: string,
  d: CaseDeadline,
  definition: DeadlineDefinition,
  calendar: WorkingCalendar,
  now: Date,
): { names: string[]; messages: OutboxMessage[] } {
  if (d.stopped) return { names: [], messages: [] };
  const kinds = definition.onExpiry && !definition.timers.includes("overdue") ? [...definition.timers, "overdue" as const] : definition.timers;
  return plannedTimers(
    `${caseId}-${name}`,
    d.deadline,
    kinds,
    calendar,
    now,
    (moment) => {
      const input: CaseTimerInput = { type: "case.timer", caseId, deadline: name, kind: moment.kind, dueOn: d.dueOn, workingDaysLeft: moment.workingDaysLeft };
      return { ...input };
    },
    definition.warnWorkingDaysBefore ?? [],
  );
}

/** A task due at a set time of day has one timer: its escalation at that moment (a reminder the same morning would add nothing). */
function setTimeTimer(task: TaskRecord, step: StepDefinition<unknown>, now: Date): { names: string[]; messages: OutboxMessage[] } {
  if (!step.escalateTo.length || Date.parse(task.dueAt) <= now.getTime()) return { names: [], messages: [] };
  const name = timerName(task.taskId, "overdue");
  const input: TaskTimerInput = { type: "task.timer", taskId: task.taskId, caseId: task.caseId, kind: "overdue", dueAt: task.dueAt, level: task.escalationLevel };
  return { names: [name], messages: [{ kind: "schedule", name, at: task.dueAt, input: { ...input } }] };
}
