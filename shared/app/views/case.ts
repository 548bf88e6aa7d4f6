import type { AppDeps } from "../deps";
import type { StaffPrincipal } from "../auth";
import { ForbiddenError, NotFoundError } from "../errors";
import { maskApplication } from "../masking";
import { taskView, type TaskView } from "./tasks";
import type { AuditEvent, CaseDeadline, CaseRecord, LetterRecord } from "../../domain/records";
import { verifyChain } from "../../domain/audit";
import type { WorkingCalendar } from "../../domain/calendar";
import { shanghaiDate } from "../../domain/calendar";
import { evaluateDeadline, type DeadlineEvaluation } from "../../domain/deadlines";
import { workflows } from "../../domain/workflows";
import { resultCellLabel } from "../../domain/report/cells";
import type { ApplicationData } from "../../domain/workflows/application/data";
import { groundLabels, replyTypeLabels } from "../../domain/workflows/application/labels";
import type { ReplyType } from "../../domain/report/cells";

export interface DeadlineView {
  name: string;
  label: string;
  dueOn: string;
  provisional: boolean;
  paused: boolean;
  stopped: boolean;
  stoppedReason?: string;
  /** working days from today to the due day, while it runs (0: due today, negative: overdue) */
  workingDaysLeft: number | null;
  overdue: boolean;
  /** zh-CN lines: how the date was worked out, with who changed the clock and when (Beijing time) */
  explanation: string[];
  /** the days skipped or counted specially */
  steps: DeadlineEvaluation["steps"];
}

export function deadlineViews(c: CaseRecord, calendar: WorkingCalendar, now: Date): DeadlineView[] {
  const definition = workflows[c.workflow];
  const today = shanghaiDate(now);
  return Object.entries(c.deadlines).map(([name, d]: [string, CaseDeadline]) => {
    const last = d.deadline.events[d.deadline.events.length - 1]?.on ?? today;
    const e = evaluateDeadline(calendar, d.deadline, today < last ? last : today);
    const running = !d.stopped;
    const left = running && !e.paused ? calendar.workingDaysBetween(today, e.dueOn) : null;
    const explanation = [...e.explanation];
    if (d.stopped) explanation.push(`${d.stopped.on} 停止计算：${d.stopped.reason}`);
    return {
      name,
      label: definition?.deadlines[name]?.label ?? name,
      dueOn: e.dueOn,
      provisional: e.provisional,
      paused: e.paused,
      stopped: Boolean(d.stopped),
      ...(d.stopped ? { stoppedReason: d.stopped.reason } : {}),
      workingDaysLeft: left,
      overdue: running && !e.paused && left !== null && left < 0,
      explanation,
      steps: e.steps,
    };
  });
}

export interface StaffCaseView {
  case: Record<string, unknown> & {
    caseId: string;
    workflow: string;
    status: string;
    statusLabel: string;
    trackingNumber: string;
    reference: string;
    receivedOn: string | null;
    dueOn: string | null;
    dueIsProvisional: boolean;
    flags: string[];
    result: (CaseRecord["result"] & { label: string; replyTypeLabel: string; groundLabel?: string }) | null;
  };
  showPersonalData: boolean;
  deadlines: DeadlineView[];
  timeline: AuditEvent[];
  auditTrailIntact: boolean;
  /** every task of the case, newest first; open ones with what the caller may do */
  tasks: TaskView[];
  letters: LetterRecord[];
}

/** Flat case fields (SPEC §7 `GET /api/v1/cases/{caseId}`): the envelope, and for applications their data beside it. */
export function caseFields(c: CaseRecord, showPersonalData: boolean, calendar: WorkingCalendar, now: Date): StaffCaseView["case"] {
  const definition = workflows[c.workflow];
  const { application, ...data } = c.data as Partial<ApplicationData> & Record<string, unknown>;
  const answer = c.deadlines.answer ? deadlineViews({ ...c, deadlines: { answer: c.deadlines.answer } }, calendar, now)[0] : undefined;
  const result = c.result
    ? {
        ...c.result,
        label: resultCellLabel(c.result.cell),
        replyTypeLabel: replyTypeLabels[c.result.replyType as ReplyType] ?? c.result.replyType,
        ...(c.result.ground ? { groundLabel: groundLabels[c.result.ground] ?? c.result.ground } : {}),
      }
    : null;
  return {
    ...data,
    ...(application ? { application: showPersonalData ? application : maskApplication(application) } : {}),
    caseId: c.caseId,
    agencyCode: c.agencyCode,
    workflow: c.workflow,
    status: c.status,
    statusLabel: definition?.statuses[c.status] ?? c.status,
    reference: c.reference,
    trackingNumber: (data.trackingNumber as string | undefined) ?? c.reference,
    receivedOn: (data.receivedOn as string | undefined) ?? null,
    dueOn: answer?.dueOn ?? null,
    dueIsProvisional: answer?.provisional ?? false,
    createdAt: c.createdAt,
    closedAt: c.closedAt ?? null,
    archivedAt: c.archivedAt ?? null,
    flags: c.flags,
    result,
    letters: c.letters,
    version: c.version,
  };
}

export async function viewCaseAsStaff(deps: AppDeps, principal: StaffPrincipal, caseId: string): Promise<StaffCaseView> {
  const c = await deps.store.cases.get(caseId);
  // a case of another agency is not there for this caller
  if (!c || c.agencyCode !== principal.agencyCode) throw new NotFoundError("未找到该案件");
  const definition = workflows[c.workflow];
  if (!definition || !principal.roles.some((r) => definition.viewRoles.includes(r))) throw new ForbiddenError(`当前角色无权查看${definition?.label ?? ""}案件`);
  const [events, tasks, calendar] = await Promise.all([deps.store.cases.events(caseId), deps.store.tasks.ofCase(caseId), deps.calendar()]);
  const showPersonalData = principal.roles.some((r) => definition.personalDataRoles.includes(r));
  const now = deps.clock.now();
  return {
    case: caseFields(c, showPersonalData, calendar, now),
    showPersonalData,
    deadlines: deadlineViews(c, calendar, now),
    timeline: events,
    auditTrailIntact: verifyChain(events) === undefined,
    tasks: tasks.sort((a, b) => b.openedAt.localeCompare(a.openedAt) || b.taskId.localeCompare(a.taskId)).map((t) => taskView(t, c, principal, calendar, now)),
    letters: c.letters,
  };
}
