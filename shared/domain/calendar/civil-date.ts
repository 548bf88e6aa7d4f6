/**
 * Civil dates ("YYYY-MM-DD") as integers: days since 1970-01-01.
 * All arithmetic goes through Date.UTC so the process time zone never matters.
 */
export type IsoDate = string;

const MS_PER_DAY = 86_400_000;
/** Asia/Shanghai is UTC+8 all year (no DST since 1991). */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export class InvalidDateError extends RangeError {
  constructor(readonly value: string) {
    super(`日期格式无效："${value}"，应为 YYYY-MM-DD 的有效日期`);
    this.name = "InvalidDateError";
  }
}

export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== "string") return false;
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  return d <= daysInMonth(y, mo);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Day number (days since 1970-01-01) of a civil date; throws InvalidDateError. */
export function toDayNumber(date: IsoDate): number {
  if (!isIsoDate(date)) throw new InvalidDateError(String(date));
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  return Math.round(Date.UTC(y, m - 1, d) / MS_PER_DAY);
}

export function fromDayNumber(day: number): IsoDate {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(toDayNumber(date) + days);
}

export function yearOf(date: IsoDate): number {
  return Number(date.slice(0, 4));
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekdayOfDayNumber(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function weekday(date: IsoDate): number {
  return weekdayOfDayNumber(toDayNumber(date));
}

export function isWeekend(date: IsoDate): boolean {
  const w = weekday(date);
  return w === 0 || w === 6;
}

const WEEKDAY_ZH = ["周日", "周一", "周二", "周三", "周四", "周五", "周六"];
export function weekdayZh(date: IsoDate): string {
  return WEEKDAY_ZH[weekday(date)] ?? "";
}

/** Civil date in Asia/Shanghai of an instant. */
export function shanghaiDate(instant: Date): IsoDate {
  const t = instant.getTime();
  if (!Number.isFinite(t)) throw new RangeError("无效的时间点");
  return fromDayNumber(Math.floor((t + SHANGHAI_OFFSET_MS) / MS_PER_DAY));
}

const TIME = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{3}))?)?$/;

/** "HH:mm[:ss[.SSS]]" on a civil date in Asia/Shanghai → the instant (UTC+8, no DST). */
export function shanghaiInstant(date: IsoDate, time: string): Date {
  const m = TIME.exec(time);
  if (!m) throw new RangeError(`时间格式无效："${time}"，应为 HH:mm`);
  const [h, mi, s, ms] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0), Number(m[4] ?? 0)];
  if (h > 23 || mi > 59 || s > 59) throw new RangeError(`时间无效："${time}"`);
  return new Date(toDayNumber(date) * MS_PER_DAY + ((h * 60 + mi) * 60 + s) * 1000 + ms - SHANGHAI_OFFSET_MS);
}

/** "YYYY-MM-DD HH:mm" in Beijing time (UTC+8, no DST) of an ISO instant, whatever the process time zone. */
export function formatShanghaiTime(iso: string): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  return new Date(t.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16).replace("T", " ");
}
