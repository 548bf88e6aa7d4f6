import { Stack, Validations } from "aws-cdk-lib";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as s3 from "aws-cdk-lib/aws-s3";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import type { IConstruct } from "constructs";
import { functionEnvironment as environmentFor } from "../shared/environment";
import type { FunctionSpec } from "../shared/manifest";
import { scheduleGroupName } from "../shared/manifest";
import type { AppFunction } from "./constructs/app-function";
import { logicalIdOf } from "./constructs/app-function";
import type { TimerScheduler } from "./constructs/timer-scheduler";
import type { QueueLookup } from "./constructs/work-queues";
import type { AgencySettings } from "./settings";

/** Everything a manifest grant can point at. */
export interface GrantTargets {
  table: dynamodb.ITable;
  queues: QueueLookup;
  filesBucket: s3.IBucket;
  timers: TimerScheduler;
  settings: AgencySettings;
}

/** Actions a `scheduler: true` function may take, on its own group's schedules only. */
export const schedulerActions = ["scheduler:CreateSchedule", "scheduler:DeleteSchedule", "scheduler:GetSchedule", "scheduler:UpdateSchedule"];
export const sesActions = ["ses:SendEmail", "ses:SendRawEmail"];
/**
 * What the file store (shared/adapters/aws/file-store.ts) calls: GetObject and ListObjectsV2
 * to read — ListBucket also makes a missing key a 404 (NoSuchKey) rather than a 403 —
 * and PutObject to write. Nothing deletes, so no delete action exists here at all.
 */
export const filesReadActions = { objects: ["s3:GetObject"], bucket: ["s3:ListBucket"] };
export const filesWriteActions = ["s3:PutObject"];

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
      `Resource::${arnAsNagPrintsIt(fn, t.table, t.table.tableArn)}/index/*`,
      "Queries run on the table's own global secondary indexes (gsi1, gsi2); the wildcard covers only indexes of this one table.",
    );
  }
  for (const queue of grants.sendTo ?? []) t.queues.queue(queue).grantSendMessages(fn);
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
  if (grants.files) grantFiles(target, grants.files, t.filesBucket, acknowledge);
  // the security inspection reads the dead-letter queues' depths and the table's backup status, nothing more
  if (grants.deadLetterDepths) {
    // by name pattern, not by reference: a reference per dead-letter queue would be a cross-stack export each
    // (the stateful stack's outputs are near CloudFormation's limit); the queues' generated names start with their stack's
    const prefix = `${Stack.of(t.table).stackName}-`;
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ["sqs:GetQueueAttributes", "sqs:GetQueueUrl"], resources: [Stack.of(fn).formatArn({ service: "sqs", resource: `${prefix}*` })] }));
    acknowledge(
      `Resource::arn:<AWS::Partition>:sqs:<AWS::Region>:<AWS::AccountId>:${prefix}*`,
      "The security inspection reads the depth of the app's dead-letter queues (read-only attributes), found from each queue's redrive policy; the wildcard is limited to the stateful stack's own queues.",
    );
  }
  if (grants.backupStatus) fn.addToRolePolicy(new iam.PolicyStatement({ actions: ["dynamodb:DescribeContinuousBackups"], resources: [t.table.tableArn] }));
}

/**
 * The files bucket, by hand rather than with `grantRead`/`grantReadWrite`: those add
 * `s3:GetBucket*`, `s3:List*`, `s3:DeleteObject*` and `s3:Abort*`, far more than the file
 * store uses. The bucket is SSE-KMS with the data key, so reading needs Decrypt and
 * writing needs GenerateDataKey (no wildcard variants).
 */
function grantFiles(target: AppFunction, access: "read" | "readWrite", bucket: s3.IBucket, acknowledge: (id: string, reason: string) => void): void {
  const fn = target.fn;
  const objects = bucket.arnForObjects("*");
  const objectActions = access === "readWrite" ? [...filesReadActions.objects, ...filesWriteActions] : filesReadActions.objects;
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: objectActions, resources: [objects] }));
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: filesReadActions.bucket, resources: [bucket.bucketArn] }));
  if (bucket.encryptionKey) {
    const keyActions = access === "readWrite" ? ["kms:Decrypt", "kms:GenerateDataKey"] : ["kms:Decrypt"];
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: keyActions, resources: [bucket.encryptionKey.keyArn] }));
  }
  acknowledge(
    `Resource::${arnAsNagPrintsIt(fn, bucket, bucket.bucketArn)}/*`,
    access === "readWrite"
      ? "Letters and archives are stored under keys made at run time (per case, letter and year); the wildcard covers objects of the one files bucket, get and put only."
      : "Letters to attach are read under keys made at run time (per case and letter); the wildcard covers objects of the one files bucket, read only.",
  );
}

/** The environment shared/config.ts reads, limited to what the function's grants let it use (shared/environment.ts). */
export function functionEnvironment(spec: FunctionSpec, t: GrantTargets, publicBaseUrl: string): Record<string, string> {
  return environmentFor(spec, {
    tableName: t.table.tableName,
    // Tokens only: a URL becomes a (cross-stack) reference only where a grant puts it in the environment.
    queueUrls: Object.fromEntries(t.queues.names.map((name) => [name, t.queues.queue(name).queueUrl])),
    timersQueueArn: t.queues.queue("timers").queueArn,
    scheduleGroup: t.timers.group.scheduleGroupName,
    schedulerRoleArn: t.timers.role.roleArn,
    filesBucket: t.filesBucket.bucketName,
    mail: {
      transport: t.settings.mailTransport,
      from: t.settings.mailFrom,
      smtpHost: t.settings.smtpHost,
      smtpPort: t.settings.smtpPort,
      smtpSecretArn: t.settings.smtpSecretArn,
    },
    publicBaseUrl,
    ...(t.settings.intakeTrustedAddresses ? { intakeTrustedAddresses: t.settings.intakeTrustedAddresses } : {}),
  });
}

/**
 * How cdk-nag prints `arn` (an attribute of `owner`) in a policy of `consumer`:
 * `<LogicalId.Arn>` in the same stack, else the export name CDK gives the cross-stack
 * reference (`exportValue` returns the very import the reference uses).
 */
function arnAsNagPrintsIt(consumer: IConstruct, owner: IConstruct, arn: string): string {
  const ownerStack = Stack.of(owner);
  if (ownerStack === Stack.of(consumer)) return `<${logicalIdOf(owner)}.Arn>`;
  const imported = Stack.of(consumer).resolve(ownerStack.exportValue(arn)) as { "Fn::ImportValue"?: string };
  if (!imported["Fn::ImportValue"]) throw new Error("unexpected cross-stack reference shape for an ARN");
  return imported["Fn::ImportValue"];
}
