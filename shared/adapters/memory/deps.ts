import type { AppDeps } from "../../app/deps";
import type { CalendarStore, StoredYearSchedule } from "../../app/ports/calendar";
import { loadConfig } from "../../config";
import type { Clock } from "../../domain/clock";
import { newId } from "../../domain/ids";
import { loadCalendar } from "../aws/calendar-store";
import { createMemoryStore, type MemoryStore } from "./store";
import { createMemoryFileStore } from "./file-store";
import { createMemoryOutbox, type MemoryOutbox } from "./outbox";
import { recordingWechatChannel } from "../wechat-recorder";

export function createMemoryCalendarStore(): CalendarStore {
  const revisions: StoredYearSchedule[] = [];
  return {
    async listEntered() {
      const latest = new Map<number, StoredYearSchedule>();
      for (const r of revisions) latest.set(r.schedule.year, r);
      return [...latest.values()].sort((a, b) => a.schedule.year - b.schedule.year);
    },
    async put(schedule, enteredBy, at) {
      const revision = revisions.filter((r) => r.schedule.year === schedule.year).length + 1;
      const stored = { schedule: structuredClone(schedule), enteredBy, enteredAt: at.toISOString(), revision };
      revisions.push(stored);
      return stored;
    },
    async history(year) {
      return revisions.filter((r) => r.schedule.year === year);
    },
  };
}

export type MemoryDeps = AppDeps & { store: MemoryStore; outbox: MemoryOutbox; files: ReturnType<typeof createMemoryFileStore> };

/** Use-case dependencies entirely in memory: the same use cases, no DynamoDB, no queues. */
export function memoryDeps(clock: Clock): MemoryDeps {
  const calendars = createMemoryCalendarStore();
  const files = createMemoryFileStore();
  return {
    store: createMemoryStore(),
    files,
    wechat: recordingWechatChannel(files),
    outbox: createMemoryOutbox(),
    calendars,
    clock,
    config: { ...loadConfig(), publicBaseUrl: "http://gongkai.test", tableName: "memory", filesBucket: "memory" },
    newId: () => newId(clock.now()),
    calendar: () => loadCalendar(calendars),
  };
}
