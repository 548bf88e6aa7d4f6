import { Stack } from "aws-cdk-lib";
import type { CfnElement } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { IConstruct } from "constructs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../infra/build-app";
import type { GongkaiApp } from "../../infra/build-app";
import { deployableFunctions, maxOutputsPerStack, maxResourcesPerStack, workflowStackId } from "../../infra/deployment";
import { QUEUE_URLS_OUTPUT_PREFIX } from "../../infra/names";
import { queueUrlEnvName } from "../../shared/config";
import type { FunctionSpec, QueueName } from "../../shared/manifest";
import { functions, queueNames, queues, scheduleGroupName, stepQueueName, stepQueueNames, tableKeys } from "../../shared/manifest";
import { stepDefinition } from "../../shared/domain/workflows";
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
  templateHolding,
} from "./template-helpers";

// Prepare (once per file: bundling the real handler entries with esbuild is the slow part)
let outdir: string;
let built: GongkaiApp;
let stateful: Template;
let stateless: Template;
/** every stack's template, stateful first */
let templates: Template[];
/** stack name → template */
let byStack: Record<string, Template>;

beforeAll(() => {
  outdir = mkdtempSync(path.join(tmpdir(), "gongkai-cdk-"));
  built = buildApp({ outdir, nag: false });
  byStack = Object.fromEntries(built.stacks.map((stack) => [stack.stackName, Template.fromStack(stack)]));
  templates = Object.values(byStack);
  stateful = Template.fromStack(built.stateful);
  stateless = Template.fromStack(built.stateless);
}, 120_000);

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

const logicalId = (construct: IConstruct) => Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
const queueId = (name: QueueName) => logicalId(built.stateful.queues.queue(name));
const stepFunctions = () => deployableFunctions.filter((f): f is FunctionSpec & { step: NonNullable<FunctionSpec["step"]> } => Boolean(f.step));
/** The template of the stack that deploys `name`, and the function's statements in it. */
const holder = (name: string) => templateHolding(templates, name);
const statementsOfFunction = (name: string) => statementsOf(holder(name), name);
const allResourcesOfType = (type: string) => templates.flatMap((t) => Object.values(resourcesOfType(t, type)));
const mails = (spec: FunctionSpec) => Boolean(spec.grants.mail);
/** Each deployed asset's folder and the functions that run it (all workflow steps share one). */
function assetsOfFunctions(): Map<string, string[]> {
  const byDir = new Map<string, string[]>();
  for (const f of deployableFunctions) {
    const zip = (functionNamed(holder(f.name), f.name)![1].Properties?.Code as { S3Key: string }).S3Key;
    const dir = path.join(outdir, `asset.${zip.replace(/\.zip$/, "")}`);
    byDir.set(dir, [...(byDir.get(dir) ?? []), f.name]);
  }
  return byDir;
}
/** The second half of `npm run synth`, on a cloud assembly directory. */
const listSynth = (dir: string) =>
  spawnSync(process.execPath, [path.join(process.cwd(), "scripts/list-synth.mjs"), dir], { encoding: "utf8", timeout: 60_000 });

describe("functions", () => {
  it("deploys exactly one Lambda per non-local manifest entry (one per workflow step too), on nodejs22.x and ARM64", () => {
    // Act
    const names = templates.flatMap(deployedFunctionNames);

    // Assess
    expect(names.sort()).toEqual(deployableFunctions.map((f) => f.name).sort());
    expect(stepFunctions().length).toBeGreaterThanOrEqual(1);
    expect(allResourcesOfType("AWS::Lambda::Function")).toHaveLength(deployableFunctions.length);
    for (const name of names) {
      const [, fn] = functionNamed(holder(name), name)!;
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

  it("bundles each distinct entry once and shares that asset between all step functions", () => {
    // Prepare
    const entries = [...new Set(deployableFunctions.map((f) => f.entry))].sort();
    const codeKey = (name: string) => (functionNamed(holder(name), name)![1].Properties?.Code as { S3Key: string }).S3Key;

    // Act
    const keys = new Set(deployableFunctions.map((f) => codeKey(f.name)));
    const stepKeys = new Set(stepFunctions().map((f) => codeKey(f.name)));

    // Assess: esbuild ran once per entry, not once per function
    expect([...built.bundles.bundled].sort()).toEqual(entries);
    expect(keys.size).toBe(entries.length);
    expect(stepKeys.size).toBe(1);
    // and each stack's asset manifest names every bundle it uses once
    for (const stack of built.stacks) {
      const manifest = JSON.parse(readFileSync(path.join(outdir, `${stack.stackName}.assets.json`), "utf8")) as { files: Record<string, { source: { packaging: string } }> };
      const zips = Object.values(manifest.files).filter((f) => f.source.packaging === "zip");
      const entriesHere = new Set(deployableFunctions.filter((f) => functionNamed(byStack[stack.stackName]!, f.name)).map((f) => f.entry));
      expect(zips, stack.stackName).toHaveLength(entriesHere.size);
    }
  });

  it("bundles each entry into an ESM file that loads on plain Node and exports `handler`", () => {
    // One check per distinct bundle: all step functions share theirs.
    const bundles = new Map(deployableFunctions.map((f) => [(functionNamed(holder(f.name), f.name)![1].Properties?.Code as { S3Key: string }).S3Key, f.name]));
    for (const [zip, name] of bundles) {
      // Prepare
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

  it("keeps source maps out of every asset, and Node does not look for them", () => {
    for (const [dir, names] of assetsOfFunctions()) {
      // Act
      const files = readdirSync(dir, { recursive: true, encoding: "utf8" });

      // Assess: the maps stay in the cloud assembly beside the assets (infra/entry-bundles.ts), for reading a stack trace offline
      expect(files.filter((f) => f.endsWith(".map")), names[0]).toEqual([]);
      // the comment esbuild would end a file with (postcss's own code names sourceMappingURL too)
      for (const f of files.filter((f) => f.endsWith(".mjs"))) expect(/\/\/# sourceMappingURL=\S+\s*$/.test(readFileSync(path.join(dir, f), "utf8")), `${names[0]} ${f}`).toBe(false);
      for (const name of names) expect(environmentOf(holder(name), name).NODE_OPTIONS ?? "", name).not.toContain("--enable-source-maps");
    }
    expect(readdirSync(path.join(outdir, "sourcemaps", "functions", "mail"), { recursive: true, encoding: "utf8" })).toContain(path.join("sender", "index.mjs.map"));
  });

  it("bundles the S3 client only for functions with the files grant, SES and Secrets Manager only for those that send mail", () => {
    // Prepare: each SDK client names itself in its commands (`.n("S3Client", …)`), minified or not
    const clients = { S3Client: (spec: FunctionSpec) => Boolean(spec.grants.files), SESv2Client: mails, SecretsManagerClient: mails };
    const seen = new Set<string>();
    for (const [dir, names] of assetsOfFunctions()) {
      // Act
      const code = readdirSync(dir, { recursive: true, encoding: "utf8" })
        .filter((f) => f.endsWith(".mjs"))
        .map((f) => readFileSync(path.join(dir, f), "utf8"))
        .join("\n");

      // Assess: a bundle shared by several functions (the steps) carries what any of them needs
      for (const [client, needs] of Object.entries(clients)) {
        const needed = names.some((name) => needs(deployableFunctions.find((f) => f.name === name)!));
        expect(code.includes(`"${client}"`), `${names[0]}: ${client}`).toBe(needed);
        if (needed) seen.add(client);
      }
    }
    // and the check can see each client where it belongs
    expect([...seen].sort()).toEqual(Object.keys(clients).sort());
  });

  it("never deploys local-only functions such as local-clock, nor their routes", () => {
    const localOnly = functions.filter((f) => f.localOnly);
    expect(localOnly.map((f) => f.name)).toContain("local-clock");
    for (const spec of localOnly) for (const t of templates) expect(functionNamed(t, spec.name)).toBeUndefined();
    const routeKeys = Object.values(resourcesOfType(stateless, "AWS::ApiGatewayV2::Route")).map((r) => r.Properties?.RouteKey);
    expect(routeKeys).not.toContain("ANY /api/v1/local/clock");
  });

  it("gives each function its own log group with a retention period", () => {
    for (const spec of deployableFunctions) {
      const template = holder(spec.name);
      const [, fn] = functionNamed(template, spec.name)!;
      const groupId = ((fn.Properties?.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup).Ref;
      expect(resourcesOfType(template, "AWS::Logs::LogGroup")[groupId]?.Properties?.RetentionInDays).toBe(180);
    }
  });

  it("sets Powertools settings, the step's name, and only the environment each function's grants need", () => {
    for (const spec of deployableFunctions) {
      const env = environmentOf(holder(spec.name), spec.name);
      expect(env).toMatchObject({ POWERTOOLS_SERVICE_NAME: spec.name, LOG_LEVEL: "INFO", PUBLIC_BASE_URL: expect.anything(), TABLE_NAME: expect.anything() });
      expect(env.WORKFLOW_STEP, spec.name).toBe(spec.step ? `${spec.step.workflow}/${spec.step.step}` : undefined);
      const queueVars = Object.keys(env).filter((k) => k.startsWith("QUEUE_URL_")).sort();
      expect(queueVars, spec.name).toEqual((spec.grants.sendTo ?? []).map(queueUrlEnvName).sort());
      for (const key of ["TIMERS_QUEUE_ARN", "SCHEDULE_GROUP", "SCHEDULER_ROLE_ARN"]) {
        expect(key in env, `${spec.name} ${key}`).toBe(Boolean(spec.grants.scheduler));
      }
      for (const key of ["MAIL_TRANSPORT", "MAIL_FROM"]) expect(key in env, `${spec.name} ${key}`).toBe(Boolean(spec.grants.mail));
      expect("FILES_BUCKET" in env, `${spec.name} FILES_BUCKET`).toBe(Boolean(spec.grants.files));
    }
    expect(environmentOf(stateless, "staff-console")).toMatchObject({ SCHEDULE_GROUP: scheduleGroupName });
    expect(environmentOf(stateless, "mail-sender")).toMatchObject({ MAIL_TRANSPORT: "ses", MAIL_FROM: "gongkai@example.gov.cn", FILES_BUCKET: expect.anything() });
  });

  it("gives each function the manifest's timeout: the archiver its 900 s, the rest 30 s", () => {
    for (const spec of deployableFunctions) {
      const [, fn] = functionNamed(holder(spec.name), spec.name)!;
      expect(fn.Properties?.Timeout, spec.name).toBe(spec.timeoutSeconds ?? 30);
    }
    expect(functionNamed(stateless, "case-archiver")![1].Properties?.Timeout).toBe(900);
  });
});

describe("stacks", () => {
  it("keeps the platform functions in the stateless stack and each workflow's step functions in its own stack", () => {
    const workflows = [...new Set(stepFunctions().map((f) => f.step.workflow))];
    expect(Object.keys(built.workflows).sort()).toEqual(workflows.sort());
    expect(built.stacks.map((s) => s.stackName).sort()).toEqual(["GongkaiStateful", "GongkaiStateless", ...workflows.map(workflowStackId)].sort());
    expect(deployedFunctionNames(stateless).sort()).toEqual(deployableFunctions.filter((f) => !f.step).map((f) => f.name).sort());
    for (const workflow of workflows) {
      const template = byStack[workflowStackId(workflow)]!;
      expect(deployedFunctionNames(template).sort()).toEqual(stepFunctions().filter((f) => f.step.workflow === workflow).map((f) => f.name).sort());
      // the consumers only: queues stay in the stateful stack
      expect(Object.keys(resourcesOfType(template, "AWS::SQS::Queue"))).toEqual([]);
    }
    expect(deployedFunctionNames(stateful)).toEqual([]);
  });

  it("keeps every stack well under CloudFormation's limits of 500 resources and 200 outputs", () => {
    for (const stack of built.stacks) {
      const template = byStack[stack.stackName]!.toJSON() as { Resources: object; Outputs?: object };
      expect(Object.keys(template.Resources).length, stack.stackName).toBeLessThanOrEqual(maxResourcesPerStack);
      expect(Object.keys(template.Outputs ?? {}).length, stack.stackName).toBeLessThanOrEqual(maxOutputsPerStack);
    }
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

  it("gives every manifest queue (every step's too) a dead-letter queue with the manifest's maxReceiveCount and visibility timeout", () => {
    const all = resourcesOfType(stateful, "AWS::SQS::Queue");
    expect(stepQueueNames.length).toBeGreaterThanOrEqual(1);
    expect(Object.keys(all)).toHaveLength(queueNames.length * 2);
    expect(allResourcesOfType("AWS::SQS::Queue")).toHaveLength(queueNames.length * 2);
    for (const name of queueNames) {
      const queue = all[queueId(name)]!;
      const spec = queues[name]!;
      const dlqId = logicalId(built.stateful.queues.deadLetters(name));
      expect(queue.Properties, name).toMatchObject({
        VisibilityTimeout: spec.visibilityTimeoutSeconds,
        RedrivePolicy: { deadLetterTargetArn: { "Fn::GetAtt": [dlqId, "Arn"] }, maxReceiveCount: spec.maxReceiveCount },
      });
    }
  });

  it("names an unknown queue clearly instead of failing on undefined", () => {
    expect(() => built.stateful.queues.queue("no-such-step")).toThrow(/unknown queue "no-such-step": shared\/manifest\.ts defines mail, timers, /);
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
    const queueSpecs = deployableFunctions.filter((f) => f.trigger.kind === "queue");
    expect(allResourcesOfType("AWS::Lambda::EventSourceMapping")).toHaveLength(queueSpecs.length);
    for (const spec of queueSpecs) {
      if (spec.trigger.kind !== "queue") continue;
      const template = holder(spec.name);
      const [fnId] = functionNamed(template, spec.name)!;
      const mappings = Object.values(resourcesOfType(template, "AWS::Lambda::EventSourceMapping")).filter(
        (m) => referenceText(m.Properties?.FunctionName) === JSON.stringify({ Ref: fnId }),
      );
      expect(mappings, spec.name).toHaveLength(1);
      expect(mappings[0]?.Properties).toMatchObject({ BatchSize: spec.trigger.batchSize, FunctionResponseTypes: ["ReportBatchItemFailures"] });
      expect(referenceText(mappings[0]?.Properties?.EventSourceArn)).toContain(`${queueId(spec.trigger.queue)}Arn`);
    }
  });

  it("feeds every step function from its own step queue and no other", () => {
    for (const spec of stepFunctions()) {
      // Prepare
      const own = stepQueueName(spec.step.workflow, spec.step.step);
      const template = holder(spec.name);
      const [fnId] = functionNamed(template, spec.name)!;

      // Act
      const sources = Object.values(resourcesOfType(template, "AWS::Lambda::EventSourceMapping"))
        .filter((m) => referenceText(m.Properties?.FunctionName) === JSON.stringify({ Ref: fnId }))
        .map((m) => referenceText(m.Properties?.EventSourceArn));
      const consumes = statementsAllowing(statementsOfFunction(spec.name), /^sqs:ReceiveMessage$/).flatMap(resourcesOf).map(referenceText);

      // Assess
      expect(spec.trigger).toMatchObject({ kind: "queue", queue: own });
      expect(queues[own]?.step).toEqual(spec.step);
      expect(sources, spec.name).toEqual([expect.stringContaining(`${queueId(own)}Arn`)]);
      expect(consumes, spec.name).toEqual([expect.stringContaining(`${queueId(own)}Arn`)]);
    }
  });

  it("lets every queue-triggered function back its own queue's messages off (ChangeMessageVisibility, GetQueueUrl), no other queue's", () => {
    for (const spec of deployableFunctions) {
      if (spec.trigger.kind !== "queue") continue;
      const own = spec.trigger.queue;
      for (const action of ["sqs:ChangeMessageVisibility", "sqs:GetQueueUrl"]) {
        const onQueues = statementsAllowing(statementsOfFunction(spec.name), new RegExp(`^${action}$`)).flatMap(resourcesOf).map(referenceText);
        const others = queueNames.filter((q) => q !== own && onQueues.some((r) => r.includes(`${queueId(q)}Arn`)));
        expect(onQueues.some((r) => r.includes(`${queueId(own)}Arn`)), `${spec.name} ${action}`).toBe(true);
        if (action === "sqs:ChangeMessageVisibility") expect(others, `${spec.name} ${action}`).toEqual([]);
      }
    }
  });

  it("outputs every queue's URL for the operators' `gongkai dlq --outputs`, a few outputs for all of them", () => {
    const outputs = stateful.toJSON().Outputs as Record<string, { Value: unknown }>;
    const pairs = Object.entries(outputs)
      .filter(([key]) => key.startsWith(QUEUE_URLS_OUTPUT_PREFIX))
      .flatMap(([, o]) => (o.Value as { "Fn::Join": [string, Array<{ "Fn::Join": [string, [string, { Ref: string }]] }>] })["Fn::Join"][1])
      .map((pair) => pair["Fn::Join"][1]);
    expect(pairs.map(([name]) => name).sort()).toEqual([...queueNames].sort());
    for (const [name, ref] of pairs) expect(ref, name).toEqual({ Ref: queueId(name) });
    expect(Object.keys(outputs).filter((key) => key.startsWith(QUEUE_URLS_OUTPUT_PREFIX)).length).toBe(Math.ceil(queueNames.length / 20));
  });

  it("invokes scheduled functions through EventBridge Scheduler with the manifest expression, cron() in the manifest's time zone", () => {
    for (const spec of deployableFunctions) {
      if (spec.trigger.kind !== "schedule") continue;
      const [fnId] = functionNamed(stateless, spec.name)!;
      const cron = spec.trigger.expression.startsWith("cron(");
      stateless.hasResourceProperties("AWS::Scheduler::Schedule", {
        ScheduleExpression: spec.trigger.expression,
        // CDK writes Etc/UTC when the manifest names no zone
        ScheduleExpressionTimezone: spec.trigger.timezone ?? "Etc/UTC",
        Target: Match.objectLike({
          Arn: { "Fn::GetAtt": [fnId, "Arn"] },
          // a missed rate() tick is re-driven by the next one; a yearly cron() run is retried instead
          RetryPolicy: cron ? { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 } : { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 },
        }),
      });
    }
    stateless.hasResourceProperties("AWS::Scheduler::Schedule", { ScheduleExpression: "cron(0 2 10 1 ? *)", ScheduleExpressionTimezone: "Asia/Shanghai" });
  });

  it("raises an alarm as soon as any dead-letter queue (every step's too) holds a message", () => {
    const alarms = allResourcesOfType("AWS::CloudWatch::Alarm");
    expect(alarms).toHaveLength(queueNames.length);
    for (const name of queueNames) {
      const dlqId = logicalId(built.stateful.queues.deadLetters(name));
      const matching = alarms.filter((a) => referenceText(a.Properties?.Dimensions).includes(`${dlqId}QueueName`));
      expect(matching, name).toHaveLength(1);
      expect(matching[0]?.Properties).toMatchObject({
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
  it("lets a function (a step function too) send only to the queues its manifest entry names", () => {
    for (const spec of deployableFunctions) {
      const sends = statementsAllowing(statementsOfFunction(spec.name), /^sqs:SendMessage$/);
      const targets = sends.flatMap(resourcesOf).map(referenceText);
      const expected = (spec.grants.sendTo ?? []).map(queueId);
      expect(targets, spec.name).toHaveLength(expected.length);
      for (const id of expected) expect(targets.some((t) => t.includes(`${id}Arn`)), `${spec.name} → ${id}`).toBe(true);
    }
    // The examples from the brief, spelled out.
    expect(statementsAllowing(statementsOf(stateless, "mail-sender"), /^sqs:Send/)).toEqual([]);
    // a step that only opens and announces sends mail (and the case change to the transparency counters); one that completes its own task (publishing) decides like a reviewer
    for (const spec of stepFunctions()) {
      const sent = statementsAllowing(statementsOfFunction(spec.name), /^sqs:SendMessage$/).flatMap(resourcesOf).map(referenceText);
      if (stepDefinition(spec.step!.workflow, spec.step!.step).automatic) expect(sent, spec.name).toHaveLength(stepQueueNames.length + 2);
      else expect(sent.sort(), spec.name).toEqual([expect.stringContaining(`${queueId("mail")}Arn`), expect.stringContaining(`${queueId("transparency")}Arn`)]);
    }
  });

  it("lets the outbox relay send to every queue, create schedules in the app's group and pass only the Scheduler role", () => {
    const statements = statementsOf(stateless, "outbox-relay");
    const sendTargets = statementsAllowing(statements, /^sqs:SendMessage$/).flatMap(resourcesOf).map(referenceText);
    for (const name of queueNames) expect(sendTargets.some((t) => t.includes(`${queueId(name)}Arn`)), name).toBe(true);
    expect(statementsAllowing(statements, /^scheduler:CreateSchedule$/).flatMap(resourcesOf).map(referenceText)).toEqual([
      expect.stringContaining(`:schedule/${scheduleGroupName}/*`),
    ]);
    expect(statementsAllowing(statements, /^iam:PassRole$/).flatMap(resourcesOf)).toEqual([{ "Fn::GetAtt": [logicalId(built.stateless.timers.role), "Arn"] }]);
    expect(environmentOf(stateless, "outbox-relay")).toMatchObject({ SCHEDULE_GROUP: scheduleGroupName, SCHEDULER_ROLE_ARN: expect.anything(), TIMERS_QUEUE_ARN: expect.anything() });
  });

  it("lets only scheduler functions manage schedules, only in the app's group, and pass only the Scheduler role", () => {
    const timersRoleId = logicalId(built.stateless.timers.role);
    for (const spec of deployableFunctions) {
      const statements = statementsOfFunction(spec.name);
      const scheduling = statementsAllowing(statements, /^scheduler:/);
      const passing = statementsAllowing(statements, /^iam:PassRole$/);
      if (!spec.grants.scheduler) {
        expect(scheduling, spec.name).toEqual([]);
        expect(passing, spec.name).toEqual([]);
        continue;
      }
      expect(scheduling.flatMap(actionsOf).sort()).toEqual(["scheduler:CreateSchedule", "scheduler:DeleteSchedule", "scheduler:GetSchedule", "scheduler:UpdateSchedule"]);
      expect(referenceText(scheduling.flatMap(resourcesOf))).toContain(`:schedule/${scheduleGroupName}/*`);
      const passed = referenceText(passing.flatMap(resourcesOf));
      // same stack: a GetAtt; a workflow stack: the import of that same role's ARN
      expect(passed, spec.name).toContain(timersRoleId);
      expect(passing.flatMap(resourcesOf), spec.name).toHaveLength(1);
    }
    expect(statementsAllowing(statementsOf(stateless, "case-archiver"), /^(scheduler:|iam:PassRole)/)).toEqual([]);
  });

  it("lets only mail functions send email, from the configured identity", () => {
    for (const spec of deployableFunctions) {
      const ses = statementsAllowing(statementsOfFunction(spec.name), /^ses:/);
      if (!spec.grants.mail) {
        expect(ses, spec.name).toEqual([]);
        continue;
      }
      expect(ses.flatMap(actionsOf).sort()).toEqual(["ses:SendEmail", "ses:SendRawEmail"]);
      expect(referenceText(ses.flatMap(resourcesOf))).toContain(":identity/example.gov.cn");
    }
  });

  it("grants table writes only to readWrite functions, and files only as the manifest names them: read, or read and put", () => {
    const filesId = logicalId(built.stateful.filesBucket);
    for (const spec of deployableFunctions) {
      const statements = statementsOfFunction(spec.name);
      expect(statementsAllowing(statements, /^dynamodb:PutItem$/).length > 0, spec.name).toBe(spec.grants.table === "readWrite");
      expect(statementsAllowing(statements, /^dynamodb:(GetItem|Query)$/).length > 0, spec.name).toBe(Boolean(spec.grants.table));
      const s3 = statementsAllowing(statements, /^s3:/);
      const s3Actions = [...new Set(s3.flatMap(actionsOf))].sort();
      const expected = { read: ["s3:GetObject", "s3:ListBucket"], readWrite: ["s3:GetObject", "s3:ListBucket", "s3:PutObject"] };
      expect(s3Actions, spec.name).toEqual(spec.grants.files ? expected[spec.grants.files] : []);
      for (const resource of s3.flatMap(resourcesOf)) expect(referenceText(resource), spec.name).toContain(filesId);
    }
    expect(statementsAllowing(statementsOf(stateless, "mail-sender"), /^s3:PutObject$/)).toEqual([]);
    expect(statementsAllowing(statementsOf(stateless, "mail-sender"), /^s3:GetObject$/)).toHaveLength(1);
    expect(statementsAllowing(statementsOf(stateless, "case-archiver"), /^s3:PutObject$/)).toHaveLength(1);
  });

  it("uses no AWS managed policies on any role", () => {
    for (const role of allResourcesOfType("AWS::IAM::Role")) {
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
      expect(smtp.bundles.bundled).toEqual([]);
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
      // the listing accepts the secret read as part of the mail grant
      const listed = listSynth(smtpOut);
      expect(listed.stderr).toBe("");
      expect(listed.status).toBe(0);
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
  type RawTemplate = { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
  /** A copy of the assembly's templates, changed by `breakIt`, for the script to refuse. */
  const brokenCopy = (breakIt: (edit: (stack: string, change: (t: RawTemplate) => void) => void) => void) => {
    const dir = mkdtempSync(path.join(tmpdir(), "gongkai-broken-"));
    for (const file of readdirSync(outdir).filter((f) => f.endsWith(".template.json"))) cpSync(path.join(outdir, file), path.join(dir, file));
    breakIt((stack, change) => {
      const file = path.join(dir, `${stack}.template.json`);
      const template = JSON.parse(readFileSync(file, "utf8")) as RawTemplate;
      change(template);
      writeFileSync(file, JSON.stringify(template));
    });
    return dir;
  };

  it("lists each stack's resource count, one line per deployed function (steps with their workflow/step) and one per queue with its DLQ and alarm", () => {
    // Act
    const run = listSynth(outdir);

    // Assess
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const lines = run.stdout.split("\n");
    expect(lines.filter((l) => /^stack\s+\S+\s+\d+ resources\s+\d+ outputs$/.test(l))).toHaveLength(built.stacks.length);
    expect(lines.filter((l) => l.startsWith("function "))).toHaveLength(deployableFunctions.length);
    for (const spec of stepFunctions()) {
      const line = lines.find((l) => l.startsWith(`function  ${spec.name} `));
      expect(line, spec.name).toMatch(new RegExp(`${workflowStackId(spec.step.workflow)}\\s+functions/steps/step\\.ts\\s+step ${spec.step.workflow}/${spec.step.step}\\s+queue: ${spec.trigger.kind === "queue" ? spec.trigger.queue : ""} \\(batch 10`));
    }
    expect(lines.filter((l) => l.startsWith("queue ") && / DLQ after \d+ receives\s+alarm in GongkaiStateless/.test(l))).toHaveLength(queueNames.length);
    expect(run.stdout).toMatch(/functions\/mail\/sender\.ts\s+queue: mail \(batch 10, partial batch failures\)/);
    expect(run.stdout).toContain("schedule: rate(1 minute)");
    expect(run.stdout).toContain("schedule: cron(0 2 10 1 ? *) Asia/Shanghai");
  });

  it("fails when a manifest function is missing, a queue has no DLQ or a DLQ no alarm", () => {
    // Prepare
    const broken = brokenCopy((edit) => {
      edit("GongkaiStateless", (t) => {
        delete t.Resources[functionNamed(stateless, "mail-sender")![0]];
        delete t.Resources[logicalId(built.stateless.alarms.alarm("mail"))];
      });
      edit("GongkaiStateful", (t) => delete t.Resources[queueId("timers")]!.Properties.RedrivePolicy);
    });
    try {
      // Act
      const run = listSynth(broken);

      // Assess
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('manifest function "mail-sender"');
      expect(run.stderr).toContain("queue timers has no dead-letter queue");
      expect(run.stderr).toContain("queue mail: its dead-letter queue has no alarm");
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });

  it("fails when a step function may do more than its manifest entry grants", () => {
    // Prepare: the first step function may also send to the timers queue and write files
    const [spec] = stepFunctions();
    const stack = workflowStackId(spec!.step.workflow);
    const template = byStack[stack]!;
    const [, fn] = functionNamed(template, spec!.name)!;
    const roleId = (fn.Properties?.Role as { "Fn::GetAtt": [string] })["Fn::GetAtt"][0];
    const outputs = stateful.toJSON().Outputs as Record<string, { Value: unknown; Export: { Name: string } }>;
    const timersArnExport = Object.values(outputs).find((o) => referenceText(o.Value) === JSON.stringify({ "Fn::GetAtt": [queueId("timers"), "Arn"] }))!.Export.Name;
    const broken = brokenCopy((edit) =>
      edit(stack, (t) => {
        t.Resources.SneakyPolicy = {
          Type: "AWS::IAM::Policy",
          Properties: {
            PolicyName: "sneaky",
            Roles: [{ Ref: roleId }],
            PolicyDocument: {
              Version: "2012-10-17",
              Statement: [
                { Effect: "Allow", Action: "sqs:SendMessage", Resource: { "Fn::ImportValue": timersArnExport } },
                { Effect: "Allow", Action: "s3:PutObject", Resource: "*" },
              ],
            },
          },
        };
      }),
    );
    try {
      // Act
      const run = listSynth(broken);

      // Assess
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`(${spec!.name}): IAM allows more than its manifest grants`);
      expect(run.stderr).toContain("sqs:SendMessage on timers");
      expect(run.stderr).toContain("s3:PutObject");
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });

  it("fails when a template grows past 450 resources", () => {
    // Prepare
    const broken = brokenCopy((edit) =>
      edit("GongkaiStateless", (t) => {
        for (let i = 0; i < maxResourcesPerStack; i++) t.Resources[`Filler${i}`] = { Type: "AWS::CloudFormation::WaitConditionHandle", Properties: {} };
      }),
    );
    try {
      // Act
      const run = listSynth(broken);

      // Assess
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/stack GongkaiStateless has \d+ resources \(our ceiling 450/);
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });
});
