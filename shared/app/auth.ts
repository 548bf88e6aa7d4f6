import { createHash, randomBytes } from "node:crypto";
import type { AppDeps } from "./deps";
import { TooManyRequestsError, UnauthorizedError } from "./errors";
import { DUMMY_HASH, verifyPassword } from "./passwords";
import type { Role } from "../domain/roles";
import type { AgencyRecord, SessionRecord, UserRecord } from "../domain/records";

const SESSION_HOURS = 12;

export interface StaffPrincipal {
  agencyCode: string;
  agencyName: string;
  username: string;
  displayName: string;
  roles: Role[];
  csrfToken: string;
  tokenHash: string;
}

function principalOf(user: UserRecord, agency: AgencyRecord | undefined, session: Pick<SessionRecord, "csrfToken" | "tokenHash">): StaffPrincipal {
  return {
    agencyCode: user.agencyCode,
    agencyName: agency?.name ?? user.agencyCode,
    username: user.username,
    displayName: user.displayName,
    roles: user.roles,
    csrfToken: session.csrfToken,
    tokenHash: session.tokenHash,
  };
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Failed sign-ins per user and per client address in a window; past the limit every attempt waits it out. */
const LOGIN_WINDOW_SECONDS = 15 * 60;
const MAX_FAILURES_PER_USER = 10;
const MAX_FAILURES_PER_ADDRESS = 50;

/**
 * Same answer (401) for unknown agency, unknown user, disabled user or wrong password.
 * Repeated failures for one user or from one address are refused with 429 until the
 * window ends, so passwords cannot be guessed at full speed.
 */
export async function signIn(
  deps: Pick<AppDeps, "store" | "clock">,
  credentials: { agencyCode: string; username: string; password: string },
  clientIp = "unknown",
): Promise<{ token: string; principal: StaffPrincipal }> {
  const now = deps.clock.now();
  const userKey = `login#user#${credentials.agencyCode}#${credentials.username}`;
  const ipKey = `login#ip#${clientIp}`;
  const [byUser, byIp] = await Promise.all([
    deps.store.throttle.failures(userKey, LOGIN_WINDOW_SECONDS, now),
    deps.store.throttle.failures(ipKey, LOGIN_WINDOW_SECONDS, now),
  ]);
  if (byUser >= MAX_FAILURES_PER_USER || byIp >= MAX_FAILURES_PER_ADDRESS) {
    const retry = LOGIN_WINDOW_SECONDS - (Math.floor(now.getTime() / 1000) % LOGIN_WINDOW_SECONDS);
    throw new TooManyRequestsError(`登录失败次数过多，请 ${Math.ceil(retry / 60)} 分钟后再试`, retry);
  }
  const user = await deps.store.directory.user(credentials.agencyCode, credentials.username);
  const ok = await verifyPassword(credentials.password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !ok || user.disabled) {
    await Promise.all([deps.store.throttle.recordFailure(userKey, LOGIN_WINDOW_SECONDS, now), deps.store.throttle.recordFailure(ipKey, LOGIN_WINDOW_SECONDS, now)]);
    throw new UnauthorizedError("机关、用户名或密码不正确");
  }
  const agency = await deps.store.directory.agency(user.agencyCode);
  const token = randomBytes(32).toString("base64url");
  const session = {
    tokenHash: hashToken(token),
    agencyCode: user.agencyCode,
    username: user.username,
    csrfToken: randomBytes(24).toString("base64url"),
    createdAt: now.toISOString(),
    expiresAt: Math.floor(now.getTime() / 1000) + SESSION_HOURS * 3600,
  };
  await deps.store.sessions.put(session);
  return { token, principal: principalOf(user, agency, session) };
}

/** The staff member behind a session token, or undefined when it is unknown or expired. */
export async function authenticate(
  deps: Pick<AppDeps, "store" | "clock">,
  token: string | undefined,
): Promise<StaffPrincipal | undefined> {
  if (!token) return undefined;
  const session = await deps.store.sessions.get(hashToken(token));
  // TTL deletion is lazy (and never happens locally): check expiry ourselves
  if (!session || session.expiresAt * 1000 <= deps.clock.now().getTime()) return undefined;
  const user = await deps.store.directory.user(session.agencyCode, session.username);
  if (!user || user.disabled) return undefined;
  return principalOf(user, await deps.store.directory.agency(user.agencyCode), session);
}

export async function signOut(deps: Pick<AppDeps, "store">, principal: StaffPrincipal): Promise<void> {
  await deps.store.sessions.delete(principal.tokenHash);
}
