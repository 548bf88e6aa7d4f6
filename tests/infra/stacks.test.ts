import { Stack } from "aws-cdk-lib";
import type { CfnElement } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { IConstruct } from "constructs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../infra/build-app";
import type { GongkaiApp } from "../../infra/build-app";
import { deployableFunctions } from "../../infra/stateless-stack";
import { queueUrlEnvName } from "../../shared/config";
import type { QueueName } from "../../shared/manifest";
import { functions, queueNames, queues, scheduleGroupName, tableKeys } from "../../shared/manifest";
import {
  actionsOf,
  deployedFunctionNames,
  environmentOf,
  functionNamed,
  referenceText,
  resourcesOf,
  resourcesOfType,
  statementsAllowing,
  statementsOf,
  statementsOfRole,
} from "./template-helpers";

// Prepare (once per file: bundling the real handler entries with esbuild is the slow part)
let outdir: string;
let built: GongkaiApp;
let stateful: Template;
let stateless: Template;

beforeAll(() => {
  outdir = mkdtempSync(path.join(tmpdir(), "gongkai-cdk-"));
  built = buildApp({ outdir, nag: false });
  stateful = Template.fromStack(built.stateful);
  stateless = Template.fromStack(built.stateless);
}, 120_000);

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

const logicalId = (construct: IConstruct) => Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
const queueId = (name: QueueName) => logicalId(built.stateful.queues[name]);

describe("functions", () => {
  it("deploys exactly one Lambda per non-local manifest entry, on nodejs22.x and ARM64", () => {
    // Act
    const names = deployedFunctionNames(stateless);

    // Assess
    expect(names.sort()).toEqual(deployableFunctions.map((f) => f.name).sort());
    expect(Object.keys(resourcesOfType(stateless, "AWS::Lambda::Function"))).toHaveLength(deployableFunctions.length);
    for (const name of names) {
      const [, fn] = functionNamed(stateless, name)!;
      expect(fn.Properties).toMatchObject({
        Runtime: "nodejs22.x",
        Architectures: ["arm64"],
        Handler: "index.handler",
        TracingConfig: { Mode: "Active" },
        LoggingConfig: { LogGroup: { Ref: expect.any(String) } },
      });
      expect(fn.Properties).not.toHaveProperty("ReservedConcurrentExecutions");
    }
  });

  it("bundles each entry into an ESM file that loads on plain Node and exports `handler`", () => {
    for (const name of deployedFunctionNames(stateless)) {
      // Prepare
      const [, fn] = functionNamed(stateless, name)!;
      const zip = (fn.Properties?.Code as { S3Key: string }).S3Key; // "<asset hash>.zip"
      const assetDir = path.join(outdir, `asset.${zip.replace(/\.zip$/, "")}`);

      // Act: a fresh process, as Lambda would load it (the createRequire banner must work too)
      const run = spawnSync(process.execPath, ["--input-type=module", "-e", 'const m = await import("./index.mjs"); console.log(typeof m.handler);'], {
        cwd: assetDir,
        encoding: "utf8",
        timeout: 30_000,
        env: { PATH: process.env.PATH ?? "", AWS_REGION: "cn-north-1" },
      });

      // Assess
      expect(run.stdout.trim(), `${name}: ${run.stderr}`).toBe("function");
    }
  });

  it("never deploys local-only functions such as local-clock, nor their routes", () => {
    const localOnly = functions.filter((f) => f.localOnly);
    expect(localOnly.map((f) => f.name)).toContain("local-clock");
    for (const spec of localOnly) expect(functionNamed(stateless, spec.name)).toBeUndefined();
    const routeKeys = Object.values(resourcesOfType(stateless, "AWS::ApiGatewayV2::Route")).map((r) => r.Properties?.RouteKey);
    expect(routeKeys).not.toContain("ANY /api/v1/local/clock");
  });

  it("gives each function its own log group with a retention period", () => {
    for (const spec of deployableFunctions) {
      const [, fn] = functionNamed(stateless, spec.name)!;
      const groupId = ((fn.Properties?.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup).Ref;
      expect(resourcesOfType(stateless, "AWS::Logs::LogGroup")[groupId]?.Properties?.RetentionInDays).toBe(180);
    }
  });

  it("sets Powertools settings and only the environment each function's grants need", () => {
    for (const spec of deployableFunctions) {
      const env = environmentOf(stateless, spec.name);
      expect(env).toMatchObject({ POWERTOOLS_SERVICE_NAME: spec.name, LOG_LEVEL: "INFO", PUBLIC_BASE_URL: expect.anything(), TABLE_NAME: expect.anything() });
      const queueVars = Object.keys(env).filter((k) => k.startsWith("QUEUE_URL_")).sort();
      expect(queueVars).toEqual((spec.grants.sendTo ?? []).map(queueUrlEnvName).sort());
      for (const key of ["TIMERS_QUEUE_ARN", "SCHEDULE_GROUP", "SCHEDULER_ROLE_ARN"]) {
        expect(key in env, `${spec.name} ${key}`).toBe(Boolean(spec.grants.scheduler));
      }
      for (const key of ["MAIL_TRANSPORT", "MAIL_FROM"]) expect(key in env, `${spec.name} ${key}`).toBe(Boolean(spec.grants.mail));
    }
    expect(environmentOf(stateless, "staff-console")).toMatchObject({ SCHEDULE_GROUP: scheduleGroupName });
    expect(environmentOf(stateless, "mail-sender")).toMatchObject({ MAIL_TRANSPORT: "ses", MAIL_FROM: "gongkai@example.gov.cn" });
  });
});

describe("stateful stack", () => {
  it("builds the table from the manifest's key names, on demand, with PITR, deletion protection and the CMK", () => {
    stateful.hasResource("AWS::DynamoDB::Table", {
      DeletionPolicy: "Retain",
      UpdateReplacePolicy: "Retain",
      Properties: Match.objectLike({
        KeySchema: [
          { AttributeName: tableKeys.partitionKey, KeyType: "HASH" },
          { AttributeName: tableKeys.sortKey, KeyType: "RANGE" },
        ],
        BillingMode: "PAY_PER_REQUEST",
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        SSESpecification: { SSEEnabled: true, SSEType: "KMS", KMSMasterKeyId: { "Fn::GetAtt": [logicalId(built.stateful.key), "Arn"] } },
        TimeToLiveSpecification: { AttributeName: tableKeys.timeToLive, Enabled: true },
        GlobalSecondaryIndexes: tableKeys.indexes.map((index) => ({
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: "HASH" },
            { AttributeName: index.sortKey, KeyType: "RANGE" },
          ],
          Projection: { ProjectionType: "ALL" },
        })),
      }),
    });
    stateful.hasResource("AWS::KMS::Key", { DeletionPolicy: "Retain", Properties: Match.objectLike({ EnableKeyRotation: true }) });
  });

  it("gives every manifest queue a dead-letter queue with the manifest's maxReceiveCount and visibility timeout", () => {
    const all = resourcesOfType(stateful, "AWS::SQS::Queue");
    expect(Object.keys(all)).toHaveLength(queueNames.length * 2);
    for (const name of queueNames) {
      const queue = all[queueId(name)]!;
      const dlqId = logicalId(built.stateful.deadLetterQueues[name]);
      expect(queue.Properties).toMatchObject({
        VisibilityTimeout: queues[name].visibilityTimeoutSeconds,
        RedrivePolicy: { deadLetterTargetArn: { "Fn::GetAtt": [dlqId, "Arn"] }, maxReceiveCount: queues[name].maxReceiveCount },
      });
    }
  });

  it("encrypts every queue with the CMK and refuses non-TLS access", () => {
    const keyArn = { "Fn::GetAtt": [logicalId(built.stateful.key), "Arn"] };
    for (const queue of Object.values(resourcesOfType(stateful, "AWS::SQS::Queue"))) {
      expect(queue.Properties?.KmsMasterKeyId).toEqual(keyArn);
    }
    const denyInsecure = Object.values(resourcesOfType(stateful, "AWS::SQS::QueuePolicy")).filter((p) =>
      JSON.stringify(p.Properties).includes('"aws:SecureTransport":"false"'),
    );
    expect(denyInsecure).toHaveLength(queueNames.length * 2);
  });

  it("keeps files in a private, versioned, encrypted bucket with server access logs", () => {
    stateful.hasResourceProperties("AWS::S3::Bucket", {
      VersioningConfiguration: { Status: "Enabled" },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: Match.anyValue() } })] },
      LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: "files/" },
    });
  });
});

describe("triggers", () => {
  it("routes every manifest HTTP path to its function with method ANY, and $default to the function that lists it", () => {
    // Prepare
    const routes = Object.values(resourcesOfType(stateless, "AWS::ApiGatewayV2::Route"));
    const integrations = resourcesOfType(stateless, "AWS::ApiGatewayV2::Integration");
    const routeKeysOf = (name: string) => {
      const [fnId] = functionNamed(stateless, name)!;
      const mine = Object.entries(integrations)
        .filter(([, i]) => referenceText(i.Properties?.IntegrationUri).includes(`"${fnId}"`))
        .map(([id]) => id);
      return routes.filter((r) => mine.some((id) => referenceText(r.Properties?.Target).includes(`"${id}"`))).map((r) => r.Properties?.RouteKey);
    };

    // Assess
    for (const spec of deployableFunctions) {
      if (spec.trigger.kind !== "http") continue;
      const expected = spec.trigger.paths.map((p) => (p === "$default" ? "$default" : `ANY ${p}`));
      expect(routeKeysOf(spec.name).sort()).toEqual(expected.sort());
    }
    expect(routeKeysOf("public-portal")).toContain("$default");
  });

  it("wires each queue trigger with the manifest batch size and partial batch failures", () => {
    const mappings = Object.values(resourcesOfType(stateless, "AWS::Lambda::EventSourceMapping"));
    const queueSpecs = deployableFunctions.filter((f) => f.trigger.kind === "queue");
    expect(mappings).toHaveLength(queueSpecs.length);
    for (const spec of queueSpecs) {
      if (spec.trigger.kind !== "queue") continue;
      const [fnId] = functionNamed(stateless, spec.name)!;
      const mapping = mappings.find((m) => referenceText(m.Properties?.FunctionName) === JSON.stringify({ Ref: fnId }));
      expect(mapping?.Properties).toMatchObject({ BatchSize: spec.trigger.batchSize, FunctionResponseTypes: ["ReportBatchItemFailures"] });
      expect(referenceText(mapping?.Properties?.EventSourceArn)).toContain(queueId(spec.trigger.queue));
    }
  });

  it("invokes scheduled functions through EventBridge Scheduler with the manifest expression", () => {
    for (const spec of deployableFunctions) {
      if (spec.trigger.kind !== "schedule") continue;
      const [fnId] = functionNamed(stateless, spec.name)!;
      stateless.hasResourceProperties("AWS::Scheduler::Schedule", {
        ScheduleExpression: spec.trigger.expression,
        Target: Match.objectLike({ Arn: { "Fn::GetAtt": [fnId, "Arn"] } }),
      });
    }
  });

  it("raises an alarm as soon as any dead-letter queue holds a message", () => {
    const alarms = Object.values(resourcesOfType(stateless, "AWS::CloudWatch::Alarm"));
    expect(alarms).toHaveLength(queueNames.length);
    for (const name of queueNames) {
      const dlqId = logicalId(built.stateful.deadLetterQueues[name]);
      const alarm = alarms.find((a) => referenceText(a.Properties?.Dimensions).includes(dlqId));
      expect(alarm?.Properties).toMatchObject({
        MetricName: "ApproximateNumberOfMessagesVisible",
        Namespace: "AWS/SQS",
        Threshold: 0,
        ComparisonOperator: "GreaterThanThreshold",
        EvaluationPeriods: 1,
        AlarmActions: [{ Ref: logicalId(built.stateless.alarms.topic) }],
      });
    }
    stateless.hasResourceProperties("AWS::SNS::Topic", { KmsMasterKeyId: Match.anyValue() });
    // CloudWatch must be able to use the data key to publish to the encrypted topic.
    stateful.hasResourceProperties("AWS::KMS::Key", {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: "cloudwatch.amazonaws.com" } })]) },
    });
  });
});

describe("least privilege", () => {
  it("lets a function send only to the queues its manifest entry names", () => {
    for (const spec of deployableFunctions) {
      const sends = statementsAllowing(statementsOf(stateless, spec.name), /^sqs:SendMessage$/);
      const targets = sends.flatMap(resourcesOf).map(referenceText);
      const expected = (spec.grants.sendTo ?? []).map(queueId);
      expect(targets, spec.name).toHaveLength(expected.length);
      for (const id of expected) expect(targets.some((t) => t.includes(`${id}Arn`)), `${spec.name} → ${id}`).toBe(true);
    }
    // The examples from the brief, spelled out.
    expect(statementsAllowing(statementsOf(stateless, "mail-sender"), /^sqs:Send/)).toEqual([]);
  });

  it("lets only scheduler functions manage schedules, only in the app's group, and pass only the Scheduler role", () => {
    const timersRoleId = logicalId(built.stateless.timers.role);
    for (const spec of deployableFunctions) {
      const statements = statementsOf(stateless, spec.name);
      const scheduling = statementsAllowing(statements, /^scheduler:/);
      const passing = statementsAllowing(statements, /^iam:PassRole$/);
      if (!spec.grants.scheduler) {
        expect(scheduling, spec.name).toEqual([]);
        expect(passing, spec.name).toEqual([]);
        continue;
      }
      expect(scheduling.flatMap(actionsOf).sort()).toEqual(["scheduler:CreateSchedule", "scheduler:DeleteSchedule", "scheduler:GetSchedule", "scheduler:UpdateSchedule"]);
      expect(referenceText(scheduling.flatMap(resourcesOf))).toContain(`:schedule/${scheduleGroupName}/*`);
      expect(passing.flatMap(resourcesOf)).toEqual([{ "Fn::GetAtt": [timersRoleId, "Arn"] }]);
    }
    expect(statementsAllowing(statementsOf(stateless, "public-portal"), /^(scheduler:|iam:PassRole)/)).toEqual([]);
  });

  it("lets only mail functions send email, from the configured identity", () => {
    for (const spec of deployableFunctions) {
      const ses = statementsAllowing(statementsOf(stateless, spec.name), /^ses:/);
      if (!spec.grants.mail) {
        expect(ses, spec.name).toEqual([]);
        continue;
      }
      expect(ses.flatMap(actionsOf).sort()).toEqual(["ses:SendEmail", "ses:SendRawEmail"]);
      expect(referenceText(ses.flatMap(resourcesOf))).toContain(":identity/example.gov.cn");
    }
  });

  it("grants table writes only to readWrite functions, and no function touches the files bucket without a files grant", () => {
    for (const spec of deployableFunctions) {
      const statements = statementsOf(stateless, spec.name);
      expect(statementsAllowing(statements, /^dynamodb:PutItem$/).length > 0, spec.name).toBe(spec.grants.table === "readWrite");
      expect(statementsAllowing(statements, /^dynamodb:(GetItem|Query)$/).length > 0, spec.name).toBe(Boolean(spec.grants.table));
      expect(statementsAllowing(statements, /^s3:/).length > 0, spec.name).toBe(Boolean(spec.grants.files));
    }
  });

  it("uses no AWS managed policies on any role", () => {
    for (const role of Object.values(resourcesOfType(stateless, "AWS::IAM::Role"))) {
      expect(role.Properties?.ManagedPolicyArns).toBeUndefined();
    }
  });

  it("lets the Scheduler role do nothing but put messages on the timers queue", () => {
    const roleId = logicalId(built.stateless.timers.role);
    const role = resourcesOfType(stateless, "AWS::IAM::Role")[roleId]!;
    expect(referenceText(role.Properties?.AssumeRolePolicyDocument)).toContain('"Service":"scheduler.amazonaws.com"');
    const statements = statementsOfRole(stateless, roleId);
    expect(statements.flatMap(actionsOf).sort()).toEqual(["kms:Decrypt", "kms:GenerateDataKey", "sqs:SendMessage"]);
    const send = statementsAllowing(statements, /^sqs:SendMessage$/);
    expect(referenceText(send.flatMap(resourcesOf))).toContain(`${queueId("timers")}Arn`);
    stateless.hasResourceProperties("AWS::Scheduler::ScheduleGroup", { Name: scheduleGroupName });
  });
});

describe("agency settings", () => {
  it("uses SMTP with a Secrets Manager secret instead of SES when told to, and mails alarms to the operator", () => {
    // Prepare
    const secretArn = "arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:gongkai-smtp-AbCdEf";
    const smtpOut = mkdtempSync(path.join(tmpdir(), "gongkai-cdk-smtp-"));
    try {
      // Act (no bundling: only the wiring differs)
      const smtp = buildApp({
        outdir: smtpOut,
        nag: false,
        context: {
          "aws:cdk:bundling-stacks": [],
          mailTransport: "smtp",
          smtpHost: "smtp.example.cn",
          smtpPort: "465",
          smtpSecretArn: secretArn,
          alarmEmail: "ops@example.cn",
        },
      });
      const template = Template.fromStack(smtp.stateless);

      // Assess
      expect(environmentOf(template, "mail-sender")).toMatchObject({
        MAIL_TRANSPORT: "smtp",
        SMTP_HOST: "smtp.example.cn",
        SMTP_PORT: "465",
        SMTP_SECRET_ARN: secretArn,
      });
      const statements = statementsOf(template, "mail-sender");
      expect(statementsAllowing(statements, /^ses:/)).toEqual([]);
      expect(statementsAllowing(statements, /^secretsmanager:GetSecretValue$/).flatMap(resourcesOf)).toEqual([secretArn]);
      expect(statementsAllowing(statementsOf(template, "public-portal"), /^secretsmanager:/)).toEqual([]);
      template.hasResourceProperties("AWS::SNS::Subscription", { Protocol: "email", Endpoint: "ops@example.cn" });
    } finally {
      rmSync(smtpOut, { recursive: true, force: true });
    }
  });

  it("refuses settings it cannot honour, with a message in Chinese", () => {
    expect(() => buildApp({ nag: false, context: { "aws:cdk:bundling-stacks": [], mailFrom: "not-an-address" } })).toThrow(/mailFrom 必须是有效的发件邮箱地址/);
    expect(() => buildApp({ nag: false, context: { "aws:cdk:bundling-stacks": [], logRetentionDays: 100 } })).toThrow(/logRetentionDays/);
  });
});

describe("scripts/list-synth.mjs (the second half of `npm run synth`)", () => {
  const listSynth = (dir: string) =>
    spawnSync(process.execPath, [path.join(process.cwd(), "scripts/list-synth.mjs"), dir], { encoding: "utf8", timeout: 60_000 });

  it("lists one line per deployed function with its trigger and one per queue with its DLQ", () => {
    // Act
    const run = listSynth(outdir);

    // Assess
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const lines = run.stdout.split("\n");
    expect(lines.filter((l) => l.startsWith("function "))).toHaveLength(deployableFunctions.length);
    expect(lines.filter((l) => l.startsWith("queue ") && / DLQ \S+ after \d+ receives/.test(l))).toHaveLength(queueNames.length);
    expect(run.stdout).toMatch(/functions\/mail\/sender\.ts\s+queue: GongkaiStateful:mail \(batch 10, partial batch failures\)/);
    expect(run.stdout).toContain("schedule: rate(1 minute)");
  });

  it("fails when a manifest function is missing or a queue has no DLQ", () => {
    // Prepare: a copy of the assembly with one function and one redrive policy removed
    const broken = mkdtempSync(path.join(tmpdir(), "gongkai-broken-"));
    try {
      for (const stack of ["GongkaiStateful", "GongkaiStateless"]) {
        cpSync(path.join(outdir, `${stack}.template.json`), path.join(broken, `${stack}.template.json`));
      }
      const statelessFile = path.join(broken, "GongkaiStateless.template.json");
      const template = JSON.parse(readFileSync(statelessFile, "utf8")) as { Resources: Record<string, unknown> };
      delete template.Resources[functionNamed(stateless, "mail-sender")![0]];
      writeFileSync(statelessFile, JSON.stringify(template));
      const statefulFile = path.join(broken, "GongkaiStateful.template.json");
      const data = JSON.parse(readFileSync(statefulFile, "utf8")) as { Resources: Record<string, { Properties: Record<string, unknown> }> };
      delete data.Resources[queueId("timers")]!.Properties.RedrivePolicy;
      writeFileSync(statefulFile, JSON.stringify(data));

      // Act
      const run = listSynth(broken);

      // Assess
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('manifest function "mail-sender"');
      expect(run.stderr).toContain("queue GongkaiStateful:timers has no dead-letter queue");
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });
});
