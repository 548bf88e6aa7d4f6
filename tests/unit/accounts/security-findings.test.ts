import { describe, expect, it } from "vitest";
import { accountFindings } from "../../../shared/domain/accounts/security";
import type { UserRecord } from "../../../shared/domain/records";

/** The account facts a security inspection reads (issue 11 part 6): passwords due, no second factor, unused administrators. */
const now = new Date("2026-12-02T01:00:00Z");
const daysAgo = (n: number) => new Date(now.getTime() - n * 24 * 3600_000).toISOString();
const user = (username: string, o: Partial<UserRecord> = {}): UserRecord => ({
  agencyCode: "001008010002002",
  username,
  displayName: username.toUpperCase(),
  email: `${username}@example.gov.cn`,
  roles: ["office_staff"],
  passwordHash: "x",
  passwordChangedAt: daysAgo(10),
  lastSignInAt: daysAgo(1),
  ...o,
});

describe("account findings of a security inspection", () => {
  it("lists passwords due, accounts without a second factor and administrators unused for 90 days, leaving disabled accounts out", () => {
    const users = [
      user("fresh", { totpEnabled: true }),
      user("old", { passwordChangedAt: daysAgo(91), totpEnabled: true }),
      user("initial", { mustChangePassword: true, totpEnabled: true }),
      user("admin1", { roles: ["administrator"], lastSignInAt: daysAgo(91) }),
      user("admin2", { roles: ["administrator"], lastSignInAt: daysAgo(89), totpEnabled: true }),
      user("admin3", { roles: ["administrator"], lastSignInAt: undefined, createdAt: daysAgo(120), totpEnabled: true }),
      user("gone", { disabled: true, passwordChangedAt: daysAgo(400), roles: ["administrator"], lastSignInAt: daysAgo(400) }),
      user("demo", { passwordNeverExpires: true, passwordChangedAt: daysAgo(400), totpEnabled: true }),
    ];
    const f = accountFindings(users, { security: { totpRoles: ["administrator"], passwordMaxAgeDays: 90, sessionIdleMinutes: 30 } }, now);
    expect(f.passwordChangesDue).toEqual([
      { username: "old", displayName: "OLD", reason: "expired" },
      { username: "initial", displayName: "INITIAL", reason: "initial" },
    ]);
    expect(f.withoutSecondFactor).toEqual([{ username: "admin1", displayName: "ADMIN1", required: true }]);
    expect(f.unusedAdministrators.map((u) => u.username)).toEqual(["admin1", "admin3"]);
  });
});
