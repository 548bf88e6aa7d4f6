import { randomBytes } from "node:crypto";
import { DeleteTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { CreateScheduleGroupCommand, SchedulerClient } from "@aws-sdk/client-scheduler";
import { S3Client } from "@aws-sdk/client-s3";
import { DeleteQueueCommand, SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { inject } from "vitest";
import type { AppConfig } from "../../shared/config";
import { loadConfig } from "../../shared/config";
import { useRuntimeClock } from "../../shared/adapters/runtime-clock";
import { systemClock } from "../../shared/domain/clock";
import { ensureTable } from "../../shared/adapters/local/dynamodb-local";
import { startMailCatcher } from "../../shared/adapters/local/mail-catcher";
import type { MailCatcher } from "../../shared/adapters/local/mail-catcher";
import { createLocalClock } from "../../shared/adapters/local/local-clock";
import type { LocalClock } from "../../shared/adapters/local/local-clock";
import { startSchedulerLocal } from "../../shared/adapters/local/scheduler-local";
import type { SchedulerLocal } from "../../shared/adapters/local/scheduler-local";
import { ensureQueues } from "../../shared/adapters/local/sqs-local";
import type { LocalQueues } from "../../shared/adapters/local/sqs-local";
import { localEnv, localResources } from "../../shared/adapters/local/env";
import { ensureBucket } from "../../shared/adapters/local/s3-local";
import type { EnvironmentResources } from "../../shared/environment";
import { setLocalControls } from "../../shared/adapters/local/controls";

export interface TestStackOptions {
  /** stand-ins started by the caller (the bench); inside vitest they come from the global setup */
  endpoints?: { dynamo: string; sqs: string; s3: string };
  /** called with every SDK client the stack's use cases will use (e.g. to count calls) */
  instrument?: (client: DynamoDBClient | SQSClient | S3Client | SchedulerClient) => void;
  /** where the (frozen) test clock starts; default Monday 2026-03-02 09:00 Asia/Shanghai */
  clockStart?: Date | string;
  /** write the env vars into process.env, swap the runtime clock and register the local controls (default true) */
  setEnv?: boolean;
  /** background firing of the Scheduler stand-in in real ms; default 0 = only fireDue() and clock jumps fire */
  schedulerTickMs?: number;
}

export interface TestStack {
  /** loadConfig() after the env was set */
  config: AppConfig;
  env: Record<string, string>;
  /** frozen until moved; every move fires due schedules before it resolves */
  clock: LocalClock;
  tableName: string;
  ddb: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  sqs: SQSClient;
  /** the run's S3 stand-in, path-style */
  s3: S3Client;
  /** this file's own bucket (FILES_BUCKET in env) */
  filesBucket: string;
  /** what the grants point at on this stack: `functionEnvironment(spec, stack.resources)` is a function's own env */
  resources: EnvironmentResources;
  scheduler: SchedulerClient;
  schedulerStandIn: SchedulerLocal;
  mail: MailCatcher;
  queues: LocalQueues;
  stop(): Promise<void>;
}

const credentials = { accessKeyId: "test", secretAccessKey: "test" };
const region = "us-east-1";

/**
 * One isolated stack per test file, on the run's shared DynamoDB Local, fauxqs and S3 stand-in:
 * a uniquely named table, uniquely prefixed queues, a bucket of its own, its own Scheduler
 * stand-in and mail catcher.
 */
export async function startTestStack(opts: TestStackOptions = {}): Promise<TestStack> {
  const dynamoEndpoint = opts.endpoints?.dynamo ?? inject("dynamoEndpoint");
  const sqsEndpoint = opts.endpoints?.sqs ?? inject("sqsEndpoint");
  const s3Endpoint = opts.endpoints?.s3 ?? inject("s3Endpoint");
  if (!dynamoEndpoint) throw new Error(`DynamoDB Local is not running: ${inject("dynamoUnavailable")}`);

  const id = `t${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
  const tableName = `gongkai-${id}`;
  const ddb = new DynamoDBClient({ endpoint: dynamoEndpoint, region, credentials });
  const doc = DynamoDBDocumentClient.from(ddb, { marshallOptions: { removeUndefinedValues: true } });
  const sqs = new SQSClient({ endpoint: sqsEndpoint, region, credentials });
  const s3 = new S3Client({ endpoint: s3Endpoint, region, credentials, forcePathStyle: true });
  for (const client of [ddb, sqs, s3]) opts.instrument?.(client);
  const filesBucket = `gongkai-${id}`;
  await ensureTable(ddb, tableName);
  const queues = await ensureQueues(sqs, `${id}-`);
  await ensureBucket(s3, filesBucket);

  const clock = createLocalClock({ start: opts.clockStart ?? "2026-03-02T01:00:00.000Z" });
  const arnToUrl = new Map<string, string>();
  for (const name of Object.keys(queues.arns)) {
    for (const [arn, url] of [
      [queues.arns[name], queues.urls[name]],
      [queues.dlqArns[name], queues.dlqUrls[name]],
    ]) {
      if (arn && url) arnToUrl.set(arn, url);
    }
  }
  const schedulerStandIn = await startSchedulerLocal({
    clock,
    sqs,
    resolveQueueUrl: (arn) => arnToUrl.get(arn),
    tickMs: opts.schedulerTickMs ?? 0,
    log: () => undefined,
  });
  clock.onMove(() => schedulerStandIn.fireDue());
  const scheduler = new SchedulerClient({ endpoint: schedulerStandIn.endpoint, region, credentials, maxAttempts: 1 });
  opts.instrument?.(scheduler);
  const scheduleGroup = `${id}-timers`;
  await scheduler.send(new CreateScheduleGroupCommand({ Name: scheduleGroup }));
  const mail = await startMailCatcher();

  const local = {
    region,
    dynamoEndpoint,
    sqsEndpoint,
    schedulerEndpoint: schedulerStandIn.endpoint,
    s3Endpoint,
    tableName,
    queues,
    scheduleGroup,
    filesBucket,
    smtpPort: mail.smtpPort,
    publicBaseUrl: "http://127.0.0.1:3000",
  };
  const env = localEnv(local);
  const saved: Record<string, string | undefined> = {};
  if (opts.setEnv ?? true) {
    for (const [k, v] of Object.entries(env)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    useRuntimeClock(clock);
    // what npm start registers: the local-clock function moves this stack's clock
    setLocalControls({
      clock,
      advanceTo: async (instant) => {
        const before = schedulerStandIn.firedTotal();
        await clock.advanceTo(instant);
        return { fired: schedulerStandIn.firedTotal() - before };
      },
    });
  }
  const config = withEnv(env, loadConfig);

  return {
    config,
    env,
    clock,
    tableName,
    ddb,
    doc,
    sqs,
    s3,
    filesBucket,
    resources: localResources(local),
    scheduler,
    schedulerStandIn,
    mail,
    queues,
    stop: async () => {
      await schedulerStandIn.stop();
      await mail.stop();
      await ddb.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
      const urls = [...Object.values(queues.urls), ...Object.values(queues.dlqUrls)];
      await Promise.all(urls.map((QueueUrl) => sqs.send(new DeleteQueueCommand({ QueueUrl })).catch(() => undefined)));
      scheduler.destroy();
      sqs.destroy();
      s3.destroy();
      ddb.destroy();
      if (opts.setEnv ?? true) {
        for (const [k, v] of Object.entries(saved)) {
          if (v === undefined) delete process.env[k];
          else process.env[k] = v;
        }
        useRuntimeClock(systemClock);
        setLocalControls(undefined);
      }
    },
  };
}

function withEnv<T>(env: Record<string, string>, fn: () => T): T {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
