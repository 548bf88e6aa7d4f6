import type { AppDeps } from "../deps";
import { catalogueEntries } from "../catalogue/read";
import type { CatalogueEntry } from "../../domain/catalogue/entry";
import type { CaseRecord } from "../../domain/records";
import type { DocumentData } from "../../domain/workflows/document/definition";
import type { ConsultationData } from "../../domain/workflows/consultation/data";
import { consultationPath } from "../../domain/workflows/consultation/data";

/** What a catalogue page links to beside itself: a document's interpretation and consultation, an interpretation's document. */
export interface EntryRelations {
  interpretations: Array<{ indexNumber: string; title: string }>;
  document?: { indexNumber: string; title: string; documentNumber?: string };
  consultation?: { href: string; title: string; opensOn: string; closesOn: string; comments: number; summaryPublished: boolean };
}

export async function entryRelations(deps: Pick<AppDeps, "store">, entry: CatalogueEntry): Promise<EntryRelations> {
  const out: EntryRelations = { interpretations: [] };
  if (entry.kind === "interpretation" && entry.interprets) {
    const document = await deps.store.catalogue.get(entry.agencyCode, entry.interprets);
    if (document) out.document = { indexNumber: document.indexNumber, title: document.title, ...(document.documentNumber ? { documentNumber: document.documentNumber } : {}) };
    return out;
  }
  if (entry.kind !== "document") return out;
  // both ways: the interpretation entry names its document; the document finds it here
  const all = await catalogueEntries(deps, entry.agencyCode);
  out.interpretations = all.filter((e) => e.kind === "interpretation" && e.interprets === entry.indexNumber && e.status === "published").map((e) => ({ indexNumber: e.indexNumber, title: e.title }));
  const documentCase = (await deps.store.cases.get(entry.caseId)) as CaseRecord<DocumentData> | undefined;
  const consultationId = documentCase?.data.consultationCaseId;
  const consultation = consultationId ? ((await deps.store.cases.get(consultationId)) as CaseRecord<ConsultationData> | undefined) : undefined;
  if (consultation?.data.period) {
    out.consultation = {
      href: consultationPath(consultation.caseId),
      title: consultation.data.title,
      opensOn: consultation.data.period.opensOn,
      closesOn: consultation.data.period.closesOn,
      comments: consultation.data.comments.length,
      summaryPublished: Boolean(consultation.data.summary),
    };
  }
  return out;
}
