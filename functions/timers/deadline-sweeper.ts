import { appDeps } from "../../shared/adapters/aws/app-deps";
import { logger } from "../../shared/adapters/logger";
import { sweepOverdue } from "../../shared/app/sweep-overdue";

/** Every 15 minutes: escalates overdue tasks and answer deadlines whose timer never arrived. */
export const handler = async (): Promise<{ tasks: number; cases: number }> => {
  const swept = await sweepOverdue(appDeps());
  if (swept.tasks + swept.cases > 0) logger.warn("overdue deadlines escalated by the sweep", swept);
  return swept;
};
