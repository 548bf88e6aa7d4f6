/**
 * A function's environment from its manifest grants: exactly the variables shared/config.ts
 * reads, and only those its grants let it use. One mapping for both worlds: the CDK app
 * passes CloudFormation tokens, the local host passes the stand-ins' addresses. A function
 * that lacks a grant lacks its settings, on AWS and locally alike.
 */
import { queueUrlEnvName } from "./config";
import type { FunctionSpec, QueueName } from "./manifest";

export interface MailSettings {
  transport: "ses" | "smtp";
  from: string;
  smtpHost: string;
  smtpPort: number | string;
  smtpSecretArn?: string;
}

/** Everything a grant can point at, as strings (tokens in CDK). */
export interface EnvironmentResources {
  tableName: string;
  queueUrls: Record<QueueName, string>;
  /** the timers queue, target of every task schedule */
  timersQueueArn: string;
  scheduleGroup: string;
  /** the role the Scheduler assumes to send to the timers queue */
  schedulerRoleArn: string;
  filesBucket: string;
  mail: MailSettings;
  publicBaseUrl: string;
  /** addresses (or CIDR ranges) of agency portals that forward many citizens' applications: not limited per address */
  intakeTrustedAddresses?: string;
  /** the local stack: GONGKAI_LOCAL=1 and the local-only enforcement markers */
  local?: boolean;
}

export function functionEnvironment(spec: FunctionSpec, r: EnvironmentResources): Record<string, string> {
  const { grants } = spec;
  const env: Record<string, string> = { PUBLIC_BASE_URL: r.publicBaseUrl };
  // the functions that take applications over HTTP know which senders are an agency's own portal
  if (spec.trigger.kind === "http" && r.intakeTrustedAddresses) env.GONGKAI_INTAKE_TRUSTED_ADDRESSES = r.intakeTrustedAddresses;
  // a step's Lambda names its step in logs, locally as on AWS
  if (spec.step) env.WORKFLOW_STEP = `${spec.step.workflow}/${spec.step.step}`;
  if (grants.table) env.TABLE_NAME = r.tableName;
  for (const queue of grants.sendTo ?? []) {
    const url = r.queueUrls[queue];
    if (url === undefined) throw new Error(`${spec.name} may send to queue "${queue}", which the manifest does not define`);
    env[queueUrlEnvName(queue)] = url;
  }
  if (grants.scheduler) {
    env.TIMERS_QUEUE_ARN = r.timersQueueArn;
    env.SCHEDULE_GROUP = r.scheduleGroup;
    env.SCHEDULER_ROLE_ARN = r.schedulerRoleArn;
  }
  if (grants.mail) {
    env.MAIL_TRANSPORT = r.mail.transport;
    env.MAIL_FROM = r.mail.from;
    if (r.mail.transport === "smtp") {
      env.SMTP_HOST = r.mail.smtpHost;
      env.SMTP_PORT = String(r.mail.smtpPort);
      if (r.mail.smtpSecretArn) env.SMTP_SECRET_ARN = r.mail.smtpSecretArn;
    }
  }
  if (grants.files) env.FILES_BUCKET = r.filesBucket;
  if (grants.backupStatus) env.TABLE_NAME = r.tableName;
  if (r.local) {
    env.GONGKAI_LOCAL = "1";
    // IAM would refuse a read-only function's writes; locally the table adapter does (runtime-env tableAccess())
    if (grants.table === "read") env.GONGKAI_LOCAL_TABLE_ACCESS = "read";
  }
  return env;
}

/** A spec holding every grant: the union environment, for tools run beside the local stack (the CLI). */
export function allGrantsSpec(queues: QueueName[]): FunctionSpec {
  return {
    name: "all-grants",
    entry: "",
    description: "every grant (tools beside the local stack)",
    trigger: { kind: "http", paths: [] },
    grants: { table: "readWrite", sendTo: queues, scheduler: true, mail: true, files: "readWrite" },
  };
}
