import { describe, expect, it } from "vitest";
import { memoryHarness, type Harness } from "../../support/harness";
import { validApplication } from "../../support/app";
import { submitApplication } from "../../../shared/app/applications/intake";
import {
  TASK_PAGE_DEFAULT,
  TASK_PAGE_MAX,
  countByStep,
  decodeTaskCursor,
  encodeTaskCursor,
  listMyOpenTasks,
  listMyOpenTasksPage,
  parseTaskListQuery,
  taskListHeaders,
  type TaskListQuery,
} from "../../../shared/app/views/tasks";
import { ValidationError } from "../../../shared/app/errors";
import { createHttpHandler } from "../../../shared/http/http";
import { renderErrorPage } from "../../../shared/http/error-pages";
import { consolePageRoutes } from "../../../functions/http/staff-console";
import { DEMO_PASSWORD } from "../../../shared/app/seed-demo";
import { serviceCenter } from "../../support/app";
import { newId } from "../../../shared/domain/ids";
import type { Role } from "../../../shared/domain/roles";
import type { TaskRecord } from "../../../shared/domain/records";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
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

  it("navigation: 待办任务, 案件查询, 录入申请 (office only), 报送 per role, 工作日历, settings for the office", () => {
    const nav = (roles: string[]) =>
      [...renderConsolePage({ title: "x", main: "", user: { displayName: "某人", roles, agencyName: "机关", csrfToken: "c" }, current: "cases" }).matchAll(/<li><a href="([^"]+)"[^>]*>([^<]+)<\/a><\/li>/g)].map(
        (m) => `${m[2]} ${m[1]}`,
      );
    expect(nav(["office_staff"])).toEqual([
      "待办任务 /console/inbox",
      "案件查询 /console/cases",
      "录入申请 /console/applications/new",
      "报送信息 /console/publications/new",
      "报送公文 /console/documents/new",
      "工作日历 /console/calendar",
      "风险周报 /console/reports/weekly",
      "月度报告 /console/reports/monthly",
      "年度报告 /console/reports/annual",
      "报告存档 /console/reports/archive",
      "网站设置 /console/settings/site",
      "筛查词库 /console/settings/screening",
      "修改密码 /console/account/password",
    ]);
    expect(nav(["info_officer"])).toEqual(["待办任务 /console/inbox", "案件查询 /console/cases", "报送信息 /console/publications/new", "征求意见 /console/consultations/new", "工作日历 /console/calendar", "修改密码 /console/account/password"]);
    expect(nav(["deputy_leader"])).toEqual([
      "待办任务 /console/inbox",
      "案件查询 /console/cases",
      "工作日历 /console/calendar",
      "风险周报 /console/reports/weekly",
      "月度报告 /console/reports/monthly",
      "年度报告 /console/reports/annual",
      "报告存档 /console/reports/archive",
      "修改密码 /console/account/password",
    ]);
    // the administrator's accounts and agency (issue 11)
    expect(nav(["administrator"]).slice(-3)).toEqual(["账户管理 /console/admin/users", "机关管理 /console/admin/agency", "修改密码 /console/account/password"]);
    const page = renderConsolePage({ title: "x", main: "", user: { displayName: "某人", roles: ["auditor"], agencyName: "机关" }, current: "cases" });
    expect(page).toContain('<a href="/console/cases" aria-current="page">案件查询</a>');
  });
});

// ---- pages ---------------------------------------------------------------------------

/** An open task written straight into the store (many at once, due moments chosen, ties included). */
function openTask(i: number, o: { role?: Role; step?: string; dueAt?: string; caseId?: string } = {}): TaskRecord {
  const caseId = o.caseId ?? newId(new Date(Date.UTC(2026, 0, 1) + i));
  const step = o.step ?? "register";
  return {
    taskId: `${caseId}-${step}-1`,
    caseId,
    agencyCode: serviceCenter,
    workflow: "application",
    step,
    round: 1,
    role: o.role ?? "office_staff",
    title: step === "register" ? "受理登记" : "审查申请",
    reference: `001008010002002-2026-${String(i).padStart(5, "0")}`,
    party: "张*",
    status: "open",
    openedAt: "2026-03-02T01:30:00.000Z",
    openedOn: "2026-03-02",
    // five tasks share each due moment: the task id breaks the tie
    dueOn: "2026-03-10",
    dueAt: o.dueAt ?? new Date(Date.parse("2026-03-10T15:59:59.999Z") + Math.floor(i / 5) * 60_000).toISOString(),
    dueIsProvisional: false,
    escalationLevel: 0,
    escalatedTo: [],
    scheduleNames: [],
    version: 1,
  };
}

const put = (h: Harness, tasks: TaskRecord[]) => h.deps.store.commit(tasks.map((task) => ({ kind: "task" as const, task })));

async function allPages(h: Harness, principal: StaffPrincipal, q: Omit<TaskListQuery, "after">, between?: (page: number) => Promise<void>) {
  const seen: string[] = [];
  const totals: number[] = [];
  let after: TaskListQuery["after"];
  for (let page = 0; page < 100; page++) {
    const res = await listMyOpenTasksPage(h.deps, principal, { ...q, ...(after ? { after } : {}) });
    seen.push(...res.tasks.map((t) => t.taskId));
    totals.push(res.total);
    expect(res.tasks.length).toBeLessThanOrEqual(q.limit);
    if (!res.nextCursor) return { seen, totals, pages: page + 1 };
    expect(res.tasks.length).toBe(q.limit);
    after = decodeTaskCursor(res.nextCursor);
    await between?.(page);
  }
  throw new Error("no last page");
}

describe("task list pages", () => {
  it("pages through every open task once, in inbox order, with a total; tasks added between pages leave none missing or repeated", async () => {
    // Prepare: 47 tasks for the office
    const h = await memoryHarness();
    const office = await h.signIn("office");
    const first = Array.from({ length: 47 }, (_, i) => openTask(i));
    await put(h, first);
    const expected = [...first].sort((a, b) => (`${a.dueAt}#${a.taskId}` < `${b.dueAt}#${b.taskId}` ? -1 : 1)).map((t) => t.taskId);
    // Act: pages of 10, and 3 new tasks after each page (some due before the cursor, some after)
    let n = 1000;
    const { seen, totals, pages } = await allPages(h, office, { limit: 10 }, async () => {
      await put(h, [openTask(n++, { dueAt: "2026-03-09T15:59:59.999Z" }), openTask(n++), openTask(n++, { dueAt: "2026-03-20T15:59:59.999Z" })]);
    });
    // Assess
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of expected) expect(seen).toContain(id);
    expect(seen.filter((id) => expected.includes(id))).toEqual(expected);
    expect(totals[0]).toBe(47);
    expect(pages).toBeGreaterThanOrEqual(5);
  });

  it("filters by the caller's roles while it pages, reading on until a page is full", async () => {
    const h = await memoryHarness();
    const deputy = await h.signIn("deputy");
    // 300 office tasks with a deputy's task every 60
    await put(h, Array.from({ length: 300 }, (_, i) => openTask(i, i % 60 === 59 ? { role: "deputy_leader", step: "sign_off" } : {})));
    const page = await listMyOpenTasksPage(h.deps, deputy, { limit: 3 });
    expect(page.tasks.map((t) => t.role)).toEqual(["deputy_leader", "deputy_leader", "deputy_leader"]);
    expect(page.total).toBe(5);
    const rest = await listMyOpenTasksPage(h.deps, deputy, { limit: 3, after: decodeTaskCursor(page.nextCursor!)! });
    expect(rest.tasks).toHaveLength(2);
    expect(rest.nextCursor).toBeUndefined();
  });

  it("?step= and ?caseId= filter; the counts per step stay over all the caller's tasks", async () => {
    const h = await memoryHarness();
    const office = await h.signIn("office");
    const caseId = newId(new Date("2026-02-01T00:00:00Z"));
    await put(h, [...Array.from({ length: 8 }, (_, i) => openTask(i)), ...Array.from({ length: 4 }, (_, i) => openTask(100 + i, { step: "review" })), openTask(200, { caseId, step: "review" })]);
    const review = await listMyOpenTasksPage(h.deps, office, { limit: 2, step: "review" });
    expect(review.total).toBe(5);
    expect(review.tasks.every((t) => t.step === "review")).toBe(true);
    expect(review.counts.map((c) => [c.step, c.total])).toEqual([
      ["register", 8],
      ["review", 5],
    ]);
    const one = await listMyOpenTasksPage(h.deps, office, { limit: 10, caseId });
    expect(one.tasks.map((t) => t.caseId)).toEqual([caseId]);
    expect(one.total).toBe(1);
    expect(one.nextCursor).toBeUndefined();
  });

  it("the query: a whole page (500) by default, at most 500; a bad limit, cursor, step or case id is a 400 naming the field", () => {
    expect(parseTaskListQuery(new URLSearchParams(""))).toEqual({ limit: TASK_PAGE_DEFAULT });
    expect(parseTaskListQuery(new URLSearchParams("limit=5000")).limit).toBe(TASK_PAGE_MAX);
    const cursor = encodeTaskCursor({ dueAt: "2026-03-10T15:59:59.999Z", taskId: "01KJP2N7E0W690H0JA2NQ7JZ8M-register-1" });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(parseTaskListQuery(new URLSearchParams(`cursor=${cursor}&step=review`))).toEqual({
      limit: TASK_PAGE_DEFAULT,
      step: "review",
      after: { dueAt: "2026-03-10T15:59:59.999Z", taskId: "01KJP2N7E0W690H0JA2NQ7JZ8M-register-1" },
    });
    for (const [q, path] of [
      ["limit=0", "limit"],
      ["limit=abc", "limit"],
      ["limit=-1", "limit"],
      ["cursor=%E0", "cursor"],
      ["cursor=bm90LWpzb24", "cursor"],
      [`cursor=${Buffer.from(JSON.stringify(["x", "y"])).toString("base64url")}`, "cursor"],
      ["step=DROP%20TABLE", "step"],
      ["caseId=../../x", "caseId"],
    ] as const) {
      const error = (() => {
        try {
          parseTaskListQuery(new URLSearchParams(q));
        } catch (e) {
          return e;
        }
      })();
      expect(error, q).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).fields.map((f) => f.path), q).toEqual([path]);
    }
  });

  it("headers: X-Total-Count always; X-Next-Cursor and Link rel=next with the filters kept, only when there is a next page", () => {
    const q = { limit: 50, step: "review" };
    expect(taskListHeaders("/api/v1/tasks", q, { total: 12 })).toEqual({ "x-total-count": "12" });
    const h = taskListHeaders("/api/v1/tasks", q, { total: 120, nextCursor: "abc_-1" });
    expect(h).toEqual({ "x-total-count": "120", "x-next-cursor": "abc_-1", link: '</api/v1/tasks?status=open&limit=50&step=review&cursor=abc_-1>; rel="next"' });
  });

  it("the console inbox pages too: a link to the next page, the count per step over every page", async () => {
    // Prepare: 130 register tasks and 3 review tasks
    const h = await memoryHarness();
    await put(h, [...Array.from({ length: 130 }, (_, i) => openTask(i)), ...Array.from({ length: 3 }, (_, i) => openTask(500 + i, { step: "review" }))]);
    const handler = createHttpHandler(consolePageRoutes(() => h.deps), { renderErrorPage });
    const cookie = `gk_session=${(await (await import("../../../shared/app/auth")).signIn(h.deps, { agencyCode: serviceCenter, username: "office", password: DEMO_PASSWORD })).token}`;
    const get = async (url: string) => {
      const [path, query = ""] = url.split("?") as [string, string?];
      const res = await handler({
        rawPath: path,
        rawQueryString: query,
        headers: { host: "gongkai.test" },
        cookies: [cookie],
        requestContext: { http: { method: "GET", path, sourceIp: "198.51.100.7" }, requestId: "r" },
      } as unknown as APIGatewayProxyEventV2);
      return { status: res.statusCode, body: String(res.body) };
    };
    // Act
    const first = await get("/console/inbox");
    const next = /<a href="([^"]+)" rel="next">下一页<\/a>/.exec(first.body)?.[1]?.replaceAll("&amp;", "&");
    const second = await get(next ?? "/none");
    const bad = await get("/console/inbox?cursor=zzz");
    // Assess
    expect(first.status).toBe(200);
    expect(rows(first.body)).toHaveLength(100);
    expect(first.body).toContain("共 133 项");
    expect(first.body).toContain("本页列出 100 项。");
    expect(first.body).toContain('<a href="/console/inbox" aria-current="page">全部 133 项</a>');
    expect(first.body).toContain('<a href="/console/inbox?step=register">受理登记 130 项</a>');
    expect(next).toMatch(/^\/console\/inbox\?limit=100&cursor=[A-Za-z0-9_-]+$/);
    expect(second.status).toBe(200);
    expect(rows(second.body)).toHaveLength(33);
    expect(second.body).toContain('<a href="/console/inbox">回到第一页</a>');
    expect(second.body).not.toContain('rel="next"');
    expect(new Set([...rows(first.body), ...rows(second.body)].map((r) => r.taskId)).size).toBe(133);
    expect(bad.status).toBe(400);
  });
});
