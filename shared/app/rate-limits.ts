/**
 * Every limit on floods and guessing, in one place (issue 7 item 3). The counters live in
 * the store's Throttle port — DynamoDB on AWS — so a limit holds across every Lambda
 * instance and the local host alike; API Gateway's stage throttling is per route, not per
 * client, and stays only as a coarse ceiling.
 *
 * Two kinds of limit:
 * - fixed windows per key (`takeAttempt`): an attempt is counted BEFORE it runs, with one
 *   atomic ADD, and refused when that makes the window's count pass the limit — so racing
 *   requests can never overshoot it — and given back (`refund`) when it should not count:
 *   a right access code, a successful sign-in, a refused attempt;
 * - a growing delay then a lockout per sign-in target (`startSignIn`): strikes kept on one
 *   versioned record, each attempt taking the next strike by a conditional write.
 *
 * A client address is its IPv4 address or its IPv6 /64 (one subscriber's whole prefix).
 * Every refusal is a TooManyRequestsError: 429, a Chinese message and Retry-After.
 */
import { createHash } from "node:crypto";
import { BlockList, isIPv4, isIPv6 } from "node:net";
import type { AppDeps } from "./deps";
import { ConcurrentChangeError, TooManyRequestsError } from "./errors";
import type { SecurityEvent, Strikes, Write } from "./ports/store";
import { currentEnv } from "../adapters/runtime-env";
import { logger } from "../adapters/logger";
import { newId } from "../domain/ids";
import { formatShanghaiTime } from "../domain/calendar";

// ---- the numbers ---------------------------------------------------------------------

/**
 * Online applications (`submitApplication`) per client address. A person fills the form in
 * minutes and a district agency receives a few hundred applications a year; the flood seen
 * was 2,991 in five minutes from one client. An office's own scripts and an integration's
 * tests file a few dozen in a burst, so the minute allows that much. Counted once the
 * application is valid, before anything is stored; a replay of an Idempotency-Key is not
 * counted.
 */
export const INTAKE_PER_ADDRESS_PER_MINUTE = 30;
export const INTAKE_PER_ADDRESS_PER_HOUR = 300;
export const INTAKE_PER_ADDRESS_PER_DAY = 1000;
/**
 * An agency's own portal forwarding many citizens' applications from one address is put on
 * this allow-list (comma-separated addresses or CIDR ranges, IPv4 or IPv6) and is then not
 * limited per address: its own front end limits its users. Read from the function's
 * environment (`currentEnv()`, i.e. Lambda's; locally the function's scope).
 */
export const INTAKE_TRUSTED_ADDRESSES_ENV = "GONGKAI_INTAKE_TRUSTED_ADDRESSES";

/** Wrong access codes (tracking lookups, letters, the online correction): per tracking number and per client address. */
export const ACCESS_CODE_WINDOW_SECONDS = 15 * 60;
export const ACCESS_CODE_FAILURES_PER_NUMBER = 5;
export const ACCESS_CODE_FAILURES_PER_ADDRESS = 30;

/** Online corrections sent with the right code (each one re-validates the whole application). */
export const CORRECTION_WINDOW_SECONDS = 3600;
export const CORRECTIONS_PER_NUMBER = 10;
export const CORRECTIONS_PER_ADDRESS = 30;

/** New access codes by email: per tracking number (answered the same either way) and per client address. */
export const NEW_CODE_WINDOW_SECONDS = 24 * 3600;
export const NEW_CODES_PER_NUMBER = 3;
export const NEW_CODE_ADDRESS_WINDOW_SECONDS = 3600;
export const NEW_CODES_PER_ADDRESS = 10;

/**
 * Sign-in per user (agency + username, whether or not it exists): the first
 * SIGN_IN_FREE_ATTEMPTS attempts run at once; from then on each attempt waits
 * SIGN_IN_FIRST_DELAY_SECONDS after the previous one, doubling (15, 30, 60, 120, 240 s);
 * the SIGN_IN_LOCKOUT_AFTER-th failure locks the user for SIGN_IN_LOCKOUT_SECONDS, and the
 * lockout and its end are security events. A success clears the strikes; strikes are
 * forgotten after SIGN_IN_STRIKES_FORGOTTEN_SECONDS without an attempt.
 */
export const SIGN_IN_FREE_ATTEMPTS = 5;
export const SIGN_IN_FIRST_DELAY_SECONDS = 15;
export const SIGN_IN_LOCKOUT_AFTER = 10;
export const SIGN_IN_LOCKOUT_SECONDS = 15 * 60;
export const SIGN_IN_STRIKES_FORGOTTEN_SECONDS = 15 * 60;
/** Failed sign-ins from one client address, across users (password spraying). */
export const SIGN_IN_ADDRESS_WINDOW_SECONDS = 15 * 60;
export const SIGN_IN_FAILURES_PER_ADDRESS = 30;

// ---- keys ------------------------------------------------------------------------------

/** A key part of bounded size: short values as they are, long ones (a 2,100-character tracking number) by hash. */
export function keyPart(value: string): string {
  return value.length <= 128 ? value : `sha256:${createHash("sha256").update(value).digest("base64url")}`;
}

function expandIPv6(address: string): string[] | undefined {
  let a = address.split("%")[0]!.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(a)?.[1];
  if (v4) {
    const [b0, b1, b2, b3] = v4.split(".").map(Number) as [number, number, number, number];
    a = a.slice(0, -v4.length) + `${((b0 << 8) | b1).toString(16)}:${((b2 << 8) | b3).toString(16)}`;
  }
  const [head, tail] = a.split("::");
  const left = head ? head.split(":") : [];
  const right = tail !== undefined && tail ? tail.split(":") : [];
  const fill = a.includes("::") ? 8 - left.length - right.length : 0;
  const groups = [...left, ...Array<string>(Math.max(0, fill)).fill("0"), ...right];
  return groups.length === 8 ? groups.map((g) => g.padStart(4, "0")) : undefined;
}

/** The client address a per-address limit counts: IPv4 as it is (also when IPv4-mapped), IPv6 by its /64. */
export function addressKey(ip: string | undefined): string {
  const raw = (ip ?? "").trim();
  const mapped = raw.replace(/^::ffff:/i, "");
  if (isIPv4(mapped)) return mapped;
  if (isIPv6(raw)) {
    const groups = expandIPv6(raw);
    if (groups) return `${groups.slice(0, 4).join(":")}::/64`;
  }
  return keyPart(raw || "unknown");
}

// ---- the allow-list of integrations -------------------------------------------------

const parsedLists = new Map<string, BlockList>();

/** Parses `GONGKAI_INTAKE_TRUSTED_ADDRESSES`: `203.0.113.7, 198.51.100.0/24, 2001:db8::/48`; bad entries are skipped (and logged). */
export function parseAddressList(text: string): BlockList {
  const cached = parsedLists.get(text);
  if (cached) return cached;
  const list = new BlockList();
  for (const entry of text.split(",").map((e) => e.trim()).filter(Boolean)) {
    const [address = "", prefix] = entry.split("/");
    const type = isIPv4(address) ? "ipv4" : isIPv6(address) ? "ipv6" : undefined;
    const bits = prefix === undefined ? undefined : Number(prefix);
    if (!type || (bits !== undefined && !(Number.isInteger(bits) && bits >= 0 && bits <= (type === "ipv4" ? 32 : 128)))) {
      logger.warn("ignored an invalid entry of the trusted intake addresses", { variable: INTAKE_TRUSTED_ADDRESSES_ENV });
      continue;
    }
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, bits, type);
  }
  parsedLists.set(text, list);
  return list;
}

/** True when the address is on the function's allow-list of agency integrations. */
export function isTrustedIntakeAddress(ip: string | undefined, listText = currentEnv()[INTAKE_TRUSTED_ADDRESSES_ENV] ?? ""): boolean {
  if (!ip || !listText.trim()) return false;
  const mapped = ip.trim().replace(/^::ffff:/i, "");
  const list = parseAddressList(listText);
  if (isIPv4(mapped)) return list.check(mapped, "ipv4");
  return isIPv6(ip) && list.check(ip.split("%")[0]!, "ipv6");
}

// ---- fixed windows -------------------------------------------------------------------

export interface WindowLimit {
  /** the key prefix, e.g. `intake#min` */
  name: string;
  windowSeconds: number;
  max: number;
}

export const limits = {
  intakePerMinute: { name: "intake#ip#min", windowSeconds: 60, max: INTAKE_PER_ADDRESS_PER_MINUTE },
  intakePerHour: { name: "intake#ip#hour", windowSeconds: 3600, max: INTAKE_PER_ADDRESS_PER_HOUR },
  intakePerDay: { name: "intake#ip#day", windowSeconds: 24 * 3600, max: INTAKE_PER_ADDRESS_PER_DAY },
  accessCodePerNumber: { name: "code#tn", windowSeconds: ACCESS_CODE_WINDOW_SECONDS, max: ACCESS_CODE_FAILURES_PER_NUMBER },
  accessCodePerAddress: { name: "code#ip", windowSeconds: ACCESS_CODE_WINDOW_SECONDS, max: ACCESS_CODE_FAILURES_PER_ADDRESS },
  correctionPerNumber: { name: "correction#tn", windowSeconds: CORRECTION_WINDOW_SECONDS, max: CORRECTIONS_PER_NUMBER },
  correctionPerAddress: { name: "correction#ip", windowSeconds: CORRECTION_WINDOW_SECONDS, max: CORRECTIONS_PER_ADDRESS },
  newCodePerNumber: { name: "newcode", windowSeconds: NEW_CODE_WINDOW_SECONDS, max: NEW_CODES_PER_NUMBER },
  newCodePerAddress: { name: "newcode#ip", windowSeconds: NEW_CODE_ADDRESS_WINDOW_SECONDS, max: NEW_CODES_PER_ADDRESS },
  signInPerAddress: { name: "login#ip", windowSeconds: SIGN_IN_ADDRESS_WINDOW_SECONDS, max: SIGN_IN_FAILURES_PER_ADDRESS },
} as const satisfies Record<string, WindowLimit>;

/** Seconds until the window containing `now` ends (at least 1). */
export function windowSecondsLeft(windowSeconds: number, now: Date): number {
  return Math.max(1, windowSeconds - (Math.floor(now.getTime() / 1000) % windowSeconds));
}

/** `N 秒` under a minute, else `N 分钟` (rounded up). */
export function waitText(seconds: number): string {
  return seconds < 60 ? `${Math.max(1, Math.ceil(seconds))} 秒` : `${Math.ceil(seconds / 60)} 分钟`;
}

/** An attempt counted against its limits; `refund` gives it back once (when it should not count). */
export interface TakenAttempt {
  refund(): Promise<void>;
}

const NOTHING_TAKEN: TakenAttempt = { refund: async () => undefined };

/**
 * Counts one attempt against each `[limit, subject]`; when any of them is then over its
 * limit, every count is given back and the attempt is refused with `message(wait)`, the
 * wait being the end of the latest window that is full.
 */
export async function takeAttempt(
  deps: Pick<AppDeps, "store" | "clock">,
  checks: Array<[WindowLimit, string]>,
  message: (wait: number) => string,
): Promise<TakenAttempt> {
  if (checks.length === 0) return NOTHING_TAKEN;
  const at = deps.clock.now();
  const keys = checks.map(([limit, subject]) => `${limit.name}#${keyPart(subject)}`);
  const counts = await Promise.all(checks.map(([limit], i) => deps.store.throttle.add(keys[i]!, limit.windowSeconds, at)));
  let refunded = false;
  const refund = async () => {
    if (refunded) return;
    refunded = true;
    await Promise.all(checks.map(([limit], i) => deps.store.throttle.add(keys[i]!, limit.windowSeconds, at, -1)));
  };
  const full = checks.filter(([limit], i) => counts[i]! > limit.max);
  if (full.length > 0) {
    await refund();
    const wait = Math.max(...full.map(([limit]) => windowSecondsLeft(limit.windowSeconds, at)));
    throw new TooManyRequestsError(message(wait), wait);
  }
  return { refund };
}

// ---- the limits of each use case ------------------------------------------------------

/** An online application from `clientIp` (undefined: not from the public edge, e.g. tests and tools). */
export async function takeIntake(deps: Pick<AppDeps, "store" | "clock">, clientIp: string | undefined): Promise<TakenAttempt> {
  if (clientIp === undefined || isTrustedIntakeAddress(clientIp)) return NOTHING_TAKEN;
  const address = addressKey(clientIp);
  return takeAttempt(
    deps,
    [
      [limits.intakePerMinute, address],
      [limits.intakePerHour, address],
      [limits.intakePerDay, address],
    ],
    (wait) => `提交申请过于频繁：同一网络地址每分钟最多 ${INTAKE_PER_ADDRESS_PER_MINUTE} 份、每小时最多 ${INTAKE_PER_ADDRESS_PER_HOUR} 份、每天最多 ${INTAKE_PER_ADDRESS_PER_DAY} 份，请 ${waitText(wait)}后再试`,
  );
}

/** One access-code check (lookup, letter, correction): a right code gives it back. */
export async function takeAccessCodeAttempt(deps: Pick<AppDeps, "store" | "clock">, trackingNumber: string, clientIp: string): Promise<TakenAttempt> {
  return takeAttempt(
    deps,
    [
      [limits.accessCodePerNumber, trackingNumber],
      [limits.accessCodePerAddress, addressKey(clientIp)],
    ],
    // minutes, as the tracking page has always said it
    (wait) => `查询码错误次数过多，请 ${Math.ceil(wait / 60)} 分钟后再试`,
  );
}

/** One online correction with the right code. */
export async function takeCorrection(deps: Pick<AppDeps, "store" | "clock">, trackingNumber: string, clientIp: string): Promise<TakenAttempt> {
  return takeAttempt(
    deps,
    [
      [limits.correctionPerNumber, trackingNumber],
      [limits.correctionPerAddress, addressKey(clientIp)],
    ],
    (wait) => `补正提交过于频繁，请 ${waitText(wait)}后再试`,
  );
}

/** A new access code by email, per client address (the per-number limit answers silently, see sendNewAccessCode). */
export async function takeNewCodeRequest(deps: Pick<AppDeps, "store" | "clock">, clientIp: string | undefined): Promise<TakenAttempt> {
  if (clientIp === undefined) return NOTHING_TAKEN;
  return takeAttempt(deps, [[limits.newCodePerAddress, addressKey(clientIp)]], (wait) => `申请新查询码过于频繁，请 ${waitText(wait)}后再试`);
}

/** True (and counted) while the tracking number may still get a new code today. */
export async function mayMailNewCode(deps: Pick<AppDeps, "store" | "clock">, trackingNumber: string): Promise<boolean> {
  try {
    await takeAttempt(deps, [[limits.newCodePerNumber, trackingNumber]], () => "");
    return true;
  } catch (error) {
    if (error instanceof TooManyRequestsError) return false;
    throw error;
  }
}

// ---- sign-in: a growing delay, then a lockout -------------------------------------------

/** The wait after the n-th attempt before the next one may come (seconds). */
export function signInDelayAfter(n: number): number {
  if (n < SIGN_IN_FREE_ATTEMPTS) return 0;
  if (n < SIGN_IN_LOCKOUT_AFTER) return SIGN_IN_FIRST_DELAY_SECONDS * 2 ** (n - SIGN_IN_FREE_ATTEMPTS);
  // the last attempt before the lockout: held until it is decided
  return SIGN_IN_LOCKOUT_SECONDS;
}

export interface SignInAttempt {
  /** the credential was right: the strikes are cleared and the address's count given back */
  succeeded(): Promise<void>;
  /** the credential was wrong: the strike stands; the last one locks the user (audited) */
  failed(): Promise<void>;
}

/** One user of one agency (each part escaped, so no agency and username pair reads as another). */
const strikesKeyOf = (agencyCode: string, username: string) => `login#user#${keyPart(encodeURIComponent(agencyCode))}#${keyPart(encodeURIComponent(username))}`;

async function securityPartition(deps: Pick<AppDeps, "store">, agencyCode: string): Promise<string> {
  return (await deps.store.directory.agency(agencyCode)) ? agencyCode : "-";
}

function securityEvent(agencyCode: string, at: Date, type: SecurityEvent["type"], username: string, clientIp: string, summary: string, data: Record<string, unknown>): SecurityEvent {
  return { agencyCode, at: at.toISOString(), eventId: newId(at), type, username, clientIp, summary, data };
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Starts one sign-in attempt for `agencyCode`/`username` from `clientIp`, before the
 * password is checked: refused (429) while the address has too many failures, while the
 * user must wait, or while the user is locked. The caller reports how it went.
 */
export async function startSignIn(
  deps: Pick<AppDeps, "store" | "clock">,
  target: { agencyCode: string; username: string },
  clientIp: string,
): Promise<SignInAttempt> {
  const byAddress = await takeAttempt(deps, [[limits.signInPerAddress, addressKey(clientIp)]], (wait) => `该网络地址登录失败次数过多，请 ${waitText(wait)}后再试`);
  try {
    const strike = await takeStrike(deps, target, clientIp);
    return {
      succeeded: async () => {
        await byAddress.refund();
        await clearStrikes(deps, strike);
      },
      failed: async () => {
        if (strike.count >= SIGN_IN_LOCKOUT_AFTER) await lock(deps, target, clientIp, strike);
      },
    };
  } catch (error) {
    await byAddress.refund();
    throw error;
  }
}

interface TakenStrike {
  key: string;
  count: number;
  version: number;
  at: Date;
}

async function takeStrike(deps: Pick<AppDeps, "store" | "clock">, target: { agencyCode: string; username: string }, clientIp: string): Promise<TakenStrike> {
  const key = strikesKeyOf(target.agencyCode, target.username);
  for (let round = 0; round < 3; round++) {
    const at = deps.clock.now();
    const t = at.getTime();
    const { strikes, version } = await deps.store.throttle.strikes(key);
    const writes: Write[] = [];
    let count = strikes && t < strikes.expiresAt * 1000 ? strikes.count : 0;
    if (strikes?.lockedUntil !== undefined) {
      if (t < strikes.lockedUntil) {
        const wait = Math.ceil((strikes.lockedUntil - t) / 1000);
        throw new TooManyRequestsError(`登录失败次数过多，该账户已临时锁定，请 ${waitText(wait)}后再试`, wait);
      }
      // the lockout is over: its end goes on record with the attempt that finds it over, and the count starts afresh
      count = 0;
      writes.push({
        kind: "security",
        event: securityEvent(
          await securityPartition(deps, target.agencyCode),
          at,
          "signin.lockout_ended",
          target.username,
          clientIp,
          `账户 ${target.username} 的登录锁定已于 ${formatShanghaiTime(iso(strikes.lockedUntil))}（北京时间）到期解除`,
          { lockedFrom: strikes.lockedFrom === undefined ? null : iso(strikes.lockedFrom), lockedUntil: iso(strikes.lockedUntil) },
        ),
      });
    } else if (count > 0 && t < strikes!.notBefore) {
      const wait = Math.ceil((strikes!.notBefore - t) / 1000);
      throw new TooManyRequestsError(`登录失败次数过多，请 ${waitText(wait)}后再试`, wait);
    }
    const n = count + 1;
    const notBefore = t + signInDelayAfter(n) * 1000;
    const next: Strikes = { count: n, notBefore, expiresAt: Math.ceil(notBefore / 1000) + SIGN_IN_STRIKES_FORGOTTEN_SECONDS };
    try {
      await deps.store.commit([{ kind: "strikes", key, strikes: next, expectedVersion: version }, ...writes]);
      return { key, count: n, version: version + 1, at };
    } catch (error) {
      // another attempt on the same user took this strike first: look again
      if (!(error instanceof ConcurrentChangeError)) throw error;
    }
  }
  throw new TooManyRequestsError("登录尝试过于频繁，请 1 秒后再试", 1);
}

async function clearStrikes(deps: Pick<AppDeps, "store" | "clock">, strike: TakenStrike): Promise<void> {
  const t = deps.clock.now().getTime();
  try {
    await deps.store.commit([{ kind: "strikes", key: strike.key, strikes: { count: 0, notBefore: 0, expiresAt: Math.ceil(t / 1000) }, expectedVersion: strike.version }]);
  } catch (error) {
    // a later attempt already took the next strike: it decides
    if (!(error instanceof ConcurrentChangeError)) throw error;
  }
}

async function lock(deps: Pick<AppDeps, "store" | "clock">, target: { agencyCode: string; username: string }, clientIp: string, strike: TakenStrike): Promise<void> {
  const from = strike.at.getTime();
  const until = from + SIGN_IN_LOCKOUT_SECONDS * 1000;
  const agency = await securityPartition(deps, target.agencyCode);
  const event = securityEvent(agency, strike.at, "signin.locked", target.username, clientIp, `账户 ${target.username} 连续 ${strike.count} 次登录失败，临时锁定至 ${formatShanghaiTime(iso(until))}（北京时间）`, {
    failures: strike.count,
    lockedUntil: iso(until),
  });
  // the lockout and its record are one write; its record is kept a week past its end, for the end's own record
  const strikes: Strikes = { count: strike.count, notBefore: until, lockedFrom: from, lockedUntil: until, expiresAt: Math.ceil(until / 1000) + 7 * 24 * 3600 };
  try {
    await deps.store.commit([{ kind: "strikes", key: strike.key, strikes, expectedVersion: strike.version }, { kind: "security", event }]);
    logger.warn("sign-in locked", { agencyCode: agency, eventId: event.eventId });
  } catch (error) {
    if (!(error instanceof ConcurrentChangeError)) throw error;
  }
}
