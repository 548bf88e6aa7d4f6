/**
 * Local stack only: shows the movable clock and jumps it forward (N working days or to a
 * moment), firing the schedules that fall due. Never deployed (manifest: localOnly).
 */
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import * as z from "zod";
import { ConflictError, ValidationError } from "../../shared/app/errors";
import type { FieldError } from "../../shared/app/errors";
import { getLocalControls, pagesDown, setPageDown } from "../../shared/adapters/local/controls";
import type { LocalControls } from "../../shared/adapters/local/controls";
import { ClockBackwardsError } from "../../shared/adapters/local/local-clock";
import { csrfHiddenInput, issueLocalCsrf, LOCAL_CSRF_COOKIE, LOCAL_CSRF_FIELD, LOCAL_CSRF_REFUSED, localCsrfValid } from "../../shared/adapters/local/local-csrf";
import { awsClients } from "../../shared/adapters/aws/clients";
import { createCalendarStore, loadCalendar } from "../../shared/adapters/aws/calendar-store";
import { loadConfig } from "../../shared/config";
import { shanghaiDate, shanghaiInstant } from "../../shared/domain/calendar";
import type { WorkingCalendar } from "../../shared/domain/calendar";
import { createHttpHandler, errorJson, html, json, readForm, readJson, redirect, ResponseError } from "../../shared/http/http";
import { httpError } from "../../shared/schemas/errors";
import { renderErrorPage } from "../../shared/http/error-pages";
import type { HttpRequest, HttpResponse } from "../../shared/http/http";

const MAX_WORKING_DAYS = 250;
const LOCAL_MINUTE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

const moveSchema = z.union([
  z.strictObject({
    advanceWorkingDays: z
      .number({ error: "前进的工作日数必须是数字" })
      .int({ error: "前进的工作日数必须是整数" })
      .min(1, { error: "前进的工作日数至少为 1" })
      .max(MAX_WORKING_DAYS, { error: `前进的工作日数不能超过 ${MAX_WORKING_DAYS}` }),
  }),
  z.strictObject({
    to: z.string({ error: "目标时间必须是字符串" }).regex(LOCAL_MINUTE, { error: "目标时间格式应为 YYYY-MM-DDTHH:mm（北京时间）" }),
  }),
]);

type Move = { advanceWorkingDays: number } | { to: string };

/** Official schedules overlaid with those an administrator entered, read afresh: a jump right after an entry must count it. */
function currentCalendar(): Promise<WorkingCalendar> {
  return loadCalendar(createCalendarStore({ doc: awsClients().doc, tableName: loadConfig().tableName }));
}

function requireControls(): LocalControls {
  const controls = getLocalControls();
  if (!controls) {
    throw new ResponseError(json(503, { error: { code: "LOCAL_ONLY", message: "本地时钟只在本地运行环境（npm start）中可用", fields: [] } }));
  }
  return controls;
}

function invalid(fields: FieldError[]): ValidationError {
  return new ValidationError("VALIDATION_FAILED", "请求内容有误，请检查标出的字段", fields);
}

/** Body → a move, with field-level Chinese messages; neither or both keys is an error too. */
function parseMove(body: unknown): Move {
  if (body && typeof body === "object" && !Array.isArray(body)) {
    const keys = Object.keys(body);
    const known = keys.filter((k) => k === "advanceWorkingDays" || k === "to");
    if (known.length !== 1 || keys.length !== 1) {
      throw invalid([{ path: "", code: "invalid_choice", message: "请只提供 advanceWorkingDays（前进的工作日数）或 to（目标时间）中的一项" }]);
    }
    const key = known[0] ?? "";
    const branch = key === "to" ? moveSchema.options[1] : moveSchema.options[0];
    const parsed = branch.safeParse(body);
    if (parsed.success) return parsed.data;
    throw invalid(parsed.error.issues.map((i) => ({ path: key, code: i.code === "invalid_type" ? "wrong_type" : "invalid_format", message: i.message })));
  }
  throw invalid([{ path: "", code: "wrong_type", message: "请求体必须是 JSON 对象" }]);
}

function targetOf(move: Move, now: Date, calendar: WorkingCalendar): Date {
  if ("to" in move) {
    const [, y, mo, d, h, mi] = LOCAL_MINUTE.exec(move.to) ?? [];
    const date = `${y}-${mo}-${d}`;
    const probe = new Date(`${date}T00:00:00Z`);
    if (Number.isNaN(probe.getTime()) || probe.toISOString().slice(0, 10) !== date || Number(h) > 23 || Number(mi) > 59) {
      throw invalid([{ path: "to", code: "invalid_format", message: "目标时间不是有效的日期时间" }]);
    }
    return shanghaiInstant(date, `${h}:${mi}`);
  }
  // keep the time of day, move to the N-th working day after today (Asia/Shanghai)
  const today = shanghaiDate(now);
  const timeOfDay = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(11, 23);
  const { date } = calendar.addWorkingDays(today, move.advanceWorkingDays);
  return shanghaiInstant(date, timeOfDay);
}

async function applyMove(move: Move): Promise<{ now: string; firedSchedules: number }> {
  const controls = requireControls();
  const target = targetOf(move, controls.clock.now(), await currentCalendar());
  try {
    const { fired } = await controls.advanceTo(target);
    return { now: controls.clock.now().toISOString(), firedSchedules: fired };
  } catch (err) {
    if (err instanceof ClockBackwardsError) {
      throw new ConflictError("CONFLICT", `本地时钟只能向前拨：当前为 ${formatShanghai(err.now)}，不能回到 ${formatShanghai(err.requested)}`);
    }
    throw err;
  }
}

const formatShanghai = (d: Date) =>
  d.toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false, year: "numeric", month: "2-digit", day: "2-digit", weekday: "short", hour: "2-digit", minute: "2-digit", second: "2-digit" });
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(now: Date, calendar: WorkingCalendar, csrfToken: string, notice?: { kind: "ok" | "error"; text: string }): string {
  const token = csrfHiddenInput(csrfToken);
  const today = shanghaiDate(now);
  const day = calendar.isWorkingDay(today) ? "工作日" : "非工作日";
  const value = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 16);
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>本地时钟</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;margin:2rem;max-width:40rem}form{margin:1rem 0}
.now{font-size:1.5rem}.ok{color:#17603a}.error{color:#b00020}input{font-size:1rem}button{font-size:1rem}</style></head>
<body><h1>本地时钟</h1>
<p>这是本地运行环境的时钟（北京时间），只能向前拨。拨动后，已到期的提醒和升级会立即触发。</p>
<p class="now">当前时间：<time datetime="${now.toISOString()}">${esc(formatShanghai(now))}</time>（${day}）</p>
${notice ? `<p class="${notice.kind}" role="status">${esc(notice.text)}</p>` : ""}
<form method="post" action="/local/clock">${token}<input type="hidden" name="advanceWorkingDays" value="1"><button type="submit">前进 1 个工作日</button></form>
<form method="post" action="/local/clock">${token}<label>前进 <input type="number" name="advanceWorkingDays" min="1" max="${MAX_WORKING_DAYS}" value="5" required> 个工作日</label> <button type="submit">前进 N 个工作日</button></form>
<form method="post" action="/local/clock">${token}<label>拨到 <input type="datetime-local" name="to" value="${value}" required></label> <button type="submit">拨到该时间</button></form>
<p><a href="/local/mail">查看本地邮件收件箱</a> · <a href="/console">工作人员控制台</a> · <a href="/">公众门户</a></p>
</body></html>`;
}

/** The page with the browser's CSRF token in its forms (and the cookie that holds it). */
async function clockPage(req: HttpRequest, statusCode: number, notice?: { kind: "ok" | "error"; text: string }): Promise<HttpResponse> {
  const controls = requireControls();
  const csrf = issueLocalCsrf(req.cookies[LOCAL_CSRF_COOKIE]);
  return html(statusCode, page(controls.clock.now(), await currentCalendar(), csrf.token, notice), { cookies: [csrf.setCookie] });
}

async function showPage(req: HttpRequest): Promise<HttpResponse> {
  const fired = req.query.get("fired");
  const notice = fired !== null ? { kind: "ok" as const, text: `时钟已拨动，触发了 ${Number(fired) || 0} 个到期的定时任务。` } : undefined;
  return clockPage(req, 200, notice);
}

async function postForm(req: HttpRequest): Promise<HttpResponse> {
  requireControls();
  const form = readForm(req);
  // a page on another site could post this form: only a post carrying this page's token moves the clock
  if (!localCsrfValid(req.cookies[LOCAL_CSRF_COOKIE], form[LOCAL_CSRF_FIELD])) {
    return clockPage(req, 403, { kind: "error", text: LOCAL_CSRF_REFUSED });
  }
  const body: Record<string, unknown> = {};
  if (form.to) body.to = form.to;
  else if (form.advanceWorkingDays !== undefined) body.advanceWorkingDays = form.advanceWorkingDays.trim() === "" ? NaN : Number(form.advanceWorkingDays);
  try {
    const result = await applyMove(parseMove(body));
    return redirect(`/local/clock?fired=${result.firedSchedules}`);
  } catch (err) {
    if (err instanceof ValidationError || err instanceof ConflictError) {
      const text = err.fields.length ? err.fields.map((f) => f.message).join("；") : err.message;
      return clockPage(req, err.status, { kind: "error", text });
    }
    throw err;
  }
}

export const handler: (event: APIGatewayProxyEventV2) => Promise<HttpResponse> = createHttpHandler(
  [
    {
      path: "/api/v1/local/clock",
      methods: {
        GET: async () => json(200, { now: requireControls().clock.now().toISOString() }),
        POST: async (req) => {
          requireControls();
          // JSON only (SPEC §7): a cross-site form cannot send application/json, and a body without a type could come from anywhere
          const mime = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
          if (mime !== "application/json") throw new ResponseError(errorJson(httpError("UNSUPPORTED_MEDIA_TYPE")));
          return json(200, await applyMove(parseMove(readJson(req))));
        },
      },
    },
    { path: "/local/clock", methods: { GET: showPage, POST: postForm } },
    {
      // local stack only: stop or restore a page of the host ({"path": "/", "down": true}), so the automatic check can find an outage
      path: "/local/outage",
      methods: {
        GET: async () => json(200, { down: pagesDown() }),
        POST: async (req) => {
          requireControls();
          const mime = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
          if (mime !== "application/json") throw new ResponseError(errorJson(httpError("UNSUPPORTED_MEDIA_TYPE")));
          const body = readJson(req) as { path?: unknown; down?: unknown } | null;
          const path = body?.path;
          if (typeof path !== "string" || !path.startsWith("/") || path.startsWith("/local/") || typeof body?.down !== "boolean") {
            throw invalid([{ path: "path", code: "invalid_format", message: "请提供 path（以 / 开头的页面路径，不能是 /local/ 下的地址）和 down（true 停止，false 恢复）" }]);
          }
          setPageDown(path, body.down);
          return json(200, { down: pagesDown() });
        },
      },
    },
  ],
  // the page's errors (a store that does not answer: 503) as a page, like the portal's
  { renderErrorPage },
);
