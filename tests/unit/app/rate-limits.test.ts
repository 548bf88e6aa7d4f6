import { afterEach, describe, expect, it } from "vitest";
import { memoryHarness, type MemoryHarness } from "../../support/harness";
import { validApplication } from "../../support/app";
import { submitApplication } from "../../../shared/app/applications/intake";
import { authenticateApplicant, sendNewAccessCode, submitCorrection, viewCaseAsApplicant } from "../../../shared/app/applications/applicant";
import { NotFoundError, TooManyRequestsError } from "../../../shared/app/errors";
import {
  ACCESS_CODE_FAILURES_PER_ADDRESS,
  ACCESS_CODE_FAILURES_PER_NUMBER,
  ACCESS_CODE_WINDOW_SECONDS,
  CORRECTIONS_PER_NUMBER,
  INTAKE_PER_ADDRESS_PER_DAY,
  INTAKE_PER_ADDRESS_PER_HOUR,
  INTAKE_PER_ADDRESS_PER_MINUTE,
  INTAKE_TRUSTED_ADDRESSES_ENV,
  NEW_CODES_PER_ADDRESS,
  addressKey,
  isTrustedIntakeAddress,
  keyPart,
  limits,
  signInDelayAfter,
  takeAttempt,
  waitText,
} from "../../../shared/app/rate-limits";

/** The limits of shared/app/rate-limits.ts on the in-memory ports (the clock stands still until moved: no sleeps). */

const settled = async <T>(p: Promise<T>): Promise<T | Error> => p.catch((e: Error) => e);
const statusOf = (r: unknown) => (r instanceof TooManyRequestsError ? 429 : r instanceof NotFoundError ? 404 : r instanceof Error ? `error ${r.message}` : 200);
const tally = (results: unknown[]) => results.reduce<Record<string, number>>((o, r) => ({ ...o, [String(statusOf(r))]: (o[String(statusOf(r))] ?? 0) + 1 }), {});

afterEach(() => {
  delete process.env[INTAKE_TRUSTED_ADDRESSES_ENV];
});

describe("fixed windows (takeAttempt)", () => {
  it("counts before the attempt runs: 50 racing attempts against a limit of 5 let exactly 5 through, and a refund frees one", async () => {
    // Prepare
    const h = await memoryHarness();
    const limit = { name: "test", windowSeconds: 60, max: 5 };
    // Act
    const results = await Promise.all(Array.from({ length: 50 }, () => settled(takeAttempt(h.deps, [[limit, "x"]], (w) => `请 ${w} 秒后再试`))));
    // Assess
    const taken = results.filter((r) => !(r instanceof Error));
    expect(taken).toHaveLength(5);
    expect(results.filter((r) => r instanceof TooManyRequestsError)).toHaveLength(45);
    // refused attempts leave no count behind
    expect(await h.deps.store.throttle.count("test#x", 60, h.clock.now())).toBe(5);
    await (taken[0] as { refund(): Promise<void> }).refund();
    await (taken[0] as { refund(): Promise<void> }).refund(); // once only
    expect(await h.deps.store.throttle.count("test#x", 60, h.clock.now())).toBe(4);
    expect(await settled(takeAttempt(h.deps, [[limit, "x"]], () => ""))).not.toBeInstanceOf(Error);
  });

  it("answers when the fullest window ends (Retry-After), and a full window refunds the others", async () => {
    const h = await memoryHarness("2026-03-02T01:30:20.000Z");
    const minute = { name: "m", windowSeconds: 60, max: 1 };
    const hour = { name: "h", windowSeconds: 3600, max: 100 };
    await takeAttempt(h.deps, [[minute, "a"], [hour, "a"]], () => "");
    const refused = await settled(takeAttempt(h.deps, [[minute, "a"], [hour, "a"]], (w) => `请 ${waitText(w)}后再试`));
    expect(refused).toBeInstanceOf(TooManyRequestsError);
    expect((refused as TooManyRequestsError).retryAfterSeconds).toBe(40);
    expect((refused as TooManyRequestsError).message).toBe("请 40 秒后再试");
    expect(await h.deps.store.throttle.count("h#a", 3600, h.clock.now())).toBe(1);
    h.clock.advance(40_000);
    expect(await settled(takeAttempt(h.deps, [[minute, "a"], [hour, "a"]], () => ""))).not.toBeInstanceOf(Error);
  });

  it("keys: IPv4 as it is, IPv4-mapped as IPv4, IPv6 by its /64; long values by hash", () => {
    expect(addressKey("198.51.100.7")).toBe("198.51.100.7");
    expect(addressKey("::ffff:198.51.100.7")).toBe("198.51.100.7");
    expect(addressKey("2001:db8:1:2:aaaa::1")).toBe("2001:0db8:0001:0002::/64");
    expect(addressKey("2001:db8:1:2:bbbb:cccc:dddd:eeee")).toBe("2001:0db8:0001:0002::/64");
    expect(addressKey("::1")).toBe("0000:0000:0000:0000::/64");
    expect(addressKey(undefined)).toBe("unknown");
    expect(keyPart("001008010002002-2026-00001")).toBe("001008010002002-2026-00001");
    const long = keyPart("9".repeat(2100));
    expect(long).toMatch(/^sha256:[A-Za-z0-9_-]{43}$/);
    expect(Buffer.byteLength(keyPart("字".repeat(700)))).toBeLessThan(100);
  });

  it("the allow-list of integrations takes addresses and CIDR ranges, IPv4 and IPv6, and skips bad entries", () => {
    const list = "203.0.113.7, 198.51.100.0/24, 2001:db8:42::/48, not-an-address, 10.0.0.0/99";
    expect(isTrustedIntakeAddress("203.0.113.7", list)).toBe(true);
    expect(isTrustedIntakeAddress("203.0.113.8", list)).toBe(false);
    expect(isTrustedIntakeAddress("198.51.100.250", list)).toBe(true);
    expect(isTrustedIntakeAddress("::ffff:198.51.100.9", list)).toBe(true);
    expect(isTrustedIntakeAddress("2001:db8:42:7::1", list)).toBe(true);
    expect(isTrustedIntakeAddress("2001:db8:43::1", list)).toBe(false);
    expect(isTrustedIntakeAddress("10.1.1.1", list)).toBe(false);
    expect(isTrustedIntakeAddress("203.0.113.7", "")).toBe(false);
    expect(isTrustedIntakeAddress(undefined, list)).toBe(false);
  });

  it("the sign-in delay grows from the 5th attempt (15, 30, 60, 120, 240 s) and the 10th holds for the lockout", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(signInDelayAfter)).toEqual([0, 0, 0, 0, 15, 30, 60, 120, 240, 900]);
  });
});

describe("intake per client address", () => {
  const submit = (h: MemoryHarness, clientIp?: string, idempotencyKey?: string) =>
    settled(submitApplication(h.deps, validApplication(), { ...(clientIp ? { clientIp } : {}), ...(idempotencyKey ? { idempotencyKey } : {}) }));

  it("a flood from one address is refused after the per-minute limit (429, Chinese, Retry-After) while another address still files", async () => {
    // Prepare
    const h = await memoryHarness();
    // Act: 50 submissions at once from one address
    const flood = await Promise.all(Array.from({ length: 50 }, () => submit(h, "198.51.100.7")));
    const other = await submit(h, "203.0.113.9");
    // Assess
    expect(tally(flood)).toEqual({ 200: INTAKE_PER_ADDRESS_PER_MINUTE, 429: 50 - INTAKE_PER_ADDRESS_PER_MINUTE });
    const refused = flood.find((r) => r instanceof TooManyRequestsError) as TooManyRequestsError;
    expect(refused.message).toMatch(/^提交申请过于频繁：同一网络地址每分钟最多 30 份、每小时最多 300 份、每天最多 1000 份，请 \d+ (秒|分钟)后再试$/);
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(statusOf(other)).toBe(200);
    // nothing stored for the refused ones, and no tracking number spent on them
    const cases = await h.deps.store.cases.listOpen(validApplication().agencyCode as string);
    expect(cases).toHaveLength(INTAKE_PER_ADDRESS_PER_MINUTE + 1);
    expect(cases.map((c) => c.reference).at(-1)).toMatch(new RegExp(`-${String(INTAKE_PER_ADDRESS_PER_MINUTE + 1).padStart(5, "0")}$`));
  });

  it("holds per hour and per day too; an IPv6 client is one /64", async () => {
    const h = await memoryHarness("2026-03-02T01:00:00.000Z");
    let accepted = 0;
    // one every 6 seconds for two hours: 10 a minute, so only the hour's limit bites
    for (let i = 0; i < 1200; i++) {
      if (statusOf(await submit(h, `2001:db8:5:6::${(i % 200).toString(16)}`)) === 200) accepted++;
      h.clock.advance(6_000);
      if (i === 599) expect(accepted).toBe(INTAKE_PER_ADDRESS_PER_HOUR);
    }
    expect(accepted).toBe(2 * INTAKE_PER_ADDRESS_PER_HOUR);
    expect(INTAKE_PER_ADDRESS_PER_DAY).toBeGreaterThan(2 * INTAKE_PER_ADDRESS_PER_HOUR);
  }, 60_000);

  it("an agency's integration on the allow-list is not limited; a replay of an Idempotency-Key is not counted; tools (no address) are not limited", async () => {
    const h = await memoryHarness();
    process.env[INTAKE_TRUSTED_ADDRESSES_ENV] = "192.0.2.0/28";
    const trusted = await Promise.all(Array.from({ length: 30 }, () => submit(h, "192.0.2.5")));
    expect(tally(trusted)).toEqual({ 200: 30 });
    // the same request repeated with its key: one case, and the address still has room
    const replays = [];
    for (let i = 0; i < 20; i++) replays.push(await submit(h, "198.51.100.20", "same-key-1234567"));
    expect(tally(replays)).toEqual({ 200: 20 });
    expect(new Set(replays.map((r) => (r as { trackingNumber: string }).trackingNumber)).size).toBe(1);
    expect(statusOf(await submit(h, "198.51.100.20"))).toBe(200);
    const tools = await Promise.all(Array.from({ length: 15 }, () => submit(h)));
    expect(tally(tools)).toEqual({ 200: 15 });
  });

  it("an invalid application is not counted (nothing would be stored)", async () => {
    const h = await memoryHarness();
    for (let i = 0; i < 20; i++) await settled(submitApplication(h.deps, { name: "x" }, { clientIp: "198.51.100.30" }));
    expect(statusOf(await submit(h, "198.51.100.30"))).toBe(200);
  });
});

describe("access codes per tracking number and per address", () => {
  it("500 wrong codes for one number from one address: 5 answered (404), 495 refused (429), and the right code works once the window ends", async () => {
    // Prepare
    const h = await memoryHarness();
    const s = await submitApplication(h.deps, validApplication());
    // Act
    const results = [];
    for (let i = 0; i < 500; i++) results.push(await settled(viewCaseAsApplicant(h.deps, s.trackingNumber, `WRONG${String(i).padStart(5, "0")}`, "198.51.100.7")));
    const during = await settled(viewCaseAsApplicant(h.deps, s.trackingNumber, s.accessCode, "198.51.100.7"));
    h.clock.advance(ACCESS_CODE_WINDOW_SECONDS * 1000);
    const after = await settled(viewCaseAsApplicant(h.deps, s.trackingNumber, s.accessCode, "198.51.100.7"));
    // Assess
    expect(tally(results)).toEqual({ 404: ACCESS_CODE_FAILURES_PER_NUMBER, 429: 500 - ACCESS_CODE_FAILURES_PER_NUMBER });
    expect(results.findIndex((r) => r instanceof TooManyRequestsError)).toBe(ACCESS_CODE_FAILURES_PER_NUMBER);
    expect(statusOf(during)).toBe(429);
    expect(statusOf(after)).toBe(200);
  });

  it("racing guesses cannot overshoot: 100 at once, at most 5 checked", async () => {
    const h = await memoryHarness();
    const s = await submitApplication(h.deps, validApplication());
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => settled(authenticateApplicant(h.deps, s.trackingNumber, `RACE${i}`, "198.51.100.7"))));
    expect(tally(results)).toEqual({ 404: 5, 429: 95 });
  });

  it("an unknown number behaves exactly like a wrong code: the same errors in the same order, the same messages", async () => {
    const h = await memoryHarness();
    const s = await submitApplication(h.deps, validApplication());
    const unknown = s.trackingNumber.replace(/-00001$/, "-00099");
    const seq = async (n: string, ip: string) => {
      const out = [];
      for (let i = 0; i < 8; i++) {
        const r = await settled(viewCaseAsApplicant(h.deps, n, "WRONGCODE2", ip));
        out.push(`${statusOf(r)} ${(r as Error).message} ${(r as TooManyRequestsError).retryAfterSeconds ?? ""}`);
      }
      return out;
    };
    const known = await seq(s.trackingNumber, "198.51.100.1");
    const none = await seq(unknown, "198.51.100.2");
    expect(none).toEqual(known);
    // and a number of no possible shape (too long for a key) is answered alike, not a 500
    const huge = await settled(viewCaseAsApplicant(h.deps, "9".repeat(2100), "WRONGCODE2", "198.51.100.3"));
    expect(statusOf(huge)).toBe(404);
    expect((huge as Error).message).toBe((known[0] ?? "").split(" ")[1]);
  });

  it("one address guessing across numbers is stopped at 30 wrong codes; a right code does not count", async () => {
    const h = await memoryHarness();
    const s = await submitApplication(h.deps, validApplication());
    for (let i = 0; i < 40; i++) expect(statusOf(await settled(viewCaseAsApplicant(h.deps, s.trackingNumber, s.accessCode, "198.51.100.40")))).toBe(200);
    const results = [];
    for (let i = 0; i < 60; i++) results.push(await settled(viewCaseAsApplicant(h.deps, `001008010002002-2026-${String(100 + i).padStart(5, "0")}`, "WRONGCODE2", "198.51.100.40")));
    expect(tally(results)).toEqual({ 404: ACCESS_CODE_FAILURES_PER_ADDRESS, 429: 60 - ACCESS_CODE_FAILURES_PER_ADDRESS });
    // another address is not affected
    expect(statusOf(await settled(viewCaseAsApplicant(h.deps, s.trackingNumber, s.accessCode, "198.51.100.41")))).toBe(200);
  });

  it("online corrections with the right code are limited per number; lost-code requests per address", async () => {
    const h = await memoryHarness();
    const s = await submitApplication(h.deps, validApplication());
    // no correction notice is open: each attempt is a 409, and each counts
    const corrections = [];
    for (let i = 0; i < CORRECTIONS_PER_NUMBER + 3; i++) corrections.push(await settled(submitCorrection(h.deps, s.trackingNumber, s.accessCode, "198.51.100.50", { note: "补正" })));
    expect(corrections.slice(0, CORRECTIONS_PER_NUMBER).every((r) => r instanceof Error && !(r instanceof TooManyRequestsError))).toBe(true);
    expect(corrections.slice(CORRECTIONS_PER_NUMBER).every((r) => r instanceof TooManyRequestsError)).toBe(true);
    expect((corrections.at(-1) as Error).message).toMatch(/^补正提交过于频繁，请 \d+ (秒|分钟)后再试$/);
    expect(limits.correctionPerNumber.max).toBe(CORRECTIONS_PER_NUMBER);

    const asked = [];
    for (let i = 0; i < NEW_CODES_PER_ADDRESS + 2; i++) asked.push(await settled(sendNewAccessCode(h.deps, `001008010002002-2026-${String(200 + i).padStart(5, "0")}`, "198.51.100.60")));
    expect(tally(asked)).toEqual({ 200: NEW_CODES_PER_ADDRESS, 429: 2 });
  });
});
