import { appDeps } from "../../shared/adapters/aws/app-deps";
import { sendAnnualReportDrafts } from "../../shared/app/reports/annual-copy";

/**
 * 2 January, 09:00 Beijing time (manifest `annual-report-draft`): stores each agency's
 * annual report of the year just ended, as counted, and mails it to those who finalise it;
 * reruns of the same year store and send nothing twice.
 */
export const handler = async () => sendAnnualReportDrafts(appDeps());
