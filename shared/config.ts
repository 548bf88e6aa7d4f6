import type { QueueName } from "./manifest";
import { queueNames, scheduleGroupName } from "./manifest";
import { currentEnv } from "./adapters/runtime-env";

/**
 * Runtime settings, read from the environment the CDK app (or the local host) sets.
 * SDK endpoints are not set here: the AWS SDK reads AWS_ENDPOINT_URL_DYNAMODB,
 * AWS_ENDPOINT_URL_SQS, AWS_ENDPOINT_URL_SCHEDULER and AWS_ENDPOINT_URL_S3 itself,
 * which is how the local stack points the unchanged adapters at the stand-ins.
 */
export interface AppConfig {
  tableName: string;
  queueUrls: Record<QueueName, string>;
  /** the files bucket: letters, attachments, archives */
  filesBucket: string;
  /** ARN of the timers queue, the target of every task schedule */
  timersQueueArn: string;
  scheduleGroup: string;
  schedulerRoleArn: string;
  mail: {
    transport: "smtp" | "ses";
    from: string;
    smtpHost: string;
    smtpPort: number;
    /** Secrets Manager secret `{"username","password"}` for SMTP login, when the server wants one */
    smtpSecretArn?: string;
  };
  /** base URL of the portal and console, used in email links */
  publicBaseUrl: string;
  /** true only on the local stack: enables the movable clock */
  localMode: boolean;
}

/** The running function's own variables (its scope on the local host, process.env in Lambda). */
function env(name: string, fallback = ""): string {
  return currentEnv()[name] ?? fallback;
}

/** Lambda environment names allow letters, digits and underscores only. */
export function queueUrlEnvName(queue: QueueName): string {
  return `QUEUE_URL_${queue.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

export function loadConfig(): AppConfig {
  return {
    tableName: env("TABLE_NAME", "gongkai"),
    queueUrls: Object.fromEntries(queueNames.map((q) => [q, env(queueUrlEnvName(q))])),
    filesBucket: env("FILES_BUCKET"),
    timersQueueArn: env("TIMERS_QUEUE_ARN"),
    scheduleGroup: env("SCHEDULE_GROUP", scheduleGroupName),
    schedulerRoleArn: env("SCHEDULER_ROLE_ARN"),
    mail: {
      transport: env("MAIL_TRANSPORT", "smtp") === "ses" ? "ses" : "smtp",
      from: env("MAIL_FROM", "gongkai@localhost"),
      smtpHost: env("SMTP_HOST", "127.0.0.1"),
      smtpPort: Number(env("SMTP_PORT", "2525")),
      smtpSecretArn: env("SMTP_SECRET_ARN") || undefined,
    },
    publicBaseUrl: env("PUBLIC_BASE_URL", "http://localhost:3000"),
    localMode: env("GONGKAI_LOCAL") === "1",
  };
}
