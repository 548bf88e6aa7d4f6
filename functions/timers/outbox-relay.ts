import { appDeps } from "../../shared/adapters/aws/app-deps";
import { logger } from "../../shared/adapters/logger";

/** Messages younger than this are probably still being sent by the writer itself. */
const GRACE_MS = 30_000;

/** Runs every minute: hands on outbox messages whose writer died before sending them. */
export const handler = async (): Promise<{ relayed: number }> => {
  const deps = appDeps();
  // the same clock that stamped the records, so a moved local clock cannot hide them
  const relayed = await deps.outbox.relayPending(new Date(deps.clock.now().getTime() - GRACE_MS));
  if (relayed > 0) logger.info("outbox relayed", { relayed });
  return { relayed };
};
