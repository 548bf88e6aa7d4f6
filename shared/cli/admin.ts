/**
 * `gongkai admin create-agency | create-user`: the first agency and administrator of a
 * fresh deployment, with no demo seed and nobody signed in yet (issue 11 part 1). Written
 * straight into the table through the same use cases as the admin API (policy checks,
 * the security trail with the CLI as actor): the running local stack's (`npm start`), or,
 * given `--table` and `--region`, a deployed one with the operator's AWS credentials.
 */
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { Clock } from "../domain/clock";
import { systemClock } from "../domain/clock";
import type { Store } from "../app/ports/store";
import { AppError } from "../app/errors";
import { roleLabel } from "../domain/roles";

export interface AdminIo {
  out(line: string): void;
  err(line: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
  clock?: Clock;
}

export class AdminUsageError extends Error {}

export const ADMIN_USAGE = `  gongkai admin create-agency --code CODE --name 名称 --letter-prefix 前缀 [--letterhead 抬头] [--office-contact 联系方式]
        [--office-address 地址] [--review-authority 复议机关] [--court 法院] [--totp-roles administrator,...] [--password-max-age-days 90]
        [--admin-username U --admin-name 姓名 --admin-email E [--admin-phone P]] [--table TABLE --region REGION]
      新建机关（可同时新建其第一位系统管理员），默认要求系统管理员使用双因素认证。
  gongkai admin create-user --agency CODE --username U --name 姓名 --roles r1,r2 --email E [--phone P] [--table TABLE --region REGION]
      新建工作人员账户；首次登录须修改初始密码。
      初始密码从环境变量 GONGKAI_INITIAL_PASSWORD 读取（不出现在命令行和 shell 历史中），或用 --password 给出。
      写入正在运行的本地系统（npm start）；给出 --table 和 --region 时写入该 AWS 部署的 DynamoDB 表（使用操作员的 AWS 凭证）。`;

const PASSWORD_ENV = "GONGKAI_INITIAL_PASSWORD";
const list = (v: string | undefined) => (v ? v.split(",").map((s) => s.trim()).filter(Boolean) : undefined);

async function storeFor(io: AdminIo, table: string | undefined, region: string | undefined): Promise<{ store: Store; tableName: string; where: string } | undefined> {
  const tableName = table ?? io.env.TABLE_NAME;
  if (!tableName) return undefined;
  if (table && !region && !io.env.AWS_REGION && !io.env.AWS_DEFAULT_REGION) throw new AdminUsageError("给出 --table 时须同时给出 --region（例如 cn-north-1）");
  const [{ DynamoDBClient }, { DynamoDBDocumentClient }, { createTable }, { createDynamoStore }] = await Promise.all([
    import("@aws-sdk/client-dynamodb"),
    import("@aws-sdk/lib-dynamodb"),
    import("../adapters/aws/table"),
    import("../adapters/aws/store"),
  ]);
  const ddb = new DynamoDBClient({ region: region ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION ?? "us-east-1" });
  const doc = DynamoDBDocumentClient.from(ddb, { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } });
  const where = table ? `AWS 表 ${tableName}（${region ?? io.env.AWS_REGION}）` : `本地系统（表 ${tableName}）`;
  return { store: createDynamoStore(createTable(doc, tableName)), tableName, where };
}

/** The local stack's movable clock when writing into it (so "changed today" is the stack's today), else the system clock. */
async function clockFor(io: AdminIo, aws: boolean): Promise<Clock> {
  if (io.clock) return io.clock;
  if (aws) return systemClock;
  // the same directory the CLI found the running stack in (shared/cli/main.ts)
  const dataDir = io.env.GONGKAI_DATA_DIR ?? resolve(dirname(fileURLToPath(import.meta.url)), "../../.data");
  const { createLocalClock } = await import("../adapters/local/local-clock");
  return createLocalClock({ file: join(dataDir, "clock.json") });
}

function initialPassword(io: AdminIo, given: string | undefined): string {
  const password = given ?? io.env[PASSWORD_ENV];
  if (!password) throw new AdminUsageError(`缺少初始密码：请设置环境变量 ${PASSWORD_ENV}（或用 --password）`);
  return password;
}

function reportRefusal(io: AdminIo, error: unknown): boolean {
  if (!(error instanceof AppError) || error.status >= 500) return false;
  io.err(`未保存 / Not saved: ${error.message}`);
  for (const f of error.fields) io.err(`  ${f.path || "(请求)"}: ${f.message}`);
  return true;
}

export async function adminCommand(sub: string | undefined, args: string[], io: AdminIo): Promise<number> {
  const common = { table: { type: "string" }, region: { type: "string" }, password: { type: "string" } } as const;
  if (sub === "create-agency") {
    const { values } = parseArgs({
      args,
      strict: true,
      options: {
        ...common,
        code: { type: "string" },
        name: { type: "string" },
        "letter-prefix": { type: "string" },
        letterhead: { type: "string" },
        "office-contact": { type: "string" },
        "office-address": { type: "string" },
        "review-authority": { type: "string" },
        court: { type: "string" },
        "totp-roles": { type: "string" },
        "password-max-age-days": { type: "string" },
        "admin-username": { type: "string" },
        "admin-name": { type: "string" },
        "admin-email": { type: "string" },
        "admin-phone": { type: "string" },
      },
    });
    const wiring = await storeFor(io, values.table, values.region);
    if (!wiring) return noStore(io);
    const withAdmin = values["admin-username"] !== undefined;
    const input = {
      code: values.code ?? "",
      name: values.name ?? "",
      letterPrefix: values["letter-prefix"] ?? "",
      letterhead: values.letterhead,
      officeContact: values["office-contact"],
      officeAddress: values["office-address"],
      reviewAuthority: values["review-authority"],
      court: values.court,
      security: {
        ...(values["totp-roles"] !== undefined ? { totpRoles: list(values["totp-roles"]) ?? [] } : {}),
        ...(values["password-max-age-days"] !== undefined ? { passwordMaxAgeDays: Number(values["password-max-age-days"]) } : {}),
      },
      ...(withAdmin
        ? { administrator: { username: values["admin-username"], displayName: values["admin-name"] ?? "", email: values["admin-email"] ?? "", phone: values["admin-phone"], initialPassword: initialPassword(io, values.password) } }
        : {}),
    };
    const [{ createAgency }, { CLI_ACTOR }] = await Promise.all([import("../app/accounts/agencies"), import("../app/accounts/audit")]);
    try {
      const { agency, administrator } = await createAgency({ store: wiring.store, clock: await clockFor(io, values.table !== undefined) }, CLI_ACTOR, input);
      io.out(`已创建机关 ${agency.name}（${agency.code}），写入${wiring.where}。`);
      io.out(`登录安全策略：双因素认证角色 ${agency.security.totpRoles.map(roleLabel).join("、") || "无"}；密码有效期 ${agency.security.passwordMaxAgeDays} 天；空闲 ${agency.security.sessionIdleMinutes} 分钟退出。`);
      if (administrator) io.out(`已创建系统管理员 ${administrator.displayName}（${administrator.username}）：首次登录须修改初始密码${agency.security.totpRoles.includes("administrator") ? "并绑定验证器应用" : ""}。`);
      return 0;
    } catch (error) {
      if (reportRefusal(io, error)) return 1;
      throw error;
    }
  }
  if (sub === "create-user") {
    const { values } = parseArgs({
      args,
      strict: true,
      options: { ...common, agency: { type: "string" }, username: { type: "string" }, name: { type: "string" }, roles: { type: "string" }, email: { type: "string" }, phone: { type: "string" } },
    });
    if (!values.agency || !/^\d{15}$/.test(values.agency)) throw new AdminUsageError("--agency 应为 15 位机关代码");
    const wiring = await storeFor(io, values.table, values.region);
    if (!wiring) return noStore(io);
    const [{ createAccount }, { CLI_ACTOR }] = await Promise.all([import("../app/accounts/staff"), import("../app/accounts/audit")]);
    const input = { username: values.username ?? "", displayName: values.name ?? "", roles: list(values.roles) ?? [], email: values.email ?? "", phone: values.phone, initialPassword: initialPassword(io, values.password) };
    try {
      const account = await createAccount({ store: wiring.store, clock: await clockFor(io, values.table !== undefined) }, values.agency, input, CLI_ACTOR);
      io.out(`已创建账户 ${account.displayName}（${account.username}），角色：${account.roleLabels.join("、")}，写入${wiring.where}。首次登录须修改初始密码。`);
      return 0;
    } catch (error) {
      if (reportRefusal(io, error)) return 1;
      throw error;
    }
  }
  throw new AdminUsageError(`未知的 admin 子命令：${sub ?? "(无)"}（可用：create-agency、create-user）`);
}

function noStore(io: AdminIo): number {
  io.err("无法写入：本地系统未在运行（请先 npm start），也未给出 --table 和 --region。/ The local stack is not running and no --table/--region was given.");
  return 1;
}
