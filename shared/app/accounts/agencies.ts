/**
 * Agencies (issue 11 part 1): an administrator creates an agency — its name, catalogue code,
 * the letters' header and seal name, the office's contact details, the reply-letter number
 * prefix, its sign-in policy — with its first administrator, and edits their own agency.
 * The CLI creates the first agency of a fresh deployment the same way (`npx gongkai admin
 * create-agency`). The agency's public site profile and screening lists stay with the
 * settings pages (shared/app/settings/agency-settings.ts).
 */
import type { AppDeps } from "../deps";
import type { StaffPrincipal } from "../auth";
import { ConflictError, ConcurrentChangeError, NotFoundError, ValidationError, type FieldError } from "../errors";
import type { Write } from "../ports/store";
import { issuesToFields } from "../../schemas/staff";
import { createAgencySchema, updateAgencySchema, type CreateAgencyInput } from "../../schemas/accounts";
import { NEW_AGENCY_TOTP_ROLES, securityOf } from "../../domain/accounts/security";
import { DEFAULT_PASSWORD_MAX_AGE_DAYS } from "../../domain/accounts/password-policy";
import { DEFAULT_SESSION_IDLE_MINUTES } from "../../domain/accounts/security";
import type { AgencyRecord, AgencySecurity } from "../../domain/records";
import { roleLabel } from "../../domain/roles";
import { securityWrite, type SecurityActor } from "./audit";
import { accountView, initialPasswordError, newAccount, requireAdministrator, type StaffAccountView } from "./staff";

type Deps = Pick<AppDeps, "store" | "clock">;
type Admin = Pick<StaffPrincipal, "agencyCode" | "username" | "displayName" | "roles">;

const PROFILE_KEYS = ["name", "letterhead", "letterPrefix", "officeContact", "officeAddress", "reviewAuthority", "court"] as const;
const profileLabels: Record<(typeof PROFILE_KEYS)[number], string> = {
  name: "机关名称",
  letterhead: "文书抬头及落款",
  letterPrefix: "答复书文号前缀",
  officeContact: "办公室联系方式",
  officeAddress: "办公地址",
  reviewAuthority: "行政复议机关",
  court: "管辖法院",
};

/** What the API shows of an agency's administration record. */
export interface AgencyView {
  code: string;
  name: string;
  letterhead?: string;
  letterPrefix?: string;
  officeContact?: string;
  officeAddress?: string;
  reviewAuthority?: string;
  court?: string;
  security: AgencySecurity;
  createdAt?: string;
}

export function agencyView(a: AgencyRecord): AgencyView {
  const out: AgencyView = { code: a.code, name: a.name, security: securityOf(a) };
  for (const k of PROFILE_KEYS) if (k !== "name" && a[k]) out[k] = a[k];
  if (a.createdAt) out.createdAt = a.createdAt;
  return out;
}

function refuse(message: string, fields: FieldError[]): never {
  throw new ValidationError("VALIDATION_FAILED", message, fields);
}

const securityText = (s: AgencySecurity) =>
  `双因素认证角色：${s.totpRoles.length ? s.totpRoles.map(roleLabel).join("、") : "无"}；密码有效期 ${s.passwordMaxAgeDays ? `${s.passwordMaxAgeDays} 天` : "不限"}；空闲 ${s.sessionIdleMinutes} 分钟退出`;

/**
 * Creates an agency with its first administrator (when given) in one commit. 409 when the
 * code is taken. `actor` is the administrator who did it, or the CLI.
 */
export async function createAgency(deps: Deps, actor: SecurityActor, input: unknown): Promise<{ agency: AgencyView; administrator?: StaffAccountView }> {
  const parsed = createAgencySchema.safeParse(input);
  const fields = parsed.success ? [] : issuesToFields(parsed.error);
  const raw = (input as { administrator?: { initialPassword?: unknown } } | undefined)?.administrator?.initialPassword;
  const weak = typeof raw === "string" && raw ? initialPasswordError("administrator.initialPassword", raw) : undefined;
  if (weak && !fields.some((f) => f.path === weak.path)) fields.push(weak);
  if (!parsed.success || fields.length > 0) refuse("机关信息有误，未保存", fields);
  const data: CreateAgencyInput = parsed.data;
  const now = deps.clock.now();
  const agency: AgencyRecord = {
    code: data.code,
    name: data.name,
    letterPrefix: data.letterPrefix,
    security: {
      totpRoles: data.security?.totpRoles ?? NEW_AGENCY_TOTP_ROLES,
      passwordMaxAgeDays: data.security?.passwordMaxAgeDays ?? DEFAULT_PASSWORD_MAX_AGE_DAYS,
      sessionIdleMinutes: data.security?.sessionIdleMinutes ?? DEFAULT_SESSION_IDLE_MINUTES,
    },
    createdAt: now.toISOString(),
  };
  for (const k of PROFILE_KEYS) {
    const v = data[k];
    if (k !== "name" && k !== "letterPrefix" && v) agency[k] = v;
  }
  const writes: Write[] = [
    { kind: "agency", agency, create: true },
    securityWrite({ agencyCode: agency.code, at: now, type: "agency.created", username: actor.username, summary: `${actor.displayName}创建了机关 ${agency.name}（${agency.code}）；${securityText(agency.security!)}`, actor }),
  ];
  const admin = data.administrator ? await newAccount(agency.code, { ...data.administrator, roles: ["administrator"] }, now) : undefined;
  if (admin) {
    writes.push({ kind: "user", user: admin });
    writes.push(securityWrite({ agencyCode: agency.code, at: now, type: "user.created", username: admin.username, summary: `${actor.displayName}创建了账户 ${admin.displayName}（${admin.username}），角色：系统管理员`, data: { roles: admin.roles }, actor }));
  }
  try {
    await deps.store.commit(writes);
  } catch (error) {
    if (error instanceof ConcurrentChangeError) throw new ConflictError("AGENCY_EXISTS", "该机关代码已被使用", [{ path: "code", code: "taken", message: `机关代码 ${agency.code} 已有机关使用` }]);
    throw error;
  }
  return { agency: agencyView(agency), ...(admin ? { administrator: accountView(admin, agency, now) } : {}) };
}

/** `POST /api/v1/admin/agencies` (an administrator of any agency). */
export async function createAgencyAsAdmin(deps: Deps, admin: Admin, input: unknown) {
  requireAdministrator(admin);
  return createAgency(deps, { username: admin.username, displayName: admin.displayName }, input);
}

export async function viewOwnAgency(deps: Deps, admin: Admin): Promise<AgencyView> {
  requireAdministrator(admin);
  const agency = await deps.store.directory.agency(admin.agencyCode);
  if (!agency) throw new NotFoundError("未找到本机关");
  return agencyView(agency);
}

/** `PATCH /api/v1/admin/agency`: the administrator's own agency; an empty optional field removes it. */
export async function updateOwnAgency(deps: Deps, admin: Admin, input: unknown): Promise<AgencyView> {
  requireAdministrator(admin);
  const parsed = updateAgencySchema.safeParse(input);
  if (!parsed.success) refuse("机关信息有误，未保存", issuesToFields(parsed.error));
  const agency = await deps.store.directory.agency(admin.agencyCode);
  if (!agency) throw new NotFoundError("未找到本机关");
  const change = parsed.data;
  const next: AgencyRecord = { ...agency };
  const changed: string[] = [];
  for (const k of PROFILE_KEYS) {
    const v = change[k];
    if (v === undefined || v === (agency[k] ?? "")) continue;
    changed.push(profileLabels[k]);
    if (v) next[k] = v;
    else if (k !== "name" && k !== "letterPrefix") delete next[k];
  }
  if (change.security) {
    const before = securityOf(agency);
    const after: AgencySecurity = { ...before, ...Object.fromEntries(Object.entries(change.security).filter(([, v]) => v !== undefined)) };
    if (JSON.stringify(before) !== JSON.stringify(after)) {
      next.security = after;
      changed.push(`登录安全策略（${securityText(after)}）`);
    }
  }
  if (changed.length === 0) return agencyView(agency);
  const now = deps.clock.now();
  await deps.store.commit([
    { kind: "agency", agency: next },
    securityWrite({ agencyCode: agency.code, at: now, type: "agency.updated", username: admin.username, summary: `${admin.displayName}修改了本机关的${changed.join("、")}`, actor: { username: admin.username, displayName: admin.displayName } }),
  ]);
  return agencyView(next);
}
