/**
 * The one list of Gongkai's functions. The CDK app provisions exactly these
 * (one Lambda each, with only the grants named here) and the local host runs
 * the very same handlers on one machine. Nothing is declared twice.
 */

/** Queues carry hand-offs ("look at case X, step Y"); each gets a dead-letter queue. */
export const queues = {
  /** intake → registration step */
  registration: { maxReceiveCount: 5, visibilityTimeoutSeconds: 60 },
  /** outgoing email, one message per mail */
  mail: { maxReceiveCount: 5, visibilityTimeoutSeconds: 60 },
  /** Scheduler targets: reminders and escalations of tasks and statutory deadlines */
  timers: { maxReceiveCount: 5, visibilityTimeoutSeconds: 60 },
} as const;

export type QueueName = keyof typeof queues;
export const queueNames = Object.keys(queues) as QueueName[];

/** HTTP routes are matched on path only; each function's router answers 405 for wrong methods. */
export interface HttpTrigger {
  kind: "http";
  /** API Gateway HTTP API path templates, e.g. `/api/v1/applications/{trackingNumber}`; `$default` catches the rest. */
  paths: string[];
}
export interface QueueTrigger {
  kind: "queue";
  queue: QueueName;
  batchSize: number;
}
export interface ScheduleTrigger {
  kind: "schedule";
  /** EventBridge Scheduler expression, e.g. `rate(1 minute)` */
  expression: string;
}
export type Trigger = HttpTrigger | QueueTrigger | ScheduleTrigger;

/** What a function may touch; the CDK app grants exactly this and nothing more. */
export interface Grants {
  table?: "read" | "readWrite";
  sendTo?: QueueName[];
  /** create and delete schedules in the app's schedule group (and pass the Scheduler's role) */
  scheduler?: boolean;
  /** send email (SES where it exists, SMTP otherwise) */
  mail?: boolean;
  files?: "read" | "readWrite";
}

export interface FunctionSpec {
  /** kebab-case, unique; becomes the Lambda's logical name */
  name: string;
  /** entry file, relative to the repository root; must export `handler` */
  entry: string;
  description: string;
  trigger: Trigger;
  grants: Grants;
  timeoutSeconds?: number;
  memoryMb?: number;
  /** served by the local host only, never deployed (e.g. the local clock) */
  localOnly?: boolean;
}

export const functions: FunctionSpec[] = [
  {
    name: "public-portal",
    entry: "functions/http/public-portal.ts",
    description: "Citizen portal pages and the public JSON API (applications, tracking, OpenAPI)",
    trigger: {
      kind: "http",
      paths: [
        "/",
        "/apply",
        "/track",
        "/api/v1/openapi.json",
        "/api/v1/applications",
        "/api/v1/applications/{trackingNumber}",
        "/api/v1/applications/{trackingNumber}/correction",
        "$default",
      ],
    },
    grants: { table: "readWrite", sendTo: ["registration"] },
  },
  {
    name: "staff-console",
    entry: "functions/http/staff-console.ts",
    description: "Staff sign-in, task inbox, case view and the staff JSON API",
    trigger: {
      kind: "http",
      paths: [
        "/api/v1/auth/login",
        "/api/v1/auth/logout",
        "/api/v1/tasks",
        "/api/v1/tasks/{taskId}/complete",
        "/api/v1/cases/{caseId}",
        "/api/v1/calendar/years",
        "/console",
        "/console/{proxy+}",
      ],
    },
    grants: { table: "readWrite", sendTo: ["registration", "mail"], scheduler: true },
  },
  {
    name: "registration-step",
    entry: "functions/steps/registration.ts",
    description: "Opens the office's registration task for a newly received application",
    trigger: { kind: "queue", queue: "registration", batchSize: 10 },
    grants: { table: "readWrite", sendTo: ["mail"], scheduler: true },
  },
  {
    name: "mail-sender",
    entry: "functions/mail/sender.ts",
    description: "Sends one queued email, exactly once per message id",
    trigger: { kind: "queue", queue: "mail", batchSize: 10 },
    grants: { table: "readWrite", mail: true },
  },
  {
    name: "deadline-timer",
    entry: "functions/timers/deadline-timer.ts",
    description: "Reminds and escalates when a task's or the statutory answer deadline's Scheduler timer fires",
    trigger: { kind: "queue", queue: "timers", batchSize: 10 },
    grants: { table: "readWrite", sendTo: ["mail"], scheduler: true },
  },
  {
    name: "deadline-sweeper",
    entry: "functions/timers/deadline-sweeper.ts",
    description: "Escalates overdue tasks and answer deadlines whose Scheduler timer never arrived",
    trigger: { kind: "schedule", expression: "rate(15 minutes)" },
    grants: { table: "readWrite", sendTo: ["mail"], scheduler: true },
  },
  {
    name: "outbox-relay",
    entry: "functions/timers/outbox-relay.ts",
    description: "Re-sends outbox messages that were committed but never handed to their queue",
    trigger: { kind: "schedule", expression: "rate(1 minute)" },
    grants: { table: "readWrite", sendTo: ["registration", "mail", "timers"] },
  },
  {
    name: "local-clock",
    entry: "functions/http/local-clock.ts",
    description: "Moves the local stack's clock forward and fires due schedules (local only)",
    trigger: { kind: "http", paths: ["/api/v1/local/clock", "/local/clock"] },
    grants: {},
    localOnly: true,
  },
];

/** Key attribute names of the single table; the CDK table is built from these. */
export const tableKeys = {
  partitionKey: "pk",
  sortKey: "sk",
  indexes: [
    { name: "gsi1", partitionKey: "gsi1pk", sortKey: "gsi1sk" },
    { name: "gsi2", partitionKey: "gsi2pk", sortKey: "gsi2sk" },
  ],
  timeToLive: "expiresAt",
} as const;

/** Name of the EventBridge Scheduler group that holds task timers. */
export const scheduleGroupName = "gongkai-timers";
