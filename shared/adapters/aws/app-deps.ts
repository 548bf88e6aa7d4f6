import type { AppDeps } from "../../app/deps";
import { loadConfig } from "../../config";
import { runtimeClock } from "../runtime-clock";
import { awsClients } from "./clients";
import { createTable } from "./table";
import { createOutboxDispatcher } from "./outbox";
import { createCalendarStore, loadCalendar } from "./calendar-store";
import type { WorkingCalendar } from "../../domain/calendar";

/** Entered schedules change a few times a year; re-read them at most once a minute per process. */
const CALENDAR_TTL_MS = 60_000;

let cached: AppDeps | undefined;
let calendar: { value: WorkingCalendar; loadedAt: number } | undefined;

/** After this process entered a schedule: read the calendar afresh on next use. */
export function forgetCachedCalendar(): void {
  calendar = undefined;
}

/** The production wiring of use-case dependencies, built once per process (Lambda container). */
export function appDeps(): AppDeps {
  if (cached) return cached;
  const config = loadConfig();
  const { doc, sqs, scheduler } = awsClients();
  const table = createTable(doc, config.tableName);
  const store = createCalendarStore({ doc, tableName: config.tableName });
  cached = {
    table,
    clock: runtimeClock,
    config,
    outbox: createOutboxDispatcher({ table, sqs, scheduler, config }),
    async calendar() {
      const now = Date.now();
      if (!calendar || now - calendar.loadedAt > CALENDAR_TTL_MS) calendar = { value: await loadCalendar(store), loadedAt: now };
      return calendar.value;
    },
  };
  return cached;
}
