import type { AppDeps } from "./deps";
import type { StaffPrincipal } from "./auth";
import { ForbiddenError, NotFoundError } from "./errors";
import { taskView, type TaskView } from "./staff-tasks";
import { getCase, getTracking, listCaseTasks, listEvents } from "../adapters/aws/records";
import { hashAccessCode } from "../domain/ids";
import { deadlineKindLabels, evaluateDeadline } from "../domain/deadlines";
import type { ApplicationCase, AuditEvent, LetterRecord } from "../domain/records";
import { verifyChain } from "../domain/audit";
import type { Role } from "../domain/roles";
import { maskApplication } from "./masking";

/** Roles that handle applications and so see the applicant's personal data unmasked. */
const PERSONAL_DATA_ROLES: Role[] = ["office_staff", "office_director", "deputy_leader", "principal_leader"];
/** Roles that may open an application at all: its handlers, the business sections they consult, and audit (masked). */
const CASE_VIEW_ROLES: Role[] = [...PERSONAL_DATA_ROLES, "section_head", "auditor"];

/** Event types the applicant sees on the tracking page; internal reminders stay internal. */
const APPLICANT_VISIBLE = new Set([
  "application.submitted",
  "application.registered",
  "deadline.recomputed",
]);

export interface DeadlineView {
  name: string;
  label: string;
  dueOn: string;
  provisional: boolean;
  paused: boolean;
  explanation: string[];
}

export interface StaffCaseView {
  case: Omit<ApplicationCase, "accessCodeHash">;
  showPersonalData: boolean;
  deadlines: DeadlineView[];
  timeline: AuditEvent[];
  auditTrailIntact: boolean;
  tasks: TaskView[];
  letters: LetterRecord[];
}

export async function viewCaseAsStaff(deps: AppDeps, principal: StaffPrincipal, caseId: string): Promise<StaffCaseView> {
  const record = await getCase(deps.table, caseId);
  // a case of another agency is not there for this caller
  if (!record || record.agencyCode !== principal.agencyCode) throw new NotFoundError("未找到该案件");
  if (!principal.roles.some((r) => CASE_VIEW_ROLES.includes(r))) throw new ForbiddenError("当前角色无权查看依申请公开案件");
  const [events, tasks, calendar] = await Promise.all([
    listEvents(deps.table, caseId),
    listCaseTasks(deps.table, caseId),
    deps.calendar(),
  ]);
  const showPersonalData = principal.roles.some((r) => PERSONAL_DATA_ROLES.includes(r));
  const { accessCodeHash: _hidden, ...rest } = record;
  const now = deps.clock.now();
  return {
    case: showPersonalData ? rest : { ...rest, application: maskApplication(rest.application) },
    showPersonalData,
    deadlines: Object.entries(record.deadlines).map(([name, deadline]) => {
      const e = evaluateDeadline(calendar, deadline);
      return {
        name,
        label: deadlineKindLabels[deadline.kind] ?? name,
        dueOn: e.dueOn,
        provisional: e.provisional,
        paused: e.paused,
        explanation: e.explanation,
      };
    }),
    timeline: events,
    auditTrailIntact: verifyChain(events) === undefined,
    tasks: tasks.map((t) => taskView(t, now)),
    letters: record.letters,
  };
}

export interface ApplicantView {
  trackingNumber: string;
  status: ApplicationCase["status"];
  receivedOn: string | null;
  dueOn: string | null;
  dueIsProvisional: boolean;
  events: Array<{ at: string; type: string; summary: string }>;
  letters: Array<{ letterId: string; kind: string; title: string; issuedAt: string }>;
}

/** The applicant's own view: needs both the tracking number and the access code; either wrong → the same 404. */
export async function viewCaseAsApplicant(
  deps: AppDeps,
  trackingNumber: string,
  accessCode: string | undefined,
): Promise<ApplicantView> {
  const notFound = () => new NotFoundError("申请编号或查询码不正确");
  if (!accessCode) throw notFound();
  const tracking = await getTracking(deps.table, trackingNumber);
  if (!tracking || tracking.accessCodeHash !== hashAccessCode(trackingNumber, accessCode)) throw notFound();
  const record = await getCase(deps.table, tracking.caseId);
  if (!record) throw notFound();
  const events = await listEvents(deps.table, record.caseId);
  return {
    trackingNumber: record.trackingNumber,
    status: record.status,
    receivedOn: record.receivedOn ?? null,
    dueOn: record.dueOn ?? null,
    dueIsProvisional: record.dueIsProvisional ?? false,
    events: events
      .filter((e) => APPLICANT_VISIBLE.has(e.type))
      .map((e) => ({ at: e.at, type: e.type, summary: e.summary })),
    letters: record.letters.map(({ letterId, kind, title, issuedAt }) => ({ letterId, kind, title, issuedAt })),
  };
}
