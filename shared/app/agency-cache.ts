import type { AppDeps } from "./deps";
import type { AgencyRecord } from "../domain/records";

/**
 * An agency's profile as intake needs it (it exists; its name for the receipt), reused for a
 * minute per process: every submission read it again, one more round trip before the commit.
 * A renamed agency shows its new name in receipts within the minute; an unknown code is not
 * remembered, so a newly created agency takes applications at once.
 */
export const AGENCY_TTL_MS = 60_000;

const perStore = new WeakMap<object, Map<string, { at: number; agency: AgencyRecord }>>();

export async function cachedAgency(deps: Pick<AppDeps, "store" | "clock">, code: string): Promise<AgencyRecord | undefined> {
  const now = deps.clock.now().getTime();
  const cache = perStore.get(deps.store) ?? new Map<string, { at: number; agency: AgencyRecord }>();
  perStore.set(deps.store, cache);
  const hit = cache.get(code);
  // a clock moved back (the local stack's clock can be) reads afresh too
  if (hit && now >= hit.at && now - hit.at < AGENCY_TTL_MS) return hit.agency;
  const agency = await deps.store.directory.agency(code);
  if (agency) cache.set(code, { at: now, agency });
  else cache.delete(code);
  return agency;
}
