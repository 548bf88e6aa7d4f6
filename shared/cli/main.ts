import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath, pathToFileURL } from "node:url";
import { runningLocalEnv } from "../adapters/local/env";
import type { IsoDate, WorkingCalendar } from "../domain/calendar";
import { WorkingCalendar as Calendar, isIsoDate, parseYearScheduleJson, shanghaiDate, yearOf } from "../domain/calendar";
import type { Clock } from "../domain/clock";
import { systemClock } from "../domain/clock";
import type { CalendarStore, StoredYearSchedule } from "../adapters/aws/calendar-store";
import { describeYears } from "../app/calendar/list-years";

/** Where the CLI writes and what it reads; injected so tests run it in-process. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
  clock?: Clock;
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** A deadline longer than the statutory maximum (40 wd with extension) is surely a typo. */
export const MIN_DAYS = 1;
export const MAX_DAYS = 40;
/** Entered schedules are an optional overlay for `deadline`; do not hang on an unreachable table. */
const OVERLAY_TIMEOUT_MS = 2_000;
const STORE_TIMEOUT_MS = 20_000;

const USAGE = `用法 / Usage:
  gongkai deadline --from YYYY-MM-DD --days N [--explain]
      计算期限到期日：第一行为到期日，跨入尚无官方放假安排的年份时其后加 provisional。
      N 为 ${MIN_DAYS}–${MAX_DAYS} 个工作日；起算日不计入。
  gongkai calendar list
      列出已知的年度放假安排（官方 / 录入）及缺失的年份。
  gongkai calendar import FILE [--by 姓名]
      导入一个或多个年度放假安排（与仓库 shared/domain/calendar/official/*.json 相同的格式）。
      写入正在运行的本地系统（npm start），或由 TABLE_NAME 等环境变量指定的 AWS 部署。`;

class UsageError extends Error {}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === "--help" || command === "-h" || command === "help") {
      io.out(USAGE);
      return command === undefined ? EXIT_USAGE : EXIT_OK;
    }
    if (command === "deadline") return await deadlineCommand(rest, io);
    if (command === "calendar") {
      const [sub, ...args] = rest;
      if (sub === "list") return await listCommand(args, io);
      if (sub === "import") return await importCommand(args, io);
      throw new UsageError(`未知的 calendar 子命令：${sub ?? "(无)"}（可用：list、import）`);
    }
    throw new UsageError(`未知命令：${command}`);
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS"))) {
      io.err(`错误 / Error: ${error.message}`);
      io.err(USAGE);
      return EXIT_USAGE;
    }
    throw error;
  }
}

async function deadlineCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { from: { type: "string" }, days: { type: "string" }, explain: { type: "boolean", default: false } },
    strict: true,
    allowPositionals: false,
  });
  if (values.from === undefined) throw new UsageError("缺少 --from YYYY-MM-DD（起算日，即收到申请之日）");
  if (!isIsoDate(values.from)) throw new UsageError(`--from 不是有效日期：${values.from}（应为 YYYY-MM-DD）`);
  if (values.days === undefined) throw new UsageError("缺少 --days N（工作日数）");
  if (!/^\d+$/.test(values.days) || Number(values.days) < MIN_DAYS || Number(values.days) > MAX_DAYS) {
    throw new UsageError(`--days 应为 ${MIN_DAYS} 至 ${MAX_DAYS} 之间的整数，收到 ${values.days}`);
  }
  const from: IsoDate = values.from;
  const days = Number(values.days);
  const calendar = await calendarForReading(io);
  const result = calendar.addWorkingDays(from, days);
  io.out(result.provisional ? `${result.date} provisional` : result.date);
  if (values.explain) {
    io.out(`起算日 ${from}，期限 ${days} 个工作日（起算日不计入，遇休息日顺延，调休上班日计入）：`);
    for (const step of calendar.explainAdd(from, days)) io.out(`  ${step.text}`);
    if (result.provisional) {
      const missing = yearsWithout(calendar, from, result.date);
      io.out(`注意：${missing.join("、")} 年尚无官方放假安排，该期限仅按周末推算，为临时结果（provisional）；录入该年放假安排后将重新计算。`);
    }
  }
  return EXIT_OK;
}

function yearsWithout(calendar: WorkingCalendar, from: IsoDate, to: IsoDate): number[] {
  const out: number[] = [];
  for (let y = yearOf(from); y <= yearOf(to); y++) if (!calendar.hasSchedule(y)) out.push(y);
  return out;
}

async function listCommand(args: string[], io: CliIo): Promise<number> {
  if (args.length > 0) throw new UsageError(`calendar list 不接受参数：${args.join(" ")}`);
  let entered: StoredYearSchedule[] = [];
  let calendar = Calendar.official();
  const store = await storeFromEnv(io);
  if (store) {
    try {
      entered = await withTimeout(store.listEntered(), OVERLAY_TIMEOUT_MS);
      for (const e of entered) calendar = calendar.withSchedule(e.schedule);
    } catch (error) {
      io.err(`警告：未能读取已录入的放假安排（${message(error)}），仅列出仓库内的官方数据。/ Warning: entered schedules unavailable; showing official data only.`);
    }
  }
  const today = shanghaiDate((io.clock ?? systemClock).now());
  const rows = describeYears(calendar, entered, today);
  io.out("年份  来源  文号  发文日期  说明");
  for (const row of rows) {
    if (row.source === "missing") {
      io.out(`${row.year}  缺失  —  —  尚无官方放假安排：涉及该年的期限仅按周末推算，标记为 provisional`);
      continue;
    }
    const s = row.schedule!;
    const notes: string[] = [];
    for (const c of s.corrections ?? []) notes.push(`更正：${c.documentNumber}（${c.issuedOn}）`);
    if (row.source === "entered") {
      notes.push(`录入人 ${row.enteredBy}，录入于 ${row.enteredAt}，第 ${row.revision} 版${row.replacesOfficial ? "，取代仓库内官方数据" : ""}`);
    }
    io.out(`${row.year}  ${row.source === "entered" ? "录入" : "官方"}  ${s.notice.documentNumber}  ${s.notice.issuedOn}  ${notes.join("；")}`.trimEnd());
  }
  const missing = rows.filter((r) => r.source === "missing").map((r) => r.year);
  io.out(missing.length > 0 ? `缺失年份：${missing.join("、")}` : "缺失年份：无");
  return EXIT_OK;
}

async function importCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { by: { type: "string" } }, strict: true, allowPositionals: true });
  if (positionals.length !== 1) throw new UsageError("calendar import 需要且只需要一个文件路径");
  const file = resolve(io.cwd, positionals[0]!);
  const by = values.by?.trim() || io.env.GONGKAI_USER || io.env.USER || "cli";
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    io.err(`无法读取文件 ${file}：${message(error)} / Cannot read file`);
    return EXIT_FAILED;
  }
  const parsed = parseYearScheduleJson(text);
  if (!parsed.ok) {
    for (const e of parsed.errors) io.err(`${positionals[0]}:${e.line}: ${e.path}: ${e.message}`);
    io.err(`文件有 ${parsed.errors.length} 处错误，未导入任何内容。/ The file is invalid; nothing was imported.`);
    return EXIT_FAILED;
  }
  const wiring = await storeWiring(io);
  if (!wiring) {
    io.err("无法连接日历存储：本地系统未在运行（请先 npm start），也未设置 TABLE_NAME。/ Cannot reach the calendar store: the local stack is not running (npm start) and TABLE_NAME is not set.");
    return EXIT_FAILED;
  }
  try {
    await withTimeout(wiring.store.listEntered(), STORE_TIMEOUT_MS);
  } catch (error) {
    io.err(`无法连接日历存储（DynamoDB 表 ${wiring.tableName}）：${message(error)}，未导入任何内容。/ Cannot reach the calendar store (DynamoDB table ${wiring.tableName}); nothing was imported.`);
    return EXIT_FAILED;
  }
  const { enterYearSchedule } = await import("../app/calendar/enter-year-schedule");
  for (const schedule of parsed.schedules) {
    const { stored, changed } = await withTimeout(
      enterYearSchedule({ store: wiring.store, clock: io.clock ?? systemClock, recomputeOpenDeadlines: wiring.recompute }, schedule, by),
      STORE_TIMEOUT_MS,
    );
    io.out(
      `已录入 ${schedule.year} 年放假安排（${schedule.notice.documentNumber}，第 ${stored.revision} 版，录入人 ${stored.enteredBy}）；重新计算后调整了 ${changed} 个未结期限。`,
    );
  }
  return EXIT_OK;
}

/** Official data, overlaid (best effort, short timeout) with entered schedules when a table is configured. */
async function calendarForReading(io: CliIo): Promise<WorkingCalendar> {
  const store = await storeFromEnv(io);
  if (!store) return Calendar.official();
  try {
    const { loadCalendar } = await import("../adapters/aws/calendar-store");
    return await withTimeout(loadCalendar(store), OVERLAY_TIMEOUT_MS);
  } catch (error) {
    io.err(`警告：未能读取已录入的放假安排（${message(error)}），仅按仓库内官方数据计算。/ Warning: entered schedules unavailable.`);
    return Calendar.official();
  }
}

/** Only when the environment names a table and a DynamoDB endpoint (the local stack) is the store consulted for reading. */
async function storeFromEnv(io: CliIo): Promise<CalendarStore | undefined> {
  if (!io.env.TABLE_NAME || !io.env.AWS_ENDPOINT_URL_DYNAMODB) return undefined;
  return (await storeWiring(io))?.store;
}

interface StoreWiring {
  tableName: string;
  store: CalendarStore;
  recompute: (before: WorkingCalendar, after: WorkingCalendar, by: string) => Promise<{ changed: number }>;
}

async function storeWiring(io: CliIo): Promise<StoreWiring | undefined> {
  const tableName = io.env.TABLE_NAME;
  if (!tableName) return undefined;
  const [{ appDeps }, { awsClients }, { createCalendarStore }, { recomputeOpenDeadlines }] = await Promise.all([
    import("../adapters/aws/app-deps"),
    import("../adapters/aws/clients"),
    import("../adapters/aws/calendar-store"),
    import("../app/engine/recompute"),
  ]);
  const store = createCalendarStore({ doc: awsClients().doc, tableName });
  let hook: StoreWiring["recompute"] | undefined;
  // built lazily: only an import needs the full application wiring
  const recompute: StoreWiring["recompute"] = (before, after, by) => {
    hook ??= recomputeOpenDeadlines(appDeps());
    return hook(before, after, by);
  };
  return { tableName, store, recompute };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`超时（${ms} ms）/ timed out`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function message(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}

/**
 * The SDK reads AWS_ENDPOINT_URL_DYNAMODB itself; against a local endpoint it still
 * wants a region and credentials, which DynamoDB Local ignores.
 */
function prepareLocalEnv(env: NodeJS.ProcessEnv): void {
  const endpoint = env.AWS_ENDPOINT_URL_DYNAMODB ?? "";
  if (!/^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?/.test(endpoint)) return;
  env.AWS_REGION ??= "us-east-1";
  if (!env.AWS_ACCESS_KEY_ID && !env.AWS_PROFILE) {
    env.AWS_ACCESS_KEY_ID = "local";
    env.AWS_SECRET_ACCESS_KEY = "local";
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  // without AWS settings, talk to the local stack `npm start` is running (if it is)
  if (!process.env.TABLE_NAME) {
    const dataDir = process.env.GONGKAI_DATA_DIR ?? resolve(dirname(fileURLToPath(import.meta.url)), "../../.data");
    Object.assign(process.env, runningLocalEnv(dataDir) ?? {});
  }
  prepareLocalEnv(process.env);
  runCli(process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
    cwd: process.cwd(),
  }).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`错误 / Error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(EXIT_FAILED);
    },
  );
}
