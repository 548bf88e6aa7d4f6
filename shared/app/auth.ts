import { createHash, randomBytes } from "node:crypto";
import type { AppDeps } from "./deps";
import { ConflictError, UnauthorizedError } from "./errors";
import { DUMMY_HASH, verifyPassword } from "./passwords";
import { startSignIn } from "./rate-limits";
import { securityWrite } from "./accounts/audit";
import { changeUser } from "./accounts/change-user";
import type { Role } from "../domain/roles";
import type { AgencyRecord, SessionRecord, UserRecord } from "../domain/records";
import { needsTotp, passwordChangeReason, securityOf } from "../domain/accounts/security";
import { matchTotp } from "../domain/accounts/totp";

/** A session ends 12 hours after sign-in at the latest, and earlier after the agency's idle time. */
const SESSION_HOURS = 12;
/** lastSeenAt is written at most this often (one write a minute per session, not one per request) */
const SEEN_REFRESH_MS = 60_000;

export interface StaffPrincipal {
  agencyCode: string;
  agencyName: string;
  username: string;
  displayName: string;
  roles: Role[];
  csrfToken: string;
  tokenHash: string;
  /** the password must be changed before anything else: set by an administrator, or expired */
  mustChangePassword?: "initial" | "expired";
  /** the agency asks a second factor of the user's roles and none is enrolled yet */
  mustEnrolTotp?: boolean;
}

function principalOf(user: UserRecord, agency: AgencyRecord | undefined, session: Pick<SessionRecord, "csrfToken" | "tokenHash">, now: Date): StaffPrincipal {
  const security = securityOf(agency);
  const change = passwordChangeReason(user, security, now);
  return {
    agencyCode: user.agencyCode,
    agencyName: agency?.name ?? user.agencyCode,
    username: user.username,
    displayName: user.displayName,
    roles: user.roles,
    csrfToken: session.csrfToken,
    tokenHash: session.tokenHash,
    ...(change ? { mustChangePassword: change } : {}),
    ...(needsTotp(user, security) && !user.totpEnabled ? { mustEnrolTotp: true } : {}),
  };
}

export class TotpRequiredError extends UnauthorizedError {
  constructor(message = "请填写验证器应用显示的 6 位动态验证码") {
    super(message, "TOTP_REQUIRED");
  }
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export interface SignedIn {
  token: string;
  principal: StaffPrincipal;
  /** SPEC §7.4: the password must be changed before any other call (403 PASSWORD_CHANGE_REQUIRED) */
  mustChangePassword: boolean;
  /** a second factor must be enrolled before any other call (403 TOTP_ENROLMENT_REQUIRED) */
  mustEnrolTotp: boolean;
}

/**
 * Same answer (401) for unknown agency, unknown user, disabled user or wrong password.
 * Guessing is slowed per user and per client address (shared/app/rate-limits.ts): after a
 * few failures each attempt waits longer, then the user is locked for a while (429 with
 * Retry-After, the right password included), and the lockout and its end are audited.
 * When the agency asks a second factor of the user's roles and the user has enrolled one,
 * the right password alone answers 401 TOTP_REQUIRED and a wrong code counts as a failure.
 * Every success and failure goes on the agency's security trail.
 */
export async function signIn(
  deps: Pick<AppDeps, "store" | "clock">,
  credentials: { agencyCode: string; username: string; password: string; totp?: string | undefined },
  clientIp = "unknown",
): Promise<SignedIn> {
  const attempt = await startSignIn(deps, credentials, clientIp);
  const user = await deps.store.directory.user(credentials.agencyCode, credentials.username);
  const ok = await verifyPassword(credentials.password, user?.passwordHash ?? DUMMY_HASH);
  const agency = await deps.store.directory.agency(credentials.agencyCode);
  const record = (type: "signin.failed" | "signin.totp_failed" | "signin.succeeded", summary: string, data?: Record<string, unknown>) =>
    securityWrite({ agencyCode: agency ? agency.code : "-", at: deps.clock.now(), type, username: credentials.username, clientIp, summary, ...(data ? { data } : {}) });
  if (!user || !ok || user.disabled) {
    await attempt.failed();
    const why = !user ? "unknown_user" : !ok ? "wrong_password" : "disabled";
    await deps.store.commit([record("signin.failed", `账户 ${credentials.username} 登录失败（${{ unknown_user: "无此用户", wrong_password: "密码错误", disabled: "账户已停用" }[why]}）`, { reason: why })]);
    throw new UnauthorizedError("机关、用户名或密码不正确");
  }
  const security = securityOf(agency);
  let totpStep: number | undefined;
  if (needsTotp(user, security) && user.totpEnabled && user.totpSecret) {
    // the password was right: no code yet is the first half of a two-step sign-in, not a failure
    if (!credentials.totp) throw new TotpRequiredError();
    totpStep = matchTotp(user.totpSecret, credentials.totp, deps.clock.now());
    if (totpStep === undefined || totpStep <= (user.totpLastStep ?? -1)) {
      await attempt.failed();
      await deps.store.commit([record("signin.totp_failed", `账户 ${user.username} 登录时动态验证码错误`)]);
      throw new TotpRequiredError("动态验证码不正确或已使用，请输入验证器应用当前显示的验证码");
    }
  }
  await attempt.succeeded();
  const now = deps.clock.now();
  try {
    await changeUser(deps, user.agencyCode, user.username, (u) => ({
      user: { ...u, lastSignInAt: now.toISOString(), ...(totpStep !== undefined ? { totpLastStep: totpStep } : {}) },
      writes: [record("signin.succeeded", `${u.displayName}（${u.username}）登录成功`, totpStep !== undefined ? { secondFactor: "totp" } : undefined)],
    }));
  } catch (error) {
    // the record of a sign-in is not worth refusing the sign-in for (e.g. a burst of them racing)
    if (!(error instanceof ConflictError && error.code === "CONCURRENT_CHANGE")) throw error;
  }
  const token = randomBytes(32).toString("base64url");
  // a session is always issued after the user's tokensValidAfter (a clock that stands still in tests included)
  const validAfter = user.tokensValidAfter ? Date.parse(user.tokensValidAfter) : NaN;
  const createdAt = new Date(Number.isNaN(validAfter) ? now.getTime() : Math.max(now.getTime(), validAfter + 1));
  const session = {
    tokenHash: hashToken(token),
    agencyCode: user.agencyCode,
    username: user.username,
    csrfToken: randomBytes(24).toString("base64url"),
    createdAt: createdAt.toISOString(),
    lastSeenAt: now.toISOString(),
    expiresAt: Math.floor(now.getTime() / 1000) + SESSION_HOURS * 3600,
  };
  await deps.store.sessions.put(session);
  const principal = principalOf(user, agency, session, now);
  return { token, principal, mustChangePassword: principal.mustChangePassword !== undefined, mustEnrolTotp: principal.mustEnrolTotp === true };
}

/** A session made before the user's tokensValidAfter (i.e. before they were last disabled) is void for good. */
function revoked(session: SessionRecord, user: UserRecord): boolean {
  if (!user.tokensValidAfter) return false;
  const created = Date.parse(session.createdAt);
  return Number.isNaN(created) || created <= Date.parse(user.tokensValidAfter);
}

/**
 * A disabled user's record: tokens stop at once and for good (`tokensValidAfter` moves to
 * now, so enabling the user again revives none of them). The admin API's
 * `PATCH /api/v1/admin/users/{username}` `{"disabled"}` (shared/app/accounts/staff.ts) uses it.
 */
export function withDisabled(user: UserRecord, disabled: boolean, now: Date): UserRecord {
  const next: UserRecord = { ...user, disabled };
  if (disabled) next.tokensValidAfter = now.toISOString();
  return next;
}

/** Disables or enables a staff account, without an actor (tools and tests); the admin API records who did it. */
export async function setUserDisabled(deps: Pick<AppDeps, "store" | "clock">, agencyCode: string, username: string, disabled: boolean): Promise<UserRecord | undefined> {
  if (!(await deps.store.directory.user(agencyCode, username))) return undefined;
  return changeUser(deps, agencyCode, username, (u) => ({ user: withDisabled(u, disabled, deps.clock.now()) }));
}

/**
 * The staff member behind a session token, or undefined when it is unknown, expired (12
 * hours after sign-in), idle longer than the agency allows, or its user is disabled.
 */
export async function authenticate(
  deps: Pick<AppDeps, "store" | "clock">,
  token: string | undefined,
): Promise<StaffPrincipal | undefined> {
  if (!token) return undefined;
  const session = await deps.store.sessions.get(hashToken(token));
  const now = deps.clock.now();
  // TTL deletion is lazy (and never happens locally): check expiry ourselves
  if (!session || session.expiresAt * 1000 <= now.getTime()) return undefined;
  const user = await deps.store.directory.user(session.agencyCode, session.username);
  if (!user || user.disabled || revoked(session, user)) return undefined;
  const agency = await deps.store.directory.agency(user.agencyCode);
  const seen = Date.parse(session.lastSeenAt ?? session.createdAt);
  if (!Number.isNaN(seen) && now.getTime() - seen >= securityOf(agency).sessionIdleMinutes * 60_000) {
    await deps.store.sessions.delete(session.tokenHash);
    return undefined;
  }
  if (Number.isNaN(seen) || now.getTime() - seen >= SEEN_REFRESH_MS) await deps.store.sessions.touch(session.tokenHash, now.toISOString());
  return principalOf(user, agency, session, now);
}

export async function signOut(deps: Pick<AppDeps, "store">, principal: StaffPrincipal): Promise<void> {
  await deps.store.sessions.delete(principal.tokenHash);
}
