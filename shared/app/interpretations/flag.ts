import type { AppDeps } from "../deps";
import type { CaseRecord } from "../../domain/records";
import type { DocumentData } from "../../domain/workflows/document/definition";
import type { InterpretationData } from "../../domain/workflows/interpretation/definition";

/**
 * Normative documents already published in the catalogue whose interpretation is not
 * (SPEC §3.4: every such document is published with its interpretation): flagged on the
 * console's front page and in the weekly report until the interpretation is published.
 */
export interface UninterpretedDocument {
  documentCaseId: string;
  title: string;
  documentNumber: string;
  indexNumber: string;
  publishedOn: string;
  interpretationCaseId: string;
  interpretationReference: string;
  interpretationStatus: string;
}

/** From an agency's open cases (as the weekly report and the inbox already read them). */
export async function uninterpretedDocuments(deps: Pick<AppDeps, "store">, openCases: readonly CaseRecord[]): Promise<UninterpretedDocument[]> {
  const pending = openCases.filter((c) => c.workflow === "interpretation") as unknown as Array<CaseRecord<InterpretationData>>;
  if (pending.length === 0) return [];
  const documents = new Map((await deps.store.cases.getMany(pending.map((c) => c.data.document.caseId))).map((c) => [c.caseId, c as unknown as CaseRecord<DocumentData>]));
  const out: UninterpretedDocument[] = [];
  for (const c of pending) {
    const published = documents.get(c.data.document.caseId)?.data.published;
    if (!published) continue;
    out.push({
      documentCaseId: c.data.document.caseId,
      title: c.data.document.title,
      documentNumber: c.data.document.documentNumber,
      indexNumber: published.indexNumber,
      publishedOn: published.on,
      interpretationCaseId: c.caseId,
      interpretationReference: c.reference,
      interpretationStatus: c.status,
    });
  }
  return out.sort((a, b) => a.publishedOn.localeCompare(b.publishedOn));
}

export async function uninterpretedDocumentsOf(deps: Pick<AppDeps, "store">, agencyCode: string): Promise<UninterpretedDocument[]> {
  return uninterpretedDocuments(deps, await deps.store.cases.listOpen(agencyCode));
}
