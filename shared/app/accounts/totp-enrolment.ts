/**
 * A staff member binds an authenticator app (TOTP, RFC 6238): a new secret is shown once
 * (as the otpauth:// URI and as text), and takes effect only when a code from the app
 * confirms it, so nobody is locked out by a mistyped secret. The agency's setting names the
 * roles that must have one (SPEC §7.4); anyone may enrol.
 */
import type { AppDeps } from "../deps";
import type { StaffPrincipal } from "../auth";
import { ConflictError, ValidationError } from "../errors";
import { issuesToFields } from "../../schemas/staff";
import { totpConfirmSchema } from "../../schemas/accounts";
import { matchTotp, newTotpSecret, otpauthUri } from "../../domain/accounts/totp";
import { changeUser } from "./change-user";
import { securityWrite } from "./audit";

type Deps = Pick<AppDeps, "store" | "clock">;
type Principal = Pick<StaffPrincipal, "agencyCode" | "agencyName" | "username" | "displayName">;

/** The issuer an authenticator app shows beside the code. */
export const TOTP_ISSUER = "政务公开";

export interface TotpEnrolment {
  secret: string;
  otpauthUri: string;
}

/** `POST /api/v1/auth/totp`: a new secret to bind (replacing any not yet confirmed). */
export async function startTotpEnrolment(deps: Deps, principal: Principal): Promise<TotpEnrolment> {
  const secret = newTotpSecret();
  await changeUser(deps, principal.agencyCode, principal.username, (user) => ({ user: { ...user, totpPendingSecret: secret } }));
  return { secret, otpauthUri: otpauthUri(secret, `${principal.username}@${principal.agencyCode}`, `${TOTP_ISSUER} ${principal.agencyName}`) };
}

/** `POST /api/v1/auth/totp/confirm` `{code}`: the app's code confirms the pending secret, which replaces any earlier one. */
export async function confirmTotpEnrolment(deps: Deps, principal: Principal, input: unknown): Promise<{ totpEnabled: true }> {
  const parsed = totpConfirmSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError("VALIDATION_FAILED", "请填写动态验证码", issuesToFields(parsed.error));
  const now = deps.clock.now();
  await changeUser(deps, principal.agencyCode, principal.username, (user) => {
    if (!user.totpPendingSecret) throw new ConflictError("NO_TOTP_ENROLMENT", "没有待确认的验证器绑定，请先生成密钥（POST /api/v1/auth/totp）");
    const step = matchTotp(user.totpPendingSecret, parsed.data.code, now);
    if (step === undefined) throw new ValidationError("VALIDATION_FAILED", "动态验证码不正确", [{ path: "code", code: "wrong_code", message: "动态验证码不正确，请确认手机时间准确后输入验证器当前显示的 6 位数字" }]);
    const { totpPendingSecret: secret, ...rest } = user;
    return {
      user: { ...rest, totpEnabled: true, totpSecret: secret, totpLastStep: step },
      writes: [securityWrite({ agencyCode: user.agencyCode, at: now, type: "totp.enrolled", username: user.username, summary: `${user.displayName}（${user.username}）绑定了动态验证码（双因素认证）` })],
    };
  });
  return { totpEnabled: true };
}
