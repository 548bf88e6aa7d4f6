import { randomBytes } from "node:crypto";
import { appDeps, forgetCachedCalendar } from "../../shared/adapters/aws/app-deps";
import {
  createHttpHandler,
  html,
  json,
  readForm,
  readJson,
  redirect,
  sessionCookie,
  type HttpRequest,
  type HttpResponse,
  type Route,
} from "../../shared/http/http";
import { renderErrorPage } from "../../shared/http/error-pages";
import { checkCsrf, LOGIN_CSRF_COOKIE, requireRole, requireStaff, sameToken, SESSION_COOKIE, type StaffRequest } from "../../shared/http/staff-auth";
import { signIn, signOut } from "../../shared/app/auth";
import { AppError, UnauthorizedError, ValidationError, type FieldError } from "../../shared/app/errors";
import { completeTask, listMyOpenTasks } from "../../shared/app/staff-tasks";
import { viewCaseAsStaff } from "../../shared/app/view-case";
import { enterYearSchedule } from "../../shared/app/calendar/enter-year-schedule";
import { describeYears } from "../../shared/app/calendar/list-years";
import { recomputeOpenDeadlines } from "../../shared/app/deadlines/recompute-open-deadlines";
import { createCalendarStore } from "../../shared/adapters/aws/calendar-store";
import { caseIdOfTask, listAgencies } from "../../shared/adapters/aws/records";
import { loginSchema, issuesToFields } from "../../shared/schemas/staff";
import { parseYearScheduleJson, shanghaiDate } from "../../shared/domain/calendar";
import type { AppDeps } from "../../shared/app/deps";
import { renderLoginPage } from "../../shared/ui/console/login";
import { renderInbox } from "../../shared/ui/console/inbox";
import { renderCasePage } from "../../shared/ui/console/case";
import { renderConsolePage } from "../../shared/ui/console/layout";
import { renderCalendarPage } from "../../shared/ui/console/calendar-page";

/** Roles that may enter or correct a year's holiday schedule. */
const CALENDAR_ADMINS = ["administrator"] as const;
const SESSION_SECONDS = 12 * 3600;

const secure = () => appDeps().config.publicBaseUrl.startsWith("https://");
const clearCookie = (name: string) => `${name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure() ? "; Secure" : ""}`;

function calendarStore(deps: AppDeps) {
  return createCalendarStore({ doc: deps.table.doc, tableName: deps.table.name });
}

async function calendarRows(deps: AppDeps) {
  const [calendar, entered] = await Promise.all([deps.calendar(), calendarStore(deps).listEntered()]);
  return describeYears(calendar, entered, shanghaiDate(deps.clock.now()));
}

/** Parses the schedule text and enters it; parse errors name the line and field. */
async function enterScheduleText(deps: AppDeps, staff: StaffRequest, text: string) {
  const parsed = parseYearScheduleJson(text);
  if (!parsed.ok) {
    throw new ValidationError(
      "CALENDAR_SCHEDULE_INVALID",
      "放假安排文件有误，未保存",
      parsed.errors.map((e) => ({ path: e.path, code: "invalid", message: `第 ${e.line} 行 ${e.path}：${e.message}` })),
    );
  }
  const store = calendarStore(deps);
  const results = [];
  try {
    for (const schedule of parsed.schedules) {
      results.push(
        await enterYearSchedule(
          { store, clock: deps.clock, recomputeOpenDeadlines: recomputeOpenDeadlines(deps) },
          schedule,
          staff.principal.username,
        ),
      );
    }
  } finally {
    // even a partly stored file must show at once
    forgetCachedCalendar();
  }
  return results.map((r) => ({ year: r.stored.schedule.year, revision: r.stored.revision, changed: r.changed }));
}

// ---- JSON API (SPEC §7) ------------------------------------------------------

const apiRoutes: Route[] = [
  {
    path: "/api/v1/auth/login",
    methods: {
      POST: async (req) => {
        const parsed = loginSchema.safeParse(readJson(req));
        if (!parsed.success) throw new ValidationError("VALIDATION_FAILED", "请填写完整的登录信息", issuesToFields(parsed.error));
        const { token, principal } = await signIn(appDeps(), parsed.data);
        return json(
          200,
          { token, user: { agencyCode: principal.agencyCode, username: principal.username, displayName: principal.displayName, roles: principal.roles }, csrfToken: principal.csrfToken },
          { cookies: [sessionCookie(SESSION_COOKIE, token, secure(), SESSION_SECONDS)] },
        );
      },
    },
  },
  {
    path: "/api/v1/auth/logout",
    methods: {
      POST: async (req) => {
        const deps = appDeps();
        const staff = await requireStaff(deps, req);
        checkCsrf(staff, req);
        await signOut(deps, staff.principal);
        return json(200, { signedOut: true }, { cookies: [clearCookie(SESSION_COOKIE)] });
      },
    },
  },
  {
    path: "/api/v1/tasks",
    methods: {
      GET: async (req) => {
        const deps = appDeps();
        const staff = await requireStaff(deps, req);
        const status = req.query.get("status") ?? "open";
        if (status !== "open") {
          throw new ValidationError("VALIDATION_FAILED", "查询参数有误", [{ path: "status", code: "invalid_choice", message: "待办状态目前只支持 open（未办结）" }]);
        }
        // SPEC §7: the body is the list of open tasks itself
        return json(200, await listMyOpenTasks(deps, staff.principal));
      },
    },
  },
  {
    path: "/api/v1/tasks/{taskId}/complete",
    methods: {
      POST: async (req) => {
        const deps = appDeps();
        const staff = await requireStaff(deps, req);
        checkCsrf(staff, req);
        const body = readJson(req);
        if (!body || typeof body !== "object" || Array.isArray(body)) {
          throw new ValidationError("VALIDATION_FAILED", "请求体应为 JSON 对象", [{ path: "", code: "wrong_type", message: "请求体应为 JSON 对象" }]);
        }
        return json(200, await completeTask(deps, staff.principal, req.params.taskId ?? "", body as Record<string, unknown>));
      },
    },
  },
  {
    path: "/api/v1/cases/{caseId}",
    methods: {
      GET: async (req) => {
        const deps = appDeps();
        const staff = await requireStaff(deps, req);
        return json(200, await viewCaseAsStaff(deps, staff.principal, req.params.caseId ?? ""));
      },
    },
  },
  {
    path: "/api/v1/calendar/years",
    methods: {
      GET: async (req) => {
        const deps = appDeps();
        await requireStaff(deps, req);
        return json(200, { years: await calendarRows(deps) });
      },
      POST: async (req) => {
        const deps = appDeps();
        const staff = await requireStaff(deps, req);
        checkCsrf(staff, req);
        requireRole(staff, [...CALENDAR_ADMINS]);
        return json(201, { entered: await enterScheduleText(deps, staff, req.body) });
      },
    },
  },
];

// ---- console pages (HTML forms, no JavaScript needed) ------------------------------

/** Pages send a signed-out visitor to the sign-in page instead of showing a 401. */
function page(handler: (req: HttpRequest, staff: StaffRequest, deps: AppDeps) => Promise<HttpResponse>) {
  return async (req: HttpRequest): Promise<HttpResponse> => {
    const deps = appDeps();
    let staff: StaffRequest;
    try {
      staff = await requireStaff(deps, req);
    } catch (error) {
      if (error instanceof UnauthorizedError) return redirect(`/console/login?next=${encodeURIComponent(req.path)}`);
      throw error;
    }
    return handler(req, staff, deps);
  };
}

function userOf(staff: StaffRequest) {
  const p = staff.principal;
  return { displayName: p.displayName, roles: p.roles, agencyName: p.agencyName, csrfToken: p.csrfToken };
}

function safeNext(next: string | null | undefined): string {
  return next && next.startsWith("/console/") && !next.startsWith("//") ? next : "/console/inbox";
}

async function loginPage(statusCode: number, values: Record<string, string>, errors: FieldError[], next?: string): Promise<HttpResponse> {
  const csrfToken = randomBytes(24).toString("base64url");
  const agencies = await listAgencies(appDeps().table);
  return html(statusCode, renderLoginPage({ agencies, values, errors, csrfToken, next: safeNext(next) }), {
    cookies: [sessionCookie(LOGIN_CSRF_COOKIE, csrfToken, secure(), 3600)],
  });
}

const pageRoutes: Route[] = [
  { path: "/console", methods: { GET: async () => redirect("/console/inbox") } },
  {
    path: "/console/login",
    methods: {
      GET: async (req) => loginPage(200, {}, [], req.query.get("next") ?? undefined),
      POST: async (req) => {
        const form = readForm(req);
        const values = { agencyCode: form.agencyCode ?? "", username: form.username ?? "" };
        if (!sameToken(form.csrfToken, req.cookies[LOGIN_CSRF_COOKIE])) {
          return loginPage(403, values, [{ path: "", code: "csrf", message: "登录页面已过期，请重新登录" }], form.next);
        }
        const parsed = loginSchema.safeParse(form);
        if (!parsed.success) return loginPage(400, values, issuesToFields(parsed.error), form.next);
        try {
          const { token } = await signIn(appDeps(), parsed.data);
          return redirect(safeNext(form.next), [
            sessionCookie(SESSION_COOKIE, token, secure(), SESSION_SECONDS),
            clearCookie(LOGIN_CSRF_COOKIE),
          ]);
        } catch (error) {
          if (!(error instanceof UnauthorizedError)) throw error;
          return loginPage(401, values, [{ path: "password", code: "unauthorized", message: error.message }], form.next);
        }
      },
    },
  },
  {
    path: "/console/logout",
    methods: {
      POST: page(async (req, staff, deps) => {
        checkCsrf(staff, req, readForm(req).csrfToken);
        await signOut(deps, staff.principal);
        return redirect("/console/login", [clearCookie(SESSION_COOKIE)]);
      }),
    },
  },
  {
    path: "/console/inbox",
    methods: {
      GET: page(async (_req, staff, deps) => {
        const tasks = await listMyOpenTasks(deps, staff.principal);
        return html(200, renderInbox({ user: userOf(staff), tasks: tasks.map((t) => ({ ...t, title: `${t.title} · ${t.trackingNumber}` })) }));
      }),
    },
  },
  {
    path: "/console/cases/{caseId}",
    methods: {
      GET: page(async (req, staff, deps) => {
        const view = await viewCaseAsStaff(deps, staff.principal, req.params.caseId ?? "");
        return html(200, renderCasePage({ user: userOf(staff), view, notice: req.query.get("done") ? "已办理" : undefined }));
      }),
    },
  },
  {
    path: "/console/tasks/{taskId}/complete",
    methods: {
      POST: page(async (req, staff, deps) => {
        const form = readForm(req);
        checkCsrf(staff, req, form.csrfToken);
        const taskId = req.params.taskId ?? "";
        try {
          const result = await completeTask(deps, staff.principal, taskId, form);
          return redirect(`/console/cases/${result.caseId}?done=1`);
        } catch (error) {
          if (!(error instanceof AppError) || error.status >= 500) throw error;
          const caseId = caseIdOfTask(taskId) ?? "";
          const view = await viewCaseAsStaff(deps, staff.principal, caseId);
          return html(error.status, renderCasePage({ user: userOf(staff), view, errors: error.fields.length ? error.fields : [{ path: "", code: error.code, message: error.message }], values: form }));
        }
      }),
    },
  },
  {
    path: "/console/calendar",
    methods: {
      GET: page(async (_req, staff, deps) => {
        const canEnter = staff.principal.roles.some((r) => (CALENDAR_ADMINS as readonly string[]).includes(r));
        const main = renderCalendarPage({ rows: await calendarRows(deps), csrfToken: staff.principal.csrfToken, canEnter });
        return html(200, renderConsolePage({ user: userOf(staff), title: "节假日安排", main }));
      }),
      POST: page(async (req, staff, deps) => {
        const form = readForm(req);
        checkCsrf(staff, req, form.csrfToken);
        requireRole(staff, [...CALENDAR_ADMINS]);
        const text = form.scheduleJson ?? "";
        try {
          const [entered] = await enterScheduleText(deps, staff, text);
          const main = renderCalendarPage({ rows: await calendarRows(deps), csrfToken: staff.principal.csrfToken, entered });
          return html(201, renderConsolePage({ user: userOf(staff), title: "节假日安排", main }));
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error;
          const errors = error.fields.map((f) => {
            const line = /^第 (\d+) 行/.exec(f.message)?.[1];
            return { line: Number(line ?? 1), path: f.path, message: f.message };
          });
          const main = renderCalendarPage({ rows: await calendarRows(deps), csrfToken: staff.principal.csrfToken, scheduleJson: text, errors });
          return html(400, renderConsolePage({ user: userOf(staff), title: "节假日安排", main }));
        }
      }),
    },
  },
];

export const handler = createHttpHandler([...apiRoutes, ...pageRoutes], { renderErrorPage });
