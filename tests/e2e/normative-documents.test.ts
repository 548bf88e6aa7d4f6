import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { startLocalProcess, removeDataDir, type LocalProcess, eventually } from "../support/local-process";
import { localApi, type LocalApi } from "../support/local-api";
import { accessibilityProblems as axeProblems, launchChromium } from "../support/browser";
import { consultationBody, CONSULTATION_CLOCK_START } from "../cases/consultation-workflow";
import { documentBody } from "../cases/publishing-workflow";
import { interpretationCaseIdOf } from "../../shared/app/interpretations/open";

/**
 * Normative documents over HTTP and in Chromium against one local stack (SPEC §3.4, §3.5,
 * §7.3), its clock started on Wednesday 2026-09-30 09:30 Beijing time so the 7-working-day
 * period crosses National Day (10-01 … 10-07) and its make-up Saturday 10-10: the period,
 * 6 wd refused, the public form (no JavaScript) and the API, the day-after comment refused,
 * dispositions and the feedback mail in the SMTP catcher, the summary, the 第十三条 gate
 * and the generated explanation, a 第四条 exemption, the interpretation opened by the
 * document's issue, flagged, approved and published linked to its document; then every
 * queue message delivered again changes nothing.
 */
let stack: LocalProcess;
let api: LocalApi;
let browser: Browser;
const VALID_ID = "11010519491231002X";

beforeAll(async () => {
  stack = await startLocalProcess({ clockStart: CONSULTATION_CLOCK_START });
  api = localApi(stack);
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  if (stack) removeDataDir(stack.dataDir);
});

const bearer = async (u: string) => ({ authorization: `Bearer ${await api.token(u)}` });

async function step(user: string, caseId: string, name: string, input: Record<string, unknown>, expected = 200) {
  const res = await api.complete(user, caseId, name, input);
  expect(res.status, `${name}/${String(input.outcome)}: ${JSON.stringify(res.body)}`).toBe(expected);
  return res.body;
}

async function moveTo(to: string) {
  const res = await api.call("POST", "/api/v1/local/clock", { to });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  await api.idle();
}

const accessibilityProblems = (page: Page) => axeProblems(browser, page);

describe("normative documents over HTTP and in Chromium", () => {
  let consultation: string;
  let documentCase: string;

  it("publishes a draft for exactly 7 working days across National Day and its 调休 (6 refused), takes comments on the public form and the API, and gates the submission", async () => {
    const created = await api.call("POST", "/api/v1/consultations", consultationBody({ situations: ["contested_technical"] }), await bearer("section"));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    consultation = created.body.caseId as string;
    const bad = await api.call("POST", "/api/v1/consultations", { title: "缺起草说明" }, await bearer("section"));
    expect(bad.status).toBe(400);
    expect((bad.body.error.fields as Array<{ path: string }>).map((f) => f.path)).toEqual(expect.arrayContaining(["draft", "explanation.necessity"]));

    await step("office", consultation, "publish_consultation", { outcome: "publish", workingDays: 6 }, 400);
    await step("office", consultation, "publish_consultation", { outcome: "publish", workingDays: 7, units: ["区财政局"] });
    const view = await api.call("GET", `/api/v1/consultations/${consultation}`);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ caseId: consultation, opensOn: "2026-09-30", closesOn: "2026-10-15", status: "open", title: consultationBody().title, draft: consultationBody().draft, explanation: consultationBody().explanation });
    const open = await api.call("GET", "/api/v1/consultations?status=open");
    expect((open.body as Array<{ caseId: string }>).map((c) => c.caseId)).toContain(consultation);

    // the 第十三条 gate lists what is missing
    const refused = await step("section", consultation, "submit_for_review", { outcome: "submit" }, 409);
    expect(refused.error.code).toBe("CONSULTATION_INCOMPLETE");
    expect((refused.error.fields as Array<{ path: string }>).map((f) => f.path)).toEqual(expect.arrayContaining(["period", "expert"]));

    // the public form without JavaScript: post/redirect/get, the page then names the comment
    const form = new URLSearchParams({ text: "建议把差评回访时限写明为3个工作日。", name: "张三", contact: "zhangsan@example.cn" });
    const posted = await fetch(`${stack.baseUrl}/consultations/${consultation}/comments`, { method: "POST", body: form, redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(posted.status).toBe(303);
    const landing = await (await fetch(new URL(posted.headers.get("location")!, stack.baseUrl))).text();
    expect(landing).toContain("编号 C1");
    const empty = await fetch(`${stack.baseUrl}/consultations/${consultation}/comments`, { method: "POST", body: new URLSearchParams({ text: "" }), headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("请填写意见内容");

    const held = await api.call("POST", `/api/v1/consultations/${consultation}/comments`, { text: `身份证 ${VALID_ID}，手机 13812345678，建议增加夜间窗口。` });
    expect(held.status).toBe(201);
    expect(held.body).toEqual({ commentId: "C2", held: true });
    const pageText = await (await fetch(`${stack.baseUrl}/consultations/${consultation}`)).text();
    expect(pageText).not.toContain(VALID_ID);
    expect(pageText).not.toContain("13812345678");
  }, 60_000);

  it("records a 第四条 exemption with its reason; its submission is refused until the 第七条 expert consultation is recorded", async () => {
    const created = await api.call("POST", "/api/v1/consultations", consultationBody({ title: "防汛应急值守管理规定", exempt: { reason: "应急性事项" }, situations: ["major_matter"] }), await bearer("section"));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.status).toBe("exempt");
    const id = created.body.caseId as string;
    expect((await api.call("GET", `/api/v1/consultations/${id}`)).status).toBe(404);
    const refused = await step("section", id, "submit_for_review", { outcome: "submit" }, 409);
    expect(refused.error.fields).toEqual([expect.objectContaining({ path: "expert" })]);
    await step("section", id, "expert_consultation", { outcome: "recorded", matters: "应急措施", experts: ["王教授"], materials: "草案", form: "written", opinions: "同意", revisions: "无" });
    await step("section", id, "submit_for_review", { outcome: "submit" });
    const c = await api.caseView(id, "section");
    expect(c.case.status).toBe("submitted");
    expect(c.case.submitted.explanation).toContain("第四条不公开征求意见。理由：应急性事项");
  });

  it("opens the interpretation when the normative document is issued, flags the published document until the approved interpretation is published, linked both ways", async () => {
    const doc = await api.call("POST", "/api/v1/documents", documentBody({ title: "政务服务好差评管理办法", normative: true, interpretation: { title: "《政务服务好差评管理办法》解读", body: "一、背景" }, consultationCaseId: consultation }), await bearer("section"));
    expect(doc.status, JSON.stringify(doc.body)).toBe(201);
    documentCase = doc.body.caseId as string;
    await step("director", documentCase, "classify", { outcome: "cleared" });
    await step("office", documentCase, "check_attribute", { outcome: "confirmed", attribute: "proactive" });
    await step("deputy", documentCase, "sign", { outcome: "signed" });
    await step("office", documentCase, "issue", { outcome: "issued", documentNumber: "黄行服规〔2026〕1号", issuedOn: "2026-09-30" });
    const jd = interpretationCaseIdOf(documentCase);
    const task = await api.task("office", jd, "finalise_interpretation");
    expect(task.dueAt).toMatch(/^2026-09-30T15:59:59/);
    await step("office", documentCase, "publish_document", { outcome: "published" });
    const docIndex = (await api.caseView(documentCase)).case.published.indexNumber as string;

    const inbox = async () => (await api.call("GET", "/console/inbox", undefined, await bearer("director"))).body as string;
    expect(await inbox()).toContain("政策解读提醒");
    expect(await inbox()).toContain("黄行服规〔2026〕1号");

    await step("office", jd, "finalise_interpretation", { outcome: "finalised", title: "《政务服务好差评管理办法》解读", body: "一、背景\n二、主要内容" });
    await step("director", jd, "approve_interpretation", { outcome: "approve", opinion: "同意" });
    await step("techinfo", jd, "publish_interpretation", { outcome: "published" });
    const jdIndex = (await api.caseView(jd)).case.published.indexNumber as string;
    expect(await inbox()).not.toContain("政策解读提醒");

    const interpretationPage = await (await fetch(`${stack.baseUrl}/catalogue/${jdIndex}`)).text();
    expect(interpretationPage).toContain(`/catalogue/${docIndex}`);
    // the document's page reads the catalogue through a short cache: its link shows within seconds
    const documentPage = await eventually(async () => {
      const text = await (await fetch(`${stack.baseUrl}/catalogue/${docIndex}`)).text();
      return text.includes(`/catalogue/${jdIndex}`) ? text : undefined;
    }, 25_000, "the document's link to its interpretation");
    expect(documentPage).toContain(`/consultations/${consultation}`);
  }, 60_000);

  it("closes the form at the end of the last working day, refuses the day-after comment, mails feedback for the comment not adopted, publishes the summary and the explanation with its URL and counts", async () => {
    await moveTo("2026-10-15T23:30");
    const late = await api.call("POST", `/api/v1/consultations/${consultation}/comments`, { text: "支持。" });
    expect(late.status).toBe(201);
    await moveTo("2026-10-16T09:00");
    await eventually(async () => ((await api.caseView(consultation)).case.status === "disposing" ? true : undefined), 15_000, "the comment period's timer");
    const after = await api.call("POST", `/api/v1/consultations/${consultation}/comments`, { text: "还来得及吗？" });
    expect(after.status).toBe(409);
    expect(after.body.error.message).toContain("已于 2026-10-15 24时（北京时间）截止");
    expect((await api.call("GET", `/api/v1/consultations/${consultation}`)).body.status).toBe("closed");

    await step("section", consultation, "dispose_comments", { outcome: "dispose", commentId: "C1", decision: "not_adopted", reason: "回访时限由上级统一规定" });
    await step("section", consultation, "dispose_comments", { outcome: "dispose", commentId: "C2", decision: "adopted" });
    await step("section", consultation, "dispose_comments", { outcome: "dispose", commentId: "C3", decision: "adopted" });
    await step("section", consultation, "dispose_comments", { outcome: "publish_summary" });
    const feedback = await eventually(async () => (await api.mail()).find((m) => m.to.includes("zhangsan@example.cn")), 15_000, "the feedback mail");
    expect(feedback.text).toContain("回访时限由上级统一规定");

    const view = (await api.call("GET", `/api/v1/consultations/${consultation}`)).body;
    expect(view.summary).toMatchObject({ adopted: 2, partlyAdopted: 0, notAdopted: 1 });
    expect(JSON.stringify(view)).not.toContain(VALID_ID);
    const closed = await api.call("GET", "/api/v1/consultations?status=closed");
    expect((closed.body as Array<{ caseId: string }>).map((c) => c.caseId)).toContain(consultation);

    const closedPage = await (await fetch(`${stack.baseUrl}/consultations/${consultation}`)).text();
    expect(closedPage).toContain("回访时限由上级统一规定");
    expect(closedPage).not.toContain("张三");
    expect(closedPage).not.toContain("<form");
    const formAfter = await fetch(`${stack.baseUrl}/consultations/${consultation}/comments`, { method: "POST", body: new URLSearchParams({ text: "晚了" }), headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(formAfter.status).toBe(409);
    expect(await formAfter.text()).toContain("截止");

    await step("section", consultation, "submit_for_review", { outcome: "submit" }, 409);
    await step("section", consultation, "expert_consultation", { outcome: "recorded", matters: "评价指标", experts: ["李研究员"], materials: "草案", form: "meeting", opinions: "细化指标", revisions: "已细化" });
    await step("section", consultation, "submit_for_review", { outcome: "submit" });
    const explanation = (await api.caseView(consultation, "section")).case.submitted.explanation as string;
    expect(explanation).toContain(`${stack.baseUrl}/consultations/${consultation}`);
    expect(explanation).toContain("共收到意见 3 条，其中采纳 2 条、部分采纳 0 条、不予采纳 1 条");
  }, 60_000);

  it("in Chromium without JavaScript: the comment form, its error page, the consultation with its results and the list pass the accessibility check", async () => {
    browser = await launchChromium();
    const created = await api.call("POST", "/api/v1/consultations", consultationBody({ title: "窗口服务规范" }), await bearer("section"));
    const open = created.body.caseId as string;
    await step("office", open, "publish_consultation", { outcome: "publish", workingDays: 7 });
    const context = await browser.newContext({ javaScriptEnabled: false, locale: "zh-CN" });
    const page = await context.newPage();
    await page.goto(`${stack.baseUrl}/consultations/${open}`);
    expect(await page.textContent("h1")).toContain("窗口服务规范");
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.click("button[type=submit]");
    expect(await page.textContent(".error-summary")).toContain("意见内容");
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.fill("#f-text", "建议延长午间服务时间。");
    await page.click("button[type=submit]");
    expect(await page.textContent("[role=status]")).toContain("C1");
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.goto(`${stack.baseUrl}/consultations/${consultation}`);
    expect(await page.textContent("body")).toContain("意见采纳情况");
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.goto(`${stack.baseUrl}/consultations`);
    expect(await page.textContent("#c-closed")).toContain("已结束");
    expect(await accessibilityProblems(page)).toEqual([]);
    await context.close();
  }, 60_000);

  it("changes nothing and sends no mail when every message of the run is delivered again", async () => {
    await api.idle();
    const before = await api.state(/^(CASE|CATALOGUE|CLAIM)#/);
    const mailsBefore = (await api.mail()).length;
    expect(await api.replayDelivered()).toBeGreaterThan(20);
    await api.idle(60_000);
    expect(await api.state(/^(CASE|CATALOGUE|CLAIM)#/)).toEqual(before);
    expect((await api.mail()).length).toBe(mailsBefore);
  }, 60_000);
});
