import { describe, expect, it } from "vitest";
import { memoryHarness, type MemoryHarness } from "../../support/harness";
import { serviceCenter } from "../../support/app";
import { authenticate, setUserDisabled, signIn } from "../../../shared/app/auth";
import { DEMO_PASSWORD } from "../../../shared/app/seed-demo";
import { hashPassword } from "../../../shared/app/passwords";
import { TooManyRequestsError, UnauthorizedError } from "../../../shared/app/errors";
import { SIGN_IN_FAILURES_PER_ADDRESS, SIGN_IN_FREE_ATTEMPTS, SIGN_IN_LOCKOUT_AFTER, SIGN_IN_LOCKOUT_SECONDS, SIGN_IN_STRIKES_FORGOTTEN_SECONDS } from "../../../shared/app/rate-limits";

/** Sign-in guessing (a growing delay, then an audited lockout) and revoked tokens, on the in-memory ports; the clock only moves when told. */

const attempt = (h: MemoryHarness, username: string, password: string, ip = "198.51.100.7", agencyCode = serviceCenter) =>
  signIn(h.deps, { agencyCode, username, password }, ip).catch((e: Error) => e);
const statusOf = (r: unknown) => (r instanceof TooManyRequestsError ? 429 : r instanceof UnauthorizedError ? 401 : r instanceof Error ? `error ${r.message}` : 200);

/** An attacker who waits exactly as long as each 429 says, `n` wrong passwords in all. */
async function patientGuesser(h: MemoryHarness, username: string, n: number) {
  const log: Array<{ status: number | string; at: number; message?: string; retryAfter?: number }> = [];
  while (log.filter((l) => l.status === 401).length < n) {
    const r = await attempt(h, username, "Guess#0001");
    log.push({ status: statusOf(r), at: h.clock.now().getTime(), ...(r instanceof Error ? { message: r.message } : {}), ...(r instanceof TooManyRequestsError ? { retryAfter: r.retryAfterSeconds } : {}) });
    if (r instanceof TooManyRequestsError) h.clock.advance(r.retryAfterSeconds * 1000);
    if (log.length > 100) break;
  }
  return log;
}

describe("sign-in: growing delay, then lockout", () => {
  it("500 wrong passwords for one user from one address at full speed: 5 are checked (401), 495 refused (429, Chinese, Retry-After)", async () => {
    const h = await memoryHarness();
    const results = [];
    for (let i = 0; i < 500; i++) results.push(await attempt(h, "office", `Wrong#${i}x`));
    const counts = results.reduce<Record<string, number>>((o, r) => ({ ...o, [statusOf(r)]: (o[statusOf(r)] ?? 0) + 1 }), {});
    expect(counts).toEqual({ 401: SIGN_IN_FREE_ATTEMPTS, 429: 500 - SIGN_IN_FREE_ATTEMPTS });
    const refused = results[SIGN_IN_FREE_ATTEMPTS] as TooManyRequestsError;
    expect(refused.retryAfterSeconds).toBe(15);
    expect(refused.message).toBe("登录失败次数过多，请 15 秒后再试");
    // the right password is refused as well while the user must wait
    expect(statusOf(await attempt(h, "office", DEMO_PASSWORD))).toBe(429);
  });

  it("waiting out each delay: 15, 30, 60, 120, 240 s, then the 10th failure locks the user for 15 minutes; the lockout and its end are audited; afterwards the right password works", async () => {
    // Prepare
    const h = await memoryHarness();
    const start = h.clock.now().getTime();
    // Act
    const log = await patientGuesser(h, "office", SIGN_IN_LOCKOUT_AFTER);
    const lockedAt = h.clock.now().getTime();
    const during = await attempt(h, "office", DEMO_PASSWORD);
    h.clock.advance(SIGN_IN_LOCKOUT_SECONDS * 1000 - 1000);
    const stillLocked = await attempt(h, "office", DEMO_PASSWORD);
    h.clock.advance(1000);
    const after = await attempt(h, "office", DEMO_PASSWORD);
    // Assess: the waits the guesser was told
    expect(log.filter((l) => l.status === 429).map((l) => l.retryAfter)).toEqual([15, 30, 60, 120, 240]);
    expect((lockedAt - start) / 1000).toBe(465);
    expect(statusOf(during)).toBe(429);
    expect((during as TooManyRequestsError).retryAfterSeconds).toBe(SIGN_IN_LOCKOUT_SECONDS);
    expect((during as TooManyRequestsError).message).toBe("登录失败次数过多，该账户已临时锁定，请 15 分钟后再试");
    expect((stillLocked as TooManyRequestsError).retryAfterSeconds).toBe(1);
    expect(statusOf(after)).toBe(200);
    expect(await authenticate(h.deps, (after as { token: string }).token)).toMatchObject({ username: "office" });
    // the audit: who, when, from where — the lockout and, with the attempt that found it over, its end
    const trail = await h.deps.store.security.list(serviceCenter);
    // every failure and success is on the trail too (issue 11); the lockout and its end among them
    expect(trail.filter((e) => e.type === "signin.failed").length).toBeGreaterThanOrEqual(10);
    const events = trail.filter((e) => e.type.startsWith("signin.lock"));
    expect(events.map((e) => e.type)).toEqual(["signin.locked", "signin.lockout_ended"]);
    expect(events[0]).toMatchObject({ agencyCode: serviceCenter, username: "office", clientIp: "198.51.100.7", at: new Date(lockedAt).toISOString() });
    expect(events[0]!.data).toEqual({ failures: 10, lockedUntil: new Date(lockedAt + SIGN_IN_LOCKOUT_SECONDS * 1000).toISOString() });
    expect(events[0]!.summary).toMatch(/^账户 office 连续 10 次登录失败，临时锁定至 \d{4}-\d{2}-\d{2} \d{2}:\d{2}（北京时间）$/);
    expect(events[1]).toMatchObject({ username: "office", at: new Date(lockedAt + SIGN_IN_LOCKOUT_SECONDS * 1000).toISOString() });
    expect(events[1]!.data).toEqual({ lockedFrom: new Date(lockedAt).toISOString(), lockedUntil: new Date(lockedAt + SIGN_IN_LOCKOUT_SECONDS * 1000).toISOString() });
    // a success clears the strikes: the next mistakes are free again
    for (let i = 0; i < SIGN_IN_FREE_ATTEMPTS - 1; i++) expect(statusOf(await attempt(h, "office", "Wrong#1x"))).toBe(401);
  });

  it("a user that does not exist is throttled and locked exactly alike (nothing tells them apart); its record goes under `-` when the agency is unknown", async () => {
    const h = await memoryHarness();
    const real = await patientGuesser(h, "office", SIGN_IN_LOCKOUT_AFTER);
    const ghost = await patientGuesser(h, "nobody-here", SIGN_IN_LOCKOUT_AFTER);
    const shape = (log: typeof real) => log.map((l) => `${l.status}/${l.retryAfter ?? ""}/${l.message ?? ""}`);
    expect(shape(ghost)).toEqual(shape(real));
    expect(String(await attempt(h, "nobody-here", "x"))).toBe("TooManyRequestsError: 登录失败次数过多，该账户已临时锁定，请 15 分钟后再试");
    const unknownAgency = await (async () => {
      for (let i = 0; i < 40; i++) {
        const r = await attempt(h, "office", "Guess#1", "203.0.113.77", "999999999999999");
        if (r instanceof TooManyRequestsError) h.clock.advance(r.retryAfterSeconds * 1000);
      }
      return h.deps.store.security.list("-");
    })();
    expect(unknownAgency.map((e) => e.type)).toContain("signin.locked");
    expect((await h.deps.store.security.list(serviceCenter)).filter((e) => e.username === "nobody-here" && e.type !== "signin.failed").map((e) => e.type)).toEqual(["signin.locked"]);
  });

  it("racing attempts cannot overshoot: 40 wrong passwords at once, at most 5 checked", async () => {
    const h = await memoryHarness();
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => attempt(h, "office", `Race#${i}x`)));
    const checked = results.filter((r) => r instanceof UnauthorizedError).length;
    expect(checked).toBeLessThanOrEqual(SIGN_IN_FREE_ATTEMPTS);
    expect(checked).toBeGreaterThan(0);
    expect(results.every((r) => r instanceof UnauthorizedError || r instanceof TooManyRequestsError)).toBe(true);
  });

  it("strikes are forgotten after a quiet spell", async () => {
    const h = await memoryHarness();
    for (let i = 0; i < SIGN_IN_FREE_ATTEMPTS; i++) expect(statusOf(await attempt(h, "office", "Wrong#1x"))).toBe(401);
    expect(statusOf(await attempt(h, "office", "Wrong#1x"))).toBe(429);
    h.clock.advance((15 + SIGN_IN_STRIKES_FORGOTTEN_SECONDS) * 1000);
    for (let i = 0; i < SIGN_IN_FREE_ATTEMPTS - 1; i++) expect(statusOf(await attempt(h, "office", "Wrong#1x"))).toBe(401);
  });

  it("one address spraying many users is stopped after 30 failures; another address signs in", async () => {
    const h = await memoryHarness();
    const results = [];
    for (let i = 0; i < 45; i++) results.push(statusOf(await attempt(h, `user${i}`, "Spring2026!", "198.51.100.99")));
    expect(results.filter((s) => s === 401)).toHaveLength(SIGN_IN_FAILURES_PER_ADDRESS);
    expect(results.slice(SIGN_IN_FAILURES_PER_ADDRESS).every((s) => s === 429)).toBe(true);
    const refused = await attempt(h, "office", DEMO_PASSWORD, "198.51.100.99");
    expect((refused as Error).message).toMatch(/^该网络地址登录失败次数过多，请 \d+ 分钟后再试$/);
    expect(statusOf(await attempt(h, "office", DEMO_PASSWORD, "203.0.113.5"))).toBe(200);
  });
});

describe("disabled users' tokens", () => {
  it("re-enabling a disabled user revives none of their old tokens; a new sign-in works", async () => {
    // Prepare: a session, then disabled and enabled again at the very same instant (the clock stands still)
    const h = await memoryHarness();
    const old = (await signIn(h.deps, { agencyCode: serviceCenter, username: "office", password: DEMO_PASSWORD })).token;
    expect(await authenticate(h.deps, old)).toBeDefined();
    // Act
    await setUserDisabled(h.deps, serviceCenter, "office", true);
    const whileDisabled = await authenticate(h.deps, old);
    const signInWhileDisabled = await attempt(h, "office", DEMO_PASSWORD);
    await setUserDisabled(h.deps, serviceCenter, "office", false);
    // Assess
    expect(whileDisabled).toBeUndefined();
    expect(statusOf(signInWhileDisabled)).toBe(401);
    expect(await authenticate(h.deps, old)).toBeUndefined();
    const fresh = (await signIn(h.deps, { agencyCode: serviceCenter, username: "office", password: DEMO_PASSWORD })).token;
    expect(await authenticate(h.deps, fresh)).toMatchObject({ username: "office" });
    // later (within the agency's idle time of 30 minutes): still only the new one
    h.clock.advance(20 * 60_000);
    expect(await authenticate(h.deps, old)).toBeUndefined();
    expect(await authenticate(h.deps, fresh)).toBeDefined();
  });

  it("set through the Store directly (no admin UI yet): a session from before tokensValidAfter stays void after enabling", async () => {
    const h = await memoryHarness();
    const old = (await signIn(h.deps, { agencyCode: serviceCenter, username: "deputy", password: DEMO_PASSWORD })).token;
    h.clock.advance(60_000);
    const user = (await h.deps.store.directory.user(serviceCenter, "deputy"))!;
    await h.deps.store.directory.putUser({ ...user, disabled: true, tokensValidAfter: h.clock.now().toISOString() });
    h.clock.advance(60_000);
    await h.deps.store.directory.putUser({ ...(await h.deps.store.directory.user(serviceCenter, "deputy"))!, disabled: false });
    expect(await authenticate(h.deps, old)).toBeUndefined();
    const fresh = (await signIn(h.deps, { agencyCode: serviceCenter, username: "deputy", password: DEMO_PASSWORD })).token;
    expect(await authenticate(h.deps, fresh)).toMatchObject({ username: "deputy" });
  });
});

describe("password hashing cost", () => {
  it("the demo accounts' public password is hashed cheaply; any other password at the full memory-hard cost, and both sign in", async () => {
    const h = await memoryHarness();
    const demo = await h.deps.store.directory.user(serviceCenter, "office");
    expect(demo?.passwordHash).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(await hashPassword("Another#Secret9")).toMatch(/^scrypt\$32768\$8\$1\$/);
    await h.deps.store.directory.putUser({ ...demo!, passwordHash: await hashPassword("Another#Secret9") });
    expect(statusOf(await attempt(h, "office", "Another#Secret9"))).toBe(200);
    expect(statusOf(await attempt(h, "director", DEMO_PASSWORD))).toBe(200);
  });
});
