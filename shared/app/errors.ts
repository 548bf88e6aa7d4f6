/**
 * One error hierarchy for use cases. Only AppErrors are shown to callers (with their
 * code and Chinese message); anything else is an internal fault and becomes a 500
 * with no detail.
 */
import type { FieldError } from "../schemas/errors";

export type { FieldError };

export abstract class AppError extends Error {
  abstract readonly status: number;
  /** when the caller may try again (answered as Retry-After) */
  readonly retryAfterSeconds?: number;
  constructor(
    readonly code: string,
    message: string,
    readonly fields: FieldError[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  readonly status = 400;
}
export class UnauthorizedError extends AppError {
  readonly status = 401;
  constructor(message = "用户名或密码错误", code = "UNAUTHORIZED") {
    super(code, message);
  }
}
export class ForbiddenError extends AppError {
  readonly status = 403;
  constructor(message = "当前角色无权执行此操作", code = "FORBIDDEN") {
    super(code, message);
  }
}
export class NotFoundError extends AppError {
  readonly status = 404;
  constructor(message = "未找到") {
    super("NOT_FOUND", message);
  }
}
export class ConflictError extends AppError {
  readonly status = 409;
}
/** Well-formed and allowed, but the law's time limit has passed (e.g. a correction after its deadline). */
export class UnprocessableError extends AppError {
  readonly status = 422;
}
export class TooManyRequestsError extends AppError {
  readonly status = 429;
  constructor(
    message: string,
    override readonly retryAfterSeconds: number,
  ) {
    super("TOO_MANY_REQUESTS", message);
  }
}
/** The store (or another service the request needs) did not answer in time: try again shortly. */
export class ServiceUnavailableError extends AppError {
  readonly status = 503;
  constructor(
    message = "系统繁忙，请稍后再试",
    override readonly retryAfterSeconds = 5,
    options?: { cause?: unknown },
  ) {
    super("SERVICE_UNAVAILABLE", message, [], options);
  }
}

/** A refusal of the workflow engine as the error the caller sees. */
export function fromRefusal(e: { status: number; code: string; message: string; fields: FieldError[] }): AppError {
  switch (e.status) {
    case 400:
      return new ValidationError(e.code, e.message, e.fields);
    case 403:
      return new ForbiddenError(e.message);
    case 422:
      return new UnprocessableError(e.code, e.message, e.fields);
    default:
      return new ConflictError(e.code, e.message, e.fields);
  }
}

/** A write lost a race or its precondition no longer holds; carries what is stored now. */
export class ConcurrentChangeError extends Error {
  constructor(
    message: string,
    readonly current?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "ConcurrentChangeError";
  }
}
