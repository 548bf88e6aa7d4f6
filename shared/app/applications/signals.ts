import type { AppDeps } from "../deps";
import type { Write } from "../ports/store";
import type { CaseRecord, TaskRecord } from "../../domain/records";
import type { ApplicationData } from "../../domain/workflows/application/data";
import {
  applicantMonthKey,
  assessSignals,
  informationFingerprint,
  informationKey,
  monthOf,
  signalLines,
  signalSummary,
  type SameInformationCase,
} from "../../domain/signals";
import { onStepOpened } from "../engine/step";
import { commitChange } from "../engine/commit";
import { mailToRoles } from "../mail";
import { ConcurrentChangeError } from "../errors";
import { logger } from "../../adapters/logger";

/** Who is told when a signal fires: the office decides what to do with it. */
const TOLD = ["office_staff"] as const;
/** Newest applications for one piece of information that are looked at (more adds nothing to the hint). */
const SAME_INFORMATION_LOOKUP = 200;
/** A concurrent change of the case (someone completing its review) is re-read this many times. */
const ATTEMPTS = 4;

/**
 * Signals the law asks for, computed when a registered application reaches its first review:
 * art. 35 (one applicant's applications clearly exceed a reasonable range), art. 44
 * (several applicants ask for the same information: publish it proactively) and
 * art. 36(6) (the same as one already answered: a possible repeat).
 *
 * Once per case: the case's `data.signals` says it was done, so a redelivered hand-off,
 * a later review round or a second call changes nothing.
 */
export async function recordSignals(deps: AppDeps, c: CaseRecord, task: TaskRecord): Promise<void> {
  if (c.workflow !== "application" || task.round !== 1) return;
  let current: CaseRecord | undefined = c;
  for (let attempt = 1; ; attempt++) {
    if (!current || (current.data as ApplicationData).signals) return;
    try {
      await recordOnce(deps, current);
      return;
    } catch (error) {
      if (!(error instanceof ConcurrentChangeError) || attempt >= ATTEMPTS) throw error;
      current = await deps.store.cases.get(c.caseId);
    }
  }
}

async function recordOnce(deps: AppDeps, c: CaseRecord): Promise<void> {
  const d = c.data as ApplicationData;
  // the month and the order of applications go by submission, which corrections do not move
  const month = monthOf(d.submittedOn);
  const at = d.submittedAt;
  const fingerprint = informationFingerprint(d.application);
  const monthKey = applicantMonthKey(c.agencyCode, d.applicantKey, month);
  const infoKey = informationKey(c.agencyCode, fingerprint);
  const [monthEntries, infoEntries] = await Promise.all([deps.store.signals.list(monthKey), deps.store.signals.list(infoKey, SAME_INFORMATION_LOOKUP)]);

  const applicationsThisMonth = new Set(monthEntries.map((e) => e.caseId).filter((id) => id !== c.caseId)).size + 1;
  const atOf = new Map(infoEntries.filter((e) => e.caseId !== c.caseId).map((e) => [e.caseId, e.at]));
  const others = atOf.size ? await deps.store.cases.getMany([...atOf.keys()]) : [];
  const sameFingerprint: SameInformationCase[] = others.map((o) => ({
    caseId: o.caseId,
    reference: o.reference,
    applicantKey: (o.data as ApplicationData).applicantKey,
    at: atOf.get(o.caseId)!,
    replyType: o.result?.replyType,
    answeredAt: o.result ? o.closedAt : undefined,
  }));
  const assessment = assessSignals({ caseId: c.caseId, applicantKey: d.applicantKey, at, applicationsThisMonth, sameFingerprint });

  const next: CaseRecord = {
    ...c,
    data: {
      ...d,
      signals: { applicationsThisMonth, sameInformation: assessment.sameInformation, possibleRepeatOf: assessment.possibleRepeatOf },
    } satisfies ApplicationData,
    flags: [...new Set([...c.flags, ...assessment.flags])],
  };
  const lines = signalLines(assessment, month);
  const mail = lines.length
    ? await mailToRoles(deps.store, c.agencyCode, TOLD, {
        subject: `【提示】依申请公开：${c.reference}`,
        text: [`申请 ${c.reference} 受理登记后的核查发现：`, ...lines.map((l, i) => `${i + 1}. ${l}`), `查看案件：${deps.config.publicBaseUrl}/console/cases/${c.caseId}`].join("\n"),
        caseId: c.caseId,
      })
    : [];
  // the entries are keyed by the submission instant, so writing them again replaces them
  const entries: Write[] = [monthKey, infoKey].map((key) => ({ kind: "signal", signal: { key, caseId: c.caseId, at, reference: c.reference } }));
  await commitChange(deps, {
    case: next,
    expectedVersion: c.version,
    events: [
      {
        actor: { kind: "system" },
        type: "signals.recorded",
        summary: signalSummary(assessment, month),
        data: { month, fingerprint, ...assessment },
      },
    ],
    outbox: mail,
    extra: entries,
  });
  if (assessment.flags.length) logger.info("application signals", { agencyCode: c.agencyCode, caseId: c.caseId, flags: assessment.flags });
}

onStepOpened("application", "review", recordSignals);
