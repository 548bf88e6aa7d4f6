/** zh-CN labels for case statuses and workflow steps, shared by pages, letters and the API docs. */

export const caseStatusLabels = {
  received: "已收到，待受理登记",
  registered: "已受理登记",
  under_review: "审查中",
  correction_requested: "待申请人补正",
  in_progress: "办理中",
  extended: "已延期答复",
  replied: "已答复",
  withdrawn: "已撤回（含视为放弃）",
  closed: "已办结",
} as const;

export type CaseStatus = keyof typeof caseStatusLabels;

export const stepLabels = {
  register: "受理登记",
  review: "审查",
  handle: "办理",
  sign_off: "送签",
  reply: "答复",
} as const;

export type StepName = keyof typeof stepLabels;

/** Label of a status; statuses added later by other workflows fall back to their code. */
export function caseStatusLabel(status: string): string {
  return (caseStatusLabels as Record<string, string>)[status] ?? status;
}

export function stepLabel(step: string): string {
  return (stepLabels as Record<string, string>)[step] ?? step;
}
