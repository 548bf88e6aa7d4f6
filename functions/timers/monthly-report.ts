import { appDeps } from "../../shared/adapters/aws/app-deps";
import { sendMonthlyReports } from "../../shared/app/reports/monthly";

/**
 * The 1st of each month, 09:00 Beijing time (manifest `monthly-publishing-report`): stores
 * each agency's report of the month before and mails it to the office director and the
 * publishing section; reruns of the same month store and send nothing twice.
 */
export const handler = async () => sendMonthlyReports(appDeps());
