/**
 * EventBridge Scheduler expressions for the local stand-in: `at()`, `rate()` and the
 * `cron()` forms we can evaluate exactly. Anything else is rejected, never guessed.
 */

export class ExpressionError extends Error {
  override name = "ExpressionError";
}

export type ParsedExpression =
  | { kind: "at"; instant: number }
  | { kind: "rate"; periodMs: number }
  | { kind: "cron"; fields: CronFields; timezone: string };

interface CronFields {
  minutes: Set<number>;
  hours: Set<number>;
  /** undefined = `?` */
  daysOfMonth?: Set<number>;
  months: Set<number>;
  /** 1 = Sunday … 7 = Saturday (AWS numbering); undefined = `?` */
  daysOfWeek?: Set<number>;
  /** undefined = every year */
  years?: Set<number>;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

export function assertTimeZone(tz: string): void {
  try {
    zoneFormatter(tz);
  } catch {
    throw new ExpressionError(`Invalid ScheduleExpressionTimezone: ${tz}`);
  }
}

function zoneFormatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(tz, f);
  }
  return f;
}

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function wallTime(ms: number, tz: string): WallTime {
  const parts: Record<string, number> = {};
  for (const p of zoneFormatter(tz).formatToParts(new Date(ms))) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 0,
    day: parts.day ?? 0,
    hour: (parts.hour ?? 0) % 24,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

function offsetMs(ms: number, tz: string): number {
  const w = wallTime(ms, tz);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(ms / 1000) * 1000;
}

/** The instant at which the clocks of `tz` show the given wall time. */
export function zonedToUtc(w: WallTime, tz: string): number {
  const guess = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  const first = guess - offsetMs(guess, tz);
  return guess - offsetMs(first, tz);
}

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const AT = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/;
const CRON = /^cron\((.*)\)$/;

export function parseExpression(expression: string, timezone = "UTC"): ParsedExpression {
  assertTimeZone(timezone);
  const at = AT.exec(expression);
  if (at) {
    const [year, month, day, hour, minute, second] = at.slice(1).map(Number) as [number, number, number, number, number, number];
    const w = { year, month, day, hour, minute, second };
    const check = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
    if (
      check.getUTCFullYear() !== year ||
      check.getUTCMonth() !== month - 1 ||
      check.getUTCDate() !== day ||
      check.getUTCHours() !== hour ||
      check.getUTCMinutes() !== minute ||
      check.getUTCSeconds() !== second
    ) {
      throw new ExpressionError(`Invalid date in ${expression}`);
    }
    return { kind: "at", instant: zonedToUtc(w, timezone) };
  }
  const rate = RATE.exec(expression);
  if (rate) {
    const n = Number(rate[1]);
    const unit = rate[2] ?? "";
    if (n < 1) throw new ExpressionError(`Rate must be positive: ${expression}`);
    if ((n === 1) !== !unit.endsWith("s")) throw new ExpressionError(`Use "1 ${unit.replace(/s$/, "")}" or "n ${unit.replace(/s?$/, "s")}": ${expression}`);
    const unitMs = unit.startsWith("minute") ? 60_000 : unit.startsWith("hour") ? 3_600_000 : 86_400_000;
    return { kind: "rate", periodMs: n * unitMs };
  }
  const cron = CRON.exec(expression);
  if (cron) return { kind: "cron", fields: parseCron(cron[1] ?? ""), timezone };
  throw new ExpressionError(`Unsupported ScheduleExpression: ${expression}`);
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

function parseField(text: string, min: number, max: number, names: string[] = [], nameBase = 1): Set<number> {
  const values = new Set<number>();
  const value = (t: string): number => {
    const idx = names.indexOf(t.toUpperCase());
    const n = idx >= 0 ? idx + nameBase : /^\d+$/.test(t) ? Number(t) : NaN;
    if (!(n >= min && n <= max)) throw new ExpressionError(`Unsupported cron value "${t}" (allowed ${min}-${max})`);
    return n;
  };
  for (const part of text.split(",")) {
    const [range = "", stepText] = part.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new ExpressionError(`Unsupported cron step "${part}"`);
    let from: number;
    let to: number;
    if (range === "*") {
      from = min;
      to = max;
    } else if (range.includes("-")) {
      const [a = "", b = ""] = range.split("-");
      from = value(a);
      to = value(b);
      if (from > to) throw new ExpressionError(`Unsupported wrapping range "${range}"`);
    } else {
      from = value(range);
      to = stepText === undefined ? from : max;
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

function parseCron(body: string): CronFields {
  const f = body.trim().split(/\s+/);
  if (f.length !== 6) throw new ExpressionError(`cron() needs 6 fields (minutes hours day-of-month month day-of-week year): ${body}`);
  const [min = "", hour = "", dom = "", mon = "", dow = "", year = ""] = f;
  if (/[LW#]/i.test(dom.replace(/[A-Z]{3}/gi, "")) || /[L#]/i.test(dow.replace(/[A-Z]{3}/gi, ""))) {
    throw new ExpressionError(`L, W and # are not supported by the local Scheduler: ${body}`);
  }
  if ((dom === "?") === (dow === "?")) throw new ExpressionError(`Exactly one of day-of-month and day-of-week must be "?": ${body}`);
  return {
    minutes: parseField(min, 0, 59),
    hours: parseField(hour, 0, 23),
    daysOfMonth: dom === "?" ? undefined : parseField(dom, 1, 31),
    months: parseField(mon, 1, 12, MONTHS),
    daysOfWeek: dow === "?" ? undefined : parseField(dow, 1, 7, DAYS),
    years: year === "*" ? undefined : parseField(year, 1970, 2199),
  };
}

/** First occurrence strictly after `after` (ms); null when there is none within 10 years. */
export function nextCron(fields: CronFields, timezone: string, after: number): number | null {
  const start = wallTime(after, timezone);
  const hours = [...fields.hours].sort((a, b) => a - b);
  const minutes = [...fields.minutes].sort((a, b) => a - b);
  for (let i = 0; i < 3700; i++) {
    const date = new Date(Date.UTC(start.year, start.month - 1, start.day + i));
    const year = date.getUTCFullYear();
    const month = date.getUTCMonth() + 1;
    const day = date.getUTCDate();
    if (fields.years && !fields.years.has(year)) continue;
    if (!fields.months.has(month)) continue;
    if (fields.daysOfMonth && !fields.daysOfMonth.has(day)) continue;
    if (fields.daysOfWeek && !fields.daysOfWeek.has(date.getUTCDay() + 1)) continue;
    for (const hour of hours) {
      for (const minute of minutes) {
        const t = zonedToUtc({ year, month, day, hour, minute, second: 0 }, timezone);
        if (t > after) return t;
      }
    }
  }
  return null;
}

/**
 * Next firing strictly after `after`. `anchor` is where a rate() schedule starts counting
 * (its StartDate or creation time). at() returns its instant once, then null.
 */
export function nextOccurrence(parsed: ParsedExpression, after: number, anchor: number): number | null {
  switch (parsed.kind) {
    case "at":
      return parsed.instant > after ? parsed.instant : null;
    case "rate": {
      if (anchor > after) return anchor;
      const k = Math.floor((after - anchor) / parsed.periodMs) + 1;
      return anchor + k * parsed.periodMs;
    }
    case "cron":
      return nextCron(parsed.fields, parsed.timezone, after);
  }
}
