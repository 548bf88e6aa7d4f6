import { zipSync, type Zippable } from "fflate";
import type { AuditEvent, CaseRecord } from "../../domain/records";
import { verifyChain } from "../../domain/audit";
import { resultCellLabel } from "../../domain/report/cells";
import type { ApplicationData } from "../../domain/workflows/application/data";

/**
 * What one case's archive holds and how it is laid out (seed 六、归档): the pure part of
 * the yearly archive. The same case always gives the same bytes, so a rerun after a
 * crash rewrites an identical zip and the manifest can be rebuilt from the records.
 */

export const archivePrefix = (year: number, agencyCode: string) => `archive/${year}/${agencyCode}/`;
export const caseArchiveKey = (year: number, agencyCode: string, trackingNumber: string) => `${archivePrefix(year, agencyCode)}${trackingNumber}.zip`;
export const manifestKey = (year: number, agencyCode: string) => `${archivePrefix(year, agencyCode)}index.json`;

/** One file of the archive copied from the files bucket. */
export interface CopiedEntry {
  name: string;
  /** files bucket key */
  source: string;
  /** what the entry is, for the manifest */
  label: string;
}

/** The entries every archive has, in archive order. */
export const recordEntries = ["record.json", "timeline.json", "audit-check.json"] as const;

const extensionOf = (key: string) => /\.([A-Za-z0-9]+)$/.exec(key)?.[1] ?? "bin";
const seq = (n: number) => String(n).padStart(2, "0");

/** The letters (.docx and .html) and the applicant's attachments, with names that sort in issue order. */
export function copiedEntries(c: CaseRecord): CopiedEntry[] {
  const out: CopiedEntry[] = [];
  c.letters.forEach((l, i) => {
    // ASCII names: every unzip tool shows them the same; the title is in the manifest
    const base = `letters/${seq(i + 1)}-${l.kind.replace(/[^A-Za-z0-9_-]/g, "_")}`;
    out.push({ name: `${base}.docx`, source: l.files.docx, label: `${l.title} ${l.number}`.trim() });
    out.push({ name: `${base}.html`, source: l.files.html, label: `${l.title} ${l.number}`.trim() });
  });
  const attachments = (c.data as Partial<ApplicationData>).attachments ?? [];
  attachments.forEach((a, i) => out.push({ name: `attachments/${seq(i + 1)}.${extensionOf(a.key)}`, source: a.key, label: a.name }));
  return out;
}

/** Every entry name of a case's archive, in archive order. */
export const entryNames = (c: CaseRecord) => [...recordEntries, ...copiedEntries(c).map((e) => e.name)];

/** Keys of the stored case that name an access code (none today: the tracking item keeps its hash), left out all the same. */
const ACCESS_CODE = /access_?code/i;

/**
 * JSON with object keys sorted at every level, so the bytes do not depend on the order a
 * store returns attributes in; keys matching `omit` are left out.
 */
export function stableJson(value: unknown, omit?: RegExp): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === "object") {
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>)
          .filter(([k, x]) => x !== undefined && !omit?.test(k))
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([k, x]) => [k, sort(x)]),
      );
    }
    return v;
  };
  return `${JSON.stringify(sort(value), null, 2)}\n`;
}

export interface AuditCheck {
  /** the hash chain verifies from the first event to the last */
  intact: boolean;
  /** seq of the first event whose hash does not verify */
  firstBrokenSeq: number | null;
  eventCount: number;
  lastHash: string | null;
  /** the case record agrees with its trail (count and last hash): no event missing at the end */
  matchesRecord: boolean;
}

export function auditCheck(c: CaseRecord, events: AuditEvent[]): AuditCheck {
  const broken = verifyChain(events);
  const last = [...events].sort((a, b) => a.seq - b.seq).at(-1);
  return {
    intact: broken === undefined,
    firstBrokenSeq: broken ?? null,
    eventCount: events.length,
    lastHash: last?.hash ?? null,
    matchesRecord: events.length === c.eventCount && (last?.hash ?? null) === (events.length ? c.lastEventHash : null),
  };
}

/**
 * The day the case closed, as a zip timestamp. Zip times are local wall-clock fields
 * (fflate reads them with getFullYear() etc.), so the date is built from local fields:
 * the same on a UTC Lambda and a Beijing laptop.
 */
function entryTime(c: CaseRecord): Date {
  const day = c.result?.closedOn ?? c.closedAt?.slice(0, 10) ?? c.createdOn;
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return new Date(y, m - 1, d, 12, 0, 0);
}

/** The case's zip: record, timeline, audit check, then the copied files in `copiedEntries` order. */
export function buildCaseZip(c: CaseRecord, events: AuditEvent[], copied: Array<{ name: string; body: Uint8Array }>): Uint8Array {
  const mtime = entryTime(c);
  const text = (s: string) => new TextEncoder().encode(s);
  const files: Zippable = {
    "record.json": [text(stableJson(c, ACCESS_CODE)), { mtime }],
    // the timeline as chained, untouched: anyone can re-verify its hashes from the archive alone
    "timeline.json": [text(stableJson([...events].sort((a, b) => a.seq - b.seq))), { mtime }],
    "audit-check.json": [text(stableJson(auditCheck(c, events))), { mtime }],
  };
  for (const f of copied) files[f.name] = [f.body, { mtime }];
  return zipSync(files, { level: 6 });
}

export interface ManifestCase {
  trackingNumber: string;
  caseId: string;
  applicantColumn: string | null;
  replyType: string | null;
  resultCell: string | null;
  resultLabel: string | null;
  closedOn: string | null;
  archivedAt: string | null;
  archive: string;
  files: Array<{ name: string; label: string }>;
}

export interface Manifest {
  year: number;
  agencyCode: string;
  agencyName: string;
  count: number;
  cases: ManifestCase[];
}

/** The agency's index of its archived cases of the year, in tracking-number order. */
export function buildManifest(year: number, agency: { code: string; name: string }, archived: CaseRecord[]): Manifest {
  const cases = [...archived]
    .sort((a, b) => a.reference.localeCompare(b.reference))
    .map<ManifestCase>((c) => ({
      trackingNumber: c.reference,
      caseId: c.caseId,
      applicantColumn: (c.data as Partial<ApplicationData>).applicantColumn ?? null,
      replyType: c.result?.replyType ?? null,
      resultCell: c.result?.cell ?? null,
      resultLabel: c.result ? resultCellLabel(c.result.cell) : null,
      closedOn: c.result?.closedOn ?? null,
      archivedAt: c.archivedAt ?? null,
      archive: caseArchiveKey(year, c.agencyCode, c.reference),
      files: [
        { name: "record.json", label: "案件记录" },
        { name: "timeline.json", label: "办理过程（审计日志）" },
        { name: "audit-check.json", label: "审计日志完整性核验" },
        ...copiedEntries(c).map(({ name, label }) => ({ name, label })),
      ],
    }));
  return { year, agencyCode: agency.code, agencyName: agency.name, count: cases.length, cases };
}
