import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { EnvironmentResources } from "../../environment";
import { allGrantsSpec, functionEnvironment } from "../../environment";
import { queueNames } from "../../manifest";
import type { LocalQueues } from "./sqs-local";

export interface LocalEnvInput {
  region?: string;
  dynamoEndpoint: string;
  sqsEndpoint: string;
  schedulerEndpoint: string;
  s3Endpoint: string;
  tableName: string;
  queues: LocalQueues;
  scheduleGroup: string;
  filesBucket: string;
  smtpPort: number;
  publicBaseUrl: string;
}

export const LOCAL_SCHEDULER_ROLE_ARN = "arn:aws:iam::000000000000:role/gongkai-local-scheduler";

/**
 * Process-wide on the local stack: what the AWS SDK reads itself (region, fake
 * credentials, AWS_ENDPOINT_URL_* pointing the unchanged clients at the stand-ins).
 */
export function localProcessEnv(i: LocalEnvInput): Record<string, string> {
  return {
    AWS_REGION: i.region ?? "us-east-1",
    AWS_DEFAULT_REGION: i.region ?? "us-east-1",
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    AWS_ENDPOINT_URL_DYNAMODB: i.dynamoEndpoint,
    AWS_ENDPOINT_URL_SQS: i.sqsEndpoint,
    AWS_ENDPOINT_URL_SCHEDULER: i.schedulerEndpoint,
    AWS_ENDPOINT_URL_S3: i.s3Endpoint,
  };
}

/** What the manifest's grants point at on the local stack; each function gets its share (shared/environment.ts). */
export function localResources(i: LocalEnvInput): EnvironmentResources {
  const timersQueueArn = i.queues.arns.timers;
  if (!timersQueueArn) throw new Error("the local queues have no timers queue");
  return {
    tableName: i.tableName,
    queueUrls: i.queues.urls,
    timersQueueArn,
    scheduleGroup: i.scheduleGroup,
    schedulerRoleArn: LOCAL_SCHEDULER_ROLE_ARN,
    filesBucket: i.filesBucket,
    mail: { transport: "smtp", from: "gongkai@localhost", smtpHost: "127.0.0.1", smtpPort: i.smtpPort },
    publicBaseUrl: i.publicBaseUrl,
    ...(process.env.GONGKAI_INTAKE_TRUSTED_ADDRESSES ? { intakeTrustedAddresses: process.env.GONGKAI_INTAKE_TRUSTED_ADDRESSES } : {}),
    local: true,
  };
}

/**
 * Every variable of every grant plus the process-wide ones: the environment of tools run
 * beside the local stack (the CLI) and of tests that call handlers directly. The host
 * gives each function only its own share.
 */
export function localEnv(i: LocalEnvInput): Record<string, string> {
  return { ...localProcessEnv(i), ...functionEnvironment(allGrantsSpec(queueNames), localResources(i)) };
}

/** Where a running `npm start` leaves its handlers' environment, for tools started beside it (the CLI). */
export const LOCAL_ENV_FILE = "local-env.json";

/** The environment of the local stack running on `dataDir`, if one is running there. */
export function runningLocalEnv(dataDir: string): Record<string, string> | undefined {
  const file = join(dataDir, LOCAL_ENV_FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, string>) : undefined;
}
