import { appDeps } from "../../shared/adapters/aws/app-deps";
import { logger } from "../../shared/adapters/logger";
import { sweepOverdue } from "../../shared/app/engine/sweep";

/** Every 15 minutes: escalates overdue tasks and case deadlines whose timer never arrived. */
export const handler = async (): Promise<{ tasks: number; deadlines: number }> => {
  const swept = await sweepOverdue(appDeps());
  if (swept.tasks + swept.deadlines > 0) logger.warn("overdue deadlines handled by the sweep", swept);
  return swept;
};
