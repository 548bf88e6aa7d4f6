import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import type { SQSClient } from "@aws-sdk/client-sqs";
import type { Clock } from "../../domain/clock";
import { openJournal } from "./journal";
import { listenHost } from "./listen";
import { ExpressionError, nextOccurrence, parseExpression } from "./schedule-expression";
import type { ParsedExpression } from "./schedule-expression";

/**
 * A small EventBridge Scheduler that `@aws-sdk/client-scheduler` talks to unchanged
 * (REST-JSON: paths, epoch-second timestamps, errors in `x-amzn-errortype`).
 * Targets are SQS queues only; firing follows the injected clock.
 */

export interface SchedulerLocalOptions {
  clock: Clock;
  sqs: SQSClient;
  /** maps a target queue ARN to its URL; undefined = unknown queue */
  resolveQueueUrl(arn: string): string | undefined;
  /** 0 / undefined = any free port */
  port?: number;
  /** the address to listen on; default GONGKAI_LISTEN or 127.0.0.1 (listen.ts) */
  host?: string;
  /** persisted state (npm start); memory only when absent */
  dataFile?: string;
  /** real-time interval of the background fireDue(); 0 disables it. Default 1000 ms. */
  tickMs?: number;
  region?: string;
  accountId?: string;
  /** where failures of the background tick go */
  log?: (message: string) => void;
}

export interface SchedulerLocal {
  endpoint: string;
  port: number;
  /** fires every enabled schedule whose time has come; resolves to how many fired */
  fireDue(): Promise<number>;
  /** total firings since start (for "how many fired during this jump") */
  firedTotal(): number;
  stop(): Promise<void>;
}

interface StoredTarget {
  Arn: string;
  RoleArn: string;
  Input?: string;
  SqsParameters?: { MessageGroupId?: string };
  [k: string]: unknown;
}

interface StoredSchedule {
  Name: string;
  GroupName: string;
  ScheduleExpression: string;
  ScheduleExpressionTimezone?: string;
  State: "ENABLED" | "DISABLED";
  Description?: string;
  StartDate?: number;
  EndDate?: number;
  KmsKeyArn?: string;
  Target: StoredTarget;
  FlexibleTimeWindow: { Mode: string; MaximumWindowInMinutes?: number };
  ActionAfterCompletion?: "NONE" | "DELETE";
  /** ms */
  CreationDate: number;
  LastModificationDate: number;
  nextFireAt: number | null;
  lastFiredAt?: number;
}

interface StoredGroup {
  Name: string;
  CreationDate: number;
  LastModificationDate: number;
}

interface State {
  groups: StoredGroup[];
  schedules: StoredSchedule[];
}

/** one journal line per change; each is idempotent (upsert / delete by key) */
type Change =
  | { op: "putGroup"; group: StoredGroup }
  | { op: "deleteGroup"; name: string }
  | { op: "putSchedule"; schedule: StoredSchedule }
  | { op: "deleteSchedule"; group: string; name: string };

function applyChange(state: State, c: Change): void {
  switch (c.op) {
    case "putGroup": {
      const i = state.groups.findIndex((g) => g.Name === c.group.Name);
      if (i >= 0) state.groups[i] = c.group;
      else state.groups.push(c.group);
      return;
    }
    case "deleteGroup":
      state.groups = state.groups.filter((g) => g.Name !== c.name);
      state.schedules = state.schedules.filter((s) => s.GroupName !== c.name);
      return;
    case "putSchedule": {
      const { GroupName, Name } = c.schedule;
      const i = state.schedules.findIndex((s) => s.GroupName === GroupName && s.Name === Name);
      if (i >= 0) state.schedules[i] = c.schedule;
      else state.schedules.push(c.schedule);
      return;
    }
    case "deleteSchedule":
      state.schedules = state.schedules.filter((s) => !(s.GroupName === c.group && s.Name === c.name));
      return;
  }
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}
const validation = (m: string) => new ApiError(400, "ValidationException", m);
const notFound = (m: string) => new ApiError(404, "ResourceNotFoundException", m);
const conflict = (m: string) => new ApiError(409, "ConflictException", m);

const NAME = /^[0-9a-zA-Z\-_.]{1,64}$/;

export async function startSchedulerLocal(opts: SchedulerLocalOptions): Promise<SchedulerLocal> {
  const region = opts.region ?? "us-east-1";
  const account = opts.accountId ?? "000000000000";
  const log = opts.log ?? ((m: string) => console.error(m));
  // snapshot + append-only journal: a change costs one appended line, not a rewrite of every schedule
  const journal = openJournal<State, Change>({
    file: opts.dataFile,
    initial: () => ({ groups: [], schedules: [] }),
    apply: applyChange,
    size: (st) => st.groups.length + st.schedules.length,
  });
  const state = journal.state;
  if (!state.groups.some((g) => g.Name === "default")) {
    const t = opts.clock.now().getTime();
    journal.commit({ op: "putGroup", group: { Name: "default", CreationDate: t, LastModificationDate: t } });
  }

  const groupArn = (g: string) => `arn:aws:scheduler:${region}:${account}:schedule-group/${g}`;
  const scheduleArn = (s: { GroupName: string; Name: string }) => `arn:aws:scheduler:${region}:${account}:schedule/${s.GroupName}/${s.Name}`;
  const secs = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);
  const findGroup = (name: string) => state.groups.find((g) => g.Name === name);
  const findSchedule = (group: string, name: string) => state.schedules.find((s) => s.GroupName === group && s.Name === name);
  let fired = 0;

  function parse(s: Pick<StoredSchedule, "ScheduleExpression" | "ScheduleExpressionTimezone">): ParsedExpression {
    try {
      return parseExpression(s.ScheduleExpression, s.ScheduleExpressionTimezone ?? "UTC");
    } catch (err) {
      if (err instanceof ExpressionError) throw validation(err.message);
      throw err;
    }
  }

  /** next firing after `after`; one-time schedules whose instant already passed fire at once (at-least-once) */
  function computeNext(s: StoredSchedule, after: number): number | null {
    const parsed = parse(s);
    if (parsed.kind === "at") return parsed.instant;
    const anchor = s.StartDate ?? s.CreationDate;
    const next = nextOccurrence(parsed, Math.max(after, anchor - 1), anchor);
    if (next !== null && s.EndDate !== undefined && next > s.EndDate) return null;
    return next;
  }

  function scheduleFromBody(name: string, body: Record<string, unknown>, existing?: StoredSchedule): StoredSchedule {
    if (!NAME.test(name)) throw validation(`Invalid schedule name: ${name}`);
    const groupName = typeof body.GroupName === "string" && body.GroupName ? body.GroupName : "default";
    if (!findGroup(groupName)) throw notFound(`Schedule group ${groupName} does not exist.`);
    const expr = body.ScheduleExpression;
    if (typeof expr !== "string" || !expr) throw validation("ScheduleExpression is required.");
    const target = body.Target as StoredTarget | undefined;
    if (!target || typeof target.Arn !== "string" || typeof target.RoleArn !== "string") throw validation("Target.Arn and Target.RoleArn are required.");
    if (!/^arn:aws[\w-]*:sqs:[\w-]+:\d{12}:[\w.-]+$/.test(target.Arn)) {
      throw validation(`The local Scheduler only supports SQS targets, got ${target.Arn}`);
    }
    if (!/^arn:aws[\w-]*:iam::\d{12}:role\/.+$/.test(target.RoleArn)) throw validation(`Invalid Target.RoleArn: ${target.RoleArn}`);
    if (target.Input !== undefined && typeof target.Input !== "string") throw validation("Target.Input must be a string.");
    const ftw = body.FlexibleTimeWindow as StoredSchedule["FlexibleTimeWindow"] | undefined;
    if (!ftw || (ftw.Mode !== "OFF" && ftw.Mode !== "FLEXIBLE")) throw validation("FlexibleTimeWindow.Mode must be OFF or FLEXIBLE.");
    const st = body.State ?? "ENABLED";
    if (st !== "ENABLED" && st !== "DISABLED") throw validation(`Invalid State: ${String(st)}`);
    const aac = body.ActionAfterCompletion;
    if (aac !== undefined && aac !== "NONE" && aac !== "DELETE") throw validation(`Invalid ActionAfterCompletion: ${String(aac)}`);
    const now = opts.clock.now().getTime();
    const tz = typeof body.ScheduleExpressionTimezone === "string" ? body.ScheduleExpressionTimezone : undefined;
    const toMs = (v: unknown) => (typeof v === "number" ? v * 1000 : undefined);
    const s: StoredSchedule = {
      Name: name,
      GroupName: groupName,
      ScheduleExpression: expr,
      ScheduleExpressionTimezone: tz,
      State: st,
      Description: typeof body.Description === "string" ? body.Description : undefined,
      StartDate: toMs(body.StartDate),
      EndDate: toMs(body.EndDate),
      KmsKeyArn: typeof body.KmsKeyArn === "string" ? body.KmsKeyArn : undefined,
      Target: target,
      FlexibleTimeWindow: ftw,
      ActionAfterCompletion: aac as StoredSchedule["ActionAfterCompletion"],
      CreationDate: existing?.CreationDate ?? now,
      LastModificationDate: now,
      nextFireAt: null,
    };
    s.nextFireAt = computeNext(s, now);
    return s;
  }

  function scheduleView(s: StoredSchedule) {
    return {
      Arn: scheduleArn(s),
      GroupName: s.GroupName,
      Name: s.Name,
      ScheduleExpression: s.ScheduleExpression,
      ScheduleExpressionTimezone: s.ScheduleExpressionTimezone,
      StartDate: secs(s.StartDate),
      EndDate: secs(s.EndDate),
      Description: s.Description,
      State: s.State,
      CreationDate: secs(s.CreationDate),
      LastModificationDate: secs(s.LastModificationDate),
      KmsKeyArn: s.KmsKeyArn,
      Target: s.Target,
      FlexibleTimeWindow: s.FlexibleTimeWindow,
      ActionAfterCompletion: s.ActionAfterCompletion,
    };
  }

  function page<T>(items: T[], q: URLSearchParams): { items: T[]; next?: string } {
    const max = Math.min(Math.max(Number(q.get("MaxResults") ?? 100) || 100, 1), 100);
    const start = Number(q.get("NextToken") ?? 0) || 0;
    const slice = items.slice(start, start + max);
    return { items: slice, next: start + max < items.length ? String(start + max) : undefined };
  }

  function route(method: string, url: URL, body: Record<string, unknown>): unknown {
    const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    const q = url.searchParams;
    const [res, name] = parts;
    if (res === "schedule-groups" && parts.length <= 2) {
      if (name === undefined) {
        if (method !== "GET") throw validation("Unsupported method");
        const prefix = q.get("NamePrefix") ?? "";
        const { items, next } = page(
          state.groups.filter((g) => g.Name.startsWith(prefix)),
          q,
        );
        return {
          ScheduleGroups: items.map((g) => ({
            Arn: groupArn(g.Name),
            Name: g.Name,
            State: "ACTIVE",
            CreationDate: secs(g.CreationDate),
            LastModificationDate: secs(g.LastModificationDate),
          })),
          NextToken: next,
        };
      }
      const g = findGroup(name);
      if (method === "POST") {
        if (!NAME.test(name)) throw validation(`Invalid schedule group name: ${name}`);
        if (g) throw conflict(`Schedule group ${name} already exists.`);
        const t = opts.clock.now().getTime();
        journal.commit({ op: "putGroup", group: { Name: name, CreationDate: t, LastModificationDate: t } });
        return { ScheduleGroupArn: groupArn(name) };
      }
      if (!g) throw notFound(`Schedule group ${name} does not exist.`);
      if (method === "GET") {
        return { Arn: groupArn(g.Name), Name: g.Name, State: "ACTIVE", CreationDate: secs(g.CreationDate), LastModificationDate: secs(g.LastModificationDate) };
      }
      if (method === "DELETE") {
        if (name === "default") throw validation("The default schedule group cannot be deleted.");
        journal.commit({ op: "deleteGroup", name });
        return {};
      }
      throw validation("Unsupported method");
    }
    if (res === "schedules" && parts.length <= 2) {
      if (name === undefined) {
        if (method !== "GET") throw validation("Unsupported method");
        const group = q.get("ScheduleGroup");
        const prefix = q.get("NamePrefix") ?? "";
        const st = q.get("State");
        if (group && !findGroup(group)) throw notFound(`Schedule group ${group} does not exist.`);
        const { items, next } = page(
          state.schedules.filter((s) => (!group || s.GroupName === group) && s.Name.startsWith(prefix) && (!st || s.State === st)),
          q,
        );
        return {
          Schedules: items.map((s) => ({
            Arn: scheduleArn(s),
            Name: s.Name,
            GroupName: s.GroupName,
            State: s.State,
            CreationDate: secs(s.CreationDate),
            LastModificationDate: secs(s.LastModificationDate),
            Target: { Arn: s.Target.Arn },
          })),
          NextToken: next,
        };
      }
      const group = q.get("groupName") || (typeof body.GroupName === "string" && body.GroupName) || "default";
      const existing = findSchedule(group, name);
      if (method === "POST") {
        if (existing) throw conflict(`Schedule ${name} already exists.`);
        const s = scheduleFromBody(name, { ...body, GroupName: group });
        journal.commit({ op: "putSchedule", schedule: s });
        return { ScheduleArn: scheduleArn(s) };
      }
      if (method === "PUT") {
        if (!findGroup(group)) throw notFound(`Schedule group ${group} does not exist.`);
        if (!existing) throw notFound(`Schedule ${name} does not exist.`);
        const s = scheduleFromBody(name, { ...body, GroupName: group }, existing);
        journal.commit({ op: "putSchedule", schedule: s });
        return { ScheduleArn: scheduleArn(s) };
      }
      if (!findGroup(group)) throw notFound(`Schedule group ${group} does not exist.`);
      if (!existing) throw notFound(`Schedule ${name} does not exist.`);
      if (method === "GET") return scheduleView(existing);
      if (method === "DELETE") {
        journal.commit({ op: "deleteSchedule", group, name });
        return {};
      }
      throw validation("Unsupported method");
    }
    if (res === "tags") {
      // tags are accepted and ignored locally
      return method === "GET" ? { Tags: [] } : {};
    }
    throw new ApiError(404, "UnknownOperationException", `Unknown operation ${method} ${url.pathname}`);
  }

  async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    if (!text.trim()) return {};
    try {
      const v: unknown = JSON.parse(text);
      return v && typeof v === "object" ? (v as Record<string, unknown>) : {};
    } catch {
      throw validation("Request body is not valid JSON.");
    }
  }

  function send(res: ServerResponse, status: number, payload: unknown, errorType?: string) {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (errorType) headers["x-amzn-errortype"] = errorType;
    res.writeHead(status, headers);
    res.end(JSON.stringify(payload));
  }

  const server = createServer((req, res) => {
    void (async () => {
      try {
        const url = new URL(req.url ?? "/", "http://localhost");
        const body = await readBody(req);
        send(res, 200, route(req.method ?? "GET", url, body));
      } catch (err) {
        if (err instanceof ApiError) send(res, err.status, { Message: err.message }, err.type);
        else send(res, 500, { Message: String(err) }, "InternalServerException");
      }
    })();
  });

  // one firing pass at a time: the tick and a clock jump must not send the same schedule twice
  let chain: Promise<unknown> = Promise.resolve();
  async function fireOnce(): Promise<number> {
    const now = opts.clock.now().getTime();
    const due = state.schedules
      .filter((s) => s.State === "ENABLED" && s.nextFireAt !== null && s.nextFireAt <= now)
      .sort((a, b) => (a.nextFireAt ?? 0) - (b.nextFireAt ?? 0));
    let count = 0;
    for (const s of due) {
      const queueUrl = opts.resolveQueueUrl(s.Target.Arn);
      if (!queueUrl) {
        log(`[scheduler-local] schedule ${s.GroupName}/${s.Name}: unknown target queue ${s.Target.Arn}; will retry`);
        continue;
      }
      try {
        await opts.sqs.send(
          new SendMessageCommand({
            QueueUrl: queueUrl,
            MessageBody: s.Target.Input ?? "{}",
            MessageGroupId: s.Target.SqsParameters?.MessageGroupId,
          }),
        );
      } catch (err) {
        log(`[scheduler-local] schedule ${s.GroupName}/${s.Name}: SendMessage failed, will retry: ${String(err)}`);
        continue;
      }
      // only after a successful send: at-least-once
      count++;
      fired++;
      if (!state.schedules.includes(s)) continue; // deleted or replaced while sending
      const oneTime = s.ScheduleExpression.startsWith("at(");
      if (oneTime && s.ActionAfterCompletion === "DELETE") journal.commit({ op: "deleteSchedule", group: s.GroupName, name: s.Name });
      else journal.commit({ op: "putSchedule", schedule: { ...s, lastFiredAt: now, nextFireAt: oneTime ? null : computeNext(s, now) } });
    }
    return count;
  }
  const fireDue = (): Promise<number> => {
    const run = chain.then(fireOnce);
    chain = run.catch(() => undefined);
    return run;
  };

  await new Promise<void>((ok, fail) => {
    server.once("error", (err: NodeJS.ErrnoException) =>
      fail(err.code === "EADDRINUSE" ? new Error(`Port ${opts.port} for the Scheduler stand-in is already in use (set SCHEDULER_PORT to another port).`) : err),
    );
    server.listen(opts.port ?? 0, opts.host ?? listenHost(), () => ok());
  });
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : 0;

  const tickMs = opts.tickMs ?? 1000;
  const timer =
    tickMs > 0
      ? setInterval(() => {
          fireDue().catch((err: unknown) => log(`[scheduler-local] firing failed, will retry: ${String(err)}`));
        }, tickMs)
      : undefined;
  timer?.unref();

  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    fireDue,
    firedTotal: () => fired,
    stop: async () => {
      if (timer) clearInterval(timer);
      await chain;
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
      journal.close(); // no compaction here: the next start compacts anyway
    },
  };
}
