import type { AppDeps } from "../deps";
import type { TransparencyCounters, Write } from "../ports/store";
import { ConcurrentChangeError, NotFoundError } from "../errors";
import { shanghaiDate } from "../../domain/calendar";
import { applyDifference, contributionOf, difference, sumCounts, transparencyFigures, type TransparencyFigures } from "../../domain/transparency/figures";

/**
 * Keeps the transparency counters (docs/transparency.md): a "case changed" message moves the
 * case's new figures into its agency's counter item, and records which case version they
 * are of (its contribution) in the same transaction. Redelivered or late messages find the
 * contribution at that version or newer and move nothing; a crash before the commit moves
 * nothing either, and the redelivery (or the outbox relay) counts it then.
 */

export type CountResult = "counted" | "unchanged" | "missing";

const MAX_ATTEMPTS = 20;

export async function countCaseChange(deps: Pick<AppDeps, "store" | "clock" | "calendar">, caseId: string): Promise<CountResult> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const [c, before] = await Promise.all([deps.store.cases.get(caseId), deps.store.transparency.contribution(caseId)]);
    if (!c) return "missing";
    if (before && before.caseVersion >= c.version) return "unchanged";
    const counts = contributionOf(await deps.calendar(), c, shanghaiDate(deps.clock.now()));
    const delta = difference(counts, before?.counts ?? {});
    const writes: Write[] = [
      { kind: "contribution", contribution: { caseId, agencyCode: c.agencyCode, caseVersion: c.version, counts }, ...(before ? { expectedCaseVersion: before.caseVersion } : {}) },
    ];
    if (Object.keys(delta).length > 0) {
      const current = await deps.store.transparency.counters(c.agencyCode);
      const version = current?.version ?? 0;
      writes.push({ kind: "transparency", counters: { agencyCode: c.agencyCode, counts: applyDifference(current?.counts ?? {}, delta), version }, expectedVersion: version });
    }
    try {
      await deps.store.commit(writes);
      return "counted";
    } catch (error) {
      // another case of the agency (or a second delivery of this one) moved first: read again
      if (!(error instanceof ConcurrentChangeError)) throw error;
    }
  }
  throw new Error(`transparency counters of case ${caseId}: still contended after ${MAX_ATTEMPTS} attempts`);
}

export interface AgencyTransparency {
  agency: { code: string; name: string };
  /** the Beijing day the figures are of */
  asOf: string;
  figures: TransparencyFigures;
}

export interface DeploymentTransparency {
  asOf: string;
  agencies: number;
  figures: TransparencyFigures;
  /** each agency's headline figures this year, by agency code */
  byAgency: Array<{ agencyCode: string; received: number; answered: number; onTime: number; openNow: number; overdueNow: number }>;
}

/** One agency's page: its counter item, one read. Unknown agency → 404. */
export async function agencyTransparency(deps: Pick<AppDeps, "store" | "clock">, agencyCode: string): Promise<AgencyTransparency> {
  const [agency, counters] = await Promise.all([deps.store.directory.agency(agencyCode), deps.store.transparency.counters(agencyCode)]);
  if (!agency) throw new NotFoundError("未找到该机关");
  const asOf = shanghaiDate(deps.clock.now());
  return { agency: { code: agency.code, name: agency.name }, asOf, figures: transparencyFigures(counters?.counts ?? {}, asOf) };
}

/**
 * How long one instance reuses the deployment's counters: every agency's items are a few MB
 * at province scale, and the page says "live" to the minute (its HTTP answer is cacheable as long).
 */
export const DEPLOYMENT_TTL_MS = 60_000;
const deploymentCache = new WeakMap<object, { at: number; all: TransparencyCounters[] }>();

/** The deployment's page: every agency's counter item (a query per shard, reused for a minute), added up. */
export async function deploymentTransparency(deps: Pick<AppDeps, "store" | "clock">): Promise<DeploymentTransparency> {
  const now = deps.clock.now().getTime();
  const cached = deploymentCache.get(deps.store);
  const all = cached && now - cached.at < DEPLOYMENT_TTL_MS && now >= cached.at ? cached.all : await deps.store.transparency.allCounters();
  if (all !== cached?.all) deploymentCache.set(deps.store, { at: now, all });
  const asOf = shanghaiDate(deps.clock.now());
  const year = asOf.slice(0, 4);
  // every agency of the directory (the list the portal reuses), at zero until a case of its changes
  const counted = new Map(all.map((a) => [a.agencyCode, a.counts]));
  const codes = [...new Set([...(await deps.store.directory.agencies()).map((a) => a.code), ...counted.keys()])].sort();
  return {
    asOf,
    agencies: codes.length,
    figures: transparencyFigures(sumCounts(all.map((a) => a.counts)), asOf),
    byAgency: codes.map((agencyCode) => {
      const c = counted.get(agencyCode) ?? {};
      return {
        agencyCode,
        received: c[`received:${year}`] ?? 0,
        answered: c[`answered:${year}`] ?? 0,
        onTime: (c[`onTime:${year}`] ?? 0) + (c[`onTimeExtended:${year}`] ?? 0),
        openNow: c["open"] ?? 0,
        overdueNow: c["overdue"] ?? 0,
      };
    }),
  };
}
