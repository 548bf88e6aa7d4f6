import { fromDayNumber, toDayNumber, weekdayOfDayNumber, weekdayZh, yearOf } from "./civil-date";
import type { IsoDate } from "./civil-date";
import { officialSchedules } from "./official";
import type { DayInfo, DayKind, ExplanationStep, YearSchedule } from "./types";
import { validateYearSchedule } from "./validate";

interface CompiledYear {
  schedule: YearSchedule;
  holidays: Map<number, string>;
  makeUps: Map<number, string>;
}

function compile(schedule: YearSchedule): CompiledYear {
  const issues = validateYearSchedule(schedule);
  if (issues.length > 0) {
    throw new RangeError(`${schedule.year} 年放假安排无效：${issues.map((i) => `${i.path}: ${i.message}`).join("；")}`);
  }
  const holidays = new Map<number, string>();
  for (const h of schedule.holidays) {
    for (let d = toDayNumber(h.from); d <= toDayNumber(h.to); d++) holidays.set(d, h.name);
  }
  const makeUps = new Map<number, string>();
  for (const m of schedule.makeUpWorkdays) makeUps.set(toDayNumber(m.date), m.holiday);
  return { schedule: structuredClone(schedule), holidays, makeUps };
}

/** Internal: one day, by day number. */
interface Day {
  n: number;
  working: boolean;
  kind: DayKind;
  holiday?: string;
  provisional: boolean;
}

const PROVISIONAL_NOTE = "（该年尚无官方放假安排，仅按周末推算，为临时结果）";

/**
 * The official working-day calendar of mainland China (weekends and statutory
 * holidays off, make-up working days on). Immutable; pure; works on civil dates in
 * Asia/Shanghai. A year without a schedule is never guessed: weekends alone decide
 * and every answer touching it is marked provisional.
 */
export class WorkingCalendar {
  private constructor(private readonly years: ReadonlyMap<number, CompiledYear>) {}

  private static officialCache: WorkingCalendar | undefined;

  /** The repository's official data (2020–2026). */
  static official(): WorkingCalendar {
    WorkingCalendar.officialCache ??= WorkingCalendar.from(officialSchedules);
    return WorkingCalendar.officialCache;
  }

  /** Throws RangeError when a schedule breaks the rules of validateYearSchedule. */
  static from(schedules: readonly YearSchedule[]): WorkingCalendar {
    const years = new Map<number, CompiledYear>();
    for (const s of schedules) years.set(s.year, compile(s));
    return new WorkingCalendar(years);
  }

  /** A new calendar with that year's schedule added or replaced (a mid-year correction replaces the whole year). */
  withSchedule(schedule: YearSchedule): WorkingCalendar {
    const years = new Map(this.years);
    years.set(schedule.year, compile(schedule));
    return new WorkingCalendar(years);
  }

  hasSchedule(year: number): boolean {
    return this.years.has(year);
  }

  schedule(year: number): YearSchedule | undefined {
    const y = this.years.get(year);
    return y ? structuredClone(y.schedule) : undefined;
  }

  /** Every known schedule, by year. */
  schedules(): YearSchedule[] {
    return [...this.years.values()].sort((a, b) => a.schedule.year - b.schedule.year).map((y) => structuredClone(y.schedule));
  }

  private dayOf(n: number): Day {
    const w = weekdayOfDayNumber(n);
    const weekend = w === 0 || w === 6;
    const compiled = this.years.get(yearOf(fromDayNumber(n)));
    if (!compiled) return { n, working: !weekend, kind: weekend ? "weekend" : "workday", provisional: true };
    const makeUp = compiled.makeUps.get(n);
    if (makeUp !== undefined) return { n, working: true, kind: "makeup_workday", holiday: makeUp, provisional: false };
    const holiday = compiled.holidays.get(n);
    if (holiday !== undefined) return { n, working: false, kind: "holiday", holiday, provisional: false };
    return { n, working: !weekend, kind: weekend ? "weekend" : "workday", provisional: false };
  }

  day(date: IsoDate): DayInfo {
    const d = this.dayOf(toDayNumber(date));
    const info: DayInfo = { date: fromDayNumber(d.n), working: d.working, kind: d.kind, provisional: d.provisional };
    if (d.holiday !== undefined) info.holiday = d.holiday;
    return info;
  }

  isWorkingDay(date: IsoDate): boolean {
    return this.dayOf(toDayNumber(date)).working;
  }

  /**
   * The day on which the n-th working day after `start` ends; the start day itself
   * is never counted and make-up days count. n = 0 means "the start day if it is a
   * working day, else the next working day" (a period cannot end on a day off).
   * Provisional when any day examined (after start up to the result; for n = 0 from
   * the start) lies in a year without a schedule.
   */
  addWorkingDays(start: IsoDate, n: number): { date: IsoDate; provisional: boolean } {
    const r = this.walkAdd(start, n, false);
    return { date: r.date, provisional: r.provisional };
  }

  /** Every day skipped or counted specially on the way from `start` to the result of addWorkingDays(start, n). */
  explainAdd(start: IsoDate, n: number): ExplanationStep[] {
    return this.walkAdd(start, n, true).steps;
  }

  /**
   * Working days after `from` up to and including `to`; negative when `to` is before
   * `from` (so addWorkingDays and this are inverse: between(s, add(s, n)) = n).
   */
  workingDaysBetween(from: IsoDate, to: IsoDate): number {
    const a = toDayNumber(from);
    const b = toDayNumber(to);
    const [lo, hi, sign] = a <= b ? [a, b, 1] : [b, a, -1];
    let count = 0;
    for (let d = lo + 1; d <= hi; d++) if (this.dayOf(d).working) count++;
    return sign * count;
  }

  /** Describes one day for an explanation (zh-CN). */
  describe(date: IsoDate, action: ExplanationStep["action"], counted: number): ExplanationStep {
    return this.step(this.dayOf(toDayNumber(date)), action, counted);
  }

  private step(d: Day, action: ExplanationStep["action"], counted: number): ExplanationStep {
    const date = fromDayNumber(d.n);
    const head = `${date}（${weekdayZh(date)}）`;
    let text: string;
    switch (action) {
      case "start":
        text = `${head}起算日，当日不计入期限`;
        break;
      case "skip":
        text = d.kind === "holiday" ? `${head}${d.holiday}放假，不计入` : `${head}周末休息，不计入`;
        break;
      case "paused":
        text = `${head}计时暂停期间，不计入`;
        break;
      case "count":
        text =
          d.kind === "makeup_workday"
            ? `${head}${d.holiday}调休上班，计为第 ${counted} 个工作日`
            : `${head}计为第 ${counted} 个工作日`;
        break;
      case "due":
        text =
          d.kind === "makeup_workday"
            ? `${head}${d.holiday}调休上班，第 ${counted} 个工作日，期限届满`
            : `${head}第 ${counted} 个工作日，期限届满`;
        break;
    }
    if (d.provisional) text += PROVISIONAL_NOTE;
    const s: ExplanationStep = { date, action, dayKind: d.kind, counted, provisional: d.provisional, text };
    if (d.holiday !== undefined) s.holiday = d.holiday;
    return s;
  }

  private walkAdd(start: IsoDate, n: number, withSteps: boolean): { date: IsoDate; provisional: boolean; steps: ExplanationStep[] } {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`工作日数应为非负整数，收到 ${n}`);
    const s = toDayNumber(start);
    const steps: ExplanationStep[] = [];
    let provisional = false;
    if (withSteps) steps.push(this.step(this.dayOf(s), "start", 0));
    let d = s;
    let counted = 0;
    if (n === 0) {
      // the period is empty: it ends on the start day, or the next working day if that is a day off
      for (; ; d++) {
        const day = this.dayOf(d);
        provisional ||= day.provisional;
        if (day.working) {
          if (withSteps) steps.push(this.step(day, "due", 0));
          break;
        }
        if (withSteps) steps.push(this.step(day, "skip", 0));
      }
      return { date: fromDayNumber(d), provisional, steps };
    }
    while (counted < n) {
      d++;
      const day = this.dayOf(d);
      provisional ||= day.provisional;
      if (!day.working) {
        if (withSteps) steps.push(this.step(day, "skip", counted));
        continue;
      }
      counted++;
      if (!withSteps) continue;
      if (counted === n) steps.push(this.step(day, "due", counted));
      else if (day.kind === "makeup_workday" || day.provisional) steps.push(this.step(day, "count", counted));
    }
    return { date: fromDayNumber(d), provisional, steps };
  }
}
