import { z } from "zod";
import { describe, expect, it } from "vitest";
import {
  applicationNotFound,
  conflict,
  forbidden,
  httpError,
  internalError,
  loginFailed,
  malformedJson,
  methodNotAllowed,
  notFound,
  payloadTooLarge,
  unauthorized,
  unsupportedMediaType,
  validationError,
  zodIssuesToFields,
} from "../../../shared/schemas/errors";

describe("HTTP error bodies", () => {
  it("builds every status with a code, a Chinese message and a fields array", () => {
    // Prepare
    const cases = [
      [malformedJson(), 400, "MALFORMED_JSON"],
      [unauthorized(), 401, "UNAUTHORIZED"],
      [loginFailed(), 401, "UNAUTHORIZED"],
      [forbidden(), 403, "FORBIDDEN"],
      [notFound(), 404, "NOT_FOUND"],
      [applicationNotFound(), 404, "NOT_FOUND"],
      [methodNotAllowed(["GET", "POST"]), 405, "METHOD_NOT_ALLOWED"],
      [conflict(), 409, "CONFLICT"],
      [payloadTooLarge(64 * 1024), 413, "PAYLOAD_TOO_LARGE"],
      [unsupportedMediaType(), 415, "UNSUPPORTED_MEDIA_TYPE"],
      [internalError(), 500, "INTERNAL_ERROR"],
    ] as const;
    // Act / Assess
    for (const [error, status, code] of cases) {
      expect(error.statusCode).toBe(status);
      expect(error.body.error.code).toBe(code);
      expect(error.body.error.message).toMatch(/\p{Script=Han}/u);
      expect(error.body.error.fields).toEqual([]);
      expect(JSON.parse(JSON.stringify(error.body))).toEqual(error.body);
    }
    expect(malformedJson().body.error.message).toBe("请求体不是有效的 JSON");
    expect(methodNotAllowed(["GET", "POST"]).headers).toEqual({ Allow: "GET, POST" });
    expect(payloadTooLarge(64 * 1024).body.error.message).toContain("64 KB");
  });

  it("wraps field errors into a 400 VALIDATION_FAILED body", () => {
    // Act
    const error = validationError([{ path: "phone", code: "invalid_format", message: "联系电话格式不正确" }]);
    // Assess
    expect(error).toEqual({
      statusCode: 400,
      body: {
        error: {
          code: "VALIDATION_FAILED",
          message: expect.stringMatching(/\p{Script=Han}/u),
          fields: [{ path: "phone", code: "invalid_format", message: "联系电话格式不正确" }],
        },
      },
    });
  });

  it("lets a caller override the message", () => {
    expect(httpError("CONFLICT", "该任务已办结").body.error.message).toBe("该任务已办结");
  });
});

describe("zodIssuesToFields", () => {
  it("maps any schema's issues to codes and labelled Chinese messages", () => {
    // Prepare: a task-completion-like schema
    const schema = z.object({
      outcome: z.enum(["approve", "reject"]),
      reason: z.string().max(10),
      dueOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
      note: z.string().superRefine((v, ctx) => {
        if (v.includes("秘密")) ctx.addIssue({ code: "custom", params: { code: "forbidden_word" } });
      }),
    });
    const result = schema.safeParse({ reason: "理".repeat(11), dueOn: "tomorrow", note: "内含秘密" }, { reportInput: true });
    // Act
    const fields = zodIssuesToFields(result.error?.issues ?? [], {
      labels: { outcome: "办理结果", reason: "理由", dueOn: "期限", note: "备注" },
      choiceFields: ["outcome"],
    });
    // Assess
    expect(fields).toEqual([
      { path: "outcome", code: "required", message: "请选择办理结果" },
      { path: "reason", code: "too_long", message: "理由不能超过 10 个字" },
      { path: "dueOn", code: "invalid_format", message: "期限格式不正确" },
      { path: "note", code: "forbidden_word", message: "备注不正确" },
    ]);
  });
});
