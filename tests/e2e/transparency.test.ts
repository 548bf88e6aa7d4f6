import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { startLocalProcess, removeDataDir, type LocalProcess, eventually } from "../support/local-process";
import { localApi, type LocalApi } from "../support/local-api";
import { accessibilityProblems, launchChromium } from "../support/browser";
import { validApplication, serviceCenter } from "../support/app";

/**
 * The transparency pages against one local stack, its clock started on Monday 2026-03-02
 * 09:30 Beijing time: a scripted month of applications over the public API and the staff
 * API (the clock moved, never slept), the counters kept by their own queue's consumer, the
 * figures compared with the counts worked out here and with the annual report, then the
 * pages in Chromium without JavaScript, with their charts, checked by axe.
 */
let stack: LocalProcess;
let api: LocalApi;
let browser: Browser | undefined;
const START = "2026-03-02T01:30:00.000Z";

beforeAll(async () => {
  stack = await startLocalProcess({ clockStart: START });
  api = localApi(stack);
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  if (stack) removeDataDir(stack.dataDir);
});

const bearer = async (u: string) => ({ authorization: `Bearer ${await api.token(u)}` });

async function step(user: string, caseId: string, name: string, input: Record<string, unknown>) {
  const res = await api.complete(user, caseId, name, input);
  expect(res.status, `${name}: ${JSON.stringify(res.body)}`).toBe(200);
}

async function submit(n: number): Promise<string> {
  const res = await api.call("POST", "/api/v1/applications", validApplication({ name: `申请人${n}`, description: `2025年度统计资料第${n}项` }));
  expect(res.status).toBe(201);
  return eventually(async () => {
    const found = await api.call("GET", `/api/v1/cases?trackingNumber=${res.body.trackingNumber}`, undefined, await bearer("office"));
    return found.body.results?.[0]?.caseId as string | undefined;
  }, 10_000, "case of the application");
}

async function answer(caseId: string, proposal: Record<string, unknown>) {
  await step("office", caseId, "handle", { outcome: "propose_reply", ...proposal });
  await step("deputy", caseId, "sign_off", { outcome: "signed" });
}

describe("transparency pages over HTTP and in Chromium", () => {
  it("after a scripted month shows the counts worked out here, the same as the annual report", async () => {
    // Prepare: four applications on 2 March; two answered that day, one after 3 working days, one left open
    const ids = [await submit(1), await submit(2), await submit(3), await submit(4)];
    for (const id of ids.slice(0, 3)) {
      await step("office", id, "register", { outcome: "registered" });
      await step("office", id, "review", { outcome: "complete" });
    }
    await answer(ids[0]!, { replyType: "disclosed", reasons: "属于可以公开的政府信息" });
    await answer(ids[1]!, { replyType: "disclosed", reasons: "属于可以公开的政府信息" });
    await api.advanceWorkingDays(3);
    await answer(ids[2]!, { replyType: "not_processed", ground: "repeated", reasons: "重复申请" });
    await api.idle();

    // Act
    const figures = await eventually(async () => {
      const res = await api.call("GET", `/transparency/${serviceCenter}.json`);
      return res.body?.figures?.thisYear?.answered === 3 ? res.body : undefined;
    }, 15_000, "the counters to take the replies");
    const report = await api.call("GET", `/api/v1/reports/annual?agency=${serviceCenter}&year=2026&format=json`, undefined, await bearer("office"));

    // Assess: worked out here
    const y = figures.figures.thisYear;
    expect(y).toMatchObject({ year: 2026, received: 4, answered: 3, onTime: 3, onTimeExtended: 0, medianWorkingDays: 0, p90WorkingDays: 3 });
    expect(figures.figures).toMatchObject({ openNow: 1, overdueNow: 0 });
    // a month is a breakdown: 4 is shown as fewer than 5
    expect(figures.figures.months[2]).toEqual({ month: "2026-03", received: "<5", published: 0 });
    // 2 disclosed and 1 repeated: both fewer than 5, shown as such
    expect(y.results.find((r: { cell: string }) => r.cell === "1").count).toBe("<5");
    expect(y.results.find((r: { cell: string }) => r.cell === "5.2").count).toBe("<5");
    expect(y.results.find((r: { cell: string }) => r.cell === "3.1").count).toBe(0);
    // Assess: the annual report of 2026 says the same
    expect(report.status).toBe(200);
    const row = (key: string) => (report.body.applications.rows as Array<{ key: string; values: number[] }>).find((r) => r.key === key)!.values[6];
    expect(row("new")).toBe(y.received);
    expect(row("total")).toBe(y.answered);
    expect(row("1")).toBe(2);
    expect(row("5.2")).toBe(1);
    // nothing personal
    const text = JSON.stringify(figures);
    expect(text).not.toMatch(/申请人\d|统计资料|张三/);
    for (const id of ids) expect(text).not.toContain(id);

    // the deployment's page adds up the agencies; CSV and a bad format and an unknown agency
    const all = await api.call("GET", "/transparency?format=json");
    expect(all.body.figures.thisYear).toMatchObject({ received: 4, answered: 3 });
    const csv = await fetch(`${stack.baseUrl}/transparency/${serviceCenter}.csv`);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(await csv.text()).toContain("收到申请,2026,4");
    const bad = await api.call("GET", `/transparency/${serviceCenter}?format=xml`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("VALIDATION_FAILED");
    const unknown = await fetch(`${stack.baseUrl}/transparency/999999999999999`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain("未找到该机关");
    const unknownJson = await api.call("GET", "/transparency/999999999999999.json");
    expect(unknownJson.status).toBe(404);
    expect(unknownJson.body.error.code).toBe("NOT_FOUND");
  }, 240_000);

  it("renders both pages in Chromium without JavaScript, charts beside their tables, with no serious or critical axe violations", async () => {
    browser = await launchChromium();
    const context = await browser.newContext({ javaScriptEnabled: false, locale: "zh-CN" });
    const page = await context.newPage();
    for (const path of [`/transparency/${serviceCenter}`, "/transparency"]) {
      // Act
      const res = await page.goto(`${stack.baseUrl}${path}`);

      // Assess
      expect(res?.status(), path).toBe(200);
      expect(await page.locator("svg[role=img]").count(), path).toBe(2);
      expect(await page.locator("svg[role=img] title").first().textContent()).toBe("各月收到申请与主动公开数量");
      expect(await page.locator("table caption").allTextContents()).toEqual(expect.arrayContaining(["依申请公开办理情况", "各月数量（2026年）"]));
      expect(await page.locator("nav a[aria-current=page]").textContent()).toBe("公开透明度");
      expect(await accessibilityProblems(browser, page), path).toEqual([]);
    }
    // the portal's front page links to it
    await page.goto(`${stack.baseUrl}/`);
    expect(await page.locator('main a[href="/transparency"]').count()).toBe(1);
    await context.close();
  }, 120_000);
});
