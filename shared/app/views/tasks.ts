import type { AppDeps } from "../deps";
import { TASK_PAGE_DEFAULT, TASK_PAGE_MAX } from "../../schemas/requests";
import type { StaffPrincipal } from "../auth";
import { actingRole } from "../engine/complete-task";
import type { CaseRecord, TaskRecord } from "../../domain/records";
import type { OutcomeField } from "../../domain/workflows";
import { workflows } from "../../domain/workflows";
import { outcomesFor } from "../../domain/workflows/engine";
import type { WorkingCalendar } from "../../domain/calendar";
import { shanghaiDate } from "../../domain/calendar";
import { ValidationError, type FieldError } from "../errors";
import type { OpenTaskSummary, TaskPosition } from "../ports/store";
import { caseIdOfTask } from "../../domain/ids";

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

export function mayAct(principal: Pick<StaffPrincipal, "roles">, task: Pick<TaskRecord, "role" | "escalatedTo">): boolean {
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

/** Counts per step for the inbox header: how many, how many overdue, at risk, and escalated to the caller (督办). */
export function countByStep(
  tasks: Array<Pick<TaskView, "workflow" | "step" | "title" | "overdue" | "atRisk" | "supervising">>,
): Array<{ workflow: string; step: string; title: string; total: number; overdue: number; atRisk: number; supervising: number }> {
  const out = new Map<string, { workflow: string; step: string; title: string; total: number; overdue: number; atRisk: number; supervising: number }>();
  for (const t of tasks) {
    const key = `${t.workflow}/${t.step}`;
    const row = out.get(key) ?? { workflow: t.workflow, step: t.step, title: t.title, total: 0, overdue: 0, atRisk: 0, supervising: 0 };
    row.total++;
    if (t.overdue) row.overdue++;
    if (t.atRisk) row.atRisk++;
    if (t.supervising) row.supervising++;
    out.set(key, row);
  }
  return [...out.values()];
}

// ---- pages (GET /api/v1/tasks, the console inbox) -----------------------------------------

export { TASK_PAGE_DEFAULT, TASK_PAGE_MAX };
/** Index entries read per store call while a page fills (the caller's roles filter them). */
const TASK_READ_BATCH = 200;

export interface TaskListQuery {
  limit: number;
  after?: TaskPosition;
  step?: string;
  caseId?: string;
}

/** The opaque cursor: the due moment and task id of the last task of a page, base64url. Stable across inserts. */
export function encodeTaskCursor(p: TaskPosition): string {
  return Buffer.from(JSON.stringify([p.dueAt, p.taskId]), "utf8").toString("base64url");
}

export function decodeTaskCursor(cursor: string): TaskPosition | undefined {
  if (cursor.length > 200 || !/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (!Array.isArray(v) || v.length !== 2) return undefined;
    const [dueAt, taskId] = v as unknown[];
    if (typeof dueAt !== "string" || typeof taskId !== "string") return undefined;
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(dueAt) || !caseIdOfTask(taskId) || !/^[0-9A-Z]{26}-[a-z_]{1,64}-\d{1,4}$/.test(taskId)) return undefined;
    return { dueAt, taskId };
  } catch {
    return undefined;
  }
}

/** `?limit=&cursor=&step=&caseId=` of a task list; 400 with the field for a bad one (a limit over the maximum is cut to it). */
export function parseTaskListQuery(query: URLSearchParams, defaultLimit = TASK_PAGE_DEFAULT): TaskListQuery {
  const errors: FieldError[] = [];
  const rawLimit = query.get("limit")?.trim();
  let limit = defaultLimit;
  if (rawLimit) {
    if (/^\d{1,6}$/.test(rawLimit) && Number(rawLimit) >= 1) limit = Math.min(Number(rawLimit), TASK_PAGE_MAX);
    else errors.push({ path: "limit", code: "out_of_range", message: `每页条数应为 1 至 ${TASK_PAGE_MAX} 的整数` });
  }
  const rawCursor = query.get("cursor")?.trim();
  const after = rawCursor ? decodeTaskCursor(rawCursor) : undefined;
  if (rawCursor && !after) errors.push({ path: "cursor", code: "invalid_format", message: "翻页游标无效，请使用上一页响应中 X-Next-Cursor 的值" });
  const step = query.get("step")?.trim() || undefined;
  if (step && !/^[a-z_]{1,64}$/.test(step)) errors.push({ path: "step", code: "invalid_format", message: "环节名称应为小写英文字母和下划线，如 register" });
  const caseId = query.get("caseId")?.trim() || undefined;
  if (caseId && !/^[0-9A-Z]{26}$/.test(caseId)) errors.push({ path: "caseId", code: "invalid_format", message: "案件编号格式不正确" });
  if (errors.length) throw new ValidationError("VALIDATION_FAILED", "查询参数有误", errors);
  return { limit, ...(after ? { after } : {}), ...(step ? { step } : {}), ...(caseId ? { caseId } : {}) };
}

export type StepCountRow = ReturnType<typeof countByStep>[number];

export interface TaskListPage {
  tasks: TaskView[];
  /** the caller's open tasks matching the filters (over all pages) */
  total: number;
  /** the cursor of the next page; undefined on the last */
  nextCursor?: string;
  /** count per step of ALL the caller's open tasks (no filter), for the inbox header */
  counts: StepCountRow[];
  /** every open task of the agency as the index summarises it (whoever may act on it), for the inbox's banners */
  agencyOpen: OpenTaskSummary[];
}

const positionOf = (t: { dueAt: string; taskId: string }) => `${t.dueAt}#${t.taskId}`;

/**
 * One page of the caller's open tasks, soonest due first, optionally of one step or one
 * case. The store is read page by page from the cursor (gsi1, Limit/ExclusiveStartKey) and
 * filtered by the caller's roles, reading on until the page is full; only the page's cases
 * are read. Counts come from the index's summaries (a projection: no payload, no cases).
 */
export async function listMyOpenTasksPage(deps: AppDeps, principal: StaffPrincipal, q: TaskListQuery): Promise<TaskListPage> {
  const wanted = (t: Pick<TaskRecord, "agencyCode" | "status" | "step" | "caseId" | "role" | "escalatedTo">) =>
    (!q.step || t.step === q.step) && (!q.caseId || t.caseId === q.caseId) && mayAct(principal, t);
  const [summaries, calendar] = await Promise.all([deps.store.tasks.openSummaries(principal.agencyCode), deps.calendar()]);
  const now = deps.clock.now();
  const mine = summaries.filter((s) => mayAct(principal, s));
  const counts = countSummaries(mine, principal, calendar, now);

  const found: TaskRecord[] = [];
  let total: number;
  if (q.caseId) {
    // one case: its own tasks (a consistent read), in inbox order
    const own = (await deps.store.tasks.ofCase(q.caseId))
      .filter((t) => t.agencyCode === principal.agencyCode && t.status === "open" && wanted(t))
      .sort((a, b) => (positionOf(a) < positionOf(b) ? -1 : 1));
    total = own.length;
    found.push(...own.filter((t) => !q.after || positionOf(t) > positionOf(q.after)).slice(0, q.limit + 1));
  } else {
    total = mine.filter((s) => !q.step || s.step === q.step).length;
    let after = q.after;
    // one more than the page, to know whether a next page exists
    while (found.length <= q.limit) {
      const page = await deps.store.tasks.listOpenPage(principal.agencyCode, { limit: Math.max(TASK_READ_BATCH, q.limit + 1), ...(after ? { after } : {}) });
      found.push(...page.tasks.filter(wanted));
      if (!page.next) break;
      after = page.next;
    }
  }
  const tasks = found.slice(0, q.limit);
  const last = tasks.at(-1);
  const cases = await deps.store.cases.getMany([...new Set(tasks.map((t) => t.caseId))]);
  const byId = new Map(cases.map((c) => [c.caseId, c]));
  return {
    tasks: tasks.map((t) => taskView(t, byId.get(t.caseId), principal, calendar, now)),
    total,
    ...(found.length > q.limit && last ? { nextCursor: encodeTaskCursor({ dueAt: last.dueAt, taskId: last.taskId }) } : {}),
    counts,
    agencyOpen: summaries,
  };
}

function countSummaries(summaries: OpenTaskSummary[], principal: StaffPrincipal, calendar: WorkingCalendar, now: Date): StepCountRow[] {
  const today = shanghaiDate(now);
  return countByStep(
    summaries.map((s) => {
      const overdue = Date.parse(s.dueAt) < now.getTime();
      const role = actingRole(principal, s);
      return { workflow: s.workflow, step: s.step, title: s.title, overdue, atRisk: !overdue && calendar.workingDaysBetween(today, s.dueOn) <= 1, supervising: role !== undefined && role !== s.role };
    }),
  );
}

/** The query string of a task list's next page (the filters kept). */
export function nextPageQuery(q: TaskListQuery, nextCursor: string, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams(extra);
  params.set("limit", String(q.limit));
  if (q.step) params.set("step", q.step);
  if (q.caseId) params.set("caseId", q.caseId);
  params.set("cursor", nextCursor);
  return params.toString();
}

/** The headers of a task list page: X-Total-Count, and on all but the last page X-Next-Cursor and `Link: <…>; rel="next"`. */
export function taskListHeaders(path: string, q: TaskListQuery, page: Pick<TaskListPage, "total" | "nextCursor">): Record<string, string> {
  const headers: Record<string, string> = { "x-total-count": String(page.total) };
  if (page.nextCursor) {
    headers["x-next-cursor"] = page.nextCursor;
    headers.link = `<${path}?${nextPageQuery(q, page.nextCursor, { status: "open" })}>; rel="next"`;
  }
  return headers;
}
