import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { createHttpHandler, json, readJson, readForm, MAX_BODY_BYTES, type Route } from "../../../shared/http/http";
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
});
