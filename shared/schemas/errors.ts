/**
 * The one error body of the HTTP API (SPEC §7):
 * `{"error": {"code", "message", "fields": [{"path", "code", "message"}]}}`,
 * machine-readable codes, Chinese messages. Every 4xx the handlers return is built here.
 */
import type { z } from "zod";

export interface FieldError {
  /** dotted path of the field in the request body, e.g. `idNumber`; "" for the body itself */
  path: string;
  /** machine code: required, too_long, invalid_format, invalid_checksum, invalid_choice, wrong_type, … */
  code: string;
  /** Chinese message naming the field by its label */
  message: string;
}

export type ErrorCode =
  | "VALIDATION_FAILED"
  | "MALFORMED_JSON"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "METHOD_NOT_ALLOWED"
  | "CONFLICT"
  | "PAYLOAD_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "INTERNAL_ERROR";

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  /** always present (empty when no field is at fault), so clients need no special case */
  fields: FieldError[];
}

export interface ValidationErrorBody extends ErrorBody {
  code: "VALIDATION_FAILED";
}

export interface HttpError {
  statusCode: number;
  body: { error: ErrorBody };
  /** extra response headers, e.g. `Allow` for 405 */
  headers?: Record<string, string>;
}

export const errorStatus: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INTERNAL_ERROR: 500,
};

export const defaultErrorMessages: Record<ErrorCode, string> = {
  VALIDATION_FAILED: "提交的内容有误，请按提示修改后重新提交",
  MALFORMED_JSON: "请求体不是有效的 JSON",
  UNAUTHORIZED: "未登录或登录已失效，请重新登录",
  FORBIDDEN: "您的角色无权执行此操作",
  NOT_FOUND: "未找到请求的内容",
  METHOD_NOT_ALLOWED: "不支持该请求方法",
  CONFLICT: "操作与当前状态冲突，请刷新后重试",
  PAYLOAD_TOO_LARGE: "请求体过大",
  UNSUPPORTED_MEDIA_TYPE: "不支持的请求体类型，请使用 application/json",
  INTERNAL_ERROR: "系统暂时无法处理您的请求，请稍后再试",
};

export function httpError(code: ErrorCode, message?: string, fields: FieldError[] = [], headers?: Record<string, string>): HttpError {
  const error: HttpError = {
    statusCode: errorStatus[code],
    body: { error: { code, message: message ?? defaultErrorMessages[code], fields } },
  };
  if (headers) error.headers = headers;
  return error;
}

export function validationErrorBody(fields: FieldError[], message?: string): ValidationErrorBody {
  return { code: "VALIDATION_FAILED", message: message ?? defaultErrorMessages.VALIDATION_FAILED, fields };
}

/** 400 with every field at fault. */
export function validationError(fieldsOrBody: FieldError[] | ValidationErrorBody): HttpError {
  const body = Array.isArray(fieldsOrBody) ? validationErrorBody(fieldsOrBody) : fieldsOrBody;
  return { statusCode: 400, body: { error: body } };
}

export const malformedJson = (): HttpError => httpError("MALFORMED_JSON");
export const payloadTooLarge = (maxBytes?: number): HttpError =>
  httpError("PAYLOAD_TOO_LARGE", maxBytes ? `请求体过大，不能超过 ${Math.floor(maxBytes / 1024)} KB` : undefined);
export const notFound = (message?: string): HttpError => httpError("NOT_FOUND", message);
export const methodNotAllowed = (allowed: string[]): HttpError =>
  httpError("METHOD_NOT_ALLOWED", `不支持该请求方法，允许的方法：${allowed.join("、")}`, [], { Allow: allowed.join(", ") });
/** 401; sign-in failures use one message for every cause (SPEC §7). */
export const unauthorized = (message?: string): HttpError => httpError("UNAUTHORIZED", message);
export const loginFailed = (): HttpError => httpError("UNAUTHORIZED", "机关、用户名或密码不正确");
export const forbidden = (message?: string): HttpError => httpError("FORBIDDEN", message);
export const conflict = (message?: string): HttpError => httpError("CONFLICT", message);
export const unsupportedMediaType = (expected = "application/json"): HttpError =>
  httpError("UNSUPPORTED_MEDIA_TYPE", `不支持的请求体类型，请使用 ${expected}`);
export const internalError = (): HttpError => httpError("INTERNAL_ERROR");

/** The public tracking lookup answers a wrong number and a wrong code alike (SPEC §7). */
export const applicationNotFound = (): HttpError => notFound("申请编号或查询码不正确");

// ---------------------------------------------------------------------------
// zod issues → field errors

/**
 * What a custom zod issue may carry in `params` to choose its machine code and message;
 * schemas raise these with `ctx.addIssue({ code: "custom", path, params: { code, message } })`.
 */
export interface IssueParams {
  code: string;
  message?: string;
}

export interface IssueMappingOptions {
  /** zh-CN label of each top-level field, used in every message */
  labels: Record<string, string>;
  /** fields answered by choosing (radio/select): "请选择…" instead of "请填写…" */
  choiceFields?: ReadonlySet<string> | readonly string[];
}

function pathOf(issue: z.core.$ZodIssue): string {
  return issue.path.map(String).join(".");
}

/** The label for a path: the top-level field's label, or the raw path when none is known. */
function labelFor(path: string, labels: Record<string, string>): string {
  const top = path.split(".")[0] ?? "";
  return labels[path] ?? labels[top] ?? (path === "" ? "请求体" : path);
}

/**
 * Maps zod issues (parsed with `{ reportInput: true }`, so absent values can be told
 * from wrong ones) onto field errors with machine codes and Chinese messages.
 * Only the first issue per field is kept: one clear message beats three.
 */
export function zodIssuesToFields(issues: readonly z.core.$ZodIssue[], options: IssueMappingOptions): FieldError[] {
  const choices = new Set(options.choiceFields ?? []);
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const issue of issues) {
    const path = pathOf(issue);
    if (seen.has(path)) continue;
    seen.add(path);
    const label = labelFor(path, options.labels);
    const top = path.split(".")[0] ?? "";
    const absent = !("input" in issue) || issue.input === undefined || issue.input === null;
    out.push(mapIssue(issue, path, label, absent, choices.has(top)));
  }
  return out;
}

function mapIssue(issue: z.core.$ZodIssue, path: string, label: string, absent: boolean, isChoice: boolean): FieldError {
  const required = (): FieldError => ({ path, code: "required", message: isChoice ? `请选择${label}` : `请填写${label}` });
  switch (issue.code) {
    case "custom": {
      const params = issue.params as Partial<IssueParams> | undefined;
      const code = params?.code ?? "invalid";
      return { path, code, message: params?.message ?? `${label}${codeSuffix(code)}` };
    }
    case "invalid_type":
      if (absent) return required();
      return { path, code: "wrong_type", message: `${label}的数据类型不正确，应为${typeName(issue.expected)}` };
    case "invalid_value":
    case "invalid_union":
      if (absent) return required();
      return { path, code: "invalid_choice", message: `${label}的选项无效` };
    case "too_big":
      return { path, code: "too_long", message: `${label}不能超过 ${String(issue.maximum)} 个字` };
    case "too_small":
      if (issue.origin === "string" && Number(issue.minimum) <= 1) return required();
      return { path, code: "too_short", message: `${label}不能少于 ${String(issue.minimum)} 个字` };
    case "invalid_format":
      return { path, code: "invalid_format", message: `${label}格式不正确` };
    case "unrecognized_keys":
      return { path, code: "unknown_field", message: `不支持的字段：${issue.keys.join("、")}` };
    default:
      return { path, code: "invalid", message: `${label}不正确` };
  }
}

function codeSuffix(code: string): string {
  switch (code) {
    case "required":
      return "不能为空";
    case "invalid_checksum":
      return "校验位不正确";
    case "invalid_format":
      return "格式不正确";
    case "invalid_choice":
      return "的选项无效";
    case "too_long":
      return "过长";
    default:
      return "不正确";
  }
}

function typeName(expected: string): string {
  const names: Record<string, string> = {
    string: "文本",
    number: "数字",
    int: "整数",
    boolean: "布尔值",
    object: "对象",
    array: "数组",
  };
  return names[expected] ?? expected;
}
