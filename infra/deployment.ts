import type { FunctionSpec } from "../shared/manifest";
import { functions } from "../shared/manifest";
import { pascalCase } from "./names";

/** Functions deployed to AWS: every manifest entry except the local-only ones. */
export const deployableFunctions: FunctionSpec[] = functions.filter((spec) => !spec.localOnly);

/** The stateless stack's functions: HTTP, timers, mail, relay, archiver — everything that is not a workflow step. */
export const platformFunctions: FunctionSpec[] = deployableFunctions.filter((spec) => !spec.step);

/**
 * Step functions grouped by workflow, one stack each. A step adds five resources to its
 * workflow's stack (function, role, policy, log group, event source mapping), one to the
 * stateless stack (its DLQ's alarm) and four to the stateful one (queue, DLQ and their
 * TLS-only policies); all workflows' steps in the stateless stack would crowd
 * CloudFormation's 500-resource limit, and one workflow's change would redeploy them all.
 */
export const stepFunctionsByWorkflow: Record<string, FunctionSpec[]> = deployableFunctions.reduce<Record<string, FunctionSpec[]>>((byWorkflow, spec) => {
  if (spec.step) (byWorkflow[spec.step.workflow] ??= []).push(spec);
  return byWorkflow;
}, {});

/** `application` → `GongkaiWorkflowApplication`. */
export function workflowStackId(workflow: string): string {
  return `GongkaiWorkflow${pascalCase(workflow)}`;
}

/** Our ceiling per template, well under CloudFormation's 500 so a few more steps never break a deploy. */
export const maxResourcesPerStack = 450;

/**
 * Our ceiling of outputs per template (CloudFormation allows 200). Every queue that another
 * stack uses is exported from the stateful stack (ARN, URL, its DLQ's name for the alarm), so
 * the stateful stack's outputs grow by three per workflow step; the operators' queue URLs
 * share a few outputs (infra/names.ts QUEUE_URLS_OUTPUT_PREFIX).
 */
export const maxOutputsPerStack = 180;
