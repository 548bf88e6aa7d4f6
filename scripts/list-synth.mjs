#!/usr/bin/env node
// After `cdk synth`: one line per Lambda function (logical id, entry, trigger as wired in
// the template) and one per queue with its dead-letter queue. Exits 1 when a deployable
// manifest function is missing, a local-only one is present, a trigger is not wired, or
// a queue has no DLQ. Usage: node scripts/list-synth.mjs [cdk.out]
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { tsImport } from "tsx/esm/api";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outDir = path.resolve(process.argv[2] ?? path.join(repoRoot, "cdk.out"));
const manifest = await tsImport("../shared/manifest.ts", import.meta.url);

const problems = [];
const resources = new Map(); // logicalId -> resource (logical ids are unique per template; prefix with stack)
const all = [];
for (const file of readdirSync(outDir).filter((f) => f.endsWith(".template.json"))) {
  const stack = file.replace(/\.template\.json$/, "");
  const template = JSON.parse(readFileSync(path.join(outDir, file), "utf8"));
  for (const [id, resource] of Object.entries(template.Resources ?? {})) {
    const entry = { stack, id, ...resource };
    resources.set(`${stack}/${id}`, entry);
    all.push(entry);
  }
}
if (all.length === 0) {
  console.error(`no templates in ${outDir}: run \`cdk synth\` first`);
  process.exit(1);
}

const ofType = (type) => all.filter((r) => r.Type === type);
/** Logical id a Ref / Fn::GetAtt points at, if any. */
const target = (value) => value?.Ref ?? value?.["Fn::GetAtt"]?.[0];
/** Our own metadata (infra/constructs/work-queues.ts); `aws:cdk:path` is absent outside the CLI. */
const queueMeta = (r) => r.Metadata?.["gongkai:queue"];
const queueLabel = (r) => (queueMeta(r) ? `${r.stack}:${queueMeta(r).name}${queueMeta(r).kind === "deadLetters" ? " (DLQ)" : ""}` : `${r.stack}/${r.id}`);

// --- functions -----------------------------------------------------------------
const deployable = manifest.functions.filter((f) => !f.localOnly);
const seen = new Set();
for (const fn of ofType("AWS::Lambda::Function")) {
  const meta = fn.Metadata?.["gongkai:function"];
  if (!meta) continue; // not one of ours (e.g. a CDK helper function)
  seen.add(meta.name);
  const spec = manifest.functions.find((f) => f.name === meta.name);
  if (!spec) problems.push(`${fn.id}: "${meta.name}" is not in shared/manifest.ts`);
  if (spec?.localOnly) problems.push(`${fn.id}: "${meta.name}" is local-only and must not be deployed`);
  const wired = describeTrigger(fn);
  if (!wired) problems.push(`${fn.id} (${meta.name}): its ${meta.trigger} trigger is not wired in the template`);
  console.log(`function  ${fn.id.padEnd(36)} ${meta.entry.padEnd(36)} ${wired ?? `(${meta.trigger}: NOT WIRED)`}`);
}
for (const spec of deployable) {
  if (!seen.has(spec.name)) problems.push(`manifest function "${spec.name}" (${spec.entry}) has no Lambda in the templates`);
}

function describeTrigger(fn) {
  const isThis = (value) => target(value) === fn.id;
  const integrations = ofType("AWS::ApiGatewayV2::Integration").filter((i) => i.stack === fn.stack && isThis(i.Properties?.IntegrationUri));
  const routeKeys = ofType("AWS::ApiGatewayV2::Route")
    .filter((r) => integrations.some((i) => JSON.stringify(r.Properties?.Target ?? "").includes(`"${i.id}"`)))
    .map((r) => r.Properties.RouteKey);
  if (routeKeys.length > 0) return `http: ${routeKeys.join(", ")}`;
  const mappings = ofType("AWS::Lambda::EventSourceMapping").filter((m) => m.stack === fn.stack && isThis(m.Properties?.FunctionName));
  if (mappings.length > 0) {
    return mappings
      .map((m) => {
        const failures = m.Properties.FunctionResponseTypes?.includes("ReportBatchItemFailures") ? ", partial batch failures" : "";
        return `queue: ${sourceName(m.Properties.EventSourceArn)} (batch ${m.Properties.BatchSize}${failures})`;
      })
      .join("; ");
  }
  const schedules = ofType("AWS::Scheduler::Schedule").filter((s) => s.stack === fn.stack && isThis(s.Properties?.Target?.Arn));
  if (schedules.length > 0) return `schedule: ${schedules.map((s) => s.Properties.ScheduleExpression).join(", ")}`;
  return undefined;
}

/** A queue ARN as a readable name: the producing queue's construct path when cross-stack. */
function sourceName(arn) {
  const imported = arn?.["Fn::ImportValue"];
  const local = target(arn);
  const queue = all.find(
    (r) => r.Type === "AWS::SQS::Queue" && ((local && r.id === local) || (imported && imported.includes(r.id))),
  );
  return queue ? queueLabel(queue) : JSON.stringify(arn);
}

// --- queues --------------------------------------------------------------------
const queuesInTemplates = ofType("AWS::SQS::Queue");
const deadLetterIds = new Set(
  queuesInTemplates.map((q) => target(q.Properties?.RedrivePolicy?.deadLetterTargetArn)).filter(Boolean),
);
// A queue is a DLQ when it says so or when another queue redrives into it; every other queue needs one.
const isDeadLetterQueue = (q) => queueMeta(q)?.kind === "deadLetters" || deadLetterIds.has(q.id);
const mainQueues = queuesInTemplates.filter((q) => !isDeadLetterQueue(q));
for (const queue of mainQueues) {
  const redrive = queue.Properties?.RedrivePolicy;
  const dlq = queuesInTemplates.find((q) => q.stack === queue.stack && q.id === target(redrive?.deadLetterTargetArn));
  if (!dlq) problems.push(`queue ${queueLabel(queue)} has no dead-letter queue`);
  console.log(
    `queue     ${queue.id.padEnd(36)} ${queueLabel(queue).padEnd(36)} ${dlq ? `DLQ ${dlq.id} after ${redrive.maxReceiveCount} receives` : "NO DLQ"}`,
  );
}
for (const name of manifest.queueNames) {
  if (!mainQueues.some((q) => queueMeta(q)?.name === name)) problems.push(`manifest queue "${name}" is missing from the templates`);
}

if (problems.length > 0) {
  console.error(`\n${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  process.exit(1);
}
console.log(`\n${seen.size} functions (one per deployable manifest entry), ${mainQueues.length} queues, each with a DLQ.`);
