import type { IsoDate } from "./civil-date";

export type { IsoDate };

/** One year's official schedule, exactly the shape of the files under `official/`. */
export interface YearSchedule {
  year: number;
  /** e.g. 国办发明电〔2023〕7号 */
  notice: { documentNumber: string; issuedOn: IsoDate; title: string };
  /** inclusive ranges of days off (weekend days inside a range included) */
  holidays: Array<{ name: string; from: IsoDate; to: IsoDate }>;
  /** weekend days that are working days (调休) */
  makeUpWorkdays: Array<{ date: IsoDate; holiday: string }>;
  /** later notices that changed the schedule (e.g. 2020's Spring Festival extension); the data above is the final schedule */
  corrections?: Array<{ documentNumber: string; issuedOn: IsoDate; note: string }>;
}

export type DayKind = "workday" | "weekend" | "holiday" | "makeup_workday";

export interface DayInfo {
  date: IsoDate;
  working: boolean;
  kind: DayKind;
  /** the holiday a day off belongs to, or the holiday a make-up working day compensates */
  holiday?: string;
  /** the year has no official schedule: weekends alone decide */
  provisional: boolean;
}

/**
 * One line of a deadline's reasoning. `start`: the day that is not counted;
 * `skip`: a day off; `count`: a working day counted specially (make-up day, or a
 * weekday of a year without schedule); `paused`: a working day not counted because
 * the clock was stopped; `due`: the last counted day.
 */
export interface ExplanationStep {
  date: IsoDate;
  action: "start" | "skip" | "count" | "paused" | "due";
  dayKind: DayKind;
  holiday?: string;
  /** working days counted up to and including this day */
  counted: number;
  provisional: boolean;
  /** zh-CN */
  text: string;
}
