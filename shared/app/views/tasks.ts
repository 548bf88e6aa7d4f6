import type { AppDeps } from "../deps";
import type { StaffPrincipal } from "../auth";
import { actingRole } from "../engine/complete-task";
import type { CaseRecord, TaskRecord } from "../../domain/records";
import type { OutcomeField } from "../../domain/workflows";
import { workflows } from "../../domain/workflows";
import { outcomesFor } from "../../domain/workflows/engine";
import type { WorkingCalendar } from "../../domain/calendar";
import { shanghaiDate } from "../../domain/calendar";

export interface OutcomeView {
  outcome: string;
  label: string;
  fields: OutcomeField[];
}

export interface TaskView {
  taskId: string;
  caseId: string;
  workflow: string;
  workflowLabel: string;
  step: string;
  round: number;
  role: string;
  status: TaskRecord["status"];
  title: string;
  instructions: string;
  /** the case's reference; for applications, its tracking number */
  reference: string;
  trackingNumber: string;
  /** who the case is about, masked when a person */
  applicantMasked: string;
  openedAt: string;
  dueOn: string;
  dueAt: string;
  dueIsProvisional: boolean;
  /** working days from today to the due day (0: due today, negative: overdue) */
  workingDaysLeft: number;
  overdue: boolean;
  /** due today or the next working day */
  atRisk: boolean;
  escalatedTo: string[];
  /** the caller acts on it because it was escalated to them (督办) */
  supervising: boolean;
  note?: string;
  outcome?: string;
  completedAt?: string;
  completedByName?: string;
  /** what the caller may choose now */
  allowedOutcomes: OutcomeView[];
  /** the step's other outcomes, with why they cannot be chosen now */
  unavailableOutcomes: Array<{ outcome: string; label: string; reason: string }>;
}

export function taskView(task: TaskRecord, c: CaseRecord | undefined, principal: Pick<StaffPrincipal, "roles"> | undefined, calendar: WorkingCalendar, now: Date): TaskView {
  const definition = workflows[task.workflow];
  const step = definition?.steps[task.step];
  const today = shanghaiDate(now);
  const left = calendar.workingDaysBetween(today, task.dueOn);
  const overdue = task.status === "open" && Date.parse(task.dueAt) < now.getTime();
  const role = principal ? actingRole(principal, task) : undefined;
  const options = task.status === "open" && c && definition && role ? outcomesFor(definition, c, task, "staff", calendar, now) : [];
  return {
    taskId: task.taskId,
    caseId: task.caseId,
    workflow: task.workflow,
    workflowLabel: definition?.label ?? task.workflow,
    step: task.step,
    round: task.round,
    role: task.role,
    status: task.status,
    title: task.title,
    instructions: step?.instructions ?? "",
    reference: task.reference,
    trackingNumber: task.reference,
    applicantMasked: task.party,
    openedAt: task.openedAt,
    dueOn: task.dueOn,
    dueAt: task.dueAt,
    dueIsProvisional: task.dueIsProvisional,
    workingDaysLeft: left,
    overdue,
    atRisk: task.status === "open" && !overdue && left <= 1,
    escalatedTo: task.escalatedTo,
    supervising: role !== undefined && role !== task.role,
    ...(task.note ? { note: task.note } : {}),
    ...(task.outcome ? { outcome: task.outcome } : {}),
    ...(task.completedAt ? { completedAt: task.completedAt } : {}),
    ...(task.completedByName ? { completedByName: task.completedByName } : {}),
    allowedOutcomes: options.filter((o) => !o.unavailable).map(({ outcome: o }) => ({ outcome: o.outcome, label: o.label, fields: o.fields })),
    unavailableOutcomes: options.filter((o) => o.unavailable).map(({ outcome: o, unavailable }) => ({ outcome: o.outcome, label: o.label, reason: unavailable! })),
  };
}

export function mayAct(principal: Pick<StaffPrincipal, "roles">, task: TaskRecord): boolean {
  return actingRole(principal, task) !== undefined;
}

/** Open tasks of the caller's agency that one of the caller's roles may act on, soonest due first. */
export async function listMyOpenTasks(deps: AppDeps, principal: StaffPrincipal): Promise<TaskView[]> {
  const tasks = (await deps.store.tasks.listOpen(principal.agencyCode)).filter((t) => mayAct(principal, t));
  const [cases, calendar] = await Promise.all([deps.store.cases.getMany(tasks.map((t) => t.caseId)), deps.calendar()]);
  const byId = new Map(cases.map((c) => [c.caseId, c]));
  const now = deps.clock.now();
  return tasks.map((t) => taskView(t, byId.get(t.caseId), principal, calendar, now));
}

/** Counts per step for the inbox header: how many, how many overdue, how many at risk. */
export function countByStep(tasks: TaskView[]): Array<{ workflow: string; step: string; title: string; total: number; overdue: number; atRisk: number }> {
  const out = new Map<string, { workflow: string; step: string; title: string; total: number; overdue: number; atRisk: number }>();
  for (const t of tasks) {
    const key = `${t.workflow}/${t.step}`;
    const row = out.get(key) ?? { workflow: t.workflow, step: t.step, title: t.title, total: 0, overdue: 0, atRisk: 0 };
    row.total++;
    if (t.overdue) row.overdue++;
    if (t.atRisk) row.atRisk++;
    out.set(key, row);
  }
  return [...out.values()];
}
