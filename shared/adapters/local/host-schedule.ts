/**
 * Schedule triggers for the local host: `rate(...)` expressions fire at
 * start-up and then every period of real time; `cron(...)` expressions fire when
 * the host's clock (movable locally) passes their next occurrence in their zone.
 */
import { randomUUID } from "node:crypto";
import type { ScheduledEvent } from "aws-lambda";
import type { Clock } from "../../domain/clock";
import { LOCAL_ACCOUNT, LOCAL_REGION } from "./host-lambda";
import { readJson, writeJsonAtomic } from "./json-file";
import type { LocalClock } from "./local-clock";
import { ExpressionError, nextOccurrence, parseExpression } from "./schedule-expression";

const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** Period of an EventBridge `rate(n unit)` expression in ms, or undefined for anything else. */
export function parseRate(expression: string): number | undefined {
  const m = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/.exec(expression.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = (m[2] ?? "").replace(/s$/, "");
  // EventBridge insists on the singular for 1 and the plural otherwise
  if (n < 1 || (n === 1) !== (m[2] === unit)) return undefined;
  const ms = UNIT_MS[unit];
  return ms === undefined ? undefined : n * ms;
}

/** The EventBridge "Scheduled Event" envelope, stamped with the injected clock's time. */
export function scheduledEvent(scheduleName: string, now: Date): ScheduledEvent {
  return {
    version: "0",
    id: randomUUID(),
    "detail-type": "Scheduled Event",
    source: "aws.scheduler",
    account: LOCAL_ACCOUNT,
    time: now.toISOString().replace(/\.\d{3}Z$/, "Z"),
    region: LOCAL_REGION,
    resources: [`arn:aws:scheduler:${LOCAL_REGION}:${LOCAL_ACCOUNT}:schedule/default/${scheduleName}`],
    detail: {},
  };
}

export interface ScheduleRunner {
  stop(timeoutMs: number): Promise<void>;
}

/**
 * Fires `run` now and every `periodMs`; a firing is skipped while the previous
 * one is still running (as a reserved-concurrency-1 Lambda would throttle).
 */
export function startSchedule(periodMs: number, run: () => Promise<void>): ScheduleRunner {
  let inFlight: Promise<void> | undefined;
  const fire = () => {
    if (inFlight) return;
    inFlight = run().finally(() => {
      inFlight = undefined;
    });
  };
  fire();
  const timer = setInterval(fire, periodMs);
  return {
    async stop(timeoutMs) {
      clearInterval(timer);
      if (!inFlight) return;
      let t: NodeJS.Timeout | undefined;
      await Promise.race([inFlight, new Promise<void>((res) => (t = setTimeout(res, timeoutMs)))]);
      clearTimeout(t);
    },
  };
}

/** Up to which instant a cron schedule's occurrences were handled. */
export interface CronMark {
  expression: string;
  timezone: string;
  /** ISO instant */
  handledThrough: string;
}

export interface CronMarks {
  get(name: string): CronMark | undefined;
  set(name: string, mark: CronMark): void;
}

/** Marks kept in a JSON file (npm start: a restart does not fire what already fired), or in memory. */
export function cronMarks(file?: string): CronMarks {
  const marks: Record<string, CronMark> = file ? readJson<Record<string, CronMark>>(file, {}) : {};
  return {
    get: (name) => marks[name],
    set: (name, mark) => {
      marks[name] = mark;
      if (file) writeJsonAtomic(file, marks);
    },
  };
}

export interface CronOptions {
  name: string;
  expression: string;
  /** default UTC, as EventBridge Scheduler */
  timezone?: string;
  /** a LocalClock is watched: moving it past an occurrence fires at once */
  clock: Clock;
  marks: CronMarks;
  /** runs the function; must not reject (the host logs failures) */
  run(): Promise<void>;
  /** how often real time is looked at (the file-backed local clock moves with it); default 1000 ms */
  tickMs?: number;
}

/**
 * Fires `run` once whenever the clock has passed the next occurrence after the last
 * handled one, however many occurrences a jump crossed. The first start counts from now;
 * an occurrence that passed while the stack was down fires once at start-up. The mark is
 * written after the run, so a kill mid-run fires it again (at least once) while a failing
 * run is not retried (the deployed schedule has retryAttempts 0). Throws ExpressionError
 * for anything but a valid cron() expression.
 */
export function startCron(opts: CronOptions): ScheduleRunner & { check(): void } {
  const timezone = opts.timezone ?? "UTC";
  const parsed = parseExpression(opts.expression, timezone);
  if (parsed.kind !== "cron") throw new ExpressionError(`not a cron() expression: ${opts.expression}`);
  let mark = opts.marks.get(opts.name);
  if (!mark || mark.expression !== opts.expression || mark.timezone !== timezone) {
    mark = { expression: opts.expression, timezone, handledThrough: opts.clock.now().toISOString() };
    opts.marks.set(opts.name, mark);
  }
  let next = nextOccurrence(parsed, Date.parse(mark.handledThrough), 0);
  let inFlight: Promise<void> | undefined;
  let stopped = false;

  const check = () => {
    if (inFlight || stopped) return;
    const now = opts.clock.now().getTime();
    if (next === null || next > now) return;
    inFlight = opts.run().finally(() => {
      opts.marks.set(opts.name, { expression: opts.expression, timezone, handledThrough: new Date(now).toISOString() });
      next = nextOccurrence(parsed, now, 0);
      inFlight = undefined;
      check(); // the clock may have moved on while it ran
    });
  };

  const unsubscribe = (opts.clock as Partial<LocalClock>).onMove?.(() => check());
  const timer = setInterval(check, opts.tickMs ?? 1000);
  check();
  return {
    check,
    async stop(timeoutMs) {
      stopped = true;
      clearInterval(timer);
      unsubscribe?.();
      if (!inFlight) return;
      let t: NodeJS.Timeout | undefined;
      await Promise.race([inFlight, new Promise<void>((res) => (t = setTimeout(res, timeoutMs)))]);
      clearTimeout(t);
    },
  };
}
