import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect } from "vitest";
import { selectCases, type CaseSelection } from "../support/case-selection";
import type { Harness } from "../support/harness";
import { saveRoster } from "../../shared/app/duty/roster";
import { annotateDutyDay, dutyCaseOn, openDutyDay } from "../../shared/app/duty/days";
import { callVote, castBallot, getVote } from "../../shared/app/duty/votes";
import { reportIncident } from "../../shared/app/duty/incidents";
import { checkAgencySites } from "../../shared/app/duty/site-checks";
import { openScheduledInspections, startInspection } from "../../shared/app/duty/inspections";
import { dutySummary, sendDutySummary } from "../../shared/app/duty/summary";
import { dutySettings, saveDutySettings } from "../../shared/app/duty/settings";
import { completeTask } from "../../shared/app/engine/complete-task";
import { demoAgencies } from "../../shared/app/seed-demo";
import { shanghaiInstant } from "../../shared/domain/calendar";
import { workingDaysOf } from "../../shared/domain/workflows/duty/roster";
import type { DutyDayData } from "../../shared/domain/workflows/duty/day";
import type { IncidentData } from "../../shared/domain/workflows/duty/incident";
import type { InspectionData } from "../../shared/domain/workflows/duty/inspection";
import { AppError } from "../../shared/app/errors";

/**
 * The duty watch (roster, duty days, handover, escalation to the leader on duty), incidents,
 * leadership votes, the automatic site check, security inspections and the monthly summary,
 * as use cases see them: offline on in-memory ports and connected on the stand-ins.
 * The clock starts on Wednesday 2 December 2026, 08:00 Beijing time.
 */

const agency = demoAgencies[0]!.code;
const MONTH = "2026-12";
const TODAY = "2026-12-02";

async function refusal(p: Promise<unknown>): Promise<{ status: number; code: string; fields: Array<{ path: string; code: string }> }> {
  try {
    await p;
  } catch (error) {
    if (error instanceof AppError) return { status: error.status, code: error.code, fields: error.fields };
    throw error;
  }
  throw new Error("expected a refusal");
}

async function drawUpRoster(h: Harness) {
  const days = workingDaysOf(await h.deps.calendar(), MONTH).map((date) => ({ date, officer: "duty", leader: "deputy" }));
  const roster = await saveRoster(h.deps, await h.signIn("office"), { month: MONTH, days });
  await h.settle();
  return roster;
}

/** A page server the automatic check fetches; `state.status` decides its answer, `state.body` its content. */
async function pageServer(): Promise<{ url: string; state: { status: number; body: string }; close: () => Promise<void> }> {
  const state = { status: 200, body: "<html><body>门户网站首页</body></html>" };
  const server: Server = createServer((_req, res) => {
    res.writeHead(state.status, { "content-type": "text/html; charset=utf-8" });
    res.end(state.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return { url, state, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Replays every message consumed so far, twice; returns the case versions and mail count before and after. */
async function replayAll(h: Harness, caseIds: string[]) {
  const versions = async () => Promise.all(caseIds.map(async (id) => (await h.deps.store.cases.get(id))!.version));
  const before = { versions: await versions(), mail: h.sent.length };
  const count = h.sent.length;
  for (let round = 0; round < 2; round++) for (const m of [...h.consumed]) await h.consume(m.queue, m.body);
  await h.settle();
  if (process.env.DEBUG_REPLAY) console.log(h.sent.slice(count).map((m) => m.subject));
  return { before, after: { versions: await versions(), mail: h.sent.length } };
}

/** `selection`: a connected run takes the cases the whole-stack e2e test does not walk over HTTP. */
export function dutyWorkflowCases(name: string, make: () => Promise<Harness>, selection: CaseSelection = {}) {
  const { it, everySelectedNamed } = selectCases(selection);
  describe(`duty and monitoring (${name})`, () => {
    it("refuses a roster with a non-working day, a missing day or someone in the wrong role, storing nothing; a good one is mailed to the people on it", async () => {
      const h = await make();
      const office = await h.signIn("office");
      const days = workingDaysOf(await h.deps.calendar(), MONTH).map((date) => ({ date, officer: "duty", leader: "deputy" }));
      const bad = await refusal(saveRoster(h.deps, office, { month: MONTH, days: [{ date: "2026-12-05", officer: "duty", leader: "deputy" }, { ...days[1]!, officer: "office" }] }));
      expect(bad.status).toBe(400);
      expect(bad.fields.map((f) => `${f.path}:${f.code}`)).toEqual(["days[0].date:not_working_day", "days[1].officer:wrong_role", "days:incomplete"]);
      expect(await h.deps.files.list(`duty/rosters/${agency}/`)).toEqual([]);
      expect((await refusal(saveRoster(h.deps, await h.signIn("officer"), { month: MONTH, days }))).status).toBe(403);

      const roster = await drawUpRoster(h);
      expect(roster.days).toHaveLength(days.length);
      const mail = h.sent.filter((m) => m.subject.includes("值班表"));
      expect(mail).toHaveLength(1);
      expect(mail[0]!.to.sort()).toEqual(["deputy.002@demo.gongkai.local", "duty.002@demo.gongkai.local"]);
      expect(mail[0]!.text).toContain("2026-12-02（周三）值守：值守人员 冯雪，带班领导：分管领导 陈华");
    });

    it("a duty day with every check done and the log written: archived, annotated, never edited, its open matters handed to the next day", async () => {
      const h = await make();
      await drawUpRoster(h);
      await h.advanceTo(shanghaiInstant(TODAY, "08:30"));
      expect((await openDutyDay(h.deps, agency, TODAY)).result).toBe("opened");
      expect((await openDutyDay(h.deps, agency, TODAY)).result).toBe("already_open");
      expect((await openDutyDay(h.deps, agency, "2026-12-05")).result).toBe("not_working_day");
      await h.settle();
      const day = (await dutyCaseOn(h.deps, agency, TODAY))!;
      const tasks = await h.deps.store.tasks.ofCase(day.caseId);
      expect(tasks.map((t) => [t.step, t.dueAt]).sort()).toEqual([
        ["answer_questions", shanghaiInstant(TODAY, "17:00").toISOString()],
        ["check_new_media", shanghaiInstant(TODAY, "10:00").toISOString()],
        ["check_website", shanghaiInstant(TODAY, "10:00").toISOString()],
        ["review_content", shanghaiInstant(TODAY, "16:00").toISOString()],
        ["write_log", shanghaiInstant(TODAY, "17:30").toISOString()],
      ]);

      // the log waits for the checks
      const logTask = tasks.find((t) => t.step === "write_log")!;
      const early = await refusal(completeTask(h.deps, await h.signIn("duty"), logTask.taskId, { outcome: "logged", findings: "正常", handling: "无" }));
      expect(early).toMatchObject({ status: 409, code: "OUTCOME_UNAVAILABLE" });

      await h.complete("duty", day.caseId, "check_website", { outcome: "checked", result: "normal", findings: "网站各栏目访问正常" });
      await h.complete("duty", day.caseId, "check_new_media", { outcome: "checked", result: "abnormal", findings: "公众号一条留言含广告", handling: "已隐藏并报告公众号管理员" });
      await h.complete("duty", day.caseId, "review_content", { outcome: "reviewed", result: "normal", findings: "当天无新发布信息" });
      await h.complete("duty", day.caseId, "answer_questions", { outcome: "answered", result: "normal", findings: "回复群众咨询 2 条" });
      await h.complete("duty", day.caseId, "write_log", { outcome: "logged", findings: "网站运行正常；公众号广告留言已处理", handling: "已报告公众号管理员", openMatters: "跟进公众号留言审核设置" });
      const logged = (await h.deps.store.cases.get(day.caseId))!;
      expect(logged.status).toBe("logged");
      expect((logged.data as unknown as DutyDayData).log).toMatchObject({ openMatters: ["跟进公众号留言审核设置"], byName: "值守人员 冯雪", late: false });
      // no second log: the task is done, and there is no outcome that edits
      expect((await refusal(completeTask(h.deps, await h.signIn("duty"), logTask.taskId, { outcome: "logged", findings: "改", handling: "改" }))).status).toBe(409);
      await annotateDutyDay(h.deps, await h.signIn("deputy"), day.caseId, { text: "已阅，请网站管理员完善留言审核" });
      const annotated = (await h.deps.store.cases.get(day.caseId))!.data as unknown as DutyDayData;
      expect(annotated.log!.findings).toBe("网站运行正常；公众号广告留言已处理");
      expect(annotated.annotations.map((a) => [a.text, a.byName])).toEqual([["已阅，请网站管理员完善留言审核", "分管领导 陈华"]]);
      expect(h.sent.filter((m) => m.subject.includes("督办"))).toEqual([]);

      // handover: the next working day's officer receives the open matters
      await h.advanceTo(shanghaiInstant("2026-12-03", "08:30"));
      await openDutyDay(h.deps, agency, "2026-12-03");
      await h.settle();
      const next = (await dutyCaseOn(h.deps, agency, "2026-12-03"))!;
      expect(next.data.carried).toEqual(["跟进公众号留言审核设置"]);
      expect(next.data.carriedFrom).toMatchObject({ date: TODAY, officerName: "值守人员 冯雪" });

      // replay safety: every message again, twice: nothing changes, no more mail
      const r = await replayAll(h, [day.caseId, next.caseId]);
      expect(r.after).toEqual(r.before);
    });

    it("a missed check and a missing log escalate to the leader on duty by name, and the summary counts the day as missing its log", async () => {
      const h = await make();
      await drawUpRoster(h);
      await h.advanceTo(shanghaiInstant(TODAY, "08:30"));
      await openDutyDay(h.deps, agency, TODAY);
      await h.settle();
      const day = (await dutyCaseOn(h.deps, agency, TODAY))!;
      await h.advanceTo(shanghaiInstant(TODAY, "10:05"));
      const checks = h.sent.filter((m) => m.subject.includes("督办") && m.subject.includes("检查政府网站"));
      expect(checks).toHaveLength(1);
      // the leader on the roster (and the officer), not every member of the leadership group
      expect(checks[0]!.to.sort()).toEqual(["deputy.002@demo.gongkai.local", "duty.002@demo.gongkai.local"]);
      expect(checks[0]!.text).toContain("提请分管领导 陈华督办");
      await h.advanceTo(shanghaiInstant(TODAY, "17:35"));
      expect(h.sent.filter((m) => m.subject.includes("督办") && m.subject.includes("填写值守记录"))).toHaveLength(1);
      expect((await h.deps.store.cases.get(day.caseId))!.flags).toContain("overdue");

      await h.advanceTo(shanghaiInstant("2026-12-03", "09:00"));
      const s = await dutySummary(h.deps, agency, MONTH);
      // 1 December was on the roster too, with no duty day: both are missing their log
      expect(s.days).toMatchObject({ rostered: workingDaysOf(await h.deps.calendar(), MONTH).length, covered: 0, logsMissing: 2 });
      expect(s.checks.missed).toBe(4);
      expect(s.rows[1]).toMatchObject({ date: TODAY, logged: false, missedChecks: 4 });

      // a late log is kept, marked as written after the day
      for (const [step, outcome] of [["check_website", "checked"], ["check_new_media", "checked"], ["review_content", "reviewed"], ["answer_questions", "answered"]] as const) {
        await h.complete("duty", day.caseId, step, { outcome, result: "normal", findings: "补查正常" });
      }
      await h.complete("duty", day.caseId, "write_log", { outcome: "logged", findings: "补记", handling: "无" });
      expect(((await h.deps.store.cases.get(day.caseId))!.data as unknown as DutyDayData).log!.late).toBe(true);
      const r = await replayAll(h, [day.caseId]);
      expect(r.after).toEqual(r.before);
    });

    it("a vote of a four-member group passes with two in favour, fails with one; one ballot each, members only; the deadline decides the rest", async () => {
      const h = await make();
      const duty = await h.signIn("duty");
      const bad = await refusal(callVote(h.deps, duty, { subject: "" }));
      expect(bad.fields.map((f) => f.path)).toEqual(["subject", "detail"]);
      expect((await refusal(callVote(h.deps, await h.signIn("office"), { subject: "x", detail: "y" }))).status).toBe(403);

      const v = await callVote(h.deps, duty, { subject: "临时关闭互动栏目", detail: "留言区出现大量垃圾信息，拟临时关闭 3 天" });
      await h.settle();
      expect(v).toMatchObject({ status: "open", for: 0, against: 0, members: ["group", "group2", "group3", "group4"] });
      expect(h.sent.filter((m) => m.subject.includes("领导小组表决")).flatMap((m) => m.to).sort()).toEqual(["group.002", "group2.002", "group3.002", "group4.002"].map((u) => `${u}@demo.gongkai.local`));
      await castBallot(h.deps, await h.signIn("group"), v.voteId, { choice: "for" });
      expect((await refusal(castBallot(h.deps, await h.signIn("group"), v.voteId, { choice: "against" }))).code).toBe("ALREADY_VOTED");
      expect((await refusal(castBallot(h.deps, duty, v.voteId, { choice: "for" }))).status).toBe(403);
      expect((await refusal(castBallot(h.deps, await h.signIn("group2"), v.voteId, { choice: "maybe" }))).fields[0]!.path).toBe("choice");
      await castBallot(h.deps, await h.signIn("group2"), v.voteId, { choice: "for" });
      await castBallot(h.deps, await h.signIn("group3"), v.voteId, { choice: "against" });
      expect((await getVote(h.deps, duty, v.voteId)).status).toBe("open");
      const passed = await castBallot(h.deps, await h.signIn("group4"), v.voteId, { choice: "against" });
      expect(passed).toMatchObject({ status: "passed", for: 2, against: 2 });
      expect((await refusal(castBallot(h.deps, await h.signIn("group4"), v.voteId, { choice: "for" }))).status).toBe(409);

      const review = await callVote(h.deps, duty, { subject: "复议带班领导关闭栏目的决定", detail: "值守人员对带班领导单独作出的决定有异议", reviewOf: "带班领导决定关闭全部互动栏目" });
      await castBallot(h.deps, await h.signIn("group"), review.voteId, { choice: "for" });
      for (const u of ["group2", "group3", "group4"]) await castBallot(h.deps, await h.signIn(u), review.voteId, { choice: "against" });
      expect(await getVote(h.deps, duty, review.voteId)).toMatchObject({ status: "failed", for: 1, against: 3, reviewOf: "带班领导决定关闭全部互动栏目" });

      // two in favour and nobody else by the deadline: half of four, it passes
      const quiet = await callVote(h.deps, await h.signIn("group"), { subject: "调整值班时间", detail: "春节期间值班时间调整" });
      await h.settle();
      await castBallot(h.deps, await h.signIn("group"), quiet.voteId, { choice: "for" });
      await castBallot(h.deps, await h.signIn("group2"), quiet.voteId, { choice: "for" });
      await h.advanceWorkingDays(4);
      expect(await getVote(h.deps, duty, quiet.voteId)).toMatchObject({ status: "passed", for: 2, against: 0 });
      const r = await replayAll(h, [v.voteId, review.voteId, quiet.voteId]);
      expect(r.after).toEqual(r.before);
    });

    it("an incident is reported in writing to the website admin; an emergency is closed only after the report upward, a security incident only with its containment and records", async () => {
      const h = await make();
      const duty = await h.signIn("duty");
      const bad = await refusal(reportIncident(h.deps, duty, { title: "网站打不开", category: "outage" }));
      expect(bad.fields.map((f) => `${f.path}:${f.code}`)).toEqual(["description:required", "category:invalid_choice"]);
      const { caseId } = await reportIncident(h.deps, duty, { title: "网站被篡改", category: "security", emergency: true, description: "首页出现不明链接" });
      await h.settle();
      const told = h.sent.filter((m) => m.subject.includes("网站被篡改"));
      expect(told.find((m) => m.subject.startsWith("【紧急】"))!.to).toEqual(["webadmin.002@demo.gongkai.local"]);
      expect(told.find((m) => m.subject.startsWith("【紧急】"))!.text).toContain("故障描述：首页出现不明链接");
      const task = (await h.openTask(caseId, "handle_incident"))!;
      expect((await refusal(completeTask(h.deps, duty, task.taskId, { outcome: "resolved", handling: "已恢复" }))).status).toBe(409);
      await h.complete("duty", caseId, "handle_incident", { outcome: "reported_upward", department: "区委网信办", summary: "首页被篡改，已断开外网" });
      const missing = await refusal(h.complete("duty", caseId, "handle_incident", { outcome: "resolved", handling: "已恢复" }));
      expect(missing.fields.map((f) => f.path)).toEqual(["containment", "recordsKept"]);
      await h.complete("duty", caseId, "handle_incident", { outcome: "resolved", handling: "已从备份恢复首页", containment: "断开外网、修改后台密码", recordsKept: "访问日志、篡改页面截图" });
      const c = (await h.deps.store.cases.get(caseId))!;
      expect(c.status).toBe("resolved");
      const d = c.data as unknown as IncidentData;
      expect(d.reportsUpward.map((x) => x.department)).toEqual(["区委网信办"]);
      expect(Date.parse(d.reportsUpward[0]!.at)).toBe(h.clock.now().getTime());
      expect(d.resolution).toMatchObject({ containment: "断开外网、修改后台密码", recordsKept: "访问日志、篡改页面截图" });
    });

    it("the automatic check records the pages, opens an incident when the portal is down or changed unexpectedly, and does nothing twice in the same hour", async () => {
      const h = await make();
      const page = await pageServer();
      try {
        const a = { ...(await h.deps.store.directory.agency(agency))!, duty: { sites: [page.url] } };
        await h.deps.store.directory.putAgency(a);
        await h.advanceTo(shanghaiInstant(TODAY, "09:00"));
        const first = (await checkAgencySites(h.deps, a))!;
        expect(first.pages).toEqual([expect.objectContaining({ url: page.url, ok: true, status: 200, hash: expect.stringMatching(/^[0-9a-f]{64}$/), changed: false })]);
        expect(first.problems).toEqual([]);
        expect(await checkAgencySites(h.deps, a)).toBeUndefined();

        page.state.status = 503;
        await h.advanceTo(shanghaiInstant(TODAY, "11:00"));
        const down = (await checkAgencySites(h.deps, a))!;
        expect(down.problems).toEqual([expect.objectContaining({ url: page.url, status: 503, problem: "unavailable" })]);
        await h.settle();
        const incident = (await h.deps.store.cases.get(down.incidentId!))!;
        expect(incident.data as unknown as IncidentData).toMatchObject({ source: "site_check", emergency: true, category: "fault" });
        expect(await h.openTask(incident.caseId, "handle_incident")).toMatchObject({ role: "duty_officer" });
        expect(h.sent.filter((m) => m.to.includes("webadmin.002@demo.gongkai.local") && m.subject.includes("门户网站无法正常访问"))).toHaveLength(1);
        expect(await checkAgencySites(h.deps, a)).toBeUndefined();

        page.state.status = 200;
        page.state.body = "<html><body>被篡改的首页</body></html>";
        await h.advanceTo(shanghaiInstant(TODAY, "14:00"));
        const changed = (await checkAgencySites(h.deps, a))!;
        expect(changed.problems).toEqual([expect.objectContaining({ problem: "unexpected_change" })]);
        const open = (await h.deps.store.cases.listOpen(agency)).filter((c) => c.workflow === "incident");
        expect(open).toHaveLength(2);
        const s = await dutySummary(h.deps, agency, MONTH);
        expect(s.checks).toMatchObject({ automaticRuns: 3, automaticFailed: 2 });
        expect(s.incidents).toMatchObject({ opened: 2, open: 2, emergencies: 1 });
      } finally {
        await page.close();
      }
    });

    it("configures the pages the check fetches and the inspection interval, refusing bad values with nothing stored", async () => {
      const h = await make();
      const webadmin = await h.signIn("webadmin");
      expect(await dutySettings(h.deps, webadmin)).toEqual({ sites: [`${h.deps.config.publicBaseUrl}/`, `${h.deps.config.publicBaseUrl}/catalogue?agency=${agency}`], defaultSites: true, inspectionEveryWeeks: 1 });
      const bad = await refusal(saveDutySettings(h.deps, webadmin, { sites: ["ftp://x", "https://ok.example.gov.cn/"], inspectionEveryWeeks: 0 }));
      expect(bad.fields.map((f) => `${f.path}:${f.code}`)).toEqual(["sites.0:invalid_format", "inspectionEveryWeeks:out_of_range"]);
      expect((await h.deps.store.directory.agency(agency))!.duty).toBeUndefined();
      expect((await refusal(saveDutySettings(h.deps, await h.signIn("duty"), { inspectionEveryWeeks: 2 }))).status).toBe(403);
      expect(await saveDutySettings(h.deps, webadmin, { sites: ["https://www.example.gov.cn/"], inspectionEveryWeeks: 2 })).toEqual({ sites: ["https://www.example.gov.cn/"], defaultSites: false, inspectionEveryWeeks: 2 });
    });

    it("an inspection lists its findings, wants their handling recorded, opens once per scheduled week", async () => {
      const h = await make();
      await h.advanceTo(shanghaiInstant("2026-12-07", "10:00"));
      expect((await refusal(startInspection(h.deps, await h.signIn("duty")))).status).toBe(403);
      const { caseId, items } = await startInspection(h.deps, await h.signIn("security"));
      await h.settle();
      const byKey = Object.fromEntries(items.map((i) => [i.key, i]));
      expect(Object.keys(byKey)).toEqual(["password_age", "second_factor", "idle_admins", "certificates", "backup", "dead_letters"]);
      // the demo's administrator and website admin have no second factor
      expect(byKey.second_factor).toMatchObject({ status: "finding" });
      expect(byKey.second_factor!.details[0]).toContain("网站管理员 孙丽");
      expect(byKey.certificates).toMatchObject({ status: "not_applicable" });
      expect(byKey.certificates!.details[0]).toContain("非 https 站点");
      expect(["not_applicable", "unknown"]).toContain(byKey.backup!.status);
      expect((await refusal(startInspection(h.deps, await h.signIn("security")))).code).toBe("INSPECTION_OPEN");
      const noHandling = await refusal(h.complete("security", caseId, "inspect", { outcome: "recorded", findings: "管理员未启用双因素认证" }));
      expect(noHandling.fields.map((f) => f.path)).toEqual(["handling"]);
      await h.complete("security", caseId, "inspect", { outcome: "recorded", findings: "管理员未启用双因素认证", handling: "已通知网站管理员本周内启用" });
      const c = (await h.deps.store.cases.get(caseId))!;
      expect(c.status).toBe("recorded");
      expect((c.data as unknown as InspectionData).record).toMatchObject({ handling: "已通知网站管理员本周内启用", byName: "安全员 钱军" });

      const scheduled = await openScheduledInspections(h.deps);
      expect(scheduled.agencies.filter((x) => x.opened)).toHaveLength(2);
      expect((await openScheduledInspections(h.deps)).agencies.filter((x) => x.opened)).toHaveLength(0);
      const s = await dutySummary(h.deps, agency, MONTH);
      expect(s.inspections).toMatchObject({ held: 2, unrecorded: 1 });
    });

    it("mails the month's summary once to the leadership group, the deputy leader and the office director", async () => {
      const h = await make();
      await drawUpRoster(h);
      await h.advanceTo(shanghaiInstant("2027-01-01", "09:00"));
      expect(await sendDutySummary(h.deps, agency, MONTH)).toMatchObject({ sent: true });
      expect(await sendDutySummary(h.deps, agency, MONTH)).toMatchObject({ sent: false });
      await h.settle();
      const mail = h.sent.filter((m) => m.subject.includes("值班值守与安全巡检情况"));
      expect(mail).toHaveLength(1);
      expect(mail[0]!.to).toEqual(expect.arrayContaining(["group.002@demo.gongkai.local", "deputy.002@demo.gongkai.local", "director.002@demo.gongkai.local"]));
      expect(mail[0]!.text).toContain(`值守记录缺失 ${workingDaysOf(await h.deps.calendar(), MONTH).length} 天`);
      expect(mail[0]!.attachments?.[0]?.filename).toBe(`值班值守与安全巡检情况-${MONTH}.html`);
      const r = await replayAll(h, []);
      expect(r.after).toEqual(r.before);
    });
    everySelectedNamed();
  });
}
