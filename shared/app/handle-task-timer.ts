import type { AppDeps } from "./deps";
import type { TaskTimerInput } from "./tasks";
import { timerName } from "./timers";
import type { OutboxMessage } from "../adapters/aws/outbox";
import { dueMoment } from "../domain/deadlines";
import { shanghaiDate } from "../domain/calendar";
import { commitCaseChange } from "./case-change";
import { mailToRoles } from "./mail";
import { ConcurrentChangeError } from "./errors";
import { getCase, getTask } from "../adapters/aws/records";
import { stepDefinition } from "../domain/workflows";
import { roleLabel } from "../domain/roles";

export type TimerResult = "reminded" | "escalated" | "stale";

/**
 * A Scheduler timer of a task fired. Re-reads the task and acts only if it still
 * calls for it: a completed task, or a timer set for a due moment that has since
 * moved, does nothing.
 */
export async function handleTaskTimer(deps: AppDeps, timer: TaskTimerInput): Promise<TimerResult> {
  const task = await getTask(deps.table, timer.taskId);
  if (!task || task.status !== "open" || task.dueAt !== timer.dueAt) return "stale";
  const record = await getCase(deps.table, task.caseId);
  if (!record) return "stale";
  const link = `${deps.config.publicBaseUrl}/console/cases/${task.caseId}`;
  const due = `${task.dueOn}${task.dueIsProvisional ? "（暂定）" : ""}`;

  if (timer.kind !== "overdue") {
    const sent = `${timer.kind}:${timer.dueAt}`;
    if (task.remindersSent?.includes(sent)) return "stale";
    const when = timer.kind === "halfway" ? "办理期限已过半" : timer.kind === "last_day" ? "今天是办理期限的最后一个工作日" : "办理期限临近";
    const mail = await mailToRoles(deps.table, task.agencyCode, [task.role, ...task.escalatedTo], {
      subject: `【提醒】${task.title}：${when}（${record.trackingNumber}）`,
      text: `待办「${task.title}」${when}，期限 ${due}。\n办理地址：${link}`,
      caseId: task.caseId,
      taskId: task.taskId,
    });
    // the task remembers the reminder (conditionally on its version), so a redelivered timer sends nothing
    await commitCaseChange(deps, {
      next: record,
      expectedVersion: record.version,
      tasks: [{ task: { ...task, remindersSent: [...(task.remindersSent ?? []), sent] }, expectedVersion: task.version }],
      events: [
        {
          actor: { kind: "system" },
          type: "task.reminded",
          summary: `提醒${roleLabel(task.role)}：「${task.title}」${when}`,
          data: { taskId: task.taskId, kind: timer.kind },
        },
      ],
      outbox: mail,
    }).catch(retryOnRace);
    return "reminded";
  }

  // overdue: go one level up the chain and flag the case — once per level, however often the timer arrives
  if ((timer.level ?? 0) !== task.escalationLevel) return "stale";
  const chain = stepDefinition(task.workflow, task.step).escalateTo;
  const target = chain[Math.min(task.escalationLevel, chain.length - 1)];
  if (!target) return "stale";
  const escalated = {
    ...task,
    escalationLevel: task.escalationLevel + 1,
    escalatedTo: [...new Set([...task.escalatedTo, target])],
  };
  // while someone higher up the chain is left, look again one working day later
  const calendar = await deps.calendar();
  const nextLook = escalated.escalationLevel < chain.length
    ? dueMoment(calendar.addWorkingDays(shanghaiDate(deps.clock.now()), 1).date)
    : undefined;
  const followUp: OutboxMessage[] = nextLook
    ? [{ kind: "schedule", name: timerName(task.taskId, "overdue", escalated.escalationLevel), at: nextLook.toISOString(), input: { ...timer, level: escalated.escalationLevel } }]
    : [];
  if (followUp[0]?.kind === "schedule") escalated.scheduleNames = [...task.scheduleNames, followUp[0].name];
  const mail = await mailToRoles(deps.table, task.agencyCode, [target, task.role], {
    subject: `【逾期】${task.title}已超过办理期限（${record.trackingNumber}）`,
    text: `待办「${task.title}」已于 ${due} 到期仍未办结，已提请${roleLabel(target)}督办。\n办理地址：${link}`,
    caseId: task.caseId,
    taskId: task.taskId,
  });
  await commitCaseChange(deps, {
    next: { ...record, flags: [...new Set([...record.flags, "overdue"])] },
    expectedVersion: record.version,
    events: [
      {
        actor: { kind: "system" },
        type: "task.escalated",
        summary: `「${task.title}」逾期未办结，已提请${roleLabel(target)}督办`,
        data: { taskId: task.taskId, to: target, level: escalated.escalationLevel },
      },
    ],
    tasks: [{ task: escalated, expectedVersion: task.version }],
    outbox: [...mail, ...followUp],
  }).catch(retryOnRace);
  return "escalated";
}

/** Lost a race with another writer: throw so the queue retries on fresh state. */
function retryOnRace(error: unknown): never {
  if (error instanceof ConcurrentChangeError) throw new Error("case changed concurrently; retry", { cause: error });
  throw error;
}
