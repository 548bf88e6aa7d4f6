/**
 * Schedule triggers for the local host: `rate(...)` expressions fire at
 * start-up and then every period of real time.
 */
import { randomUUID } from "node:crypto";
import type { ScheduledEvent } from "aws-lambda";
import { LOCAL_ACCOUNT, LOCAL_REGION } from "./host-lambda";

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
