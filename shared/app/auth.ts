import { createHash, randomBytes } from "node:crypto";
import type { AppDeps } from "./deps";
import { UnauthorizedError } from "./errors";
import { DUMMY_HASH, verifyPassword } from "./passwords";
import { deleteSession, getAgency, getSession, getUser, putSession } from "../adapters/aws/records";
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

/** Same answer (401) for unknown agency, unknown user, disabled user or wrong password. */
export async function signIn(
  deps: Pick<AppDeps, "table" | "clock">,
  credentials: { agencyCode: string; username: string; password: string },
): Promise<{ token: string; principal: StaffPrincipal }> {
  const user = await getUser(deps.table, credentials.agencyCode, credentials.username);
  const ok = await verifyPassword(credentials.password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !ok || user.disabled) throw new UnauthorizedError("机关、用户名或密码不正确");
  const agency = await getAgency(deps.table, user.agencyCode);
  const token = randomBytes(32).toString("base64url");
  const now = deps.clock.now();
  const session = {
    tokenHash: hashToken(token),
    agencyCode: user.agencyCode,
    username: user.username,
    csrfToken: randomBytes(24).toString("base64url"),
    createdAt: now.toISOString(),
    expiresAt: Math.floor(now.getTime() / 1000) + SESSION_HOURS * 3600,
  };
  await putSession(deps.table, session);
  return { token, principal: principalOf(user, agency, session) };
}

/** The staff member behind a session token, or undefined when it is unknown or expired. */
export async function authenticate(
  deps: Pick<AppDeps, "table" | "clock">,
  token: string | undefined,
): Promise<StaffPrincipal | undefined> {
  if (!token) return undefined;
  const session = await getSession(deps.table, hashToken(token));
  // TTL deletion is lazy (and never happens locally): check expiry ourselves
  if (!session || session.expiresAt * 1000 <= deps.clock.now().getTime()) return undefined;
  const user = await getUser(deps.table, session.agencyCode, session.username);
  if (!user || user.disabled) return undefined;
  return principalOf(user, await getAgency(deps.table, user.agencyCode), session);
}

export async function signOut(deps: Pick<AppDeps, "table">, principal: StaffPrincipal): Promise<void> {
  await deleteSession(deps.table, principal.tokenHash);
}
