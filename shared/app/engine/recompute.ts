import type { AppDeps } from "../deps";
import { commitChange } from "./commit";
import { mailToRoles } from "../mail";
import { ConcurrentChangeError } from "../errors";
import type { OutboxMessage } from "../ports/outbox";
import type { WorkingCalendar } from "../../domain/calendar";
import { shanghaiDate } from "../../domain/calendar";
import { evaluateDeadline } from "../../domain/deadlines";
import type { CaseRecord, TaskRecord } from "../../domain/records";
import { taskDueAt, type NewEvent } from "../../domain/workflows/engine";
import { workflows } from "../../domain/workflows";
import { cancelTimers, caseDeadlineTimers, taskTimers } from "../../domain/workflows/timers";

const MAX_ATTEMPTS = 3;
const mark = (provisional: boolean) => (provisional ? "（暂定）" : "");

/**
 * After a year's schedule is entered or corrected: every open case's running
 * deadlines and open tasks are evaluated on the new calendar. Each moved due date
 * (or one that stops being provisional) is written with an audit event, its timers
 * are moved and the people working it are told.
 */
export function recomputeOpenDeadlines(deps: AppDeps) {
  return async (_before: WorkingCalendar, after: WorkingCalendar, by: string): Promise<{ changed: number }> => {
    let changed = 0;
    for (const agency of await deps.store.directory.agencies()) {
      for (const c of await deps.store.cases.listOpen(agency.code)) changed += await recomputeCase(deps, c.caseId, after, by);
    }
    return { changed };
  };
}

/** Re-reads and retries on a concurrent change, so no case is skipped. Returns the number of dates moved. */
async function recomputeCase(deps: AppDeps, caseId: string, calendar: WorkingCalendar, by: string): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const c = await deps.store.cases.get(caseId);
    if (!c) return 0;
    // the case's own tasks, one query on its partition
    const tasks = (await deps.store.tasks.ofCase(caseId)).filter((t) => t.status === "open");
    const plan = await planRecompute(deps, c, tasks, calendar, by);
    if (plan.moved === 0) return 0;
    try {
      await commitChange(deps, { ...plan.change, expectedVersion: c.version });
      return plan.moved;
    } catch (error) {
      if (!(error instanceof ConcurrentChangeError) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

async function planRecompute(deps: AppDeps, c: CaseRecord, tasks: TaskRecord[], calendar: WorkingCalendar, by: string) {
  const definition = workflows[c.workflow];
  const now = deps.clock.now();
  const today = shanghaiDate(now);
  const events: NewEvent[] = [];
  const outbox: OutboxMessage[] = [];
  const taskChanges: Array<{ task: TaskRecord; expectedVersion: number }> = [];
  const actor = { kind: "staff" as const, username: by, role: "administrator" };
  let moved = 0;
  let next: CaseRecord = c;
  for (const [name, d] of Object.entries(c.deadlines)) {
    const spec = definition?.deadlines[name];
    if (!spec || d.stopped) continue;
    const e = evaluateDeadline(calendar, d.deadline, today);
    if (e.dueOn === d.dueOn && e.provisional === d.provisional) continue;
    moved++;
    const updated = { ...d, dueOn: e.dueOn, provisional: e.provisional };
    const timers = caseDeadlineTimers(c.caseId, name, updated, spec, calendar, now);
    outbox.push(...cancelTimers(d.timerNames, timers.names), ...timers.messages);
    next = { ...next, deadlines: { ...next.deadlines, [name]: { ...updated, timerNames: timers.names } } };
    events.push({
      actor,
      type: "deadline.recomputed",
      summary: `节假日安排更新，${spec.label}由 ${d.dueOn}${mark(d.provisional)} 调整为 ${e.dueOn}${mark(e.provisional)}`,
      data: { deadline: name, from: d.dueOn, to: e.dueOn, provisional: e.provisional },
      applicantVisible: name === "answer",
    });
    if (e.dueOn !== d.dueOn && spec.notify.length) {
      outbox.push(
        ...(await mailToRoles(deps.store, c.agencyCode, spec.notify, {
          subject: `【期限调整】${c.reference} 的${spec.label}调整为 ${e.dueOn}`,
          text: `因节假日安排更新，${c.reference} 的${spec.label}由 ${d.dueOn} 调整为 ${e.dueOn}${mark(e.provisional)}。`,
          caseId: c.caseId,
        })),
      );
    }
  }
  for (const task of tasks) {
    const step = definition?.steps[task.step];
    const linked = task.dueWith ? next.deadlines[task.dueWith] : undefined;
    const source = linked?.deadline ?? task.deadline;
    if (!step || !source) continue;
    const e = linked ? { dueOn: linked.dueOn, provisional: linked.provisional } : evaluateDeadline(calendar, source);
    if (e.dueOn === task.dueOn && e.provisional === task.dueIsProvisional) continue;
    moved++;
    const updated: TaskRecord = { ...task, dueOn: e.dueOn, dueAt: taskDueAt(step, e.dueOn), dueIsProvisional: e.provisional };
    const timers = taskTimers(updated, step, source, calendar, now);
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
        ...(await mailToRoles(deps.store, task.agencyCode, [task.role, ...task.escalatedTo], {
          subject: `【期限调整】待办「${task.title}」期限调整为 ${e.dueOn}（${c.reference}）`,
          text: `因节假日安排更新，待办「${task.title}」的办理期限由 ${task.dueOn} 调整为 ${e.dueOn}${mark(e.provisional)}。\n办理地址：${deps.config.publicBaseUrl}/console/cases/${task.caseId}`,
          caseId: task.caseId,
          taskId: task.taskId,
        })),
      );
    }
  }
  return { moved, change: { case: next, events, tasks: taskChanges, outbox } };
}
