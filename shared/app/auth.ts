import { createHash, randomBytes } from "node:crypto";
import type { AppDeps } from "./deps";
import { UnauthorizedError } from "./errors";
import { DUMMY_HASH, verifyPassword } from "./passwords";
import { startSignIn } from "./rate-limits";
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

/**
 * Same answer (401) for unknown agency, unknown user, disabled user or wrong password.
 * Guessing is slowed per user and per client address (shared/app/rate-limits.ts): after a
 * few failures each attempt waits longer, then the user is locked for a while (429 with
 * Retry-After, the right password included), and the lockout and its end are audited.
 */
export async function signIn(
  deps: Pick<AppDeps, "store" | "clock">,
  credentials: { agencyCode: string; username: string; password: string },
  clientIp = "unknown",
): Promise<{ token: string; principal: StaffPrincipal }> {
  const attempt = await startSignIn(deps, credentials, clientIp);
  const user = await deps.store.directory.user(credentials.agencyCode, credentials.username);
  const ok = await verifyPassword(credentials.password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !ok || user.disabled) {
    await attempt.failed();
    throw new UnauthorizedError("机关、用户名或密码不正确");
  }
  await attempt.succeeded();
  const now = deps.clock.now();
  const agency = await deps.store.directory.agency(user.agencyCode);
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
    expiresAt: Math.floor(now.getTime() / 1000) + SESSION_HOURS * 3600,
  };
  await deps.store.sessions.put(session);
  return { token, principal: principalOf(user, agency, session) };
}

/** A session made before the user's tokensValidAfter (i.e. before they were last disabled) is void for good. */
function revoked(session: SessionRecord, user: UserRecord): boolean {
  if (!user.tokensValidAfter) return false;
  const created = Date.parse(session.createdAt);
  return Number.isNaN(created) || created <= Date.parse(user.tokensValidAfter);
}

/**
 * Disables or enables a staff account (the admin API's `PATCH /api/v1/admin/users/{username}`
 * `{"disabled"}` calls this). Disabling stops the user's tokens at once and for good:
 * `tokensValidAfter` moves to now, so enabling the user again revives none of them.
 */
export async function setUserDisabled(deps: Pick<AppDeps, "store" | "clock">, agencyCode: string, username: string, disabled: boolean): Promise<UserRecord | undefined> {
  const user = await deps.store.directory.user(agencyCode, username);
  if (!user) return undefined;
  const next: UserRecord = { ...user, disabled };
  if (disabled) next.tokensValidAfter = deps.clock.now().toISOString();
  await deps.store.directory.putUser(next);
  return next;
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
  if (!user || user.disabled || revoked(session, user)) return undefined;
  return principalOf(user, await deps.store.directory.agency(user.agencyCode), session);
}

export async function signOut(deps: Pick<AppDeps, "store">, principal: StaffPrincipal): Promise<void> {
  await deps.store.sessions.delete(principal.tokenHash);
}
