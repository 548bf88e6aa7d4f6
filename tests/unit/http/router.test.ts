import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { createHttpHandler, file, hasShape, headerSafe, json, readJson, readForm, redirect, MAX_BODY_BYTES, type HttpRequest, type Route } from "../../../shared/http/http";
import { ConflictError, ValidationError } from "../../../shared/app/errors";
import { DeadlineRuleError } from "../../../shared/domain/deadlines";

const fixture = (name: string): APIGatewayProxyEventV2 =>
  JSON.parse(readFileSync(new URL(`../../fixtures/events/apigw/${name}`, import.meta.url), "utf8"));

function event(method: string, path: string, body?: string, headers: Record<string, string> = {}): APIGatewayProxyEventV2 {
  const base = fixture("post-application-json.json");
  return {
    ...base,
    rawPath: path,
    rawQueryString: "",
    headers: { ...headers },
    body,
    isBase64Encoded: false,
    requestContext: { ...base.requestContext, http: { ...base.requestContext.http, method, path } },
  };
}

const routes: Route[] = [
  { path: "/api/v1/things/{id}", methods: { GET: async (req) => json(200, { id: req.params.id }) } },
  { path: "/api/v1/echo", methods: { POST: async (req) => json(200, { got: readJson(req) }) } },
  { path: "/form", methods: { POST: async (req) => json(200, readForm(req)) } },
  { path: "/files/{proxy+}", methods: { GET: async (req) => json(200, { rest: req.params.proxy }) } },
  { path: "/api/v1/cases/{caseId}", methods: { GET: async (req) => json(200, { caseId: req.params.caseId }) } },
  { path: "/api/v1/tasks/{taskId}/complete", methods: { POST: async (req) => json(200, { taskId: req.params.taskId }) } },
  { path: "/api/v1/applications/{trackingNumber}", methods: { GET: async (req) => json(200, { n: req.params.trackingNumber }) } },
  { path: "/api/v1/votes/{voteId}", params: { voteId: { pattern: /^V\d+$/, maxLength: 10 } }, methods: { GET: async (req) => json(200, { v: req.params.voteId }) } },
  { path: "/api/v1/text", methods: { POST: async (req) => json(200, { text: req.body }) } },
  { path: "/page", methods: { POST: async (req) => json(200, readForm(req)) } },
  { path: "/go", methods: { GET: async (req) => redirect(req.query.get("to") ?? "/") } },
  { path: "/bad-header", methods: { GET: async () => json(200, {}, { headers: { "x-name": "张三" } }) } },
  { path: "/bad-cookie", methods: { GET: async () => json(200, {}, { cookies: ["a=b\r\nSet-Cookie: c=d"] }) } },
  {
    path: "/api/v1/fail/{kind}",
    methods: {
      GET: async (req) => {
        if (req.params.kind === "validation") throw new ValidationError("VALIDATION_FAILED", "有误", [{ path: "x", code: "required", message: "请填写x" }]);
        if (req.params.kind === "conflict") throw new ConflictError("TASK_NOT_OPEN", "已办结");
        if (req.params.kind === "deadline") throw new DeadlineRuleError("EXTENSION_ALREADY_GRANTED", "已延期一次");
        throw new Error("secret internal detail");
      },
    },
  },
];
const handler = createHttpHandler(routes, { renderErrorPage: (status, message) => `<p>${status} ${message}</p>` });
const body = (res: { body?: string }) => JSON.parse(res.body ?? "null");

describe("HTTP router", () => {
  it("routes by path template and decodes parameters", async () => {
    const res = await handler(event("GET", "/api/v1/things/%E4%B8%AD%E6%96%87"));
    expect(res.statusCode).toBe(200);
    expect(body(res)).toEqual({ id: "中文" });
    expect(body(await handler(event("GET", "/files/a/b/c.txt")))).toEqual({ rest: "a/b/c.txt" });
  });

  it("answers unknown paths 404 and wrong methods 405 with Allow", async () => {
    const missing = await handler(event("GET", "/api/v1/nope"));
    expect(missing.statusCode).toBe(404);
    expect(body(missing).error.code).toBe("NOT_FOUND");
    const wrong = await handler(event("DELETE", "/api/v1/things/1"));
    expect(wrong.statusCode).toBe(405);
    expect(wrong.headers?.allow).toBe("GET");
  });

  it("serves HTML error pages outside /api/", async () => {
    const res = await handler(event("GET", "/nowhere"));
    expect(res.statusCode).toBe(404);
    expect(res.headers?.["content-type"]).toContain("text/html");
  });

  it("refuses oversized bodies with 413 before parsing", async () => {
    const res = await handler(event("POST", "/api/v1/echo", "x".repeat(MAX_BODY_BYTES + 1), { "content-type": "application/json" }));
    expect(res.statusCode).toBe(413);
    expect(body(res).error.code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("answers malformed JSON 400 and other media types 415", async () => {
    const bad = await handler(event("POST", "/api/v1/echo", "{oops", { "content-type": "application/json" }));
    expect(bad.statusCode).toBe(400);
    expect(body(bad).error).toMatchObject({ code: "MALFORMED_JSON", fields: [] });
    const xml = await handler(event("POST", "/api/v1/echo", "<a/>", { "content-type": "application/xml" }));
    expect(xml.statusCode).toBe(415);
  });

  it("decodes base64 bodies and urlencoded forms", async () => {
    const encoded = { ...event("POST", "/form", Buffer.from("name=%E5%BC%A0%E4%B8%89&a=1").toString("base64")), isBase64Encoded: true };
    expect(body(await handler(encoded))).toEqual({ name: "张三", a: "1" });
  });

  it("maps domain errors to their status and hides internal ones", async () => {
    const validation = await handler(event("GET", "/api/v1/fail/validation"));
    expect(validation.statusCode).toBe(400);
    expect(body(validation).error.fields).toEqual([{ path: "x", code: "required", message: "请填写x" }]);
    expect((await handler(event("GET", "/api/v1/fail/conflict"))).statusCode).toBe(409);
    const refused = await handler(event("GET", "/api/v1/fail/deadline"));
    expect(refused.statusCode).toBe(409);
    expect(body(refused).error.code).toBe("EXTENSION_ALREADY_GRANTED");
    const internal = await handler(event("GET", "/api/v1/fail/boom"));
    expect(internal.statusCode).toBe(500);
    expect(internal.body).not.toContain("secret internal detail");
  });

  it("checks every path parameter by the shape of its name: another shape names nothing (404), a wrong method is still 405", async () => {
    const caseId = "01ARZ3NDEKTSV4RRFFQ69G5FAV";
    expect(body(await handler(event("GET", `/api/v1/cases/${caseId}`)))).toEqual({ caseId });
    for (const bad of ["%E0", "%", "x", "01arz3ndektsv4rrffq69g5fav", "A".repeat(2_100), encodeURIComponent("中".repeat(700)), `${caseId}%00`]) {
      expect((await handler(event("GET", `/api/v1/cases/${bad}`))).statusCode, bad).toBe(404);
      const wrong = await handler(event("DELETE", `/api/v1/cases/${bad}`));
      expect(wrong.statusCode, bad).toBe(405);
      expect(wrong.headers?.allow).toBe("GET");
    }
    expect((await handler(event("POST", `/api/v1/tasks/${caseId}-register-1/complete`))).statusCode).toBe(200);
    expect((await handler(event("POST", `/api/v1/tasks/${caseId}-Register-1/complete`))).statusCode).toBe(404);
    expect((await handler(event("POST", `/api/v1/tasks/${caseId}-${"a".repeat(60)}-1/complete`))).statusCode).toBe(404);
    expect((await handler(event("GET", "/api/v1/applications/001008010002002-2026-00001"))).statusCode).toBe(200);
    expect((await handler(event("GET", `/api/v1/applications/001008010002002-2026-${"1".repeat(40)}`))).statusCode).toBe(404);
    expect(body(await handler(event("GET", "/api/v1/votes/V12")))).toEqual({ v: "V12" });
    expect((await handler(event("GET", "/api/v1/votes/12"))).statusCode).toBe(404);
    // a name with no registered shape: one clean line of at most 200 characters
    expect((await handler(event("GET", "/api/v1/things/%E2%80%AE"))).statusCode).toBe(404);
    expect((await handler(event("GET", `/api/v1/things/${"x".repeat(201)}`))).statusCode).toBe(404);
    expect((await handler(event("GET", "/files/a/%0A/b"))).statusCode).toBe(404);
    expect(hasShape("trackingNumber", "001008010002002-2026-00001")).toBe(true);
    expect(hasShape("trackingNumber", `001008010002002-2026-${"1".repeat(2_100)}`)).toBe(false);
  });

  it("decodes a body in its declared charset, strictly: GBK is read, an unknown charset is 415, broken bytes are 400", async () => {
    const gbk = Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]); // 张三
    const send = (bytes: Buffer, type: string) => handler({ ...event("POST", "/api/v1/text", bytes.toString("base64"), { "content-type": type }), isBase64Encoded: true });
    expect(body(await send(gbk, "text/plain; charset=GBK"))).toEqual({ text: "张三" });
    expect(body(await send(gbk, 'text/plain; charset="gb18030"'))).toEqual({ text: "张三" });
    expect(body(await send(Buffer.from("张三"), "text/plain"))).toEqual({ text: "张三" });
    const unknown = await send(gbk, "text/plain; charset=big5");
    expect(unknown.statusCode).toBe(415);
    expect(body(unknown).error.fields[0]).toMatchObject({ path: "Content-Type", code: "unsupported_charset" });
    const broken = await send(gbk, "text/plain; charset=utf-8");
    expect(broken.statusCode).toBe(400);
    expect(body(broken).error.fields[0].code).toBe("invalid_encoding");
  });

  it("reads a form in the charset declared or named by _charset_, and refuses escapes that are no text", async () => {
    const form = (text: string, type = "application/x-www-form-urlencoded") => handler({ ...event("POST", "/page", Buffer.from(text).toString("base64"), { "content-type": type }), isBase64Encoded: true });
    expect(body(await form("name=%D5%C5%C8%FD", "application/x-www-form-urlencoded; charset=gbk"))).toEqual({ name: "张三" });
    expect(body(await form("_charset_=GBK&name=%D5%C5%C8%FD"))).toEqual({ name: "张三" });
    expect(body(await form("name=%E5%BC%A0+%E4%B8%89&x=%zz&y"))).toEqual({ name: "张 三", x: "%zz", y: "" });
    expect((await form("name=%E0")).statusCode).toBe(400);
    expect((await form("_charset_=klingon&name=a")).statusCode).toBe(415);
  });

  it("refuses a compressed or otherwise encoded body with 415, as a page outside /api/", async () => {
    const api = await handler(event("POST", "/api/v1/echo", "{}", { "content-type": "application/json", "content-encoding": "gzip" }));
    expect(api.statusCode).toBe(415);
    expect(body(api).error.fields[0]).toMatchObject({ path: "Content-Encoding", code: "unsupported_encoding" });
    expect((await handler(event("POST", "/api/v1/echo", "{}", { "content-type": "application/json", "content-encoding": "identity" }))).statusCode).toBe(200);
    const page = await handler(event("POST", "/page", "a=1", { "content-encoding": "br" }));
    expect(page.statusCode).toBe(415);
    expect(page.headers?.["content-type"]).toContain("text/html");
  });

  it("refuses JSON strings with characters no text may hold, naming each, and JSON nested too deep", async () => {
    const res = await handler(event("POST", "/api/v1/echo", JSON.stringify({ a: "x\u0000", b: ["ok", "\u202e"], c: "line\nbreak" }), { "content-type": "application/json" }));
    expect(res.statusCode).toBe(400);
    expect(body(res).error.fields).toEqual([
      { path: "a", code: "invalid_character", message: "字段“a”含有不允许的字符：不可见的控制字符（U+0000），请删除后重新提交" },
      { path: "b.1", code: "invalid_character", message: "字段“b.1”含有不允许的字符：改变文字显示方向的控制字符（U+202E），请删除后重新提交" },
    ]);
    const deep = await handler(event("POST", "/api/v1/echo", `${"[".repeat(40)}${"]".repeat(40)}`, { "content-type": "application/json" }));
    expect(deep.statusCode).toBe(400);
    expect(body(deep).error.code).toBe("MALFORMED_JSON");
  });

  it("never sends a header that is not visible ASCII: a Location is percent-encoded, anything else is a logged 500", async () => {
    const go = await handler(event("GET", "/go"));
    expect(go.headers?.location).toBe("/");
    expect(headerSafe("/console/x\r\nSet-Cookie: a=b")).toBe("/console/x%0D%0ASet-Cookie:%20a=b");
    expect(headerSafe("/中文?q=é\ud800")).toBe("/%E4%B8%AD%E6%96%87?q=%C3%A9%EF%BF%BD");
    expect(redirect("/a\u0000b").headers?.location).toBe("/a%00b");
    expect((await handler(event("GET", "/bad-header"))).statusCode).toBe(500);
    expect((await handler(event("GET", "/bad-cookie"))).statusCode).toBe(500);
  });

  it("names a download in ASCII and, RFC 5987-encoded, in Chinese", () => {
    const res = file(new Uint8Array([1]), "application/octet-stream", "政府信息公开申请答复书（黄行服依复〔2026〕1号）.docx");
    expect(res.headers?.["content-disposition"]).toBe(
      `attachment; filename="letter.docx"; filename*=UTF-8''${encodeURIComponent("政府信息公开申请答复书（黄行服依复〔2026〕1号）.docx")}`,
    );
    expect(file(new Uint8Array(), "text/html", "a'(b)*\ud800.html\r\n", true).headers?.["content-disposition"]).toBe(`inline; filename="letter"; filename*=UTF-8''a%27%28b%29%2A%EF%BF%BD.html%0D%0A`);
  });

  it("reads the body lazily: a route that never reads it never fails on its charset", async () => {
    let seen: HttpRequest | undefined;
    const lazy = createHttpHandler([{ path: "/x", methods: { POST: async (req) => ((seen = req), json(200, { bytes: req.bodyBytes })) } }]);
    const res = await lazy({ ...event("POST", "/x", Buffer.from([0xff]).toString("base64"), { "content-type": "application/octet-stream; charset=klingon" }), isBase64Encoded: true });
    expect(res.statusCode).toBe(200);
    expect(() => seen!.body).toThrow();
  });
});
