import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { startLocalProcess, removeDataDir, eventually, allocatePorts, type LocalProcess } from "../support/local-process";
import { validApplication, serviceCenter } from "../support/app";
import { DEMO_PASSWORD } from "../../shared/app/seed-demo";
import { launchChromium } from "../support/browser";

/**
 * The whole system as `npm start` runs it: a real child process with DynamoDB Local,
 * the SQS stand-in, the Scheduler stand-in, the mail catcher and the host.
 */
let stack: LocalProcess;

beforeAll(async () => {
  stack = await startLocalProcess();
}, 90_000);
afterAll(async () => {
  await stack?.stop();
  if (stack) removeDataDir(stack.dataDir);
});

function processesMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(text)) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${stack.baseUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json().catch(() => undefined)) as Record<string, any> };
}

async function login(username: string): Promise<string> {
  const res = await post("/api/v1/auth/login", { agencyCode: serviceCenter, username, password: DEMO_PASSWORD });
  expect(res.status).toBe(200);
  return res.body.token as string;
}

async function caughtMail(): Promise<Array<{ subject: string; to: string[]; text: string }>> {
  const res = await fetch(`${stack.baseUrl}/local/mail/messages`);
  return (await res.json()) as Array<{ subject: string; to: string[]; text: string }>;
}

async function tasksOf(token: string): Promise<Array<Record<string, any>>> {
  const res = await fetch(`${stack.baseUrl}/api/v1/tasks?status=open`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as Array<Record<string, any>>;
}

async function taskForTracking(token: string, trackingNumber: string) {
  for (const task of await tasksOf(token)) {
    const res = await fetch(`${stack.baseUrl}/api/v1/cases/${task.caseId}`, { headers: { authorization: `Bearer ${token}` } });
    const view = (await res.json()) as { case: { trackingNumber: string } };
    if (view.case.trackingNumber === trackingNumber) return task;
  }
  return undefined;
}

describe("local stack end to end", () => {
  it("submission → tracking number, and within 5 s the office email and the inbox task", async () => {
    const submitted = await post("/api/v1/applications", validApplication());
    expect(submitted.status).toBe(201);
    expect(submitted.body).toEqual({ trackingNumber: expect.stringMatching(/^001008010002002-\d{4}-\d{5}$/), accessCode: expect.any(String), status: "received" });
    const { trackingNumber, accessCode } = submitted.body;

    const mail = await eventually(
      async () => (await caughtMail()).find((m) => m.subject.includes("【待办】") && m.subject.includes(trackingNumber)),
      5000,
      "the office email",
    );
    expect(mail.to).toContain("office.002@demo.gongkai.local");
    const token = await login("office");
    const task = await eventually(() => taskForTracking(token, trackingNumber), 5000, "the registration task");
    expect(task).toMatchObject({ workflow: "application", step: "register", role: "office_staff", dueIsProvisional: expect.any(Boolean) });
    expect(task.allowedOutcomes[0].outcome).toBe("registered");

    // the logs carry ids (agency, case, correlation), never the applicant's personal data
    const logs = stack.output();
    expect(logs).toContain(trackingNumber);
    expect(logs).toMatch(/"correlationId":"[^"]+"/);
    for (const personal of ["张三", "110101199003074514", "13800138000", "zhangsan@example.com", "劳动北路"]) expect(logs).not.toContain(personal);

    const tracked = await fetch(`${stack.baseUrl}/api/v1/applications/${trackingNumber}`, { headers: { "x-access-code": accessCode } });
    expect(tracked.status).toBe(200);
    expect(await tracked.json()).toMatchObject({ trackingNumber, status: "received", events: [expect.objectContaining({ type: "application.submitted" })] });

    // registering through the staff API starts the statutory answer period
    const done = await post(`/api/v1/tasks/${task.taskId}/complete`, { outcome: "registered" }, { authorization: `Bearer ${token}` });
    expect(done).toMatchObject({ status: 200, body: { status: "registered" } });
    const again = await post(`/api/v1/tasks/${task.taskId}/complete`, { outcome: "registered" }, { authorization: `Bearer ${token}` });
    expect(again.status).toBe(409);
    const after = await fetch(`${stack.baseUrl}/api/v1/applications/${trackingNumber}`, { headers: { "x-access-code": accessCode } });
    expect(await after.json()).toMatchObject({ status: "registered", dueOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
  });

  it("answers bad input with 4xx and a Chinese message per field, never a 5xx", async () => {
    const malformed = await post("/api/v1/applications", "{not json");
    expect(malformed).toMatchObject({ status: 400, body: { error: { code: "MALFORMED_JSON" } } });

    const wrong = await post("/api/v1/applications", validApplication({ phone: 13800138000, idNumber: "110101199003074510", description: "x".repeat(5000) }));
    expect(wrong.status).toBe(400);
    const fields = wrong.body.error.fields as Array<{ path: string; code: string; message: string }>;
    expect(fields.map((f) => f.path)).toEqual(expect.arrayContaining(["phone", "idNumber", "description"]));
    expect(fields.every((f) => /[\u4e00-\u9fff]/.test(f.message))).toBe(true);

    const missing = await post("/api/v1/applications", {});
    expect(missing.status).toBe(400);
    expect((missing.body.error.fields as unknown[]).length).toBeGreaterThan(3);

    // the intake route takes attachments, so its limit is a few MB
    const huge = await post("/api/v1/applications", validApplication({ description: "字".repeat(2_000_000) }));
    expect(huge.status).toBe(413);

    expect((await fetch(`${stack.baseUrl}/api/v1/nothing-here`)).status).toBe(404);
    const wrongMethod = await fetch(`${stack.baseUrl}/api/v1/applications`, { method: "DELETE" });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toContain("POST");

    const wrongCode = await fetch(`${stack.baseUrl}/api/v1/applications/001008010002002-2026-00001`, { headers: { "x-access-code": "WRONG" } });
    expect(wrongCode.status).toBe(404);
    expect((await post("/api/v1/auth/login", { agencyCode: serviceCenter, username: "office", password: "nope" })).status).toBe(401);
    expect((await post("/api/v1/auth/login", { agencyCode: serviceCenter, username: "nobody", password: "nope" })).status).toBe(401);
    expect((await fetch(`${stack.baseUrl}/api/v1/tasks`)).status).toBe(401);

    const openapi = await fetch(`${stack.baseUrl}/api/v1/openapi.json`);
    expect(openapi.status).toBe(200);
    expect(Object.keys(((await openapi.json()) as { paths: object }).paths)).toContain("/api/v1/applications");
  });

  it("moving the local clock past a due day fires the overdue timer and escalates to the office director", async () => {
    const submitted = await post("/api/v1/applications", validApplication());
    const trackingNumber = submitted.body.trackingNumber as string;
    const token = await login("office");
    await eventually(() => taskForTracking(token, trackingNumber), 5000, "the registration task");

    const moved = await post("/api/v1/local/clock", { advanceWorkingDays: 3 });
    expect(moved.status).toBe(200);
    expect(moved.body.firedSchedules).toBeGreaterThan(0);

    const escalation = await eventually(
      async () => (await caughtMail()).find((m) => m.subject.includes("【督办】") && m.subject.includes(trackingNumber)),
      10_000,
      "the escalation email",
    );
    expect(escalation.to).toContain("director.002@demo.gongkai.local");
    const director = await login("director");
    expect(await taskForTracking(director, trackingNumber)).toBeDefined();
  });
});

describe("holiday schedules through the staff API", () => {
  it("only an administrator enters a year; a bad file is refused, naming the fault, and stores nothing; a good one makes 2027 final", async () => {
    const file = readFileSync(new URL("../fixtures/calendar/2027-test.json", import.meta.url), "utf8");
    const put = (token: string, body: string) =>
      fetch(`${stack.baseUrl}/api/v1/calendar/years`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body });
    const years = async (token: string) =>
      ((await (await fetch(`${stack.baseUrl}/api/v1/calendar/years`, { headers: { authorization: `Bearer ${token}` } })).json()) as { years: Array<{ year: number; source: string; enteredBy?: string }> }).years;

    const office = await login("office");
    expect((await put(office, file)).status).toBe(403);
    expect((await years(office)).find((y) => y.year === 2027)?.source).toBe("missing");

    const admin = await login("admin");
    const bad = await put(admin, file.replace('"2027-01-03"', '"2026-12-31"'));
    expect(bad.status).toBe(400);
    const badBody = (await bad.json()) as { error: { fields: Array<{ path: string; message: string }> } };
    expect(badBody.error.fields[0]?.message).toMatch(/[\u4e00-\u9fff]/);
    expect((await years(admin)).find((y) => y.year === 2027)?.source).toBe("missing");

    const good = await put(admin, file);
    expect(good.status).toBe(201);
    expect(await good.json()).toEqual({ entered: [{ year: 2027, revision: 1, changed: expect.any(Number) }] });
    expect((await years(office)).find((y) => y.year === 2027)).toMatchObject({ source: "entered", enteredBy: "admin" });
  });
});

describe("portal in a browser", () => {
  it("a citizen applies without JavaScript and reads the tracking number; the office signs in and registers it", async () => {
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ javaScriptEnabled: false, locale: "zh-CN" });
      const page = await context.newPage();
      await page.goto(`${stack.baseUrl}/apply`);
      expect(await page.getAttribute("html", "lang")).toBe("zh-CN");

      // a wrong ID number first: the form comes back with the error and keeps what was typed
      await page.selectOption('select[name="agencyCode"]', serviceCenter);
      await page.check('input[name="applicantType"][value="natural_person"]');
      await page.fill('input[name="name"]', "李四");
      await page.selectOption('select[name="idType"]', "resident_id");
      await page.fill('input[name="idNumber"]', "110101199003074510");
      await page.fill('input[name="phone"]', "13912345678");
      await page.fill('input[name="email"]', "lisi@example.com");
      await page.fill('input[name="address"]', "浙江省台州市黄岩区东城街道1号");
      await page.fill('input[name="postalCode"]', "318020");
      await page.fill('textarea[name="description"]', "2025年政府信息公开工作年度报告所依据的统计数据");
      await page.check('input[name="deliveryForm"][value="email"]');
      await page.check('input[name="deliveryWay"][value="email"]');
      await page.click('button[type="submit"]');
      expect(await page.textContent("body")).toContain("身份证");
      expect(await page.inputValue('input[name="name"]')).toBe("李四");

      await page.fill('input[name="idNumber"]', "110101199003074514");
      // the applicant's declaration and consent to the processing of their data (申请人承诺)
      await page.check('input[name="declaration"]');
      await page.check('input[name="consent"]');
      await page.click('button[type="submit"]');
      const trackingNumber = (await page.textContent("#tracking-number"))?.trim() ?? "";
      const accessCode = (await page.textContent("#access-code"))?.trim() ?? "";
      expect(trackingNumber).toMatch(/^001008010002002-\d{4}-\d{5}$/);
      expect(accessCode).toMatch(/^[2-9A-Z]{10}$/);

      // and tracks it with the number and code it was given
      await page.goto(`${stack.baseUrl}/track`);
      await page.fill('input[name="trackingNumber"]', trackingNumber);
      await page.fill('input[name="accessCode"]', accessCode);
      await page.click('button[type="submit"]');
      expect((await page.textContent("#tracking-number"))?.trim()).toBe(trackingNumber);

      // the office signs in, finds it in the inbox and registers it with the case page's form
      await page.goto(`${stack.baseUrl}/console`);
      expect(page.url()).toContain("/console/login");
      await page.selectOption('select[name="agencyCode"]', serviceCenter);
      await page.fill('input[name="username"]', "office");
      await page.fill('input[name="password"]', DEMO_PASSWORD);
      await page.click('button[type="submit"]');
      expect(page.url()).toContain("/console/inbox");
      const row = page.locator("tr", { hasText: trackingNumber });
      await eventually(async () => ((await row.count()) > 0 ? true : (await page.reload(), undefined)), 5000, "the task in the inbox");
      await row.locator("a").first().click();
      expect(await page.textContent("body")).toContain("李四");
      await page.locator('form[action*="/complete"] button[type="submit"]').first().click();
      expect(page.url()).toContain("done=1");
      expect(await page.textContent("body")).toContain("已受理登记");

      // a form post without the session's CSRF token is refused
      const cookies = await context.cookies();
      const session = cookies.find((c) => c.name === "gk_session")!;
      const forged = await fetch(`${stack.baseUrl}/console/logout`, {
        method: "POST",
        headers: { cookie: `gk_session=${session.value}`, "content-type": "application/x-www-form-urlencoded" },
        body: "csrfToken=forged",
        redirect: "manual",
      });
      expect(forged.status).toBe(403);

      // signing out ends the session
      await page.locator('form[action="/console/logout"] button').first().click();
      expect(page.url()).toContain("/console/login");
      const after = await fetch(`${stack.baseUrl}/api/v1/tasks`, { headers: { cookie: `gk_session=${session.value}` } });
      expect(after.status).toBe(401);
    } finally {
      await browser.close();
    }
  });
});

describe("crash safety", () => {
  it("SIGTERM to `npm start` stops every child process: nothing of its data folder keeps running", async () => {
    const run = await startLocalProcess({ viaNpm: true });
    try {
      expect(processesMentioning(run.dataDir).length).toBeGreaterThan(0);
      await run.stop();
      // the stack lets a running invocation finish before it stops (a site check's fetch may take its 10 s timeout), then Java
      await eventually(async () => (processesMentioning(run.dataDir).length === 0 ? true : undefined), 30_000, "every child to stop").catch((error: unknown) => {
        const left = processesMentioning(run.dataDir).map((pid) => readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ").slice(0, 200));
        throw new Error(`${String(error)}; still running: ${left.join(" | ")}`);
      });
    } finally {
      removeDataDir(run.dataDir);
    }
  }, 90_000);

  it("SIGKILL right after a submission loses nothing: registered exactly once, exactly one email", async () => {
    const ports = await allocatePorts();
    let first = await startLocalProcess({ ports });
    const dataDir = first.dataDir;
    const res = await fetch(`${first.baseUrl}/api/v1/applications`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(validApplication()),
    });
    expect(res.status).toBe(201);
    const { trackingNumber } = (await res.json()) as { trackingNumber: string };
    await first.kill();

    first = await startLocalProcess({ ports, dataDir });
    try {
      const login = await fetch(`${first.baseUrl}/api/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ agencyCode: serviceCenter, username: "office", password: DEMO_PASSWORD }),
      });
      const { token } = (await login.json()) as { token: string };
      const auth = { authorization: `Bearer ${token}` };
      const mailFor = async () =>
        ((await (await fetch(`${first.baseUrl}/local/mail/messages`)).json()) as Array<{ subject: string }>).filter(
          (m) => m.subject.includes("【待办】") && m.subject.includes(trackingNumber),
        );
      await eventually(async () => ((await mailFor()).length > 0 ? true : undefined), 20_000, "the office email after restart");
      // give duplicates every chance to show up before counting
      await new Promise((r) => setTimeout(r, 2000));
      expect(await mailFor()).toHaveLength(1);
      const tasks = (await (await fetch(`${first.baseUrl}/api/v1/tasks`, { headers: auth })).json()) as Array<{ caseId: string; step: string }>;
      const views = await Promise.all(
        tasks.map(async (t) => ((await (await fetch(`${first.baseUrl}/api/v1/cases/${t.caseId}`, { headers: auth })).json()) as { case: { trackingNumber: string } }).case.trackingNumber),
      );
      expect(views.filter((n) => n === trackingNumber)).toHaveLength(1);
    } finally {
      const code = await first.stop();
      expect(code).toBe(0);
      // an orderly stop leaves no java (or anything else) of this data folder running
      expect(processesMentioning(dataDir)).toEqual([]);
      removeDataDir(dataDir);
    }
  }, 120_000);
});
