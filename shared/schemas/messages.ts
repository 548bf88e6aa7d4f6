import * as z from "zod";

/** Payloads of queue messages and schedule inputs, validated at the edge of every consumer. */

/** The hand-off to a workflow step's queue: "case X reached step Y" (its task, once opened). */
export const stepMessage = z.object({
  type: z.literal("task.opened"),
  caseId: z.string().regex(/^[0-9A-Z]{26}$/),
  workflow: z.string().min(1).max(40),
  step: z.string().min(1).max(40),
  taskId: z.string().max(100).optional(),
  messageId: z.string().min(1),
});

export const mailSendMessage = z.object({
  type: z.literal("mail.send"),
  messageId: z.string().min(1),
  to: z.array(z.string().email()).min(1),
  subject: z.string().min(1).max(300),
  text: z.string().min(1).max(20_000),
  attachments: z.array(z.object({ key: z.string().min(1), filename: z.string().min(1).max(255), contentType: z.string().min(1) })).max(10).optional(),
  caseId: z.string().optional(),
  taskId: z.string().optional(),
});

export const taskTimerMessage = z.object({
  type: z.literal("task.timer"),
  taskId: z.string().min(1),
  caseId: z.string().min(1),
  kind: z.enum(["halfway", "last_day", "warning", "overdue"]),
  dueAt: z.string().min(1),
  level: z.number().int().min(0).optional(),
});

export const caseTimerMessage = z.object({
  type: z.literal("case.timer"),
  caseId: z.string().min(1),
  deadline: z.string().min(1).max(40),
  kind: z.enum(["halfway", "last_day", "warning", "overdue"]),
  /** the due date the timer was set for; a timer for an old due date is stale */
  dueOn: z.string().min(1),
  workingDaysLeft: z.number().int().min(0).optional(),
});

/** Everything the Scheduler puts on the timers queue. */
export const timerMessage = z.discriminatedUnion("type", [taskTimerMessage, caseTimerMessage]);

/** "case X changed": its agency's transparency counters take the case's new figures. */
export const caseChangedMessage = z.object({
  type: z.literal("case.changed"),
  caseId: z.string().min(1).max(120),
  messageId: z.string().min(1),
});
