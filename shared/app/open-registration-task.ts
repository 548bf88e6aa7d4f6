import type { AppDeps } from "./deps";
import { commitCaseChange } from "./case-change";
import { newTask, taskTimers } from "./tasks";
import { mailToRoles } from "./mail";
import { getCase, getTask, taskIdFor } from "../adapters/aws/records";
import { ConcurrentChangeError } from "./errors";
import { stepLabel } from "../domain/labels";
import { logger } from "../adapters/logger";

export type StepResult = "done" | "already_done" | "not_applicable";

/**
 * Registration step (受理登记): opens the office's "register within 1 working day"
 * task, its reminder timers and the office's email. Safe to run any number of times
 * for the same case: only the first run changes anything.
 */
export async function openRegistrationTask(deps: AppDeps, caseId: string): Promise<StepResult> {
  const record = await getCase(deps.table, caseId);
  if (!record) return "not_applicable";
  if (record.status !== "received") return "already_done";
  if (await getTask(deps.table, taskIdFor(caseId, "register"))) return "already_done";

  const now = deps.clock.now();
  const calendar = await deps.calendar();
  const task = newTask({
    record,
    step: "register",
    // the period runs from the day the application came in, not from when this step ran
    openedOn: record.submittedOn,
    openedAt: now,
    calendar,
    rule: "申请提交之日起1个工作日内受理登记（工作机制：受理登记）",
  });
  const timers = taskTimers(task, calendar, now);
  task.scheduleNames = timers.names;
  const link = `${deps.config.publicBaseUrl}/console/cases/${caseId}`;
  const mail = await mailToRoles(deps.table, record.agencyCode, [task.role], {
    subject: `【待办】政府信息公开申请待${stepLabel("register")}：${record.trackingNumber}`,
    text: [
      `收到一件新的政府信息公开申请，申请编号 ${record.trackingNumber}。`,
      `请于 ${task.dueOn}${task.dueIsProvisional ? "（暂定，节假日安排未公布）" : ""} 前完成受理登记。`,
      `办理地址：${link}`,
    ].join("\n"),
    caseId,
    taskId: task.taskId,
  });

  try {
    await commitCaseChange(deps, {
      next: record,
      expectedVersion: record.version,
      events: [
        {
          actor: { kind: "system" },
          type: "task.opened",
          summary: `生成待办「${task.title}」，办理期限 ${task.dueOn}${task.dueIsProvisional ? "（暂定）" : ""}`,
          data: { taskId: task.taskId, step: task.step, role: task.role, dueOn: task.dueOn },
        },
      ],
      tasks: [{ task }],
      outbox: [...timers.messages, ...mail],
    });
  } catch (error) {
    // another delivery of the same message won the race: nothing left to do
    if (error instanceof ConcurrentChangeError) return "already_done";
    throw error;
  }
  logger.info("registration task opened", { agencyCode: record.agencyCode, caseId, taskId: task.taskId, dueOn: task.dueOn });
  return "done";
}
