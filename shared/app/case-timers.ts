import type { WorkingCalendar } from "../domain/calendar";
import type { Deadline } from "../domain/deadlines";
import type { ApplicationCase } from "../domain/records";
import type { OutboxMessage } from "../adapters/aws/outbox";
import { deadlineTimers, type TimerKind } from "./timers";

export interface CaseTimerInput {
  type: "case.timer";
  caseId: string;
  deadline: "answer";
  kind: TimerKind;
  dueOn: string;
  workingDaysLeft?: number;
}

/**
 * Warnings about the statutory answer deadline (SPEC §4: 5 and 2 working days
 * before, the last day) and the moment it passes.
 */
export function answerTimers(
  record: Pick<ApplicationCase, "caseId">,
  answer: Deadline,
  dueOn: string,
  calendar: WorkingCalendar,
  now: Date,
): { names: string[]; messages: OutboxMessage[] } {
  return deadlineTimers(`${record.caseId}-answer`, answer, calendar, now, (moment) => {
    const input: CaseTimerInput = {
      type: "case.timer",
      caseId: record.caseId,
      deadline: "answer",
      kind: moment.kind,
      dueOn,
      workingDaysLeft: moment.workingDaysLeft,
    };
    return { ...input };
  });
}
