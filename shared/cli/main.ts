import { readFile, writeFile } from "node:fs/promises";
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
import type { Message, SQSClient } from "@aws-sdk/client-sqs";
import { ADMIN_USAGE, AdminUsageError, adminCommand } from "./admin";

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
      写入正在运行的本地系统（npm start），或由 TABLE_NAME 等环境变量指定的 AWS 部署。
  gongkai report annual --agency CODE --year YYYY [--format json|csv|xlsx|html] [--out FILE]
      生成某机关某年度的政府信息公开工作年度报告（全国统一格式）；默认 json 输出到标准输出，xlsx 须指定 --out。
      读取正在运行的本地系统（npm start），或由 TABLE_NAME 等环境变量指定的 AWS 部署。
  gongkai dlq list [--outputs FILE]
      列出每个队列待处理、处理中的消息数及其死信队列中的消息数。
  gongkai dlq replay QUEUE [--dry-run] [--outputs FILE] [--queue-url URL] [--dlq-url URL]
      把 QUEUE 死信队列中的全部消息移回 QUEUE（分批接收、发送、删除，直到取空）；--dry-run 只列出、不移动。
      各消费者幂等，重放是安全的。队列地址：正在运行的本地系统（npm start）；AWS 上用操作员的凭证，
      以及 --outputs（cdk deploy --outputs-file 写出的文件）或 --queue-url；死信队列由队列的 RedrivePolicy 找到。
${ADMIN_USAGE}`;

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
    if (command === "report") {
      const [sub, ...args] = rest;
      if (sub === "annual") return await annualReportCommand(args, io);
      throw new UsageError(`未知的 report 子命令：${sub ?? "(无)"}（可用：annual）`);
    }
    if (command === "admin") {
      const [sub, ...args] = rest;
      return await adminCommand(sub, args, io);
    }
    if (command === "dlq") {
      const [sub, ...args] = rest;
      if (sub === "list") return await dlqListCommand(args, io);
      if (sub === "replay") return await dlqReplayCommand(args, io);
      throw new UsageError(`未知的 dlq 子命令：${sub ?? "(无)"}（可用：list、replay）`);
    }
    throw new UsageError(`未知命令：${command}`);
  } catch (error) {
    if (error instanceof UsageError || error instanceof AdminUsageError || (error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS"))) {
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

// --- report -------------------------------------------------------------------------

async function annualReportCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { agency: { type: "string" }, year: { type: "string" }, format: { type: "string" }, out: { type: "string" } }, strict: true });
  const format = values.format ?? "json";
  if (!["json", "csv", "xlsx", "html"].includes(format)) throw new UsageError("--format 应为 json、csv、xlsx 或 html");
  if (!values.agency || !/^\d{15}$/.test(values.agency)) throw new UsageError("--agency 应为 15 位机关代码");
  if (!values.year || !/^\d{4}$/.test(values.year)) throw new UsageError("--year 应为四位年份");
  if (format === "xlsx" && !values.out) throw new UsageError("xlsx 格式须用 --out 指定输出文件");
  if (!io.env.TABLE_NAME) {
    io.err("无法读取数据：本地系统未在运行（请先 npm start），也未设置 TABLE_NAME。/ The local stack is not running (npm start) and TABLE_NAME is not set.");
    return EXIT_FAILED;
  }
  const [{ appDeps }, { annualReport }] = await Promise.all([import("../adapters/aws/app-deps"), import("../app/reports/annual")]);
  const report = await withTimeout(annualReport(appDeps(), values.agency, Number(values.year)), STORE_TIMEOUT_MS);
  let body: string | Uint8Array;
  if (format === "json") body = `${JSON.stringify(report, null, 2)}\n`;
  else if (format === "csv") body = (await import("../ui/reports/annual-csv")).renderAnnualReportCsv(report);
  else if (format === "html") body = (await import("../ui/reports/annual-html")).renderAnnualReportHtml(report);
  else body = await (await import("../ui/reports/annual-xlsx")).renderAnnualReportXlsx(report);
  if (values.out) {
    await writeFile(resolve(io.cwd, values.out), body);
    io.out(`已写出 ${values.out}（${report.agency.name} ${report.year} 年度；校验 ${report.checks.filter((c) => c.ok).length}/${report.checks.length} 项通过）`);
  } else io.out(typeof body === "string" ? body.replace(/\n$/, "") : "");
  for (const c of report.checks.filter((x) => !x.ok)) io.err(`校验未通过：${c.name}`);
  return EXIT_OK;
}

// --- dlq ------------------------------------------------------------------------------

/** How long a received dead letter stays hidden: long enough to send and delete its batch; one we could not move comes back after it. */
const DLQ_HOLD_SECONDS = 60;
/** On AWS a long poll asks every SQS server, so an empty answer means the queue is empty (a short poll samples a few); the stand-in is one server. */
const waitSecondsFor = (queueUrl: string) => (/(^|\.)localhost$|^127\./.test(new URL(queueUrl).hostname) ? 0 : 1);

/** Where a queue's URL comes from: --queue-url, a `cdk deploy --outputs-file` file, or the running local stack's environment. */
async function queueUrlFor(queue: string, io: CliIo, outputs: Record<string, string> | undefined): Promise<string | undefined> {
  if (outputs) {
    const { queueUrlsFromOutputs } = await import("../../infra/names");
    return queueUrlsFromOutputs(outputs)[queue];
  }
  const { queueUrlEnvName } = await import("../config");
  return io.env[queueUrlEnvName(queue)] || undefined;
}

/** Every output of every stack in a `cdk deploy --outputs-file` file, by output key. */
async function readOutputs(file: string | undefined, io: CliIo): Promise<Record<string, string> | undefined> {
  if (file === undefined) return undefined;
  const parsed = JSON.parse(await readFile(resolve(io.cwd, file), "utf8")) as Record<string, Record<string, unknown>>;
  const out: Record<string, string> = {};
  for (const stack of Object.values(parsed)) for (const [key, value] of Object.entries(stack ?? {})) if (typeof value === "string") out[key] = value;
  return out;
}

const NO_QUEUES =
  "无法确定队列地址：本地系统未在运行（请先 npm start），也未给出 --outputs FILE 或 --queue-url。/ Cannot find the queues: the local stack is not running (npm start) and neither --outputs nor --queue-url was given.";

/**
 * An SQS client for the queue behind `url`, aimed at the URL's own host: the local stand-in
 * or the AWS region named in it (so an AWS URL is never sent to a local endpoint, or back).
 * The stand-in names its queues `sqs.<region>.localhost`, which need not resolve: it is
 * reached on 127.0.0.1 at the same port. Credentials: the environment's, else the SDK's
 * default chain (the operator's profile); the stand-in takes any.
 */
async function sqsFor(url: string, io: CliIo): Promise<SQSClient> {
  const { SQSClient } = await import("@aws-sdk/client-sqs");
  const parsed = new URL(url);
  const { hostname } = parsed;
  const loopback = /(^|\.)localhost$|^127\.\d+\.\d+\.\d+$|^\[::1\]$/.test(hostname);
  const origin = loopback ? `${parsed.protocol}//127.0.0.1${parsed.port ? `:${parsed.port}` : ""}` : parsed.origin;
  const region = /(?:^|\.)([a-z]{2}(?:-gov)?-[a-z]+-\d+)\./.exec(hostname)?.[1] ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION ?? "us-east-1";
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } = io.env;
  const credentials =
    accessKeyId && secretAccessKey
      ? { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) }
      : loopback
        ? { accessKeyId: "local", secretAccessKey: "local" }
        : undefined;
  return new SQSClient({ endpoint: origin, region, useQueueUrlAsEndpoint: false, ...(credentials ? { credentials } : {}) });
}

/** A queue's dead-letter queue, as its RedrivePolicy names it. */
async function deadLetterUrlOf(sqs: SQSClient, queueUrl: string): Promise<string> {
  const { GetQueueAttributesCommand, GetQueueUrlCommand } = await import("@aws-sdk/client-sqs");
  const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["RedrivePolicy"] }));
  const policy = attrs.Attributes?.RedrivePolicy;
  if (!policy) throw new Error(`队列 ${queueUrl} 没有死信队列（无 RedrivePolicy）/ the queue has no dead-letter queue`);
  const arn = String((JSON.parse(policy) as { deadLetterTargetArn?: unknown }).deadLetterTargetArn ?? "");
  const [, , , , account, name] = arn.split(":");
  if (!name) throw new Error(`RedrivePolicy 中的死信队列 ARN 无效：${arn}`);
  const found = await sqs.send(new GetQueueUrlCommand({ QueueName: name, ...(account ? { QueueOwnerAWSAccountId: account } : {}) }));
  if (!found.QueueUrl) throw new Error(`找不到死信队列 ${name}`);
  return found.QueueUrl;
}

async function depthOf(sqs: SQSClient, queueUrl: string): Promise<{ waiting: number; inFlight: number }> {
  const { GetQueueAttributesCommand } = await import("@aws-sdk/client-sqs");
  const a = (
    await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"],
      }),
    )
  ).Attributes;
  return {
    waiting: Number(a?.ApproximateNumberOfMessages ?? 0) + Number(a?.ApproximateNumberOfMessagesDelayed ?? 0),
    inFlight: Number(a?.ApproximateNumberOfMessagesNotVisible ?? 0),
  };
}

async function dlqListCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { outputs: { type: "string" } }, strict: true, allowPositionals: false });
  const outputs = await readOutputs(values.outputs, io);
  const { queueNames } = await import("../manifest");
  const rows: string[] = [];
  let found = 0;
  let deadLetters = 0;
  let failed = false;
  for (const queue of queueNames) {
    const url = await queueUrlFor(queue, io, outputs);
    if (!url) continue;
    found++;
    const sqs = await sqsFor(url, io);
    try {
      const [main, dead] = await Promise.all([depthOf(sqs, url), deadLetterUrlOf(sqs, url).then((dlq) => depthOf(sqs, dlq))]);
      // a dead letter being looked at (a replay, a dry run) is still one
      const dlqCount = dead.waiting + dead.inFlight;
      deadLetters += dlqCount;
      rows.push(`${queue}  ${main.waiting}  ${main.inFlight}  ${dlqCount}`);
    } catch (error) {
      failed = true;
      rows.push(`${queue}  无法读取 / unavailable: ${message(error)}`);
    } finally {
      sqs.destroy();
    }
  }
  if (found === 0) {
    io.err(NO_QUEUES);
    return EXIT_FAILED;
  }
  io.out("队列 queue  待处理 waiting  处理中 in flight  死信 dead letters");
  for (const row of rows) io.out(row);
  io.out(`死信合计 / dead letters in total: ${deadLetters}`);
  return failed ? EXIT_FAILED : EXIT_OK;
}

/** What an operator may see of a dead letter: its kind and ids, never addresses or text. */
function describeDeadLetter(m: Message): string {
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(m.Body ?? "");
    if (typeof parsed === "object" && parsed !== null) body = parsed as Record<string, unknown>;
  } catch {
    // not JSON: listed by its ids only
  }
  const sent = Number(m.Attributes?.SentTimestamp);
  const fields = [
    m.MessageId ?? "?",
    Number.isFinite(sent) ? new Date(sent).toISOString() : "?",
    typeof body.type === "string" ? body.type : "(无类型 / no type)",
    ...(["messageId", "caseId", "taskId", "workflow", "step", "kind"] as const).flatMap((k) => (typeof body[k] === "string" ? [`${k}=${String(body[k])}`] : [])),
  ];
  return `  ${fields.join("  ")}`;
}

async function dlqReplayCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { "dry-run": { type: "boolean", default: false }, outputs: { type: "string" }, "queue-url": { type: "string" }, "dlq-url": { type: "string" } },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new UsageError("dlq replay 需要且只需要一个队列名（QUEUE）");
  const queue = positionals[0]!;
  const { queueNames } = await import("../manifest");
  if (!values["queue-url"] && !queueNames.includes(queue)) throw new UsageError(`未知的队列：${queue}（可用：${queueNames.join("、")}）`);
  const url = values["queue-url"] ?? (await queueUrlFor(queue, io, await readOutputs(values.outputs, io)));
  if (!url) {
    io.err(NO_QUEUES);
    return EXIT_FAILED;
  }
  const sqs = await sqsFor(url, io);
  try {
    const dlqUrl = values["dlq-url"] ?? (await deadLetterUrlOf(sqs, url));
    const dryRun = values["dry-run"];
    const result = await moveDeadLetters(sqs, dlqUrl, url, { dryRun, onMessage: dryRun ? (m) => io.out(describeDeadLetter(m)) : undefined });
    if (dryRun) {
      io.out(`${queue} 的死信队列中共有 ${result.seen} 条消息（演练，未移动）。/ ${result.seen} dead letter(s) of ${queue}; dry run, nothing moved.`);
      return EXIT_OK;
    }
    io.out(`已将 ${result.moved} 条死信移回 ${queue}。/ Moved ${result.moved} dead letter(s) back to ${queue}.`);
    if (result.notDeleted > 0) {
      io.err(`其中 ${result.notDeleted} 条未能从死信队列删除，下次重放时会再移一次（消费者幂等，无害）。/ ${result.notDeleted} stayed in the DLQ too and will be moved again (harmless).`);
    }
    if (result.failed > 0) {
      io.err(`${result.failed} 条未能移回，仍在死信队列中（约 ${DLQ_HOLD_SECONDS} 秒后可再次重放）。/ ${result.failed} could not be moved and stay in the dead-letter queue.`);
      return EXIT_FAILED;
    }
    return EXIT_OK;
  } catch (error) {
    io.err(`无法重放 ${queue} 的死信：${message(error)} / Cannot replay the dead letters of ${queue}.`);
    return EXIT_FAILED;
  } finally {
    sqs.destroy();
  }
}

/**
 * Moves every message of `from` onto `to`, ten at a time: receive (hidden for a while),
 * send, and delete only what was sent, until a long poll finds nothing. A message whose
 * send or delete failed is not lost: it reappears in `from` (a delete that failed after
 * the send means it may be moved twice, which idempotent consumers shrug off). A dry run
 * receives everything, reports it, and makes it visible again at once.
 */
export async function moveDeadLetters(
  sqs: SQSClient,
  from: string,
  to: string,
  opts: { dryRun?: boolean; onMessage?: (m: Message) => void } = {},
): Promise<{ seen: number; moved: number; failed: number; notDeleted: number }> {
  const { ChangeMessageVisibilityBatchCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageBatchCommand } = await import("@aws-sdk/client-sqs");
  let seen = 0;
  let moved = 0;
  let failed = 0;
  let notDeleted = 0;
  const held: string[] = [];
  for (;;) {
    const batch =
      (
        await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: from,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: waitSecondsFor(from),
            VisibilityTimeout: DLQ_HOLD_SECONDS,
            MessageAttributeNames: ["All"],
            MessageSystemAttributeNames: ["SentTimestamp", "ApproximateReceiveCount"],
          }),
        )
      ).Messages ?? [];
    if (batch.length === 0) break;
    seen += batch.length;
    for (const m of batch) opts.onMessage?.(m);
    if (opts.dryRun) {
      held.push(...batch.map((m) => m.ReceiptHandle ?? ""));
      continue;
    }
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: to,
        Entries: batch.map((m, i) => ({
          Id: String(i),
          MessageBody: m.Body ?? "",
          // only the value fields SendMessage takes (the list fields are reserved)
          ...(m.MessageAttributes && Object.keys(m.MessageAttributes).length > 0
            ? {
                MessageAttributes: Object.fromEntries(
                  Object.entries(m.MessageAttributes).map(([k, a]) => [k, { DataType: a.DataType, StringValue: a.StringValue, BinaryValue: a.BinaryValue }]),
                ),
              }
            : {}),
        })),
      }),
    );
    const ok = new Set((sent.Successful ?? []).map((e) => e.Id));
    const toDelete = batch.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })).filter((e) => ok.has(e.Id));
    failed += batch.length - toDelete.length;
    if (toDelete.length > 0) {
      const deleted = await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: from, Entries: toDelete }));
      // on the queue either way; one still in the DLQ as well comes back and is moved again, harmlessly
      moved += toDelete.length;
      notDeleted += deleted.Failed?.length ?? 0;
    }
  }
  for (let i = 0; i < held.length; i += 10) {
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: from,
        Entries: held.slice(i, i + 10).map((ReceiptHandle, j) => ({ Id: String(j), ReceiptHandle, VisibilityTimeout: 0 })),
      }),
    );
  }
  return { seen, moved, failed, notDeleted };
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
  // without AWS settings, talk to the local stack `npm start` is running (if it is); `--table` names a deployed one
  if (!process.env.TABLE_NAME && !process.argv.includes("--table")) {
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
