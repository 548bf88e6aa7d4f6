import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { AppError } from "../app/errors";
import { DeadlineRuleError } from "../domain/deadlines";
import { httpError, type HttpError } from "../schemas/errors";
import { logger } from "../adapters/logger";

export type HttpResponse = APIGatewayProxyStructuredResultV2 & { statusCode: number };
export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** Largest request body any route accepts (an application is a few KB). */
export const MAX_BODY_BYTES = 64 * 1024;

export interface HttpRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  /** lower-cased names */
  headers: Record<string, string>;
  cookies: Record<string, string>;
  body: string;
  /** the raw body (multipart uploads) */
  bodyBuffer: Buffer;
  bodyBytes: number;
  event: APIGatewayProxyEventV2;
}

export interface Route {
  /** path template, e.g. `/api/v1/tasks/{taskId}/complete` */
  path: string;
  /** a larger body limit than MAX_BODY_BYTES (routes that take attachments) */
  maxBodyBytes?: number;
  methods: Partial<Record<Method, (req: HttpRequest) => Promise<HttpResponse>>>;
}

/** An error a handler throws to answer with a ready response (e.g. a 400 page with the form). */
export class ResponseError extends Error {
  constructor(readonly response: HttpResponse) {
    super(`response ${response.statusCode}`);
  }
}

export function json(statusCode: number, body: unknown, extra: Partial<HttpResponse> = {}): HttpResponse {
  return {
    ...extra,
    statusCode,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...extra.headers },
    body: JSON.stringify(body),
  };
}

export function html(statusCode: number, body: string, extra: Partial<HttpResponse> = {}): HttpResponse {
  return {
    ...extra,
    statusCode,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      "x-content-type-options": "nosniff",
      "referrer-policy": "same-origin",
      ...extra.headers,
    },
    body,
  };
}

export function redirect(location: string, cookies?: string[]): HttpResponse {
  return { statusCode: 303, headers: { location, "cache-control": "no-store" }, cookies, body: "" };
}

/** A stored file to download (letters): binary bodies travel base64-encoded through API Gateway. */
export function file(body: Uint8Array, contentType: string, filename: string, inline = false): HttpResponse {
  return {
    statusCode: 200,
    headers: {
      "content-type": contentType,
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
      // RFC 6266/5987: the Chinese file name survives every browser
      "content-disposition": `${inline ? "inline" : "attachment"}; filename="letter${filename.slice(filename.lastIndexOf("."))}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
      ...(contentType.startsWith("text/html") ? { "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:" } : {}),
    },
    body: Buffer.from(body).toString("base64"),
    isBase64Encoded: true,
  };
}

export function errorJson(error: HttpError): HttpResponse {
  return json(error.statusCode, error.body, { headers: error.headers ?? {} });
}

function parseCookies(event: APIGatewayProxyEventV2): Record<string, string> {
  const out: Record<string, string> = {};
  const raw = event.cookies ?? (event.headers?.cookie ? event.headers.cookie.split(";") : []);
  for (const part of raw) {
    const i = part.indexOf("=");
    if (i > 0) {
      try {
        out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        // a malformed cookie is ignored, not an error
      }
    }
  }
  return out;
}

/** A malformed percent-escape cannot name anything: no match (404), never a 500. */
function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function matchPath(template: string, path: string): Record<string, string> | undefined {
  const t = template.split("/").filter(Boolean);
  const p = path.split("/").filter(Boolean);
  const params: Record<string, string> = {};
  for (let i = 0; i < t.length; i++) {
    const seg = t[i]!;
    if (seg.endsWith("+}")) {
      if (i >= p.length) return undefined;
      const parts = p.slice(i).map(decode);
      if (parts.some((x) => x === undefined)) return undefined;
      params[seg.slice(1, -2)] = parts.join("/");
      return params;
    }
    const actual = p[i];
    if (actual === undefined) return undefined;
    if (seg.startsWith("{")) {
      const value = decode(actual);
      if (value === undefined) return undefined;
      params[seg.slice(1, -1)] = value;
    } else if (seg !== actual) return undefined;
  }
  return t.length === p.length ? params : undefined;
}

export interface HandlerOptions {
  /** answers for paths no route knows, and for errors outside /api/ (HTML pages) */
  renderErrorPage?: (statusCode: number, message: string) => string;
}

const isApi = (path: string) => path.startsWith("/api/");

/**
 * Turns API Gateway v2 events into calls of the matching route: 404 for unknown
 * paths, 405 (with Allow) for wrong methods, 413 for oversized bodies, AppErrors as
 * their 4xx, and anything unexpected as a 500 without details.
 */
export function createHttpHandler(routes: Route[], options: HandlerOptions = {}) {
  const errorResponse = (path: string, error: HttpError): HttpResponse =>
    isApi(path) || !options.renderErrorPage
      ? errorJson(error)
      : html(error.statusCode, options.renderErrorPage(error.statusCode, error.body.error.message), {
          headers: error.headers ?? {},
        });

  return async (event: APIGatewayProxyEventV2): Promise<HttpResponse> => {
    const path = event.rawPath || "/";
    const method = (event.requestContext?.http?.method ?? "GET").toUpperCase();
    const started = Date.now();
    // ids are passed per line, not appended to the logger: the local host runs requests concurrently in one process
    const correlationId = event.requestContext?.requestId;
    let response: HttpResponse;
    try {
      response = await dispatch(event, path, method);
    } catch (error) {
      if (error instanceof ResponseError) response = error.response;
      else if (error instanceof DeadlineRuleError) {
        // a statutory limit refused the change (e.g. a second extension): the caller's request conflicts with the law
        response = errorResponse(path, { statusCode: 409, body: { error: { code: error.code as never, message: error.message, fields: [] } } });
      } else if (error instanceof AppError) {
        response = errorResponse(path, {
          statusCode: error.status,
          body: { error: { code: error.code as never, message: error.message, fields: error.fields } },
          ...(error.retryAfterSeconds !== undefined ? { headers: { "retry-after": String(error.retryAfterSeconds) } } : {}),
        });
      } else {
        logger.error("unhandled error", { correlationId, path, method, error: error instanceof Error ? error.message : String(error) });
        response = errorResponse(path, httpError("INTERNAL_ERROR"));
      }
    }
    logger.info("http", { correlationId, method, path, status: response.statusCode, ms: Date.now() - started });
    return response;
  };

  async function dispatch(event: APIGatewayProxyEventV2, path: string, method: string): Promise<HttpResponse> {
    for (const route of routes) {
      const params = matchPath(route.path, path);
      if (!params) continue;
      const allowed = Object.keys(route.methods);
      const fn = route.methods[method as Method] ?? (method === "HEAD" ? route.methods.GET : undefined);
      if (!fn) {
        return errorResponse(path, httpError("METHOD_NOT_ALLOWED", `不支持 ${method} 方法，允许的方法：${allowed.join("、")}`, [], { allow: allowed.join(", ") }));
      }
      const raw = event.body ?? "";
      const buffer = event.isBase64Encoded ? Buffer.from(raw, "base64") : Buffer.from(raw, "utf8");
      const limit = route.maxBodyBytes ?? MAX_BODY_BYTES;
      if (buffer.byteLength > limit) {
        return errorResponse(path, httpError("PAYLOAD_TOO_LARGE", `请求体过大，不能超过 ${Math.floor(limit / 1024)} KB`));
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(event.headers ?? {})) if (v !== undefined) headers[k.toLowerCase()] = v;
      return fn({
        method,
        path,
        params,
        query: new URLSearchParams(event.rawQueryString ?? ""),
        headers,
        cookies: parseCookies(event),
        body: buffer.toString("utf8"),
        bodyBuffer: buffer,
        bodyBytes: buffer.byteLength,
        event,
      });
    }
    return errorResponse(path, httpError("NOT_FOUND", "未找到该地址"));
  }
}

/** Parses a JSON body: 415 for another content type, 400 MALFORMED_JSON when it does not parse. */
export function readJson(req: HttpRequest): unknown {
  const type = req.headers["content-type"] ?? "";
  if (type && !/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
    throw new ResponseError(errorJson(httpError("UNSUPPORTED_MEDIA_TYPE")));
  }
  try {
    return JSON.parse(req.body);
  } catch {
    throw new ResponseError(errorJson(httpError("MALFORMED_JSON")));
  }
}

/** Parses an `application/x-www-form-urlencoded` body into single values (last one wins). */
export function readForm(req: HttpRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(req.body)) out[k] = v;
  return out;
}

export function sessionCookie(name: string, value: string, secure: boolean, maxAgeSeconds: number): string {
  return `${name}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure ? "; Secure" : ""}`;
}
