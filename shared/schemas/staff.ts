import * as z from "zod";
import type { FieldError } from "./errors";
import { applicationInputSchema } from "./application";
import { isIsoDate } from "../domain/calendar/civil-date";
import { channelLabels, type Channel } from "../domain/workflows/application/data";
import { checkText } from "../domain/text";

/**
 * A one-line text of a staff form that is also part of a key (the user's record, the
 * sign-in throttle): bounded, and clean text (shared/domain/text.ts) before any store read.
 */
const keyText = (label: string, missing: string, max: number) =>
  z
    .string({ error: missing })
    .trim()
    .superRefine((v, ctx) => {
      const problem = checkText(label, v);
      if (problem) ctx.addIssue({ code: "custom", message: problem.message, params: { code: problem.code } });
    })
    .min(1, missing)
    .max(max, `${label}过长`);

/** Body of POST /api/v1/auth/login (SPEC §7). */
export const loginSchema = z.object({
  agencyCode: keyText("机关代码", "请选择所属机关", 32).describe("所属机关的政府信息公开目录机关代码"),
  username: keyText("用户名", "请填写用户名", 64).describe("用户名"),
  password: z.string({ error: "请填写密码" }).min(1, "请填写密码").max(256, "密码过长").meta({ format: "password" }).describe("密码"),
  totp: z
    .string({ error: "动态验证码应为 6 位数字" })
    .trim()
    .max(10, "动态验证码应为 6 位数字")
    .optional()
    .transform((v) => (v ? v : undefined))
    .describe("动态验证码（TOTP，6 位数字）：本机关要求双因素认证的角色、且已绑定验证器的账户必填，缺少时答复 401 TOTP_REQUIRED"),
});

export type LoginInput = z.output<typeof loginSchema>;

/** Zod issues of a small staff form as field errors (messages are already Chinese). */
export function issuesToFields(error: z.ZodError): FieldError[] {
  // one message per field: the first issue found
  const first = error.issues.filter((issue, i, all) => all.findIndex((o) => o.path.join(".") === issue.path.join(".")) === i);
  return first.map((issue) => ({
    path: issue.path.join("."),
    code:
      issue.code === "invalid_type"
        ? issue.input === undefined
          ? "required"
          : "wrong_type"
        : issue.code === "too_big"
          ? "too_long"
          : issue.code === "too_small"
            ? "required"
            : issue.code === "custom" && typeof issue.params?.code === "string"
              ? issue.params.code
              : "invalid",
    message: issue.message,
  }));
}

// ---------------------------------------------------------------------------
// Staff entry of a letter, fax or walk-in (SPEC §7.1 POST /api/v1/staff/applications)

/** How an application the office enters came in (every intake channel but `online`). */
export const staffEntryChannels = ["letter", "registered_mail", "fax", "in_person"] as const satisfies readonly Channel[];
export type StaffEntryChannel = (typeof staffEntryChannels)[number];

const entryDate = (label: string) =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .min(1, `请填写${label}`)
    .refine(isIsoDate, { error: `${label}应为 YYYY-MM-DD 格式的日期` })
    .meta({ format: "date" });

/**
 * What the office adds to the application it enters. Mirrors the checks of
 * `enterApplication` (shared/app/applications/intake.ts), which validates these by hand:
 * `channel` one of the four; `receivedOn` a date, required; `signedForOn` a date, required
 * for registered mail (and ignored otherwise), not after `receivedOn`. Neither date may be
 * after today, which needs the clock and is checked there only.
 */
export const staffEntryFactsSchema = z
  .object({
    channel: z
      .enum(staffEntryChannels, { error: "请选择收到申请的方式（信函、挂号信件、传真、当面提交）" })
      .describe(`收到申请的方式：${staffEntryChannels.map((c) => `${c} ${channelLabels[c]}`).join("；")}`),
    receivedOn: entryDate("收到申请的日期").describe(
      "收到申请的日期（不能晚于今天）：当面提交为提交之日；挂号信件为收到日期；信函、传真为与申请人确认收到之日。" +
        "《政府信息公开条例》第三十一条据此和 channel 确定收到申请之日，法定答复期限随即起算",
    ),
    signedForOn: entryDate("挂号信签收日期")
      .optional()
      .describe("挂号信件的邮政签收日期：channel 为 registered_mail 时必填，不能晚于 receivedOn，并以此日为收到申请之日；其他方式忽略"),
  })
  .superRefine((v, ctx) => {
    if (v.channel !== "registered_mail") return;
    if (!v.signedForOn) ctx.addIssue({ code: "custom", path: ["signedForOn"], message: "请填写挂号信签收日期" });
    else if (v.signedForOn > v.receivedOn) ctx.addIssue({ code: "custom", path: ["signedForOn"], message: "签收日期不能晚于收到日期" });
  })
  .meta({
    allOf: [{ if: { properties: { channel: { const: "registered_mail" } }, required: ["channel"] }, then: { required: ["signedForOn"] } }],
  });

/**
 * The whole body of `POST /api/v1/staff/applications`: the §7 application (validated by
 * the same schema as online applications) and the entry's facts.
 */
export const staffApplicationEntrySchema = applicationInputSchema.and(staffEntryFactsSchema);

export type StaffApplicationEntry = z.output<typeof staffApplicationEntrySchema>;
