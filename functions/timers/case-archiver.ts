import { appDeps } from "../../shared/adapters/aws/app-deps";
import { archivePreviousYear, previousYear, type YearArchive } from "../../shared/app/archive";

/**
 * Each January (manifest `case-archiver`): archives the previous year's closed
 * applications. The year comes from the injected clock, so the local host's movable
 * clock decides it there. A case that could not be archived fails the invocation
 * after every other case was done, so the Scheduler retries the run (its retry policy
 * spans a day) and the log says which; archived cases are skipped on every rerun.
 */
export const handler = async (): Promise<YearArchive> => {
  const deps = appDeps();
  const result = await archivePreviousYear(deps, previousYear(deps.clock));
  if (result.failed > 0) throw new Error(`${result.failed} case(s) of ${result.year} not archived; see the log`);
  return result;
};
