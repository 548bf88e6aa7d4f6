import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { queueUrlEnvName } from "../../config";
import { queueNames } from "../../manifest";
import type { LocalQueues } from "./sqs-local";

export interface LocalEnvInput {
  region?: string;
  dynamoEndpoint: string;
  sqsEndpoint: string;
  schedulerEndpoint: string;
  tableName: string;
  queues: LocalQueues;
  scheduleGroup: string;
  smtpPort: number;
  publicBaseUrl: string;
}

/**
 * The environment the handlers read on the local stack: the same variables the CDK app sets,
 * plus AWS_ENDPOINT_URL_* so unchanged SDK clients reach the stand-ins.
 */
export function localEnv(i: LocalEnvInput): Record<string, string> {
  const env: Record<string, string> = {
    AWS_REGION: i.region ?? "us-east-1",
    AWS_DEFAULT_REGION: i.region ?? "us-east-1",
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    AWS_ENDPOINT_URL_DYNAMODB: i.dynamoEndpoint,
    AWS_ENDPOINT_URL_SQS: i.sqsEndpoint,
    AWS_ENDPOINT_URL_SCHEDULER: i.schedulerEndpoint,
    // fauxqs serves S3 on the SQS endpoint (path-style)
    AWS_ENDPOINT_URL_S3: i.sqsEndpoint,
    TABLE_NAME: i.tableName,
    TIMERS_QUEUE_ARN: i.queues.arns.timers,
    SCHEDULE_GROUP: i.scheduleGroup,
    SCHEDULER_ROLE_ARN: "arn:aws:iam::000000000000:role/gongkai-local-scheduler",
    MAIL_TRANSPORT: "smtp",
    SMTP_HOST: "127.0.0.1",
    SMTP_PORT: String(i.smtpPort),
    MAIL_FROM: "gongkai@localhost",
    PUBLIC_BASE_URL: i.publicBaseUrl,
    GONGKAI_LOCAL: "1",
  };
  for (const q of queueNames) env[queueUrlEnvName(q)] = i.queues.urls[q];
  return env;
}

/** Where a running `npm start` leaves its handlers' environment, for tools started beside it (the CLI). */
export const LOCAL_ENV_FILE = "local-env.json";

/** The environment of the local stack running on `dataDir`, if one is running there. */
export function runningLocalEnv(dataDir: string): Record<string, string> | undefined {
  const file = join(dataDir, LOCAL_ENV_FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, string>) : undefined;
}
