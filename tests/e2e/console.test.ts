import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startLocalProcess, removeDataDir, eventually, type LocalProcess } from "../support/local-process";
import { validApplication, serviceCenter } from "../support/app";
import { DEMO_PASSWORD } from "../../shared/app/seed-demo";
import { launchChromium } from "../support/browser";

/**
 * The staff console in a browser against the whole local system (`npm start`'s entry):
 * sign in as the office, an application submitted through the API appears in the inbox,
 * is registered from its case page, is found by search; a walk-in is entered by form;
 * on a 375 px phone no page scrolls sideways. The console needs no JavaScript.
 *
 * Set CONSOLE_SCREENSHOTS=<folder> to keep screenshots of the pages looked at.
 */
let stack: LocalProcess;
let browser: Browser;

beforeAll(async () => {
  const [started, launched] = await Promise.allSettled([startLocalProcess(), launchChromium()]);
  // keep whichever started, so that afterAll stops it when the other failed
  if (started.status === "fulfilled") stack = started.value;
  if (launched.status === "fulfilled") browser = launched.value;
  for (const r of [started, launched]) if (r.status === "rejected") throw r.reason;
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  if (stack) removeDataDir(stack.dataDir);
});

const shots = process.env.CONSOLE_SCREENSHOTS;
async function shot(page: Page, name: string) {
  if (!shots) return;
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  // a long page also in screen-high slices, readable one at a time
  const { width, height } = page.viewportSize() ?? { width: 1280, height: 900 };
  const total = (await page.evaluate("document.documentElement.scrollHeight")) as number;
  for (let i = 0, y = 0; y < total && i < 6; i++, y += height) {
    await page.screenshot({ path: join(shots, `${name}-${i + 1}.png`), fullPage: true, clip: { x: 0, y, width, height: Math.min(height, total - y) } });
  }
}

async function api(path: string, init: { method?: string; body?: unknown; token?: string } = {}) {
  const res = await fetch(`${stack.baseUrl}${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: { "content-type": "application/json", ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  return { status: res.status, body: (await res.json().catch(() => undefined)) as Record<string, any> };
}

async function signIn(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${stack.baseUrl}/console/inbox`);
  expect(page.url()).toContain("/console/login");
  await page.selectOption('select[name="agencyCode"]', serviceCenter);
  await page.fill('input[name="username"]', "office");
  await page.fill('input[name="password"]', DEMO_PASSWORD);
  await page.click('button[type="submit"]');
  expect(page.url()).toContain("/console/inbox");
  return page;
}

/** Nothing wider than the viewport: the page never scrolls sideways (and which element reaches furthest right). */
async function horizontalOverflow(page: Page): Promise<{ scrollWidth: number; clientWidth: number; widest: string }> {
  // a string, run in the page: this project's TypeScript has no DOM types
  return (await page.evaluate(`(() => {
    const root = document.documentElement;
    let widest = "", max = 0;
    for (const el of document.querySelectorAll("body *")) {
      const r = el.getBoundingClientRect();
      if (r.right > max) { max = r.right; widest = el.tagName.toLowerCase() + "." + el.className; }
    }
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, widest: widest + " (" + Math.round(max) + "px)" };
  })()`)) as { scrollWidth: number; clientWidth: number; widest: string };
}

const computed = (page: Page, selector: string, property: string) =>
  page.evaluate(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).${property}`) as Promise<string>;

/** Completes the case's open task of `step` through the staff API (waiting for it to open). */
async function completeStep(token: string, caseId: string, step: string, body: Record<string, unknown>) {
  const task = await eventually(
    async () => ((await api(`/api/v1/cases/${caseId}`, { token })).body.tasks as Array<Record<string, any>>).find((t) => t.step === step && t.status === "open"),
    5000,
    `the ${step} task`,
  );
  const res = await api(`/api/v1/tasks/${task.taskId}/complete`, { token, body });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

describe("staff console in a browser", () => {
  it("inbox → case page → register → search; a walk-in entered by form; no sideways scrolling at 375 px", async () => {
    // Prepare: an application through the public API, and the office's token to wait for its task
    const submitted = await api("/api/v1/applications", { body: validApplication({ name: "欧阳明华", description: "2025年度窗口服务满意度调查结果（控制台测试）" }) });
    expect(submitted.status).toBe(201);
    const trackingNumber = submitted.body.trackingNumber as string;
    const token = (await api("/api/v1/auth/login", { body: { agencyCode: serviceCenter, username: "office", password: DEMO_PASSWORD } })).body.token as string;
    const task = await eventually(
      async () => ((await api("/api/v1/tasks?status=open", { token })).body as unknown as Array<Record<string, any>>).find((t) => t.trackingNumber === trackingNumber && t.step === "register"),
      10_000,
      "the register task",
    );

    const desk = await browser.newContext({ javaScriptEnabled: false, locale: "zh-CN", viewport: { width: 1280, height: 900 } });
    try {
      // the inbox lists it with the masked applicant; its link opens the case page
      const page = await signIn(desk);
      const row = page.locator(`tr[data-task-id="${task.taskId}"]`);
      await eventually(async () => ((await row.count()) > 0 ? true : (await page.reload(), undefined)), 5000, "the task in the inbox");
      expect(await row.textContent()).toContain("欧**华");
      expect(await row.textContent()).toContain("受理登记");
      await shot(page, "inbox-desktop");
      await row.locator("a").first().click();
      expect(page.url()).toContain(`/console/cases/${task.caseId}`);
      expect(await page.textContent("#case-status")).toBe("已收到，待受理登记");

      // the register form: the receipt date pre-filled with today (Beijing) and said so
      const form = page.locator(`form[action="/console/tasks/${task.taskId}/complete"]`);
      expect(await form.count()).toBe(1);
      const receivedOn = await form.locator('input[name="receivedOn"]').inputValue();
      expect(receivedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(await form.textContent()).toContain(`已预填今天（北京时间 ${receivedOn}）`);
      await shot(page, "case-register");
      await form.locator('button[type="submit"]').click();

      // post/redirect/get: back on the case page, registered, with a notice
      expect(page.url()).toMatch(/\/console\/cases\/[^?]+\?done=1&task=/);
      expect(await page.textContent('[role="status"]')).toContain("已办理“受理登记”：确认收到并登记。");
      expect(await page.textContent("#case-status")).toBe("已受理登记，待审查");
      const body = (await page.textContent("main")) ?? "";
      expect(body).toContain(`受理登记，收到申请日期 ${receivedOn}`);
      expect(body).toContain("（办公室 王敏，办公室）");
      expect(body).toContain("法定答复期限");
      expect(body).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
      await shot(page, "case-registered");

      // the receipt letter downloads through the console (session cookie)
      const docx = page.locator('a[href*="/letters/"][href$="format=docx"]').first();
      await eventually(async () => ((await docx.count()) > 0 ? true : (await page.reload(), undefined)), 5000, "the receipt letter");
      const href = (await docx.getAttribute("href"))!;
      const session = (await desk.cookies()).find((c) => c.name === "gk_session")!;
      const letter = await fetch(`${stack.baseUrl}${href}`, { headers: { cookie: `gk_session=${session.value}` } });
      expect(letter.status).toBe(200);
      expect(letter.headers.get("content-type")).toContain("officedocument.wordprocessingml");
      expect(Buffer.from(await letter.arrayBuffer()).subarray(0, 2).toString()).toBe("PK");

      // search finds it by number and by words of the description
      await page.click('nav a[href="/console/cases"]');
      await page.fill('input[name="trackingNumber"]', trackingNumber);
      await page.click('form[action="/console/cases"] button[type="submit"]');
      expect(await page.locator(`a[href="/console/cases/${task.caseId}"]`).textContent()).toBe(trackingNumber);
      await page.goto(`${stack.baseUrl}/console/cases?q=${encodeURIComponent("满意度调查结果（控制台测试）")}`);
      expect(await page.locator(`tr[data-case-id="${task.caseId}"]`).textContent()).toContain("已受理登记，待审查");
      await shot(page, "search");

      // a walk-in entered by form: an error first keeps what was typed, then the case page with the access code once
      await page.click('nav a[href="/console/applications/new"]');
      await page.check('input[name="channel"][value="in_person"]');
      await page.check('input[name="applicantType"][value="natural_person"]');
      await page.fill('input[name="name"]', "李四");
      await page.selectOption('select[name="idType"]', "resident_id");
      await page.fill('input[name="idNumber"]', "110101199003074514");
      await page.fill('input[name="phone"]', "13912345678");
      await page.fill('input[name="address"]', "浙江省台州市黄岩区东城街道1号");
      await page.fill('input[name="postalCode"]', "318020");
      await page.check('input[name="deliveryForm"][value="paper"]');
      await page.check('input[name="deliveryWay"][value="pickup"]');
      await page.click('form[action="/console/applications/new"] button[type="submit"]');
      expect(await page.textContent(".error-summary")).toContain("内容描述");
      expect(await page.inputValue('input[name="name"]')).toBe("李四");
      await page.fill('textarea[name="description"]', "黄岩区政务服务中心2025年窗口建设项目合同");
      await page.click('form[action="/console/applications/new"] button[type="submit"]');
      expect(page.url()).toMatch(/\/console\/cases\/[^?]+\?entered=1$/);
      expect(await page.textContent("#access-code")).toMatch(/^[2-9A-Z]{10}$/);
      expect(await page.textContent("#case-status")).toBe("已受理登记，待审查");
      await shot(page, "entered");
      await page.reload();
      expect(await page.locator("#access-code").count()).toBe(0);
      const enteredCase = page.url().split("?")[0]!;

      // the first case taken to a partial disclosure through the API: its page has every section
      const deputy = (await api("/api/v1/auth/login", { body: { agencyCode: serviceCenter, username: "deputy", password: DEMO_PASSWORD } })).body.token as string;
      await completeStep(token, task.caseId, "review", { outcome: "complete" });
      await completeStep(token, task.caseId, "handle", { outcome: "consult_third_party", party: "台州市黄岩区某某建设工程有限公司（第三方）", matters: "是否同意公开与本机关签订的窗口改造工程合同中的报价和付款条款" });
      await completeStep(token, task.caseId, "third_party_answer", { outcome: "answered", opinion: "object", summary: "报价属于商业秘密，公开后可能对本公司在其他项目投标中造成不利影响" });
      await completeStep(token, task.caseId, "handle", {
        outcome: "propose_reply",
        replyType: "partly_disclosed",
        reasons: "合同主体部分属于可以公开的政府信息",
        withheld: "第3页至第5页供应商分项报价：涉及第三方商业秘密（《政府信息公开条例》第十五条）",
        publicInterestReason: "合同总金额涉及公共资金使用，予以公开",
      });
      await completeStep(deputy, task.caseId, "sign_off", { outcome: "signed" });
      await page.goto(`${stack.baseUrl}/console/cases/${task.caseId}`);
      expect(await page.textContent("#case-status")).toBe("已答复");
      expect(await page.textContent("main")).toContain("第3页至第5页供应商分项报价");
      await shot(page, "case-replied");

      // on a 375 px phone: the inbox's table becomes cards; no page scrolls sideways
      const phone = await browser.newContext({ storageState: await desk.storageState(), viewport: { width: 375, height: 812 }, locale: "zh-CN" });
      try {
        const small = await phone.newPage();
        for (const [name, path] of [
          ["phone-inbox", "/console/inbox"],
          ["phone-case", new URL(enteredCase).pathname],
          ["phone-case-replied", `/console/cases/${task.caseId}`],
          ["phone-search", "/console/cases"],
          ["phone-entry", "/console/applications/new"],
        ] as const) {
          await small.goto(`${stack.baseUrl}${path}`);
          const o = await horizontalOverflow(small);
          expect(o.scrollWidth, `${path} is ${o.scrollWidth}px wide, widest element ${o.widest}`).toBeLessThanOrEqual(o.clientWidth);
          await shot(small, name);
        }
        await small.goto(`${stack.baseUrl}/console/inbox`);
        expect(await computed(small, "table.cards thead", "position")).toBe("absolute");
        expect(await computed(small, "table.cards tr[data-task-id]", "display")).toBe("block");
      } finally {
        await phone.close();
      }
    } finally {
      await desk.close();
    }
  }, 60_000);
});
