import type { IsoDate } from "../calendar";

/**
 * An entry of the public catalogue (政府信息公开目录): what the public page of a
 * published item or document shows, with the metadata block of the seed's portal.
 */

export interface CatalogueAttachment {
  name: string;
  /** files bucket key */
  key: string;
  contentType: string;
  size: number;
}

/** A correction published on the entry's page (the old text stays in the archive). */
export interface CatalogueCorrection {
  at: string;
  on: IsoDate;
  note: string;
}

export type CatalogueKind = "publication" | "document" | "interpretation";

export interface CatalogueEntry {
  agencyCode: string;
  /** 索引号 `agencyCode/YYYY-NNNNNN`, never reused */
  indexNumber: string;
  year: number;
  sequence: number;
  kind: CatalogueKind;
  /** the case that published it */
  caseId: string;
  title: string;
  /** catalogue column code (columns.ts) */
  column: string;
  /** 文件编号 (documents) */
  documentNumber?: string;
  /** 成文日期 (documents: the day it was issued; items: the day approved) */
  writtenOn: IsoDate;
  /** 发布机构 */
  publisher: string;
  /** 公开方式, e.g. 主动公开 */
  disclosureMode: string;
  /** 公开范围, e.g. 面向全社会 */
  scope: string;
  publishedAt: string;
  publishedOn: IsoDate;
  /** sanitized HTML of the body as published (after redaction) */
  bodyHtml: string;
  /** plain text of the body, for full-text search */
  text: string;
  attachments: CatalogueAttachment[];
  status: "published" | "withdrawn";
  corrections: CatalogueCorrection[];
  withdrawn?: { at: string; on: IsoDate; note: string };
  /** 1 when first published, +1 per correction or withdrawal */
  revision: number;
  /** a policy interpretation: the index number of the normative document it interprets */
  interprets?: string;
}

export function formatIndexNumber(agencyCode: string, year: number, sequence: number): string {
  return `${agencyCode}/${year}-${String(sequence).padStart(6, "0")}`;
}

export const indexNumberPattern = /^(\d{15})\/(\d{4})-(\d{6,})$/;

/** Index numbers in URLs: `/catalogue/001008010002002/2024-157175` needs no escaping. */
export function parseIndexNumber(value: string): { agencyCode: string; year: number; sequence: number } | undefined {
  const m = indexNumberPattern.exec(value);
  return m ? { agencyCode: m[1]!, year: Number(m[2]), sequence: Number(m[3]) } : undefined;
}

/** A first publication: proactive disclosure to the whole public, revision 1, nothing corrected yet. */
export function newCatalogueEntry(
  f: Omit<CatalogueEntry, "disclosureMode" | "scope" | "status" | "corrections" | "revision" | "withdrawn"> & Partial<Pick<CatalogueEntry, "disclosureMode" | "scope">>,
): CatalogueEntry {
  return { disclosureMode: "主动公开", scope: "面向全社会", ...f, status: "published", corrections: [], revision: 1 };
}
