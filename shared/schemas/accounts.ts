/**
 * Bodies of the staff-account API (SPEC §7.4): the password change, the administrator's
 * staff and agency records, TOTP enrolment and the password-reset link. The password rule
 * itself (seed 网站安全防护制度 第二条) is shared/domain/accounts/password-policy.ts, applied
 * by the use cases, which know the person and the agency.
 */
import * as z from "zod";
import { roleLabels, roles, type Role } from "../domain/roles";
import { checkText } from "../domain/text";
import { PASSWORD_MAX_LENGTH } from "../domain/accounts/password-policy";

const line = (label: string, max: number) =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .superRefine((v, ctx) => {
      const problem = checkText(label, v);
      if (problem) ctx.addIssue({ code: "custom", message: problem.message, params: { code: problem.code } });
    })
    .pipe(z.string().min(1, `请填写${label}`).max(max, `${label}不能超过 ${max} 个字`));

const optionalLine = (label: string, max: number) =>
  z
    .string({ error: `${label}应为文本` })
    .trim()
    .superRefine((v, ctx) => {
      const problem = checkText(label, v);
      if (problem) ctx.addIssue({ code: "custom", message: problem.message, params: { code: problem.code } });
    })
    .pipe(z.string().max(max, `${label}不能超过 ${max} 个字`))
    .optional();

const password = (label: string) =>
  z
    .string({ error: `请填写${label}` })
    .min(1, `请填写${label}`)
    .max(PASSWORD_MAX_LENGTH * 2, `${label}过长`)
    .meta({ format: "password" });

/** Staff roles an administrator may give (the applicant is not an account). */
export const staffRoles = roles.filter((r) => r !== "applicant") as Exclude<Role, "applicant">[];

/** 2–64 characters (the sign-in form takes up to 64): letters, digits, `.`, `-`, `_`, not starting with a symbol */
export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$/;

export const usernameSchema = z
  .string({ error: "请填写用户名" })
  .trim()
  .min(1, "请填写用户名")
  .regex(USERNAME_PATTERN, "用户名应为 2–64 位字母、数字、点、连字符或下划线，并以字母或数字开头")
  .describe("用户名：2–64 位字母、数字、“.”“-”“_”，以字母或数字开头；在本机关内唯一，创建后不能修改");

const email = z
  .string({ error: "请填写电子邮箱" })
  .trim()
  .min(1, "请填写电子邮箱")
  .max(254, "电子邮箱过长")
  .refine((v) => z.email().safeParse(v).success, "电子邮箱格式不正确，例如 wangmin@example.gov.cn")
  .describe("电子邮箱：待办提醒和重置密码链接发往此处");

const phone = z
  .string({ error: "联系电话应为文本" })
  .trim()
  .max(32, "联系电话过长")
  .refine((v) => v === "" || (/^[0-9+\-\s()（）]+$/.test(v) && /\d{6,}/.test(v.replace(/\D/g, ""))), "联系电话只能填写数字、连字符“-”、空格和括号，例如 0576-84111111 或 13800000000")
  .describe("联系电话（可选）：密码不得包含它");

const roleList = z
  .array(z.enum(staffRoles, { error: `角色应为以下之一：${staffRoles.map((r) => `${r}（${roleLabels[r]}）`).join("、")}` }), { error: "请选择至少一个角色" })
  .min(1, "请选择至少一个角色")
  .max(staffRoles.length, "角色过多")
  .transform((list) => [...new Set(list)])
  .describe(`角色（可多选）：${staffRoles.map((r) => `${r} ${roleLabels[r]}`).join("；")}`);

/** POST /api/v1/auth/password */
export const passwordChangeSchema = z.object({
  currentPassword: password("当前密码").describe("当前密码（首次登录时为管理员设置的初始密码）"),
  newPassword: password("新密码").describe(
    "新密码：至少 8 位，须含字母、数字和特殊符号；不得包含用户名、本人姓名或电话、本机关名称或机关代码；不得为常见弱密码；不得与最近 5 次使用过的密码相同",
  ),
});

/** POST /api/v1/admin/users */
export const createUserSchema = z.object({
  username: usernameSchema,
  displayName: line("姓名", 40).describe("姓名（界面和文书中显示的名字）"),
  roles: roleList,
  email,
  phone: phone.optional().describe("联系电话（可选）：密码不得包含它"),
  initialPassword: password("初始密码").describe("初始密码：至少 8 位，含字母、数字和特殊符号；用户首次登录后必须修改"),
});

/** PATCH /api/v1/admin/users/{username} */
export const updateUserSchema = z
  .object({
    displayName: line("姓名", 40).optional().describe("姓名"),
    roles: roleList.optional().describe("角色（整组替换；可多选）"),
    email: email.optional().describe("电子邮箱"),
    phone: phone.optional().describe("联系电话；空字符串表示删除"),
    disabled: z.boolean({ error: "“停用”应为 true 或 false" }).optional().describe("true：停用账户，其全部登录令牌立即失效（401）；false：重新启用（旧令牌不会恢复）"),
    totpEnabled: z.literal(false, { error: "双因素认证只能由管理员关闭（false），开启须由本人绑定" }).optional().describe("false：解除用户已绑定的动态验证码（例如手机遗失），用户下次登录时重新绑定"),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: "请至少修改一项", path: [] });

const security = z.object({
  totpRoles: z
    .array(z.enum(staffRoles, { error: "须使用双因素认证的角色有误" }))
    .transform((list) => [...new Set(list)])
    .describe("登录须使用动态验证码（TOTP）的角色；新建机关默认为 administrator"),
  passwordMaxAgeDays: z
    .number({ error: "密码有效期应为天数" })
    .int("密码有效期应为整数天")
    .min(0, "密码有效期不能为负数")
    .max(365, "密码有效期最长 365 天")
    .describe("密码有效期（天），到期后下次登录须修改；0 表示不过期；默认 90"),
  sessionIdleMinutes: z
    .number({ error: "空闲超时应为分钟数" })
    .int("空闲超时应为整数分钟")
    .min(5, "空闲超时至少 5 分钟")
    .max(720, "空闲超时最长 720 分钟")
    .describe("登录后连续无操作多少分钟即退出；默认 30"),
});

const securityInput = security.partial().optional();

const agencyProfile = {
  name: line("机关名称", 60).describe("机关名称"),
  letterhead: optionalLine("文书抬头及落款", 60).describe("文书抬头及落款（印章）名称，默认为机关名称"),
  letterPrefix: line("答复书文号前缀", 20).describe("答复书文号前缀，例如 黄行服依复 → 黄行服依复〔2026〕3号"),
  officeContact: optionalLine("办公室联系方式", 100).describe("办公室联系方式，写入文书，例如 办公室 0576-84111111"),
  officeAddress: optionalLine("办公地址", 100).describe("办公地址"),
  reviewAuthority: optionalLine("行政复议机关", 60).describe("行政复议机关（同级人民政府），写入答复书的救济途径"),
  court: optionalLine("管辖法院", 60).describe("一审管辖法院（可选）"),
};

const firstAdministrator = z.object({
  username: usernameSchema,
  displayName: line("姓名", 40).describe("姓名"),
  email,
  phone: phone.optional().describe("联系电话（可选）"),
  initialPassword: password("初始密码").describe("初始密码：至少 8 位，含字母、数字和特殊符号；首次登录后必须修改"),
});

/** POST /api/v1/admin/agencies */
export const createAgencySchema = z.object({
  code: z
    .string({ error: "请填写机关代码" })
    .trim()
    .regex(/^\d{15}$/, "机关代码应为 15 位数字（政府信息公开目录的机关代码，索引号以它开头）")
    .describe("机关代码：15 位数字，政府信息公开目录索引号的前缀"),
  ...agencyProfile,
  security: securityInput.describe("登录安全策略；省略的项取默认值"),
  administrator: firstAdministrator.optional().describe("该机关的第一位系统管理员（首次登录须修改初始密码并绑定动态验证码）"),
});

/** PATCH /api/v1/admin/agency (the caller's own agency) */
export const updateAgencySchema = z
  .object({
    name: agencyProfile.name.optional().describe("机关名称"),
    letterhead: agencyProfile.letterhead,
    letterPrefix: agencyProfile.letterPrefix.optional().describe("答复书文号前缀"),
    officeContact: agencyProfile.officeContact,
    officeAddress: agencyProfile.officeAddress,
    reviewAuthority: agencyProfile.reviewAuthority,
    court: agencyProfile.court,
    security: securityInput.describe("登录安全策略：只修改给出的项"),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: "请至少修改一项", path: [] });

/** POST /api/v1/auth/totp/confirm */
export const totpConfirmSchema = z.object({
  code: z.string({ error: "请填写动态验证码" }).trim().regex(/^\d{6}$/, "动态验证码应为 6 位数字").describe("验证器应用显示的 6 位动态验证码"),
});

/** POST /api/v1/auth/password-reset */
export const passwordResetSchema = z.object({
  token: z.string({ error: "重置链接无效" }).trim().min(1, "重置链接无效").max(400, "重置链接无效").describe("重置密码邮件中链接所带的一次性令牌"),
  newPassword: passwordChangeSchema.shape.newPassword,
});

export type CreateUserInput = z.output<typeof createUserSchema>;
export type UpdateUserInput = z.output<typeof updateUserSchema>;
export type CreateAgencyInput = z.output<typeof createAgencySchema>;
export type UpdateAgencyInput = z.output<typeof updateAgencySchema>;
