import type { AppDeps } from "../deps";
import type { OpenTaskSummary } from "../ports/store";
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

/**
 * The agency's uninterpreted documents, reading only its open interpretations. An open
 * interpretation always has exactly one open task (the entry outcome opens the first in the
 * case's own transaction, and every later outcome opens the next or publishes), so the
 * agency's open-task index names them: the inbox passes the summaries it has already read, and
 * only those cases and their documents are read — never the agency's other open cases.
 */
export async function uninterpretedDocumentsOf(
  deps: Pick<AppDeps, "store">,
  agencyCode: string,
  openTasks?: ReadonlyArray<Pick<OpenTaskSummary, "workflow" | "caseId">>,
): Promise<UninterpretedDocument[]> {
  const summaries = openTasks ?? (await deps.store.tasks.openSummaries(agencyCode));
  const ids = [...new Set(summaries.filter((s) => s.workflow === "interpretation").map((s) => s.caseId))];
  if (ids.length === 0) return [];
  // the index is eventually consistent: a task closed a moment ago may still be listed
  const open = (await deps.store.cases.getMany(ids)).filter((c) => c.agencyCode === agencyCode && c.workflow === "interpretation" && !c.closedAt);
  return uninterpretedDocuments(deps, open);
}
