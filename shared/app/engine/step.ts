import type { AppDeps } from "../deps";
import { commitChange } from "./commit";
import { mailToRoles } from "../mail";
import { ConcurrentChangeError } from "../errors";
import type { CaseRecord, TaskRecord } from "../../domain/records";
import { taskIdFor } from "../../domain/ids";
import { newTask } from "../../domain/workflows/engine";
import { workflowDefinition } from "../../domain/workflows";
import type { AnyStep } from "../../domain/workflows";
import { shanghaiDate } from "../../domain/calendar";
import { roleLabel } from "../../domain/roles";
import { logger } from "../../adapters/logger";

export type StepResult = "opened" | "announced" | "already_done" | "not_applicable";

/** Work a step's Lambda does beside announcing its task (e.g. the application's signals at registration). */
export type StepHook = (deps: AppDeps, c: CaseRecord, task: TaskRecord) => Promise<void>;
const hooks = new Map<string, StepHook>();
export function onStepOpened(workflow: string, step: string, hook: StepHook): void {
  hooks.set(`${workflow}/${step}`, hook);
}

export interface StepMessage {
  caseId: string;
  workflow: string;
  step: string;
  /** absent for the start step, whose task intake leaves to this Lambda */
  taskId?: string;
}

/**
 * A workflow step's Lambda: the hand-off "case X reached step Y". Opens the start
 * step's task when intake handed the case on, and tells the reviewers of the step
 * that a task waits for them (what to do, by when). Runs any number of times for the
 * same message: only the first run changes anything.
 */
export async function handleStepMessage(deps: AppDeps, message: StepMessage): Promise<StepResult> {
  const definition = workflowDefinition(message.workflow);
  const step = definition.steps[message.step];
  if (!step) return "not_applicable";
  const taskId = message.taskId ?? taskIdFor(message.caseId, message.step, 1);
  const task = await deps.store.tasks.get(taskId);
  // another delivery of the same message won the race to announce: nothing left to do
  const once = (run: () => Promise<void>) =>
    run().then(
      () => true,
      (error: unknown) => {
        if (error instanceof ConcurrentChangeError) return false;
        throw error;
      },
    );
  if (task) {
    const c = await deps.store.cases.get(task.caseId);
    if (!c) return "not_applicable";
    // hooks are idempotent and run on every delivery (even once the task is done), so one that failed runs again on the retry
    await hooks.get(`${c.workflow}/${step.step}`)?.(deps, c, task);
    if (task.status !== "open" || (await deps.store.claims.get(announceClaim(task.taskId)))) return "already_done";
    return (await once(() => announce(deps, c, step, task))) ? "announced" : "already_done";
  }
  // only the start step is opened here; every other task is opened by the decision that reached it
  if (message.step !== definition.start.step) return "not_applicable";
  const c = await deps.store.cases.get(message.caseId);
  if (!c) return "not_applicable";
  if (c.status !== definition.start.status || c.steps[message.step]) return "already_done";
  const now = deps.clock.now();
  const calendar = await deps.calendar();
  const next: CaseRecord = { ...c, steps: { ...c.steps, [step.step]: { round: 1 } } };
  // the period runs from the day the case came in, not from when this Lambda ran
  const opened = newTask(definition, next, { step: step.step, from: c.createdOn }, 1, calendar, now, { kind: "system" });
  if (!(await once(() => announce(deps, next, step, opened.task, c.version, opened.timers)))) return "already_done";
  logger.info("task opened", { agencyCode: c.agencyCode, caseId: c.caseId, taskId: opened.task.taskId, dueOn: opened.task.dueOn });
  const hook = hooks.get(`${c.workflow}/${step.step}`);
  if (hook) await hook(deps, (await deps.store.cases.get(c.caseId)) ?? next, opened.task);
  return "opened";
}

/** Announcing is remembered apart from the task, so it never races with someone completing the task. */
const announceClaim = (taskId: string) => `announce#${taskId}`;
const CLAIM_DAYS = 400;

/** The assignees' email and the claim that it went out, in one commit (with the new task itself, for the start step). */
async function announce(
  deps: AppDeps,
  c: CaseRecord,
  step: AnyStep,
  task: TaskRecord,
  caseVersion?: number,
  timers: Parameters<typeof commitChange>[1]["outbox"] = [],
): Promise<void> {
  const now = deps.clock.now();
  const calendar = await deps.calendar();
  const definition = workflowDefinition(c.workflow);
  const left = calendar.workingDaysBetween(shanghaiDate(now), task.dueOn);
  const due = `${task.dueOn}${task.dueIsProvisional ? "（暂定，节假日安排未公布）" : ""}`;
  const mail = await mailToRoles(deps.store, c.agencyCode, [task.role], {
    subject: `【待办】${definition.label}·${step.title}：${c.reference}`,
    text: [
      `${roleLabel(task.role)}有一项新的待办：${definition.label}「${step.title}」，编号 ${c.reference}。`,
      step.instructions,
      ...(task.note ? [`说明：${task.note}`] : []),
      `办理期限：${due}${left > 0 ? `（还有 ${left} 个工作日）` : "（今天到期）"}。`,
      `办理地址：${deps.config.publicBaseUrl}/console/cases/${c.caseId}#task-${task.taskId}`,
    ].join("\n"),
    caseId: c.caseId,
    taskId: task.taskId,
  });
  const claim = { kind: "claim" as const, key: announceClaim(task.taskId), value: { at: now.toISOString() }, expiresAt: Math.floor(now.getTime() / 1000) + CLAIM_DAYS * 86_400 };
  if (caseVersion !== undefined) {
    // the start step's task is new: it is stored with the case's round, its timers and the mail
    await commitChange(deps, {
      case: c,
      expectedVersion: caseVersion,
      events: [
        {
          actor: { kind: "system" },
          type: "task.opened",
          summary: `生成待办「${task.title}」，办理期限 ${due}`,
          data: { taskId: task.taskId, step: task.step, role: task.role, dueOn: task.dueOn },
        },
      ],
      tasks: [{ task }],
      outbox: [...(timers ?? []), ...mail],
      extra: [claim],
    });
    return;
  }
  const records = mail.map((message) => ({ messageId: deps.newId(), createdAt: now.toISOString(), message }));
  await deps.store.commit([claim, ...records.map((record) => ({ kind: "outbox" as const, record }))]);
  await deps.outbox.dispatch(records);
}
