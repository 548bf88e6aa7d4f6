/**
 * Choosing a password (seed 网站安全防护制度 第二条, SPEC §7.4): the user's own change
 * (`POST /api/v1/auth/password`), and the one-time link an administrator has mailed
 * (`POST /api/v1/auth/password-reset`). Both check the policy against the person's and the
 * agency's facts, refuse the last PASSWORD_HISTORY passwords, and go on the security trail.
 */
import { createHash, randomBytes } from "node:crypto";
import type { AppDeps } from "../deps";
import type { StaffPrincipal } from "../auth";
import { UnauthorizedError, ValidationError, type FieldError } from "../errors";
import { hashPassword, verifyPassword } from "../passwords";
import { startSignIn } from "../rate-limits";
import { issuesToFields } from "../../schemas/staff";
import { passwordChangeSchema, passwordResetSchema } from "../../schemas/accounts";
import { PASSWORD_HISTORY, passwordProblems, passwordProblemText, type PasswordContext } from "../../domain/accounts/password-policy";
import type { AgencyRecord, UserRecord } from "../../domain/records";
import { changeUser } from "./change-user";
import { securityWrite } from "./audit";

type Deps = Pick<AppDeps, "store" | "clock">;

export function passwordContext(user: Pick<UserRecord, "username" | "displayName" | "phone">, agency: Pick<AgencyRecord, "name" | "code"> | undefined): PasswordContext {
  return {
    username: user.username,
    displayName: user.displayName,
    ...(user.phone ? { phone: user.phone } : {}),
    ...(agency ? { agencyName: agency.name, agencyCode: agency.code } : {}),
  };
}

/** The policy's refusal of `password` for the field `path`, if any (one field error, every reason in it). */
export function policyFieldError(path: string, password: string, context: PasswordContext): FieldError | undefined {
  const problems = passwordProblems(password, context);
  if (problems.length === 0) return undefined;
  return { path, code: problems[0]!.rule, message: passwordProblemText(problems) };
}

/** True when `password` is the current one or one of the history's. */
async function recentlyUsed(password: string, user: UserRecord): Promise<boolean> {
  for (const hash of [user.passwordHash, ...(user.passwordHistory ?? [])].slice(0, PASSWORD_HISTORY)) {
    if (await verifyPassword(password, hash)) return true;
  }
  return false;
}

function refuse(message: string, fields: FieldError[]): never {
  throw new ValidationError("VALIDATION_FAILED", message, fields);
}

/** Checks a new password for the user (policy, then reuse), refusing with 400 on `newPassword`. */
async function checkNewPassword(user: UserRecord, agency: AgencyRecord | undefined, newPassword: string): Promise<void> {
  const problem = policyFieldError("newPassword", newPassword, passwordContext(user, agency));
  if (problem) refuse(`新密码不符合要求：${problem.message}`, [problem]);
  if (await recentlyUsed(newPassword, user)) {
    refuse("新密码不符合要求", [{ path: "newPassword", code: "recently_used", message: `新密码不能与最近 ${PASSWORD_HISTORY} 次使用过的密码相同` }]);
  }
}

/** The user's record with `newHash` as its password, the old one kept in the history. */
function withPassword(user: UserRecord, newHash: string, now: Date): UserRecord {
  const { passwordReset: _link, ...rest } = user;
  return {
    ...rest,
    passwordHash: newHash,
    passwordHistory: [user.passwordHash, ...(user.passwordHistory ?? [])].slice(0, PASSWORD_HISTORY - 1),
    passwordChangedAt: now.toISOString(),
    mustChangePassword: false,
  };
}

/**
 * The signed-in user changes their own password. A wrong current password is a 400 on
 * `currentPassword`, and counts against the sign-in limits like a failed sign-in (so a
 * stolen session cannot be used to guess it).
 */
export async function changeOwnPassword(deps: Deps, principal: Pick<StaffPrincipal, "agencyCode" | "username">, input: unknown, clientIp = "unknown"): Promise<{ changed: true; passwordChangedAt: string }> {
  const parsed = passwordChangeSchema.safeParse(input);
  if (!parsed.success) refuse("请填写当前密码和新密码", issuesToFields(parsed.error));
  const { currentPassword, newPassword } = parsed.data;
  const agency = await deps.store.directory.agency(principal.agencyCode);
  const attempt = await startSignIn(deps, principal, clientIp);
  const now = deps.clock.now();
  const saved = await changeUser(deps, principal.agencyCode, principal.username, async (user) => {
    if (!(await verifyPassword(currentPassword, user.passwordHash))) {
      await attempt.failed();
      await deps.store.commit([securityWrite({ agencyCode: principal.agencyCode, at: now, type: "signin.failed", username: user.username, clientIp, summary: `账户 ${user.username} 修改密码时当前密码错误`, data: { reason: "wrong_current_password" } })]);
      refuse("当前密码不正确", [{ path: "currentPassword", code: "wrong_password", message: "当前密码不正确" }]);
    }
    await attempt.succeeded();
    await checkNewPassword(user, agency, newPassword);
    return {
      user: withPassword(user, await hashPassword(newPassword), now),
      writes: [securityWrite({ agencyCode: principal.agencyCode, at: now, type: "password.changed", username: user.username, clientIp, summary: `${user.displayName}（${user.username}）修改了密码`, data: { wasRequired: user.mustChangePassword === true } })],
    };
  });
  return { changed: true, passwordChangedAt: saved.passwordChangedAt! };
}

// ---- the one-time reset link -----------------------------------------------------------

export const RESET_LINK_HOURS = 24;

/** `<agency>.<username>.<secret>`: the link names its account; only the secret's hash is stored. */
export function newResetToken(agencyCode: string, username: string): { token: string; tokenHash: string } {
  const secret = randomBytes(32).toString("base64url");
  return { token: `${agencyCode}.${username}.${secret}`, tokenHash: resetTokenHash(secret) };
}

const resetTokenHash = (secret: string) => createHash("sha256").update(`password-reset:${secret}`).digest("hex");

function parseResetToken(token: string): { agencyCode: string; username: string; secret: string } | undefined {
  // the username may hold dots: the agency is the first part, the secret (no dots) the last
  const m = /^(\d{15})\.([A-Za-z0-9][A-Za-z0-9._-]{1,63})\.([A-Za-z0-9_-]{43})$/.exec(token);
  return m ? { agencyCode: m[1]!, username: m[2]!, secret: m[3]! } : undefined;
}

const INVALID_LINK = "重置链接无效、已使用或已过期，请联系系统管理员重新发送";

/** Whose link it is, while it is still good (the page shows the name before asking for a password). */
export async function resetLinkAccount(deps: Deps, token: string): Promise<{ user: UserRecord; agency: AgencyRecord | undefined } | undefined> {
  const parsed = parseResetToken(token);
  if (!parsed) return undefined;
  const user = await deps.store.directory.user(parsed.agencyCode, parsed.username);
  const link = user?.passwordReset;
  if (!user || user.disabled || !link || link.tokenHash !== resetTokenHash(parsed.secret) || Date.parse(link.expiresAt) <= deps.clock.now().getTime()) return undefined;
  return { user, agency: await deps.store.directory.agency(parsed.agencyCode) };
}

/**
 * Sets a new password through a reset link: once (the link is removed with the change),
 * before it expires. Every earlier session of the user ends, since a reset means the old
 * password may be known to someone else.
 */
export async function resetPasswordWithLink(deps: Deps, input: unknown, clientIp = "unknown"): Promise<{ reset: true; agencyCode: string; username: string }> {
  const parsed = passwordResetSchema.safeParse(input);
  if (!parsed.success) refuse("请填写新密码", issuesToFields(parsed.error));
  const found = await resetLinkAccount(deps, parsed.data.token);
  if (!found) throw new UnauthorizedError(INVALID_LINK, "RESET_LINK_INVALID");
  const { user: first, agency } = found;
  const now = deps.clock.now();
  const tokenHash = first.passwordReset!.tokenHash;
  await changeUser(deps, first.agencyCode, first.username, async (user) => {
    if (user.passwordReset?.tokenHash !== tokenHash) throw new UnauthorizedError(INVALID_LINK, "RESET_LINK_INVALID");
    await checkNewPassword(user, agency, parsed.data.newPassword);
    return {
      user: { ...withPassword(user, await hashPassword(parsed.data.newPassword), now), tokensValidAfter: now.toISOString() },
      writes: [securityWrite({ agencyCode: user.agencyCode, at: now, type: "password.reset", username: user.username, clientIp, summary: `${user.displayName}（${user.username}）通过重置链接设置了新密码` })],
    };
  });
  return { reset: true, agencyCode: first.agencyCode, username: first.username };
}
