import { createHash } from "node:crypto";
import type { AppDeps } from "../deps";
import { ConcurrentChangeError, ConflictError, NotFoundError } from "../errors";
import { applyDecision } from "../engine/apply";
import { decideOrRefuse } from "../engine/run-outcome";
import { onStepOpened } from "../engine/step";
import { onOutcomePrepared } from "../engine/complete-task";
import { takeIndexNumber } from "../publishing/publish";
import { shanghaiDate } from "../../domain/calendar";
import type { CaseRecord } from "../../domain/records";
import { newCaseRecord } from "../../domain/workflows/engine";
import { interpretationWorkflow } from "../../domain/workflows";
import type { DocumentData } from "../../domain/workflows/document/definition";
import type { InterpretationData } from "../../domain/workflows/interpretation/definition";
import { logger } from "../../adapters/logger";

/**
 * The policy interpretation's app side (SPEC §3.4): the issue of a normative document opens
 * its interpretation, and the tech-info section's publication takes an index number and
 * links the entry to its document's.
 *
 * The issue opens the document's `publish_document` step; its Lambda runs the step's hooks
 * on every delivery, so opening the interpretation there is as durable as the hand-off:
 * nothing lost if the process dies, and a second delivery finds the case already there
 * (its id is derived from the document's).
 */

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** A case id (ULID shape) derived from another case's: the same document always yields the same interpretation id. */
export function derivedCaseId(caseId: string, purpose: string): string {
  const digest = createHash("sha256").update(`${purpose}:${caseId}`).digest();
  let tail = "";
  for (let i = 0; i < 16; i++) tail += CROCKFORD[digest[i]! % 32];
  return `${caseId.slice(0, 10)}${tail}`;
}

export const interpretationCaseIdOf = (documentCaseId: string) => derivedCaseId(documentCaseId, "interpretation");

export async function openInterpretation(deps: AppDeps, document: CaseRecord): Promise<"opened" | "exists" | "not_applicable"> {
  const d = document.data as unknown as DocumentData;
  if (document.workflow !== "document" || !d.normative || !d.issued) return "not_applicable";
  const caseId = interpretationCaseIdOf(document.caseId);
  if (await deps.store.cases.get(caseId)) return "exists";
  const now = deps.clock.now();
  const year = Number(shanghaiDate(now).slice(0, 4));
  const reference = `JD-${year}-${String(await deps.store.counters.next(document.agencyCode, `JD#${year}`)).padStart(5, "0")}`;
  const data: InterpretationData = {
    document: { caseId: document.caseId, title: d.title, documentNumber: d.issued.documentNumber, issuedOn: d.issued.issuedOn },
    ...(d.interpretationDraft ? { draft: d.interpretationDraft } : {}),
    drafter: d.drafter,
    finaliseWorkingDays: d.interpretationWorkingDays ?? 0,
  };
  const record = newCaseRecord(interpretationWorkflow, { caseId, agencyCode: document.agencyCode, reference, now, data });
  const decision = decideOrRefuse({
    definition: interpretationWorkflow,
    case: record,
    openTasks: [],
    outcome: "opened",
    input: {},
    actor: { kind: "system", displayName: "系统" },
    calendar: await deps.calendar(),
    now,
    newId: deps.newId,
  });
  try {
    await applyDecision(deps, decision);
  } catch (error) {
    // another delivery of the same hand-off opened it first
    if (error instanceof ConcurrentChangeError) return "exists";
    throw error;
  }
  logger.info("interpretation opened", { agencyCode: document.agencyCode, caseId, documentCaseId: document.caseId });
  return "opened";
}

onStepOpened("document", "publish_document", async (deps, c) => {
  await openInterpretation(deps, c);
});

// the tech-info section publishes: an index number, and the document's entry to link to
onOutcomePrepared("interpretation", "publish_interpretation", "published", async (deps, task) => {
  const c = (await deps.store.cases.get(task.caseId)) as CaseRecord<InterpretationData> | undefined;
  if (!c) throw new NotFoundError("未找到该案件");
  const document = (await deps.store.cases.get(c.data.document.caseId)) as CaseRecord<DocumentData> | undefined;
  const documentIndexNumber = document?.data.published?.indexNumber;
  if (!documentIndexNumber) throw new ConflictError("DOCUMENT_NOT_PUBLISHED", `《${c.data.document.title}》尚未在目录发布，请先发布文件再发布解读`);
  const publisher = (await deps.store.directory.agency(c.agencyCode))?.name ?? c.agencyCode;
  return { ...(await takeIndexNumber(deps, c.agencyCode)), publisher, documentIndexNumber };
});
