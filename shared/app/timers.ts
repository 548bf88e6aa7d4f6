import type { WorkingCalendar } from "../domain/calendar";
import type { Deadline, ReminderMoment } from "../domain/deadlines";
import { reminderMoments } from "../domain/deadlines";
import type { OutboxMessage } from "../adapters/aws/outbox";

export type TimerKind = ReminderMoment["kind"];

/** A Scheduler schedule name: stable per owner and kind, so re-creating one moves it. */
export function timerName(owner: string, kind: TimerKind, n = 0): string {
  return `gk-${owner}-${kind}${n ? `-${n}` : ""}`;
}

/**
 * One one-time schedule per future reminder/escalation moment of a deadline, each
 * putting `input(moment)` on the timers queue at that moment.
 */
export function deadlineTimers(
  owner: string,
  deadline: Deadline,
  calendar: WorkingCalendar,
  now: Date,
  input: (moment: ReminderMoment) => Record<string, unknown>,
): { names: string[]; messages: OutboxMessage[] } {
  const names: string[] = [];
  const messages: OutboxMessage[] = [];
  const seen = new Map<TimerKind, number>();
  for (const moment of reminderMoments(calendar, deadline)) {
    if (moment.at.getTime() <= now.getTime()) continue;
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
