/**
 * The OpenAPI part of the staff-account API (SPEC §7.4, shared/http/account-routes.ts):
 * request bodies from their zod schemas, responses checked against the views they describe.
 */
import type { StaffAccountView } from "../app/accounts/staff";
import type { AgencyView } from "../app/accounts/agencies";
import type { AgencySecurity } from "../domain/records";
import { roleLabel } from "../domain/roles";
import { PASSWORD_HISTORY } from "../domain/accounts/password-policy";
import { createAgencySchema, createUserSchema, passwordChangeSchema, passwordResetSchema, totpConfirmSchema, updateAgencySchema, updateUserSchema } from "./accounts";
import { bool, int, isoInstant, jsonSchemaOf, list, objectOf, ref, text, type JsonSchema } from "./openapi-json";

const opt = <K extends string>(...keys: K[]) => Object.fromEntries(keys.map((k) => [k, true])) as { [P in K]: true };

export function accountComponents(): Record<string, JsonSchema> {
  const security = objectOf<AgencySecurity>(
    "登录安全策略",
    {
      totpRoles: list(ref("Role"), "登录须使用动态验证码（TOTP）的角色"),
      passwordMaxAgeDays: int("密码有效期（天），0 表示不过期"),
      sessionIdleMinutes: int("空闲超时（分钟）"),
    },
    {},
  );
  return {
    PasswordChangeInput: { ...jsonSchemaOf(passwordChangeSchema), description: "修改本人密码" },
    PasswordChanged: objectOf<{ changed: true; passwordChangedAt: string }>("已修改", { changed: { type: "boolean", const: true, description: "总是 true" }, passwordChangedAt: isoInstant("修改时间") }, {}),
    PasswordResetInput: { ...jsonSchemaOf(passwordResetSchema), description: "通过重置链接设置新密码" },
    PasswordResetDone: objectOf<{ reset: true; agencyCode: string; username: string }>(
      "已设置新密码；该用户此前的全部登录令牌失效",
      { reset: { type: "boolean", const: true, description: "总是 true" }, agencyCode: text("所属机关代码"), username: text("用户名") },
      {},
    ),
    TotpEnrolment: objectOf<{ secret: string; otpauthUri: string }>(
      "待确认的验证器密钥（只显示这一次）",
      { secret: text("Base32 密钥，可在验证器应用中手动输入（基于时间，SHA1，30 秒，6 位）"), otpauthUri: text("otpauth://totp/… 地址，可生成二维码供验证器应用扫描") },
      {},
    ),
    TotpConfirmInput: { ...jsonSchemaOf(totpConfirmSchema), description: "确认绑定验证器" },
    TotpEnabled: objectOf<{ totpEnabled: true }>("已绑定，此后登录须填写动态验证码（本机关要求时）", { totpEnabled: { type: "boolean", const: true, description: "总是 true" } }, {}),
    CreateUserInput: { ...jsonSchemaOf(createUserSchema), description: "新建工作人员账户（本机关）" },
    UpdateUserInput: { ...jsonSchemaOf(updateUserSchema), description: "修改账户：只修改给出的字段；联系电话为空字符串时删除" },
    StaffAccount: objectOf<StaffAccountView>(
      "工作人员账户（不含密码及密钥）",
      {
        agencyCode: text("所属机关代码"),
        username: text("用户名"),
        displayName: text("姓名"),
        roles: list(ref("Role"), "角色"),
        roleLabels: list(text("角色的中文名称"), "角色的中文名称"),
        email: text("电子邮箱"),
        phone: text("联系电话"),
        disabled: bool("是否已停用"),
        createdAt: isoInstant("创建时间"),
        lastSignInAt: isoInstant("最近一次登录时间"),
        passwordChangedAt: isoInstant("密码最近一次设置时间"),
        passwordChangeDue: { type: "string", enum: ["initial", "expired"], description: "下次登录须修改密码：initial 初始密码或已重置；expired 已到期" },
        totpEnabled: bool("是否已绑定动态验证码"),
        totpRequired: bool("本机关是否要求该账户的角色使用动态验证码"),
        passwordResetPending: bool("是否有未使用且未过期的重置链接"),
      },
      opt("phone", "createdAt", "lastSignInAt", "passwordChangedAt", "passwordChangeDue"),
    ),
    StaffAccountList: list(ref("StaffAccount"), "本机关的全部账户（含已停用的），按用户名排列"),
    PasswordResetSent: objectOf<{ sent: true; to: string; expiresAt: string }>(
      "已发送重置链接",
      { sent: { type: "boolean", const: true, description: "总是 true" }, to: text("收件的电子邮箱"), expiresAt: isoInstant("链接失效时间") },
      {},
    ),
    AgencySecurity: security,
    Agency: objectOf<AgencyView>(
      "机关",
      {
        code: text("机关代码（15 位数字）"),
        name: text("机关名称"),
        letterhead: text("文书抬头及落款（印章）名称"),
        letterPrefix: text("答复书文号前缀"),
        officeContact: text("办公室联系方式"),
        officeAddress: text("办公地址"),
        reviewAuthority: text("行政复议机关"),
        court: text("管辖法院"),
        security: ref("AgencySecurity"),
        createdAt: isoInstant("创建时间"),
      },
      opt("letterhead", "letterPrefix", "officeContact", "officeAddress", "reviewAuthority", "court", "createdAt"),
    ),
    CreateAgencyInput: { ...jsonSchemaOf(createAgencySchema), description: "新建机关，可同时新建其第一位系统管理员" },
    UpdateAgencyInput: { ...jsonSchemaOf(updateAgencySchema), description: "修改本机关：只修改给出的字段；可选字段为空字符串时删除" },
    AgencyCreated: objectOf<{ agency: AgencyView; administrator?: StaffAccountView }>(
      "已创建",
      { agency: ref("Agency"), administrator: ref("StaffAccount") },
      opt("administrator"),
    ),
  };
}

type Responses = Record<string, unknown>;

/** The paths, given the helpers of shared/http/openapi.ts. */
export function accountPaths(h: {
  staffSecurity: unknown[];
  csrfParameter: unknown;
  pathParameter: (name: string, description: string) => unknown;
  json: (schema: JsonSchema, description: string) => unknown;
  error: (description: string) => unknown;
  badRequest: (what: string) => unknown;
  unauthorized: Responses;
  jsonBodyErrors: () => Responses;
  tooMany: (description: string) => unknown;
  csrfNote: string;
}) {
  const { staffSecurity, csrfParameter, json, error, badRequest, unauthorized, csrfNote } = h;
  const body = (name: string) => ({ required: true, content: { "application/json": { schema: ref(name) } } });
  const admin = `只有${roleLabel("administrator")}（administrator）可以调用，操作限于本机关；每次修改都记入安全审计记录。`;
  const forbidden = error("不是系统管理员，须先修改密码（PASSWORD_CHANGE_REQUIRED）或绑定验证器（TOTP_ENROLMENT_REQUIRED），或缺少 CSRF 令牌（FORBIDDEN）");
  const username = h.pathParameter("username", "用户名");
  const op = <T extends { operationId: string; summary: string }>(o: T) => ({ tags: ["staff"], security: staffSecurity, ...o });
  return {
    "/api/v1/auth/password": {
      post: op({
        operationId: "changePassword",
        summary: "修改本人密码",
        description:
          "密码须符合《政务公开网站安全防护制度》第二条：至少 8 位，含字母、数字和特殊符号；不得包含用户名、本人姓名或电话、本机关名称或机关代码；不得为常见弱密码；" +
          `不得与最近 ${PASSWORD_HISTORY} 次使用过的密码相同。首次登录或密码到期后也用本接口修改（此时其他接口答复 403 PASSWORD_CHANGE_REQUIRED）。当前密码错误计入登录失败次数。${csrfNote}。`,
        parameters: [csrfParameter],
        requestBody: body("PasswordChangeInput"),
        responses: {
          "200": json(ref("PasswordChanged"), "已修改，当前令牌继续有效"),
          "400": badRequest("当前密码不正确（fields[].path 为 currentPassword），或新密码不符合要求（fields[].path 为 newPassword，message 为中文原因）"),
          ...unauthorized,
          "403": error("用会话 Cookie 调用但缺少 CSRF 令牌（FORBIDDEN）"),
          ...h.jsonBodyErrors(),
          "429": h.tooMany("登录失败次数过多（TOO_MANY_REQUESTS），Retry-After 秒后再试"),
        },
      }),
    },
    "/api/v1/auth/password-reset": {
      post: {
        tags: ["staff"],
        operationId: "resetPasswordWithLink",
        summary: "通过重置链接设置新密码（无须登录）",
        description: "令牌来自系统管理员发送的重置邮件（24 小时内有效，只能使用一次）。新密码的要求同 POST /api/v1/auth/password。设置后该用户此前的全部登录令牌失效。",
        security: [],
        requestBody: body("PasswordResetInput"),
        responses: {
          "200": json(ref("PasswordResetDone"), "已设置新密码"),
          "400": badRequest("新密码不符合要求（fields[].path 为 newPassword）"),
          "401": error("链接无效、已使用或已过期（RESET_LINK_INVALID）"),
          ...h.jsonBodyErrors(),
        },
      },
    },
    "/api/v1/auth/totp": {
      post: op({
        operationId: "startTotpEnrolment",
        summary: "绑定验证器应用（双因素认证）：生成新密钥",
        description: `返回的密钥须用 POST /api/v1/auth/totp/confirm 提交一个动态验证码确认后才生效。${csrfNote}。`,
        parameters: [csrfParameter],
        responses: { "201": json(ref("TotpEnrolment"), "待确认的密钥"), ...unauthorized, "403": error("用会话 Cookie 调用但缺少 CSRF 令牌（FORBIDDEN）") },
      }),
    },
    "/api/v1/auth/totp/confirm": {
      post: op({
        operationId: "confirmTotpEnrolment",
        summary: "确认绑定验证器应用",
        description: `此后本机关要求双因素认证的角色登录时须在 POST /api/v1/auth/login 中提供 totp，缺少时答复 401 TOTP_REQUIRED。${csrfNote}。`,
        parameters: [csrfParameter],
        requestBody: body("TotpConfirmInput"),
        responses: {
          "200": json(ref("TotpEnabled"), "已绑定"),
          "400": badRequest("动态验证码格式不对或不正确（fields[].path 为 code）"),
          ...unauthorized,
          "403": error("用会话 Cookie 调用但缺少 CSRF 令牌（FORBIDDEN）"),
          "409": error("没有待确认的密钥（NO_TOTP_ENROLMENT），请先调用 POST /api/v1/auth/totp"),
          ...h.jsonBodyErrors(),
        },
      }),
    },
    "/api/v1/admin/users": {
      get: op({ operationId: "listStaff", summary: "本机关的工作人员账户", description: admin, responses: { "200": json(ref("StaffAccountList"), "账户列表"), ...unauthorized, "403": forbidden } }),
      post: op({
        operationId: "createStaff",
        summary: "新建工作人员账户",
        description: `${admin}初始密码须至少 8 位并含字母、数字和特殊符号；用户首次登录答复 mustChangePassword: true，修改密码前其他接口答复 403 PASSWORD_CHANGE_REQUIRED。${csrfNote}。`,
        parameters: [csrfParameter],
        requestBody: body("CreateUserInput"),
        responses: {
          "201": json(ref("StaffAccount"), "已创建"),
          "400": badRequest("字段缺少或无效，或初始密码不符合要求"),
          ...unauthorized,
          "403": forbidden,
          "409": error("本机关已有该用户名（USER_EXISTS）"),
          ...h.jsonBodyErrors(),
        },
      }),
    },
    "/api/v1/admin/users/{username}": {
      get: op({ operationId: "getStaff", summary: "一个工作人员账户", description: admin, parameters: [username], responses: { "200": json(ref("StaffAccount"), "账户"), ...unauthorized, "403": forbidden, "404": error("没有该用户（NOT_FOUND）") } }),
      patch: op({
        operationId: "updateStaff",
        summary: "修改、停用或重新启用工作人员账户，调整角色",
        description: `${admin}disabled: true 使该用户的全部令牌立即失效（其后调用答复 401），重新启用不会恢复旧令牌。不能停用自己或取消自己的系统管理员角色。${csrfNote}。`,
        parameters: [username, csrfParameter],
        requestBody: body("UpdateUserInput"),
        responses: {
          "200": json(ref("StaffAccount"), "修改后的账户"),
          "400": badRequest("字段无效或未修改任何一项"),
          ...unauthorized,
          "403": forbidden,
          "404": error("没有该用户（NOT_FOUND）"),
          "409": error("不能停用自己或取消自己的管理员角色（SELF_LOCKOUT），或刚被他人修改（CONCURRENT_CHANGE）"),
          ...h.jsonBodyErrors(),
        },
      }),
    },
    "/api/v1/admin/users/{username}/password-reset": {
      post: op({
        operationId: "sendPasswordReset",
        summary: "向用户发送一次性重置密码链接",
        description: `${admin}邮件只含一次性链接（24 小时内有效，再次发送则旧链接作废），从不含密码。${csrfNote}。`,
        parameters: [username, csrfParameter],
        responses: {
          "202": json(ref("PasswordResetSent"), "已排入发送"),
          ...unauthorized,
          "403": forbidden,
          "404": error("没有该用户（NOT_FOUND）"),
          "409": error("账户已停用（USER_DISABLED）或没有电子邮箱（NO_EMAIL）"),
        },
      }),
    },
    "/api/v1/admin/agency": {
      get: op({ operationId: "getOwnAgency", summary: "本机关的信息和登录安全策略", description: admin, responses: { "200": json(ref("Agency"), "本机关"), ...unauthorized, "403": forbidden } }),
      patch: op({
        operationId: "updateOwnAgency",
        summary: "修改本机关的信息和登录安全策略",
        description: `${admin}${csrfNote}。`,
        parameters: [csrfParameter],
        requestBody: body("UpdateAgencyInput"),
        responses: { "200": json(ref("Agency"), "修改后的本机关"), "400": badRequest("字段无效或未修改任何一项"), ...unauthorized, "403": forbidden, ...h.jsonBodyErrors() },
      }),
    },
    "/api/v1/admin/agencies": {
      post: op({
        operationId: "createAgency",
        summary: "新建机关（可同时新建其第一位系统管理员）",
        description: `任一机关的系统管理员可以调用。新机关默认要求系统管理员使用双因素认证，密码有效期 90 天，空闲 30 分钟退出。AWS 上的第一个机关用命令 npx gongkai admin create-agency 创建。${csrfNote}。`,
        parameters: [csrfParameter],
        requestBody: body("CreateAgencyInput"),
        responses: {
          "201": json(ref("AgencyCreated"), "已创建"),
          "400": badRequest("字段缺少或无效"),
          ...unauthorized,
          "403": forbidden,
          "409": error("机关代码已被使用（AGENCY_EXISTS）"),
          ...h.jsonBodyErrors(),
        },
      }),
    },
  };
}
