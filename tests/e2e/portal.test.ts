import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { eventually, removeDataDir, startLocalProcess, type LocalProcess } from "../support/local-process";
import { launchChromium } from "../support/browser";
import { serviceCenter, validApplication } from "../support/app";

/**
 * The citizen's portal in a real browser, without JavaScript, against the whole local
 * stack: apply with an attachment, reload the confirmation (still one case), track the
 * application, and get a new access code by email. Screenshots of each page go to
 * $PORTAL_SCREENSHOTS (default: a folder in the temp directory).
 */
let stack: LocalProcess;
const shots = process.env.PORTAL_SCREENSHOTS ?? join(tmpdir(), "gongkai-portal-screenshots");

beforeAll(async () => {
  stack = await startLocalProcess();
  mkdirSync(shots, { recursive: true });
}, 90_000);
afterAll(async () => {
  await stack?.stop();
  if (stack) removeDataDir(stack.dataDir);
});

const PDF = Buffer.from("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");

async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

async function caughtMail(): Promise<Array<{ subject: string; to: string[]; text: string }>> {
  return (await (await fetch(`${stack.baseUrl}/local/mail/messages`)).json()) as Array<{ subject: string; to: string[]; text: string }>;
}

describe("portal in a browser (no JavaScript)", () => {
  it("apply with an attachment → reload the confirmation (one case) → track → new access code by email", async () => {
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ javaScriptEnabled: false, locale: "zh-CN", viewport: { width: 1000, height: 900 } });
      const page = await context.newPage();

      // --- apply: first without the two boxes, then complete
      await page.goto(`${stack.baseUrl}/apply`);
      await page.selectOption('select[name="agencyCode"]', serviceCenter);
      await page.check('input[name="applicantType"][value="natural_person"]');
      await page.fill('input[name="name"]', "王小明");
      await page.selectOption('select[name="idType"]', "resident_id");
      await page.fill('input[name="idNumber"]', "110101199003074514");
      await page.fill('input[name="phone"]', "13912345678");
      await page.fill('input[name="email"]', "wangxm@example.com");
      await page.fill('input[name="address"]', "浙江省台州市黄岩区东城街道1号");
      await page.fill('input[name="postalCode"]', "318020");
      await page.fill('textarea[name="description"]', "2025年黄岩区行政服务中心政务公开工作年度报告所依据的统计数据");
      await page.check('input[name="deliveryForm"][value="email"]');
      await page.check('input[name="deliveryWay"][value="email"]');
      await page.click('button[type="submit"]');
      expect(await page.textContent(".error-summary")).toContain("申请人承诺");
      await shot(page, "1-apply-errors");
      expect(await page.inputValue('input[name="name"]')).toBe("王小明");

      await page.setInputFiles('input[name="attachment1"]', { name: "身份证复印件.pdf", mimeType: "application/pdf", buffer: PDF });
      await page.check('input[name="declaration"]');
      await page.check('input[name="consent"]');
      await page.click('button[type="submit"]');
      expect(new URL(page.url()).pathname).toBe("/apply/done");
      const trackingNumber = (await page.textContent("#tracking-number"))?.trim() ?? "";
      const accessCode = (await page.textContent("#access-code"))?.trim() ?? "";
      expect(trackingNumber).toMatch(/^001008010002002-\d{4}-\d{5}$/);
      expect(accessCode).toMatch(/^[2-9A-Z]{10}$/);
      await shot(page, "2-apply-done");

      // --- reload the confirmation: the same page, nothing sent again
      const reloaded = await page.reload();
      expect(reloaded?.request().method()).toBe("GET");
      expect((await page.textContent("#tracking-number"))?.trim()).toBe(trackingNumber);
      expect((await page.textContent("#access-code"))?.trim()).toBe(accessCode);
      // still one case: the case has one submission, and the next application takes the very next number
      const api = await fetch(`${stack.baseUrl}/api/v1/applications/${trackingNumber}`, { headers: { "x-access-code": accessCode } });
      const view = (await api.json()) as { events: Array<{ type: string }> };
      expect(view.events.filter((e) => e.type === "application.submitted")).toHaveLength(1);
      const next = await fetch(`${stack.baseUrl}/api/v1/applications`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(validApplication()) });
      const sequence = (n: string) => Number(n.split("-").pop());
      expect(sequence(((await next.json()) as { trackingNumber: string }).trackingNumber)).toBe(sequence(trackingNumber) + 1);

      // --- track: the code goes in a cookie, never in the URL
      await page.goto(`${stack.baseUrl}/track`);
      await page.fill('#f-trackingNumber', trackingNumber);
      await page.fill('#f-accessCode', "WRONGCODE2");
      await page.click('form[action="/track"] button[type="submit"]');
      expect(await page.textContent("body")).toContain("申请编号或查询码不正确");
      await page.fill('#f-accessCode', accessCode);
      await page.click('form[action="/track"] button[type="submit"]');
      expect(new URL(page.url()).pathname).toBe("/track/status");
      expect(page.url()).not.toContain(accessCode);
      expect((await page.textContent("#tracking-number"))?.trim()).toBe(trackingNumber);
      expect((await page.textContent("#status"))?.trim()).toBe("已提交，等待办公室确认收到");
      expect(await page.textContent("#events")).toContain("申请人通过网上申请平台提交政府信息公开申请");
      await page.reload();
      expect((await page.textContent("#tracking-number"))?.trim()).toBe(trackingNumber);
      await shot(page, "3-track-status");
      const cookies = await context.cookies();
      expect(cookies.find((c) => c.name === "gk_track")).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/track" });

      // --- lost code: the same confirmation, a new code by email, the old one stops working
      await page.goto(`${stack.baseUrl}/track`);
      await page.fill("#n-trackingNumber", trackingNumber);
      await page.click('form[action="/track/access-code"] button[type="submit"]');
      expect(new URL(page.url()).search).toBe("?sent=1");
      expect(await page.textContent("#new-code-sent")).toContain("如该申请留有电子邮箱，新的查询码已发送");
      await shot(page, "4-new-code-sent");
      const mail = await eventually(
        async () => (await caughtMail()).find((m) => m.subject.includes("新查询码") && m.subject.includes(trackingNumber)),
        10_000,
        "the new-code email",
      );
      expect(mail.to).toContain("wangxm@example.com");
      const newCode = /新查询码为：([2-9A-Z]{10})/.exec(mail.text)?.[1] ?? "";
      expect(newCode).not.toBe(accessCode);
      await page.fill("#f-trackingNumber", trackingNumber);
      await page.fill("#f-accessCode", newCode);
      await page.click('form[action="/track"] button[type="submit"]');
      expect((await page.textContent("#tracking-number"))?.trim()).toBe(trackingNumber);
      const old = await fetch(`${stack.baseUrl}/api/v1/applications/${trackingNumber}`, { headers: { "x-access-code": accessCode } });
      expect(old.status).toBe(404);
    } finally {
      await browser.close();
    }
  }, 40_000);
});
