import type { AppDeps } from "../deps";
import { ConcurrentChangeError } from "../errors";
import { commitChange } from "../engine/commit";
import { shanghaiDate } from "../../domain/calendar";
import type { CaseRecord } from "../../domain/records";
import { stepQueueName } from "../../domain/workflows/names";
import { newCaseRecord } from "../../domain/workflows/engine";
import { reconciliationWorkflow, type Discrepancy, type IssuedDocument, type ReconciliationData } from "../../domain/workflows/reconciliation/definition";
import type { DocumentData } from "../../domain/workflows/document/definition";
import { logger } from "../../adapters/logger";

/**
 * The monthly reconciliation (seed 公文类信息主动公开工作流程 四): one case per agency and
 * month, listing the documents issued that month beside what the catalogue holds; a
 * proactive document not in the catalogue is a discrepancy the office must resolve.
 * Once per agency and month: the case id is claimed, so a rerun opens nothing twice.
 */

/** The month before the clock's (Asia/Shanghai), as YYYY-MM. */
export function previousMonth(now: Date): string {
  const [y, m] = shanghaiDate(now).split("-").map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
}

async function documentsIssuedIn(deps: AppDeps, agencyCode: string, month: string): Promise<Array<CaseRecord<DocumentData>>> {
  const year = Number(month.slice(0, 4));
  const candidates = [...(await deps.store.cases.listOpen(agencyCode)), ...(await deps.store.cases.listClosed(agencyCode, year)), ...(await deps.store.cases.listClosed(agencyCode, year + 1))];
  const seen = new Set<string>();
  const issued = candidates.filter((c) => {
    if (c.workflow !== "document" || seen.has(c.caseId)) return false;
    seen.add(c.caseId);
    return (c.data as unknown as DocumentData).issued?.issuedOn.startsWith(month) ?? false;
  });
  return issued as unknown as Array<CaseRecord<DocumentData>>;
}

export async function openReconciliation(deps: AppDeps, agencyCode: string, month: string): Promise<{ caseId?: string; issued: number; discrepancies: number }> {
  const claim = `reconciliation#${agencyCode}#${month}`;
  if (await deps.store.claims.get(claim)) return { issued: 0, discrepancies: 0 };
  const documents = await documentsIssuedIn(deps, agencyCode, month);
  const issued: IssuedDocument[] = documents
    .map((c) => ({
      caseId: c.caseId,
      title: c.data.title,
      documentNumber: c.data.issued!.documentNumber,
      issuedOn: c.data.issued!.issuedOn,
      attribute: c.data.attribute,
      ...(c.data.published ? { indexNumber: c.data.published.indexNumber } : {}),
    }))
    .sort((a, b) => a.issuedOn.localeCompare(b.issuedOn) || a.documentNumber.localeCompare(b.documentNumber));
  const discrepancies: Discrepancy[] = issued.filter((d) => d.attribute === "proactive" && !d.indexNumber).map((d) => ({ documentNumber: d.documentNumber, title: d.title, problem: "not_published" }));
  const now = deps.clock.now();
  const caseId = deps.newId();
  const data: ReconciliationData = { month, issued, discrepancies };
  const record = newCaseRecord(reconciliationWorkflow, { caseId, agencyCode, reference: `BD-${month}`, now, data });

  try {
    await commitChange(deps, {
      case: record,
      events: [{ actor: { kind: "system" }, type: "reconciliation.opened", summary: `${month} 印发公文 ${issued.length} 件，其中主动公开尚未发布 ${discrepancies.length} 件` }],
      outbox: [{ kind: "queue", queue: stepQueueName("reconciliation", "reconcile"), body: { type: "task.opened", caseId, workflow: "reconciliation", step: "reconcile" } }],
      extra: [{ kind: "claim", key: claim, value: { caseId } }],
    });
  } catch (error) {
    // a concurrent run opened it
    if (error instanceof ConcurrentChangeError) return { issued: 0, discrepancies: 0 };
    throw error;
  }
  logger.info("reconciliation opened", { agencyCode, caseId, month, issued: issued.length, discrepancies: discrepancies.length });
  return { caseId, issued: issued.length, discrepancies: discrepancies.length };
}

/** Every agency's reconciliation of the month before the clock's. */
export async function openMonthlyReconciliations(deps: AppDeps, month = previousMonth(deps.clock.now())) {
  const agencies = await deps.store.directory.agencies();
  const out = [];
  for (const a of agencies) out.push({ agencyCode: a.code, ...(await openReconciliation(deps, a.code, month)) });
  return { month, agencies: out };
}
