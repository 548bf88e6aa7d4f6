import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT_OK, EXIT_USAGE, runCli } from "../../../shared/cli/main";
import { signIn } from "../../../shared/app/auth";
import { startTestStack, type TestStack } from "../../support/stack";
import { appDepsFor } from "../../support/app";

/**
 * `gongkai admin create-agency | create-user --table T --region R`: the first agency and
 * administrator of a fresh deployment, written into the named table with the operator's
 * credentials. Here the table is DynamoDB Local's (the SDK finds it through
 * AWS_ENDPOINT_URL_DYNAMODB, as it would find AWS through the region), with no demo seed.
 */
let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ clockStart: "2026-12-02T01:30:00.000Z" });
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

function cli(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const run = runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l), env: { GONGKAI_INITIAL_PASSWORD: "First#2026a", ...env }, cwd: process.cwd(), clock: stack.clock });
  return run.then((code) => ({ code, out: out.join("\n"), err: err.join("\n") }));
}

describe("gongkai admin against a named table", () => {
  it("creates an agency with its first administrator, then a user; both must change their initial password, the administrator enrols TOTP", async () => {
    const table = ["--table", stack.config.tableName, "--region", "us-east-1"];
    const agency = await cli(["admin", "create-agency", "--code", "001008010004001", "--name", "黄岩区新机关", "--letter-prefix", "黄新依复", "--admin-username", "root1", "--admin-name", "首任管理员", "--admin-email", "root1@example.gov.cn", ...table]);
    expect(agency.code, agency.err).toBe(EXIT_OK);
    expect(agency.out).toContain("已创建机关 黄岩区新机关（001008010004001）");
    expect(agency.out).toContain("双因素认证角色 系统管理员");
    const user = await cli(["admin", "create-user", "--agency", "001008010004001", "--username", "clerk", "--name", "办事员", "--roles", "office_staff", "--email", "clerk@example.gov.cn", ...table], { GONGKAI_INITIAL_PASSWORD: "Clerk#2026b" });
    expect(user.code, user.err).toBe(EXIT_OK);
    const deps = appDepsFor(stack);
    expect(await signIn(deps, { agencyCode: "001008010004001", username: "root1", password: "First#2026a" })).toMatchObject({ mustChangePassword: true, mustEnrolTotp: true });
    expect(await signIn(deps, { agencyCode: "001008010004001", username: "clerk", password: "Clerk#2026b" })).toMatchObject({ mustChangePassword: true, mustEnrolTotp: false });
    const trail = await deps.store.security.list("001008010004001");
    expect(trail.map((e) => e.type)).toEqual(expect.arrayContaining(["agency.created", "user.created", "user.created"]));
    expect(trail.find((e) => e.type === "agency.created")!.actor).toEqual({ username: "-", displayName: "命令行工具" });
  });

  it("refuses a taken username, a bad role and a missing region, storing nothing", async () => {
    const table = ["--table", stack.config.tableName, "--region", "us-east-1"];
    const base = ["admin", "create-user", "--agency", "001008010004001", "--name", "某人", "--email", "x@example.gov.cn"];
    const taken = await cli([...base, "--username", "clerk", "--roles", "office_staff", ...table]);
    expect(taken.code).toBe(1);
    expect(taken.err).toContain("该用户名已被使用");
    const role = await cli([...base, "--username", "clerk2", "--roles", "boss", ...table]);
    expect(role.code).toBe(1);
    expect(role.err).toContain("角色应为以下之一");
    const noRegion = await cli([...base, "--username", "clerk3", "--roles", "office_staff", "--table", stack.config.tableName]);
    expect(noRegion.code).toBe(EXIT_USAGE);
    expect(await appDepsFor(stack).store.directory.user("001008010004001", "clerk2")).toBeUndefined();
  });
});
