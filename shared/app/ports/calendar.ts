import type { YearSchedule } from "../../domain/calendar";

/** A schedule an administrator entered, with who entered it and when. */
export interface StoredYearSchedule {
  schedule: YearSchedule;
  enteredBy: string;
  /** ISO instant */
  enteredAt: string;
  /** 1 for the first entry of a year, +1 for every correction */
  revision: number;
}

export interface CalendarStore {
  /** The current entered schedule of every year that has one, by year. */
  listEntered(): Promise<StoredYearSchedule[]>;
  /** Enters (revision 1) or corrects (next revision) a year; two concurrent puts cannot both win. */
  put(schedule: YearSchedule, enteredBy: string, at: Date): Promise<StoredYearSchedule>;
  /** Every revision of a year, oldest first. */
  history(year: number): Promise<StoredYearSchedule[]>;
}
