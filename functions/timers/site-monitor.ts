import { appDeps } from "../../shared/adapters/aws/app-deps";
import { runSiteChecks } from "../../shared/app/duty/site-checks";

/**
 * At the set check times (manifest `site-monitor`): each agency's pages are fetched and
 * recorded; an outage or an unexpected change opens an incident. Once per agency and hour.
 */
export const handler = async () => runSiteChecks(appDeps());
