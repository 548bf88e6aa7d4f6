import { timingSafeEqual } from "node:crypto";
import type { AppDeps } from "../app/deps";
import { authenticate, type StaffPrincipal } from "../app/auth";
import { ForbiddenError, UnauthorizedError } from "../app/errors";
import type { Role } from "../domain/roles";
import type { HttpRequest } from "./http";

export const SESSION_COOKIE = "gk_session";
/** Pre-sign-in CSRF token for the login form (double-submit cookie). */
export const LOGIN_CSRF_COOKIE = "gk_login_csrf";

export interface StaffRequest {
  principal: StaffPrincipal;
  /** the session came from the cookie (a browser), so state changes need the CSRF token */
  viaCookie: boolean;
}

function bearer(req: HttpRequest): string | undefined {
  const header = req.headers.authorization ?? "";
  return header.toLowerCase().startsWith("bearer ") ? header.slice(7).trim() : undefined;
}

export function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export const PASSWORD_CHANGE_REQUIRED = "PASSWORD_CHANGE_REQUIRED";
export const TOTP_ENROLMENT_REQUIRED = "TOTP_ENROLMENT_REQUIRED";

/** What a signed-in user must do before anything else (SPEC §7.4), as the 403 that says so. */
export function pendingStepError(principal: StaffPrincipal): ForbiddenError | undefined {
  if (principal.mustChangePassword) {
    return new ForbiddenError(
      principal.mustChangePassword === "expired" ? "密码已到期，请先修改密码（POST /api/v1/auth/password）" : "首次登录或密码被重置后须先修改密码（POST /api/v1/auth/password）",
      PASSWORD_CHANGE_REQUIRED,
    );
  }
  if (principal.mustEnrolTotp) return new ForbiddenError("本机关要求您的角色使用双因素认证，请先绑定验证器应用（POST /api/v1/auth/totp）", TOTP_ENROLMENT_REQUIRED);
  return undefined;
}

/**
 * The signed-in staff member (Bearer token or session cookie), or 401; 403
 * PASSWORD_CHANGE_REQUIRED / TOTP_ENROLMENT_REQUIRED while one of those is pending, except
 * on the routes that do it (`pending: true`: the password change, enrolment, sign-out).
 */
export async function requireStaff(deps: AppDeps, req: HttpRequest, options: { pending?: boolean } = {}): Promise<StaffRequest> {
  const token = bearer(req);
  const principal = await authenticate(deps, token ?? req.cookies[SESSION_COOKIE]);
  if (!principal) throw new UnauthorizedError("未登录或登录已失效，请重新登录");
  if (!options.pending) {
    const pending = pendingStepError(principal);
    if (pending) throw pending;
  }
  return { principal, viaCookie: !token };
}

/**
 * Cookie-authenticated state changes must carry the session's CSRF token (form field
 * `csrfToken` or header `X-CSRF-Token`); Bearer requests carry no ambient authority.
 */
export function checkCsrf(staff: StaffRequest, req: HttpRequest, formToken?: string): void {
  if (!staff.viaCookie) return;
  if (!sameToken(formToken ?? req.headers["x-csrf-token"], staff.principal.csrfToken)) {
    throw new ForbiddenError("页面已过期或请求来源无效，请刷新页面后重试");
  }
}

export function requireRole(staff: StaffRequest, allowed: Role[]): void {
  if (!staff.principal.roles.some((r) => allowed.includes(r))) {
    throw new ForbiddenError("当前角色无权执行此操作");
  }
}
