import type { AppDeps } from "./deps";
import { ValidationError } from "./errors";
import { commitCaseChange } from "./case-change";
import { parseApplicationInput } from "../schemas/application";
import { shanghaiDate } from "../domain/calendar";
import { formatTrackingNumber, hashAccessCode, newAccessCode, newId } from "../domain/ids";
import { GENESIS_HASH } from "../domain/audit";
import type { ApplicationCase } from "../domain/records";
import { getAgency, nextSequence, putTracking } from "../adapters/aws/records";
import { logger } from "../adapters/logger";

export interface SubmittedApplication {
  trackingNumber: string;
  accessCode: string;
  status: ApplicationCase["status"];
  caseId: string;
  agencyName: string;
}

/**
 * Intake of an online application (SPEC §3.1 step 1). The case, its first audit
 * event, the tracking-number claim and the hand-off to the registration step are
 * one transaction; the registration step then opens the office's task.
 */
export async function submitApplication(deps: AppDeps, body: unknown): Promise<SubmittedApplication> {
  const now = deps.clock.now();
  const today = shanghaiDate(now);
  const parsed = parseApplicationInput(body, today);
  if (!parsed.ok) throw new ValidationError(parsed.error.code, parsed.error.message, parsed.error.fields);
  const input = parsed.value;

  const agency = await getAgency(deps.table, input.agencyCode);
  if (!agency) {
    throw new ValidationError("VALIDATION_FAILED", "提交的内容有误，请按提示修改", [
      { path: "agencyCode", code: "unknown_agency", message: "受理机关不存在，请选择正确的机关" },
    ]);
  }

  const year = Number(today.slice(0, 4));
  const sequence = await nextSequence(deps.table, agency.code, `APPLICATION#${year}`);
  const trackingNumber = formatTrackingNumber(agency.code, year, sequence);
  const accessCode = newAccessCode();
  const accessCodeHash = hashAccessCode(trackingNumber, accessCode);
  const caseId = newId(now);

  const record: ApplicationCase = {
    caseId,
    agencyCode: agency.code,
    workflow: "application",
    status: "received",
    trackingNumber,
    accessCodeHash,
    channel: "online",
    submittedAt: now.toISOString(),
    submittedOn: today,
    application: input,
    deadlines: {},
    flags: [],
    version: 0,
    eventCount: 0,
    lastEventHash: GENESIS_HASH,
    letters: [],
  };

  await commitCaseChange(deps, {
    next: record,
    events: [
      {
        actor: { kind: "applicant" },
        type: "application.submitted",
        summary: "申请人通过网上申请平台提交政府信息公开申请",
        data: { channel: "online", trackingNumber },
      },
    ],
    outbox: [{ kind: "queue", queue: "registration", body: { type: "application.received", caseId } }],
    extra: [putTracking(deps.table, trackingNumber, caseId, accessCodeHash)],
  });

  logger.info("application received", { agencyCode: agency.code, caseId, trackingNumber });
  return { trackingNumber, accessCode, status: record.status, caseId, agencyName: agency.name };
}
