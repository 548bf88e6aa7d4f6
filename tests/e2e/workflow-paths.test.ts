import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalProcess, removeDataDir, type LocalProcess, eventually } from "../support/local-process";
import { localApi, type LocalApi } from "../support/local-api";
import { validApplication } from "../support/app";
import { replyGrounds } from "../../shared/domain/report/cells";

/**
 * Every path of the application workflow to its letter and its annual-report cell,
 * over HTTP against the local stack as `npm start` runs it, with the clock moved
 * through the local clock endpoint. Then: no schedule left for anything closed, and
 * every queue message of the run delivered a second time changes nothing.
 */
let stack: LocalProcess;
let api: LocalApi;
const closed: string[] = [];

beforeAll(async () => {
  stack = await startLocalProcess();
  api = localApi(stack);
}, 90_000);
afterAll(async () => {
  await stack?.stop();
  if (stack) removeDataDir(stack.dataDir);
});

const bearer = async (u: string) => ({ authorization: `Bearer ${await api.token(u)}` });

async function submit(overrides: Record<string, unknown> = {}) {
  const res = await api.call("POST", "/api/v1/applications", validApplication(overrides));
  expect(res.status).toBe(201);
  const caseId = (await api.task("office", await caseIdOf(res.body.trackingNumber), "register")).caseId as string;
  return { ...res.body, caseId } as { trackingNumber: string; accessCode: string; caseId: string };
}

async function caseIdOf(trackingNumber: string): Promise<string> {
  return eventually(async () => {
    const res = await api.call("GET", `/api/v1/cases?trackingNumber=${trackingNumber}`, undefined, await bearer("office"));
    return res.body.results?.[0]?.caseId as string | undefined;
  }, 10_000, `case of ${trackingNumber}`);
}

async function step(user: string, caseId: string, name: string, input: Record<string, unknown>, expected = 200) {
  const res = await api.complete(user, caseId, name, input);
  expect(res.status, `${name}/${String(input.outcome)}: ${JSON.stringify(res.body)}`).toBe(expected);
  return res.body;
}

async function toHandling(overrides: Record<string, unknown> = {}) {
  const s = await submit(overrides);
  await step("office", s.caseId, "register", { outcome: "registered" });
  await step("office", s.caseId, "review", { outcome: "complete" });
  return s;
}

async function signedReply(caseId: string, reply: Record<string, unknown>) {
  await step("office", caseId, "handle", { outcome: "propose_reply", reasons: "依法答复", ...reply });
  expect((await step("deputy", caseId, "sign_off", { outcome: "signed" })).status).toBe("replied");
}

async function expectClosed(caseId: string, cell: string, letter: string) {
  const view = await api.caseView(caseId);
  expect(view.case.result?.cell, `${caseId} cell`).toBe(cell);
  expect(view.letters.map((l: { kind: string }) => l.kind)).toContain(letter);
  expect(view.tasks.filter((t: { status: string }) => t.status === "open")).toEqual([]);
  closed.push(caseId);
  return view;
}

describe("application workflow paths over HTTP", () => {
  it("disclosed: the reply letter reaches the applicant by email and download, counted in （一）", async () => {
    const s = await toHandling();
    await signedReply(s.caseId, { replyType: "disclosed" });
    const view = await expectClosed(s.caseId, "1", "reply_disclosed");
    const letter = view.letters.find((l: { kind: string }) => l.kind === "reply_disclosed");
    const docx = await fetch(`${stack.baseUrl}/api/v1/applications/${s.trackingNumber}/letters/${letter.letterId}?format=docx`, { headers: { "x-access-code": s.accessCode } });
    expect(docx.status).toBe(200);
    expect(docx.headers.get("content-type")).toContain("wordprocessingml");
    expect(Buffer.from(await docx.arrayBuffer()).subarray(0, 2).toString()).toBe("PK");
    const page = await fetch(`${stack.baseUrl}/api/v1/cases/${s.caseId}/letters/${letter.letterId}?format=html`, { headers: await bearer("office") });
    expect(await page.text()).toContain("行政复议");
    // another applicant's code does not open it
    expect((await fetch(`${stack.baseUrl}/api/v1/applications/${s.trackingNumber}/letters/${letter.letterId}`, { headers: { "x-access-code": "AAAAAAAAAA" } })).status).toBe(404);
    const mail = await eventually(async () => (await api.mail()).find((m) => m.subject.includes(s.trackingNumber) && m.subject.includes("已答复")), 10_000, "reply email");
    expect(mail.attachments?.[0]?.filename).toMatch(/\.docx$/);
  });

  it("partly disclosed records what was withheld and why, counted in （二）", async () => {
    const s = await toHandling();
    await signedReply(s.caseId, { replyType: "partly_disclosed", withheld: "第3页申请人以外自然人的身份证号码" });
    const view = await expectClosed(s.caseId, "2", "reply_partly_disclosed");
    expect(view.case.proposal).toMatchObject({ replyType: "partly_disclosed", withheld: expect.stringContaining("身份证号码") });
    expect(JSON.stringify(view.timeline)).toContain("部分公开");
  });

  it("not disclosed, each of the eight grounds, counted in （三）1 … 8", async () => {
    // independent cases, run side by side as an office would work them
    await Promise.all(
      replyGrounds.not_disclosed.map(async (ground, i) => {
        const s = await toHandling();
        await signedReply(s.caseId, { replyType: "not_disclosed", ground });
        await expectClosed(s.caseId, `3.${i + 1}`, "reply_not_disclosed");
      }),
    );
  });

  it("does not exist, needs creation, another agency's, already published", async () => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ replyType: "cannot_provide", ground: "not_held" }, "4.1", "reply_cannot_provide"],
      [{ replyType: "cannot_provide", ground: "needs_creation" }, "4.2", "reply_cannot_provide"],
      [{ replyType: "other_agency", agencyName: "黄岩区教育局", agencyContact: "0576-12345678" }, "4.1", "reply_other_agency"],
      [{ replyType: "already_published", where: "本机关门户网站政府信息公开专栏" }, "1", "reply_already_published"],
    ];
    await Promise.all(
      cases.map(async ([reply, cell, letter]) => {
        const s = await toHandling();
        await signedReply(s.caseId, reply);
        await expectClosed(s.caseId, cell, letter);
      }),
    );
  });

  it("a complaint filed as an application is not processed as one （五）1", async () => {
    const s = await toHandling({ description: "投诉窗口工作人员服务态度差，要求处理" });
    await signedReply(s.caseId, { replyType: "not_processed", ground: "petition_complaint" });
    await expectClosed(s.caseId, "5.1", "reply_not_processed");
  });

  it("a repeat application is flagged and answered as a repeat （五）2", async () => {
    const first = await toHandling({ description: "2024年度窗口服务投诉处理情况统计表" });
    await signedReply(first.caseId, { replyType: "disclosed" });
    const again = await toHandling({ description: "2024年度窗口服务投诉处理情况统计表" });
    const view = await eventually(async () => {
      const v = await api.caseView(again.caseId);
      return v.case.flags.includes("possible_repeat") ? v : undefined;
    }, 10_000, "the repeat signal");
    expect(JSON.stringify(view.case.signals)).toContain(first.trackingNumber);
    await signedReply(again.caseId, { replyType: "not_processed", ground: "repeated" });
    await expectClosed(again.caseId, "5.2", "reply_not_processed");
  });

  it("sign-off returned goes back to handling, then signed", async () => {
    const s = await toHandling();
    await step("office", s.caseId, "handle", { outcome: "propose_reply", replyType: "disclosed", reasons: "可以公开" });
    await step("deputy", s.caseId, "sign_off", { outcome: "returned", note: "请补充获取方式" });
    const handle = await api.task("office", s.caseId, "handle");
    expect(handle.note).toContain("请补充获取方式");
    await signedReply(s.caseId, { replyType: "disclosed" });
    await expectClosed(s.caseId, "1", "reply_disclosed");
  });

  it("two staff completing the same task at once: one succeeds, the other gets 409, one transition", async () => {
    const s = await submit();
    const task = await api.task("office", s.caseId, "register");
    const [a, b] = await Promise.all(
      [0, 1].map(async () => api.call("POST", `/api/v1/tasks/${task.taskId}/complete`, { outcome: "registered" }, await bearer("office"))),
    );
    expect([a!.status, b!.status].sort()).toEqual([200, 409]);
    const view = await api.caseView(s.caseId);
    expect(view.timeline.filter((e: { type: string }) => e.type === "application.registered")).toHaveLength(1);
  });

  it("a letter entered by staff with registered-mail receipt: received the day it was signed for", async () => {
    // the local clock's today (it may have been moved): move it a minute on and read it back
    const res0 = await api.call("POST", "/api/v1/local/clock", { advanceWorkingDays: 1 });
    const today = new Date(Date.parse(res0.body.now as string) + 8 * 3_600_000).toISOString().slice(0, 10);
    await api.idle();
    const res = await api.call("POST", "/api/v1/staff/applications", { ...validApplication(), channel: "registered_mail", receivedOn: today, signedForOn: today }, await bearer("office"));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ status: "registered", receivedOn: today });
    await step("office", res.body.caseId, "review", { outcome: "complete" });
    await signedReply(res.body.caseId, { replyType: "special_law" });
    await expectClosed(res.body.caseId, "6.3", "reply_special_law");
  });

  it("correction then answer: the period restarts from the corrected receipt", async () => {
    const s = await submit();
    await step("office", s.caseId, "register", { outcome: "registered" });
    await step("office", s.caseId, "review", { outcome: "needs_correction", items: ["请明确所需信息的年份"], correctionWorkingDays: 5 });
    await step("deputy", s.caseId, "approve_correction", { outcome: "approved" });
    const tracked = await api.call("GET", `/api/v1/applications/${s.trackingNumber}`, undefined, { "x-access-code": s.accessCode });
    expect(tracked.body).toMatchObject({ status: "correction_requested", correction: { items: ["请明确所需信息的年份"], open: true } });
    await api.advanceWorkingDays(2);
    const corrected = await api.call("POST", `/api/v1/applications/${s.trackingNumber}/correction`, { description: "2025年度窗口服务满意度调查报告", note: "补充年份" }, { "x-access-code": s.accessCode });
    expect(corrected.status, JSON.stringify(corrected.body)).toBe(200);
    const view = await api.caseView(s.caseId);
    const answer = view.deadlines.find((d: { name: string }) => d.name === "answer");
    expect(answer.explanation.join("")).toContain("重新起算");
    expect(answer.workingDaysLeft).toBe(20);
    expect((await api.call("POST", `/api/v1/applications/${s.trackingNumber}/correction`, { note: "再次" }, { "x-access-code": s.accessCode })).status).toBe(409);
    await step("office", s.caseId, "review", { outcome: "complete" });
    await signedReply(s.caseId, { replyType: "disclosed" });
    await expectClosed(s.caseId, "1", "reply_disclosed");
  });

  it("correction ignored: withdrawn by the timer （六）1; a late correction gets 422", async () => {
    const s = await submit();
    await step("office", s.caseId, "register", { outcome: "registered" });
    await step("office", s.caseId, "review", { outcome: "needs_correction", items: ["请提供有效联系方式"], correctionWorkingDays: 2 });
    await step("deputy", s.caseId, "approve_correction", { outcome: "approved" });
    await api.advanceWorkingDays(3);
    const view = await eventually(async () => {
      const v = await api.caseView(s.caseId);
      return v.case.status === "withdrawn" ? v : undefined;
    }, 10_000, "withdrawal");
    expect(view.case.result.cell).toBe("6.1");
    await expectClosed(s.caseId, "6.1", "reply_withdrawn");
    expect((await api.call("POST", `/api/v1/applications/${s.trackingNumber}/correction`, { note: "迟到的补正" }, { "x-access-code": s.accessCode })).status).toBe(422);
  });

  it("third-party consultation pauses the answer clock while waiting", async () => {
    const s = await toHandling();
    const before = (await api.caseView(s.caseId)).deadlines.find((d: { name: string }) => d.name === "answer").dueOn;
    await step("office", s.caseId, "handle", { outcome: "consult_third_party", party: "某某科技有限公司", matters: "合同报价是否涉及商业秘密" });
    expect((await api.caseView(s.caseId)).deadlines.find((d: { name: string }) => d.name === "answer").paused).toBe(true);
    await api.advanceWorkingDays(3);
    await step("office", s.caseId, "third_party_answer", { outcome: "answered", opinion: "agree", summary: "同意公开" });
    const after = (await api.caseView(s.caseId)).deadlines.find((d: { name: string }) => d.name === "answer");
    expect(after.paused).toBe(false);
    expect(after.dueOn > before).toBe(true);
    await signedReply(s.caseId, { replyType: "disclosed" });
    await expectClosed(s.caseId, "1", "reply_disclosed");
  });

  it("an agency's silence is consent when its 15 working days pass", async () => {
    const s = await toHandling();
    await step("office", s.caseId, "handle", { outcome: "consult_agency", agencyName: "黄岩区自然资源局", matters: "共同制作的批复" });
    // before the limit silence is not yet consent
    await step("office", s.caseId, "agency_answer", { outcome: "no_answer" }, 409);
    await api.advanceWorkingDays(16);
    await step("office", s.caseId, "agency_answer", { outcome: "no_answer" });
    const handle = await api.task("office", s.caseId, "handle");
    expect(handle.note).toContain("视为同意");
    await signedReply(s.caseId, { replyType: "disclosed" });
    await expectClosed(s.caseId, "1", "reply_disclosed");
  });

  it("extension then answer by day 40; a second extension is refused", async () => {
    const s = await toHandling();
    await step("office", s.caseId, "handle", { outcome: "request_extension", reason: "需要调取档案", workingDays: 20 });
    await step("deputy", s.caseId, "approve_extension", { outcome: "approved" });
    expect((await api.caseView(s.caseId)).case.status).toBe("extended");
    await step("office", s.caseId, "handle", { outcome: "request_extension", reason: "再次延期", workingDays: 5 }, 409);
    await api.advanceWorkingDays(35);
    await signedReply(s.caseId, { replyType: "disclosed" });
    const view = await expectClosed(s.caseId, "1", "reply_disclosed");
    expect(view.letters.map((l: { kind: string }) => l.kind)).toContain("extension_notice");
  });

  it("processing fee: one notice paid (the clock resumes, then the reply), one unpaid (fee_unpaid by the timer, （六）2), each with its letter", async () => {
    const fee = { outcome: "propose_fee", method: "per_volume", pages: 40, howToPay: "到行政服务中心一楼收费窗口缴纳" };
    const paid = await toHandling();
    const unpaid = await toHandling();
    for (const s of [paid, unpaid]) {
      await step("office", s.caseId, "handle", fee);
      await step("deputy", s.caseId, "approve_fee", { outcome: "approved" });
    }
    const noticed = await api.caseView(paid.caseId);
    expect(noticed.case.status).toBe("fee_notified");
    expect(noticed.deadlines.find((d: { name: string }) => d.name === "answer").paused).toBe(true);
    const notice = noticed.letters.find((l: { kind: string }) => l.kind === "fee_notice");
    const html = await fetch(`${stack.baseUrl}/api/v1/applications/${paid.trackingNumber}/letters/${notice.letterId}?format=html`, { headers: { "x-access-code": paid.accessCode } });
    expect(html.status).toBe(200);
    const text = await html.text();
    expect(text).toContain("100 元");
    expect(text).toContain("20个工作日");
    await api.advanceWorkingDays(2);
    // paid at the counter the day the notice went out, entered two working days later
    const paidOn = (await api.caseView(paid.caseId)).case.fee.noticeIssuedOn as string;
    await step("office", paid.caseId, "await_payment", { outcome: "paid", amountYuan: 100, paidOn, receiptNumber: "浙财E2E-1" });
    expect((await api.caseView(paid.caseId)).deadlines.find((d: { name: string }) => d.name === "answer").paused).toBe(false);
    await signedReply(paid.caseId, { replyType: "disclosed" });
    await expectClosed(paid.caseId, "1", "reply_disclosed");
    await api.advanceWorkingDays(20);
    await eventually(async () => ((await api.caseView(unpaid.caseId)).case.status === "fee_unpaid" ? true : undefined), 10_000, "fee unpaid");
    await expectClosed(unpaid.caseId, "6.2", "reply_fee_unpaid");
  });

  it("a stalled task reminds, then escalates to the office director", async () => {
    const s = await submit();
    await api.advanceWorkingDays(2);
    const escalated = await api.task("director", s.caseId, "register");
    expect(escalated).toMatchObject({ supervising: true, escalatedTo: ["office_director"] });
    const mails = await api.mail();
    expect(mails.some((m) => m.subject.includes("【督办】") && m.subject.includes(s.trackingNumber))).toBe(true);
    await step("director", s.caseId, "register", { outcome: "registered" });
    await step("office", s.caseId, "review", { outcome: "complete" });
    await signedReply(s.caseId, { replyType: "disclosed" });
    await expectClosed(s.caseId, "1", "reply_disclosed");
  });

  it("after the suite no schedule is left for anything closed, and replaying every message changes nothing", async () => {
    await api.idle();
    const names = await api.scheduleNames();
    for (const caseId of closed) expect(names.filter((n) => n.includes(caseId)), caseId).toEqual([]);
    // every schedule still there belongs to an open task or a running deadline
    const items = await api.scan();
    const live = new Set<string>();
    for (const i of items) {
      if (String(i.sk).startsWith("TASK#") && i.status === "open") for (const n of i.scheduleNames as string[]) live.add(n);
      if (i.sk === "CASE" && !i.closedAt) {
        for (const d of Object.values(i.deadlines as Record<string, { stopped?: unknown; timerNames: string[] }>)) if (!d.stopped) for (const n of d.timerNames) live.add(n);
      }
    }
    expect(names.filter((n) => !live.has(n))).toEqual([]);

    const state = () => api.state(/^(CASE|TRACK|SIGNAL|CLAIM)#/);
    const before = await state();
    const mailsBefore = (await api.mail()).length;
    // every queue message of the run is in the outbox (timers as the schedules that sent them)
    expect(await api.replayDelivered()).toBeGreaterThan(100);
    await api.idle(60_000);
    expect(await state()).toEqual(before);
    expect((await api.mail()).length).toBe(mailsBefore);
  });
});
