#!/usr/bin/env node
// After `cdk synth`: one line per stack (resource and output counts), one per Lambda
// function (stack/logical id, entry, workflow step, trigger as wired in the template)
// and one per queue with its dead-letter queue and alarm. Exits 1 when
//   - a deployable manifest function is missing (or deployed twice), a local-only one is present,
//   - a trigger is not wired, or a step function does not consume its own step queue,
//   - a function's IAM policy allows more than its manifest grants (step functions included),
//   - a manifest queue is missing, or a queue lacks its DLQ or the DLQ's alarm,
//   - a template exceeds 450 resources or 180 outputs (CloudFormation stops at 500 and 200;
//     the ceilings live in infra/deployment.ts).
// Usage: node scripts/list-synth.mjs [cdk.out]
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { tsImport } from "tsx/esm/api";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outDir = path.resolve(process.argv[2] ?? path.join(repoRoot, "cdk.out"));
const manifest = await tsImport("../shared/manifest.ts", import.meta.url);
const { maxResourcesPerStack: maxResources, maxOutputsPerStack: maxOutputs } = await tsImport("../infra/deployment.ts", import.meta.url);

const problems = [];
const templates = new Map(); // stack -> template
const all = []; // every resource as { stack, id, Type, Properties, Metadata }
const exportsByName = new Map(); // export name -> { stack, value }
for (const file of readdirSync(outDir).filter((f) => f.endsWith(".template.json")).sort()) {
  const stack = file.replace(/\.template\.json$/, "");
  const template = JSON.parse(readFileSync(path.join(outDir, file), "utf8"));
  templates.set(stack, template);
  for (const [id, resource] of Object.entries(template.Resources ?? {})) all.push({ stack, id, ...resource });
  for (const output of Object.values(template.Outputs ?? {})) {
    if (typeof output.Export?.Name === "string") exportsByName.set(output.Export.Name, { stack, value: output.Value });
  }
}
if (all.length === 0) {
  console.error(`no templates in ${outDir}: run \`cdk synth\` first`);
  process.exit(1);
}

const byKey = new Map(all.map((r) => [`${r.stack}/${r.id}`, r]));
const ofType = (type) => all.filter((r) => r.Type === type);
const pad = (text, width) => String(text).padEnd(width);

/** Every resource a template value points at (Ref, Fn::GetAtt, and Fn::ImportValue followed to its export). */
function referenced(stack, value) {
  if (Array.isArray(value)) return value.flatMap((v) => referenced(stack, v));
  if (!value || typeof value !== "object") return [];
  if (typeof value.Ref === "string") return value.Ref.startsWith("AWS::") ? [] : found(stack, value.Ref);
  if (Array.isArray(value["Fn::GetAtt"])) return found(stack, value["Fn::GetAtt"][0]);
  if (typeof value["Fn::ImportValue"] === "string") {
    const exported = exportsByName.get(value["Fn::ImportValue"]);
    return exported ? referenced(exported.stack, exported.value) : [];
  }
  return Object.values(value).flatMap((v) => referenced(stack, v));
}
function found(stack, id) {
  const resource = byKey.get(`${stack}/${id}`);
  return resource ? [resource] : [];
}

// --- stacks ----------------------------------------------------------------------
for (const [stack, template] of templates) {
  const resources = Object.keys(template.Resources ?? {}).length;
  const outputs = Object.keys(template.Outputs ?? {}).length;
  console.log(`stack     ${pad(stack, 36)} ${pad(`${resources} resources`, 16)} ${outputs} outputs`);
  if (resources > maxResources) problems.push(`stack ${stack} has ${resources} resources (our ceiling ${maxResources}; CloudFormation's limit is 500)`);
  if (outputs > maxOutputs) problems.push(`stack ${stack} has ${outputs} outputs (our ceiling ${maxOutputs}; CloudFormation's limit is 200)`);
}
console.log("");

// --- queues (read first: functions are checked against them) -----------------------
/** Our own metadata (infra/constructs/work-queues.ts); `aws:cdk:path` is absent outside the CLI. */
const queueMeta = (r) => r?.Metadata?.["gongkai:queue"];
const queuesInTemplates = ofType("AWS::SQS::Queue");
const deadLetterKeys = new Set(
  queuesInTemplates.flatMap((q) => referenced(q.stack, q.Properties?.RedrivePolicy?.deadLetterTargetArn)).map((q) => `${q.stack}/${q.id}`),
);
// A queue is a DLQ when it says so or when another queue redrives into it; every other queue needs one.
const isDeadLetterQueue = (q) => queueMeta(q)?.kind === "deadLetters" || deadLetterKeys.has(`${q.stack}/${q.id}`);
const mainQueues = queuesInTemplates.filter((q) => !isDeadLetterQueue(q));
/** Manifest name of a main queue, if the resource is one. */
const queueName = (r) => (r?.Type === "AWS::SQS::Queue" && !isDeadLetterQueue(r) ? queueMeta(r)?.name : undefined);
const queueLabel = (r) => queueMeta(r)?.name ?? `${r.stack}/${r.id}`;

const alarms = ofType("AWS::CloudWatch::Alarm");
const queueLines = [];
for (const queue of mainQueues) {
  const redrive = queue.Properties?.RedrivePolicy;
  const [dlq] = referenced(queue.stack, redrive?.deadLetterTargetArn);
  const alarm = dlq && alarms.find((a) => referenced(a.stack, a.Properties?.Dimensions).some((r) => r === dlq) && (a.Properties?.AlarmActions ?? []).length > 0);
  if (!dlq) problems.push(`queue ${queueLabel(queue)} has no dead-letter queue`);
  else if (!alarm) problems.push(`queue ${queueLabel(queue)}: its dead-letter queue has no alarm that notifies anyone`);
  queueLines.push(
    [
      "queue    ",
      pad(queueLabel(queue), 36),
      pad(queue.stack, 28),
      pad(dlq ? `DLQ after ${redrive.maxReceiveCount} receives` : "NO DLQ", 24),
      pad(alarm ? `alarm in ${alarm.stack}` : "NO ALARM", 28),
      queueMeta(queue)?.step ? `step ${queueMeta(queue).step}` : "",
    ]
      .join(" ")
      .trimEnd(),
  );
}
for (const name of manifest.queueNames) {
  const matches = mainQueues.filter((q) => queueMeta(q)?.name === name);
  if (matches.length === 0) problems.push(`manifest queue "${name}" is missing from the templates`);
  if (matches.length > 1) problems.push(`manifest queue "${name}" appears ${matches.length} times`);
}

// --- functions -------------------------------------------------------------------
const deployable = manifest.functions.filter((f) => !f.localOnly);
const seen = new Map(); // name -> count
let stepFunctions = 0;
for (const fn of ofType("AWS::Lambda::Function")) {
  const meta = fn.Metadata?.["gongkai:function"];
  if (!meta) continue; // not one of ours (e.g. a CDK helper function)
  seen.set(meta.name, (seen.get(meta.name) ?? 0) + 1);
  const spec = manifest.functions.find((f) => f.name === meta.name);
  const label = `${fn.stack}/${fn.id}`;
  if (!spec) problems.push(`${label}: "${meta.name}" is not in shared/manifest.ts`);
  if (spec?.localOnly) problems.push(`${label}: "${meta.name}" is local-only and must not be deployed`);
  const wired = describeTrigger(fn);
  if (!wired) problems.push(`${label} (${meta.name}): its ${meta.trigger} trigger is not wired in the template`);
  if (spec) {
    checkStep(fn, spec, label);
    checkGrants(fn, spec, label);
  }
  if (spec?.step) stepFunctions += 1;
  const step = spec?.step ? `step ${spec.step.workflow}/${spec.step.step}` : "";
  console.log(
    ["function ", pad(meta.name, 36), pad(fn.stack, 28), pad(meta.entry, 36), pad(step, 36), wired ?? `(${meta.trigger}: NOT WIRED)`].join(" "),
  );
}
for (const spec of deployable) {
  const count = seen.get(spec.name) ?? 0;
  if (count === 0) problems.push(`manifest function "${spec.name}" (${spec.entry}) has no Lambda in the templates`);
  if (count > 1) problems.push(`manifest function "${spec.name}" is deployed ${count} times`);
}
console.log("");
for (const line of queueLines) console.log(line);

function eventSourceMappings(fn) {
  return ofType("AWS::Lambda::EventSourceMapping").filter((m) => m.stack === fn.stack && referenced(m.stack, m.Properties?.FunctionName).includes(fn));
}

function describeTrigger(fn) {
  const integrations = ofType("AWS::ApiGatewayV2::Integration").filter((i) => i.stack === fn.stack && referenced(i.stack, i.Properties?.IntegrationUri).includes(fn));
  const routeKeys = ofType("AWS::ApiGatewayV2::Route")
    .filter((r) => r.stack === fn.stack && referenced(r.stack, r.Properties?.Target).some((t) => integrations.includes(t)))
    .map((r) => r.Properties.RouteKey);
  if (routeKeys.length > 0) return `http: ${routeKeys.join(", ")}`;
  const mappings = eventSourceMappings(fn);
  if (mappings.length > 0) {
    return mappings
      .map((m) => {
        const failures = m.Properties.FunctionResponseTypes?.includes("ReportBatchItemFailures") ? ", partial batch failures" : "";
        const sources = referenced(m.stack, m.Properties.EventSourceArn).map(queueLabel).join(", ") || JSON.stringify(m.Properties.EventSourceArn);
        return `queue: ${sources} (batch ${m.Properties.BatchSize}${failures})`;
      })
      .join("; ");
  }
  const schedules = ofType("AWS::Scheduler::Schedule").filter((s) => s.stack === fn.stack && referenced(s.stack, s.Properties?.Target?.Arn).includes(fn));
  if (schedules.length > 0) {
    return `schedule: ${schedules
      .map((s) => `${s.Properties.ScheduleExpression}${s.Properties.ScheduleExpression.startsWith("cron(") ? ` ${s.Properties.ScheduleExpressionTimezone ?? "NO TIME ZONE"}` : ""}`)
      .join(", ")}`;
  }
  return undefined;
}

/** A cron schedule runs in the manifest's time zone; a step function consumes exactly its own step queue and says which step it is. */
function checkStep(fn, spec, label) {
  if (spec.trigger.kind === "schedule" && spec.trigger.expression.startsWith("cron(")) {
    for (const s of ofType("AWS::Scheduler::Schedule").filter((s) => referenced(s.stack, s.Properties?.Target?.Arn).includes(fn))) {
      const zone = s.Properties.ScheduleExpressionTimezone;
      if (!zone || (spec.trigger.timezone && zone !== spec.trigger.timezone)) {
        problems.push(`${label} (${spec.name}): cron schedule runs in ${zone ?? "no time zone"}, the manifest says ${spec.trigger.timezone ?? "UTC"}`);
      }
    }
  }
  if (!spec.step) return;
  const stepLabel = `${spec.step.workflow}/${spec.step.step}`;
  if (fn.Properties?.Environment?.Variables?.WORKFLOW_STEP !== stepLabel) problems.push(`${label} (${spec.name}): WORKFLOW_STEP is not ${stepLabel}`);
  const sources = eventSourceMappings(fn).flatMap((m) => referenced(m.stack, m.Properties?.EventSourceArn));
  const own = sources.filter((q) => queueName(q) === spec.trigger.queue && queueMeta(q)?.step === stepLabel);
  if (own.length !== 1 || sources.length !== 1) {
    problems.push(`${label} (${spec.name}): consumes ${sources.map(queueLabel).join(", ") || "nothing"}, not only its step queue ${spec.trigger.queue}`);
  }
}

/**
 * Reads the function role's policies the way IAM does and refuses any permission that
 * no manifest grant of this function explains (the CDK grants' action lists included).
 */
function checkGrants(fn, spec, label) {
  const { grants } = spec;
  const roleId = fn.Properties?.Role?.["Fn::GetAtt"]?.[0];
  const role = byKey.get(`${fn.stack}/${roleId}`);
  if (!role) return problems.push(`${label} (${spec.name}): its role is not in the template`);
  const statements = [
    ...(role.Properties?.Policies ?? []).flatMap((p) => p.PolicyDocument.Statement),
    ...ofType("AWS::IAM::Policy")
      .filter((p) => p.stack === fn.stack && (p.Properties?.Roles ?? []).some((r) => r?.Ref === roleId))
      .flatMap((p) => p.Properties.PolicyDocument.Statement),
  ].filter((s) => s.Effect === "Allow");
  const sendTo = new Set(grants.sendTo ?? []);
  const consumes = new Set(spec.trigger.kind === "queue" ? [spec.trigger.queue] : []);
  const ownLogs = fn.Properties?.LoggingConfig?.LogGroup;
  const beyond = new Set();
  for (const statement of statements) {
    const actions = [statement.Action].flat();
    const targets = referenced(fn.stack, statement.Resource);
    const queuesNamed = targets.map((t) => queueName(t) ?? `${t.Type} ${t.stack}/${t.id}`);
    const onlyQueues = (allowed) => targets.length > 0 && queuesNamed.every((q) => allowed.has(q));
    for (const action of actions) {
      const allowed =
        /^xray:(PutTraceSegments|PutTelemetryRecords)$/.test(action) ||
        (/^logs:(CreateLogStream|PutLogEvents)$/.test(action) && targets.length > 0 && targets.every((t) => referenced(fn.stack, ownLogs).includes(t))) ||
        (/^kms:/.test(action) && targets.length > 0 && targets.every((t) => t.Type === "AWS::KMS::Key")) ||
        (/^dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem)$/.test(action) && grants.table === "readWrite") ||
        (/^dynamodb:(BatchGetItem|GetItem|Query|Scan|ConditionCheckItem|DescribeTable|GetRecords|GetShardIterator)$/.test(action) && Boolean(grants.table)) ||
        (action === "sqs:SendMessage" && onlyQueues(sendTo)) ||
        (/^sqs:(ReceiveMessage|DeleteMessage|ChangeMessageVisibility)$/.test(action) && onlyQueues(consumes)) ||
        (/^sqs:(GetQueueAttributes|GetQueueUrl)$/.test(action) && onlyQueues(new Set([...sendTo, ...consumes]))) ||
        ((/^scheduler:(Create|Delete|Get|Update)Schedule$/.test(action) || action === "iam:PassRole") && Boolean(grants.scheduler)) ||
        ((/^ses:(SendEmail|SendRawEmail)$/.test(action) || /^secretsmanager:(GetSecretValue|DescribeSecret)$/.test(action)) && Boolean(grants.mail)) ||
        (/^sqs:(GetQueueAttributes|GetQueueUrl)$/.test(action) && Boolean(grants.deadLetterDepths) && targets.length === 0) ||
        (action === "dynamodb:DescribeContinuousBackups" && Boolean(grants.backupStatus)) ||
        (action === "s3:PutObject" && grants.files === "readWrite") ||
        (/^s3:(GetObject|ListBucket)$/.test(action) && Boolean(grants.files));
      if (!allowed) beyond.add(/^sqs:/.test(action) ? `${action} on ${queuesNamed.join(", ")}` : action);
    }
  }
  if (beyond.size > 0) problems.push(`${label} (${spec.name}): IAM allows more than its manifest grants: ${[...beyond].join("; ")}`);
}

if (problems.length > 0) {
  console.error(`\n${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  process.exit(1);
}
const functionCount = [...seen.values()].reduce((a, b) => a + b, 0);
console.log(
  `\n${templates.size} stacks, ${functionCount} functions (one per deployable manifest entry, ${stepFunctions} of them workflow steps), ${mainQueues.length} queues, each with a DLQ and its alarm.`,
);
