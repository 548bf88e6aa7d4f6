import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { ListSchedulesCommand, SchedulerClient } from "@aws-sdk/client-scheduler";
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { DEMO_PASSWORD, demoAgencies } from "../../shared/app/seed-demo";
import { queueNames } from "../../shared/manifest";
import { queueUrlEnvName } from "../../shared/config";
import { eventually, type LocalProcess } from "./local-process";
import type { OutboxMessage } from "../../shared/app/ports/outbox";

/**
 * A client of the running local stack, over HTTP as an agency's integration would use
 * it (SPEC §7), plus the stand-ins' own endpoints for what a test must inspect.
 */
export interface LocalApi {
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Headers }>;
  token(username: string, agencyCode?: string): Promise<string>;
  /** waits for the open task of a step of a case to reach the user's task list */
  task(username: string, caseId: string, step: string): Promise<any>;
  complete(username: string, caseId: string, step: string, input: Record<string, unknown>): Promise<{ status: number; body: any }>;
  caseView(caseId: string, username?: string): Promise<any>;
  advanceWorkingDays(n: number): Promise<void>;
  mail(): Promise<Array<{ subject: string; to: string[]; text: string; attachments?: Array<{ filename: string }> }>>;
  env: Record<string, string>;
  /** every item of the table (the whole state), for before/after comparisons */
  scan(): Promise<Array<Record<string, unknown>>>;
  scheduleNames(): Promise<string[]>;
  /** sends a message to a queue as its producer would */
  send(queue: string, body: Record<string, unknown>): Promise<void>;
  /** waits until every queue is empty and nothing is in flight */
  idle(timeoutMs?: number): Promise<void>;
  /** the items whose pk matches, serialised and sorted: the state a replay must leave as it was */
  state(pk: RegExp): Promise<string[]>;
  /** delivers again every queue message of the outbox and every timer whose moment has come; returns how many */
  replayDelivered(): Promise<number>;
}

export function localApi(stack: LocalProcess): LocalApi {
  const env = JSON.parse(readFileSync(join(stack.dataDir, "local-env.json"), "utf8")) as Record<string, string>;
  const credentials = { accessKeyId: "local", secretAccessKey: "local" };
  const region = env.AWS_REGION ?? "us-east-1";
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: env.AWS_ENDPOINT_URL_DYNAMODB, region, credentials }));
  const scheduler = new SchedulerClient({ endpoint: env.AWS_ENDPOINT_URL_SCHEDULER, region, credentials });
  const sqs = new SQSClient({ endpoint: env.AWS_ENDPOINT_URL_SQS, region, credentials, useQueueUrlAsEndpoint: false });
  const tokens = new Map<string, string>();
  const queueUrl = (q: string) => env[queueUrlEnvName(q)]!;

  const api: LocalApi = {
    env,
    async call(method, path, body, headers = {}) {
      const res = await fetch(`${stack.baseUrl}${path}`, {
        method,
        headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
        ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
      });
      // moving the clock ends sessions (they last 12 hours of clock time): sign in afresh after it
      if (path.startsWith("/api/v1/local/clock") && method === "POST") tokens.clear();
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON (a letter, a page)
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
    async token(username, agencyCode = demoAgencies[0]!.code) {
      const key = `${agencyCode}/${username}`;
      if (!tokens.has(key)) {
        const res = await api.call("POST", "/api/v1/auth/login", { agencyCode, username, password: DEMO_PASSWORD });
        if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`);
        tokens.set(key, res.body.token as string);
      }
      return tokens.get(key)!;
    },
    async task(username, caseId, step) {
      const token = await api.token(username);
      return eventually(
        async () => {
          const res = await api.call("GET", "/api/v1/tasks?status=open", undefined, { authorization: `Bearer ${token}` });
          return (res.body as any[]).find((t) => t.caseId === caseId && t.step === step);
        },
        10_000,
        `${step} task of ${caseId} for ${username}`,
      );
    },
    async complete(username, caseId, step, input) {
      const task = await api.task(username, caseId, step);
      return api.call("POST", `/api/v1/tasks/${task.taskId}/complete`, input, { authorization: `Bearer ${await api.token(username)}` });
    },
    async caseView(caseId, username = "office") {
      const res = await api.call("GET", `/api/v1/cases/${caseId}`, undefined, { authorization: `Bearer ${await api.token(username)}` });
      if (res.status !== 200) throw new Error(`case ${caseId}: ${res.status}`);
      return res.body;
    },
    async advanceWorkingDays(n) {
      const res = await api.call("POST", "/api/v1/local/clock", { advanceWorkingDays: n });
      if (res.status !== 200) throw new Error(`clock: ${res.status} ${JSON.stringify(res.body)}`);
      await api.idle();
    },
    async mail() {
      return (await fetch(`${stack.baseUrl}/local/mail/messages`)).json() as never;
    },
    async scan() {
      const items: Array<Record<string, unknown>> = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const out = await doc.send(new ScanCommand({ TableName: env.TABLE_NAME, ExclusiveStartKey, ConsistentRead: true }));
        items.push(...((out.Items ?? []) as Array<Record<string, unknown>>));
        ExclusiveStartKey = out.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return items;
    },
    async scheduleNames() {
      const names: string[] = [];
      let NextToken: string | undefined;
      do {
        const out = await scheduler.send(new ListSchedulesCommand({ GroupName: env.SCHEDULE_GROUP, NextToken }));
        names.push(...(out.Schedules ?? []).map((s) => s.Name ?? ""));
        NextToken = out.NextToken;
      } while (NextToken);
      return names;
    },
    async send(queue, body) {
      await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl(queue), MessageBody: JSON.stringify(body) }));
    },
    async state(pk) {
      return (await api.scan())
        .filter((i) => pk.test(String(i.pk)))
        .map((i) => JSON.stringify(i))
        .sort();
    },
    async replayDelivered() {
      const now = (await api.call("GET", "/api/v1/local/clock")).body.now as string;
      let replayed = 0;
      for (const r of (await api.scan()).filter((i) => String(i.pk).startsWith("OUTBOX#"))) {
        const m = r.message as OutboxMessage;
        if (m.kind === "queue") {
          await api.send(m.queue, { ...m.body, messageId: r.messageId });
          replayed++;
          continue;
        }
        // a schedule delivers once its moment has come: those are the timers the run delivered
        for (const c of m.kind === "scheduler" ? m.calls : [m]) {
          if (c.kind !== "schedule" || Date.parse(c.at) > Date.parse(now)) continue;
          await api.send("timers", c.input);
          replayed++;
        }
      }
      return replayed;
    },
    async idle(timeoutMs = 20_000) {
      // quiet twice in a row: a consumer may be between taking one message and sending the next
      let quiet = 0;
      await eventually(
        async () => {
          let busy = 0;
          for (const q of queueNames) {
            const a = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl(q), AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }));
            busy += Number(a.Attributes?.ApproximateNumberOfMessages ?? 0) + Number(a.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
          }
          quiet = busy === 0 ? quiet + 1 : 0;
          return quiet >= 2 ? true : undefined;
        },
        timeoutMs,
        "queues to drain",
      );
    },
  };
  return api;
}
