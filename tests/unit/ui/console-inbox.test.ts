import { describe, expect, it } from "vitest";
import { memoryHarness, type Harness } from "../../support/harness";
import { validApplication } from "../../support/app";
import { submitApplication } from "../../../shared/app/applications/intake";
import { countByStep, listMyOpenTasks } from "../../../shared/app/views/tasks";
import type { StaffPrincipal } from "../../../shared/app/auth";
import { renderInbox } from "../../../shared/ui/console/inbox";
import { consoleStyles, renderConsolePage } from "../../../shared/ui/console/layout";

/** The inbox from real task views (in-memory ports; the clock starts Monday 2026-03-02 09:30 Beijing time). */

const userOf = (p: StaffPrincipal) => ({ displayName: p.displayName, roles: p.roles, agencyName: p.agencyName, csrfToken: p.csrfToken });

async function submitted(h: Harness, overrides: Record<string, unknown> = {}) {
  const s = await submitApplication(h.deps, validApplication(overrides));
  await h.settle();
  return s;
}

async function inboxOf(h: Harness, username: string, step?: string) {
  const principal = await h.signIn(username);
  const all = await listMyOpenTasks(h.deps, principal);
  const tasks = step ? all.filter((t) => t.step === step) : all;
  return { all, page: renderInbox({ user: userOf(principal), tasks, counts: countByStep(all), step }) };
}

const rows = (page: string) => [...page.matchAll(/<tr(?: class="overdue")? data-task-id="([^"]+)">([\s\S]*?)<\/tr>/g)].map((m) => ({ taskId: m[1]!, html: m[2]! }));

describe("console inbox", () => {
  it("lists the user's open tasks soonest due first: tracking number, step, masked applicant, Beijing due time, working days left, at-risk mark", async () => {
    // Prepare: A registered (review due in 2 working days), B just submitted (register due tomorrow)
    const h = await memoryHarness();
    const a = await submitted(h, { name: "欧阳明华" });
    await h.complete("office", a.caseId, "register", { outcome: "registered" });
    const b = await submitted(h, { name: "李四" });
    // Act
    const { page } = await inboxOf(h, "office");
    // Assess
    const list = rows(page);
    expect(list.map((r) => r.taskId)).toEqual([`${b.caseId}-register-1`, `${a.caseId}-review-1`]);
    expect(list[0]!.html).toContain(`<a href="/console/cases/${b.caseId}">${b.trackingNumber}</a>`);
    expect(list[0]!.html).toContain('<td data-label="环节">受理登记</td>');
    expect(list[0]!.html).toContain('<td data-label="申请人">李*</td>');
    expect(list[0]!.html).toContain('<time datetime="2026-03-03T23:59+08:00">2026-03-03 23:59</time>');
    expect(list[0]!.html).toContain('<span class="days at-risk">还剩 1 个工作日</span><span class="tag at-risk">即将到期</span>');
    expect(list[1]!.html).toContain('<td data-label="申请人">欧**华</td>');
    expect(list[1]!.html).toContain('<span class="days">还剩 2 个工作日</span>');
    expect(list[1]!.html).not.toContain("即将到期");
    expect(page).not.toContain("督办");
    expect(page).not.toContain("欧阳明华");
    // a count per step, each a link to the filtered view
    expect(page).toContain('<a href="/console/inbox" aria-current="page">全部 2 项</a>');
    expect(page).toContain('<a href="/console/inbox?step=register">受理登记 1 项（即将到期 1）</a>');
    expect(page).toContain('<a href="/console/inbox?step=review">审查申请 1 项</a>');
    expect(page).toContain('<caption class="vh">待办任务列表，按办理期限排序</caption>');
  });

  it("filters by step (?step=) and keeps the counts of all steps", async () => {
    const h = await memoryHarness();
    const a = await submitted(h);
    await h.complete("office", a.caseId, "register", { outcome: "registered" });
    await submitted(h);
    const { page } = await inboxOf(h, "office", "review");
    expect(rows(page).map((r) => r.taskId)).toEqual([`${a.caseId}-review-1`]);
    expect(page).toContain("<h1>待办任务：审查申请</h1>");
    expect(page).toContain('<a href="/console/inbox?step=review" aria-current="page">审查申请 1 项</a>');
    expect(page).toContain('<a href="/console/inbox">全部 2 项</a>');
    const none = await inboxOf(h, "office", "sign_off");
    expect(none.page).toContain("该环节暂无待办任务。");
  });

  it("marks overdue tasks with the working days past, and 督办 only for the one they were escalated to", async () => {
    // Prepare: the register task left lying for three working days
    const h = await memoryHarness();
    const s = await submitted(h);
    await h.advanceWorkingDays(3);
    // Act
    const office = await inboxOf(h, "office");
    const director = await inboxOf(h, "director");
    // Assess
    const mine = rows(office.page);
    expect(office.page).toMatch(new RegExp(`<tr class="overdue" data-task-id="${s.caseId}-register-1">`));
    expect(mine[0]!.html).toMatch(/<span class="days overdue">已逾期 [1-9] 个工作日<\/span><span class="tag overdue">已逾期<\/span>/);
    expect(office.page).not.toContain('class="tag supervise"');
    expect(office.page).toContain('<strong class="tag overdue">已逾期 1 项</strong>');
    const supervised = rows(director.page);
    expect(supervised.map((r) => r.taskId)).toEqual([`${s.caseId}-register-1`]);
    expect(supervised[0]!.html).toContain('办公室<span class="tag supervise" title="此待办已逾期，提请您督办">督办</span>');
    expect(director.page).toContain('<strong class="tag supervise">督办 1 项</strong>');
    expect(office.all.map((t) => t.supervising)).toEqual([false]);
  });

  it("is made for a phone: the table turns into stacked cards by CSS alone", () => {
    const page = renderInbox({
      user: { displayName: "办公室 王敏", roles: ["office_staff"], agencyName: "黄岩区行政服务中心", csrfToken: "c" },
      tasks: [
        { taskId: "t1", caseId: "c1", title: "受理登记", step: "register", role: "office_staff", dueAt: "2026-03-03T15:59:59.999Z", dueIsProvisional: true, overdue: false, trackingNumber: "001008010002002-2026-00001", workingDaysLeft: 1, atRisk: true },
      ],
    });
    expect(page).toContain('<table class="cards">');
    for (const label of ["申请", "环节", "办理角色", "申请人", "办理期限", "剩余时间"]) expect(page).toContain(`<td data-label="${label}">`);
    expect(consoleStyles).toMatch(/@media \(max-width:40rem\)\{[\s\S]*table\.cards,table\.cards tbody,table\.cards tr,table\.cards td\{display:block/);
    expect(consoleStyles).toContain('table.cards td[data-label]::before{content:attr(data-label) "："');
    expect(page).toContain(`<style>${consoleStyles}</style>\n</head>`);
    expect(page).toContain("暂定");
    expect(page).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
  });

  it("navigation: 待办任务, 案件查询, 录入申请 (office only), 工作日历", () => {
    const nav = (roles: string[]) =>
      [...renderConsolePage({ title: "x", main: "", user: { displayName: "某人", roles, agencyName: "机关", csrfToken: "c" }, current: "cases" }).matchAll(/<li><a href="([^"]+)"[^>]*>([^<]+)<\/a><\/li>/g)].map(
        (m) => `${m[2]} ${m[1]}`,
      );
    expect(nav(["office_staff"])).toEqual(["待办任务 /console/inbox", "案件查询 /console/cases", "录入申请 /console/applications/new", "工作日历 /console/calendar"]);
    expect(nav(["deputy_leader"])).toEqual(["待办任务 /console/inbox", "案件查询 /console/cases", "工作日历 /console/calendar"]);
    const page = renderConsolePage({ title: "x", main: "", user: { displayName: "某人", roles: ["auditor"], agencyName: "机关" }, current: "cases" });
    expect(page).toContain('<a href="/console/cases" aria-current="page">案件查询</a>');
  });
});
