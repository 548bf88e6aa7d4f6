import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalProcess, removeDataDir, type LocalProcess, eventually } from "../support/local-process";
import { localApi, type LocalApi } from "../support/local-api";
import { WorkingCalendar } from "../../shared/domain/calendar";
import { workingDaysOf } from "../../shared/domain/workflows/duty/roster";

/**
 * The duty watch over HTTP against the local stack as `npm start` runs it, the clock moved
 * with POST /api/v1/local/clock so the manifest's schedules fire as they would on AWS:
 * a duty day with its checks done and its log written; a day whose checks and log are
 * missed, told to the leader on duty by mail; the automatic check finding the portal down
 * (its home page stopped with the local-only outage switch) and opening an incident; a
 * vote of the four-member leadership group passing with two in favour and failing with
 * one; the Monday inspection with its findings. Then every message again changes nothing.
 */
let stack: LocalProcess;
let api: LocalApi;

/** The evening before the first duty day the tests walk through, so they run on any real date. */
const CLOCK_START = "2026-12-02T18:00:00+08:00";

beforeAll(async () => {
  stack = await startLocalProcess({ clockStart: CLOCK_START });
  api = localApi(stack);
}, 90_000);
afterAll(async () => {
  await stack?.stop();
  if (stack) removeDataDir(stack.dataDir);
});

const MONTH = "2026-12";
const bearer = async (u: string) => ({ authorization: `Bearer ${await api.token(u)}` });
const post = async (user: string, path: string, body: unknown) => api.call("POST", path, body, await bearer(user));
const get = async (user: string, path: string) => api.call("GET", path, undefined, await bearer(user));

async function moveTo(to: string) {
  const res = await api.call("POST", "/api/v1/local/clock", { to });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  await api.idle(30_000);
}

async function step(user: string, caseId: string, name: string, input: Record<string, unknown>, expected = 200) {
  const res = await api.complete(user, caseId, name, input);
  expect(res.status, `${name}: ${JSON.stringify(res.body)}`).toBe(expected);
  return res.body;
}

/** The duty day's case, once the 08:30 schedule opened it (its first task in the officer's list). */
async function dutyDay(date: string): Promise<string> {
  return eventually(async () => {
    const tasks = (await get("duty", "/api/v1/tasks?status=open")).body as Array<{ caseId: string; workflow: string; step: string }>;
    for (const t of tasks.filter((x) => x.workflow === "duty" && x.step === "check_website")) {
      if ((await api.caseView(t.caseId, "duty")).case.date === date) return t.caseId;
    }
    return undefined;
  }, 20_000, `the duty day ${date}`);
}

describe("duty and monitoring over HTTP", () => {
  it("draws up the month's roster (a bad one refused in Chinese) and mails it", async () => {
    const days = workingDaysOf(WorkingCalendar.official(), MONTH).map((date) => ({ date, officer: "duty", leader: "deputy" }));
    const bad = await post("office", "/api/v1/duty/rosters", { month: MONTH, days: days.slice(1) });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toEqual([expect.objectContaining({ path: "days", code: "incomplete", message: expect.stringContaining("以下工作日尚未排班：2026-12-01") })]);
    const ok = await post("office", "/api/v1/duty/rosters", { month: MONTH, days });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect((await get("duty", `/api/v1/duty/rosters?month=${MONTH}`)).body.days).toHaveLength(days.length);
    await eventually(async () => ((await api.mail()).some((m) => m.subject.includes(`${MONTH} 政务公开值班值守安排`)) ? true : undefined), 15_000, "the roster mail");
  }, 60_000);

  it("a duty day with the checks done and the log written", async () => {
    await moveTo("2026-12-03T08:35");
    const caseId = await dutyDay("2026-12-03");
    await step("duty", caseId, "check_website", { outcome: "checked", result: "normal", findings: "门户网站各栏目访问正常" });
    await step("duty", caseId, "check_new_media", { outcome: "checked", result: "normal", findings: "公众号运行正常" });
    await step("duty", caseId, "review_content", { outcome: "reviewed", result: "normal", findings: "当天无新发布信息" });
    await step("duty", caseId, "answer_questions", { outcome: "answered", result: "normal", findings: "回复咨询 1 条" });
    await step("duty", caseId, "write_log", { outcome: "logged", findings: "网站和新媒体运行正常", handling: "无", openMatters: "关注明日网站改版" });
    const view = await api.caseView(caseId, "duty");
    expect(view.case.status).toBe("logged");
    expect(view.case.log).toMatchObject({ findings: "网站和新媒体运行正常", openMatters: ["关注明日网站改版"], late: false });
    const note = await post("deputy", `/api/v1/duty/days/${caseId}/annotations`, { text: "已阅" });
    expect(note.status, JSON.stringify(note.body)).toBe(201);
    const page = await fetch(`${stack.baseUrl}/console/duty/days/${caseId}`, { headers: await bearer("deputy") });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("值守记录存档备查，不能修改，只能批注");
  }, 90_000);

  it("a day whose checks and log are missed: the leader on duty is told by mail", async () => {
    await moveTo("2026-12-04T08:35");
    const caseId = await dutyDay("2026-12-04");
    expect((await api.caseView(caseId, "duty")).case.carried).toEqual(["关注明日网站改版"]);
    await moveTo("2026-12-04T10:05");
    await moveTo("2026-12-04T17:35");
    const told = await eventually(async () => {
      const m = (await api.mail()).filter((x) => x.subject.includes("督办") && x.subject.includes("ZB-2026-12-04"));
      return m.some((x) => x.subject.includes("填写值守记录")) ? m : undefined;
    }, 20_000, "the escalations of 4 December");
    for (const m of told) {
      expect(m.to.map((t) => t.split(".")[0]).sort()).toEqual(["deputy", "duty"]);
      expect(m.text).toContain("提请分管领导 陈华督办");
    }
    expect(told.map((m) => m.subject).some((s) => s.includes("检查政府网站"))).toBe(true);
    const summary = await get("deputy", `/api/v1/duty/summary?month=${MONTH}`);
    expect(summary.status).toBe(200);
    expect(summary.body.rows.find((r: { date: string }) => r.date === "2026-12-04")).toMatchObject({ logged: false, missedChecks: 4 });
  }, 90_000);

  it("the automatic check finds the portal down and opens an incident for the duty officer, telling the website admin", async () => {
    const down = await api.call("POST", "/local/outage", { path: "/", down: true });
    expect(down.status).toBe(200);
    expect((await fetch(`${stack.baseUrl}/`)).status).toBe(503);
    try {
      await moveTo("2026-12-07T09:05");
    } finally {
      await api.call("POST", "/local/outage", { path: "/", down: false });
    }
    const mail = await eventually(async () => (await api.mail()).find((m) => m.subject.includes("门户网站无法正常访问")), 20_000, "the outage mail");
    expect(mail.to.map((t) => t.split(".")[0])).toContain("webadmin");
    expect(mail.text).toContain("返回 HTTP 503");
    const task = await eventually(async () => ((await get("duty", "/api/v1/tasks?status=open")).body as Array<{ workflow: string; caseId: string }>).find((t) => t.workflow === "incident"), 15_000, "the incident task");
    const incident = await api.caseView(task.caseId, "duty");
    const casePage = await fetch(`${stack.baseUrl}/console/cases/${task.caseId}`, { headers: await bearer("duty") });
    expect(casePage.status).toBe(200);
    expect(await casePage.text()).toContain("返回 HTTP 503");
    expect(incident.case).toMatchObject({ source: "site_check", emergency: true, status: "open" });
    // an outage is closed only after the report to the superior department
    await step("duty", task.caseId, "handle_incident", { outcome: "resolved", handling: "已恢复" }, 409);
    await step("duty", task.caseId, "handle_incident", { outcome: "reported_upward", department: "区政府办公室", summary: "门户网站首页无法访问，正在排查" });
    await step("duty", task.caseId, "handle_incident", { outcome: "resolved", handling: "重启服务后恢复" });
  }, 90_000);

  it("a vote of the four-member group passes with two in favour and fails with one", async () => {
    const v = await post("duty", "/api/v1/votes", { subject: "临时关闭留言栏目", detail: "留言区出现大量垃圾信息" });
    expect(v.status, JSON.stringify(v.body)).toBe(201);
    expect(v.body.members).toEqual(["group", "group2", "group3", "group4"]);
    const ballot = (u: string, id: string, choice: string) => post(u, `/api/v1/votes/${id}/ballots`, { choice });
    expect((await ballot("group", v.body.voteId, "for")).status).toBe(201);
    expect((await ballot("group", v.body.voteId, "against")).status).toBe(409);
    expect((await ballot("duty", v.body.voteId, "for")).status).toBe(403);
    await ballot("group2", v.body.voteId, "for");
    await ballot("group3", v.body.voteId, "against");
    expect((await get("duty", `/api/v1/votes/${v.body.voteId}`)).body.status).toBe("open");
    await ballot("group4", v.body.voteId, "against");
    expect((await get("duty", `/api/v1/votes/${v.body.voteId}`)).body).toMatchObject({ status: "passed", for: 2, against: 2, members: ["group", "group2", "group3", "group4"] });

    const w = await post("group", "/api/v1/votes", { subject: "更换网站服务商", detail: "拟更换网站运维服务商" });
    await ballot("group", w.body.voteId, "for");
    for (const u of ["group2", "group3", "group4"]) await ballot(u, w.body.voteId, "against");
    expect((await get("duty", `/api/v1/votes/${w.body.voteId}`)).body).toMatchObject({ status: "failed", for: 1, against: 3 });
    const pages = await Promise.all([`/console/duty/votes/${w.body.voteId}`, "/console/duty"].map(async (p) => fetch(`${stack.baseUrl}${p}`, { headers: await bearer("duty") })));
    expect(pages.map((p) => p.status)).toEqual([200, 200]);
    expect(await pages[0]!.text()).toContain("未通过");
  }, 60_000);

  it("the Monday inspection lists its findings and records their handling", async () => {
    await moveTo("2026-12-07T10:05");
    const task = await eventually(async () => ((await get("security", "/api/v1/tasks?status=open")).body as Array<{ workflow: string; caseId: string }>).find((t) => t.workflow === "inspection"), 20_000, "the inspection task");
    const view = await api.caseView(task.caseId, "security");
    const items = view.case.items as Array<{ key: string; status: string; details: string[] }>;
    expect(items.find((i) => i.key === "second_factor")).toMatchObject({ status: "finding" });
    expect(items.find((i) => i.key === "certificates")).toMatchObject({ status: "not_applicable" });
    expect(items.find((i) => i.key === "backup")!.details[0]).toContain("DynamoDB Local");
    // the local stack's dead-letter queues are read through the grant, and empty
    expect(items.find((i) => i.key === "dead_letters")).toMatchObject({ status: "ok" });
    const refused = await step("security", task.caseId, "inspect", { outcome: "recorded", findings: "管理员未启用双因素认证" }, 400);
    expect(JSON.stringify(refused)).toContain("请填写处理情况");
    await step("security", task.caseId, "inspect", { outcome: "recorded", findings: "管理员未启用双因素认证", handling: "已通知本周内启用" });
    expect((await api.caseView(task.caseId, "security")).case.status).toBe("recorded");
    const casePage = await fetch(`${stack.baseUrl}/console/cases/${task.caseId}`, { headers: await bearer("security") });
    expect(await casePage.text()).toContain("未启用双因素认证的账号");
  }, 90_000);

  it("every message of the run delivered again changes nothing and sends no mail", async () => {
    // the state to compare with is the settled one: the last test's mails and timers may still be on their way
    await api.idle();
    const before = await api.state(/^(CASE|CLAIM)#/);
    const mailsBefore = (await api.mail()).length;
    expect(await api.replayDelivered()).toBeGreaterThan(20);
    await api.idle(60_000);
    expect(await api.state(/^(CASE|CLAIM)#/)).toEqual(before);
    expect((await api.mail()).length).toBe(mailsBefore);
  }, 120_000);
});
