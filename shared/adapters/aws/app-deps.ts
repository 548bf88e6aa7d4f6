import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { SQSClient } from "@aws-sdk/client-sqs";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createOpsProbe } from "./ops-probe";
import type { SchedulerClient } from "@aws-sdk/client-scheduler";
import type { AppDeps } from "../../app/deps";
import type { FileStore } from "../../app/ports/files";
import type { AppConfig } from "../../config";
import { loadConfig } from "../../config";
import type { Clock } from "../../domain/clock";
import { newId } from "../../domain/ids";
import { runtimeClock } from "../runtime-clock";
import { scopedCache } from "../runtime-env";
import { awsClients } from "./clients";
import { createTable } from "./table";
import { createOutboxDispatcher } from "./outbox";
import { createCalendarStore, loadCalendar } from "./calendar-store";
import { createDynamoStore } from "./store";
import type { WorkingCalendar } from "../../domain/calendar";
import { recordingWechatChannel } from "../wechat-recorder";

/** Entered schedules change a few times a year; re-read them at most once a minute per process. */
const CALENDAR_TTL_MS = 60_000;

let calendar: { value: WorkingCalendar; loadedAt: number } | undefined;

/** After this process entered a schedule: read the calendar afresh on next use. */
export function forgetCachedCalendar(): void {
  calendar = undefined;
}

/**
 * Use-case dependencies from SDK clients and settings: the one wiring, for Lambda
 * (through `appDeps()`) and for tests against the stand-ins alike. With a TTL, the
 * calendar is cached per process; without, it is read on every use.
 */
export function buildAppDeps(parts: {
  doc: DynamoDBDocumentClient;
  sqs: SQSClient;
  scheduler: SchedulerClient;
  /** the files bucket: `lazyFileStore` in production, the S3 store on a test stack */
  files: FileStore;
  /** for the backup status; without it the inspection says it cannot tell */
  ddb?: DynamoDBClient;
  config: AppConfig;
  clock: Clock;
  calendarTtlMs?: number;
}): AppDeps {
  const { doc, sqs, scheduler, files, config, clock, calendarTtlMs = 0 } = parts;
  const table = createTable(doc, config.tableName);
  const calendars = createCalendarStore({ doc, tableName: config.tableName });
  return {
    store: createDynamoStore(table),
    files,
    wechat: recordingWechatChannel(files),
    calendars,
    clock,
    config,
    outbox: createOutboxDispatcher({ table, sqs, scheduler, config }),
    ops: createOpsProbe({ ...(parts.ddb ? { ddb: parts.ddb } : {}), sqs, config, now: () => clock.now() }),
    newId: () => newId(clock.now()),
    async calendar() {
      if (calendarTtlMs <= 0) return loadCalendar(calendars);
      const now = Date.now();
      if (!calendar || now - calendar.loadedAt > calendarTtlMs) calendar = { value: await loadCalendar(calendars), loadedAt: now };
      return calendar.value;
    },
  };
}

const noFilesGrant = (): never => {
  throw new Error("this function has no files grant (shared/manifest.ts)");
};

/**
 * The files bucket, with the S3 client and its commands loaded on first use: a function that
 * serves a page without a file never parses them. A function whose manifest entry has no
 * files grant is bundled without them at all (infra/entry-bundles.ts defines the marker, and
 * esbuild drops the branch that imports them).
 */
export function lazyFileStore(bucket: string): FileStore {
  if (!process.env.GONGKAI_BUNDLE_NO_FILES) {
    let store: Promise<FileStore> | undefined;
    const load = () => (store ??= import("./file-store").then((m) => m.createS3FileStore(m.s3Client(), bucket)));
    return {
      put: async (key, body, contentType) => (await load()).put(key, body, contentType),
      get: async (key) => (await load()).get(key),
      list: async (prefix) => (await load()).list(prefix),
    };
  }
  return { put: noFilesGrant, get: noFilesGrant, list: noFilesGrant };
}

/** The production wiring, built once per function (a Lambda container; on the local host, once per manifest entry). */
export function appDeps(): AppDeps {
  return scopedCache("appDeps", () => {
    const config = loadConfig();
    return buildAppDeps({ ...awsClients(), files: lazyFileStore(config.filesBucket), config, clock: runtimeClock, calendarTtlMs: CALENDAR_TTL_MS });
  });
}
