/** Queue of a workflow step: `application-approve-correction` for application/approve_correction. */
export function stepQueueName(workflow: string, step: string): string {
  return `${workflow}-${step}`.replaceAll("_", "-");
}

/** Lambda of a workflow step: `application-approve-correction-step`. */
export function stepFunctionName(workflow: string, step: string): string {
  return `${stepQueueName(workflow, step)}-step`;
}
