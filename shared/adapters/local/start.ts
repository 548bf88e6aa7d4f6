/**
 * `npm start`: the whole system on one machine, no AWS account. Starts the stand-ins
 * (DynamoDB Local, fauxqs, S3, Scheduler, mail catcher), points the unchanged handlers at
 * them through the environment (each function only its own grants' share), seeds the demo
 * and serves everything through the host. State lives in `.data/` at the repo root, so a
 * restart keeps it.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ConflictException, CreateScheduleGroupCommand, SchedulerClient } from "@aws-sdk/client-scheduler";
import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import { functionEnvironment } from "../../environment";
import type { FunctionSpec } from "../../manifest";
import { functions, queueNames, scheduleGroupName } from "../../manifest";
import { allowLongPolls, sdkClientConfig } from "../aws/clients";
import { useRuntimeClock } from "../runtime-clock";
import { runInFunctionScope } from "../runtime-env";
import { setLocalControls } from "./controls";
import { ensureTable, startDynamoDbLocal } from "./dynamodb-local";
import type { DynamoDbLocal } from "./dynamodb-local";
import { LOCAL_ENV_FILE, localEnv, localProcessEnv, localResources } from "./env";
import { isLoopback, listenHost, LISTEN_ENV } from "./listen";
import { createLocalClock } from "./local-clock";
import { startMailCatcher } from "./mail-catcher";
import type { MailCatcher } from "./mail-catcher";
import { ensureBucket, startS3Local } from "./s3-local";
import type { S3Local } from "./s3-local";
import { startSchedulerLocal } from "./scheduler-local";
import type { SchedulerLocal } from "./scheduler-local";
import { ensureQueues, startSqsLocal } from "./sqs-local";
import type { SqsLocal } from "./sqs-local";

// Lambda runs Node 22; the SDK's notice about this machine's Node 20 is said once in the README instead
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const dataDir = resolve(process.env.GONGKAI_DATA_DIR ?? join(repoRoot, ".data"));
const TABLE_NAME = "gongkai";
const FILES_BUCKET = "gongkai-files";
const region = "us-east-1";
const credentials = { accessKeyId: "local", secretAccessKey: "local" };

// fixed ports keep queue URLs (stored in outbox items) identical across restarts
const ports = {
  http: Number(process.env.PORT ?? 3000),
  dynamodb: Number(process.env.DYNAMODB_PORT ?? 8000),
  sqs: Number(process.env.SQS_PORT ?? 9324),
  scheduler: Number(process.env.SCHEDULER_PORT ?? 9325),
  s3: Number(process.env.S3_PORT ?? 9326),
  smtp: Number(process.env.SMTP_PORT ?? 2525),
  mailWeb: Number(process.env.MAIL_WEB_PORT ?? 1080),
};

const startPidFile = join(dataDir, "start.pid");

/** Refuses a second `npm start` on the same data dir; a pid file from a killed run is just removed. */
function claimDataDir(): void {
  mkdirSync(dataDir, { recursive: true });
  if (existsSync(startPidFile)) {
    const pid = Number(readFileSync(startPidFile, "utf8").trim());
    let alive: boolean;
    try {
      alive = pid !== process.pid && readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("start.ts");
    } catch {
      alive = false;
    }
    if (alive) throw new Error(`Gongkai 已在运行（进程 ${pid}）/ already running with pid ${pid}. Stop it first (Ctrl+C).`);
    rmSync(startPidFile, { force: true });
  }
  writeFileSync(startPidFile, String(process.pid));
  // temp files of atomic writes interrupted by a kill; the real files are intact
  for (const f of readdirSync(dataDir)) if (f.endsWith(".tmp")) rmSync(join(dataDir, f), { force: true });
}

async function main(): Promise<void> {
  claimDataDir();
  const stops: (() => Promise<unknown>)[] = [];
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    // reverse order: host first (no new work), java last
    for (const stop of stops.reverse()) {
      await stop().catch((err: unknown) => console.error(`stop failed: ${String(err)}`));
    }
    rmSync(startPidFile, { force: true });
    process.exit(code);
  };
  // on, not once: a second signal (npm and tsx both pass one on) must not kill the process mid-stop and leave Java behind
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));

  try {
    // nothing here asks for a password: every listener stays on loopback unless opened on purpose
    const listenAt = listenHost();
    if (!isLoopback(listenAt)) {
      console.warn(`\n  警告 / WARNING: ${LISTEN_ENV}=${listenAt} — DynamoDB Local, SQS, S3, Scheduler, SMTP and the portal listen beyond this machine, without authentication.\n`);
    }
    // watched: if the Java process dies it is restarted on the same port, and the stack carries on
    const ddbLocal: DynamoDbLocal = await startDynamoDbLocal({ port: ports.dynamodb, dataDir, host: listenAt, supervise: true });
    stops.push(() => ddbLocal.stop());
    const sqsLocal: SqsLocal = await startSqsLocal({ port: ports.sqs, host: listenAt });
    stops.push(() => sqsLocal.stop());
    const s3Local: S3Local = await startS3Local({ port: ports.s3, dataDir: join(dataDir, "s3"), host: listenAt });
    stops.push(() => s3Local.stop());

    // the same budgets as the handlers' clients: the host's pollers and the Scheduler stand-in use this SQS client
    const ddb = new DynamoDBClient({ ...sdkClientConfig("dynamodb"), endpoint: ddbLocal.endpoint, region, credentials });
    const sqs = allowLongPolls(new SQSClient({ ...sdkClientConfig("sqs"), endpoint: sqsLocal.endpoint, region, credentials }));
    await ensureTable(ddb, TABLE_NAME);
    const queues = await ensureQueues(sqs);

    const clock = createLocalClock({ file: join(dataDir, "clock.json") });
    useRuntimeClock(clock);
    const arnToUrl = new Map<string, string>();
    for (const q of queueNames) {
      for (const [arn, url] of [
        [queues.arns[q], queues.urls[q]],
        [queues.dlqArns[q], queues.dlqUrls[q]],
      ]) {
        if (arn && url) arnToUrl.set(arn, url);
      }
    }
    const scheduler: SchedulerLocal = await startSchedulerLocal({
      clock,
      sqs,
      resolveQueueUrl: (arn) => arnToUrl.get(arn),
      port: ports.scheduler,
      host: listenAt,
      dataFile: join(dataDir, "scheduler.json"),
      region,
    });
    stops.push(() => scheduler.stop());
    clock.onMove(() => scheduler.fireDue());
    setLocalControls({
      clock,
      advanceTo: async (instant) => {
        const before = scheduler.firedTotal();
        await clock.advanceTo(instant);
        await scheduler.fireDue();
        return { fired: scheduler.firedTotal() - before };
      },
    });
    const schedulerClient = new SchedulerClient({ ...sdkClientConfig("scheduler"), endpoint: scheduler.endpoint, region, credentials });
    await schedulerClient.send(new CreateScheduleGroupCommand({ Name: scheduleGroupName })).catch((err: unknown) => {
      if (!(err instanceof ConflictException)) throw err;
    });
    schedulerClient.destroy();

    const mail: MailCatcher = await startMailCatcher({ smtpPort: ports.smtp, httpPort: ports.mailWeb, host: listenAt, dataFile: join(dataDir, "mail.json") });
    stops.push(() => mail.stop());

    const s3 = new S3Client({ ...sdkClientConfig("s3"), endpoint: s3Local.endpoint, region, credentials, forcePathStyle: true });
    await ensureBucket(s3, FILES_BUCKET);
    s3.destroy();

    const publicBaseUrl = process.env.PUBLIC_BASE_URL ?? `http://localhost:${ports.http}`;
    const local = {
      region,
      dynamoEndpoint: ddbLocal.endpoint,
      sqsEndpoint: sqsLocal.endpoint,
      schedulerEndpoint: scheduler.endpoint,
      s3Endpoint: s3Local.endpoint,
      tableName: TABLE_NAME,
      queues,
      scheduleGroup: scheduleGroupName,
      filesBucket: FILES_BUCKET,
      smtpPort: mail.smtpPort,
      publicBaseUrl,
    };
    // process-wide only what the SDK reads itself; each function's settings live in its scope
    Object.assign(process.env, localProcessEnv(local));
    const resources = localResources(local);
    const environmentOf = (spec: FunctionSpec) => functionEnvironment(spec, resources);
    // so that `npx gongkai calendar import` in another terminal reaches this running stack
    writeFileSync(join(dataDir, LOCAL_ENV_FILE), JSON.stringify(localEnv(local), null, 2));
    stops.push(async () => rmSync(join(dataDir, LOCAL_ENV_FILE), { force: true }));

    /** start-up work done as the manifest function whose job it is: with its grants and nothing else */
    const asFunction = <T>(name: string, fn: () => Promise<T>): Promise<T> => {
      const spec = functions.find((f) => f.name === name);
      if (!spec) throw new Error(`the manifest has no ${name} function`);
      return runInFunctionScope(spec.name, environmentOf(spec), fn);
    };
    const { appDeps } = await import("../aws/app-deps");

    let users: { agencyCode: string; username: string; password: string; roles: string[]; displayName: string }[] = [];
    try {
      const { seedDemo } = await import("../../app/seed-demo");
      // staff accounts are the staff console's records
      users = (await asFunction("staff-console", () => seedDemo(appDeps()))).users;
    } catch (err) {
      console.error(`演示数据未能写入 / demo seed failed: ${err instanceof Error ? err.message : String(err)}`);
    }

    const { startHost } = await import("./host");
    const host = await startHost({
      functions,
      port: ports.http,
      host: listenAt,
      queueUrls: queues.urls,
      sqs,
      clock,
      environment: environmentOf,
      scheduleStateFile: join(dataDir, "schedules.json"),
      extraRoutes: { "/local/mail": mail.handle, "/local/mail/messages": mail.handle },
    }).catch((err: NodeJS.ErrnoException) => {
      throw err.code === "EADDRINUSE" ? new Error(`Port ${ports.http} is already in use (set PORT to another port).`) : err;
    });
    stops.push(() => host.stop());

    // queues live in memory here: whatever the last run handed off but nobody processed is gone,
    // so every unacknowledged outbox message is sent again (consumers are idempotent)
    const relayed = await asFunction("outbox-relay", () => appDeps().outbox.relayPending(new Date("9999-12-31T23:59:59.999Z")));
    if (relayed > 0) console.log(`  重新投递上次未处理完的消息 / re-sent ${relayed} unprocessed message(s) from the last run`);

    // the printed addresses are the ones to open here, whichever interface is listened on
    const base = `http://localhost:${new URL(host.url).port}`;
    const lines = [
      "",
      "Gongkai 公开 — 本地运行环境已启动 / local stack is up",
      `  公众门户 Portal            ${base}/`,
      `  工作人员控制台 Console      ${base}/console`,
      `  本地时钟 Clock             ${base}/local/clock`,
      `  邮件收件箱 Mail catcher     ${base}/local/mail  (${mail.webUrl})`,
      `  DynamoDB Local             ${ddbLocal.endpoint}  (table ${TABLE_NAME})`,
      `  SQS (fauxqs)               ${sqsLocal.endpoint}`,
      `  S3 stand-in                ${s3Local.endpoint}  (bucket ${FILES_BUCKET})`,
      `  Scheduler stand-in         ${scheduler.endpoint}`,
      `  SMTP                       127.0.0.1:${mail.smtpPort}`,
      `  数据目录 Data              ${dataDir}`,
      `  监听地址 Listening on      ${listenAt}${isLoopback(listenAt) ? "（仅本机 / this machine only）" : "（已对网络开放 / OPEN to the network）"}`,
      `  当前时钟 Clock now          ${clock.now().toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false })}（北京时间）`,
      users.length ? "  演示账号 Demo users (机构 agency / 用户名 user / 密码 password / 角色 roles):" : "  演示账号 Demo users: (none)",
      ...users.map((u) => `    ${u.agencyCode}  ${u.username}  ${u.password}  ${u.displayName}  [${u.roles.join(", ")}]`),
      "  按 Ctrl+C 停止 / press Ctrl+C to stop",
      "",
    ];
    console.log(lines.join("\n"));
  } catch (err) {
    console.error(`\n启动失败 / start failed: ${err instanceof Error ? err.message : String(err)}\n`);
    await shutdown(1);
  }
}

void main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
