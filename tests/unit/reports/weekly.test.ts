import { calendarWarningFor } from "../../../shared/app/reports/weekly";
import { describe, expect, it } from "vitest";
import { submitApplication } from "../../../shared/app/applications/intake";
import { sendWeeklyReports, weeklyReportPrefix, weeklyRiskReport, type WeeklyRiskReport } from "../../../shared/app/reports/weekly";
import { DEMO_PASSWORD } from "../../../shared/app/seed-demo";
import { shanghaiInstant } from "../../../shared/domain/calendar";
import { consolePageRoutes } from "../../../functions/http/staff-console";
import { reportPageRoutes } from "../../../shared/http/report-pages";
import { renderWeeklyReportDocument } from "../../../shared/ui/console/weekly-report";
import { memoryHarness, type Harness } from "../../support/harness";
import { serviceCenter, validApplication } from "../../support/app";
import { consoleBrowser, csrfOf, type Jar } from "../../support/console-browser";

/**
 * The weekly risk report (SPEC §5 item 2): tasks and applications overdue or due within
 * 3 working days by role, stored and mailed once per agency and week, the calendar warning
 * from 1 November while next year's holiday schedule is missing, and its console pages.
 */

const at = (date: string, time = "09:00") => shanghaiInstant(date, time).toISOString();

async function submitted(h: Harness, overrides: Record<string, unknown> = {}) {
  const s = await submitApplication(h.deps, validApplication(overrides));
  await h.settle();
  return s;
}

const report = (h: Harness) => weeklyRiskReport(h.deps, serviceCenter, h.clock.now());

describe("weeklyRiskReport", () => {
  it("lists a task due tomorrow and an overdue one under their role, with the people holding it and the working days", async () => {
    // Prepare: A's registration (1 working day) was due Tuesday 3 March; on Thursday B arrives, due Friday
    const h = await memoryHarness(at("2026-03-02", "09:30"));
    const a = await submitted(h);
    await h.advanceTo(shanghaiInstant("2026-03-05", "09:30"));
    const b = await submitted(h, { name: "李四", idNumber: "11010519491231002X" });
    // Act
    const r = await report(h);
    // Assess
    expect(r.week).toBe("2026-03-02");
    const office = r.roles.find((g) => g.role === "office_staff")!;
    expect(office.roleLabel).toBe("办公室");
    expect(office.people).toEqual(["办公室 王敏"]);
    const [overdue, soon] = office.tasks;
    expect(overdue).toMatchObject({ caseId: a.caseId, title: "受理登记", dueOn: "2026-03-03", overdue: true, workingDays: -2, provisional: false, party: "张*" });
    expect(overdue!.escalatedTo.length).toBeGreaterThan(0);
    expect(soon).toMatchObject({ caseId: b.caseId, dueOn: "2026-03-06", overdue: false, workingDays: 1, party: "李*" });
    expect(r.counts).toMatchObject({ overdueTasks: 1, dueSoonTasks: 1 });
    expect(r.calendarWarning).toBeUndefined();
    const page = renderWeeklyReportDocument(r);
    expect(page).toContain("已逾期 2 个工作日");
    expect(page).toContain("还剩 1 个工作日");
    expect(page).toContain("办公室 王敏");
    // Beijing time as people read it; an ISO instant only in a <time> element's datetime
    expect(page.replace(/<[^>]*>/g, "")).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:/);
  });

  it("lists an application whose statutory answer deadline falls within 3 working days", async () => {
    const h = await memoryHarness(at("2026-03-02", "09:30"));
    const s = await submitted(h);
    await h.complete("office", s.caseId, "register", { outcome: "registered", receivedOn: "2026-03-02" });
    expect((await report(h)).applications).toEqual([]);
    // the answer is due 30 March; on Thursday 26 March two working days are left
    h.clock.set(shanghaiInstant("2026-03-26", "09:30"));
    const r = await report(h);
    expect(r.applications).toEqual([expect.objectContaining({ caseId: s.caseId, party: "张*", dueOn: "2026-03-30", workingDays: 2, overdue: false, provisional: false })]);
    expect(r.counts.dueSoonApplications).toBe(1);
  });
});

describe("sendWeeklyReports", () => {
  it("stores one copy per agency and week and mails the office director and deputy leader once, however often it runs", async () => {
    // Prepare
    const h = await memoryHarness(at("2026-03-09"));
    await submitted(h);
    // Act
    const first = await sendWeeklyReports(h.deps);
    await h.settle();
    h.clock.set(shanghaiInstant("2026-03-11", "15:00"));
    const again = await sendWeeklyReports(h.deps);
    await h.settle();
    // Assess
    expect(first.week).toBe("2026-03-09");
    expect(first.agencies.every((a) => a.sent)).toBe(true);
    expect(again.week).toBe("2026-03-09");
    expect(again.agencies.every((a) => !a.sent)).toBe(true);
    const prefix = weeklyReportPrefix(serviceCenter);
    expect(await h.deps.files.list(prefix)).toEqual([`${prefix}2026-03-09.html`, `${prefix}2026-03-09.json`]);
    const stored = JSON.parse(new TextDecoder().decode((await h.deps.files.get(`${prefix}2026-03-09.json`))!.body)) as WeeklyRiskReport;
    expect(stored.counts.dueSoonTasks).toBe(1);
    const users = await h.deps.store.directory.users(serviceCenter);
    const emailOf = (username: string) => users.find((u) => u.username === username)!.email;
    const weekly = h.sent.filter((m) => m.subject.includes("周报") && m.to.includes(emailOf("director")));
    expect(weekly).toHaveLength(1);
    expect([...weekly[0]!.to].sort()).toEqual([emailOf("director"), emailOf("deputy")].sort());
    expect(weekly[0]!.attachments?.[0]?.filename).toBe("办理风险周报-2026-03-09.html");
    expect(new TextDecoder().decode(weekly[0]!.attachments![0]!.content)).toContain("办理风险周报");
    // the next week is a new report
    h.clock.set(shanghaiInstant("2026-03-16", "09:00"));
    const next = await sendWeeklyReports(h.deps);
    expect(next.agencies.every((a) => a.sent)).toBe(true);
    expect(await h.deps.files.list(prefix)).toHaveLength(4);
  });
});

describe("calendar warning", () => {
  /** an application whose registration task is due on a day of 2027 (no schedule yet): a provisional deadline */
  async function withProvisionalTask(h: Harness) {
    const s = await submitted(h);
    const t = (await h.openTask(s.caseId, "register"))!;
    await h.deps.store.commit([{ kind: "task", task: { ...t, dueOn: "2027-01-04", dueIsProvisional: true, version: t.version + 1 }, expectedVersion: t.version }]);
  }

  it("opens the report from 1 November while 2027 has no schedule, naming how many open deadlines are provisional", async () => {
    const h = await memoryHarness(at("2026-11-02"));
    expect((await h.deps.calendar()).hasSchedule(2027)).toBe(false);
    await withProvisionalTask(h);
    const r = await report(h);
    expect(r.calendarWarning).toEqual({ year: 2027, provisionalDeadlines: 1 });
    const page = renderWeeklyReportDocument(r);
    expect(page.indexOf("日历提醒")).toBeLessThan(page.indexOf("<h1>"));
    expect(page).toContain("2027 年节假日安排尚未录入，当前有 <strong>1</strong> 个");
  });

  it("counts the statutory deadlines that reach into the missing year", async () => {
    const h = await memoryHarness(at("2026-12-14", "09:30"));
    const s = await submitted(h);
    await h.complete("office", s.caseId, "register", { outcome: "registered", receivedOn: "2026-12-14" });
    const c = (await h.deps.store.cases.get(s.caseId))!;
    expect(c.deadlines.answer!.provisional).toBe(true);
    const expected =
      Object.values(c.deadlines).filter((d) => !d.stopped && d.provisional).length +
      (await h.deps.store.tasks.listOpen(serviceCenter)).filter((t) => !t.dueWith && t.dueIsProvisional).length;
    expect((await report(h)).calendarWarning).toEqual({ year: 2027, provisionalDeadlines: expected });
  });

  it("opens the console's front page (the inbox) too, and only from 1 November", async () => {
    const h = await memoryHarness(at("2026-11-02"));
    await withProvisionalTask(h);
    const send = consoleBrowser(consolePageRoutes(() => h.deps));
    const jar: Jar = new Map();
    const login = await send("GET", "/console/login", { jar });
    await send("POST", "/console/login", { jar, form: { csrfToken: csrfOf(login.body), agencyCode: serviceCenter, username: "office", password: DEMO_PASSWORD, next: "/console/inbox" } });
    const inbox = await send("GET", "/console/inbox", { jar });
    expect(inbox.body.indexOf("2027 年节假日安排尚未录入")).toBeGreaterThan(0);
    expect(inbox.body.indexOf("2027 年节假日安排尚未录入")).toBeLessThan(inbox.body.indexOf("<h1>待办任务"));
    const before = await memoryHarness(at("2026-10-26"));
    expect(await calendarWarningFor(before.deps, serviceCenter, before.clock.now())).toBeUndefined();
  });

  it("is not there before 1 November", async () => {
    const h = await memoryHarness(at("2026-10-26"));
    await withProvisionalTask(h);
    expect((await report(h)).calendarWarning).toBeUndefined();
    expect(renderWeeklyReportDocument(await report(h))).not.toContain("日历提醒");
  });
});

describe("console pages", () => {
  const browser = (h: Harness) => consoleBrowser([...consolePageRoutes(() => h.deps), ...reportPageRoutes(() => h.deps)]);

  async function signedIn(h: Harness, username: string) {
    const send = browser(h);
    const jar: Jar = new Map();
    const login = await send("GET", "/console/login", { jar });
    const res = await send("POST", "/console/login", { jar, form: { csrfToken: csrfOf(login.body), agencyCode: serviceCenter, username, password: DEMO_PASSWORD, next: "/console/inbox" } });
    expect(res.status).toBe(303);
    return { send, jar };
  }

  it("shows the office director the report now, the stored weeks and each stored copy; a duty officer gets a 403", async () => {
    const h = await memoryHarness(at("2026-03-09"));
    await submitted(h);
    await sendWeeklyReports(h.deps);
    const { send, jar } = await signedIn(h, "director");
    const now = await send("GET", "/console/reports/weekly", { jar });
    expect(now.status).toBe(200);
    expect(now.body).toContain("<h1>办理风险周报</h1>");
    expect(now.body).toContain("受理登记");
    expect(now.body).toContain("2026-03-09 09:00");
    const archive = await send("GET", "/console/reports/weekly/archive", { jar });
    expect(archive.status).toBe(200);
    expect(archive.body).toContain('href="/console/reports/weekly/archive/2026-03-09"');
    const copy = await send("GET", "/console/reports/weekly/archive/2026-03-09", { jar });
    expect(copy.status).toBe(200);
    expect(copy.headers["content-type"]).toContain("text/html");
    expect(copy.body).toContain("办理风险周报");
    expect((await send("GET", "/console/reports/weekly/archive/2026-03-02", { jar })).status).toBe(404);
    expect((await send("GET", "/console/reports/weekly/archive/..%2Fx", { jar })).status).toBe(404);

    const duty = await signedIn(h, "duty");
    const refused = await duty.send("GET", "/console/reports/weekly", { jar: duty.jar });
    expect(refused.status).toBe(403);
    expect(refused.body).toContain("无权访问");
    expect((await duty.send("GET", "/console/reports/weekly/archive/2026-03-09", { jar: duty.jar })).status).toBe(403);
  });

  it("sends a signed-out visitor to the sign-in page", async () => {
    const h = await memoryHarness();
    const res = await browser(h)("GET", "/console/reports/weekly");
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/console/login?next=${encodeURIComponent("/console/reports/weekly")}`);
  });
});
