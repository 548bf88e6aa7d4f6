import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { startTestStack, type TestStack } from "../../support/stack";
import { appDepsFor, seededDeps, serviceCenter, validApplication } from "../../support/app";
import type { AppDeps } from "../../../shared/app/deps";
import { signIn, authenticate } from "../../../shared/app/auth";
import { DEMO_PASSWORD } from "../../../shared/app/seed-demo";
import { submitApplication } from "../../../shared/app/applications/intake";
import { viewCaseAsApplicant } from "../../../shared/app/applications/applicant";
import { NotFoundError, TooManyRequestsError, UnauthorizedError } from "../../../shared/app/errors";
import { ACCESS_CODE_WINDOW_SECONDS, INTAKE_PER_ADDRESS_PER_MINUTE, SIGN_IN_LOCKOUT_SECONDS, takeAttempt } from "../../../shared/app/rate-limits";
import { decodeTaskCursor, listMyOpenTasksPage } from "../../../shared/app/views/tasks";
import { createHttpHandler } from "../../../shared/http/http";
import { staffApiRoutes } from "../../../functions/http/staff-console";
import { newId } from "../../../shared/domain/ids";
import type { TaskRecord } from "../../../shared/domain/records";

/**
 * The limits of issue 7 item 3 on DynamoDB Local, as on AWS: the counters are table items,
 * so two sets of clients (two Lambda instances) share them. The clock is the stack's
 * injected one, moved forward instead of sleeping.
 */

let stack: TestStack;
let deps: AppDeps;

beforeAll(async () => {
  // Monday 2026-03-02 09:00 Beijing time, on a quarter-hour
  stack = await startTestStack({ clockStart: "2026-03-02T01:00:00.000Z" });
  deps = await seededDeps(stack);
});
afterAll(async () => stack?.stop());

const settled = async <T>(p: Promise<T>): Promise<T | Error> => p.catch((e: Error) => e);
const statusOf = (r: unknown) => (r instanceof TooManyRequestsError ? 429 : r instanceof UnauthorizedError ? 401 : r instanceof NotFoundError ? 404 : r instanceof Error ? `error ${r.message}` : 200);
const tally = (results: unknown[]) => results.reduce<Record<string, number>>((o, r) => ({ ...o, [String(statusOf(r))]: (o[String(statusOf(r))] ?? 0) + 1 }), {});

describe("guessing, on DynamoDB", () => {
  it("500 wrong passwords for one user from one address are throttled long before the end, and the right password works after the lockout", async () => {
    // Act: 500 wrong passwords, each waiting as long as the 429 before it said
    const log: Array<{ status: number | string; retryAfter?: number }> = [];
    const started = stack.clock.now().getTime();
    for (let i = 0; i < 500; i++) {
      const r = await settled(signIn(deps, { agencyCode: serviceCenter, username: "director", password: `Guess#${i}x` }, "198.51.100.7"));
      log.push({ status: statusOf(r), ...(r instanceof TooManyRequestsError ? { retryAfter: r.retryAfterSeconds } : {}) });
      // the guesser waits only while the user is not yet locked; then it keeps hammering
      if (r instanceof TooManyRequestsError && r.retryAfterSeconds < SIGN_IN_LOCKOUT_SECONDS) await stack.clock.advanceBy(r.retryAfterSeconds * 1000);
    }
    const lockedAt = stack.clock.now().getTime();
    const during = await settled(signIn(deps, { agencyCode: serviceCenter, username: "director", password: DEMO_PASSWORD }, "198.51.100.7"));
    await stack.clock.advanceBy(SIGN_IN_LOCKOUT_SECONDS * 1000);
    const after = await settled(signIn(deps, { agencyCode: serviceCenter, username: "director", password: DEMO_PASSWORD }, "198.51.100.7"));
    // Assess: 10 checked (5 at once, 5 more after 15, 30, 60, 120, 240 s), 490 refused
    const counts = tally(log.map((l) => (l.status === 429 ? new TooManyRequestsError("", 1) : l.status === 401 ? new UnauthorizedError() : new Error(String(l.status)))));
    expect(counts).toEqual({ 401: 10, 429: 490 });
    expect(log.findIndex((l) => l.status === 429)).toBe(5);
    expect((lockedAt - started) / 1000).toBe(465);
    expect(statusOf(during)).toBe(429);
    expect(statusOf(after)).toBe(200);
    expect(await authenticate(deps, (after as { token: string }).token)).toMatchObject({ username: "director" });
    // both ends of the lockout are on record in the agency's security partition
    // (with each checked failure, and the sign-in that worked)
    const events = await deps.store.security.list(serviceCenter, { from: new Date(started).toISOString() });
    const lockout = events.filter((e) => e.type.startsWith("signin.lock"));
    expect(lockout.map((e) => [e.type, e.username, e.clientIp])).toEqual([
      ["signin.locked", "director", "198.51.100.7"],
      ["signin.lockout_ended", "director", "198.51.100.7"],
    ]);
    expect(lockout[0]!.at).toBe(new Date(lockedAt).toISOString());
    expect(events.filter((e) => e.type === "signin.failed")).toHaveLength(10);
  });

  it("500 wrong access codes for one tracking number from one address: 5 answered, 495 refused; the right code works after the window; an unknown number answers alike", async () => {
    // Prepare
    const s = await submitApplication(deps, validApplication());
    const unknown = s.trackingNumber.replace(/-\d{5}$/, "-99999");
    // Act
    const wrong = [];
    const none = [];
    for (let i = 0; i < 500; i++) {
      wrong.push(await settled(viewCaseAsApplicant(deps, s.trackingNumber, `WRONG${String(i).padStart(5, "0")}`, "198.51.100.8")));
      none.push(await settled(viewCaseAsApplicant(deps, unknown, `WRONG${String(i).padStart(5, "0")}`, "198.51.100.9")));
    }
    const during = await settled(viewCaseAsApplicant(deps, s.trackingNumber, s.accessCode, "198.51.100.8"));
    await stack.clock.advanceBy(ACCESS_CODE_WINDOW_SECONDS * 1000);
    const after = await settled(viewCaseAsApplicant(deps, s.trackingNumber, s.accessCode, "198.51.100.8"));
    // Assess
    expect(tally(wrong)).toEqual({ 404: 5, 429: 495 });
    expect(none.map((r) => `${statusOf(r)} ${(r as Error).message}`)).toEqual(wrong.map((r) => `${statusOf(r)} ${(r as Error).message}`));
    expect(statusOf(during)).toBe(429);
    expect(after).toMatchObject({ trackingNumber: s.trackingNumber });
  });

  it("the counters are shared by every instance: two sets of clients racing on one key let exactly the limit through", async () => {
    const other = appDepsFor(stack);
    const limit = { name: "race", windowSeconds: 3600, max: 7 };
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => settled(takeAttempt(i % 2 ? deps : other, [[limit, "k"]], () => "满"))));
    expect(results.filter((r) => !(r instanceof Error))).toHaveLength(7);
    expect(await deps.store.throttle.count("race#k", 3600, stack.clock.now())).toBe(7);
  });
});

describe("intake flood, on DynamoDB", () => {
  it("a flood from one address is throttled (429) across instances while another address still gets its application filed", async () => {
    const other = appDepsFor(stack);
    const flood = await Promise.all(Array.from({ length: 40 }, (_, i) => settled(submitApplication(i % 2 ? deps : other, validApplication(), { clientIp: "203.0.113.50" }))));
    const elsewhere = await settled(submitApplication(deps, validApplication(), { clientIp: "203.0.113.51" }));
    expect(tally(flood)).toEqual({ 200: INTAKE_PER_ADDRESS_PER_MINUTE, 429: 40 - INTAKE_PER_ADDRESS_PER_MINUTE });
    expect((flood.find((r) => r instanceof TooManyRequestsError) as Error).message).toMatch(/^提交申请过于频繁/);
    expect(elsewhere).toMatchObject({ status: "received" });
    // a minute later the address may file again
    await stack.clock.advanceBy(60_000);
    expect(statusOf(await settled(submitApplication(deps, validApplication(), { clientIp: "203.0.113.50" })))).toBe(200);
  });
});

describe("task list pages, on DynamoDB (gsi1 Limit/ExclusiveStartKey)", () => {
  const agency = serviceCenter;
  let n = 0;
  function task(o: { dueAt?: string; role?: TaskRecord["role"] } = {}): TaskRecord {
    const caseId = newId(new Date(Date.UTC(2026, 0, 1) + n++));
    return {
      taskId: `${caseId}-register-1`,
      caseId,
      agencyCode: agency,
      workflow: "application",
      step: "register",
      round: 1,
      role: o.role ?? "office_staff",
      title: "受理登记",
      reference: `001008010002002-2026-${String(50_000 + n).padStart(5, "0")}`,
      party: "张*",
      status: "open",
      openedAt: "2026-03-02T01:00:00.000Z",
      openedOn: "2026-03-02",
      dueOn: "2026-04-10",
      // three tasks per due moment: ties broken by the task id
      dueAt: o.dueAt ?? new Date(Date.parse("2026-04-10T15:59:59.999Z") + Math.floor(n / 3) * 1000).toISOString(),
      dueIsProvisional: false,
      escalationLevel: 0,
      escalatedTo: [],
      scheduleNames: [],
      version: 1,
    };
  }
  const put = async (tasks: TaskRecord[]) => {
    for (let i = 0; i < tasks.length; i += 25) await deps.store.commit(tasks.slice(i, i + 25).map((t) => ({ kind: "task" as const, task: t })));
  };

  it("pages cover every task exactly once while new tasks are added and one is closed between pages; the API answers a JSON array with the counts and next page in headers", async () => {
    // Prepare: the office's open tasks so far (registration tasks of earlier tests), plus 120, with 20 for the deputy among them
    const office = (await signIn(deps, { agencyCode: agency, username: "office", password: DEMO_PASSWORD })).principal;
    await put(Array.from({ length: 120 }, (_, i) => task(i % 6 === 5 ? { role: "deputy_leader" } : {})));
    const before = (await deps.store.tasks.listOpen(agency)).filter((t) => t.role === "office_staff").map((t) => t.taskId);
    expect(before.length).toBeGreaterThanOrEqual(100);
    // Act: pages of 15; between pages, new tasks (due before and after the cursor) and the last listed task closed
    const seen: string[] = [];
    let after: ReturnType<typeof decodeTaskCursor>;
    let pages = 0;
    let total = 0;
    for (;;) {
      const page = await listMyOpenTasksPage(deps, office, { limit: 15, ...(after ? { after } : {}) });
      if (pages === 0) total = page.total;
      pages++;
      seen.push(...page.tasks.map((t) => t.taskId));
      expect(page.tasks.every((t) => t.role === "office_staff")).toBe(true);
      if (!page.nextCursor) break;
      expect(page.tasks).toHaveLength(15);
      after = decodeTaskCursor(page.nextCursor);
      await put([task({ dueAt: "2026-03-03T15:59:59.999Z" }), task({ dueAt: "2026-12-31T15:59:59.999Z" })]);
      const last = (await deps.store.tasks.get(page.tasks.at(-1)!.taskId))!;
      await deps.store.commit([{ kind: "task", task: { ...last, status: "done", version: last.version + 1 }, expectedVersion: last.version }]);
      if (pages > 50) throw new Error("no last page");
    }
    // Assess
    expect(total).toBe(before.length);
    expect(new Set(seen).size).toBe(seen.length);
    expect(before.filter((id) => !seen.includes(id))).toEqual([]);
    expect(pages).toBeGreaterThanOrEqual(Math.ceil(before.length / 15));

    // the same over HTTP: a JSON array, X-Total-Count, X-Next-Cursor, Link
    const handler = createHttpHandler(staffApiRoutes(() => deps));
    const { token } = await signIn(deps, { agencyCode: agency, username: "office", password: DEMO_PASSWORD });
    const get = async (url: string) => {
      const [path, query = ""] = url.split("?") as [string, string?];
      const res = await handler({
        rawPath: path,
        rawQueryString: query,
        headers: { authorization: `Bearer ${token}` },
        requestContext: { http: { method: "GET", path, sourceIp: "198.51.100.7" }, requestId: "r" },
      } as unknown as APIGatewayProxyEventV2);
      return { status: res.statusCode, headers: (res.headers ?? {}) as Record<string, string>, body: JSON.parse(String(res.body)) as unknown };
    };
    const first = await get("/api/v1/tasks?status=open&limit=40");
    expect(first.status).toBe(200);
    expect(Array.isArray(first.body)).toBe(true);
    expect(first.body as unknown[]).toHaveLength(40);
    const openNow = (await deps.store.tasks.listOpen(agency)).filter((t) => t.role === "office_staff").length;
    expect(first.headers["x-total-count"]).toBe(String(openNow));
    expect(first.headers.link).toBe(`</api/v1/tasks?status=open&limit=40&cursor=${first.headers["x-next-cursor"]}>; rel="next"`);
    const ids: string[] = [];
    let next: string | undefined = "/api/v1/tasks?status=open&limit=40";
    while (next) {
      const res = await get(next);
      ids.push(...(res.body as Array<{ taskId: string }>).map((t) => t.taskId));
      next = /^<([^>]+)>; rel="next"$/.exec(res.headers.link ?? "")?.[1];
    }
    expect(ids).toHaveLength(openNow);
    expect(new Set(ids).size).toBe(openNow);
    expect((await get("/api/v1/tasks?limit=0")).status).toBe(400);
    expect((await get("/api/v1/tasks?cursor=not-a-cursor")).status).toBe(400);
  });
});
