import type { AppDeps } from "../deps";
import type { AgencyRecord, CaseRecord } from "../../domain/records";
import type { Clock } from "../../domain/clock";
import { shanghaiDate } from "../../domain/calendar";
import { commitChange } from "../engine/commit";
import { ConcurrentChangeError } from "../errors";
import { logger } from "../../adapters/logger";
import { buildCaseZip, buildManifest, caseArchiveKey, copiedEntries, entryNames, manifestKey, stableJson } from "./bundle";

/** A concurrent change of a closed case (rare: a late note) is re-read this many times. */
const ATTEMPTS = 3;

/** A file the case names is not in the files bucket: archiving it would lose it, so the case waits. */
export class ArchiveIncompleteError extends Error {
  constructor(
    readonly caseId: string,
    readonly missing: string[],
  ) {
    super(`case ${caseId}: ${missing.length} file(s) missing from the files bucket`);
    this.name = "ArchiveIncompleteError";
  }
}

export interface AgencyArchive {
  agencyCode: string;
  /** tracking numbers archived by this run */
  archived: string[];
  /** archived by an earlier run, left as they were */
  alreadyArchived: number;
  failed: Array<{ trackingNumber: string; caseId: string; error: string }>;
  manifest: string;
  /** false when the manifest already said the same */
  manifestWritten: boolean;
}

export interface YearArchive {
  year: number;
  agencies: AgencyArchive[];
  archived: number;
  failed: number;
}

/** The year before the clock's (Asia/Shanghai): what the January run archives. */
export const previousYear = (clock: Clock) => Number(shanghaiDate(clock.now()).slice(0, 4)) - 1;

/**
 * The yearly archive (seed 六、归档; SPEC §3.1 step 8, §5 item 4): every application closed
 * in `year`, per agency, becomes one zip in the files bucket — its record, its timeline,
 * the check of its audit chain, its letters and attachments — and the case is marked
 * archived with an audit event. A per-agency manifest lists them. Rerunning changes
 * nothing: archived cases are skipped and an unchanged manifest is not rewritten.
 * A case that cannot be archived is reported and left for the next run; the others go on.
 */
export async function archivePreviousYear(deps: AppDeps, year = previousYear(deps.clock)): Promise<YearArchive> {
  const agencies: AgencyArchive[] = [];
  for (const agency of await deps.store.directory.agencies()) agencies.push(await archiveAgency(deps, agency, year));
  const out = {
    year,
    agencies,
    archived: agencies.reduce((n, a) => n + a.archived.length, 0),
    failed: agencies.reduce((n, a) => n + a.failed.length, 0),
  };
  logger.info("yearly archive", { year, archived: out.archived, failed: out.failed });
  return out;
}

async function archiveAgency(deps: AppDeps, agency: AgencyRecord, year: number): Promise<AgencyArchive> {
  const closed = (await deps.store.cases.listClosed(agency.code, year)).filter((c) => c.workflow === "application").sort((a, b) => a.reference.localeCompare(b.reference));
  const result: AgencyArchive = { agencyCode: agency.code, archived: [], alreadyArchived: 0, failed: [], manifest: manifestKey(year, agency.code), manifestWritten: false };
  const archived: CaseRecord[] = [];
  for (const listed of closed) {
    if (listed.archivedAt) {
      result.alreadyArchived++;
      archived.push(listed);
      continue;
    }
    try {
      const { record, byThisRun } = await archiveCase(deps, listed, year);
      if (!record) continue;
      archived.push(record);
      if (byThisRun) result.archived.push(record.reference);
      else result.alreadyArchived++;
    } catch (error) {
      logger.error("case not archived", { agencyCode: agency.code, caseId: listed.caseId, error: error as Error });
      result.failed.push({ trackingNumber: listed.reference, caseId: listed.caseId, error: (error as Error).message });
    }
  }
  const manifest = new TextEncoder().encode(stableJson(buildManifest(year, agency, archived)));
  const existing = await deps.files.get(result.manifest);
  if (!existing || Buffer.compare(Buffer.from(existing.body), Buffer.from(manifest)) !== 0) {
    await deps.files.put(result.manifest, manifest, "application/json; charset=utf-8");
    result.manifestWritten = true;
  }
  return result;
}

/** One case: zip stored first, then the case marked (a crash in between rewrites the same zip next run). */
async function archiveCase(deps: AppDeps, listed: CaseRecord, year: number): Promise<{ record?: CaseRecord; byThisRun: boolean }> {
  for (let attempt = 1; ; attempt++) {
    // the year's index is eventually consistent: the case itself says whether it is archived already
    const c = await deps.store.cases.get(listed.caseId);
    if (!c || !c.closedAt) return { byThisRun: false };
    if (c.archivedAt) return { record: c, byThisRun: false };
    const key = caseArchiveKey(year, c.agencyCode, c.reference);
    const zip = await zipOf(deps, c);
    await deps.files.put(key, zip, "application/zip");
    const now = deps.clock.now().toISOString();
    try {
      const stored = await commitChange(deps, {
        case: { ...c, status: "archived", archivedAt: now },
        expectedVersion: c.version,
        events: [
          {
            actor: { kind: "system" },
            type: "case.archived",
            summary: `归档：${year}年度依申请公开材料已整理归档（${entryNames(c).length} 个文件）`,
            data: { year, key, bytes: zip.byteLength, files: entryNames(c), statusBefore: c.status },
          },
        ],
      });
      logger.info("case archived", { agencyCode: c.agencyCode, caseId: c.caseId, key });
      return { record: stored, byThisRun: true };
    } catch (error) {
      if (!(error instanceof ConcurrentChangeError) || attempt >= ATTEMPTS) throw error;
    }
  }
}

async function zipOf(deps: AppDeps, c: CaseRecord): Promise<Uint8Array> {
  const events = await deps.store.cases.events(c.caseId);
  const copied: Array<{ name: string; body: Uint8Array }> = [];
  const missing: string[] = [];
  for (const entry of copiedEntries(c)) {
    const file = await deps.files.get(entry.source);
    if (file) copied.push({ name: entry.name, body: file.body });
    else missing.push(entry.source);
  }
  if (missing.length) throw new ArchiveIncompleteError(c.caseId, missing);
  return buildCaseZip(c, events, copied);
}
