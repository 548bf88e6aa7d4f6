import * as z from "zod";
import type { CaseRecord } from "../../../domain/records";
import { resultCells, type ResultCell } from "../../../domain/report/cells";
import type { Item } from "../table";
import { deadlineSchema, isoDate, parseItem } from "./common";

/**
 * The case item: `CASE#<id> / CASE`, versioned for optimistic locking. gsi2 lists
 * it among its agency's open cases while open, among the cases closed in its year
 * after (reports, the archive). `searchText` is what staff search matches.
 */

export const caseKey = (caseId: string) => ({ pk: `CASE#${caseId}`, sk: "CASE" });
export const openCasesIndex = (agencyCode: string) => ({ index: "gsi2" as const, pk: `AGENCY#${agencyCode}#OPENCASES` });
export const closedCasesIndex = (agencyCode: string, year: number) => ({ index: "gsi2" as const, pk: `AGENCY#${agencyCode}#CLOSED#${year}` });

const caseDeadlineSchema = z.object({
  deadline: deadlineSchema,
  dueOn: isoDate,
  provisional: z.boolean(),
  paused: z.boolean(),
  stopped: z.object({ on: isoDate, reason: z.string() }).optional(),
  timerNames: z.array(z.string()),
  expiredOn: isoDate.optional(),
});

const letterSchema = z.object({
  letterId: z.string(),
  kind: z.string(),
  title: z.string(),
  number: z.string(),
  issuedAt: z.string(),
  issuedOn: isoDate,
  to: z.enum(["applicant", "party", "staff"]),
  recipientName: z.string(),
  files: z.object({ html: z.string(), docx: z.string() }),
});

export const caseSchema: z.ZodType<CaseRecord> = z.object({
  caseId: z.string(),
  agencyCode: z.string(),
  workflow: z.string(),
  status: z.string(),
  reference: z.string(),
  createdAt: z.string(),
  createdOn: isoDate,
  data: z.record(z.string(), z.unknown()),
  deadlines: z.record(z.string(), caseDeadlineSchema),
  steps: z.record(z.string(), z.object({ round: z.number().int() })),
  flags: z.array(z.string()),
  letters: z.array(letterSchema),
  result: z
    .object({
      cell: z.enum(Object.keys(resultCells) as [ResultCell, ...ResultCell[]]),
      replyType: z.string(),
      ground: z.string().optional(),
      closedOn: isoDate,
    })
    .optional(),
  closedAt: z.string().optional(),
  archivedAt: z.string().optional(),
  version: z.number().int(),
  eventCount: z.number().int(),
  lastEventHash: z.string(),
});

/** What staff search matches: the reference and the words a workflow marks searchable. */
export function caseItem(record: CaseRecord, searchText: string): Item {
  const index = record.closedAt
    ? { gsi2pk: closedCasesIndex(record.agencyCode, Number(record.result?.closedOn.slice(0, 4) ?? record.closedAt.slice(0, 4))).pk, gsi2sk: `${record.closedAt}#${record.caseId}` }
    : { gsi2pk: openCasesIndex(record.agencyCode).pk, gsi2sk: `${record.createdAt}#${record.caseId}` };
  return { ...caseKey(record.caseId), ...index, ...record, searchText };
}

export function parseCase(item: Item | undefined): CaseRecord | undefined {
  if (!item) return undefined;
  const { searchText: _searchText, ...rest } = item;
  return parseItem(caseSchema, rest, "case");
}

/** The attributes of `data` the reports read (SPEC §5): only these travel when a report reads a period. */
export const REPORT_DATA_ATTRIBUTES = ["receivedOn", "submittedOn", "applicantColumn", "remedies", "fee"] as const;
