import type { Clock } from "../domain/clock";
import type { AppConfig } from "../config";
import type { WorkingCalendar } from "../domain/calendar";
import type { Store } from "./ports/store";
import type { FileStore } from "./ports/files";
import type { OutboxDispatcher } from "./ports/outbox";
import type { CalendarStore } from "./ports/calendar";
import type { WechatChannel } from "./ports/channels";
import type { OpsProbe } from "./ports/ops";

/** What use cases need; handlers build it once per process, tests build it per test (on DynamoDB Local or in memory). */
export interface AppDeps {
  store: Store;
  files: FileStore;
  outbox: OutboxDispatcher;
  calendars: CalendarStore;
  /** the agency's WeChat official account */
  wechat: WechatChannel;
  clock: Clock;
  config: AppConfig;
  /** official schedules overlaid with those an administrator entered */
  calendar(): Promise<WorkingCalendar>;
  /** backups and dead-letter depths, for the security inspection (absent: reported as unknown) */
  ops?: OpsProbe;
  /** time-ordered unique ids (cases, letters) */
  newId(): string;
}
