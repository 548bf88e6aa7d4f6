import type { AppProps, Stack } from "aws-cdk-lib";
import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { platformFunctions, stepFunctionsByWorkflow, workflowStackId } from "./deployment";
import { EntryBundles } from "./entry-bundles";
import { logRetentionOf, readAgencySettings } from "./settings";
import { StatefulStack } from "./stateful-stack";
import { StatelessStack } from "./stateless-stack";
import { WorkflowStack } from "./workflow-stack";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export interface GongkaiApp {
  app: App;
  stateful: StatefulStack;
  stateless: StatelessStack;
  /** one stack per workflow, keyed by workflow name */
  workflows: Record<string, WorkflowStack>;
  /** every stack, stateful first */
  stacks: Stack[];
  /** the per-entry bundles (which entries esbuild ran for) */
  bundles: EntryBundles;
}

/**
 * Builds the stateful stack, the stateless stack and one stack per workflow.
 * Env-agnostic on purpose: synth needs no account, region or credentials, and nothing
 * is looked up. `nag` (default true) registers cdk-nag's AWS Solutions checks, so an
 * unacknowledged finding fails `cdk synth`.
 */
export function buildApp(props: AppProps & { nag?: boolean } = {}): GongkaiApp {
  const { nag = true, context, ...appProps } = props;
  // Tests build the app without the CLI: give them the same feature flags cdk.json gives `cdk synth`.
  const app = new App({ ...appProps, context: { ...cdkJsonContext(), ...context } });
  const settings = readAgencySettings((key) => app.node.tryGetContext(key));
  const logRetention = logRetentionOf(settings);
  const bundles = new EntryBundles(repoRoot);

  const stateful = new StatefulStack(app, "GongkaiStateful", { description: "Gongkai (公开): table, key, queues, files" });
  const stateless = new StatelessStack(app, "GongkaiStateless", {
    description: "Gongkai (公开): HTTP API, timers, mail, relay, archiver, Scheduler, alarms",
    stateful,
    settings,
    logRetention,
    bundles,
    functions: platformFunctions,
  });
  const workflows: Record<string, WorkflowStack> = {};
  for (const [workflow, functions] of Object.entries(stepFunctionsByWorkflow)) {
    workflows[workflow] = new WorkflowStack(app, workflowStackId(workflow), {
      description: `Gongkai (公开): the ${workflow} workflow's step functions`,
      workflow,
      functions,
      stateless,
      settings,
      logRetention,
      bundles,
    });
  }
  if (nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stateful, stateless, workflows, stacks: [stateful, stateless, ...Object.values(workflows)], bundles };
}

function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(path.join(repoRoot, "cdk.json"), "utf8")) as { context?: Record<string, unknown> };
  return cdkJson.context ?? {};
}
