import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalProcess, removeDataDir, type LocalProcess } from "../support/local-process";
import { localApi, type LocalApi } from "../support/local-api";
import { base32Decode, totpAt } from "../../shared/domain/accounts/totp";
import { DEMO_PASSWORD } from "../../shared/app/seed-demo";

/**
 * Running an agency for real (issue 11 parts 1–2), over HTTP against the local stack as
 * `npm start` runs it: an administrator creates an agency with its first administrator,
 * who sets a password (weak ones refused in Chinese), binds an authenticator and signs in
 * with its code, and creates a user, who is later forced to change an expired password
 * (the local clock moved 91 days); a disabled user's token stops at once; and the CLI's
 * `admin create-user` writes into the running stack.
 */
let stack: LocalProcess;
let api: LocalApi;
const center = "001008010002002";
const fresh = "001008010009001";

beforeAll(async () => {
  stack = await startLocalProcess();
  api = localApi(stack);
}, 90_000);
afterAll(async () => {
  await stack?.stop();
  if (stack) removeDataDir(stack.dataDir);
});

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const login = (agencyCode: string, username: string, password: string, totp?: string) =>
  api.call("POST", "/api/v1/auth/login", { agencyCode, username, password, ...(totp ? { totp } : {}) });
const clockNow = async () => new Date((await api.call("GET", "/api/v1/local/clock")).body.now as string);
/** `YYYY-MM-DDTHH:mm` in Beijing time, `minutes` after the stack's now (rounded up to the minute) */
async function clockTo(minutes: number): Promise<void> {
  const target = new Date((await clockNow()).getTime() + minutes * 60_000 + 60_000);
  const beijing = new Date(target.getTime() + 8 * 3600_000).toISOString().slice(0, 16);
  const res = await api.call("POST", "/api/v1/local/clock", { to: beijing });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  await api.idle(60_000);
}
const tasksStatus = async (token: string) => {
  const res = await api.call("GET", "/api/v1/tasks?status=open", undefined, auth(token));
  return { status: res.status, code: res.body?.error?.code as string | undefined };
};

describe("staff accounts and the sign-in policy over HTTP", () => {
  it("an administrator creates an agency and a user; passwords are set under the policy, TOTP is required, an expired password must be changed", async () => {
    // the demo administrator creates an agency with its first administrator
    const created = await api.call(
      "POST",
      "/api/v1/admin/agencies",
      { code: fresh, name: "黄岩区示例局", letterPrefix: "黄例依复", officeContact: "办公室 0576-84222222", administrator: { username: "chief", displayName: "陈主任", email: "chief@example.gov.cn", initialPassword: "Init#2026x" } },
      auth(await api.token("admin")),
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.agency.security).toEqual({ totpRoles: ["administrator"], passwordMaxAgeDays: 90, sessionIdleMinutes: 30 });

    // first sign-in: the password first, then the second factor, before anything else
    const first = await login(fresh, "chief", "Init#2026x");
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ mustChangePassword: true, mustEnrolTotp: true });
    const chief = first.body.token as string;
    expect(await tasksStatus(chief)).toEqual({ status: 403, code: "PASSWORD_CHANGE_REQUIRED" });
    const weak = await api.call("POST", "/api/v1/auth/password", { currentPassword: "Init#2026x", newPassword: "Chief#2026" }, auth(chief));
    expect(weak.status).toBe(400);
    expect(weak.body.error.fields).toEqual([expect.objectContaining({ path: "newPassword", message: "密码不能包含用户名" })]);
    const common = await api.call("POST", "/api/v1/auth/password", { currentPassword: "Init#2026x", newPassword: "P@ssw0rd" }, auth(chief));
    expect(common.body.error.fields[0]).toMatchObject({ path: "newPassword", message: "该密码属于常见弱密码，容易被猜中，请另选" });
    expect((await api.call("POST", "/api/v1/auth/password", { currentPassword: "Init#2026x", newPassword: "Lantern#93q" }, auth(chief))).status).toBe(200);
    expect(await tasksStatus(chief)).toEqual({ status: 403, code: "TOTP_ENROLMENT_REQUIRED" });
    const enrolment = await api.call("POST", "/api/v1/auth/totp", undefined, auth(chief));
    expect(enrolment.status).toBe(201);
    expect(enrolment.body.otpauthUri).toContain(`secret=${enrolment.body.secret as string}`);
    const key = base32Decode(enrolment.body.secret as string)!;
    expect((await api.call("POST", "/api/v1/auth/totp/confirm", { code: totpAt(key, await clockNow()) }, auth(chief))).status).toBe(200);
    expect(await tasksStatus(chief)).toEqual({ status: 200, code: undefined });

    // the new administrator creates a user of the new agency
    const user = await api.call(
      "POST",
      "/api/v1/admin/users",
      { username: "liwei", displayName: "李伟", roles: ["duty_officer", "leadership_group"], email: "liwei@example.gov.cn", phone: "13900002222", initialPassword: "Temp#2026y" },
      auth(chief),
    );
    expect(user.status, JSON.stringify(user.body)).toBe(201);
    expect(user.body).toMatchObject({ roleLabels: ["值守人员", "领导小组"], passwordChangeDue: "initial" });
    const liweiFirst = await login(fresh, "liwei", "Temp#2026y");
    expect(liweiFirst.body).toMatchObject({ mustChangePassword: true, mustEnrolTotp: false });
    const liwei = liweiFirst.body.token as string;
    expect(await tasksStatus(liwei)).toEqual({ status: 403, code: "PASSWORD_CHANGE_REQUIRED" });
    for (const [newPassword, reason] of [
      ["Short#1", "密码至少 8 位，现为 7 位"],
      ["NoSymbol2026", "密码须含有特殊符号（如 # @ ! % & * 等）"],
      ["x13900002222#", "密码不能包含本人电话号码"],
      ["李伟#2026abc", "密码不能包含本人姓名"],
    ]) {
      const refused = await api.call("POST", "/api/v1/auth/password", { currentPassword: "Temp#2026y", newPassword }, auth(liwei));
      expect(refused.status, newPassword).toBe(400);
      expect(refused.body.error.fields[0], newPassword).toMatchObject({ path: "newPassword", message: reason });
    }
    expect((await api.call("POST", "/api/v1/auth/password", { currentPassword: "Temp#2026y", newPassword: "Meadow#47k" }, auth(liwei))).status).toBe(200);
    expect(await tasksStatus(liwei)).toEqual({ status: 200, code: undefined });

    // a minute on: the administrator needs the code, and a fresh one works
    await clockTo(1);
    const noCode = await login(fresh, "chief", "Lantern#93q");
    expect(noCode.status).toBe(401);
    expect(noCode.body.error.code).toBe("TOTP_REQUIRED");
    const withCode = await login(fresh, "chief", "Lantern#93q", totpAt(key, await clockNow()));
    expect(withCode.status, JSON.stringify(withCode.body)).toBe(200);
    expect(withCode.body.mustChangePassword).toBe(false);

    // 91 days on: the password has expired and must be changed at the next sign-in; the demo accounts are not asked
    await clockTo(91 * 24 * 60);
    const expired = await login(fresh, "liwei", "Meadow#47k");
    expect(expired.body).toMatchObject({ mustChangePassword: true, passwordChangeReason: "expired" });
    expect(await tasksStatus(expired.body.token as string)).toEqual({ status: 403, code: "PASSWORD_CHANGE_REQUIRED" });
    const reuse = await api.call("POST", "/api/v1/auth/password", { currentPassword: "Meadow#47k", newPassword: "Meadow#47k" }, auth(expired.body.token as string));
    expect(reuse.body.error.fields[0]).toMatchObject({ path: "newPassword", code: "recently_used" });
    expect((await api.call("POST", "/api/v1/auth/password", { currentPassword: "Meadow#47k", newPassword: "Orchard#58m" }, auth(expired.body.token as string))).status).toBe(200);
    expect(await tasksStatus(expired.body.token as string)).toEqual({ status: 200, code: undefined });
    const demo = await login(center, "office", DEMO_PASSWORD);
    expect(demo.body.mustChangePassword).toBe(false);
    // the administrator's password expired too; then the list shows both, with names and roles in Chinese
    const chiefLate = await login(fresh, "chief", "Lantern#93q", totpAt(key, await clockNow()));
    expect(chiefLate.body).toMatchObject({ mustChangePassword: true, passwordChangeReason: "expired" });
    const chiefNow = chiefLate.body.token as string;
    expect((await api.call("POST", "/api/v1/auth/password", { currentPassword: "Lantern#93q", newPassword: "Beacon#71r" }, auth(chiefNow))).status).toBe(200);
    const list = await api.call("GET", "/api/v1/admin/users", undefined, auth(chiefNow));
    expect(list.body.map((u: { displayName: string; roleLabels: string[] }) => `${u.displayName}:${u.roleLabels.join("、")}`)).toEqual(["陈主任:系统管理员", "李伟:值守人员、领导小组"]);
    const page = await fetch(`${stack.baseUrl}/console/admin/users`, { headers: auth(chiefNow) });
    expect(page.status).toBe(200);
    const body = await page.text();
    expect(body).toContain("李伟");
    expect(body).toContain("值守人员、领导小组");
    expect(body).not.toContain("liwei@");
  }, 120_000);

  it("disabling a user stops their token at once", async () => {
    const admin = await api.token("admin");
    const created = await api.call("POST", "/api/v1/admin/users", { username: "leaver", displayName: "离职人员", roles: ["office_staff"], email: "leaver@example.gov.cn", initialPassword: "Temp#2026z" }, auth(admin));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const token = (await login(center, "leaver", "Temp#2026z")).body.token as string;
    expect((await api.call("POST", "/api/v1/auth/password", { currentPassword: "Temp#2026z", newPassword: "Granite#62w" }, auth(token))).status).toBe(200);
    expect((await tasksStatus(token)).status).toBe(200);
    const patched = await api.call("PATCH", "/api/v1/admin/users/leaver", { disabled: true }, auth(admin));
    expect(patched.status).toBe(200);
    expect(await tasksStatus(token)).toEqual({ status: 401, code: "UNAUTHORIZED" });
    expect((await login(center, "leaver", "Granite#62w")).status).toBe(401);
  });

  it("npx gongkai admin create-user writes into the running local stack; a weak initial password is refused", async () => {
    const env: Record<string, string | undefined> = { ...process.env, GONGKAI_DATA_DIR: stack.dataDir, GONGKAI_INITIAL_PASSWORD: "Cli#start2026" };
    delete env.TABLE_NAME;
    delete env.AWS_ENDPOINT_URL_DYNAMODB;
    const args = ["bin/gongkai.mjs", "admin", "create-user", "--agency", center, "--username", "fromcli", "--name", "命令行 张三", "--roles", "office_staff,auditor", "--email", "fromcli@example.gov.cn"];
    const run = promisify(execFile);
    const ok = await run(process.execPath, args, { env, timeout: 60_000 });
    expect(ok.stdout).toContain("已创建账户 命令行 张三（fromcli），角色：办公室、审计");
    const weak = await run(process.execPath, [...args.slice(0, 6), "fromcli2", ...args.slice(7)], { env: { ...env, GONGKAI_INITIAL_PASSWORD: "weakpass" }, timeout: 60_000 }).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(weak?.code).toBe(1);
    expect(weak?.stderr).toContain("初始密码不符合要求");
    const signedIn = await login(center, "fromcli", "Cli#start2026");
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.mustChangePassword).toBe(true);
  }, 120_000);
});
