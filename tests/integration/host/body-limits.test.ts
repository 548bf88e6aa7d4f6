import { connect } from "node:net";
import type { Socket } from "node:net";
import { SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHost } from "../../../shared/adapters/local/host";
import type { RunningHost } from "../../../shared/adapters/local/host";
import { fixedClock } from "../../../shared/domain/clock";
import type { FunctionSpec } from "../../../shared/manifest";
import { ATTACHMENT_BODY_LIMIT_BYTES, bodyLimitFor, DEFAULT_BODY_LIMIT_BYTES } from "../../../shared/http/limits";

/**
 * The host reads a body only up to its path's limit and gives up on bodies (and headers)
 * that arrive too slowly, so a few slow or oversized requests cannot hold the memory or the
 * connections of the local stack.
 */

const ECHO = "tests/fixtures/handlers/echo.ts";
const functions: FunctionSpec[] = [
  {
    name: "fixture",
    entry: ECHO,
    description: "fixture",
    trigger: { kind: "http", paths: ["/api/v1/items", "/api/v1/applications", "/apply"] },
    grants: {},
  },
];
const unusedQueues = {};
const clock = fixedClock("2026-03-12T01:00:00.000Z");
const sqs = new SQSClient({ region: "us-east-1", endpoint: "http://127.0.0.1:9", credentials: { accessKeyId: "x", secretAccessKey: "x" } });

interface Exchange {
  socket: Socket;
  /** everything the server sent, once it closed the connection */
  closed: Promise<{ text: string; ms: number }>;
  /** resolves with what has arrived once `pattern` shows up */
  saw(pattern: RegExp): Promise<string>;
}

/** A raw connection: exactly the bytes we choose, at the pace we choose. */
function open(url: string): Exchange {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  const started = performance.now();
  let text = "";
  const watchers: Array<() => void> = [];
  socket.on("data", (d: Buffer) => {
    text += d.toString("utf8");
    for (const w of watchers) w();
  });
  socket.on("error", () => undefined);
  const closed = new Promise<{ text: string; ms: number }>((ok) => socket.once("close", () => ok({ text, ms: performance.now() - started })));
  const saw = (pattern: RegExp) =>
    new Promise<string>((ok, fail) => {
      const check = () => {
        if (pattern.test(text)) ok(text);
      };
      watchers.push(check);
      socket.once("close", () => (pattern.test(text) ? ok(text) : fail(new Error(`closed without ${pattern}: ${text}`))));
      check();
    });
  return { socket, closed, saw };
}

const statusOf = (text: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);

let host: RunningHost;
beforeAll(async () => {
  host = await startHost({ functions, port: 0, queueUrls: unusedQueues, sqs, clock, log: () => undefined });
});
afterAll(async () => {
  await host?.stop();
  sqs.destroy();
});

describe("body limits per path", () => {
  it("come from one table: 5 MiB for the routes that take attachments, 64 KiB for every other", () => {
    expect(bodyLimitFor("/api/v1/applications")).toBe(ATTACHMENT_BODY_LIMIT_BYTES);
    expect(bodyLimitFor("/apply?agency=1")).toBe(ATTACHMENT_BODY_LIMIT_BYTES);
    expect(bodyLimitFor("//apply/")).toBe(ATTACHMENT_BODY_LIMIT_BYTES); // as the router reads it
    expect(bodyLimitFor("/api/v1/staff/applications")).toBe(ATTACHMENT_BODY_LIMIT_BYTES);
    expect(bodyLimitFor("/console/applications/new")).toBe(DEFAULT_BODY_LIMIT_BYTES);
    expect(bodyLimitFor("/api/v1/applications/001008010002002-2026-00001/correction")).toBe(DEFAULT_BODY_LIMIT_BYTES);
    expect(bodyLimitFor("/console/login")).toBe(DEFAULT_BODY_LIMIT_BYTES);
  });

  it("answers 413 as soon as the declared length is over the limit, then drops the body so the sender reads its answer", async () => {
    // Act: headers only, then (once refused) the body a client like fetch goes on sending, then a second request
    const c = open(host.url);
    c.socket.write(`POST /api/v1/items HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: ${DEFAULT_BODY_LIMIT_BYTES + 1}\r\n\r\n`);
    const refusal = await c.saw(/PAYLOAD_TOO_LARGE/);
    c.socket.write(Buffer.alloc(DEFAULT_BODY_LIMIT_BYTES + 1, 0x61));
    c.socket.write("GET /api/v1/items HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    const { text } = await c.closed;

    // Assess: refused before a byte of the body, which was read and dropped rather than cut off mid-send
    expect(statusOf(refusal)).toBe(413);
    expect(text.slice(refusal.length)).toMatch(/^HTTP\/1\.1 200/);
  });

  it("stops reading a chunked body once it passes the limit, answers 413 and closes", async () => {
    // Act: a body without a declared length, sent until the server hangs up (or 16 MiB)
    const c = open(host.url);
    c.socket.write("POST /api/v1/items HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n");
    const chunk = Buffer.alloc(16 * 1024, 0x61);
    let sent = 0;
    let closed = false;
    void c.closed.then(() => (closed = true));
    while (!closed && sent < 16 * 1024 * 1024) {
      const drained = c.socket.write(`${chunk.length.toString(16)}\r\n${chunk.toString("latin1")}\r\n`);
      sent += chunk.length;
      if (!drained) await Promise.race([new Promise((r) => c.socket.once("drain", r)), c.closed]);
    }
    const { text } = await c.closed;

    // Assess: refused after the limit, long before the client stopped trying
    expect(statusOf(text)).toBe(413);
    // (what the client got to write beyond 64 KiB went into the sockets' kernel buffers, a few MB on loopback)
    expect(sent).toBeLessThan(16 * 1024 * 1024);
  });

  it("takes up to 5 MiB on the routes that take attachments, and not a byte more", async () => {
    // Act
    const exact = await fetch(`${host.url}/api/v1/applications`, { method: "POST", headers: { "content-type": "text/plain" }, body: Buffer.alloc(ATTACHMENT_BODY_LIMIT_BYTES, 0x61) });
    const over = await fetch(`${host.url}/api/v1/applications`, { method: "POST", headers: { "content-type": "text/plain" }, body: Buffer.alloc(ATTACHMENT_BODY_LIMIT_BYTES + 1, 0x61) });
    const elsewhere = await fetch(`${host.url}/api/v1/items`, { method: "POST", headers: { "content-type": "text/plain" }, body: Buffer.alloc(DEFAULT_BODY_LIMIT_BYTES + 1, 0x61) });

    // Assess
    expect(exact.status).toBe(200);
    expect(over.status).toBe(413);
    expect(elsewhere.status).toBe(413);
    await Promise.all([exact.arrayBuffer(), over.arrayBuffer(), elsewhere.arrayBuffer()]);
  });

  it("refuses a too-large body before the client sends it when it asks with Expect: 100-continue", async () => {
    // Act
    const refused = open(host.url);
    refused.socket.write(`POST /apply HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nExpect: 100-continue\r\nContent-Length: ${ATTACHMENT_BODY_LIMIT_BYTES + 1}\r\n\r\n`);
    const { text: refusal } = await refused.closed;
    const welcome = open(host.url);
    welcome.socket.write("POST /apply HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nExpect: 100-continue\r\nContent-Length: 5\r\nConnection: close\r\n\r\n");
    await welcome.saw(/100 Continue/);
    welcome.socket.write("hello");
    const { text: answered } = await welcome.closed;

    // Assess
    expect(statusOf(refusal)).toBe(413);
    expect(refusal).not.toContain("100 Continue");
    expect(answered).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200/);
  });
});

describe("slow requests", () => {
  let slowHost: RunningHost;
  beforeAll(async () => {
    slowHost = await startHost({
      functions,
      port: 0,
      queueUrls: unusedQueues,
      sqs,
      clock,
      log: () => undefined,
      headersTimeoutMs: 1_000,
      requestTimeoutMs: 2_000,
      bodyIdleTimeoutMs: 700,
    });
  });
  afterAll(async () => {
    await slowHost?.stop();
  });

  it("cuts a body that trickles in (a byte every 100 ms) once the request time is up: 408, connection closed", async () => {
    // Act: never idle long enough for the idle limit, never done either
    const c = open(slowHost.url);
    c.socket.write("POST /api/v1/items HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 60000\r\n\r\n");
    const drip = setInterval(() => c.socket.write("a"), 100);
    const { text, ms } = await c.closed;
    clearInterval(drip);

    // Assess: the request timeout (2 s), checked every second
    expect(statusOf(text)).toBe(408);
    expect(text).toContain("REQUEST_TIMEOUT");
    expect(ms).toBeGreaterThanOrEqual(1_900);
    expect(ms).toBeLessThan(4_500);
  });

  it("cuts a body that goes silent after the idle limit: 408 with a Chinese message", async () => {
    // Act
    const c = open(slowHost.url);
    c.socket.write("POST /api/v1/items HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\nabc");
    const { text, ms } = await c.closed;

    // Assess
    expect(statusOf(text)).toBe(408);
    expect(text).toContain("请求超时");
    expect(ms).toBeGreaterThanOrEqual(650);
    expect(ms).toBeLessThan(2_000);
  });

  it("cuts headers that trickle in once the headers time is up", async () => {
    // Act
    const c = open(slowHost.url);
    c.socket.write("GET /api/v1/items HTTP/1.1\r\nHost: x\r\n");
    const drip = setInterval(() => c.socket.write("X-Slow: a\r\n"), 100);
    const { text, ms } = await c.closed;
    clearInterval(drip);

    // Assess
    expect(statusOf(text)).toBe(408);
    expect(ms).toBeLessThan(3_500);
  });

  it("still serves a request that arrives in time", async () => {
    const res = await fetch(`${slowHost.url}/api/v1/items`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
  });
});
