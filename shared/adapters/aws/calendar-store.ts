import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { YearSchedule } from "../../domain/calendar";
import { WorkingCalendar } from "../../domain/calendar";
import { ConcurrentChangeError } from "../../app/errors";
import { createTable, putItem } from "./table";
import type { CalendarStore, StoredYearSchedule } from "../../app/ports/calendar";

export type { CalendarStore, StoredYearSchedule };

/** Lost a race with another entry of the same year; carries the revision now stored. */
export class CalendarRevisionConflictError extends ConcurrentChangeError {
  constructor(
    readonly year: number,
    readonly expectedRevision: number,
  ) {
    super(`${year} 年放假安排刚被他人修改（预期版本 ${expectedRevision}），请刷新后重试`);
    this.name = "CalendarRevisionConflictError";
  }
}

const PK = "CALENDAR";
const yearSk = (year: number) => `YEAR#${year}`;
// zero-padded so revisions sort in order
const revisionSk = (year: number, revision: number) => `YEAR#${year}#REV#${String(revision).padStart(6, "0")}`;
const CURRENT_SK = /^YEAR#\d{4}$/;

interface CalendarItem {
  pk: string;
  sk: string;
  schedule: YearSchedule;
  enteredBy: string;
  enteredAt: string;
  revision: number;
}

function toStored(item: CalendarItem): StoredYearSchedule {
  return { schedule: item.schedule, enteredBy: item.enteredBy, enteredAt: item.enteredAt, revision: item.revision };
}

/**
 * Entered schedules in the single table: `pk=CALENDAR, sk=YEAR#2027` holds the
 * current one, and an append-only `sk=YEAR#2027#REV#000001…` item keeps every entry.
 */
export function createCalendarStore(deps: { doc: DynamoDBDocumentClient; tableName: string }): CalendarStore {
  const table = createTable(deps.doc, deps.tableName);
  return {
    async listEntered() {
      const items = await table.query<CalendarItem>({ pk: PK, skBeginsWith: "YEAR#", consistent: true });
      return items.filter((i) => CURRENT_SK.test(i.sk)).map(toStored).sort((a, b) => a.schedule.year - b.schedule.year);
    },
    async put(schedule, enteredBy, at) {
      const year = schedule.year;
      const current = await table.get<CalendarItem>(PK, yearSk(year), true);
      const previous = current?.revision ?? 0;
      const stored: StoredYearSchedule = { schedule, enteredBy, enteredAt: at.toISOString(), revision: previous + 1 };
      try {
        await table.transact([
          previous === 0
            ? putItem(table, { pk: PK, sk: yearSk(year), ...stored }, "attribute_not_exists(pk)")
            : putItem(table, { pk: PK, sk: yearSk(year), ...stored }, "revision = :previous", { ":previous": previous }),
          putItem(table, { pk: PK, sk: revisionSk(year, stored.revision), ...stored }, "attribute_not_exists(pk)"),
        ]);
      } catch (error) {
        if (error instanceof ConcurrentChangeError) throw new CalendarRevisionConflictError(year, previous);
        throw error;
      }
      return stored;
    },
    async history(year) {
      const items = await table.query<CalendarItem>({ pk: PK, skBeginsWith: `${yearSk(year)}#REV#`, consistent: true });
      return items.map(toStored);
    },
  };
}

/** Official data overlaid with entered schedules: an entered year replaces the official one (that is how corrections work). */
export async function loadCalendar(store: Pick<CalendarStore, "listEntered">): Promise<WorkingCalendar> {
  let calendar = WorkingCalendar.official();
  for (const entered of await store.listEntered()) calendar = calendar.withSchedule(entered.schedule);
  return calendar;
}
