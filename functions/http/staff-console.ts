import { randomBytes } from "node:crypto";
import { INBOX_PAGE_SIZE } from "../../shared/schemas/requests";
import { appDeps, forgetCachedCalendar } from "../../shared/adapters/aws/app-deps";
import {
  createHttpHandler,
  file,
  html,
  json,
  readForm,
  readJson,
  redirect,
  sessionCookie,
  textFieldErrors,
  type HttpRequest,
  type HttpResponse,
  type Route,
} from "../../shared/http/http";
import { renderErrorPage } from "../../shared/http/error-pages";
import { publishingApiRoutes } from "../../shared/http/publishing-routes";
import { reportApiRoutes } from "../../shared/http/report-routes";
import { reportPageRoutes } from "../../shared/http/report-pages";
import { annualReportPageRoutes } from "../../shared/http/annual-report-pages";
import { calendarWarningFor } from "../../shared/app/reports/weekly";
import { calendarWarningBanner } from "../../shared/ui/console/weekly-report";
import { uninterpretedBanner } from "../../shared/ui/console/interpretation-flag";
import { uninterpretedDocumentsOf } from "../../shared/app/interpretations/flag";
import { settingsRoutes } from "../../shared/http/settings-routes";
import { accountApiRoutes } from "../../shared/http/account-routes";
import { accountPageRoutes } from "../../shared/http/account-pages";
import { dutyApiRoutes, dutyPageRoutes } from "../../shared/http/duty-routes";
import { publishingCaseNotice, publishingPageRoutes } from "../../shared/http/publishing-pages";
import { consolePage, consoleUser, PASSWORD_PAGE, TOTP_PAGE } from "../../shared/http/console-page";
import "../../shared/app/workflow-hooks";
import { checkCsrf, LOGIN_CSRF_COOKIE, requireRole, requireStaff, sameToken, SESSION_COOKIE, type StaffRequest } from "../../shared/http/staff-auth";
import { signIn, signOut } from "../../shared/app/auth";
import { AppError, UnauthorizedError, ValidationError, type FieldError } from "../../shared/app/errors";
import { completeTask } from "../../shared/app/engine/complete-task";
import { listMyOpenTasksPage, nextPageQuery, parseTaskListQuery, taskListHeaders } from "../../shared/app/views/tasks";
import { viewCaseAsStaff, type StaffCaseView } from "../../shared/app/views/case";
import { searchCases, staffLetter } from "../../shared/app/views/search";
import { enterApplication } from "../../shared/app/applications/intake";
import { enterYearSchedule } from "../../shared/app/calendar/enter-year-schedule";
import { describeYears } from "../../shared/app/calendar/list-years";
import { recomputeOpenDeadlines } from "../../shared/app/engine/recompute";
import { caseIdOfTask } from "../../shared/domain/ids";
import { stepDefinition, workflowDefinition } from "../../shared/domain/workflows";
import { applicationFieldLabels, fromFormFields } from "../../shared/schemas/application";
import { INVALID_CHARACTER, textProblem, textProblemMessage } from "../../shared/domain/text";
import { loginSchema, issuesToFields } from "../../shared/schemas/staff";
import { parseYearScheduleJson, shanghaiDate } from "../../shared/domain/calendar";
import { DeadlineRuleError } from "../../shared/domain/deadlines";
import type { AppDeps } from "../../shared/app/deps";
import { renderLoginPage } from "../../shared/ui/console/login";
import { renderInbox } from "../../shared/ui/console/inbox";
import { renderCasePage } from "../../shared/ui/console/case";
import { ENTRY_ROLES, renderConsolePage } from "../../shared/ui/console/layout";
import { renderSearchPage, searchFields } from "../../shared/ui/console/search";
import { renderEntryPage } from "../../shared/ui/console/entry";
import { html as markup, type Html } from "../../shared/ui/html";
import { renderCalendarPage } from "../../shared/ui/console/calendar-page";

/** Roles that may enter or correct a year's holiday schedule. */
const CALENDAR_ADMINS = ["administrator"] as const;
const SESSION_SECONDS = 12 * 3600;

const clientIp = (req: HttpRequest) => req.event.requestContext?.http?.sourceIp ?? "unknown";

async function calendarRows(deps: AppDeps) {
  const [calendar, entered] = await Promise.all([deps.calendar(), deps.calendars.listEntered()]);
  return describeYears(calendar, entered, shanghaiDate(deps.clock.now()));
}

/**
 * Characters no text may hold (shared/domain/text.ts) in a schedule file, typed or as JSON
 * escapes, each with its line (`第 N 行 path：…`, as the parser's errors say it).
 */
function scheduleTextErrors(text: string): FieldError[] {
  const lines = text.split("\n");
  const out: FieldError[] = [];
  lines.forEach((line, i) => {
    const problem = textProblem(line, { multiline: true });
    if (problem && out.length < 20) out.push({ path: "", code: INVALID_CHARACTER, message: `第 ${i + 1} 行 ：${textProblemMessage("放假安排文件", problem)}` });
  });
  if (out.length > 0) return out;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return []; // the parser says what is wrong
  }
  return textFieldErrors(value).map((e) => {
    // an escape such as \u0000: its line is where the escape is written
    const hex = /U\+([0-9A-F]{4})/.exec(e.message)?.[1] ?? "";
    const at = hex ? text.toLowerCase().indexOf(`\\u${hex.toLowerCase()}`) : -1;
    const line = at < 0 ? 1 : text.slice(0, at).split("\n").length;
    return { ...e, message: `第 ${line} 行 ${e.path}：${e.message}` };
  });
}

/** Parses the schedule text and enters it; parse errors name the line and field. */
async function enterScheduleText(deps: AppDeps, staff: StaffRequest, text: string) {
  const dirty = scheduleTextErrors(text);
  if (dirty.length > 0) throw new ValidationError("CALENDAR_SCHEDULE_INVALID", "放假安排文件含有不允许的字符，未保存", dirty);
  const parsed = parseYearScheduleJson(text);
  if (!parsed.ok) {
    throw new ValidationError(
      "CALENDAR_SCHEDULE_INVALID",
      "放假安排文件有误，未保存",
      parsed.errors.map((e) => ({ path: e.path, code: "invalid", message: `第 ${e.line} 行 ${e.path}：${e.message}` })),
    );
  }
  const store = deps.calendars;
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

/**
 * The staff JSON API over the given dependencies (Lambda: `appDeps`; tests: in-memory ones).
 */
export function staffApiRoutes(getDeps: () => AppDeps = appDeps): Route[] {
  const secure = () => getDeps().config.publicBaseUrl.startsWith("https://");
  const clearCookie = (name: string) => `${name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure() ? "; Secure" : ""}`;

  return [
    {
      path: "/api/v1/auth/login",
      methods: {
        POST: async (req) => {
          const parsed = loginSchema.safeParse(readJson(req));
          if (!parsed.success) throw new ValidationError("VALIDATION_FAILED", "请填写完整的登录信息", issuesToFields(parsed.error));
          const { token, principal, mustChangePassword, mustEnrolTotp } = await signIn(getDeps(), parsed.data, clientIp(req));
          return json(
            200,
            {
              token,
              mustChangePassword,
              ...(principal.mustChangePassword ? { passwordChangeReason: principal.mustChangePassword } : {}),
              mustEnrolTotp,
              user: { agencyCode: principal.agencyCode, username: principal.username, displayName: principal.displayName, roles: principal.roles },
              csrfToken: principal.csrfToken,
            },
            { cookies: [sessionCookie(SESSION_COOKIE, token, secure(), SESSION_SECONDS)] },
          );
        },
      },
    },
    {
      path: "/api/v1/auth/logout",
      methods: {
        POST: async (req) => {
          const deps = getDeps();
          const staff = await requireStaff(deps, req, { pending: true });
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
          const deps = getDeps();
          const staff = await requireStaff(deps, req);
          const status = req.query.get("status") ?? "open";
          if (status !== "open") {
            throw new ValidationError("VALIDATION_FAILED", "查询参数有误", [{ path: "status", code: "invalid_choice", message: "待办状态目前只支持 open（未办结）" }]);
          }
          // SPEC §7: the body is the list of open tasks itself, one page of it; counts and the next page in the headers
          const query = parseTaskListQuery(req.query);
          const page = await listMyOpenTasksPage(deps, staff.principal, query);
          return json(200, page.tasks, { headers: taskListHeaders(req.path, query, page) });
        },
      },
    },
    {
      path: "/api/v1/tasks/{taskId}/complete",
      methods: {
        POST: async (req) => {
          const deps = getDeps();
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
      path: "/api/v1/cases",
      methods: {
        GET: async (req) => {
          const deps = getDeps();
          const staff = await requireStaff(deps, req);
          return json(200, await searchCases(deps, staff.principal, req.query));
        },
      },
    },
    {
      path: "/api/v1/cases/{caseId}",
      methods: {
        GET: async (req) => {
          const deps = getDeps();
          const staff = await requireStaff(deps, req);
          return json(200, await viewCaseAsStaff(deps, staff.principal, req.params.caseId ?? ""));
        },
      },
    },
    {
      path: "/api/v1/cases/{caseId}/letters/{letterId}",
      methods: {
        GET: async (req) => {
          const deps = getDeps();
          const staff = await requireStaff(deps, req);
          const f = await staffLetter(deps, staff.principal, req.params.caseId ?? "", req.params.letterId ?? "", req.query.get("format"));
          return file(f.body, f.contentType, f.filename, req.query.get("format") === "html");
        },
      },
    },
    {
      path: "/api/v1/staff/applications",
      methods: {
        POST: async (req) => {
          const deps = getDeps();
          const staff = await requireStaff(deps, req);
          checkCsrf(staff, req);
          requireRole(staff, ["office_staff"]);
          return json(201, await enterApplication(deps, staff.principal, readJson(req, { labels: applicationFieldLabels })));
        },
      },
    },
    {
      path: "/api/v1/calendar/years",
      methods: {
        GET: async (req) => {
          const deps = getDeps();
          await requireStaff(deps, req);
          return json(200, { years: await calendarRows(deps) });
        },
        POST: async (req) => {
          const deps = getDeps();
          const staff = await requireStaff(deps, req);
          checkCsrf(staff, req);
          requireRole(staff, [...CALENDAR_ADMINS]);
          return json(201, { entered: await enterScheduleText(deps, staff, req.body) });
        },
      },
    },
  ];
}

// ---- console pages (HTML forms, no JavaScript needed) ------------------------------
//
// Every form posts, then redirects (303) to a page that shows the outcome (post/redirect/get);
// a refused post re-renders its form with the errors and what was typed. Every form
// carries the session's CSRF token.

const userOf = consoleUser;

const INBOX = "/console/inbox";
/** A path the sign-in may send on to: visible ASCII only (so never CR/LF, NUL or a character a header cannot carry). */
const SAFE_NEXT = /^\/console\/[\x21-\x7e]{0,500}$/;

/**
 * Where the sign-in goes next: a page of the console on this site, as the URL parser sees
 * it (no `//host`, backslash, `..` out of /console/ or escaped dots), else the inbox.
 * It becomes a Location header, so anything a header cannot carry falls back too.
 */
export function safeNext(next: string | null | undefined): string {
  if (!next || !SAFE_NEXT.test(next) || next.includes("\\")) return INBOX;
  let url: URL;
  try {
    url = new URL(next, "https://console.invalid");
  } catch {
    return INBOX;
  }
  if (url.origin !== "https://console.invalid" || !url.pathname.startsWith("/console/")) return INBOX;
  return `${url.pathname}${url.search}`;
}

const today = (deps: AppDeps) => shanghaiDate(deps.clock.now());

/** A short-lived cookie carrying the access code of an entered application to the one page that shows it once. */
const ENTERED_COOKIE = "gk_entered";
const casePath = (caseId: string) => `/console/cases/${encodeURIComponent(caseId)}`;

/** The notice at the top of the case page after a redirect: which task was completed and how, or the entered application. */
function caseNotice(req: HttpRequest, view: StaffCaseView, caseId: string, clearEntered: string): { notice?: Html | string; cookies?: string[] } {
  const submitted = publishingCaseNotice(req, view);
  if (submitted) return { notice: submitted };
  if (req.query.get("entered")) {
    const raw = req.cookies[ENTERED_COOKIE] ?? "";
    const [forCase, accessCode] = raw.split(":");
    const shown = forCase === caseId && accessCode ? accessCode : undefined;
    return {
      notice: shown
        ? markup`<p><strong>已录入申请并受理登记。</strong>申请编号 <strong class="code" id="tracking-number">${view.case.trackingNumber}</strong>，查询码 <strong class="code" id="access-code">${shown}</strong>。</p>
<p>查询码只显示这一次，请告知申请人（申请人凭申请编号和查询码在门户网站查询进度、下载文书）。</p>`
        : markup`<p><strong>已录入申请并受理登记。</strong>申请编号 <strong class="code" id="tracking-number">${view.case.trackingNumber}</strong>。</p>`,
      ...(raw ? { cookies: [clearEntered] } : {}),
    };
  }
  if (req.query.get("done")) {
    const task = view.tasks.find((t) => t.taskId === req.query.get("task"));
    const outcome = task?.outcome ? stepDefinitionOf(task.workflow, task.step)?.outcomes.find((o) => o.outcome === task.outcome)?.label : undefined;
    return { notice: task && outcome ? `已办理“${task.title}”：${outcome}。` : "已办理。" };
  }
  return {};
}

function stepDefinitionOf(workflow: string, step: string) {
  try {
    return stepDefinition(workflow, step);
  } catch {
    return undefined;
  }
}

async function calendarPage(deps: AppDeps, staff: StaffRequest, statusCode: number, extra: Partial<Parameters<typeof renderCalendarPage>[0]> = {}) {
  const canEnter = staff.principal.roles.some((r) => (CALENDAR_ADMINS as readonly string[]).includes(r));
  const rows = await calendarRows(deps);
  // people by name, never by username
  const users = rows.some((r) => r.enteredBy) ? await deps.store.directory.users(staff.principal.agencyCode) : [];
  const names = new Map(users.map((u) => [u.username, u.displayName]));
  const shown = rows.map((r) => (r.enteredBy ? { ...r, enteredBy: names.get(r.enteredBy) ?? "系统管理员" } : r));
  const main = renderCalendarPage({ rows: shown, csrfToken: staff.principal.csrfToken, canEnter, ...extra });
  return html(statusCode, renderConsolePage({ user: userOf(staff), title: "节假日安排", main, current: "calendar" }));
}

/**
 * The console's pages. `getDeps` is the production wiring by default; tests pass the
 * in-memory ports to drive the pages as a browser does.
 */
export function consolePageRoutes(getDeps: () => AppDeps = appDeps): Route[] {
  const secure = () => getDeps().config.publicBaseUrl.startsWith("https://");
  const pageClearCookie = (name: string) => `${name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure() ? "; Secure" : ""}`;
  const enteredCookie = (caseId: string, value: string, maxAge: number) =>
    `${ENTERED_COOKIE}=${encodeURIComponent(value)}; Path=${casePath(caseId)}; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure() ? "; Secure" : ""}`;

  async function loginPage(statusCode: number, values: Record<string, string>, errors: FieldError[], next?: string): Promise<HttpResponse> {
    const csrfToken = randomBytes(24).toString("base64url");
    const agencies = await getDeps().store.directory.agencies();
    return html(statusCode, renderLoginPage({ agencies, values, errors, csrfToken, next: safeNext(next) }), {
      cookies: [sessionCookie(LOGIN_CSRF_COOKIE, csrfToken, secure(), 3600)],
    });
  }

  const page = consolePage(getDeps);

  return [
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
            const { token, mustChangePassword, mustEnrolTotp } = await signIn(getDeps(), parsed.data, clientIp(req));
            // a password to change or a second factor to enrol comes first (SPEC §7.4)
            return redirect(mustChangePassword ? PASSWORD_PAGE : mustEnrolTotp ? TOTP_PAGE : safeNext(form.next), [
              sessionCookie(SESSION_COOKIE, token, secure(), SESSION_SECONDS),
              pageClearCookie(LOGIN_CSRF_COOKIE),
            ]);
          } catch (error) {
            if (!(error instanceof UnauthorizedError)) throw error;
            if (error.code === "TOTP_REQUIRED") return loginPage(401, values, [{ path: "totp", code: "totp_required", message: error.message }], form.next);
            return loginPage(401, values, [{ path: "password", code: "unauthorized", message: error.message }], form.next);
          }
        },
      },
    },
    {
      path: "/console/logout",
      methods: {
        // also while a password change or enrolment is pending
        POST: consolePage(getDeps, { pending: true })(async (req, staff, deps) => {
          checkCsrf(staff, req, readForm(req).csrfToken);
          await signOut(deps, staff.principal);
          return redirect("/console/login", [pageClearCookie(SESSION_COOKIE)]);
        }),
      },
    },
    {
      path: "/console/inbox",
      methods: {
        GET: page(async (req, staff, deps) => {
          // one page of the list; the counts per step are over all of the caller's open tasks (the index's summaries)
          const query = parseTaskListQuery(req.query, INBOX_PAGE_SIZE);
          const page = await listMyOpenTasksPage(deps, staff.principal, query);
          const pages = {
            ...(page.nextCursor ? { nextHref: `/console/inbox?${nextPageQuery(query, page.nextCursor)}` } : {}),
            ...(query.after ? { firstHref: query.step ? `/console/inbox?step=${encodeURIComponent(query.step)}` : "/console/inbox" } : {}),
          };
          const banner = markup`${calendarWarningBanner(await calendarWarningFor(deps, staff.principal.agencyCode, deps.clock.now()))}${uninterpretedBanner(await uninterpretedDocumentsOf(deps, staff.principal.agencyCode, page.agencyOpen))}`;
          return html(200, renderInbox({ user: userOf(staff), tasks: page.tasks, counts: page.counts, step: query.step, total: page.total, banner, ...pages }));
        }),
      },
    },
    {
      path: "/console/cases",
      methods: {
        GET: page(async (req, staff, deps) => {
          const values = Object.fromEntries(searchFields.map((k) => [k, req.query.get(k) ?? ""]));
          try {
            const { results, showPersonalData } = await searchCases(deps, staff.principal, req.query);
            return html(200, renderSearchPage({ user: userOf(staff), values, results, showPersonalData }));
          } catch (error) {
            if (!(error instanceof ValidationError)) throw error;
            const showPersonalData = staff.principal.roles.some((r) => workflowDefinition("application").personalDataRoles.includes(r));
            return html(400, renderSearchPage({ user: userOf(staff), values, errors: error.fields, showPersonalData }));
          }
        }),
      },
    },
    {
      path: "/console/cases/{caseId}",
      methods: {
        GET: page(async (req, staff, deps) => {
          const caseId = req.params.caseId ?? "";
          const view = await viewCaseAsStaff(deps, staff.principal, caseId);
          const { notice, cookies } = caseNotice(req, view, caseId, enteredCookie(caseId, "", 0));
          return html(200, renderCasePage({ user: userOf(staff), view, notice, today: today(deps) }), cookies ? { cookies } : {});
        }),
      },
    },
    {
      path: "/console/cases/{caseId}/letters/{letterId}",
      methods: {
        GET: page(async (req, staff, deps) => {
          const format = req.query.get("format") === "html" ? "html" : "docx";
          const f = await staffLetter(deps, staff.principal, req.params.caseId ?? "", req.params.letterId ?? "", format);
          return file(f.body, f.contentType, f.filename, format === "html");
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
          // the outcome and its fields; the form's own tokens are not the outcome's
          const input: Record<string, string> = { ...form };
          delete input.csrfToken;
          delete input.taskId;
          try {
            const result = await completeTask(deps, staff.principal, taskId, input);
            return redirect(`${casePath(result.caseId)}?done=1&task=${encodeURIComponent(taskId)}`);
          } catch (error) {
            // a statutory limit (e.g. a second extension) refuses like a conflict: said on the page, with the form kept
            const refusal =
              error instanceof AppError && error.status < 500
                ? { status: error.status, fields: error.fields, code: error.code, message: error.message }
                : error instanceof DeadlineRuleError
                  ? { status: 409, fields: [], code: error.code, message: error.message }
                  : undefined;
            if (!refusal) throw error;
            const caseId = caseIdOfTask(taskId) ?? "";
            const view = await viewCaseAsStaff(deps, staff.principal, caseId);
            const errors = refusal.fields.length ? refusal.fields : [{ path: "", code: refusal.code, message: refusal.message }];
            return html(refusal.status, renderCasePage({ user: userOf(staff), view, errors, values: { ...form, taskId }, today: today(deps) }));
          }
        }),
      },
    },
    {
      path: "/console/applications/new",
      methods: {
        GET: page(async (_req, staff, deps) => {
          requireRole(staff, [...ENTRY_ROLES]);
          const p = staff.principal;
          return html(200, renderEntryPage({ user: userOf(staff), csrfToken: p.csrfToken, agencyName: p.agencyName, today: today(deps) }));
        }),
        POST: page(async (req, staff, deps) => {
          const form = readForm(req);
          checkCsrf(staff, req, form.csrfToken);
          requireRole(staff, [...ENTRY_ROLES]);
          const p = staff.principal;
          // the office enters for its own agency
          const body = { ...fromFormFields(form), agencyCode: p.agencyCode, channel: form.channel ?? "", receivedOn: form.receivedOn ?? "", signedForOn: form.signedForOn ?? "" };
          try {
            const entered = await enterApplication(deps, p, body);
            return redirect(`${casePath(entered.caseId)}?entered=1`, [enteredCookie(entered.caseId, `${entered.caseId}:${entered.accessCode}`, 600)]);
          } catch (error) {
            if (!(error instanceof ValidationError)) throw error;
            return html(400, renderEntryPage({ user: userOf(staff), csrfToken: p.csrfToken, agencyName: p.agencyName, today: today(deps), values: form, errors: error.fields }));
          }
        }),
      },
    },
    {
      path: "/console/calendar",
      methods: {
        GET: page(async (req, staff, deps) => {
          const year = Number(req.query.get("entered"));
          const entered = Number.isInteger(year) && year > 0
            ? { year, revision: Number(req.query.get("revision")) || 1, changed: Number(req.query.get("changed")) || 0 }
            : undefined;
          return calendarPage(deps, staff, 200, entered ? { entered } : {});
        }),
        POST: page(async (req, staff, deps) => {
          const form = readForm(req);
          checkCsrf(staff, req, form.csrfToken);
          requireRole(staff, [...CALENDAR_ADMINS]);
          const text = form.scheduleJson ?? "";
          try {
            const [entered] = await enterScheduleText(deps, staff, text);
            if (!entered) return redirect("/console/calendar");
            return redirect(`/console/calendar?entered=${entered.year}&revision=${entered.revision}&changed=${entered.changed}`);
          } catch (error) {
            if (!(error instanceof ValidationError)) throw error;
            const errors = error.fields.map((f) => {
              // the page says 第 N 行 <path>： itself
              const line = /^第 (\d+) 行/.exec(f.message)?.[1];
              return { line: Number(line ?? 1), path: f.path, message: f.message.replace(/^第 \d+ 行 [^：]*：/, "") };
            });
            return calendarPage(deps, staff, 400, { scheduleJson: text, errors });
          }
        }),
      },
    },
  ];
}

export const handler = createHttpHandler(
  [
    ...staffApiRoutes(),
    ...accountApiRoutes(appDeps),
    ...accountPageRoutes(appDeps),
    ...publishingApiRoutes(appDeps),
    ...reportApiRoutes(appDeps),
    ...consolePageRoutes(),
    ...settingsRoutes(appDeps),
    ...publishingPageRoutes(appDeps),
    ...reportPageRoutes(appDeps),
    ...annualReportPageRoutes(appDeps),
    ...dutyApiRoutes(appDeps),
    ...dutyPageRoutes(appDeps),
  ],
  { renderErrorPage },
);
