import { applicationWorkflow } from "./application/definition";
import { publicationWorkflow } from "./publication/definition";
import { documentWorkflow } from "./document/definition";
import { reconciliationWorkflow } from "./reconciliation/definition";
import { catalogueChangeWorkflow } from "./catalogue-change/definition";
import { consultationWorkflow } from "./consultation/definition";
import { interpretationWorkflow } from "./interpretation/definition";
import { dutyDayWorkflow } from "./duty/day";
import { incidentWorkflow } from "./duty/incident";
import { voteWorkflow } from "./duty/vote";
import { inspectionWorkflow } from "./duty/inspection";
import type { AnyOutcome, AnyStep, AnyWorkflow } from "./types";

export * from "./types";
export { applicationWorkflow } from "./application/definition";
export { publicationWorkflow } from "./publication/definition";
export { documentWorkflow } from "./document/definition";
export { reconciliationWorkflow } from "./reconciliation/definition";
export { catalogueChangeWorkflow } from "./catalogue-change/definition";
export { consultationWorkflow } from "./consultation/definition";
export { interpretationWorkflow } from "./interpretation/definition";
export { dutyDayWorkflow } from "./duty/day";
export { incidentWorkflow } from "./duty/incident";
export { voteWorkflow } from "./duty/vote";
export { inspectionWorkflow } from "./duty/inspection";

/** Every workflow on the engine; adding one adds its steps' queues and Lambdas (shared/manifest.ts). */
export const workflows: Record<string, AnyWorkflow> = {
  [applicationWorkflow.workflow]: applicationWorkflow,
  [publicationWorkflow.workflow]: publicationWorkflow,
  [documentWorkflow.workflow]: documentWorkflow,
  [reconciliationWorkflow.workflow]: reconciliationWorkflow,
  [catalogueChangeWorkflow.workflow]: catalogueChangeWorkflow,
  [consultationWorkflow.workflow]: consultationWorkflow,
  [interpretationWorkflow.workflow]: interpretationWorkflow,
  [dutyDayWorkflow.workflow]: dutyDayWorkflow,
  [incidentWorkflow.workflow]: incidentWorkflow,
  [voteWorkflow.workflow]: voteWorkflow,
  [inspectionWorkflow.workflow]: inspectionWorkflow,
};

export function workflowDefinition(workflow: string): AnyWorkflow {
  const definition = workflows[workflow];
  if (!definition) throw new Error(`unknown workflow ${workflow}`);
  return definition;
}

export function stepDefinition(workflow: string, step: string): AnyStep {
  const definition = workflows[workflow]?.steps[step];
  if (!definition) throw new Error(`unknown step ${workflow}/${step}`);
  return definition;
}

export function outcomeDefinition(workflow: string, step: string, outcome: string): AnyOutcome | undefined {
  return stepDefinition(workflow, step).outcomes.find((o) => o.outcome === outcome);
}

/** Every (workflow, step) pair, in definition order: one queue and one Lambda each. */
export function allSteps(): Array<{ workflow: string; step: string; title: string; automatic: boolean }> {
  return Object.values(workflows).flatMap((w) => Object.values(w.steps).map((s) => ({ workflow: w.workflow, step: s.step, title: s.title, automatic: s.automatic ?? false })));
}
