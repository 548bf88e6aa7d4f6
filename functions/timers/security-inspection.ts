import { appDeps } from "../../shared/adapters/aws/app-deps";
import { openScheduledInspections } from "../../shared/app/duty/inspections";

/** Mondays 10:00 (manifest `security-inspection`): opens the week's inspections, once per agency and week. */
export const handler = async () => openScheduledInspections(appDeps());
