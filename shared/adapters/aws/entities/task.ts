import * as z from "zod";
import type { TaskRecord } from "../../../domain/records";
import { roles } from "../../../domain/roles";
import type { Item } from "../table";
import { caseIdOfTask, taskIdFor } from "../../../domain/ids";
import { deadlineSchema, isoDate, parseItem } from "./common";

/**
 * The task item: `CASE#<caseId> / TASK#<taskId>`, beside its case so a case's tasks
 * are one query. While open, gsi1 lists it in its agency's inbox by due moment.
 * Task ids are `<caseId>-<step>-<round>`, so a task is read by key alone.
 */

export { taskIdFor, caseIdOfTask };

export const taskKey = (caseId: string, taskId: string) => ({ pk: `CASE#${caseId}`, sk: `TASK#${taskId}` });
export const openTasksIndex = (agencyCode: string) => ({ index: "gsi1" as const, pk: `AGENCY#${agencyCode}#OPENTASKS` });

const taskSchema: z.ZodType<TaskRecord> = z.object({
  taskId: z.string(),
  caseId: z.string(),
  agencyCode: z.string(),
  workflow: z.string(),
  step: z.string(),
  round: z.number().int(),
  role: z.enum(roles),
  title: z.string(),
  reference: z.string(),
  party: z.string(),
  status: z.enum(["open", "done", "cancelled"]),
  openedAt: z.string(),
  openedOn: isoDate,
  deadline: deadlineSchema.optional(),
  dueWith: z.string().optional(),
  dueOn: isoDate,
  dueAt: z.string(),
  dueIsProvisional: z.boolean(),
  note: z.string().optional(),
  escalationLevel: z.number().int(),
  escalatedTo: z.array(z.enum(roles)),
  scheduleNames: z.array(z.string()),
  completedAt: z.string().optional(),
  completedBy: z.string().optional(),
  completedByName: z.string().optional(),
  completedRole: z.string().optional(),
  outcome: z.string().optional(),
  version: z.number().int(),
});

export function taskItem(task: TaskRecord): Item {
  const inbox = task.status === "open" ? { gsi1pk: openTasksIndex(task.agencyCode).pk, gsi1sk: `${task.dueAt}#${task.taskId}` } : {};
  return { ...taskKey(task.caseId, task.taskId), ...inbox, ...task };
}

export const parseTask = (item: Item | undefined) => parseItem(taskSchema, item, "task");
