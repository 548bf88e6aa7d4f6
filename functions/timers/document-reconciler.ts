import { appDeps } from "../../shared/adapters/aws/app-deps";
import { openMonthlyReconciliations } from "../../shared/app/publishing/reconcile";

/**
 * On the first of each month (manifest `document-reconciler`): opens each agency's
 * reconciliation of the documents issued the month before. Reruns open nothing twice.
 */
export const handler = async () => openMonthlyReconciliations(appDeps());
