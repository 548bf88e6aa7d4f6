import { describe, expect, it } from "vitest";
import { submitApplication } from "../../../shared/app/applications/intake";
import { sendMonthlyReports, previousMonth } from "../../../shared/app/reports/monthly";
import { sendAnnualReportDrafts } from "../../../shared/app/reports/annual-copy";
import { sendWeeklyReports } from "../../../shared/app/reports/weekly";
import { storedReports } from "../../../shared/app/reports/stored";
import { DEMO_PASSWORD } from "../../../shared/app/seed-demo";
import { shanghaiInstant } from "../../../shared/domain/calendar";
import { consolePageRoutes } from "../../../functions/http/staff-console";
import { reportPageRoutes } from "../../../shared/http/report-pages";
import { functions } from "../../../shared/manifest";
import { memoryHarness, type Harness } from "../../support/harness";
import { serviceCenter, validApplication } from "../../support/app";
import { consoleBrowser, csrfOf, type Jar } from "../../support/console-browser";

/**
 * The monthly and annual reports' scheduled copies (SPEC §5; every report stored, listed in
 * the console and downloadable): each run stores its period's files and mails them once per
 * agency and period, however often the schedule fires.
 */

const emailsOf = async (h: Harness, usernames: string[]) => {
  const users = await h.deps.store.directory.users(serviceCenter);
  return usernames.map((u) => users.find((x) => x.username === u)!.email).sort();
};

describe("scheduled report copies", () => {
  it("are fired by Asia/Shanghai cron schedules: the 1st of the month and 2 January, 09:00", () => {
    const trigger = (name: string) => functions.find((f) => f.name === name)?.trigger;
    expect(trigger("monthly-publishing-report")).toEqual({ kind: "schedule", expression: "cron(0 9 1 * ? *)", timezone: "Asia/Shanghai" });
    expect(trigger("annual-report-draft")).toEqual({ kind: "schedule", expression: "cron(0 9 2 1 ? *)", timezone: "Asia/Shanghai" });
    expect(previousMonth("2027-01-01")).toBe("2026-12");
    expect(previousMonth("2026-12-01")).toBe("2026-11");
  });

  it("stores last month's publishing report and mails the office director and the publishing section once", async () => {
    const h = await memoryHarness(shanghaiInstant("2026-12-01", "09:00").toISOString());
    const first = await sendMonthlyReports(h.deps);
    await h.settle();
    h.clock.set(shanghaiInstant("2026-12-01", "15:00"));
    const again = await sendMonthlyReports(h.deps);
    await h.settle();
    expect(first.month).toBe("2026-11");
    expect(first.agencies.every((a) => a.sent)).toBe(true);
    expect(again.agencies.every((a) => !a.sent)).toBe(true);
    const [director] = await emailsOf(h, ["director"]);
    const mails = h.sent.filter((m) => m.subject.startsWith("【月报】2026-11") && m.to.includes(director!));
    expect(mails).toHaveLength(1);
    expect([...mails[0]!.to].sort()).toEqual(await emailsOf(h, ["director", "techinfo"]));
    expect(new TextDecoder().decode(mails[0]!.attachments![0]!.content)).toContain("2026年11月信息发布情况");
    expect((await storedReports(h.deps, serviceCenter)).filter((r) => r.kind === "monthly")).toEqual([{ kind: "monthly", label: "月度信息发布情况", period: "2026-11", types: ["html", "json"] }]);
  });

  it("stores last year's annual report (tables, checks, text drafts) as HTML, XLSX and JSON and mails it once, naming what fails and the 31 January date", async () => {
    const h = await memoryHarness(shanghaiInstant("2026-03-02", "09:30").toISOString());
    await submitApplication(h.deps, validApplication());
    await h.settle();
    h.clock.set(shanghaiInstant("2027-01-02", "09:00"));
    const first = await sendAnnualReportDrafts(h.deps);
    await h.settle();
    expect(first.year).toBe(2026);
    expect((await sendAnnualReportDrafts(h.deps)).agencies.every((a) => !a.sent)).toBe(true);
    await h.settle();
    const [director] = await emailsOf(h, ["director"]);
    const mails = h.sent.filter((m) => m.subject.startsWith("【年报】") && m.to.includes(director!));
    expect(mails).toHaveLength(1);
    expect([...mails[0]!.to].sort()).toEqual(await emailsOf(h, ["deputy", "director"]));
    expect(mails[0]!.subject).toContain("项校验未通过");
    expect(mails[0]!.text).toContain("2027 年 1 月 31 日前");
    expect(mails[0]!.text).toContain("手工填报数据完整");
    expect(mails[0]!.attachments![0]!.filename).toMatch(/2026年政府信息公开工作年度报告\.xlsx$/);
    const copies = (await storedReports(h.deps, serviceCenter)).filter((r) => r.kind === "annual");
    expect(copies).toEqual([expect.objectContaining({ period: "2026", types: ["html", "json", "xlsx"] })]);
    const html = new TextDecoder().decode((await h.deps.files.get(`reports/annual/${serviceCenter}/2026.html`))!.body);
    expect(html).toContain("一、总体情况");
    // the application received in March and still open is carried into next year
    expect(html).toContain("新收政府信息公开申请 1 件");
  });

  it("lists every stored copy in the console's 报告存档 and serves each for download; not to a duty officer", async () => {
    const h = await memoryHarness(shanghaiInstant("2026-12-07", "09:00").toISOString());
    await sendWeeklyReports(h.deps);
    await sendMonthlyReports(h.deps);
    const send = consoleBrowser([...consolePageRoutes(() => h.deps), ...reportPageRoutes(() => h.deps)]);
    const signIn = async (username: string) => {
      const jar: Jar = new Map();
      const login = await send("GET", "/console/login", { jar });
      await send("POST", "/console/login", { jar, form: { csrfToken: csrfOf(login.body), agencyCode: serviceCenter, username, password: DEMO_PASSWORD, next: "/console/inbox" } });
      return jar;
    };
    const jar = await signIn("director");
    const archive = await send("GET", "/console/reports/archive", { jar });
    expect(archive.status).toBe(200);
    expect(archive.body).toContain("2026-12-07 起的一周");
    expect(archive.body).toContain("2026年11月");
    expect(archive.body).toContain('href="/console/reports/archive/monthly/2026-11.html"');
    const copy = await send("GET", "/console/reports/archive/monthly/2026-11.json", { jar });
    expect(copy.status).toBe(200);
    expect(JSON.parse(copy.body)).toMatchObject({ month: "2026-11" });
    expect((await send("GET", "/console/reports/archive/monthly/2026-10.html", { jar })).status).toBe(404);
    expect((await send("GET", "/console/reports/archive/annual/2026-11.html", { jar })).status).toBe(404);
    expect((await send("GET", "/console/reports/archive/secret/2026.html", { jar })).status).toBe(404);
    // the month's page, on request
    const monthly = await send("GET", "/console/reports/monthly?month=2026-11", { jar });
    expect(monthly.status).toBe(200);
    expect(monthly.body).toContain("<h1>2026年11月信息发布情况</h1>");
    expect(monthly.body).toContain('href="/api/v1/reports/monthly?month=2026-11&amp;format=html"');
    expect((await send("GET", "/console/reports/monthly", { jar })).body).toContain("2026年11月信息发布情况");
    expect((await send("GET", "/console/reports/monthly?month=2026-13", { jar })).status).toBe(400);
    const duty = await signIn("duty");
    expect((await send("GET", "/console/reports/archive", { jar: duty })).status).toBe(403);
    expect((await send("GET", "/console/reports/monthly", { jar: duty })).status).toBe(403);
  });
});
