import { z } from "zod";

/** Payloads of queue messages and schedule inputs, validated at the edge of every consumer. */

export const applicationReceivedMessage = z.object({
  type: z.literal("application.received"),
  caseId: z.string().regex(/^[0-9A-Z]{26}$/),
  messageId: z.string().min(1),
});

export const mailSendMessage = z.object({
  type: z.literal("mail.send"),
  messageId: z.string().min(1),
  to: z.array(z.string().email()).min(1),
  subject: z.string().min(1).max(300),
  text: z.string().min(1).max(20_000),
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
  deadline: z.literal("answer"),
  kind: z.enum(["halfway", "last_day", "warning", "overdue"]),
  /** the due date the timer was set for; a timer for an old due date is stale */
  dueOn: z.string().min(1),
  workingDaysLeft: z.number().int().min(0).optional(),
});

/** Everything the Scheduler puts on the timers queue. */
export const timerMessage = z.discriminatedUnion("type", [taskTimerMessage, caseTimerMessage]);
