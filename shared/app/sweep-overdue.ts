import type { AppDeps } from "./deps";
import { handleTaskTimer } from "./handle-task-timer";
import { handleCaseTimer } from "./handle-case-timer";
import { listAgencies, listOpenCases, listOpenTasks } from "../adapters/aws/records";
import { dueMoment } from "../domain/deadlines";

/** The Scheduler's own timer normally acts first; the sweep only picks up what it missed. */
const GRACE_MS = 5 * 60_000;

/**
 * The reconciler behind the timers: finds open tasks and answer deadlines that passed
 * their due moment without being escalated (their timer was lost, e.g. with a local
 * queue that died) and escalates them as the timer would have. Idempotent with the
 * timers: each escalation happens once whichever arrives first.
 */
export async function sweepOverdue(deps: AppDeps): Promise<{ tasks: number; cases: number }> {
  const cutoff = deps.clock.now().getTime() - GRACE_MS;
  let tasks = 0;
  let cases = 0;
  for (const agency of await listAgencies(deps.table)) {
    for (const task of await listOpenTasks(deps.table, agency.code)) {
      if (task.escalationLevel !== 0 || Date.parse(task.dueAt) > cutoff) continue;
      const result = await handleTaskTimer(deps, { type: "task.timer", taskId: task.taskId, caseId: task.caseId, kind: "overdue", dueAt: task.dueAt, level: 0 });
      if (result === "escalated") tasks++;
    }
    for (const record of await listOpenCases(deps.table, agency.code)) {
      if (!record.dueOn || record.flags.includes("answer_overdue") || dueMoment(record.dueOn).getTime() > cutoff) continue;
      const result = await handleCaseTimer(deps, { type: "case.timer", caseId: record.caseId, deadline: "answer", kind: "overdue", dueOn: record.dueOn });
      if (result === "escalated") cases++;
    }
  }
  return { tasks, cases };
}
