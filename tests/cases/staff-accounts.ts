import { describe, expect, it } from "vitest";
import type { Harness } from "../support/harness";
import { authenticate, signIn, TotpRequiredError } from "../../shared/app/auth";
import { changeOwnPassword, resetPasswordWithLink } from "../../shared/app/accounts/passwords";
import { createStaff, listStaff, sendPasswordReset, updateStaff } from "../../shared/app/accounts/staff";
import { createAgency, updateOwnAgency } from "../../shared/app/accounts/agencies";
import { confirmTotpEnrolment, startTotpEnrolment } from "../../shared/app/accounts/totp-enrolment";
import { ConflictError, UnauthorizedError, ValidationError } from "../../shared/app/errors";
import { base32Decode, totpAt } from "../../shared/domain/accounts/totp";
import { CLI_ACTOR } from "../../shared/app/accounts/audit";
import { DEMO_PASSWORD } from "../../shared/app/seed-demo";

/**
 * Staff accounts and the sign-in policy (issue 11 parts 1–2) as use cases see them:
 * offline on in-memory ports and connected on DynamoDB Local — the same cases, word for word.
 */

const center = "001008010002002";
const DAY = 24 * 3600_000;

async function refusal(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a refusal");
}

const newcomer = (overrides: Record<string, unknown> = {}) => ({
  username: "zhoujie",
  displayName: "周洁",
  roles: ["info_officer", "duty_officer"],
  email: "zhoujie@example.gov.cn",
  phone: "13800001111",
  initialPassword: "Start#2026x",
  ...overrides,
});

export function staffAccountCases(label: string, makeHarness: () => Promise<Harness>): void {
  describe(`staff accounts and sign-in policy (${label})`, () => {
    it("an administrator's new account must change its initial password first; weak and reused passwords are refused in Chinese; all on the trail", async () => {
      const h = await makeHarness();
      const admin = await h.signIn("admin");
      // Act: create (twice: the second is refused and stores nothing more)
      const created = await createStaff(h.deps, admin, newcomer());
      const twice = await refusal(createStaff(h.deps, admin, newcomer({ displayName: "另一人" })));
      const first = await signIn(h.deps, { agencyCode: center, username: "zhoujie", password: "Start#2026x" });
      const weak = await refusal(changeOwnPassword(h.deps, first.principal, { currentPassword: "Start#2026x", newPassword: "zhoujie#2026" }));
      const short = await refusal(changeOwnPassword(h.deps, first.principal, { currentPassword: "Start#2026x", newPassword: "a#1" }));
      const same = await refusal(changeOwnPassword(h.deps, first.principal, { currentPassword: "Start#2026x", newPassword: "Start#2026x" }));
      const wrong = await refusal(changeOwnPassword(h.deps, first.principal, { currentPassword: "Nope#2026x", newPassword: "Qz7#mPv2k" }));
      const ok = await changeOwnPassword(h.deps, first.principal, { currentPassword: "Start#2026x", newPassword: "Qz7#mPv2k" });
      const after = await signIn(h.deps, { agencyCode: center, username: "zhoujie", password: "Qz7#mPv2k" });
      // Assess
      expect(created).toMatchObject({ username: "zhoujie", roleLabels: ["信息员", "值守人员"], passwordChangeDue: "initial", disabled: false });
      expect(twice).toBeInstanceOf(ConflictError);
      expect((await listStaff(h.deps, admin)).filter((u) => u.username === "zhoujie").map((u) => u.displayName)).toEqual(["周洁"]);
      expect(first.mustChangePassword).toBe(true);
      expect(first.principal.mustChangePassword).toBe("initial");
      for (const [e, message] of [
        [weak, "密码不能包含用户名"],
        [short, "密码至少 8 位"],
        [same, "不能与最近 5 次使用过的密码相同"],
      ] as const) {
        expect(e).toBeInstanceOf(ValidationError);
        expect((e as ValidationError).fields[0]).toMatchObject({ path: "newPassword" });
        expect((e as ValidationError).fields[0]!.message).toContain(message);
      }
      expect((wrong as ValidationError).fields).toEqual([{ path: "currentPassword", code: "wrong_password", message: "当前密码不正确" }]);
      expect(ok.changed).toBe(true);
      expect(after.mustChangePassword).toBe(false);
      const trail = (await h.deps.store.security.list(center)).filter((e) => e.username === "zhoujie");
      // the clock stands still here: records of one moment come in no particular order
      expect(trail.map((e) => e.type).sort()).toEqual(["password.changed", "signin.failed", "signin.succeeded", "signin.succeeded", "user.created"]);
      const creation = trail.find((e) => e.type === "user.created")!;
      expect(creation).toMatchObject({ actor: { username: "admin", displayName: "系统管理员 刘洋" } });
      expect(creation.summary).toBe("系统管理员 刘洋创建了账户 周洁（zhoujie），角色：信息员、值守人员");
      const stored = (await h.deps.store.directory.user(center, "zhoujie"))!;
      expect(stored).toMatchObject({ mustChangePassword: false, passwordChangedAt: h.clock.now().toISOString() });
      expect(stored.lastSignInAt).toBeDefined();
    });

    it("the last 5 passwords cannot be chosen again; the 6th back can", async () => {
      const h = await makeHarness();
      const admin = await h.signIn("admin");
      await createStaff(h.deps, admin, newcomer({ initialPassword: "Pw0#start" }));
      const me = { agencyCode: center, username: "zhoujie" };
      const chosen = ["Pw1#kestrel", "Pw2#kestrel", "Pw3#kestrel", "Pw4#kestrel", "Pw5#kestrel"];
      let current = "Pw0#start";
      for (const next of chosen) {
        await changeOwnPassword(h.deps, me, { currentPassword: current, newPassword: next });
        current = next;
      }
      // the current one and the four before it are the last 5; the initial one is the 6th back
      const reused = await refusal(changeOwnPassword(h.deps, me, { currentPassword: current, newPassword: "Pw2#kestrel" }));
      expect((reused as ValidationError).fields[0]).toMatchObject({ path: "newPassword", code: "recently_used" });
      await expect(changeOwnPassword(h.deps, me, { currentPassword: current, newPassword: "Pw0#start" })).resolves.toMatchObject({ changed: true });
    });

    it("a password expires after the agency's period (90 days by default) and must be changed at the next sign-in; demo accounts never expire", async () => {
      const h = await makeHarness();
      const admin = await h.signIn("admin");
      await createStaff(h.deps, admin, newcomer());
      await changeOwnPassword(h.deps, { agencyCode: center, username: "zhoujie" }, { currentPassword: "Start#2026x", newPassword: "Qz7#mPv2k" });
      // Act
      await h.advanceTo(new Date(h.clock.now().getTime() + 89 * DAY));
      const before = await signIn(h.deps, { agencyCode: center, username: "zhoujie", password: "Qz7#mPv2k" });
      await h.advanceTo(new Date(h.clock.now().getTime() + 1 * DAY));
      const expired = await signIn(h.deps, { agencyCode: center, username: "zhoujie", password: "Qz7#mPv2k" });
      const demo = await signIn(h.deps, { agencyCode: center, username: "office", password: DEMO_PASSWORD });
      // Assess
      expect(before.mustChangePassword).toBe(false);
      expect(expired).toMatchObject({ mustChangePassword: true, principal: { mustChangePassword: "expired" } });
      expect(demo.mustChangePassword).toBe(false);
      const overview = await listStaff(h.deps, await h.signIn("admin"));
      expect(overview.find((u) => u.username === "zhoujie")?.passwordChangeDue).toBe("expired");
      // a shorter period set by the administrator applies at once
      await updateOwnAgency(h.deps, admin, { security: { passwordMaxAgeDays: 0 } });
      expect((await signIn(h.deps, { agencyCode: center, username: "zhoujie", password: "Qz7#mPv2k" })).mustChangePassword).toBe(false);
    });

    it("a new agency asks its administrators for a second factor: enrol with a code, then sign in with it (no code: TOTP_REQUIRED; wrong or replayed: refused)", async () => {
      const h = await makeHarness();
      const created = await createAgency(h.deps, CLI_ACTOR, {
        code: "001008010009001",
        name: "黄岩区测试局",
        letterPrefix: "黄测依复",
        officeContact: "办公室 0576-84999999",
        administrator: { username: "chief", displayName: "陈主任", email: "chief@example.gov.cn", initialPassword: "Init#2026x" },
      });
      expect(created.agency.security).toEqual({ totpRoles: ["administrator"], passwordMaxAgeDays: 90, sessionIdleMinutes: 30 });
      const code = "001008010009001";
      const first = await signIn(h.deps, { agencyCode: code, username: "chief", password: "Init#2026x" });
      expect(first).toMatchObject({ mustChangePassword: true, mustEnrolTotp: true });
      await changeOwnPassword(h.deps, first.principal, { currentPassword: "Init#2026x", newPassword: "Lantern#93q" });
      const enrolment = await startTotpEnrolment(h.deps, first.principal);
      expect(enrolment.otpauthUri).toMatch(/^otpauth:\/\/totp\/.+\?secret=[A-Z2-7]+&issuer=/);
      const key = base32Decode(enrolment.secret)!;
      const wrongCode = await refusal(confirmTotpEnrolment(h.deps, first.principal, { code: totpAt(key, new Date(h.clock.now().getTime() + 300_000)) }));
      expect((wrongCode as ValidationError).fields[0]).toMatchObject({ path: "code" });
      await confirmTotpEnrolment(h.deps, first.principal, { code: totpAt(key, h.clock.now()) });
      // Act: sign in again, half a minute on
      await h.advanceTo(new Date(h.clock.now().getTime() + 30_000));
      const noCode = await refusal(signIn(h.deps, { agencyCode: code, username: "chief", password: "Lantern#93q" }));
      const wrong = await refusal(signIn(h.deps, { agencyCode: code, username: "chief", password: "Lantern#93q", totp: "000000" === totpAt(key, h.clock.now()) ? "111111" : "000000" }));
      const good = await signIn(h.deps, { agencyCode: code, username: "chief", password: "Lantern#93q", totp: totpAt(key, h.clock.now()) });
      const replay = await refusal(signIn(h.deps, { agencyCode: code, username: "chief", password: "Lantern#93q", totp: totpAt(key, h.clock.now()) }));
      // Assess
      expect(noCode).toBeInstanceOf(TotpRequiredError);
      expect((noCode as UnauthorizedError).code).toBe("TOTP_REQUIRED");
      expect((wrong as UnauthorizedError).code).toBe("TOTP_REQUIRED");
      expect(good).toMatchObject({ mustChangePassword: false, mustEnrolTotp: false });
      expect((replay as UnauthorizedError).code).toBe("TOTP_REQUIRED");
      const types = (await h.deps.store.security.list(code)).map((e) => e.type);
      expect(types).toEqual(expect.arrayContaining(["agency.created", "user.created", "password.changed", "totp.enrolled", "signin.totp_failed", "signin.succeeded"]));
      // the demo agency asks no second factor: its administrator signs in with a password alone
      expect((await signIn(h.deps, { agencyCode: center, username: "admin", password: DEMO_PASSWORD })).mustEnrolTotp).toBe(false);
    });

    it("disabling stops the user's tokens at once; role changes are recorded from → to; an administrator cannot lock themselves out", async () => {
      const h = await makeHarness();
      const admin = await h.signIn("admin");
      const duty = await signIn(h.deps, { agencyCode: center, username: "duty", password: DEMO_PASSWORD });
      expect(await authenticate(h.deps, duty.token)).toBeDefined();
      // Act
      const moved = await updateStaff(h.deps, admin, "duty", { roles: ["duty_officer", "leadership_group"] });
      const disabled = await updateStaff(h.deps, admin, "duty", { disabled: true });
      const self = await refusal(updateStaff(h.deps, admin, "admin", { disabled: true }));
      const selfRole = await refusal(updateStaff(h.deps, admin, "admin", { roles: ["office_staff"] }));
      const bad = await refusal(updateStaff(h.deps, admin, "duty", { roles: ["nobody"] }));
      const refusedSignIn = await refusal(signIn(h.deps, { agencyCode: center, username: "duty", password: DEMO_PASSWORD }));
      // Assess
      expect(moved.roleLabels).toEqual(["值守人员", "领导小组"]);
      expect(disabled.disabled).toBe(true);
      expect(await authenticate(h.deps, duty.token)).toBeUndefined();
      expect(refusedSignIn).toBeInstanceOf(UnauthorizedError);
      expect(self).toBeInstanceOf(ConflictError);
      expect(selfRole).toBeInstanceOf(ConflictError);
      expect((bad as ValidationError).fields[0]!.path).toMatch(/^roles/);
      expect((await h.deps.store.directory.user(center, "duty"))!.roles).toEqual(["duty_officer", "leadership_group"]);
      const trail = (await h.deps.store.security.list(center)).filter((e) => e.username === "duty" && e.type.startsWith("user."));
      expect(trail.map((e) => e.type).sort()).toEqual(["user.disabled", "user.roles_changed"]);
      const roleChange = trail.find((e) => e.type === "user.roles_changed")!;
      expect(roleChange.data).toEqual({ from: ["duty_officer"], to: ["duty_officer", "leadership_group"] });
      expect(roleChange.summary).toBe("系统管理员 刘洋将 值守人员 冯雪（duty）的角色由「值守人员」改为「值守人员、领导小组」");
      // only administrators
      await expect(listStaff(h.deps, await h.signIn("office"))).rejects.toMatchObject({ status: 403 });
    });

    it("a password reset mails a one-time link (no password in it); the link sets a policy-checked password once and ends old sessions", async () => {
      const h = await makeHarness();
      const admin = await h.signIn("admin");
      const old = await signIn(h.deps, { agencyCode: center, username: "officer", password: DEMO_PASSWORD });
      // Act
      const sent = await sendPasswordReset(h.deps, admin, "officer");
      await h.settle();
      const mail = h.sent.find((m) => m.subject.includes("重置后台登录密码"))!;
      const token = decodeURIComponent(/token=([^\s]+)/.exec(mail.text)![1]!);
      const weak = await refusal(resetPasswordWithLink(h.deps, { token, newPassword: "password" }));
      const done = await resetPasswordWithLink(h.deps, { token, newPassword: "Harbour#58z" });
      const again = await refusal(resetPasswordWithLink(h.deps, { token, newPassword: "Harbour#59z" }));
      // Assess
      expect(sent).toMatchObject({ sent: true, to: "officer.002@demo.gongkai.local" });
      expect(mail.to).toEqual(["officer.002@demo.gongkai.local"]);
      expect(mail.text).not.toContain(DEMO_PASSWORD);
      expect(mail.text).not.toContain("Harbour");
      expect((weak as ValidationError).fields[0]).toMatchObject({ path: "newPassword" });
      expect(done).toMatchObject({ reset: true, username: "officer" });
      expect((again as UnauthorizedError).code).toBe("RESET_LINK_INVALID");
      expect(await authenticate(h.deps, old.token)).toBeUndefined();
      await h.advanceTo(new Date(h.clock.now().getTime() + 1000));
      expect((await signIn(h.deps, { agencyCode: center, username: "officer", password: "Harbour#58z" })).mustChangePassword).toBe(false);
      const types = (await h.deps.store.security.list(center)).filter((e) => e.username === "officer").map((e) => e.type);
      expect(types).toEqual(expect.arrayContaining(["password.reset_sent", "password.reset"]));
    });

    it("a session ends after the agency's idle time without a request, and lives on while used", async () => {
      const h = await makeHarness();
      const { token } = await signIn(h.deps, { agencyCode: center, username: "office", password: DEMO_PASSWORD });
      const other = (await signIn(h.deps, { agencyCode: center, username: "deputy", password: DEMO_PASSWORD })).token;
      for (let i = 0; i < 3; i++) {
        await h.advanceTo(new Date(h.clock.now().getTime() + 20 * 60_000));
        expect(await authenticate(h.deps, token)).toBeDefined();
      }
      // the other one was idle for an hour
      expect(await authenticate(h.deps, other)).toBeUndefined();
      await h.advanceTo(new Date(h.clock.now().getTime() + 31 * 60_000));
      expect(await authenticate(h.deps, token)).toBeUndefined();
      // recording a request never brings back a session signed out meanwhile
      const third = await signIn(h.deps, { agencyCode: center, username: "office", password: DEMO_PASSWORD });
      await h.deps.store.sessions.delete(third.principal.tokenHash);
      await h.deps.store.sessions.touch(third.principal.tokenHash, h.clock.now().toISOString());
      expect(await h.deps.store.sessions.get(third.principal.tokenHash)).toBeUndefined();
    });

    it("agency edits are checked (nothing stored on a refusal) and recorded", async () => {
      const h = await makeHarness();
      const admin = await h.signIn("admin");
      const before = await h.deps.store.directory.agency(center);
      const bad = await refusal(updateOwnAgency(h.deps, admin, { letterPrefix: "", security: { sessionIdleMinutes: 1 } }));
      expect(bad).toBeInstanceOf(ValidationError);
      expect((bad as ValidationError).fields.map((f) => f.path).sort()).toEqual(["letterPrefix", "security.sessionIdleMinutes"]);
      expect(await h.deps.store.directory.agency(center)).toEqual(before);
      const saved = await updateOwnAgency(h.deps, admin, { officeContact: "办公室 0576-84111111", security: { totpRoles: ["administrator", "web_admin"] } });
      expect(saved).toMatchObject({ officeContact: "办公室 0576-84111111", security: { totpRoles: ["administrator", "web_admin"], passwordMaxAgeDays: 90 } });
      const last = (await h.deps.store.security.list(center)).filter((e) => e.type === "agency.updated");
      expect(last.map((e) => e.summary)).toEqual(["系统管理员 刘洋修改了本机关的办公室联系方式、登录安全策略（双因素认证角色：系统管理员、网站管理员；密码有效期 90 天；空闲 30 分钟退出）"]);
      const taken = await refusal(createAgency(h.deps, CLI_ACTOR, { code: center, name: "重复", letterPrefix: "重" }));
      expect(taken).toMatchObject({ status: 409, code: "AGENCY_EXISTS" });
    });
  });
}
