import type { Clock } from "../domain/clock";
import type { Table } from "../adapters/aws/table";
import type { OutboxDispatcher } from "../adapters/aws/outbox";
import type { AppConfig } from "../config";
import type { WorkingCalendar } from "../domain/calendar";

/** What use cases need; handlers build it once per process, tests build it per test. */
export interface AppDeps {
  table: Table;
  clock: Clock;
  outbox: OutboxDispatcher;
  config: AppConfig;
  /** official schedules overlaid with those an administrator entered */
  calendar(): Promise<WorkingCalendar>;
}
