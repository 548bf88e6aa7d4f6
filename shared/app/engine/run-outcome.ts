import type { AppDeps } from "../deps";
import { applyDecision } from "./apply";
import { ConcurrentChangeError, fromRefusal } from "../errors";
import type { Actor } from "../../domain/audit";
import type { CaseRecord, TaskRecord } from "../../domain/records";
import { decide, TransitionRefusedError, type DecideInput, type Decision } from "../../domain/workflows/engine";
import { workflowDefinition } from "../../domain/workflows";

/** The engine's decision, with its refusals as the errors callers see (400/403/409/422). */
export function decideOrRefuse(input: DecideInput): Decision {
  try {
    return decide(input);
  } catch (error) {
    if (error instanceof TransitionRefusedError) throw fromRefusal(error);
    throw error;
  }
}

const ATTEMPTS = 3;

/**
 * Completes an open task with an outcome, whoever acts (staff, the applicant online,
 * a timer): reads the case and its open tasks, decides, stores. When the case changed
 * meanwhile (a reminder, a signal, someone else's step) it decides again on what is
 * stored now — so a task someone else completed first is refused (409), never done
 * twice. After a few lost races ConcurrentChangeError reaches the caller.
 */
export async function runOutcome(
  deps: AppDeps,
  args: { task: TaskRecord; outcome: string; input: Record<string, unknown>; extra?: Record<string, unknown>; actor: Actor },
): Promise<CaseRecord> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await runOnce(deps, args);
    } catch (error) {
      if (!(error instanceof ConcurrentChangeError) || attempt >= ATTEMPTS) throw error;
    }
  }
}

async function runOnce(
  deps: AppDeps,
  args: { task: TaskRecord; outcome: string; input: Record<string, unknown>; extra?: Record<string, unknown>; actor: Actor },
): Promise<CaseRecord> {
  const c = await deps.store.cases.get(args.task.caseId);
  if (!c) throw new Error(`case ${args.task.caseId} of task ${args.task.taskId} is missing`);
  const tasks = await deps.store.tasks.ofCase(c.caseId);
  const task = tasks.find((t) => t.taskId === args.task.taskId) ?? args.task;
  const decision = decideOrRefuse({
    definition: workflowDefinition(c.workflow),
    case: c,
    task,
    openTasks: tasks.filter((t) => t.status === "open"),
    outcome: args.outcome,
    input: args.input,
    ...(args.extra ? { extra: args.extra } : {}),
    actor: args.actor,
    calendar: await deps.calendar(),
    now: deps.clock.now(),
    newId: deps.newId,
  });
  return applyDecision(deps, decision, { expectedVersion: c.version });
}
