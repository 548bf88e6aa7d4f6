import type { StackProps } from "aws-cdk-lib";
import { Stack } from "aws-cdk-lib";
import type * as logs from "aws-cdk-lib/aws-logs";
import type { Construct } from "constructs";
import type { FunctionSpec } from "../shared/manifest";
import { queues } from "../shared/manifest";
import type { AppFunction } from "./constructs/app-function";
import type { EntryBundles } from "./entry-bundles";
import { deployFunction } from "./function-wiring";
import { lookup } from "./lookup";
import type { AgencySettings } from "./settings";
import type { StatelessStack } from "./stateless-stack";

export interface WorkflowStackProps extends StackProps {
  workflow: string;
  /** the workflow's step functions (manifest entries with `step.workflow === workflow`) */
  functions: FunctionSpec[];
  /** grant targets (table, queues, files, Scheduler) and the public base URL come from here */
  stateless: StatelessStack;
  settings: AgencySettings;
  logRetention: logs.RetentionDays;
  bundles: EntryBundles;
}

/**
 * One workflow's step consumers: per step a Lambda (the shared step bundle, its own
 * environment and grants) and the event source mapping on that step's queue. The
 * queues stay in the stateful stack, so replacing this stack never loses a hand-off.
 */
export class WorkflowStack extends Stack {
  readonly workflow: string;
  readonly functions: Record<string, AppFunction> = {};

  constructor(scope: Construct, id: string, props: WorkflowStackProps) {
    super(scope, id, props);
    this.workflow = props.workflow;
    for (const spec of props.functions) {
      if (spec.step?.workflow !== props.workflow) throw new Error(`${spec.name} is not a step of the ${props.workflow} workflow`);
      if (spec.trigger.kind !== "queue") throw new Error(`${spec.name}: a workflow step is triggered by its step queue, not ${spec.trigger.kind}`);
      const queueStep = lookup(queues, spec.trigger.queue, "queue").step;
      if (queueStep?.workflow !== spec.step.workflow || queueStep.step !== spec.step.step) {
        throw new Error(`${spec.name}: consumes ${spec.trigger.queue}, which is not the queue of step ${spec.step.workflow}/${spec.step.step}`);
      }
      this.functions[spec.name] = deployFunction(this, spec, {
        targets: props.stateless.grantTargets,
        bundles: props.bundles,
        settings: props.settings,
        logRetention: props.logRetention,
        publicBaseUrl: props.stateless.publicBaseUrl,
      });
    }
  }
}
