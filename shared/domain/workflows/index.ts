import { applicationWorkflow } from "./application";
import type { StepDefinition, WorkflowDefinition } from "./types";

export * from "./types";
export { applicationWorkflow } from "./application";

export const workflows: Record<string, WorkflowDefinition> = {
  [applicationWorkflow.workflow]: applicationWorkflow,
};

export function stepDefinition(workflow: string, step: string): StepDefinition {
  const definition = workflows[workflow]?.steps[step];
  if (!definition) throw new Error(`unknown step ${workflow}/${step}`);
  return definition;
}
