import { describe, expect, it } from "vitest";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { createHttpHandler, type HttpResponse } from "../../../shared/http/http";
import { renderErrorPage } from "../../../shared/http/error-pages";
import { portalRoutes } from "../../../functions/http/public-portal";
import type { AppDeps } from "../../../shared/app/deps";
import type { ApplicationData } from "../../../shared/domain/workflows/application/data";
import { memoryHarness, type Harness } from "../../support/harness";
import { serviceCenter } from "../../support/app";
import { newCodeSentMessage, trackNotFoundMessage } from "../../../shared/ui/portal/track";

/**
 * The portal's routes as a browser uses them, over the in-memory ports: post/redirect/get
 * with short-lived path cookies, the one-time form token, multipart attachments, the
 * tracking cookie that authorises letters and corrections, throttling and the lost code.
 */

const PDF = Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.alloc(200, 0x20), Buffer.from("\n%%EOF\n")]);

type Jar = Map<string, string>;

interface Sent {
  status: number;
  headers: Record<string, string>;
  setCookies: string[];
  body: string;
  raw: HttpResponse;
}

function portal(deps: AppDeps) {
  const handler = createHttpHandler(portalRoutes(() => deps), { renderErrorPage });
  return async function send(
    method: string,
    url: string,
    opts: { body?: Buffer | string; contentType?: string; jar?: Jar; headers?: Record<string, string>; ip?: string } = {},
  ): Promise<Sent> {
    const [path, query = ""] = url.split("?") as [string, string?];
    const body = opts.body === undefined ? undefined : Buffer.isBuffer(opts.body) ? opts.body : Buffer.from(opts.body, "utf8");
    const headers: Record<string, string> = { host: "gongkai.test", ...(opts.contentType ? { "content-type": opts.contentType } : {}), ...opts.headers };
    const cookies = opts.jar && opts.jar.size ? [...opts.jar].map(([k, v]) => `${k}=${v}`) : undefined;
    const event = {
      version: "2.0",
      routeKey: "$default",
      rawPath: path,
      rawQueryString: query,
      headers,
      ...(cookies ? { cookies } : {}),
      requestContext: { http: { method, path, protocol: "HTTP/1.1", sourceIp: opts.ip ?? "198.51.100.7", userAgent: "vitest" }, requestId: "req-1" },
      ...(body ? { body: body.toString("base64"), isBase64Encoded: true } : { isBase64Encoded: false }),
    } as unknown as APIGatewayProxyEventV2;
    const res = await handler(event);
    const setCookies = (res.cookies ?? []) as string[];
    if (opts.jar) {
      for (const c of setCookies) {
        const [pair] = c.split(";");
        const i = pair!.indexOf("=");
        const name = pair!.slice(0, i);
        if (/Max-Age=0\b/.test(c)) opts.jar.delete(name);
        else opts.jar.set(name, pair!.slice(i + 1));
      }
    }
    const bodyText = res.isBase64Encoded ? Buffer.from(String(res.body ?? ""), "base64").toString("latin1") : String(res.body ?? "");
    return { status: res.statusCode, headers: (res.headers ?? {}) as Record<string, string>, setCookies, body: bodyText, raw: res };
  };
}

function multipart(fields: Record<string, string>, files: Array<{ field: string; name: string; bytes: Buffer; type?: string }> = []) {
  const boundary = "----gongkaiTestBoundary7MA4YWxkTrZu0gW";
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`, "utf8"));
  for (const f of files) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.field}"; filename="${f.name}"\r\nContent-Type: ${f.type ?? "application/octet-stream"}\r\n\r\n`, "utf8"), f.bytes, Buffer.from("\r\n"));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

const urlencoded = (fields: Record<string, string>) => ({ body: new URLSearchParams(fields).toString(), contentType: "application/x-www-form-urlencoded" });

const applicant: Record<string, string> = {
  agencyCode: serviceCenter,
  applicantType: "natural_person",
  name: "张三",
  idType: "resident_id",
  idNumber: "110101199003074514",
  phone: "13800138000",
  email: "zhangsan@example.com",
  address: "浙江省台州市黄岩区劳动北路1号",
  postalCode: "318020",
  description: "2025年度行政服务中心窗口服务满意度调查结果",
  deliveryForm: "email",
  deliveryWay: "email",
  declaration: "yes",
  consent: "yes",
};

const formTokenOf = (page: string) => /name="formToken" value="([^"]+)"/.exec(page)?.[1] ?? "";
const textOf = (page: string, id: string) => new RegExp(`id="${id}"[^>]*>([^<]*)<`).exec(page)?.[1]?.trim();

async function applied(h: Harness, send: ReturnType<typeof portal>, jar: Jar = new Map()) {
  const token = formTokenOf((await send("GET", "/apply", { jar })).body);
  const res = await send("POST", "/apply", { ...multipart({ ...applicant, formToken: token }), jar });
  expect(res.status).toBe(303);
  const done = await send("GET", "/apply/done", { jar });
  await h.settle();
  return { trackingNumber: textOf(done.body, "tracking-number")!, accessCode: textOf(done.body, "access-code")!, jar };
}

describe("portal: applying (post/redirect/get)", () => {
  it("a multipart post with an attachment answers 303 to /apply/done with a 10-minute Strict cookie; reloading shows the same page and files nothing", async () => {
    // Prepare
    const h = await memoryHarness();
    const send = portal(h.deps);
    const jar: Jar = new Map();
    const form = await send("GET", "/apply", { jar });
    const token = formTokenOf(form.body);
    expect(token).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
    expect(formTokenOf((await send("GET", "/apply")).body)).not.toBe(token);
    // Act
    const posted = await send("POST", "/apply", { ...multipart({ ...applicant, formToken: token }, [{ field: "attachment1", name: "身份证复印件.pdf", bytes: PDF }]), jar });
    const first = await send("GET", "/apply/done", { jar });
    const reload = await send("GET", "/apply/done", { jar });
    // Assess
    expect(posted.status).toBe(303);
    expect(posted.headers.location).toBe("/apply/done");
    expect(posted.setCookies).toHaveLength(1);
    expect(posted.setCookies[0]).toMatch(/^gk_apply_done=[A-Za-z0-9_-]+; Path=\/apply\/done; HttpOnly; SameSite=Strict; Max-Age=600$/);
    expect(first.status).toBe(200);
    expect(reload.body).toBe(first.body);
    const trackingNumber = textOf(first.body, "tracking-number")!;
    expect(trackingNumber).toMatch(/^001008010002002-\d{4}-00001$/);
    expect(textOf(first.body, "access-code")).toMatch(/^[2-9A-Z]{10}$/);
    const tracking = await h.deps.store.cases.tracking(trackingNumber);
    const c = await h.deps.store.cases.get(tracking!.caseId);
    const data = c!.data as ApplicationData;
    expect(data.attachments).toEqual([expect.objectContaining({ name: "身份证复印件.pdf", contentType: "application/pdf", bytes: PDF.byteLength })]);
    // the confirmations are recorded with the application
    expect(data.application).toMatchObject({ declaration: true, consent: true });
    // nothing else was filed: the next application takes the next number
    const next = await applied(h, send);
    expect(next.trackingNumber.endsWith("-00002")).toBe(true);
  });

  it("a double click (the same form token twice) files one case and lands both on the same confirmation", async () => {
    // Prepare
    const h = await memoryHarness();
    const send = portal(h.deps);
    const token = formTokenOf((await send("GET", "/apply")).body);
    const post = () => send("POST", "/apply", multipart({ ...applicant, formToken: token }));
    // Act
    const [a, b] = await Promise.all([post(), post()]);
    const c = await post();
    // Assess
    for (const r of [a, b, c]) expect(r.status).toBe(303);
    const numbers = [a, b, c].map((r) => JSON.parse(Buffer.from(r.setCookies[0]!.split(";")[0]!.split("=")[1]!, "base64url").toString()).trackingNumber);
    expect(new Set(numbers).size).toBe(1);
    // one case: of the first numbers of the year only the one answered exists
    const year = numbers[0].slice(16, 20);
    const filed = [];
    for (let n = 1; n <= 5; n++) {
      const number = `${serviceCenter}-${year}-${String(n).padStart(5, "0")}`;
      if (await h.deps.store.cases.tracking(number)) filed.push(number);
    }
    expect(filed).toEqual([numbers[0]]);
  });

  it("marks the cookie Secure when the portal is served over https", async () => {
    const h = await memoryHarness();
    const send = portal({ ...h.deps, config: { ...h.deps.config, publicBaseUrl: "https://gongkai.example.gov.cn" } });
    const posted = await send("POST", "/apply", multipart(applicant));
    expect(posted.setCookies[0]).toMatch(/; Secure$/);
  });

  it("without the cookie (expired, another browser) the confirmation page says so and files nothing", async () => {
    const h = await memoryHarness();
    const send = portal(h.deps);
    const page = await send("GET", "/apply/done");
    expect(page.status).toBe(200);
    expect(page.body).toContain("确认页面已过期");
    expect(page.body).not.toContain('id="access-code"');
    expect(await h.deps.store.cases.tracking("001008010002002-2026-00001")).toBeUndefined();
  });

  it("requires the declaration, the consent and an organisation's contact person, listing each with a link, and keeps the form token", async () => {
    // Prepare
    const h = await memoryHarness();
    const send = portal(h.deps);
    const { declaration: _d, consent: _c, ...unticked } = applicant;
    const token = "abcdefghijklmnopqrstuv";
    // Act
    const person = await send("POST", "/apply", multipart({ ...unticked, formToken: token }));
    const org = await send(
      "POST",
      "/apply",
      multipart({ ...applicant, applicantType: "organization", organizationKind: "research", creditCode: "91331003MA2ABCDE1X", legalRepresentative: "李四", formToken: token }),
    );
    // Assess
    expect(person.status).toBe(400);
    expect(person.body).toContain('<a href="#f-declaration">请阅读并勾选申请人承诺</a>');
    expect(person.body).toContain('<a href="#f-consent">请勾选同意本机关为办理申请处理所填个人信息</a>');
    expect(person.body).toContain(`name="formToken" value="${token}"`);
    expect(person.body).toContain("浏览器不会保留已选择的文件");
    expect(person.body).toContain('value="张三"');
    expect(org.status).toBe(400);
    expect(org.body).toContain('<a href="#f-contactPerson">请填写联系人姓名</a>');
    expect(await h.deps.store.cases.tracking("001008010002002-2026-00001")).toBeUndefined();
  });

  it("refuses an attachment by its content (a text file named .pdf), naming it on its input; the same form still posts urlencoded", async () => {
    // Prepare
    const h = await memoryHarness();
    const send = portal(h.deps);
    // Act
    const bad = await send("POST", "/apply", multipart(applicant, [{ field: "attachment2", name: "授权书.pdf", bytes: Buffer.from("not a pdf at all"), type: "application/pdf" }]));
    const plain = await send("POST", "/apply", urlencoded(applicant));
    // Assess
    expect(bad.status).toBe(400);
    expect(bad.body).toMatch(/<a href="#f-attachment2">附件“授权书.pdf”的格式不受支持/);
    expect(bad.body).toMatch(/id="f-attachment2"[^>]*aria-invalid="true"/);
    expect(plain.status).toBe(303);
  });

  it("a contradictory delivery and an impossible postal code come back as field errors", async () => {
    const h = await memoryHarness();
    const send = portal(h.deps);
    const res = await send("POST", "/apply", multipart({ ...applicant, deliveryForm: "paper", deliveryWay: "email", postalCode: "000000" }));
    expect(res.status).toBe(400);
    expect(res.body).toContain('href="#f-postalCode"');
    expect(res.body).toContain('href="#f-deliveryWay"');
  });

  it("refuses a form posted from another site", async () => {
    const h = await memoryHarness();
    const send = portal(h.deps);
    const res = await send("POST", "/apply", { ...multipart(applicant), headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" } });
    expect(res.status).toBe(403);
    expect(res.headers["content-type"]).toContain("text/html");
  });

  it("a malformed multipart body is a 400 page with the form, never a 500", async () => {
    const h = await memoryHarness();
    const send = portal(h.deps);
    const res = await send("POST", "/apply", { body: "--nothing", contentType: "multipart/form-data; boundary=x" });
    expect(res.status).toBe(400);
    expect(res.body).toContain('action="/apply"');
  });
});

describe("portal: tracking", () => {
  it("a right lookup answers 303 to /track/status with a Strict /track cookie; the code never appears in a URL", async () => {
    // Prepare
    const h = await memoryHarness();
    const send = portal(h.deps);
    const { trackingNumber, accessCode } = await applied(h, send);
    const jar: Jar = new Map();
    // Act
    const posted = await send("POST", "/track", { ...urlencoded({ trackingNumber, accessCode }), jar });
    const status = await send("GET", "/track/status", { jar });
    const reload = await send("GET", "/track/status", { jar });
    // Assess
    expect(posted.status).toBe(303);
    expect(posted.headers.location).toBe("/track/status");
    expect(posted.headers.location).not.toContain(accessCode);
    expect(posted.setCookies[0]).toMatch(/^gk_track=[A-Za-z0-9_-]+; Path=\/track; HttpOnly; SameSite=Strict; Max-Age=1800$/);
    expect(status.status).toBe(200);
    expect(textOf(status.body, "tracking-number")).toBe(trackingNumber);
    expect(textOf(status.body, "status")).toBe("已提交，等待办公室确认收到");
    expect(status.body).toContain("申请人通过网上申请平台提交政府信息公开申请");
    expect(reload.body).toBe(status.body);
    // without the cookie the status page sends the applicant to the form
    expect((await send("GET", "/track/status")).headers.location).toBe("/track");
    // ending the lookup drops the cookie
    const ended = await send("POST", "/track/end", { jar });
    expect(ended.setCookies[0]).toMatch(/^gk_track=; Path=\/track; HttpOnly; SameSite=Strict; Max-Age=0$/);
    expect(jar.size).toBe(0);
  });

  it("a wrong code and an unknown number get the same status and the very same page", async () => {
    // Prepare
    const h = await memoryHarness();
    const send = portal(h.deps);
    const { trackingNumber } = await applied(h, send);
    const unknown = trackingNumber.replace(/-00001$/, "-00099");
    // Act: the same number typed in both forms, one existing
    const wrong = await send("POST", "/track", urlencoded({ trackingNumber, accessCode: "WRONGCODE2" }));
    const none = await send("POST", "/track", urlencoded({ trackingNumber: unknown, accessCode: "WRONGCODE2" }));
    // Assess
    expect(wrong.status).toBe(404);
    expect(none.status).toBe(404);
    expect(wrong.body).toContain(trackNotFoundMessage);
    // the page echoes the number typed (and nothing else differs)
    expect(wrong.body.replace(`value="${trackingNumber}"`, 'value="N"')).toBe(none.body.replace(`value="${unknown}"`, 'value="N"'));
    expect(wrong.setCookies).toEqual([]);
    // the API alike
    const apiWrong = await send("GET", `/api/v1/applications/${trackingNumber}`, { headers: { "x-access-code": "WRONGCODE2" } });
    const apiNone = await send("GET", `/api/v1/applications/${unknown}`, { headers: { "x-access-code": "WRONGCODE2" } });
    expect(apiWrong.status).toBe(404);
    expect(apiWrong.body).toBe(apiNone.body);
  });

  it("too many wrong codes: a Chinese page with the wait and 429 + Retry-After; the API answers 429 + Retry-After too", async () => {
    // Prepare
    const h = await memoryHarness();
    const send = portal(h.deps);
    const { trackingNumber, accessCode } = await applied(h, send);
    for (let i = 0; i < 5; i++) expect((await send("POST", "/track", urlencoded({ trackingNumber, accessCode: `WRONG${i}` }))).status).toBe(404);
    // Act
    const page = await send("POST", "/track", urlencoded({ trackingNumber, accessCode }));
    const api = await send("GET", `/api/v1/applications/${trackingNumber}`, { headers: { "x-access-code": accessCode } });
    // Assess
    expect(page.status).toBe(429);
    expect(Number(page.headers["retry-after"])).toBeGreaterThan(0);
    expect(textOf(page.body, "throttled")).toMatch(/^查询码错误次数过多，请 \d+ 分钟后再试$/);
    expect(page.setCookies).toEqual([]);
    expect(api.status).toBe(429);
    expect(Number(api.headers["retry-after"])).toBeGreaterThan(0);
    expect(JSON.parse(api.body).error.message).toMatch(/分钟后再试/);
  });

  it("an empty lookup names the missing fields without counting as a wrong code", async () => {
    const h = await memoryHarness();
    const send = portal(h.deps);
    const res = await send("POST", "/track", urlencoded({ trackingNumber: "", accessCode: "" }));
    expect(res.status).toBe(400);
    expect(res.body).toContain('<a href="#f-trackingNumber">请填写申请编号</a>');
    expect(res.body).toContain('<a href="#f-accessCode">请填写查询码</a>');
  });
});

describe("portal: lost access code", () => {
  it("answers every well-formed number with the same confirmation; only a real one with an email gets a new code, and the old one stops working", async () => {
    // Prepare
    const h = await memoryHarness();
    const send = portal(h.deps);
    const { trackingNumber, accessCode } = await applied(h, send);
    const mailsBefore = h.sent.length;
    // Act
    const real = await send("POST", "/track/access-code", urlencoded({ trackingNumber }));
    const unknown = await send("POST", "/track/access-code", urlencoded({ trackingNumber: trackingNumber.replace(/-00001$/, "-00077") }));
    const page = await send("GET", real.headers.location!);
    await h.settle();
    // Assess
    expect(real.status).toBe(303);
    expect(unknown.headers.location).toBe(real.headers.location);
    expect(real.headers.location).toBe("/track?sent=1");
    expect(textOf(page.body, "new-code-sent")).toBe(newCodeSentMessage);
    const mail = h.sent.slice(mailsBefore).find((m) => m.subject.includes(trackingNumber));
    expect(mail?.to).toEqual(["zhangsan@example.com"]);
    const newCode = /新查询码为：([2-9A-Z]{10})/.exec(mail!.text ?? "")?.[1];
    expect(newCode).toBeDefined();
    expect((await send("POST", "/track", urlencoded({ trackingNumber, accessCode }))).status).toBe(404);
    expect((await send("POST", "/track", urlencoded({ trackingNumber, accessCode: newCode! }))).status).toBe(303);
  });

  it("an empty or malformed number is shown on the lost-code form itself", async () => {
    const h = await memoryHarness();
    const send = portal(h.deps);
    const res = await send("POST", "/track/access-code", urlencoded({ trackingNumber: "abc" }));
    expect(res.status).toBe(400);
    expect(res.body).toContain('<a href="#n-trackingNumber">申请编号格式不正确');
  });
});

describe("portal: correction and letters", () => {
  async function correctionRequested() {
    const h = await memoryHarness();
    const send = portal(h.deps);
    const { trackingNumber, accessCode } = await applied(h, send);
    const caseId = (await h.deps.store.cases.tracking(trackingNumber))!.caseId;
    await h.complete("office", caseId, "register", { outcome: "registered" });
    await h.complete("office", caseId, "review", { outcome: "needs_correction", items: ["请明确所需信息的年份", "请提供文件名称"], correctionWorkingDays: 5 });
    await h.complete("deputy", caseId, "approve_correction", { outcome: "approved" });
    const jar: Jar = new Map();
    expect((await send("POST", "/track", { ...urlencoded({ trackingNumber, accessCode }), jar })).status).toBe(303);
    return { h, send, jar, caseId, trackingNumber };
  }

  it("shows the items, the deadline, the waiting clock and the notice with links; the cookie downloads the letter", async () => {
    // Prepare
    const { send, jar } = await correctionRequested();
    // Act
    const page = await send("GET", "/track/status", { jar });
    // Assess
    expect(page.status).toBe(200);
    expect(textOf(page.body, "status")).toBe("需要您补正申请");
    expect(page.body).toContain("<li>请明确所需信息的年份</li><li>请提供文件名称</li>");
    expect(textOf(page.body, "correction-due")).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(page.body).toContain("等待补正期间不计算答复期限");
    expect(page.body).toContain('action="/track/correction"');
    const link = /href="(\/track\/letters\/[^"?]+)\?format=docx"/.exec(page.body)?.[1];
    expect(link).toBeDefined();
    const docx = await send("GET", `${link}?format=docx`, { jar });
    expect(docx.status).toBe(200);
    expect(docx.headers["content-type"]).toContain("officedocument");
    expect(docx.body.slice(0, 2)).toBe("PK");
    const htmlLetter = await send("GET", `${link}?format=html`, { jar });
    expect(htmlLetter.headers["content-disposition"]).toMatch(/^inline/);
    // without the cookie: back to the form, no letter
    expect((await send("GET", `${link}?format=docx`)).headers.location).toBe("/track");
  });

  it("a correction posts, redirects to the status page with a notice, and a second one is refused with 409 and a clear message", async () => {
    // Prepare
    const { h, send, jar, caseId } = await correctionRequested();
    // Act
    const invalid = await send("POST", "/track/correction", { ...urlencoded({ postalCode: "000000", note: "已补充" }), jar });
    const posted = await send("POST", "/track/correction", { ...urlencoded({ description: "2025年度窗口服务满意度调查报告全文", documentTitle: "满意度调查报告", note: "已补充年份和文件名称" }), jar });
    const landed = await send("GET", posted.headers.location!, { jar });
    await h.settle();
    const again = await send("POST", "/track/correction", { ...urlencoded({ note: "再补充" }), jar });
    // Assess
    expect(invalid.status).toBe(400);
    expect(invalid.body).toContain('<a href="#c-postalCode">');
    expect(invalid.body).toMatch(/<details open>/);
    expect(posted.status).toBe(303);
    expect(posted.headers.location).toBe("/track/status?corrected=1");
    expect(landed.body).toContain("已收到您提交的补正内容");
    const stored = (await h.deps.store.cases.get(caseId))!.data as ApplicationData;
    expect(stored.application.documentTitle).toBe("满意度调查报告");
    expect(again.status).toBe(409);
    expect(textOf(again.body, "correction-problem")).toBe("该申请当前没有待补正的告知书，无需补正");
  });
});
