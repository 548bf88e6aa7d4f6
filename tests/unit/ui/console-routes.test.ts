import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { consolePageRoutes } from "../../../functions/http/staff-console";
import type { AppDeps } from "../../../shared/app/deps";
import { submitApplication } from "../../../shared/app/applications/intake";
import { DEMO_PASSWORD } from "../../../shared/app/seed-demo";
import { memoryHarness, type Harness } from "../../support/harness";
import { serviceCenter, validApplication } from "../../support/app";
import { consoleBrowser, csrfOf, type Jar } from "../../support/console-browser";

/**
 * The console's pages as a browser uses them, over the in-memory ports: sign-in, the
 * session cookie and CSRF token on every form, post/redirect/get with a notice, a
 * refused post re-rendered with its errors, the one-time access code of an entered
 * application, letters downloaded with the session cookie.
 */

const console_ = (deps: AppDeps) => consoleBrowser(consolePageRoutes(() => deps));

async function signedIn(h: Harness, username = "office") {
  const send = console_(h.deps);
  const jar: Jar = new Map();
  const login = await send("GET", "/console/login", { jar });
  const res = await send("POST", "/console/login", { jar, form: { csrfToken: csrfOf(login.body), agencyCode: serviceCenter, username, password: DEMO_PASSWORD, next: "/console/inbox" } });
  expect(res.status).toBe(303);
  expect(res.headers.location).toBe("/console/inbox");
  const inbox = await send("GET", "/console/inbox", { jar });
  return { send, jar, csrf: csrfOf(inbox.body), inbox };
}

async function submitted(h: Harness, overrides: Record<string, unknown> = {}) {
  const s = await submitApplication(h.deps, validApplication(overrides));
  await h.settle();
  return s;
}

describe("console routes", () => {
  it("a signed-out visitor goes to the sign-in page and comes back where they were going", async () => {
    const h = await memoryHarness();
    const send = console_(h.deps);
    const res = await send("GET", "/console/cases?q=%E6%BB%A1%E6%84%8F");
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/console/login?next=${encodeURIComponent("/console/cases?q=%E6%BB%A1%E6%84%8F")}`);
    // the sign-in page carries it through
    const jar: Jar = new Map();
    const login = await send("GET", res.headers.location!, { jar });
    expect(login.body).toContain('<input type="hidden" name="next" value="/console/cases?q=%E6%BB%A1%E6%84%8F">');
    const signedIn = await send("POST", "/console/login", { jar, form: { csrfToken: csrfOf(login.body), agencyCode: serviceCenter, username: "office", password: DEMO_PASSWORD, next: "/console/cases?q=%E6%BB%A1%E6%84%8F" } });
    expect(signedIn.headers.location).toBe("/console/cases?q=%E6%BB%A1%E6%84%8F");
    // never elsewhere
    const again = await send("GET", "/console/login", { jar });
    const away = await send("POST", "/console/login", { jar, form: { csrfToken: csrfOf(again.body), agencyCode: serviceCenter, username: "office", password: DEMO_PASSWORD, next: "https://evil.example/" } });
    expect(away.headers.location).toBe("/console/inbox");
  });

  it("registers from the case page: a post without the session's token is refused, a bad value comes back with it, a good one redirects to the case with a notice; a second post is a 409 in the page", async () => {
    // Prepare
    const h = await memoryHarness();
    const s = await submitted(h);
    const { send, jar, csrf, inbox } = await signedIn(h);
    const taskId = `${s.caseId}-register-1`;
    expect(inbox.body).toContain(`data-task-id="${taskId}"`);
    const casePage = await send("GET", `/console/cases/${s.caseId}`, { jar });
    expect(casePage.status).toBe(200);
    expect(casePage.body).toContain(`action="/console/tasks/${taskId}/complete"`);
    // Act + Assess: no token
    const forged = await send("POST", `/console/tasks/${taskId}/complete`, { jar, form: { outcome: "registered", csrfToken: "forged" } });
    expect(forged.status).toBe(403);
    expect(forged.body).toContain("页面已过期或请求来源无效");
    expect(forged.body).toContain('<a href="/console/inbox">待办任务</a>');
    // a receipt date in the future
    const bad = await send("POST", `/console/tasks/${taskId}/complete`, { jar, form: { csrfToken: csrf, taskId, outcome: "registered", receivedOn: "2026-03-09", note: "电话确认" } });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain(`<a href="#t-${taskId}-registered-receivedOn">收到申请日期不能晚于今天</a>`);
    expect(bad.body).toMatch(new RegExp(`id="t-${taskId}-registered-receivedOn" name="receivedOn" value="2026-03-09"`));
    expect(bad.body).toContain(">电话确认</textarea>");
    // the real thing
    const done = await send("POST", `/console/tasks/${taskId}/complete`, { jar, form: { csrfToken: csrf, taskId, outcome: "registered", receivedOn: "2026-03-02" } });
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe(`/console/cases/${s.caseId}?done=1&task=${encodeURIComponent(taskId)}`);
    const after = await send("GET", done.headers.location!, { jar });
    expect(after.body).toContain('<div class="notice" role="status">已办理“受理登记”：确认收到并登记。</div>');
    expect(after.body).toContain('<dd id="case-status">已受理登记，待审查</dd>');
    const again = await send("POST", `/console/tasks/${taskId}/complete`, { jar, form: { csrfToken: csrf, taskId, outcome: "registered" } });
    expect(again.status).toBe(409);
    expect(again.body).toContain("<li>该待办已办结，不能重复办理</li>");
  });

  it("letters download with the session cookie: Word as an attachment, HTML inline", async () => {
    const h = await memoryHarness();
    const s = await submitted(h);
    await h.complete("office", s.caseId, "register", { outcome: "registered" });
    const { send, jar } = await signedIn(h);
    const page = (await send("GET", `/console/cases/${s.caseId}`, { jar })).body;
    const href = /href="(\/console\/cases\/[^"]+\/letters\/[^"?]+)\?format=docx"/.exec(page)?.[1];
    expect(href).toBeDefined();
    const docx = await send("GET", `${href}?format=docx`, { jar });
    expect(docx.status).toBe(200);
    expect(docx.headers["content-type"]).toContain("wordprocessingml");
    expect(docx.headers["content-disposition"]).toMatch(/^attachment;/);
    expect(docx.bytes.subarray(0, 2).toString()).toBe("PK");
    const inline = await send("GET", `${href}?format=html`, { jar });
    expect(inline.headers["content-disposition"]).toMatch(/^inline;/);
    expect(inline.bytes.toString("utf8")).toContain("受理回执");
    expect((await send("GET", `/console/cases/${s.caseId}/letters/nope?format=docx`, { jar })).status).toBe(404);
  });

  it("staff entry: office only; errors re-render with what was typed; success redirects to the case, showing the access code once", async () => {
    // Prepare
    const h = await memoryHarness();
    const deputy = await signedIn(h, "deputy");
    const office = await signedIn(h);
    // Assess: the deputy leader does not enter applications
    expect(deputy.inbox.body).not.toContain("/console/applications/new");
    expect((await deputy.send("GET", "/console/applications/new", { jar: deputy.jar })).status).toBe(403);
    // Act: a walk-in without a description
    const form = { ...(validApplication() as Record<string, string>), csrfToken: office.csrf, channel: "in_person", receivedOn: "2026-03-02", description: "" };
    delete (form as Record<string, string>).agencyCode;
    const bad = await office.send("POST", "/console/applications/new", { jar: office.jar, form });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatch(/<a href="#f-description">[^<]*内容描述/);
    expect(bad.body).toMatch(/id="f-name" name="name" value="张三"/);
    const res = await office.send("POST", "/console/applications/new", { jar: office.jar, form: { ...form, description: "黄岩区政务服务中心2025年窗口建设项目合同" } });
    expect(res.status).toBe(303);
    const location = res.headers.location!;
    expect(location).toMatch(/^\/console\/cases\/[^/?]+\?entered=1$/);
    const caseId = location.split("/")[3]!.split("?")[0]!;
    expect(res.setCookies[0]).toMatch(new RegExp(`^gk_entered=[^;]+; Path=/console/cases/${caseId}; HttpOnly; SameSite=Strict; Max-Age=600`));
    // Assess: shown once, then the cookie is gone
    const first = await office.send("GET", location, { jar: office.jar });
    expect(first.body).toMatch(/id="access-code">[2-9A-Z]{10}</);
    expect(first.body).toContain('<dd id="case-status">已受理登记，待审查</dd>');
    expect(first.setCookies[0]).toMatch(/^gk_entered=; Path=\/console\/cases\/[^;]+; HttpOnly; SameSite=Strict; Max-Age=0/);
    const second = await office.send("GET", location, { jar: office.jar });
    expect(second.body).not.toContain('id="access-code"');
    expect(second.body).toContain("已录入申请并受理登记。");
    // and it is found by search
    const found = await office.send("GET", `/console/cases?q=${encodeURIComponent("窗口建设项目")}`, { jar: office.jar });
    expect(found.body).toContain(`href="/console/cases/${caseId}"`);
  });

  it("search: 200 with results, 400 with the form and its errors", async () => {
    const h = await memoryHarness();
    const s = await submitted(h);
    const { send, jar } = await signedIn(h);
    const ok = await send("GET", `/console/cases?trackingNumber=${s.trackingNumber}`, { jar });
    expect(ok.status).toBe(200);
    expect(ok.body).toContain(`<a href="/console/cases/${s.caseId}">${s.trackingNumber}</a>`);
    const bad = await send("GET", "/console/cases?status=nonsense", { jar });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('<a href="#s-status">办理状态无效</a>');
  });

  it("the calendar form posts, redirects and shows what was entered, naming the administrator, not their username", async () => {
    const h = await memoryHarness();
    const { send, jar, csrf } = await signedIn(h, "admin");
    const file = readFileSync(new URL("../../fixtures/calendar/2027-test.json", import.meta.url), "utf8");
    const res = await send("POST", "/console/calendar", { jar, form: { csrfToken: csrf, scheduleJson: file } });
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/console\/calendar\?entered=2027&revision=1&changed=\d+$/);
    const page = await send("GET", res.headers.location!, { jar });
    expect(page.body).toContain("已保存 2027 年放假安排（第 1 版）");
    expect(page.body).toContain("由 系统管理员 刘洋 于");
    expect(page.body).not.toMatch(/由 admin 于/);
    // a bad file comes back with each fault said once, nothing stored
    const bad = await send("POST", "/console/calendar", { jar, form: { csrfToken: csrf, scheduleJson: file.replace('"2027-01-03"', '"2026-12-31"') } });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain("未保存");
    expect(bad.body).toMatch(/<li><a href="#f-scheduleJson">第 \d+ 行 [^<：]+：(?!第 \d+ 行)[^<]+<\/a><\/li>/);
  });
});
