/**
 * The one list of Gongkai's functions. The CDK app provisions exactly these
 * (one Lambda each, with only the grants named here) and the local host runs
 * the very same handlers on one machine. Nothing is declared twice.
 *
 * Each workflow step gets its own queue and Lambda, derived from the workflow
 * definitions (shared/domain/workflows): adding a step adds both, in CDK and in
 * the local host, with no hand-written line.
 */
import { allSteps } from "./domain/workflows";
import { stepFunctionName, stepQueueName } from "./domain/workflows/names";

export interface QueueSpec {
  /** deliveries before SQS moves a message to the dead-letter queue: one more than there are retry delays */
  maxReceiveCount: number;
  /** how long a delivery holds a message; at least the consumer's function timeout (Lambda insists) */
  visibilityTimeoutSeconds: number;
  /** the hand-off queue of a workflow step */
  step?: { workflow: string; step: string };
}

export { stepQueueName, stepFunctionName };

/**
 * Backoff of a failed message, by the delivery that failed: after the 1st failure it waits
 * 10 s, after the 2nd 30 s, the 3rd 90 s, the 4th 5 min; the 5th failure sends it to the
 * dead-letter queue at once. Five tries span 7 min 10 s, so a store or mail server that is
 * away for minutes costs a delay, not a dead letter, while a message that can never succeed
 * reaches the DLQ (and its alarm) inside the outbox relay's first re-send (15 min after the
 * commit, shared/adapters/aws/outbox.ts REDELIVER_AFTER_MS; even with every try running
 * into the 30-s function timeout the fifth ends by about 10 min), and the relay's copy then
 * starts a fresh round of five: the two never overlap. The consumer sets these
 * (queue-consumer.ts, with ChangeMessageVisibility), on Lambda and on the local host alike.
 */
export const retryDelaysSeconds: readonly number[] = [10, 30, 90, 300];
const maxReceiveCount = retryDelaysSeconds.length + 1;

/** Seconds a message that failed its `receiveCount`-th delivery waits; 0 once it has no tries left (straight to the DLQ). */
export function retryDelayAfter(receiveCount: number): number {
  if (!Number.isFinite(receiveCount) || receiveCount < 1) return retryDelaysSeconds[0]!;
  return receiveCount >= maxReceiveCount ? 0 : retryDelaysSeconds[Math.floor(receiveCount) - 1]!;
}

const stepQueues: Record<string, QueueSpec> = Object.fromEntries(
  allSteps().map(({ workflow, step }) => [stepQueueName(workflow, step), { maxReceiveCount, visibilityTimeoutSeconds: 60, step: { workflow, step } }]),
);

/** Queues carry hand-offs ("look at case X, step Y"); each gets a dead-letter queue. */
export const queues: Record<string, QueueSpec> = {
  /** outgoing email, one message per mail */
  mail: { maxReceiveCount, visibilityTimeoutSeconds: 60 },
  /** Scheduler targets: reminders and escalations of tasks and case deadlines */
  timers: { maxReceiveCount, visibilityTimeoutSeconds: 60 },
  /** "case X changed": the transparency counters take its new figures (docs/transparency.md) */
  transparency: { maxReceiveCount, visibilityTimeoutSeconds: 60 },
  ...stepQueues,
};

export type QueueName = string;
export const queueNames: QueueName[] = Object.keys(queues);
export const stepQueueNames: QueueName[] = Object.keys(stepQueues);

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
  /** EventBridge Scheduler expression, e.g. `rate(1 minute)` or `cron(0 2 20 1 ? *)` */
  expression: string;
  /** time zone of a cron() expression; default UTC */
  timezone?: string;
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
  /** read the depth of the dead-letter queues behind the queues it may send to (sqs:GetQueueAttributes, GetQueueUrl), for the security inspection */
  deadLetterDepths?: boolean;
  /** read the table's point-in-time-recovery status (dynamodb:DescribeContinuousBackups), for the security inspection */
  backupStatus?: boolean;
}

/** Memory of a function that names none: deployed as such, and what the bench prices Lambda at. */
export const DEFAULT_MEMORY_MB = 512;

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
  /** the workflow step this function works (step functions only) */
  step?: { workflow: string; step: string };
}

/** What applies a workflow decision needs: any step may be opened, timers set, letters stored. */
const decides: Grants = { table: "readWrite", sendTo: ["mail", "transparency", ...stepQueueNames], scheduler: true, files: "readWrite" };

const stepFunctions: FunctionSpec[] = allSteps().map(({ workflow, step, title, automatic }) => ({
  name: stepFunctionName(workflow, step),
  entry: "functions/steps/step.ts",
  description: automatic
    ? `Works the ${workflow} step "${step}" (${title}) itself and completes its task`
    : `Hands the ${workflow} step "${step}" (${title}) to its reviewers: opens or announces the task`,
  trigger: { kind: "queue", queue: stepQueueName(workflow, step), batchSize: 10 },
  // a step that completes its own task decides like a reviewer would; the others only open and announce
  grants: automatic ? decides : { table: "readWrite", sendTo: ["mail", "transparency"], scheduler: true },
  step: { workflow, step },
}));

export const functions: FunctionSpec[] = [
  {
    name: "public-portal",
    entry: "functions/http/public-portal.ts",
    description: "Citizen portal pages and the public JSON API (applications, tracking, correction, letters, the catalogue, the guide, OpenAPI)",
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
        "/api/v1/applications/{trackingNumber}/letters/{letterId}",
        "/api/v1/applications/{trackingNumber}/access-code",
        "/catalogue",
        "/catalogue/feed.xml",
        "/catalogue/{agencyCode}/{entry}",
        "/catalogue/{agencyCode}/{entry}/attachments/{n}",
        "/guide",
        "/care",
        "/api/v1/catalogue",
        "/api/v1/catalogue/{agencyCode}/{entry}",
        "/api/v1/consultations",
        "/api/v1/consultations/{caseId}",
        "/api/v1/consultations/{caseId}/comments",
        "/consultations",
        "/consultations/{caseId}",
        "/consultations/{caseId}/comments",
        "/transparency",
        "/transparency/{agencyCode}",
        "$default",
      ],
    },
    grants: decides,
  },
  {
    name: "staff-console",
    entry: "functions/http/staff-console.ts",
    description: "Staff sign-in, task inbox, case view, search, staff intake and the staff JSON API",
    trigger: {
      kind: "http",
      paths: [
        "/api/v1/auth/login",
        "/api/v1/auth/logout",
        "/api/v1/tasks",
        "/api/v1/tasks/{taskId}/complete",
        "/api/v1/cases",
        "/api/v1/cases/{caseId}",
        "/api/v1/cases/{caseId}/letters/{letterId}",
        "/api/v1/staff/applications",
        "/api/v1/publications",
        "/api/v1/documents",
        "/api/v1/catalogue-changes",
        "/api/v1/cases/{caseId}/approval-form",
        "/api/v1/reports/annual",
        "/api/v1/reports/annual/entries",
        "/api/v1/reports/annual/narrative",
        "/api/v1/reports/monthly",
        "/api/v1/reports/annual/final",
        "/api/v1/cases/{caseId}/remedies",
        "/api/v1/imports/applications",
        "/api/v1/calendar/years",
        // staff accounts, passwords and agencies (SPEC §7.4; shared/http/account-routes.ts)
        "/api/v1/auth/password",
        "/api/v1/auth/password-reset",
        "/api/v1/auth/totp",
        "/api/v1/auth/totp/confirm",
        "/api/v1/admin/users",
        "/api/v1/admin/users/{username}",
        "/api/v1/admin/users/{username}/password-reset",
        "/api/v1/admin/agency",
        "/api/v1/admin/agencies",
        "/api/v1/votes",
        "/api/v1/votes/{voteId}",
        "/api/v1/votes/{voteId}/ballots",
        "/api/v1/duty/rosters",
        "/api/v1/duty/days/{caseId}/annotations",
        "/api/v1/duty/summary",
        "/api/v1/duty/settings",
        "/api/v1/incidents",
        "/api/v1/inspections",
        "/console",
        "/console/{proxy+}",
      ],
    },
    grants: decides,
  },
  ...stepFunctions,
  {
    name: "mail-sender",
    entry: "functions/mail/sender.ts",
    description: "Sends one queued email (with its letters attached), exactly once per message id",
    trigger: { kind: "queue", queue: "mail", batchSize: 10 },
    grants: { table: "readWrite", mail: true, files: "read" },
  },
  {
    name: "transparency-counter",
    entry: "functions/transparency/counter.ts",
    description: "Moves a changed case's figures into its agency's transparency counters, once per case version",
    trigger: { kind: "queue", queue: "transparency", batchSize: 10 },
    grants: { table: "readWrite" },
  },
  {
    name: "deadline-timer",
    entry: "functions/timers/deadline-timer.ts",
    description: "Reminds, escalates or applies a deadline's expiry when a task's or a case deadline's Scheduler timer fires",
    trigger: { kind: "queue", queue: "timers", batchSize: 10 },
    grants: decides,
  },
  {
    name: "deadline-sweeper",
    entry: "functions/timers/deadline-sweeper.ts",
    description: "Escalates overdue tasks and case deadlines whose Scheduler timer never arrived",
    trigger: { kind: "schedule", expression: "rate(15 minutes)" },
    grants: decides,
  },
  {
    name: "outbox-relay",
    entry: "functions/timers/outbox-relay.ts",
    description: "Re-sends outbox messages that were committed but never handed to their queue or the Scheduler",
    trigger: { kind: "schedule", expression: "rate(1 minute)" },
    grants: { table: "readWrite", sendTo: [...queueNames], scheduler: true },
  },
  {
    name: "case-archiver",
    entry: "functions/timers/case-archiver.ts",
    description: "Each January: bundles the previous year's closed applications (record, letters, timeline, audit check) into the files bucket",
    // seed 六、归档: 次年1月底前须将上一年度依申请公开材料整理归档
    trigger: { kind: "schedule", expression: "cron(0 2 10 1 ? *)", timezone: "Asia/Shanghai" },
    grants: { table: "readWrite", files: "readWrite", sendTo: ["transparency"] },
    timeoutSeconds: 900,
  },
  {
    name: "document-reconciler",
    entry: "functions/timers/document-reconciler.ts",
    description: "On the 1st of each month: opens each agency's reconciliation of last month's issued documents against the catalogue",
    // seed 公文类信息主动公开工作流程 四: 每月集中比对纸质文件材料
    trigger: { kind: "schedule", expression: "cron(0 1 1 * ? *)", timezone: "Asia/Shanghai" },
    grants: { table: "readWrite", sendTo: ["reconciliation-reconcile"] },
  },
  {
    name: "weekly-risk-report",
    entry: "functions/timers/weekly-report.ts",
    description: "Mondays 09:00: stores each agency's weekly risk report (overdue and soon-due tasks and applications) and mails it to the office director and deputy leader",
    // SPEC §5 item 2: 每周一 09:00 风险周报
    trigger: { kind: "schedule", expression: "cron(0 9 ? * MON *)", timezone: "Asia/Shanghai" },
    grants: { table: "readWrite", files: "readWrite", sendTo: ["mail"] },
  },
  {
    name: "monthly-publishing-report",
    entry: "functions/timers/monthly-report.ts",
    description: "1st of the month 09:00: stores each agency's report of the month before (published per channel and column, documents issued against published, returns and rejections) and mails it to the office director and the publishing section",
    // SPEC §5 item 3
    trigger: { kind: "schedule", expression: "cron(0 9 1 * ? *)", timezone: "Asia/Shanghai" },
    grants: { table: "readWrite", files: "readWrite", sendTo: ["mail"] },
  },
  {
    name: "duty-day-opener",
    entry: "functions/timers/duty-days.ts",
    description: "Working days 08:30: opens each agency's duty day for the officer on the roster, with the previous officer's open matters handed over",
    // seed 值班值守制度: 每日值守人员负责定时检查…
    trigger: { kind: "schedule", expression: "cron(30 8 * * ? *)", timezone: "Asia/Shanghai" },
    grants: { table: "readWrite", files: "read", sendTo: ["mail", ...stepQueueNames], scheduler: true },
  },
  {
    name: "site-monitor",
    entry: "functions/timers/site-monitor.ts",
    description: "At set times of the day: fetches each agency's configured pages, records availability, response time and content hashes, and opens an incident for an outage or an unexpected change",
    trigger: { kind: "schedule", expression: "cron(0 9,11,14,16 * * ? *)", timezone: "Asia/Shanghai" },
    grants: decides,
  },
  {
    name: "security-inspection",
    entry: "functions/timers/security-inspection.ts",
    description: "Mondays 10:00: opens each agency's security inspection (every inspectionEveryWeeks weeks) with its checklist filled in",
    // seed 网站安全防护制度 第一条: 对网站进行定期巡检
    trigger: { kind: "schedule", expression: "cron(0 10 ? * MON *)", timezone: "Asia/Shanghai" },
    grants: { ...decides, deadLetterDepths: true, backupStatus: true },
  },
  {
    name: "duty-summary",
    entry: "functions/timers/duty-summary.ts",
    description: "On the 1st at 09:00: stores and mails each agency's duty and inspection summary of the month before, once per month",
    // SPEC §5 item 5
    trigger: { kind: "schedule", expression: "cron(0 9 1 * ? *)", timezone: "Asia/Shanghai" },
    grants: { table: "readWrite", files: "readWrite", sendTo: ["mail"] },
  },
  {
    name: "annual-report-draft",
    entry: "functions/timers/annual-report.ts",
    description: "2 January 09:00: stores each agency's annual report of the year just ended (tables, checks, text drafts) and mails it to the office director and deputy leader, due 31 January",
    // SPEC §5 item 1; OGI Regulations art. 49: published by 31 January
    trigger: { kind: "schedule", expression: "cron(0 9 2 1 ? *)", timezone: "Asia/Shanghai" },
    grants: { table: "readWrite", files: "readWrite", sendTo: ["mail"] },
  },
  {
    name: "local-clock",
    entry: "functions/http/local-clock.ts",
    description: "Moves the local stack's clock forward and fires due schedules, and stops or restores a page for outage drills (local only)",
    trigger: { kind: "http", paths: ["/api/v1/local/clock", "/local/clock", "/local/outage"] },
    grants: { table: "read" },
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
