import type { AppDeps } from "../deps";
import type { TaskRecord } from "../../domain/records";
import type { ApplicationData } from "../../domain/workflows/application/data";
import type { FeeExtra } from "../../domain/workflows/application/fees";
import { applicantMonthKey, monthOf } from "../../domain/signals";
import { onOutcomePrepared } from "../engine/complete-task";

/**
 * What the per-application fee counts (国办函〔2020〕109号 第四条): the applicant's applications
 * to this agency in the calendar month of this one, from the index the art. 35 signal keeps —
 * one entry per application, keyed by the hash of the ID number or credit code, whatever the channel.
 */
export async function prepareFee(deps: AppDeps, task: TaskRecord): Promise<FeeExtra & Record<string, unknown>> {
  const c = await deps.store.cases.get(task.caseId);
  if (!c) return {};
  const d = c.data as ApplicationData;
  const entries = await deps.store.signals.list(applicantMonthKey(c.agencyCode, d.applicantKey, monthOf(d.submittedOn)));
  const monthApplications = entries.map((e) => ({ caseId: e.caseId, reference: e.reference, at: e.at }));
  // the case itself is indexed when it reaches review; count it even if that write has not happened
  if (!monthApplications.some((e) => e.caseId === c.caseId)) monthApplications.push({ caseId: c.caseId, reference: c.reference, at: d.submittedAt });
  return { monthApplications };
}

onOutcomePrepared("application", "handle", "propose_fee", prepareFee);
