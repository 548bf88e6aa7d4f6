import * as z from "zod";
import type { CatalogueEntry } from "../../../domain/catalogue/entry";
import type { Item } from "../table";
import { isoDate, parseItem } from "./common";

/**
 * Catalogue entries: `CATALOGUE#<agency>` / `ENTRY#<year>-<sequence>`, one partition per
 * agency in index-number order, versioned by `revision` (a correction or withdrawal
 * rewrites the entry; the text as first published stays on its case and in the archive).
 */

export const catalogueKey = (agencyCode: string, year: number, sequence: number) => ({
  pk: `CATALOGUE#${agencyCode}`,
  sk: `ENTRY#${year}-${String(sequence).padStart(9, "0")}`,
});
export const cataloguePartition = (agencyCode: string) => `CATALOGUE#${agencyCode}`;

const attachmentSchema = z.object({ name: z.string(), key: z.string(), contentType: z.string(), size: z.number() });

export const catalogueEntrySchema: z.ZodType<CatalogueEntry> = z.object({
  agencyCode: z.string(),
  indexNumber: z.string(),
  year: z.number().int(),
  sequence: z.number().int(),
  kind: z.enum(["publication", "document", "interpretation"]),
  caseId: z.string(),
  title: z.string(),
  column: z.string(),
  documentNumber: z.string().optional(),
  writtenOn: isoDate,
  publisher: z.string(),
  disclosureMode: z.string(),
  scope: z.string(),
  publishedAt: z.string(),
  publishedOn: isoDate,
  bodyHtml: z.string(),
  text: z.string(),
  attachments: z.array(attachmentSchema),
  status: z.enum(["published", "withdrawn"]),
  corrections: z.array(z.object({ at: z.string(), on: isoDate, note: z.string() })),
  withdrawn: z.object({ at: z.string(), on: isoDate, note: z.string() }).optional(),
  revision: z.number().int(),
  interprets: z.string().optional(),
});

export const catalogueItem = (e: CatalogueEntry): Item => ({ ...catalogueKey(e.agencyCode, e.year, e.sequence), ...e });
export const parseCatalogueEntry = (item: Item | undefined) => parseItem(catalogueEntrySchema, item, "catalogue entry");
