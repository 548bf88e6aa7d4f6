export { receiptRule } from "./receipt";
export type { ReceiptChannel, ReceiptResult } from "./receipt";
export {
  startDeadline,
  restartDeadline,
  pauseDeadline,
  resumeDeadline,
  extendDeadline,
  evaluateDeadline,
  dueMoment,
  reminderMoments,
  DeadlineRuleError,
} from "./deadline";
export type {
  Deadline,
  DeadlineEvent,
  DeadlineEventInput,
  DeadlineLimits,
  DeadlineRuleCode,
  DeadlineEvaluation,
  ReminderMoment,
} from "./deadline";
export { statutoryPeriods, answerWarningWorkingDays, deadlineKindLabels } from "./periods";
