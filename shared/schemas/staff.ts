import { z } from "zod";
import type { FieldError } from "./errors";

/** Body of POST /api/v1/auth/login (SPEC §7). */
export const loginSchema = z.object({
  agencyCode: z.string({ error: "请选择所属机关" }).trim().min(1, "请选择所属机关").max(32, "机关代码过长"),
  username: z.string({ error: "请填写用户名" }).trim().min(1, "请填写用户名").max(64, "用户名过长"),
  password: z.string({ error: "请填写密码" }).min(1, "请填写密码").max(256, "密码过长"),
});

export type LoginInput = z.output<typeof loginSchema>;

/** Zod issues of a small staff form as field errors (messages are already Chinese). */
export function issuesToFields(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    path: issue.path.join("."),
    code: issue.code === "invalid_type" ? (issue.input === undefined ? "required" : "wrong_type") : issue.code === "too_big" ? "too_long" : issue.code === "too_small" ? "required" : "invalid",
    message: issue.message,
  }));
}
