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

export const UNUSED_ADMIN_DAYS = 90;

/** What a website-security inspection (巡检, issue 11 part 6) reads of an agency's accounts. */
export interface AccountFindings {
  /** active accounts whose password must be changed: set by an administrator and not yet changed, or expired */
  passwordChangesDue: Array<{ username: string; displayName: string; reason: "initial" | "expired" }>;
  /** active accounts without a confirmed second factor (`required`: the agency's policy asks one of their roles) */
  withoutSecondFactor: Array<{ username: string; displayName: string; required: boolean }>;
  /** active administrators with no sign-in for UNUSED_ADMIN_DAYS days (never signed in: counted from creation) */
  unusedAdministrators: Array<{ username: string; displayName: string; lastSignInAt?: string }>;
}

/** The inspection's account findings at `now` (disabled accounts are left out: they cannot sign in). */
export function accountFindings(users: UserRecord[], agency: Pick<AgencyRecord, "security"> | undefined, now: Date): AccountFindings {
  const security = securityOf(agency);
  const active = users.filter((u) => !u.disabled);
  const cutoff = now.getTime() - UNUSED_ADMIN_DAYS * 24 * 3600_000;
  const who = (u: UserRecord) => ({ username: u.username, displayName: u.displayName });
  return {
    passwordChangesDue: active.flatMap((u) => {
      const reason = passwordChangeReason(u, security, now);
      return reason ? [{ ...who(u), reason }] : [];
    }),
    withoutSecondFactor: active.filter((u) => !u.totpEnabled).map((u) => ({ ...who(u), required: needsTotp(u, security) })),
    unusedAdministrators: active
      .filter((u) => u.roles.includes("administrator"))
      .filter((u) => {
        const last = Date.parse(u.lastSignInAt ?? u.createdAt ?? "");
        return Number.isNaN(last) || last < cutoff;
      })
      .map((u) => ({ ...who(u), ...(u.lastSignInAt ? { lastSignInAt: u.lastSignInAt } : {}) })),
  };
}
