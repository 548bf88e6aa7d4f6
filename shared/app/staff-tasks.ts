import type { AppDeps } from "./deps";
import type { StaffPrincipal } from "./auth";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, ConcurrentChangeError } from "./errors";
import type { FieldError } from "./errors";
import { commitCaseChange } from "./case-change";
import type { CaseChange } from "./case-change";
import { cancelTimers } from "./timers";
import { answerTimers } from "./case-timers";
import { mailMessage } from "./mail";
import { validateOutcomeFields } from "./outcome-fields";
import { getCase, getTask, listOpenTasks } from "../adapters/aws/records";
import type { ApplicationCase, TaskRecord } from "../domain/records";
import type { OutcomeField } from "../domain/workflows";
import { stepDefinition } from "../domain/workflows";
import { evaluateDeadline, receiptRule, startDeadline, statutoryPeriods } from "../domain/deadlines";
import type { WorkingCalendar } from "../domain/calendar";
import { shanghaiDate } from "../domain/calendar";
import { roleLabel, type Role } from "../domain/roles";

export interface TaskView {
  taskId: string;
  caseId: string;
  workflow: string;
  step: string;
  role: string;
  status: TaskRecord["status"];
  title: string;
  trackingNumber: string;
  applicantMasked: string;
  dueOn: string;
  dueAt: string;
  dueIsProvisional: boolean;
  overdue: boolean;
  escalatedTo: string[];
  allowedOutcomes: Array<{ outcome: string; label: string; fields: OutcomeField[] }>;
}

/** The role in which the caller may act on the task (its own role first, then one it was escalated to). */
export function actingRole(principal: StaffPrincipal, task: TaskRecord): Role | undefined {
  return principal.roles.find((r) => r === task.role) ?? principal.roles.find((r) => task.escalatedTo.includes(r));
}

export function mayAct(principal: StaffPrincipal, task: TaskRecord): boolean {
  return actingRole(principal, task) !== undefined;
}

export function taskView(task: TaskRecord, now: Date): TaskView {
  const definition = stepDefinition(task.workflow, task.step);
  return {
    taskId: task.taskId,
    caseId: task.caseId,
    workflow: task.workflow,
    step: task.step,
    role: task.role,
    status: task.status,
    title: task.title,
    trackingNumber: task.trackingNumber,
    applicantMasked: task.applicantMasked,
    dueOn: task.dueOn,
    dueAt: task.dueAt,
    dueIsProvisional: task.dueIsProvisional,
    overdue: task.status === "open" && Date.parse(task.dueAt) < now.getTime(),
    escalatedTo: task.escalatedTo,
    allowedOutcomes: definition.outcomes.map((o) => ({ outcome: o.outcome, label: o.label, fields: o.fields })),
  };
}

/** Open tasks of the caller's agency that one of the caller's roles may act on, soonest due first. */
export async function listMyOpenTasks(deps: AppDeps, principal: StaffPrincipal): Promise<TaskView[]> {
  const tasks = await listOpenTasks(deps.table, principal.agencyCode);
  const now = deps.clock.now();
  return tasks.filter((t) => mayAct(principal, t)).map((t) => taskView(t, now));
}

/** Completes an open task with one of its allowed outcomes and moves the case on. */
export async function completeTask(
  deps: AppDeps,
  principal: StaffPrincipal,
  taskId: string,
  input: Record<string, unknown>,
): Promise<{ caseId: string; status: ApplicationCase["status"] }> {
  const task = await getTask(deps.table, taskId);
  // another agency's task does not exist for this caller
  if (!task || task.agencyCode !== principal.agencyCode) throw new NotFoundError("未找到该待办");
  if (!mayAct(principal, task)) throw new ForbiddenError(`此待办由${roleLabel(task.role)}办理，当前角色无权办理`);
  if (task.status !== "open") throw new ConflictError("TASK_NOT_OPEN", "该待办已办结，不能重复办理");

  const definition = stepDefinition(task.workflow, task.step);
  const outcomeName = typeof input.outcome === "string" ? input.outcome : "";
  const outcome = definition.outcomes.find((o) => o.outcome === outcomeName);
  if (!outcome) {
    throw new ValidationError("VALIDATION_FAILED", "办理结果无效", [
      {
        path: "outcome",
        code: outcomeName ? "invalid_choice" : "required",
        message: `请选择办理结果（可选：${definition.outcomes.map((o) => o.outcome).join("、")}）`,
      },
    ]);
  }
  const { values, errors } = validateOutcomeFields(outcome, input);
  if (errors.length) throw new ValidationError("VALIDATION_FAILED", "提交的内容有误，请按提示修改", errors);

  const record = await getCase(deps.table, task.caseId);
  if (!record) throw new NotFoundError("未找到该案件");
  const now = deps.clock.now();
  const calendar = await deps.calendar();
  const apply = outcomeHandlers[`${task.workflow}/${task.step}/${outcome.outcome}`];
  if (!apply) throw new Error(`no handler for ${task.workflow}/${task.step}/${outcome.outcome}`);
  const change = apply({ record, task, values, principal, role: actingRole(principal, task)!, now, calendar, deps });

  const done: TaskRecord = {
    ...task,
    status: "done",
    outcome: outcome.outcome,
    completedAt: now.toISOString(),
    completedBy: principal.username,
  };
  try {
    const stored = await commitCaseChange(deps, {
      ...change,
      expectedVersion: record.version,
      tasks: [{ task: done, expectedVersion: task.version }, ...(change.tasks ?? [])],
      outbox: [...cancelTimers(task.scheduleNames), ...(change.outbox ?? [])],
    });
    return { caseId: stored.caseId, status: stored.status };
  } catch (error) {
    if (error instanceof ConcurrentChangeError) throw new ConflictError("TASK_NOT_OPEN", "该待办已被他人办理或案件已更新，请刷新后重试");
    throw error;
  }
}

interface OutcomeContext {
  record: ApplicationCase;
  task: TaskRecord;
  values: Record<string, string>;
  principal: StaffPrincipal;
  /** the role the caller acts in, recorded with every event */
  role: Role;
  now: Date;
  calendar: WorkingCalendar;
  deps: AppDeps;
}

type OutcomeHandler = (ctx: OutcomeContext) => Omit<CaseChange, "expectedVersion">;

/** What each outcome does to the case; one entry per workflow/step/outcome. */
const outcomeHandlers: Record<string, OutcomeHandler> = {
  "application/register/registered": ({ record, values, principal, role, now, calendar }) => {
    const today = shanghaiDate(now);
    const receivedOn = values.receivedOn ?? today;
    const fieldErrors: FieldError[] = [];
    if (receivedOn < record.submittedOn) fieldErrors.push({ path: "receivedOn", code: "out_of_range", message: "收到申请日期不能早于申请提交日期" });
    if (receivedOn > today) fieldErrors.push({ path: "receivedOn", code: "out_of_range", message: "收到申请日期不能晚于今天" });
    if (fieldErrors.length) throw new ValidationError("VALIDATION_FAILED", "提交的内容有误，请按提示修改", fieldErrors);

    const receipt = receiptRule(record.channel, { submittedOn: record.submittedOn, confirmedOn: receivedOn });
    const on = "on" in receipt ? receipt.on : receivedOn;
    const rule = "on" in receipt ? receipt.rule : receipt.reason;
    const { kind, periodWorkingDays, maxExtensionDays, maxTotalWorkingDays } = statutoryPeriods.answer;
    const answer = startDeadline(
      kind,
      periodWorkingDays,
      { on, reason: rule, by: principal.username, at: now.toISOString() },
      { maxExtensionDays, maxTotalWorkingDays },
    );
    const evaluation = evaluateDeadline(calendar, answer);
    const timers = answerTimers(record, answer, evaluation.dueOn, calendar, now);
    const next: ApplicationCase = {
      ...record,
      status: "registered",
      receivedOn: on,
      receiptRule: rule,
      deadlines: { ...record.deadlines, answer },
      dueOn: evaluation.dueOn,
      dueIsProvisional: evaluation.provisional,
      timerNames: timers.names,
    };
    const applicantEmail = record.application.email;
    return {
      next,
      events: [
        {
          actor: { kind: "staff", username: principal.username, role, displayName: principal.displayName },
          type: "application.registered",
          summary: `办公室受理登记，收到申请日期 ${on}，答复期限 ${evaluation.dueOn}${evaluation.provisional ? "（暂定）" : ""}`,
          data: { receivedOn: on, dueOn: evaluation.dueOn, note: values.note },
        },
      ],
      outbox: [
        ...timers.messages,
        ...(applicantEmail
          ? [
              mailMessage({
              to: [applicantEmail],
              subject: `您的政府信息公开申请已受理登记（${record.trackingNumber}）`,
              text: [
                `您的政府信息公开申请（申请编号 ${record.trackingNumber}）已于 ${on} 受理登记。`,
                `根据《中华人民共和国政府信息公开条例》第三十三条，我们将在 ${evaluation.dueOn}${evaluation.provisional ? "（暂定）" : ""} 前答复。`,
                `您可凭申请编号和查询码在门户网站查询办理进度。`,
              ].join("\n"),
              caseId: record.caseId,
            }),
            ]
          : []),
      ],
    };
  },
};
