import { request } from "node:http";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHost } from "../../../shared/adapters/local/host";
import { fixedClock } from "../../../shared/domain/clock";
import type { FunctionSpec } from "../../../shared/manifest";
import { API_GATEWAY_MAX_BODY_BYTES, DEFAULT_BODY_LIMIT_BYTES } from "../../../shared/http/limits";

const ECHO = "tests/fixtures/handlers/echo.ts";

const functions: FunctionSpec[] = [
  {
    name: "items-api",
    entry: ECHO,
    description: "fixture",
    trigger: {
      kind: "http",
      paths: [
        "/api/v1/items",
        "/api/v1/items/{itemId}",
        "/api/v1/items/special",
        "/api/v1/items/{itemId}/parts/{partId}",
        "/files/{proxy+}",
      ],
    },
    grants: {},
    timeoutSeconds: 7,
    memoryMb: 256,
  },
  {
    name: "fixture-results",
    entry: ECHO,
    description: "fixture",
    trigger: {
      kind: "http",
      paths: ["/fixture/throw", "/fixture/string", "/fixture/object", "/fixture/binary", "/fixture/cookies"],
    },
    grants: {},
  },
];

// Never polled: these functions have no queue triggers.
const unusedQueues = { registration: "", mail: "", timers: "" };
const clock = fixedClock("2026-03-12T19:03:58.123Z");

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** node:http rather than fetch, to send repeated headers exactly as given. */
function rawRequest(url: string, opts: { method?: string; headers?: Record<string, string | string[]>; body?: Buffer }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? "GET", headers: opts.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end(opts.body);
  });
}

async function echo(url: string, init?: RequestInit): Promise<{ event: APIGatewayProxyEventV2; context: Record<string, unknown> }> {
  const res = await fetch(url, init);
  expect(res.status).toBe(200);
  return (await res.json()) as { event: APIGatewayProxyEventV2; context: Record<string, unknown> };
}

describe("local host: HTTP → API Gateway v2", () => {
  let url = "";
  let stop: () => Promise<void> = async () => undefined;
  const logs: Record<string, unknown>[] = [];
  const sqs = new SQSClient({ region: "us-east-1", endpoint: "http://127.0.0.1:9", credentials: { accessKeyId: "x", secretAccessKey: "x" } });

  beforeAll(async () => {
    const host = await startHost({
      functions,
      port: 0,
      queueUrls: unusedQueues,
      sqs,
      clock,
      log: (e) => logs.push(e),
      extraRoutes: {
        "/local/mail": (_req, res) => {
          res.setHeader("content-type", "text/plain; charset=utf-8");
          res.end("邮件列表");
        },
      },
    });
    url = host.url;
    stop = host.stop;
  });
  afterAll(async () => {
    await stop();
    sqs.destroy();
  });

  it("fills path parameters (URL-decoded), the route key and the request context", async () => {
    // Prepare
    const target = `${url}/api/v1/items/a%20b%2Fc/parts/%E4%B8%AD`;

    // Act
    const { event, context } = await echo(target, { headers: { "user-agent": "host-test/1.0" } });

    // Assess
    expect(event.version).toBe("2.0");
    expect(event.routeKey).toBe("ANY /api/v1/items/{itemId}/parts/{partId}");
    expect(event.rawPath).toBe("/api/v1/items/a%20b%2Fc/parts/%E4%B8%AD");
    expect(event.pathParameters).toEqual({ itemId: "a b/c", partId: "中" });
    expect(event.rawQueryString).toBe("");
    expect(event.queryStringParameters).toBeUndefined();
    expect(event.body).toBeUndefined();
    expect(event.isBase64Encoded).toBe(false);
    expect(event.requestContext).toMatchObject({
      routeKey: "ANY /api/v1/items/{itemId}/parts/{partId}",
      stage: "$default",
      time: "12/Mar/2026:19:03:58 +0000",
      timeEpoch: Date.parse("2026-03-12T19:03:58.123Z"),
      http: { method: "GET", path: event.rawPath, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "host-test/1.0" },
    });
    expect(event.requestContext.requestId).toMatch(/^[A-Za-z0-9_-]{15}=$/);
    expect(event.requestContext.domainName).toBe(new URL(url).host);
    expect(context).toMatchObject({
      functionName: "items-api",
      memoryLimitInMB: "256",
      logGroupName: "/aws/lambda/items-api",
      invokedFunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:items-api",
    });
    expect(context.remainingMs).toBeGreaterThan(6000);
    expect(context.remainingMs).toBeLessThanOrEqual(7000);
  });

  it("prefers exact paths to templates and lets {proxy+} take the rest of the path", async () => {
    // Act
    const exact = await echo(`${url}/api/v1/items/special`);
    const template = await echo(`${url}/api/v1/items/other`);
    const greedy = await echo(`${url}/files/a/b/%E6%96%87%E4%BB%B6.pdf`);
    const greedyNeedsASegment = await fetch(`${url}/files`);

    // Assess
    expect(exact.event.routeKey).toBe("ANY /api/v1/items/special");
    expect(exact.event.pathParameters).toBeUndefined();
    expect(template.event.pathParameters).toEqual({ itemId: "other" });
    expect(greedy.event.routeKey).toBe("ANY /files/{proxy+}");
    expect(greedy.event.pathParameters).toEqual({ proxy: "a/b/文件.pdf" });
    expect(greedyNeedsASegment.status).toBe(404);
  });

  it("joins repeated query parameters and headers with commas and splits cookies", async () => {
    // Act
    const res = await rawRequest(`${url}/api/v1/items?status=open&status=closed&q=%E5%85%AC%E5%BC%80&flag`, {
      headers: { "X-Multi": ["one", "two"], Cookie: "session=abc; lang=zh-CN", Accept: "application/json" },
    });
    const { event } = JSON.parse(res.body.toString("utf8")) as { event: APIGatewayProxyEventV2 };

    // Assess
    expect(event.rawQueryString).toBe("status=open&status=closed&q=%E5%85%AC%E5%BC%80&flag");
    expect(event.queryStringParameters).toEqual({ status: "open,closed", q: "公开", flag: "" });
    expect(event.headers["x-multi"]).toBe("one,two");
    expect(event.headers["accept"]).toBe("application/json");
    expect(event.headers["x-forwarded-proto"]).toBe("http");
    expect(event.headers["x-forwarded-for"]).toBe("127.0.0.1");
    expect(event.cookies).toEqual(["session=abc", "lang=zh-CN"]);
    expect(event.headers["cookie"]).toBeUndefined();
    expect(Object.keys(event.headers).every((k) => k === k.toLowerCase())).toBe(true);
  });

  it("passes JSON as text, and form posts and binary bodies base64-encoded (HTTP API's rule)", async () => {
    // Prepare
    const bytes = Buffer.from([0, 1, 2, 0xfe, 0xff, 0x80]);

    // Act
    const json = await echo(`${url}/api/v1/items`, {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8" },
      body: JSON.stringify({ 标题: "申请" }),
    });
    const form = await echo(`${url}/api/v1/items`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "name=%E5%BC%A0%E4%B8%89&x=1",
    });
    const binary = await echo(`${url}/api/v1/items`, {
      method: "PUT",
      headers: { "content-type": "application/pdf" },
      body: bytes,
    });

    // Assess
    expect(json.event.isBase64Encoded).toBe(false);
    expect(json.event.body).toBe('{"标题":"申请"}');
    expect(json.event.requestContext.http.method).toBe("POST");
    expect(form.event.isBase64Encoded).toBe(true);
    expect(Buffer.from(form.event.body ?? "", "base64").toString("utf8")).toBe("name=%E5%BC%A0%E4%B8%89&x=1");
    expect(binary.event.isBase64Encoded).toBe(true);
    expect(Buffer.from(binary.event.body ?? "", "base64")).toEqual(bytes);
  });

  it("turns each cookie of the result into its own Set-Cookie header", async () => {
    // Act
    const res = await fetch(`${url}/fixture/cookies`);

    // Assess
    expect(res.status).toBe(201);
    expect(res.headers.getSetCookie()).toEqual(["session=abc; Path=/; HttpOnly", "lang=zh-CN; Path=/"]);
    expect(res.headers.get("x-fixture")).toBe("yes");
    expect(await res.text()).toBe("已设置");
  });

  it("infers 200 application/json for string and object results, decodes base64 bodies", async () => {
    // Act
    const str = await fetch(`${url}/fixture/string`);
    const obj = await fetch(`${url}/fixture/object`);
    const bin = await fetch(`${url}/fixture/binary`);

    // Assess
    expect(str.status).toBe(200);
    expect(str.headers.get("content-type")).toBe("application/json");
    expect(await str.text()).toBe("你好");
    expect(obj.status).toBe(200);
    expect(await obj.json()).toEqual({ ok: true, 名称: "公开" });
    expect(bin.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await bin.arrayBuffer())).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]));
  });

  it("answers 500 with a generic Chinese message when the handler throws, and logs the stack", async () => {
    // Act
    const res = await fetch(`${url}/fixture/throw`);
    const text = await res.text();

    // Assess
    expect(res.status).toBe(500);
    expect(JSON.parse(text)).toEqual({ error: { code: "INTERNAL_ERROR", message: "系统暂时无法处理您的请求，请稍后再试", fields: [] } });
    expect(text).not.toContain("secret-stack-marker");
    const logged = logs.find((l) => l.level === "ERROR" && String(l.error).includes("secret-stack-marker"));
    expect(logged).toMatchObject({ function: "fixture-results" });
    expect(String(logged?.error)).toContain("echo.ts");
  });

  it("answers 404 in JSON when no route matches and there is no $default", async () => {
    // Act
    const res = await fetch(`${url}/nowhere/at/all`);

    // Assess
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: "NOT_FOUND", message: "未找到该地址", fields: [] } });
  });

  it("refuses a body over its path's limit (shared/http/limits.ts) with 413", async () => {
    // Prepare: /api/v1/items takes no attachments, so the default 64 KiB applies
    const justUnder = Buffer.alloc(DEFAULT_BODY_LIMIT_BYTES, 0x61);
    const over = Buffer.alloc(DEFAULT_BODY_LIMIT_BYTES + 1, 0x61);

    // Act
    const ok = await rawRequest(`${url}/api/v1/items`, { method: "POST", headers: { "content-type": "text/plain" }, body: justUnder });
    const tooLarge = await rawRequest(`${url}/api/v1/items`, { method: "POST", headers: { "content-type": "text/plain" }, body: over });

    // Assess
    expect(ok.status).toBe(200);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.headers.connection).toBe("close");
    expect(JSON.parse(tooLarge.body.toString("utf8"))).toEqual({ error: { code: "PAYLOAD_TOO_LARGE", message: "请求内容过大", fields: [] } });
  });

  it("never passes more than API Gateway's 10 MiB, whatever the path's limit says", async () => {
    // Prepare
    const host = await startHost({ functions, port: 0, queueUrls: unusedQueues, sqs, clock, log: () => undefined, bodyLimit: () => 64 * 1024 * 1024 });
    try {
      // Act
      const ok = await rawRequest(`${host.url}/api/v1/items`, { method: "POST", headers: { "content-type": "text/plain" }, body: Buffer.alloc(API_GATEWAY_MAX_BODY_BYTES, 0x61) });
      const over = await rawRequest(`${host.url}/api/v1/items`, { method: "POST", headers: { "content-type": "text/plain" }, body: Buffer.alloc(API_GATEWAY_MAX_BODY_BYTES + 1, 0x61) });

      // Assess
      expect(ok.status).toBe(200);
      expect(over.status).toBe(413);
    } finally {
      await host.stop();
    }
  });

  it("serves extra routes before the manifest", async () => {
    // Act
    const res = await fetch(`${url}/local/mail`);

    // Assess
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("邮件列表");
  });

  it("logs one line per request with method, path, status and time, never the body or query", async () => {
    // Prepare
    const before = logs.length;

    // Act
    await echo(`${url}/api/v1/items?idCard=110101199003070000`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"name":"张三"}' });
    await new Promise((r) => setImmediate(r));

    // Assess
    const lines = logs.slice(before).filter((l) => l.msg === "request");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ method: "POST", path: "/api/v1/items", status: 200, function: "items-api" });
    expect(typeof lines[0]?.ms).toBe("number");
    const all = JSON.stringify(logs.slice(before));
    expect(all).not.toContain("张三");
    expect(all).not.toContain("110101199003070000");
  });
});

describe("local host: $default", () => {
  it("sends unmatched paths to the function that claims $default", async () => {
    // Prepare
    const sqs = new SQSClient({ region: "us-east-1", endpoint: "http://127.0.0.1:9", credentials: { accessKeyId: "x", secretAccessKey: "x" } });
    const host = await startHost({
      functions: [{ name: "catch-all", entry: ECHO, description: "fixture", trigger: { kind: "http", paths: ["/known", "$default"] }, grants: {} }],
      port: 0,
      queueUrls: unusedQueues,
      sqs,
      clock,
      log: () => undefined,
    });

    try {
      // Act
      const { event } = await echo(`${host.url}/some/where?x=1`);

      // Assess
      expect(event.routeKey).toBe("$default");
      expect(event.requestContext.routeKey).toBe("$default");
      expect(event.rawPath).toBe("/some/where");
      expect(event.pathParameters).toBeUndefined();
    } finally {
      await host.stop();
      sqs.destroy();
    }
  });

  it("refuses a manifest in which two functions claim the same path", async () => {
    // Prepare
    const sqs = new SQSClient({ region: "us-east-1" });
    const clash: FunctionSpec[] = [
      { name: "a", entry: ECHO, description: "", trigger: { kind: "http", paths: ["/x"] }, grants: {} },
      { name: "b", entry: ECHO, description: "", trigger: { kind: "http", paths: ["/x"] }, grants: {} },
    ];

    // Act + Assess
    await expect(startHost({ functions: clash, port: 0, queueUrls: unusedQueues, sqs, clock, log: () => undefined })).rejects.toThrow(/claimed by both/);
    sqs.destroy();
  });
});
