import { describe, expect, it } from "vitest";
import { consolePageRoutes } from "../../../functions/http/staff-console";
import { accountPageRoutes } from "../../../shared/http/account-pages";
import { DEMO_PASSWORD, seedDemo } from "../../../shared/app/seed-demo";
import { consoleBrowser, csrfOf, type Jar } from "../../support/console-browser";
import { memoryDeps } from "../../../shared/adapters/memory/deps";
import { fixedClock } from "../../../shared/domain/clock";
import { createStaff, sendPasswordReset } from "../../../shared/app/accounts/staff";
import { signIn } from "../../../shared/app/auth";

/** The console's account pages as a browser uses them: forms only, cookies and CSRF tokens, post/redirect/get. */
const CODE = "001008010002002";

async function console_(username = "admin", password = DEMO_PASSWORD) {
  const deps = memoryDeps(fixedClock("2026-12-02T06:05:00Z"));
  await seedDemo({ store: deps.store, clock: deps.clock });
  const send = consoleBrowser([...consolePageRoutes(() => deps), ...accountPageRoutes(() => deps)]);
  const jar: Jar = new Map();
  const signInAs = async (user: string, pw: string) => {
    jar.clear();
    const login = await send("GET", "/console/login", { jar });
    return send("POST", "/console/login", { jar, form: { csrfToken: csrfOf(login.body), agencyCode: CODE, username: user, password: pw, next: "/console/inbox" } });
  };
  const res = await signInAs(username, password);
  return { deps, send, jar, res, signInAs };
}

describe("account pages", () => {
  it("the administrator lists accounts by name with roles in Chinese, creates one through the form, and a refused form comes back with its errors", async () => {
    const { deps, send, jar } = await console_();
    const list = await send("GET", "/console/admin/users", { jar });
    expect(list.status).toBe(200);
    expect(list.body).toContain("值守人员 冯雪");
    expect(list.body).toContain("网站管理员、公众号管理员");
    const form = await send("GET", "/console/admin/users/new", { jar });
    const csrfToken = csrfOf(form.body);
    const refused = await send("POST", "/console/admin/users/new", { jar, form: { csrfToken, username: "x!", displayName: "", email: "bad", initialPassword: "short" } });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('<a href="#f-username">用户名应为 2–64 位');
    expect(refused.body).toContain("请选择至少一个角色");
    expect(refused.body).toContain("初始密码不符合要求：密码至少 8 位，现为 5 位");
    expect(await deps.store.directory.user(CODE, "x!")).toBeUndefined();
    const created = await send("POST", "/console/admin/users/new", {
      jar,
      form: { csrfToken, username: "sunli2", displayName: "孙丽", role_web_admin: "yes", role_security_officer: "yes", email: "sunli2@example.gov.cn", initialPassword: "Start#2026x" },
    });
    expect(created.status).toBe(303);
    expect((await deps.store.directory.user(CODE, "sunli2"))!.roles).toEqual(["web_admin", "security_officer"]);
    // disabling through the edit form
    const edit = await send("GET", "/console/admin/users/sunli2", { jar });
    expect(edit.body).toContain("发送重置链接");
    const saved = await send("POST", "/console/admin/users/sunli2", { jar, form: { csrfToken, displayName: "孙丽", email: "sunli2@example.gov.cn", role_web_admin: "yes", disabled: "yes" } });
    expect(saved.status).toBe(303);
    expect((await deps.store.directory.user(CODE, "sunli2"))).toMatchObject({ disabled: true, roles: ["web_admin"] });
    // without the session's CSRF token nothing is stored
    const forged = await send("POST", "/console/admin/users/sunli2", { jar, form: { displayName: "改名", email: "sunli2@example.gov.cn", role_web_admin: "yes" } });
    expect(forged.status).toBe(403);
    expect((await deps.store.directory.user(CODE, "sunli2"))!.displayName).toBe("孙丽");
    // all of it on the security trail page, by name and in Beijing time
    const trail = await send("GET", "/console/admin/security", { jar });
    expect(trail.status).toBe(200);
    expect(trail.body).toContain("系统管理员 刘洋创建了账户 孙丽（sunli2），角色：网站管理员、安全员");
    expect(trail.body).toContain("系统管理员 刘洋停用了账户 孙丽（sunli2）");
    expect(trail.body).toContain("2026-12-02 14:05");
  });

  it("a new account's first sign-in lands on the password page, every other page sends there, and the new password opens the console", async () => {
    const { deps, send, jar, signInAs } = await console_();
    await createStaff(deps, (await signIn(deps, { agencyCode: CODE, username: "admin", password: DEMO_PASSWORD })).principal, {
      username: "newbie",
      displayName: "新同事",
      roles: ["office_staff"],
      email: "newbie@example.gov.cn",
      initialPassword: "Start#2026x",
    });
    const first = await signInAs("newbie", "Start#2026x");
    expect(first.headers.location).toBe("/console/account/password");
    expect((await send("GET", "/console/inbox", { jar })).headers.location).toBe("/console/account/password");
    const page = await send("GET", "/console/account/password", { jar });
    expect(page.body).toContain("首次登录或密码被重置后，请先设置您自己的新密码。");
    const csrfToken = csrfOf(page.body);
    const weak = await send("POST", "/console/account/password", { jar, form: { csrfToken, currentPassword: "Start#2026x", newPassword: "Admin@123", confirmPassword: "Admin@123" } });
    expect(weak.status).toBe(400);
    expect(weak.body).toContain("该密码属于常见弱密码，容易被猜中，请另选");
    const mismatch = await send("POST", "/console/account/password", { jar, form: { csrfToken, currentPassword: "Start#2026x", newPassword: "Qz7#mPv2k", confirmPassword: "Qz7#mPv2j" } });
    expect(mismatch.body).toContain("两次输入的新密码不一致");
    const ok = await send("POST", "/console/account/password", { jar, form: { csrfToken, currentPassword: "Start#2026x", newPassword: "Qz7#mPv2k", confirmPassword: "Qz7#mPv2k" } });
    expect(ok.status).toBe(303);
    expect((await send("GET", "/console/inbox", { jar })).status).toBe(200);
  });

  it("the TOTP page shows the secret and its otpauth URI once, and a code confirms it", async () => {
    const { deps, send, jar } = await console_("office");
    const page = await send("GET", "/console/account/totp", { jar });
    expect(page.body).toContain("当前状态：未绑定");
    const started = await send("POST", "/console/account/totp", { jar, form: { csrfToken: csrfOf(page.body), action: "start" } });
    const secret = /id="totp-secret">([A-Z2-7]+)</.exec(started.body)![1]!;
    expect(started.body).toContain("otpauth://totp/");
    const { totpAt, base32Decode } = await import("../../../shared/domain/accounts/totp");
    const done = await send("POST", "/console/account/totp", { jar, form: { csrfToken: csrfOf(started.body), action: "confirm", code: totpAt(base32Decode(secret)!, deps.clock.now()) } });
    expect(done.status).toBe(303);
    expect((await deps.store.directory.user(CODE, "office"))).toMatchObject({ totpEnabled: true, totpSecret: secret });
  });

  it("a reset link's page sets a new password once, without signing in", async () => {
    const { deps, send } = await console_();
    const admin = (await signIn(deps, { agencyCode: CODE, username: "admin", password: DEMO_PASSWORD })).principal;
    await sendPasswordReset(deps, admin, "auditor");
    const mail = deps.outbox.take("mail");
    const text = String((await mail)[0]!.text);
    const token = decodeURIComponent(/token=(\S+)/.exec(text)![1]!);
    const page = await send("GET", `/console/password-reset?token=${encodeURIComponent(token)}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain("审计 马琳，请设置您的新密码。");
    const set = await send("POST", "/console/password-reset", { form: { token, newPassword: "Willow#64t", confirmPassword: "Willow#64t" } });
    expect(set.body).toContain("已设置新密码");
    expect((await send("GET", `/console/password-reset?token=${encodeURIComponent(token)}`)).status).toBe(404);
  });
});
