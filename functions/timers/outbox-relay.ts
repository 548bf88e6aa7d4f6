import { appDeps } from "../../shared/adapters/aws/app-deps";
import { logger } from "../../shared/adapters/logger";

/** Runs every minute: hands on outbox messages whose writer died before sending them. */
export const handler = async (): Promise<{ relayed: number }> => {
  const deps = appDeps();
  // the same clock that stamped the records, so a moved local clock cannot hide them
  const relayed = await deps.outbox.relayPending(deps.clock.now());
  if (relayed > 0) logger.info("outbox relayed", { relayed });
  return { relayed };
};
