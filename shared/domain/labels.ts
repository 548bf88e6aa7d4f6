/** zh-CN labels of statuses and steps, read from the workflow definitions (one place for each label). */
import { workflows } from "./workflows";
import { applicationWorkflow } from "./workflows/application/definition";

export const caseStatusLabels: Record<string, string> = applicationWorkflow.statuses;

export const stepLabels: Record<string, string> = Object.fromEntries(
  Object.values(workflows).flatMap((w) => Object.values(w.steps).map((s) => [s.step, s.title])),
);

/** Label of a status; a status no definition knows falls back to its code. */
export function caseStatusLabel(status: string): string {
  return caseStatusLabels[status] ?? status;
}

export function stepLabel(step: string): string {
  return stepLabels[step] ?? step;
}
