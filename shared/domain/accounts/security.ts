import type { AgencyRecord, AgencySecurity, UserRecord } from "../records";
import type { Role } from "../roles";
import { DEFAULT_PASSWORD_MAX_AGE_DAYS, passwordExpired } from "./password-policy";

export const DEFAULT_SESSION_IDLE_MINUTES = 30;
/** a new agency: administrators need a second factor (SPEC §7.4) */
export const NEW_AGENCY_TOTP_ROLES: Role[] = ["administrator"];

/** The policy of an agency; an agency stored without one (the seeded demo) asks no second factor. */
export function securityOf(agency: Pick<AgencyRecord, "security"> | undefined): AgencySecurity {
  return {
    totpRoles: agency?.security?.totpRoles ?? [],
    passwordMaxAgeDays: agency?.security?.passwordMaxAgeDays ?? DEFAULT_PASSWORD_MAX_AGE_DAYS,
    sessionIdleMinutes: agency?.security?.sessionIdleMinutes ?? DEFAULT_SESSION_IDLE_MINUTES,
  };
}

/** Whether the user's roles need a second factor under the policy. */
export function needsTotp(user: Pick<UserRecord, "roles">, security: AgencySecurity): boolean {
  return user.roles.some((r) => security.totpRoles.includes(r));
}

/** Why the user must choose a new password before anything else, if they must. */
export function passwordChangeReason(user: UserRecord, security: AgencySecurity, now: Date): "initial" | "expired" | undefined {
  if (user.mustChangePassword) return "initial";
  if (!user.passwordNeverExpires && passwordExpired(user.passwordChangedAt, now, security.passwordMaxAgeDays)) return "expired";
  return undefined;
}
