import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logger } from "../../../shared/adapters/logger";
import { DEMO_PASSWORD } from "../../../shared/app/seed-demo";
import { supportedCharsets } from "../../../shared/http/http";
import type { ApplicationData } from "../../../shared/domain/workflows/application/data";
import { buildWorld, type World } from "../../fuzz/world";
import { check } from "../../fuzz/check";
import { gbkBytes, type FuzzRequest } from "../../fuzz/requests";
import { serviceCenter, validApplication } from "../../support/app";

/**
 * Every reproduction of issue 7 items 1 and 2 as a named regression, through the real
 * handlers on the in-memory world of the fuzz suite (whose store refuses keys as DynamoDB
 * does). Each request also passes the fuzz suite's checks: no 5xx, the one error shape,
 * safe headers, nothing stored when refused.
 */

let world: World;

beforeAll(async () => {
  logger.setLogLevel("SILENT");
  world = await buildWorld();
});
afterAll(() => logger.setLogLevel("INFO"));

type Sent = { status: number; headers: Record<string, string>; cookies: string[]; body: string; json: any };

let requests = 0;

/** Sends a request (checked by the fuzz suite's rules) from an address of its own (no rate limit in the way) and returns the answer. */
async function send(
  method: string,
  url: string,
  opts: { headers?: Record<string, string>; body?: string | Buffer; json?: unknown; form?: Record<string, string>; binary?: boolean } = {},
): Promise<Sent> {
  const [path, query = ""] = url.split("?") as [string, string?];
  const headers: Record<string, string> = { host: "gongkai.test", ...opts.headers };
  let body = Buffer.alloc(0);
  if (opts.json !== undefined) {
    body = Buffer.from(JSON.stringify(opts.json));
    headers["content-type"] ??= "application/json";
  } else if (opts.form) {
    body = Buffer.from(new URLSearchParams(opts.form).toString());
    headers["content-type"] ??= "application/x-www-form-urlencoded";
  } else if (opts.body !== undefined) body = Buffer.from(opts.body);
  const n = ++requests;
  const req: FuzzRequest = { method, path, query, headers, body, sourceIp: `10.7.${n >> 8}.${n & 255}`, label: "regression" };
  const verdict = await check(world, req, { binary: opts.binary });
  expect(verdict.problems, `${method} ${url}`).toEqual([]);
  const response = verdict.response!;
  const text = response.isBase64Encoded ? Buffer.from(response.body ?? "", "base64").toString("utf8") : String(response.body ?? "");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return {
    status: response.statusCode,
    headers: Object.fromEntries(Object.entries(response.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)])),
    cookies: response.cookies ?? [],
    body: text,
    json,
  };
}

const bearer = () => ({ authorization: `Bearer ${world.staff[0]!.token}` });
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

describe("issue 7 · no 5xx for bad input: malformed escapes in paths", () => {
  it("%E0 and a bare % in every path parameter of every route, with every method: 404 or 405, never 500", async () => {
    for (const template of world.templates.filter((t) => t.includes("{"))) {
      for (const bad of ["%E0", "%", "%E0%A4%A", "%ED%A0%80"]) {
        const path = template.replace(/\{[^}]+\}/g, bad);
        for (const method of METHODS) {
          const res = await send(method, path, { headers: bearer() });
          expect([404, 405], `${method} ${path}`).toContain(res.status);
        }
      }
    }
  });

  it("the issue's own paths: GET /api/v1/applications/%E0, /api/v1/cases/%E0, /console/cases/%E0 and POST …/%/correction", async () => {
    expect((await send("GET", "/api/v1/applications/%E0")).status).toBe(404);
    expect((await send("GET", "/api/v1/cases/%E0", { headers: bearer() })).status).toBe(404);
    expect((await send("GET", "/console/cases/%E0", { headers: bearer() })).status).toBe(404);
    const correction = await send("POST", "/api/v1/applications/%/correction", { json: { note: "x" } });
    expect(correction.status).toBe(404);
    expect(correction.json.error).toMatchObject({ code: "NOT_FOUND", fields: [] });
  });
});

describe("issue 7 · no 5xx for bad input: keys over DynamoDB's 2,048 bytes", () => {
  const long = `${serviceCenter}-2026-${"1".repeat(2_100)}`;
  const chinese = "中".repeat(700);

  it("a 2,100-character tracking number, case id or task id in the path: 404 like an unknown path", async () => {
    expect((await send("GET", `/api/v1/applications/${long}`, { headers: { "x-access-code": "ABCDEFGHJK" } })).status).toBe(404);
    expect((await send("POST", `/api/v1/applications/${long}/correction`, { json: { note: "x" } })).status).toBe(404);
    expect((await send("POST", `/api/v1/applications/${long}/access-code`)).status).toBe(404);
    expect((await send("GET", `/api/v1/cases/${"A".repeat(2_100)}`, { headers: bearer() })).status).toBe(404);
    expect((await send("POST", `/api/v1/tasks/${"A".repeat(2_100)}-register-1/complete`, { headers: bearer(), json: { outcome: "registered" } })).status).toBe(404);
    expect((await send("GET", `/console/cases/${"A".repeat(2_100)}`, { headers: bearer() })).status).toBe(404);
  });

  it("700 Chinese characters (2,100 bytes) as a tracking number or case id: 404", async () => {
    expect((await send("GET", `/api/v1/applications/${encodeURIComponent(chinese)}`)).status).toBe(404);
    expect((await send("GET", `/api/v1/cases/${encodeURIComponent(chinese)}`, { headers: bearer() })).status).toBe(404);
  });

  it("a 2,100-character trackingNumber form field on /track (and 700 Chinese characters): 400 with the form, before any lookup", async () => {
    for (const trackingNumber of [long, chinese, "x".repeat(2_100)]) {
      const res = await send("POST", "/track", { form: { trackingNumber, accessCode: "ABCDEFGHJK" } });
      expect(res.status).toBe(400);
      expect(res.body).toContain("申请编号格式不正确");
      expect(res.body).not.toContain(trackingNumber);
    }
    expect((await send("POST", "/track/access-code", { form: { trackingNumber: long } })).status).toBe(400);
  });

  it("a 2,100-character agencyCode or username at sign-in (API and console): 400, never a lookup", async () => {
    for (const body of [
      { agencyCode: "1".repeat(2_100), username: "office", password: DEMO_PASSWORD },
      { agencyCode: serviceCenter, username: chinese, password: DEMO_PASSWORD },
    ]) {
      const api = await send("POST", "/api/v1/auth/login", { json: body });
      expect(api.status).toBe(400);
      expect(api.json.error.fields[0].code).toBe("too_long");
      const page = await send("POST", "/console/login", { form: { ...body, csrfToken: "t" }, headers: { cookie: "gk_login_csrf=t" } });
      expect(page.status).toBe(400);
    }
  });

  it("a 2,100-character agencyCode in an application: 400 naming the field", async () => {
    const res = await send("POST", "/api/v1/applications", { json: validApplication({ agencyCode: "1".repeat(2_100) }) });
    expect(res.status).toBe(400);
    expect(res.json.error.fields.map((f: any) => f.path)).toContain("agencyCode");
  });
});

describe("issue 7 · next= on console sign-in never reaches a header", () => {
  async function signInWith(next: string) {
    const login = await send("GET", "/console/login");
    const csrf = /name="csrfToken" value="([^"]+)"/.exec(login.body)![1]!;
    return send("POST", "/console/login", {
      form: { csrfToken: csrf, agencyCode: serviceCenter, username: "office", password: DEMO_PASSWORD, next },
      headers: { cookie: `gk_login_csrf=${csrf}` },
    });
  }

  it.each([
    ["CR/LF", "/console/cases\r\nSet-Cookie: injected=1"],
    ["NUL", "/console/cases\u0000"],
    ["non-Latin-1", "/console/cases?q=满意"],
    ["Latin-1 beyond ASCII", "/console/caf\u00e9"],
    ["a lone surrogate", "/console/\ud800"],
    ["a bidi override", "/console/\u202ecases"],
    ["another site", "//evil.example/console/"],
    ["a way out of /console/", "/console/%2e%2e/api/v1/tasks"],
  ])("with %s: the session is made and the inbox (a safe page) is where it goes", async (_what, next) => {
    const res = await signInWith(next);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/console/inbox");
    expect(res.cookies.some((c) => c.startsWith("gk_session="))).toBe(true);
  });

  it("a safe console path survives, query included", async () => {
    expect((await signInWith("/console/cases?q=%E6%BB%A1")).headers.location).toBe("/console/cases?q=%E6%BB%A1");
  });

  it("the sign-in page shows the safe target only", async () => {
    const page = await send("GET", `/console/login?next=${encodeURIComponent("/console/x\r\nY: z")}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('name="next" value="/console/inbox"');
  });
});

describe("issue 7 · input hygiene: characters no text may hold", () => {
  it.each([
    ["NUL", "张\u0000三"],
    ["a C0 control", "张\u001b[31m三"],
    ["a C1 control", "张\u0085三"],
    ["a bidi override", "张\u202e三"],
    ["a bidi isolate", "张\u2066三"],
    ["a lone surrogate", "张\ud800三"],
    ["U+FFFD", "张\ufffd三"],
    ["a line break in a one-line field", "张\n三"],
  ])("%s in the applicant's name: 400 invalid_character naming 申请人姓名, nothing stored", async (_what, name) => {
    const before = world.writes.count;
    const res = await send("POST", "/api/v1/applications", { json: validApplication({ name }) });
    expect(res.status).toBe(400);
    expect(res.json.error.fields).toContainEqual(expect.objectContaining({ path: "name", code: "invalid_character", message: expect.stringContaining("申请人姓名含有不允许的字符") }));
    expect(world.writes.count).toBe(before);
  });

  it("line breaks and tabs are kept in the multi-line description", async () => {
    const res = await send("POST", "/api/v1/applications", { json: validApplication({ description: "第一项：2025年报告\n第二项：\t附表" }) });
    expect(res.status).toBe(201);
  });

  it("the portal form refuses a bidi override in the address with the form and its message", async () => {
    const form = { ...Object.fromEntries(Object.entries(validApplication({ address: "劳动北路\u202e1号" })).map(([k, v]) => [k, String(v)])), declaration: "yes", consent: "yes" };
    const res = await send("POST", "/apply", { form });
    expect(res.status).toBe(400);
    expect(res.body).toContain("通信地址含有不允许的字符");
  });

  it("an outcome field (a registration note) with NUL: 400 naming the field, the task stays open", async () => {
    const taskId = world.samples.openTaskIds.find((t) => t.includes("-register-"))!;
    const res = await send("POST", `/api/v1/tasks/${taskId}/complete`, { headers: bearer(), json: { outcome: "registered", note: "电话\u0000确认" } });
    expect(res.status).toBe(400);
    expect(res.json.error.fields[0]).toMatchObject({ code: "invalid_character" });
  });

  it("a schedule file with a NUL escape: 400 naming the line", async () => {
    const admin = world.staff.find((s) => s.username === "admin")!;
    const res = await send("POST", "/api/v1/calendar/years", { headers: { authorization: `Bearer ${admin.token}` }, body: '{\n"year": 2027,\n"notice": {"title": "x\\u0000"}\n}' });
    expect(res.status).toBe(400);
    expect(res.json.error.fields[0]).toMatchObject({ code: "invalid_character", message: expect.stringMatching(/^第 3 行 notice\.title：/) });
  });
});

describe("issue 7 · declared charsets and encodings", () => {
  it("the GBK bytes the tests send are GBK", () => {
    expect(gbkBytes("张三")).toEqual(Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]));
  });

  it("a JSON application in GBK (charset=gbk, gb18030, gb2312), passed on as bytes, is decoded and stored in Chinese", async () => {
    for (const charset of ["gbk", "GB18030", "gb2312"]) {
      const body = gbkBytes(JSON.stringify(validApplication({ name: "张三丰" })));
      const res = await send("POST", "/api/v1/applications", { body, binary: true, headers: { "content-type": `application/json; charset=${charset}` } });
      expect(res.status, `${charset} ${res.body}`).toBe(201);
      const tracking = await world.harness.deps.store.cases.tracking(res.json.trackingNumber);
      const stored = await world.harness.deps.store.cases.get(tracking!.caseId);
      expect((stored!.data as ApplicationData).application.name).toBe("张三丰");
    }
  });

  it("a form post in GBK from an older portal (declared, or named by _charset_) is decoded", async () => {
    const escape = (b: Buffer) => [...b].map((x) => `%${x.toString(16).toUpperCase()}`).join("");
    const name = escape(gbkBytes("张三"));
    const declared = await send("POST", "/track", { body: `trackingNumber=${name}&accessCode=x`, headers: { "content-type": "application/x-www-form-urlencoded; charset=GBK" } });
    expect(declared.status).toBe(400);
    expect(declared.body).toContain("张三"); // decoded, shown back
    const named = await send("POST", "/track", { body: `_charset_=gbk&trackingNumber=${name}&accessCode=x`, headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(named.body).toContain("张三");
  });

  it("a multipart form in GBK (charset declared) is decoded; a file name loses the characters no text may hold", async () => {
    const boundary = "----gongkai";
    const fields: Record<string, string> = { ...Object.fromEntries(Object.entries(validApplication({ name: "张三丰" })).map(([k, v]) => [k, String(v)])), declaration: "yes", consent: "yes" };
    const part = (name: string, value: Buffer) => Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`), value, Buffer.from("\r\n")]);
    const png = Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d605e40000000049454e44ae426082", "hex");
    const body = Buffer.concat([
      ...Object.entries(fields).map(([k, v]) => part(k, gbkBytes(v))),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="attachment1"; filename="${"证明\u202egnp.png"}"\r\nContent-Type: image/png\r\n\r\n`),
      png,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const before = (await world.harness.deps.store.cases.search({ agencyCode: serviceCenter, limit: 1000 })).length;
    const res = await send("POST", "/apply", { body, binary: true, headers: { "content-type": `multipart/form-data; boundary=${boundary}; charset=gbk` } });
    expect(res.status, res.body.slice(0, 300)).toBe(303);
    const cases = await world.harness.deps.store.cases.search({ agencyCode: serviceCenter, limit: 1000 });
    expect(cases.length).toBe(before + 1);
    const stored = cases.find((c) => (c.data as ApplicationData).application.name === "张三丰" && (c.data as ApplicationData).attachments.length === 1)!;
    expect((stored.data as ApplicationData).attachments[0]!.name).toBe("证明gnp.png");
  });

  it("an unknown charset: 415 naming the supported ones", async () => {
    const res = await send("POST", "/api/v1/applications", { body: JSON.stringify(validApplication()), headers: { "content-type": "application/json; charset=big5" } });
    expect(res.status).toBe(415);
    expect(res.json.error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    for (const name of ["UTF-8", "GBK", "GB18030", "GB2312"]) expect(res.json.error.message).toContain(name);
    expect(supportedCharsets).toEqual(["UTF-8", "GBK", "GB2312", "GB18030"]);
  });

  it("bytes that are not UTF-8 (which would decode to U+FFFD): 400, nothing stored", async () => {
    const before = world.writes.count;
    const json = Buffer.from(JSON.stringify(validApplication({ name: "NAME" })));
    const broken = Buffer.from(json.toString("latin1").replace("NAME", "\u00e0\u00e1"), "latin1"); // E0 E1: no UTF-8
    // as bytes (the router decodes them strictly) and as text already decoded with U+FFFD (the local host's text types)
    const bytes = await send("POST", "/api/v1/applications", { body: broken, binary: true, headers: { "content-type": "application/json" } });
    expect(bytes.status).toBe(400);
    expect(bytes.json.error.fields[0].code).toBe("invalid_encoding");
    const text = await send("POST", "/api/v1/applications", { body: broken, headers: { "content-type": "application/json" } });
    expect(text.status).toBe(400);
    expect(text.json.error.fields[0]).toMatchObject({ path: "name", code: "invalid_character", message: expect.stringContaining("U+FFFD") });
    const form = await send("POST", "/track", { body: "trackingNumber=%E0%E1&accessCode=x", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(form.status).toBe(400);
    expect(world.writes.count).toBe(before);
  });

  it("GBK sent as UTF-8 (undeclared): 400, never stored as mojibake", async () => {
    const body = gbkBytes(JSON.stringify(validApplication({ name: "张三丰" })));
    expect((await send("POST", "/api/v1/applications", { body, headers: { "content-type": "application/json" } })).status).toBe(400);
  });

  it.each(["gzip", "br", "deflate", "identity, gzip", "x-custom"])("Content-Encoding %s: 415", async (encoding) => {
    const res = await send("POST", "/api/v1/applications", { json: validApplication(), headers: { "content-encoding": encoding } });
    expect(res.status).toBe(415);
    expect(res.json.error.fields[0]).toMatchObject({ path: "Content-Encoding", code: "unsupported_encoding" });
  });

  it("Content-Encoding identity is the body as it is", async () => {
    expect((await send("POST", "/api/v1/applications", { json: validApplication(), headers: { "content-encoding": "identity" } })).status).toBe(201);
  });

  it("a JSON body nested thousands deep: 400, not a stack overflow", async () => {
    const res = await send("POST", "/api/v1/applications", { body: `${"[".repeat(5_000)}${"]".repeat(5_000)}`, headers: { "content-type": "application/json" } });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("MALFORMED_JSON");
  });
});

describe("issue 7 · headers the app builds", () => {
  it("a letter's Content-Disposition is ASCII, the Chinese name RFC 5987-encoded", async () => {
    const s = world.samples;
    const letterId = s.valid.letterId![0]!;
    const res = await send("GET", `/api/v1/applications/${s.correctionTrackingNumber}/letters/${letterId}?format=docx`, { headers: { "x-access-code": s.correctionAccessCode } });
    expect(res.status).toBe(200);
    expect(res.headers["content-disposition"]).toMatch(/^attachment; filename="letter\.docx"; filename\*=UTF-8''%[0-9A-F]{2}/);
  });
});
