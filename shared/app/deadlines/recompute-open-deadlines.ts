import type { AppDeps } from "../deps";
import { commitCaseChange, type NewEvent } from "../case-change";
import { taskTimers } from "../tasks";
import { cancelTimers } from "../timers";
import { answerTimers } from "../case-timers";
import { mailToRoles } from "../mail";
import { ConcurrentChangeError } from "../errors";
import type { OutboxMessage } from "../../adapters/aws/outbox";
import { getCase, listAgencies, listOpenCases, listOpenTasks } from "../../adapters/aws/records";
import type { WorkingCalendar } from "../../domain/calendar";
import { dueMoment, evaluateDeadline } from "../../domain/deadlines";
import type { ApplicationCase, TaskRecord } from "../../domain/records";

const MAX_ATTEMPTS = 3;

/**
 * After a year's schedule is entered or corrected: re-evaluates every open task's and
 * open case's deadline on the new calendar. Each moved due date (or one that stops
 * being provisional) is written with an audit event, its timers are re-set, and the
 * people working it are told by email.
 */
export function recomputeOpenDeadlines(deps: AppDeps) {
  return async (_before: WorkingCalendar, after: WorkingCalendar, by: string): Promise<{ changed: number }> => {
    let changed = 0;
    for (const agency of await listAgencies(deps.table)) {
      const caseIds = new Set<string>([
        ...(await listOpenTasks(deps.table, agency.code)).map((t) => t.caseId),
        ...(await listOpenCases(deps.table, agency.code)).map((c) => c.caseId),
      ]);
      for (const caseId of caseIds) changed += await recomputeCase(deps, caseId, after, by);
    }
    return { changed };
  };
}

/** Re-reads and retries on a concurrent change, so no case is skipped. Returns the number of deadlines moved. */
async function recomputeCase(deps: AppDeps, caseId: string, calendar: WorkingCalendar, by: string): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const record = await getCase(deps.table, caseId);
    if (!record) return 0;
    const openTasks = (await listOpenTasks(deps.table, record.agencyCode)).filter((t) => t.caseId === caseId);
    const plan = await planRecompute(deps, record, openTasks, calendar, by);
    if (plan.moved === 0) return 0;
    try {
      await commitCaseChange(deps, { ...plan.change, expectedVersion: record.version });
      return plan.moved;
    } catch (error) {
      if (!(error instanceof ConcurrentChangeError) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

async function planRecompute(
  deps: AppDeps,
  record: ApplicationCase,
  tasks: TaskRecord[],
  calendar: WorkingCalendar,
  by: string,
) {
  const now = deps.clock.now();
  const events: NewEvent[] = [];
  const outbox: OutboxMessage[] = [];
  const taskChanges: Array<{ task: TaskRecord; expectedVersion: number }> = [];
  let moved = 0;
  const actor = { kind: "staff" as const, username: by, role: "administrator" };
  const mark = (provisional: boolean) => (provisional ? "（暂定）" : "");

  let next: ApplicationCase = record;
  for (const [name, deadline] of Object.entries(record.deadlines)) {
    const e = evaluateDeadline(calendar, deadline);
    if (name !== "answer" || (e.dueOn === record.dueOn && e.provisional === (record.dueIsProvisional ?? false))) continue;
    moved++;
    events.push({
      actor,
      type: "deadline.recomputed",
      summary: `节假日安排更新，法定答复期限由 ${record.dueOn}${mark(record.dueIsProvisional ?? false)} 调整为 ${e.dueOn}${mark(e.provisional)}`,
      data: { deadline: name, from: record.dueOn, to: e.dueOn, provisional: e.provisional },
    });
    const timers = answerTimers(record, deadline, e.dueOn, calendar, now);
    outbox.push(...cancelTimers(record.timerNames ?? [], timers.names), ...timers.messages);
    next = { ...next, dueOn: e.dueOn, dueIsProvisional: e.provisional, timerNames: timers.names };
    if (e.dueOn !== record.dueOn) {
      outbox.push(
        ...(await mailToRoles(deps.table, record.agencyCode, ["office_staff"], {
          subject: `【期限调整】申请 ${record.trackingNumber} 的法定答复期限调整为 ${e.dueOn}`,
          text: `因节假日安排更新，申请 ${record.trackingNumber} 的法定答复期限由 ${record.dueOn} 调整为 ${e.dueOn}${mark(e.provisional)}。`,
          caseId: record.caseId,
        })),
      );
    }
  }

  for (const task of tasks) {
    const e = evaluateDeadline(calendar, task.deadline);
    if (e.dueOn === task.dueOn && e.provisional === task.dueIsProvisional) continue;
    moved++;
    const updated: TaskRecord = { ...task, dueOn: e.dueOn, dueAt: dueMoment(e.dueOn).toISOString(), dueIsProvisional: e.provisional };
    const timers = taskTimers(updated, calendar, now);
    updated.scheduleNames = timers.names;
    // timer names are stable per task and kind, so re-creating one updates it in place
    outbox.push(...cancelTimers(task.scheduleNames, timers.names), ...timers.messages);
    taskChanges.push({ task: updated, expectedVersion: task.version });
    events.push({
      actor,
      type: "task.due_changed",
      summary: `节假日安排更新，待办「${task.title}」期限由 ${task.dueOn}${mark(task.dueIsProvisional)} 调整为 ${e.dueOn}${mark(e.provisional)}`,
      data: { taskId: task.taskId, from: task.dueOn, to: e.dueOn, provisional: e.provisional },
    });
    if (e.dueOn !== task.dueOn) {
      outbox.push(
        ...(await mailToRoles(deps.table, task.agencyCode, [task.role, ...task.escalatedTo], {
          subject: `【期限调整】待办「${task.title}」期限调整为 ${e.dueOn}（${record.trackingNumber}）`,
          text: `因节假日安排更新，待办「${task.title}」的办理期限由 ${task.dueOn} 调整为 ${e.dueOn}${mark(e.provisional)}。\n办理地址：${deps.config.publicBaseUrl}/console/cases/${task.caseId}`,
          caseId: task.caseId,
          taskId: task.taskId,
        })),
      );
    }
  }
  return { moved, change: { next, events, tasks: taskChanges, outbox } };
}
