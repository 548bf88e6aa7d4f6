import { appDeps } from "../../shared/adapters/aws/app-deps";
import { sendDutySummaries } from "../../shared/app/duty/summary";

/** The 1st of each month, 09:00 (manifest `duty-summary`): the month before's duty and inspection summary, stored and mailed once. */
export const handler = async () => sendDutySummaries(appDeps());
