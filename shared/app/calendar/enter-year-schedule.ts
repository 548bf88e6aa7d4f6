import type { Clock } from "../../domain/clock";
import type { WorkingCalendar, YearSchedule } from "../../domain/calendar";
import { validateYearSchedule } from "../../domain/calendar";
import type { CalendarStore, StoredYearSchedule } from "../../adapters/aws/calendar-store";
import { CalendarRevisionConflictError, loadCalendar } from "../../adapters/aws/calendar-store";
import { ConflictError, ValidationError } from "../errors";

export interface EnterYearScheduleDeps {
  store: CalendarStore;
  clock: Clock;
  /** re-computes every open deadline, audits each change and tells the assignee (the lead's recompute-open-deadlines) */
  recomputeOpenDeadlines: (before: WorkingCalendar, after: WorkingCalendar, by: string) => Promise<{ changed: number }>;
}

/**
 * An administrator enters a new year's schedule or corrects a year (the whole year
 * is replaced, as in 2020). Validates, stores with who and when, then re-computes
 * every open deadline on the new calendar.
 */
export async function enterYearSchedule(
  deps: EnterYearScheduleDeps,
  schedule: YearSchedule,
  by: string,
): Promise<{ stored: StoredYearSchedule; changed: number }> {
  const issues = validateYearSchedule(schedule);
  if (issues.length > 0) {
    throw new ValidationError(
      "CALENDAR_SCHEDULE_INVALID",
      `${schedule.year} 年放假安排有误，未保存`,
      issues.map((i) => ({ path: i.path, code: "invalid", message: i.message })),
    );
  }
  if (!by.trim()) throw new ValidationError("CALENDAR_ENTERED_BY_MISSING", "须注明录入人", [{ path: "by", code: "required", message: "录入人不能为空" }]);
  const before = await loadCalendar(deps.store);
  let stored: StoredYearSchedule;
  try {
    stored = await deps.store.put(schedule, by, deps.clock.now());
  } catch (error) {
    if (error instanceof CalendarRevisionConflictError) throw new ConflictError("CALENDAR_CONCURRENT_CHANGE", error.message, [], { cause: error });
    throw error;
  }
  const after = before.withSchedule(schedule);
  const { changed } = await deps.recomputeOpenDeadlines(before, after, by);
  return { stored, changed };
}
