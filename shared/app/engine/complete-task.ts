import type { AppDeps } from "../deps";
import type { StaffPrincipal } from "../auth";
import { ConcurrentChangeError, ConflictError, ForbiddenError, NotFoundError } from "../errors";
import { runOutcome } from "./run-outcome";
import type { TaskRecord } from "../../domain/records";
import { roleLabel, type Role } from "../../domain/roles";

/** The role in which the caller may act on the task: its own role first, then one it was escalated to (督办). */
export function actingRole(principal: Pick<StaffPrincipal, "roles">, task: Pick<TaskRecord, "role" | "escalatedTo">): Role | undefined {
  return principal.roles.find((r) => r === task.role) ?? principal.roles.find((r) => task.escalatedTo.includes(r));
}

/**
 * Work an outcome needs done before the engine decides (an index number, a new version's
 * files and screening): registered per (workflow, step, outcome), its result is the
 * transition's `extra`. Runs only once the task was found open and the caller may act.
 */
export type OutcomePreparer = (deps: AppDeps, task: TaskRecord, input: Record<string, unknown>) => Promise<Record<string, unknown>>;
const preparers = new Map<string, OutcomePreparer>();
export function onOutcomePrepared(workflow: string, step: string, outcome: string, prepare: OutcomePreparer): void {
  preparers.set(`${workflow}/${step}/${outcome}`, prepare);
}

/** A staff member completes an open task: 404 outside their agency, 403 outside its roles, 409 once it is no longer open. */
export async function completeTask(
  deps: AppDeps,
  principal: StaffPrincipal,
  taskId: string,
  input: Record<string, unknown>,
): Promise<{ caseId: string; status: string }> {
  const task = await deps.store.tasks.get(taskId);
  // another agency's task does not exist for this caller
  if (!task || task.agencyCode !== principal.agencyCode) throw new NotFoundError("未找到该待办");
  const role = actingRole(principal, task);
  if (!role) throw new ForbiddenError(`此待办由${roleLabel(task.role)}办理，当前角色无权办理`);
  if (task.status !== "open") throw new ConflictError("TASK_NOT_OPEN", "该待办已办结，不能重复办理");
  const { outcome, ...values } = input;
  const name = typeof outcome === "string" ? outcome : "";
  const prepare = preparers.get(`${task.workflow}/${task.step}/${name}`);
  const extra = prepare ? await prepare(deps, task, values) : undefined;
  try {
    const stored = await runOutcome(deps, {
      task,
      outcome: name,
      input: values,
      ...(extra ? { extra } : {}),
      actor: { kind: "staff", username: principal.username, displayName: principal.displayName, role },
    });
    return { caseId: stored.caseId, status: stored.status };
  } catch (error) {
    if (error instanceof ConcurrentChangeError) throw new ConflictError("TASK_NOT_OPEN", "该待办已被他人办理或案件刚被更新，请刷新后重试");
    throw error;
  }
}
