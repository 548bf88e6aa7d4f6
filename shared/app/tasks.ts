import type { WorkingCalendar, IsoDate } from "../domain/calendar";
import { dueMoment, evaluateDeadline, startDeadline } from "../domain/deadlines";
import type { ApplicationCase, TaskRecord } from "../domain/records";
import { stepDefinition } from "../domain/workflows";
import type { OutboxMessage } from "../adapters/aws/outbox";
import { taskIdFor } from "../adapters/aws/records";
import { deadlineTimers, type TimerKind } from "./timers";
import { maskName } from "../domain/identity";

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

/** Opens the task of a workflow step, its deadline counted in working days from `openedOn`. */
export function newTask(input: {
  record: ApplicationCase;
  step: string;
  openedOn: IsoDate;
  openedAt: Date;
  calendar: WorkingCalendar;
  rule: string;
}): TaskRecord {
  const definition = stepDefinition(input.record.workflow, input.step);
  const deadline = startDeadline(`task:${input.step}`, definition.periodWorkingDays, {
    on: input.openedOn,
    reason: input.rule,
    by: "system",
    at: input.openedAt.toISOString(),
  });
  const evaluation = evaluateDeadline(input.calendar, deadline);
  const taskId = taskIdFor(input.record.caseId, input.step);
  return {
    taskId,
    caseId: input.record.caseId,
    agencyCode: input.record.agencyCode,
    workflow: input.record.workflow,
    step: input.step,
    role: definition.role,
    title: definition.title,
    trackingNumber: input.record.trackingNumber,
    applicantMasked: maskName(input.record.application.name),
    status: "open",
    openedAt: input.openedAt.toISOString(),
    deadline,
    dueOn: evaluation.dueOn,
    dueAt: dueMoment(evaluation.dueOn).toISOString(),
    dueIsProvisional: evaluation.provisional,
    escalationLevel: 0,
    escalatedTo: [],
    scheduleNames: [],
    version: 0,
  };
}

/** One Scheduler schedule per future reminder/escalation moment of the task. */
export function taskTimers(task: TaskRecord, calendar: WorkingCalendar, now: Date): { names: string[]; messages: OutboxMessage[] } {
  return deadlineTimers(task.taskId, task.deadline, calendar, now, (moment) => {
    const input: TaskTimerInput = { type: "task.timer", taskId: task.taskId, caseId: task.caseId, kind: moment.kind, dueAt: task.dueAt };
    if (moment.kind === "overdue") input.level = task.escalationLevel;
    return { ...input };
  });
}
