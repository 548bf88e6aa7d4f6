import { Stack, Validations } from "aws-cdk-lib";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as s3 from "aws-cdk-lib/aws-s3";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { queueUrlEnvName } from "../shared/config";
import type { FunctionSpec, QueueName } from "../shared/manifest";
import { scheduleGroupName } from "../shared/manifest";
import type { IConstruct } from "constructs";
import type { AppFunction } from "./constructs/app-function";
import { logicalIdOf } from "./constructs/app-function";
import type { TimerScheduler } from "./constructs/timer-scheduler";
import type { AgencySettings } from "./settings";

/** Everything a manifest grant can point at. */
export interface GrantTargets {
  table: dynamodb.ITable;
  queues: Record<QueueName, sqs.IQueue>;
  filesBucket: s3.IBucket;
  timers: TimerScheduler;
  settings: AgencySettings;
}

/** Actions a `scheduler: true` function may take, on its own group's schedules only. */
export const schedulerActions = ["scheduler:CreateSchedule", "scheduler:DeleteSchedule", "scheduler:GetSchedule", "scheduler:UpdateSchedule"];
export const sesActions = ["ses:SendEmail", "ses:SendRawEmail"];

/** Grants exactly what `spec.grants` names; a function without a grant gets nothing. */
export function applyGrants(target: AppFunction, spec: FunctionSpec, t: GrantTargets): void {
  const { grants } = spec;
  const fn = target.fn;
  const acknowledge = (id: string, reason: string) => Validations.of(target.role).acknowledge({ id: `AwsSolutions-IAM5[${id}]`, reason });
  // Table grants include the key (decrypt for reads, encrypt+decrypt for writes) and the GSIs.
  if (grants.table === "read") t.table.grantReadData(fn);
  if (grants.table === "readWrite") t.table.grantReadWriteData(fn);
  if (grants.table) {
    acknowledge(
      `Resource::${tableArnAsNagPrintsIt(fn, t.table)}/index/*`,
      "Queries run on the table's own global secondary indexes (gsi1, gsi2); the wildcard covers only indexes of this one table.",
    );
  }
  for (const queue of grants.sendTo ?? []) t.queues[queue].grantSendMessages(fn);
  if (grants.table === "readWrite" || grants.sendTo?.length) {
    const reason = "CDK's KMS grant for writing to the table/SSE-KMS queues; the wildcard spans only the GenerateDataKey*/ReEncrypt* variants on the one data key.";
    acknowledge("Action::kms:GenerateDataKey*", reason);
    acknowledge("Action::kms:ReEncrypt*", reason);
  }
  if (grants.scheduler) {
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: schedulerActions, resources: [t.timers.schedulesArn] }));
    t.timers.role.grantPassRole(fn.grantPrincipal);
    acknowledge(
      `Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${scheduleGroupName}/*`,
      "Task timers are created at run time with names per task; the wildcard is limited to the app's own schedule group.",
    );
  }
  if (grants.mail) {
    if (t.settings.mailTransport === "ses") {
      const identity = Stack.of(fn).formatArn({ service: "ses", resource: "identity", resourceName: t.settings.sesIdentity });
      fn.addToRolePolicy(new iam.PolicyStatement({ actions: sesActions, resources: [identity] }));
    } else if (t.settings.smtpSecretArn) {
      secretsmanager.Secret.fromSecretCompleteArn(target, "SmtpSecret", t.settings.smtpSecretArn).grantRead(fn);
    }
  }
  if (grants.files === "read") t.filesBucket.grantRead(fn);
  if (grants.files === "readWrite") t.filesBucket.grantReadWrite(fn);
}

/** The environment shared/config.ts reads, limited to what the function's grants let it use. */
export function functionEnvironment(spec: FunctionSpec, t: GrantTargets, publicBaseUrl: string): Record<string, string> {
  const { grants } = spec;
  const env: Record<string, string> = { PUBLIC_BASE_URL: publicBaseUrl };
  if (grants.table) env.TABLE_NAME = t.table.tableName;
  for (const queue of grants.sendTo ?? []) env[queueUrlEnvName(queue)] = t.queues[queue].queueUrl;
  if (grants.scheduler) {
    env.TIMERS_QUEUE_ARN = t.queues.timers.queueArn;
    env.SCHEDULE_GROUP = t.timers.group.scheduleGroupName;
    env.SCHEDULER_ROLE_ARN = t.timers.role.roleArn;
  }
  if (grants.mail) {
    env.MAIL_TRANSPORT = t.settings.mailTransport;
    env.MAIL_FROM = t.settings.mailFrom;
    if (t.settings.mailTransport === "smtp") {
      env.SMTP_HOST = t.settings.smtpHost;
      env.SMTP_PORT = String(t.settings.smtpPort);
      if (t.settings.smtpSecretArn) env.SMTP_SECRET_ARN = t.settings.smtpSecretArn;
    }
  }
  if (grants.files) env.FILES_BUCKET = t.filesBucket.bucketName;
  return env;
}

/**
 * How cdk-nag prints the table's ARN in a policy of `consumer`: `<LogicalId.Arn>` in
 * the same stack, else the export name CDK gives the cross-stack reference
 * (`exportValue` returns the very import the reference uses).
 */
function tableArnAsNagPrintsIt(consumer: IConstruct, table: dynamodb.ITable): string {
  const owner = Stack.of(table);
  if (owner === Stack.of(consumer)) return `<${logicalIdOf(table)}.Arn>`;
  const imported = Stack.of(consumer).resolve(owner.exportValue(table.tableArn)) as { "Fn::ImportValue"?: string };
  if (!imported["Fn::ImportValue"]) throw new Error("unexpected cross-stack reference shape for the table ARN");
  return imported["Fn::ImportValue"];
}
