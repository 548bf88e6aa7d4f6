import type * as logs from "aws-cdk-lib/aws-logs";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import type { Construct } from "constructs";
import type { FunctionSpec } from "../shared/manifest";
import { queues } from "../shared/manifest";
import { AppFunction } from "./constructs/app-function";
import type { GongkaiHttpApi } from "./constructs/http-api";
import { ScheduledInvoke } from "./constructs/scheduled-invoke";
import type { EntryBundles } from "./entry-bundles";
import type { GrantTargets } from "./grants";
import { applyGrants, functionEnvironment } from "./grants";
import { lookup } from "./lookup";
import { pascalCase } from "./names";
import type { AgencySettings } from "./settings";

/** What any stack needs to turn a manifest entry into a deployed, wired, least-privilege function. */
export interface FunctionContext {
  targets: GrantTargets;
  bundles: EntryBundles;
  settings: AgencySettings;
  logRetention: logs.RetentionDays;
  publicBaseUrl: string;
  /** only the stateless stack has one; an HTTP function elsewhere is a wiring mistake */
  httpApi?: GongkaiHttpApi;
}

/** One manifest entry → its Lambda (shared bundle), its grants, its trigger. */
export function deployFunction(scope: Construct, spec: FunctionSpec, ctx: FunctionContext): AppFunction {
  const fn = new AppFunction(scope, pascalCase(spec.name), {
    spec,
    code: ctx.bundles.codeFor(scope, spec.entry),
    environment: functionEnvironment(spec, ctx.targets, ctx.publicBaseUrl),
    logLevel: ctx.settings.logLevel,
    logRetention: ctx.logRetention,
  });
  applyGrants(fn, spec, ctx.targets);
  wireTrigger(scope, fn, spec, ctx);
  return fn;
}

function wireTrigger(scope: Construct, target: AppFunction, spec: FunctionSpec, ctx: FunctionContext): void {
  const { trigger } = spec;
  switch (trigger.kind) {
    case "http":
      if (!ctx.httpApi) throw new Error(`${spec.name}: HTTP functions belong in the stack that holds the HTTP API`);
      ctx.httpApi.route(spec.name, target.fn, trigger.paths);
      return;
    case "queue": {
      const visibility = lookup(queues, trigger.queue, "queue").visibilityTimeoutSeconds;
      // Lambda rejects a mapping whose queue may redeliver while the function still runs.
      if ((spec.timeoutSeconds ?? 30) > visibility) {
        throw new Error(`${spec.name}: timeout exceeds the ${trigger.queue} queue's visibility timeout (${visibility}s)`);
      }
      const queue = ctx.targets.queues.queue(trigger.queue);
      target.fn.addEventSource(new SqsEventSource(queue, { batchSize: trigger.batchSize, reportBatchItemFailures: true }));
      // The consumer backs a failed message off itself (shared/adapters/aws/queue-consumer.ts):
      // it finds its queue's URL and changes that message's visibility. The mapping's consume
      // grant happens to include both; named here so the backoff never rests on CDK's choice
      // (IAM policy minimisation merges the two statements).
      queue.grant(target.fn, "sqs:ChangeMessageVisibility", "sqs:GetQueueUrl");
      return;
    }
    case "schedule":
      new ScheduledInvoke(scope, `${pascalCase(spec.name)}Schedule`, { name: spec.name, fn: target.fn, trigger });
      return;
  }
}
