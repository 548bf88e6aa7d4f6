import { appDeps } from "../../shared/adapters/aws/app-deps";
import { openDutyDays } from "../../shared/app/duty/days";

/**
 * Every day at 08:30 Beijing time (manifest `duty-day-opener`): opens each agency's duty
 * day when the calendar says it is a working day and the roster names an officer. Reruns
 * open nothing twice.
 */
export const handler = async () => openDutyDays(appDeps());
