import * as z from "zod";
import type { ContributionRecord, TransparencyCounters } from "../../../app/ports/store";
import type { Item } from "../table";
import { parseItem } from "./common";

/**
 * The transparency counters (docs/transparency.md). An agency's counters are one item in one
 * of `TRANSPARENCY_SHARDS` partitions (`TRANSPARENCY#<shard>`, sk `AGENCY#<code>`), so the
 * deployment page reads every agency with one Query per shard and no partition takes every
 * agency's writes. A case's contribution sits beside the case (`CASE#<id> / TRANSPARENCY`),
 * a separate item, so case writes never conflict with it.
 */
export const TRANSPARENCY_SHARDS = 16;

export function transparencyShard(agencyCode: string): number {
  let h = 0;
  for (const ch of agencyCode) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h % TRANSPARENCY_SHARDS;
}

export const transparencyPartition = (shard: number) => `TRANSPARENCY#${shard}`;
export const transparencyKey = (agencyCode: string) => ({ pk: transparencyPartition(transparencyShard(agencyCode)), sk: `AGENCY#${agencyCode}` });
export const contributionKey = (caseId: string) => ({ pk: `CASE#${caseId}`, sk: "TRANSPARENCY" });

const counts = z.record(z.string(), z.number());
const countersSchema: z.ZodType<TransparencyCounters> = z.object({ agencyCode: z.string(), counts, version: z.number() });
const contributionSchema: z.ZodType<ContributionRecord> = z.object({ caseId: z.string(), agencyCode: z.string(), caseVersion: z.number(), counts });

export const countersItem = (c: TransparencyCounters): Item => ({ ...transparencyKey(c.agencyCode), agencyCode: c.agencyCode, counts: c.counts, version: c.version });
export const contributionItem = (c: ContributionRecord): Item => ({ ...contributionKey(c.caseId), caseId: c.caseId, agencyCode: c.agencyCode, caseVersion: c.caseVersion, counts: c.counts });

export const parseCounters = (item: Item | undefined) => parseItem(countersSchema, item, "transparency counters");
export const parseContribution = (item: Item | undefined) => parseItem(contributionSchema, item, "transparency contribution");
