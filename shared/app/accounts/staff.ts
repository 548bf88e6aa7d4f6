/**
 * The administrator's staff accounts (SPEC §7.4, issue 11 part 1): create, edit, disable,
 * roles (one person may hold several), a password reset by a one-time emailed link (never a
 * password in mail), and a lost second factor removed. Within the administrator's own
 * agency; every change is one commit with its record on the security trail.
 */
import type { AppDeps } from "../deps";
import type { StaffPrincipal } from "../auth";
import { withDisabled } from "../auth";
import { ConflictError, ConcurrentChangeError, ForbiddenError, NotFoundError, ValidationError, type FieldError } from "../errors";
import { hashPassword } from "../passwords";
import { mailMessage } from "../mail";
import type { OutboxRecord } from "../ports/outbox";
import { issuesToFields } from "../../schemas/staff";
import { createUserSchema, updateUserSchema, type CreateUserInput } from "../../schemas/accounts";
import { passwordProblems, passwordProblemText } from "../../domain/accounts/password-policy";
import { needsTotp, passwordChangeReason, securityOf } from "../../domain/accounts/security";
import type { AgencyRecord, UserRecord } from "../../domain/records";
import { roleLabel, type Role } from "../../domain/roles";
import { formatShanghaiTime } from "../../domain/calendar";
import { changeUser } from "./change-user";
import { securityWrite, type SecurityActor } from "./audit";
import { newResetToken, RESET_LINK_HOURS } from "./passwords";

type Deps = Pick<AppDeps, "store" | "clock">;
type Admin = Pick<StaffPrincipal, "agencyCode" | "username" | "displayName" | "roles">;

export const ADMIN_ROLES = ["administrator"] as const satisfies readonly Role[];

export function requireAdministrator(principal: Pick<StaffPrincipal, "roles">): void {
  if (!principal.roles.includes("administrator")) throw new ForbiddenError("只有系统管理员可以管理机关和工作人员账户");
}

const actorOf = (p: Admin): SecurityActor => ({ username: p.username, displayName: p.displayName });
const rolesText = (roles: readonly string[]) => roles.map(roleLabel).join("、");

function refuse(message: string, fields: FieldError[]): never {
  throw new ValidationError("VALIDATION_FAILED", message, fields);
}

/** An initial password: only the character rules (it is temporary: the first sign-in must change it). */
export function initialPasswordError(path: string, password: string): FieldError | undefined {
  const structural = passwordProblems(password, { username: "" }).filter((p) => ["too_short", "too_long", "whitespace", "no_letter", "no_digit", "no_symbol"].includes(p.rule));
  return structural.length ? { path, code: structural[0]!.rule, message: `初始密码不符合要求：${passwordProblemText(structural)}` } : undefined;
}

/** What the administrator's list and the API show of an account (never its hashes or secrets). */
export interface StaffAccountView {
  agencyCode: string;
  username: string;
  displayName: string;
  roles: Role[];
  roleLabels: string[];
  email: string;
  phone?: string;
  disabled: boolean;
  createdAt?: string;
  lastSignInAt?: string;
  passwordChangedAt?: string;
  /** the next sign-in must change the password: `initial` (set by an administrator) or `expired` */
  passwordChangeDue?: "initial" | "expired";
  totpEnabled: boolean;
  /** the agency asks a second factor of these roles */
  totpRequired: boolean;
  passwordResetPending: boolean;
}

export function accountView(user: UserRecord, agency: AgencyRecord | undefined, now: Date): StaffAccountView {
  const security = securityOf(agency);
  const due = passwordChangeReason(user, security, now);
  return {
    agencyCode: user.agencyCode,
    username: user.username,
    displayName: user.displayName,
    roles: user.roles,
    roleLabels: user.roles.map(roleLabel),
    email: user.email,
    ...(user.phone ? { phone: user.phone } : {}),
    disabled: user.disabled === true,
    ...(user.createdAt ? { createdAt: user.createdAt } : {}),
    ...(user.lastSignInAt ? { lastSignInAt: user.lastSignInAt } : {}),
    ...(user.passwordChangedAt ? { passwordChangedAt: user.passwordChangedAt } : {}),
    ...(due ? { passwordChangeDue: due } : {}),
    totpEnabled: user.totpEnabled === true,
    totpRequired: needsTotp(user, security),
    passwordResetPending: !!user.passwordReset && Date.parse(user.passwordReset.expiresAt) > now.getTime(),
  };
}

/** Every account of the administrator's agency, disabled ones included. */
export async function listStaff(deps: Deps, admin: Admin): Promise<StaffAccountView[]> {
  requireAdministrator(admin);
  const [users, agency] = await Promise.all([deps.store.directory.staff(admin.agencyCode), deps.store.directory.agency(admin.agencyCode)]);
  const now = deps.clock.now();
  return users.sort((a, b) => a.username.localeCompare(b.username)).map((u) => accountView(u, agency, now));
}

export async function viewStaff(deps: Deps, admin: Admin, username: string): Promise<StaffAccountView> {
  requireAdministrator(admin);
  const [user, agency] = await Promise.all([deps.store.directory.user(admin.agencyCode, username), deps.store.directory.agency(admin.agencyCode)]);
  if (!user) throw new NotFoundError("未找到该用户");
  return accountView(user, agency, deps.clock.now());
}

/** A new account's record: its initial password must be changed at the first sign-in. */
export async function newAccount(agencyCode: string, input: Omit<CreateUserInput, "phone"> & { phone?: string | undefined }, now: Date): Promise<UserRecord> {
  return {
    agencyCode,
    username: input.username,
    displayName: input.displayName,
    email: input.email,
    roles: input.roles,
    ...(input.phone ? { phone: input.phone } : {}),
    passwordHash: await hashPassword(input.initialPassword),
    passwordChangedAt: now.toISOString(),
    mustChangePassword: true,
    createdAt: now.toISOString(),
  };
}

/** `POST /api/v1/admin/users`: 201 with the account; 409 when the username is taken in the agency. */
export async function createStaff(deps: Deps, admin: Admin, input: unknown, actor: SecurityActor = actorOf(admin)): Promise<StaffAccountView> {
  requireAdministrator(admin);
  return createAccount(deps, admin.agencyCode, input, actor);
}

/** Creates an account in `agencyCode` (the admin API, a new agency's first administrator, the CLI). */
export async function createAccount(deps: Deps, agencyCode: string, input: unknown, actor: SecurityActor): Promise<StaffAccountView> {
  const parsed = createUserSchema.safeParse(input);
  const fields = parsed.success ? [] : issuesToFields(parsed.error);
  const raw = input && typeof input === "object" ? (input as Record<string, unknown>).initialPassword : undefined;
  const weak = typeof raw === "string" && raw ? initialPasswordError("initialPassword", raw) : undefined;
  if (weak && !fields.some((f) => f.path === "initialPassword")) fields.push(weak);
  if (!parsed.success || fields.length > 0) refuse("账户信息有误，未保存", fields);
  const agency = await deps.store.directory.agency(agencyCode);
  if (!agency) throw new NotFoundError("未找到该机关");
  const now = deps.clock.now();
  const user = await newAccount(agencyCode, parsed.data, now);
  try {
    await deps.store.commit([
      { kind: "user", user },
      securityWrite({
        agencyCode,
        at: now,
        type: "user.created",
        username: user.username,
        summary: `${actor.displayName}创建了账户 ${user.displayName}（${user.username}），角色：${rolesText(user.roles)}`,
        data: { roles: user.roles },
        actor,
      }),
    ]);
  } catch (error) {
    if (error instanceof ConcurrentChangeError) {
      throw new ConflictError("USER_EXISTS", "该用户名已被使用", [{ path: "username", code: "taken", message: `本机关已有用户名为 ${user.username} 的账户` }]);
    }
    throw error;
  }
  return accountView({ ...user, version: 1 }, agency, now);
}

/**
 * `PATCH /api/v1/admin/users/{username}`: name, roles, email, phone, disabled, or the
 * second factor removed. Disabling stops the user's tokens at once (401). An administrator
 * cannot disable themselves or take away their own administrator role (nobody would be
 * left to undo it).
 */
export async function updateStaff(deps: Deps, admin: Admin, username: string, input: unknown): Promise<StaffAccountView> {
  requireAdministrator(admin);
  const parsed = updateUserSchema.safeParse(input);
  if (!parsed.success) refuse("账户信息有误，未保存", issuesToFields(parsed.error));
  const change = parsed.data;
  if (username === admin.username && change.disabled === true) throw new ConflictError("SELF_LOCKOUT", "不能停用自己的账户");
  if (username === admin.username && change.roles && !change.roles.includes("administrator")) {
    throw new ConflictError("SELF_LOCKOUT", "不能取消自己的系统管理员角色", [{ path: "roles", code: "self_lockout", message: "不能取消自己的系统管理员角色" }]);
  }
  const now = deps.clock.now();
  const actor = actorOf(admin);
  const saved = await changeUser(deps, admin.agencyCode, username, (user) => {
    let next: UserRecord = { ...user };
    const writes = [];
    const record = (type: Parameters<typeof securityWrite>[0]["type"], summary: string, data?: Record<string, unknown>) =>
      securityWrite({ agencyCode: user.agencyCode, at: now, type, username: user.username, summary, actor, ...(data ? { data } : {}) });
    const edited: Record<string, { from: unknown; to: unknown }> = {};
    for (const key of ["displayName", "email", "phone"] as const) {
      const value = change[key];
      if (value === undefined || value === (user[key] ?? "")) continue;
      edited[key] = { from: user[key] ?? null, to: value || null };
      if (value) next[key] = value;
      else delete next[key];
    }
    if (Object.keys(edited).length > 0) writes.push(record("user.updated", `${actor.displayName}修改了账户 ${user.displayName}（${user.username}）的${Object.keys(edited).map((k) => ({ displayName: "姓名", email: "电子邮箱", phone: "联系电话" })[k]).join("、")}`, { changes: edited }));
    if (change.roles && (change.roles.length !== user.roles.length || change.roles.some((r) => !user.roles.includes(r)))) {
      next.roles = change.roles;
      writes.push(record("user.roles_changed", `${actor.displayName}将 ${user.displayName}（${user.username}）的角色由「${rolesText(user.roles)}」改为「${rolesText(change.roles)}」`, { from: user.roles, to: change.roles }));
    }
    if (change.disabled !== undefined && change.disabled !== (user.disabled === true)) {
      next = withDisabled(next, change.disabled, now);
      writes.push(record(change.disabled ? "user.disabled" : "user.enabled", `${actor.displayName}${change.disabled ? "停用" : "重新启用"}了账户 ${user.displayName}（${user.username}）`));
    }
    if (change.totpEnabled === false && (user.totpEnabled || user.totpPendingSecret)) {
      const { totpSecret: _s, totpPendingSecret: _p, totpLastStep: _l, ...rest } = next;
      next = { ...rest, totpEnabled: false };
      writes.push(record("totp.removed", `${actor.displayName}解除了 ${user.displayName}（${user.username}）绑定的动态验证码`));
    }
    return { user: next, writes };
  });
  return accountView(saved, await deps.store.directory.agency(admin.agencyCode), now);
}

/**
 * `POST /api/v1/admin/users/{username}/password-reset`: mails the user a one-time link
 * (valid RESET_LINK_HOURS hours; a newer link replaces it) to choose a new password. The
 * mail carries no password; the link's secret is stored only as a hash.
 */
export async function sendPasswordReset(deps: Deps & Pick<AppDeps, "config" | "outbox" | "newId">, admin: Admin, username: string): Promise<{ sent: true; to: string; expiresAt: string }> {
  requireAdministrator(admin);
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + RESET_LINK_HOURS * 3600_000).toISOString();
  const { token, tokenHash } = newResetToken(admin.agencyCode, username);
  const actor = actorOf(admin);
  let record: OutboxRecord | undefined;
  const saved = await changeUser(deps, admin.agencyCode, username, (user) => {
    if (user.disabled) throw new ConflictError("USER_DISABLED", "该账户已停用，请先重新启用再重置密码");
    if (!user.email) throw new ConflictError("NO_EMAIL", "该账户没有电子邮箱，无法发送重置链接", [{ path: "email", code: "required", message: "请先为该账户填写电子邮箱" }]);
    const link = `${deps.config.publicBaseUrl}/console/password-reset?token=${encodeURIComponent(token)}`;
    record = {
      messageId: deps.newId(),
      createdAt: now.toISOString(),
      message: mailMessage({
        to: [user.email],
        subject: "【政务公开】重置后台登录密码",
        text: [
          `${user.displayName}：`,
          `系统管理员${actor.displayName}为您的账户（用户名 ${user.username}）发起了密码重置。请在 ${formatShanghaiTime(expiresAt)}（北京时间）前打开以下链接设置新密码，链接只能使用一次：`,
          link,
          "新密码至少 8 位，须含字母、数字和特殊符号，不得包含您的姓名、用户名、电话或本机关名称、代码，不得转借他人。",
          "如非本人知情，请立即联系系统管理员。",
        ].join("\n"),
      }),
    };
    return {
      user: { ...user, passwordReset: { tokenHash, expiresAt } },
      writes: [
        securityWrite({ agencyCode: user.agencyCode, at: now, type: "password.reset_sent", username: user.username, summary: `${actor.displayName}向 ${user.displayName}（${user.username}）发送了重置密码链接`, data: { expiresAt }, actor }),
        { kind: "outbox", record },
      ],
    };
  });
  await deps.outbox.dispatch([record!]);
  return { sent: true, to: saved.email, expiresAt };
}

/** What the security trail page shows of one record. */
export interface SecurityTrailRow {
  at: string;
  type: string;
  summary: string;
  /** who did it: the administrator's name, 命令行工具, or the account's own name */
  by: string;
  clientIp: string;
}

/**
 * The agency's security trail of the last `days` days, newest first (administrators and
 * auditors): sign-ins and failures, lockouts, password changes and resets, second factors,
 * every change to accounts and to the agency.
 */
export async function securityTrail(deps: Deps, viewer: Pick<StaffPrincipal, "agencyCode" | "roles">, days = 30): Promise<SecurityTrailRow[]> {
  if (!viewer.roles.some((r) => r === "administrator" || r === "auditor")) throw new ForbiddenError("只有系统管理员和审计可以查看安全审计记录");
  const now = deps.clock.now();
  const [events, users] = await Promise.all([
    deps.store.security.list(viewer.agencyCode, { from: new Date(now.getTime() - days * 24 * 3600_000).toISOString() }),
    deps.store.directory.staff(viewer.agencyCode),
  ]);
  const names = new Map(users.map((u) => [u.username, u.displayName]));
  return events
    .reverse()
    .map((e) => ({ at: e.at, type: e.type, summary: e.summary, by: e.actor?.displayName ?? names.get(e.username) ?? "未知账户", clientIp: e.clientIp }));
}
