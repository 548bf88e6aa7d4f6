/**
 * The local host: runs every function of the manifest on one machine, the way
 * API Gateway (HTTP API, payload 2.0), the SQS event source mapping and
 * EventBridge Scheduler would invoke them in AWS. Same handlers, same events, and
 * each invocation sees only its own function's environment (runtime-env.ts), as a
 * separate Lambda would.
 */
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { SQSClient } from "@aws-sdk/client-sqs";
import type { Clock } from "../../domain/clock";
import type { FunctionSpec, QueueName } from "../../manifest";
import type { HttpReply, RawRequest } from "./host-http";
import {
  buildRouteTable,
  fromHandlerResult,
  internalErrorReply,
  notFoundReply,
  outageReply,
  toApiGatewayEvent,
  tooLargeReply,
} from "./host-http";
import { API_GATEWAY_MAX_BODY_BYTES, bodyLimitFor } from "../../http/limits";
import { listenHost } from "./listen";
import type { LambdaHandler } from "./host-lambda";
import { cachedLoader, importHandler, invoke } from "./host-lambda";
import type { Poller } from "./host-sqs";
import { startPoller } from "./host-sqs";
import type { ScheduleRunner } from "./host-schedule";
import { cronMarks, parseRate, scheduledEvent, startCron, startSchedule } from "./host-schedule";
import { runInFunctionScope } from "../runtime-env";
import { isPageDown } from "./controls";

export interface HostOptions {
  functions: FunctionSpec[];
  /** 0 = any free port */
  port: number;
  /** the address to listen on; default GONGKAI_LISTEN or 127.0.0.1 (listen.ts) */
  host?: string;
  /** the body limit of a path; default shared/http/limits.ts (never above API Gateway's 10 MiB) */
  bodyLimit?: (path: string) => number;
  /** headers must have arrived within this; default 10 s */
  headersTimeoutMs?: number;
  /** the whole request, headers and body, must have arrived within this; default 60 s */
  requestTimeoutMs?: number;
  /** a body that sends nothing for this long is cut with 408; default 10 s */
  bodyIdleTimeoutMs?: number;
  queueUrls: Record<QueueName, string>;
  /** @aws-sdk/client-sqs client pointed at the SQS stand-in (fauxqs) */
  sqs: SQSClient;
  /** stamps requestContext.timeEpoch and schedule event times; cron() schedules fire by it (at once when a LocalClock moves) */
  clock: Clock;
  /**
   * The environment each function sees while it runs (shared/environment.ts: its manifest
   * grants); default none. Process-wide variables (SDK endpoints) stay in process.env.
   */
  environment?: (spec: FunctionSpec) => Record<string, string>;
  /** where cron() schedules remember what already fired (npm start: in the data folder); memory when absent */
  scheduleStateFile?: string;
  /** real-time interval at which cron() schedules look at the clock; default 1000 ms */
  cronTickMs?: number;
  /** exact-path routes served before the manifest, e.g. "/local/mail" */
  extraRoutes?: Record<string, (req: IncomingMessage, res: ServerResponse) => void>;
  /** pause between empty (long) polls; default 0 */
  pollIntervalMs?: number;
  /** default: dynamic import of `<rootDir>/<spec.entry>`, export `handler` */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- the contract's signature
  loadHandler?: (spec: FunctionSpec) => Promise<Function>;
  /** repo root; default resolved from this file's location */
  rootDir?: string;
  /** visibility timeout given to failed messages before they are retried; default 2 s */
  retryDelaySeconds?: number;
  /** long-poll wait per ReceiveMessage; default 1 s (also bounds how long stop() waits for a poll) */
  waitTimeSeconds?: number;
  /** one JSON object per line; default writes to stdout */
  log?: (entry: Record<string, unknown>) => void;
}

export interface RunningHost {
  url: string;
  stop(): Promise<void>;
}

const STOP_TIMEOUT_MS = 10_000;

const defaultLog = (entry: Record<string, unknown>) => {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
};

function send(res: ServerResponse, reply: HttpReply): void {
  if (res.headersSent) return;
  res.statusCode = reply.statusCode;
  for (const [k, v] of Object.entries(reply.headers)) res.setHeader(k, v);
  res.setHeader("content-length", reply.body.length);
  res.end(reply.body);
}

type BodyRead = { kind: "body"; body: Buffer } | { kind: "tooLarge" } | { kind: "idle" } | { kind: "gone" };

/**
 * Reads the body up to `limit` bytes. Past the limit (declared or counted while it streams)
 * it stops reading at once: memory per connection is bounded by the path's limit, not by
 * what a client chooses to send. A body that goes silent for `idleMs` is given up too.
 */
function readBody(req: IncomingMessage, limit: number, idleMs: number): Promise<BodyRead> {
  return new Promise((resolve) => {
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limit) {
      resolve({ kind: "tooLarge" });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (result: BodyRead) => {
      if (settled) return;
      settled = true;
      clearTimeout(idle);
      if (result.kind !== "body") req.pause();
      resolve(result);
    };
    const idle = setTimeout(() => finish({ kind: "idle" }), idleMs);
    req.on("data", (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        finish({ kind: "tooLarge" });
        return;
      }
      chunks.push(chunk);
      idle.refresh();
    });
    req.on("end", () => finish({ kind: "body", body: Buffer.concat(chunks, size) }));
    req.on("error", () => finish({ kind: "gone" }));
    req.on("close", () => finish({ kind: "gone" }));
  });
}

const requestTimeoutReply = (): HttpReply => ({
  statusCode: 408,
  headers: { "content-type": "application/json; charset=utf-8" },
  body: Buffer.from(JSON.stringify({ error: { code: "REQUEST_TIMEOUT", message: "请求超时：请求内容未在规定时间内发送完毕" } }), "utf8"),
});

/** A refusal that ends the connection: what the client still sends is never read. */
function sendAndClose(res: ServerResponse, reply: HttpReply): void {
  res.setHeader("connection", "close");
  send(res, reply);
}

/** How long, and how much, the rest of a refused body is read and dropped so the client can read its 413. */
const DISCARD_MS = 5_000;

/**
 * 413 for a body over the limit. Closing at once would make a client still sending get a
 * broken pipe instead of the answer; so the rest is read and dropped (nothing kept), for a
 * few seconds and at most API Gateway's limit, then the connection is closed.
 */
function refuseTooLarge(req: IncomingMessage, res: ServerResponse): void {
  let dropped = 0;
  const cut = setTimeout(() => req.destroy(), DISCARD_MS);
  req.on("data", (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > API_GATEWAY_MAX_BODY_BYTES) req.destroy();
  });
  req.once("end", () => clearTimeout(cut));
  req.once("close", () => clearTimeout(cut));
  req.resume();
  // no "connection: close": Node would end the socket under a client still sending
  send(res, tooLargeReply());
}

export async function startHost(opts: HostOptions): Promise<RunningHost> {
  const log = opts.log ?? defaultLog;
  const rootDir = opts.rootDir ?? resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
  const load = cachedLoader(
    (opts.loadHandler as ((spec: FunctionSpec) => Promise<LambdaHandler>) | undefined) ?? importHandler(rootDir),
  );
  const routes = buildRouteTable(opts.functions);
  const extraRoutes = opts.extraRoutes ?? {};
  const bodyLimit = opts.bodyLimit ?? bodyLimitFor;
  const bodyIdleMs = opts.bodyIdleTimeoutMs ?? 10_000;
  const requestTimeout = opts.requestTimeoutMs ?? 60_000;

  const environments = new Map(opts.functions.map((spec) => [spec.name, opts.environment?.(spec) ?? {}]));
  // the load runs in the scope too; but a module is imported once per process, so one shared by several
  // functions (functions/steps/step.ts) must keep per-function settings in scopedCache, not at module level
  const run = (spec: FunctionSpec, event: unknown) =>
    runInFunctionScope(spec.name, environments.get(spec.name) ?? {}, async () => invoke(await load(spec), spec, event));

  // --- HTTP: API Gateway HTTP API --------------------------------------------
  const inFlight = new Set<Promise<void>>();
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    const url = req.url ?? "/";
    const path = url.split("?")[0] ?? "/";
    let fn: string | undefined;
    try {
      const extra = extraRoutes[path];
      if (extra) {
        fn = "extra";
        await extra(req, res);
        return;
      }
      // local-only outage switch (POST /local/outage): the page answers as a stopped server's would
      if (isPageDown(path)) {
        req.resume();
        send(res, outageReply());
        return;
      }
      const match = routes.match(path);
      if (!match) {
        req.resume();
        send(res, notFoundReply());
        return;
      }
      fn = match.route.spec.name;
      const read = await readBody(req, Math.min(bodyLimit(path), API_GATEWAY_MAX_BODY_BYTES), bodyIdleMs);
      if (read.kind === "gone") {
        res.destroy();
        return;
      }
      if (read.kind === "tooLarge") {
        refuseTooLarge(req, res);
        return;
      }
      if (read.kind === "idle") {
        sendAndClose(res, requestTimeoutReply());
        return;
      }
      const body = read.body;
      const raw: RawRequest = {
        method: req.method ?? "GET",
        url,
        headers: req.headersDistinct as Record<string, string[]>,
        body,
        sourceIp: (req.socket.remoteAddress ?? "127.0.0.1").replace(/^::ffff:/, ""),
        localPort: req.socket.localPort ?? opts.port,
        httpVersion: req.httpVersion,
      };
      const event = toApiGatewayEvent(raw, match, opts.clock.now());
      let reply: HttpReply;
      try {
        reply = fromHandlerResult(await run(match.route.spec, event));
      } catch (err) {
        // the client gets a generic message; the stack stays in the log
        log({
          level: "ERROR",
          msg: "handler failed",
          function: fn,
          requestId: event.requestContext.requestId,
          error: err instanceof Error ? (err.stack ?? err.message) : String(err),
        });
        reply = internalErrorReply();
      }
      send(res, reply);
    } catch (err) {
      log({ level: "ERROR", msg: "host failed", function: fn, error: String(err) });
      send(res, internalErrorReply());
    } finally {
      const entry = () =>
        log({
          level: "INFO",
          msg: "request",
          method: req.method,
          path,
          status: res.statusCode,
          ms: Math.round((performance.now() - started) * 10) / 10,
          ...(fn ? { function: fn } : {}),
        });
      if (res.writableFinished) entry();
      else res.once("finish", entry).once("close", () => res.writableFinished || entry());
    }
  };

  const sockets = new Set<Socket>();
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const p = handle(req, res);
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  };
  // slow headers and slow bodies are cut alike (408), checked every second rather than Node's default 30 s
  const server = createServer(
    {
      requestTimeout,
      headersTimeout: Math.min(opts.headersTimeoutMs ?? 10_000, requestTimeout),
      connectionsCheckingInterval: Math.min(1_000, requestTimeout),
    },
    onRequest,
  );
  // "Expect: 100-continue": a body that is too large is refused before the client sends it
  server.on("checkContinue", (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const declared = Number(req.headers["content-length"]);
    if (!extraRoutes[path] && Number.isFinite(declared) && declared > Math.min(bodyLimit(path), API_GATEWAY_MAX_BODY_BYTES)) {
      sendAndClose(res, tooLargeReply());
      return;
    }
    res.writeContinue();
    onRequest(req, res);
  });
  // what Node itself refuses (a request timeout, a malformed request) is answered in the API's shape and language
  server.on("clientError", (err: NodeJS.ErrnoException, socket: Socket) => {
    const busy = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent;
    if (err.code === "ECONNRESET" || !socket.writable || busy) {
      socket.destroy();
      return;
    }
    const [status, reason, code, message] =
      err.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? [408, "Request Timeout", "REQUEST_TIMEOUT", "请求超时：请求未在规定时间内发送完毕"]
        : err.code === "HPE_HEADER_OVERFLOW"
          ? [431, "Request Header Fields Too Large", "HEADERS_TOO_LARGE", "请求头过大"]
          : [400, "Bad Request", "BAD_REQUEST", "请求格式有误"];
    const body = JSON.stringify({ error: { code, message } });
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
    socket.destroySoon();
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.once("close", () => sockets.delete(s));
  });
  await new Promise<void>((res, rej) => {
    server.once("error", rej);
    server.listen(opts.port, opts.host ?? listenHost(), () => {
      server.off("error", rej);
      res();
    });
  });
  const addr = server.address() as AddressInfo;
  const hostForUrl = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
  const url = `http://${hostForUrl}:${addr.port}`;

  // --- SQS event source mappings ---------------------------------------------
  const pollers: Poller[] = [];
  for (const spec of opts.functions) {
    if (spec.trigger.kind !== "queue") continue;
    const queueUrl = opts.queueUrls[spec.trigger.queue];
    if (!queueUrl) {
      log({ level: "WARN", msg: "no queue url; function not polled", function: spec.name, queue: spec.trigger.queue });
      continue;
    }
    pollers.push(
      startPoller({
        sqs: opts.sqs,
        queueUrl,
        batchSize: spec.trigger.batchSize,
        waitTimeSeconds: opts.waitTimeSeconds ?? 1,
        // the long poll already waits for messages; a pause after an empty one only delays the next
        pollIntervalMs: opts.pollIntervalMs ?? 0,
        retryDelaySeconds: opts.retryDelaySeconds ?? 2,
        run: (event) => run(spec, event),
        log: (entry) => log({ ...entry, function: spec.name }),
      }),
    );
  }

  // --- Schedules ---------------------------------------------------------------
  const schedules: ScheduleRunner[] = [];
  const marks = cronMarks(opts.scheduleStateFile);
  for (const spec of opts.functions) {
    if (spec.trigger.kind !== "schedule") continue;
    const { expression, timezone } = spec.trigger;
    const fire = async () => {
      const started = performance.now();
      try {
        await run(spec, scheduledEvent(spec.name, opts.clock.now()));
        log({ level: "INFO", msg: "schedule", function: spec.name, ms: Math.round(performance.now() - started) });
      } catch (err) {
        log({ level: "ERROR", msg: "schedule failed", function: spec.name, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      }
    };
    const periodMs = parseRate(expression);
    if (periodMs !== undefined) {
      schedules.push(startSchedule(periodMs, fire));
      continue;
    }
    try {
      schedules.push(startCron({ name: spec.name, expression, timezone, clock: opts.clock, marks, run: fire, tickMs: opts.cronTickMs }));
    } catch (err) {
      log({ level: "WARN", msg: "schedule expression not runnable locally; skipped", function: spec.name, expression, error: String(err) });
    }
  }

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      const closed = new Promise<void>((res) => server.close(() => res()));
      server.closeIdleConnections();
      await Promise.all([...pollers.map((p) => p.stop(STOP_TIMEOUT_MS)), ...schedules.map((s) => s.stop(STOP_TIMEOUT_MS))]);
      // give requests in flight a bounded chance to finish, then cut every socket
      let t: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...inFlight]), new Promise<void>((res) => (t = setTimeout(res, STOP_TIMEOUT_MS)))]);
      clearTimeout(t);
      server.closeAllConnections();
      for (const s of sockets) s.destroy();
      await closed;
    })());

  log({ level: "INFO", msg: "host started", url, functions: opts.functions.map((f) => f.name) });
  return { url, stop };
}
