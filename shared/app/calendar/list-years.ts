import type { IsoDate, WorkingCalendar, YearSchedule } from "../../domain/calendar";
import { officialSchedules, yearOf } from "../../domain/calendar";
import type { StoredYearSchedule } from "../../adapters/aws/calendar-store";

export interface CalendarYearRow {
  year: number;
  source: "official" | "entered" | "missing";
  schedule?: YearSchedule;
  /** entered only */
  enteredBy?: string;
  enteredAt?: string;
  revision?: number;
  /** an entered year that replaces the repository's official data */
  replacesOfficial?: boolean;
}

/**
 * Every year from the first known one through next year (relative to `today`), so
 * a missing year such as 2027 shows up before deadlines reach into it.
 */
export function describeYears(calendar: WorkingCalendar, entered: readonly StoredYearSchedule[], today: IsoDate): CalendarYearRow[] {
  const enteredByYear = new Map(entered.map((e) => [e.schedule.year, e]));
  const official = new Set(officialSchedules.map((s) => s.year));
  const known = calendar.schedules().map((s) => s.year);
  const first = Math.min(...known, yearOf(today));
  const last = Math.max(...known, yearOf(today) + 1);
  const rows: CalendarYearRow[] = [];
  for (let year = first; year <= last; year++) {
    const e = enteredByYear.get(year);
    const schedule = calendar.schedule(year);
    if (e) {
      rows.push({ year, source: "entered", schedule: e.schedule, enteredBy: e.enteredBy, enteredAt: e.enteredAt, revision: e.revision, replacesOfficial: official.has(year) });
    } else if (schedule) {
      rows.push({ year, source: "official", schedule });
    } else {
      rows.push({ year, source: "missing" });
    }
  }
  return rows;
}
