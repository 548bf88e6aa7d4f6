import { appDeps } from "../../shared/adapters/aws/app-deps";
import { sendWeeklyReports } from "../../shared/app/reports/weekly";

/**
 * Each Monday 09:00 Beijing time (manifest `weekly-risk-report`): stores each agency's
 * weekly risk report and mails it to the office director and deputy leader. The week
 * comes from the injected clock (the local host's movable clock there); reruns of the
 * same week store and send nothing twice.
 */
export const handler = async () => sendWeeklyReports(appDeps());
