import type { AppDeps } from "../deps";
import { handleCaseTimer, handleTaskTimer } from "./timers";
import { dueMoment } from "../../domain/deadlines";
import { workflows } from "../../domain/workflows";

/** The Scheduler's own timer normally acts first; the sweep only picks up what it missed. */
const GRACE_MS = 5 * 60_000;

/**
 * The reconciler behind the timers: open tasks and case deadlines that passed their
 * due moment without their first escalation or expiry (their timer was lost, e.g.
 * with a local queue that died) are handled as the timer would have. Idempotent with
 * the timers: each happens once, whichever arrives first.
 */
export async function sweepOverdue(deps: AppDeps): Promise<{ tasks: number; deadlines: number }> {
  const cutoff = deps.clock.now().getTime() - GRACE_MS;
  let tasks = 0;
  let deadlines = 0;
  for (const agency of await deps.store.directory.agencies()) {
    for (const task of await deps.store.tasks.listOpen(agency.code)) {
      const step = workflows[task.workflow]?.steps[task.step];
      if (!step?.escalateTo.length || task.escalationLevel !== 0 || Date.parse(task.dueAt) > cutoff) continue;
      const result = await handleTaskTimer(deps, { type: "task.timer", taskId: task.taskId, caseId: task.caseId, kind: "overdue", dueAt: task.dueAt, level: 0 });
      if (result === "escalated") tasks++;
    }
    for (const c of await deps.store.cases.listOpen(agency.code)) {
      const definition = workflows[c.workflow];
      for (const [name, d] of Object.entries(c.deadlines)) {
        const spec = definition?.deadlines[name];
        if (!spec || d.stopped || d.paused || d.expiredOn === d.dueOn || dueMoment(d.dueOn).getTime() > cutoff) continue;
        if (!spec.onExpiry && spec.escalateTo.length === 0) continue;
        const result = await handleCaseTimer(deps, { type: "case.timer", caseId: c.caseId, deadline: name, kind: "overdue", dueOn: d.dueOn });
        if (result !== "stale") deadlines++;
      }
    }
  }
  return { tasks, deadlines };
}
