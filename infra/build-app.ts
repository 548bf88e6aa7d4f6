import type { AppProps } from "aws-cdk-lib";
import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { readAgencySettings } from "./settings";
import { StatefulStack } from "./stateful-stack";
import { StatelessStack } from "./stateless-stack";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export interface GongkaiApp {
  app: App;
  stateful: StatefulStack;
  stateless: StatelessStack;
}

/**
 * Builds both stacks. Env-agnostic on purpose: synth needs no account, region or
 * credentials, and nothing is looked up. `nag` (default true) registers cdk-nag's
 * AWS Solutions checks, so an unacknowledged finding fails `cdk synth`.
 */
export function buildApp(props: AppProps & { nag?: boolean } = {}): GongkaiApp {
  const { nag = true, context, ...appProps } = props;
  // Tests build the app without the CLI: give them the same feature flags cdk.json gives `cdk synth`.
  const app = new App({ ...appProps, context: { ...cdkJsonContext(), ...context } });
  const settings = readAgencySettings((key) => app.node.tryGetContext(key));
  const stateful = new StatefulStack(app, "GongkaiStateful", { description: "Gongkai (公开): table, key, queues, files" });
  const stateless = new StatelessStack(app, "GongkaiStateless", {
    description: "Gongkai (公开): functions, HTTP API, schedules, alarms",
    stateful,
    settings,
    repoRoot,
  });
  if (nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stateful, stateless };
}

function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(path.join(repoRoot, "cdk.json"), "utf8")) as { context?: Record<string, unknown> };
  return cdkJson.context ?? {};
}
