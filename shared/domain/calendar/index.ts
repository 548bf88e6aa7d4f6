export type { IsoDate } from "./civil-date";
export {
  InvalidDateError,
  isIsoDate,
  toDayNumber,
  fromDayNumber,
  addDays,
  yearOf,
  weekday,
  weekdayZh,
  isWeekend,
  shanghaiDate,
  shanghaiInstant,
  formatShanghaiTime,
} from "./civil-date";
export type { YearSchedule, DayKind, DayInfo, ExplanationStep } from "./types";
export { WorkingCalendar } from "./working-calendar";
export { validateYearSchedule, MIN_SCHEDULE_YEAR, MAX_SCHEDULE_YEAR } from "./validate";
export type { ScheduleIssue } from "./validate";
export { parseYearScheduleJson, formatPath } from "./schedule-json";
export type { ScheduleJsonError, ParseScheduleResult } from "./schedule-json";
export { officialSchedules } from "./official";
