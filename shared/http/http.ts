import { TextDecoder } from "node:util";
import { bodyLimitFor, DEFAULT_BODY_LIMIT_BYTES } from "./limits";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { AppError, ValidationError, type FieldError } from "../app/errors";
import { DeadlineRuleError } from "../domain/deadlines";
import { trackingNumberPattern } from "../domain/ids";
import { findTextProblems, INVALID_CHARACTER, textProblem, textProblemMessage, wellFormed } from "../domain/text";
import { httpError, type HttpError } from "../schemas/errors";
import { logger } from "../adapters/logger";

export type HttpResponse = APIGatewayProxyStructuredResultV2 & { statusCode: number };
export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** Largest request body any route accepts (an application is a few KB). */
export const MAX_BODY_BYTES = DEFAULT_BODY_LIMIT_BYTES;

export interface HttpRequest {
  method: string;
  path: string;
  /** decoded path parameters, each of the shape its name promises (`pathParameterShapes`) */
  params: Record<string, string>;
  query: URLSearchParams;
  /** lower-cased names */
  headers: Record<string, string>;
  cookies: Record<string, string>;
  /**
   * The body as text, decoded with the charset the Content-Type declares (UTF-8 when it
   * names none). Reading it throws a 415 for a charset we do not support and a 400 for
   * bytes that are not text in that charset: nothing downstream ever sees U+FFFD for a
   * broken byte.
   */
  body: string;
  /** the raw body (multipart uploads) */
  bodyBuffer: Buffer;
  bodyBytes: number;
  event: APIGatewayProxyEventV2;
}

export interface Route {
  /** path template, e.g. `/api/v1/tasks/{taskId}/complete` */
  path: string;
  /** shapes of this route's path parameters beyond (or instead of) `pathParameterShapes` */
  params?: Record<string, PathParameterShape>;
  /** a body limit other than the table's in shared/http/limits.ts (tests) */
  maxBodyBytes?: number;
  methods: Partial<Record<Method, (req: HttpRequest) => Promise<HttpResponse>>>;
}

/**
 * A refusal at the HTTP edge with its own status (413, 415): answered like any AppError,
 * as JSON under /api/ and as a page elsewhere.
 */
export class HttpRefusal extends AppError {
  constructor(
    readonly status: number,
    code: string,
    message: string,
    fields: FieldError[] = [],
  ) {
    super(code, message, fields);
  }
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

/** Percent-encodes whatever is not visible ASCII, so a header value can never be split or refused. */
export function headerSafe(value: string): string {
  return wellFormed(value).replace(/[^\x21-\x7e]+/g, (run) => encodeURIComponent(run));
}

export function redirect(location: string, cookies?: string[]): HttpResponse {
  return { statusCode: 303, headers: { location: headerSafe(location), "cache-control": "no-store" }, cookies, body: "" };
}

/** RFC 5987 `ext-value` encoding (UTF-8, percent-encoded; `'()*` too, which encodeURIComponent keeps). */
const rfc5987 = (value: string) =>
  encodeURIComponent(wellFormed(value)).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** A stored file to download (letters): binary bodies travel base64-encoded through API Gateway. */
export function file(body: Uint8Array, contentType: string, filename: string, inline = false): HttpResponse {
  return {
    statusCode: 200,
    headers: {
      "content-type": contentType,
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
      // RFC 6266/5987: the Chinese file name survives every browser; the plain one is ASCII only
      "content-disposition": `${inline ? "inline" : "attachment"}; filename="letter${/^\.[A-Za-z0-9]{1,8}$/.exec(filename.slice(filename.lastIndexOf(".")))?.[0] ?? ""}"; filename*=UTF-8''${rfc5987(filename)}`,
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

/** What a path parameter must look like: a value of another shape names nothing (404, like an unknown path). */
export interface PathParameterShape {
  /** the whole decoded value must match */
  pattern?: RegExp;
  /** in characters (UTF-16 units) */
  maxLength: number;
}

const ULID = /^[0-9A-Z]{26}$/;

/**
 * Path parameters by name, checked at the edge before any handler runs, so a key the
 * store refuses (DynamoDB: at most 2,048 bytes) or cannot hold never reaches it. A name
 * not listed here gets `DEFAULT_SHAPE`; a route may declare its own (`Route.params`).
 */
export const pathParameterShapes: Record<string, PathParameterShape> = {
  /** `<agencyCode>-<year>-<sequence>` (shared/domain/ids.ts) */
  trackingNumber: { pattern: trackingNumberPattern, maxLength: 40 },
  caseId: { pattern: ULID, maxLength: 26 },
  /** `<caseId>-<step>-<round>` (shared/domain/ids.ts taskIdFor) */
  taskId: { pattern: /^[0-9A-Z]{26}-[a-z][a-z0-9_]*-\d{1,6}$/, maxLength: 80 },
  letterId: { pattern: ULID, maxLength: 26 },
  /** the rest of a path under a greedy route (`{proxy+}`) */
  proxy: { maxLength: 1024 },
};

/** Any other parameter: one line of clean text, at most 200 characters. */
export const DEFAULT_SHAPE: PathParameterShape = { maxLength: 200 };

function fits(value: string, shape: PathParameterShape): boolean {
  return value.length > 0 && value.length <= shape.maxLength && !textProblem(value) && (!shape.pattern || shape.pattern.test(value));
}

/** Whether a value has the shape of the named key (e.g. a `trackingNumber` typed into a form), before it is looked up. */
export function hasShape(name: keyof typeof pathParameterShapes, value: string): boolean {
  const shape = pathParameterShapes[name];
  return shape !== undefined && fits(value, shape);
}

/**
 * The route's parameters for a path, `"misshapen"` when the path has the route's form but
 * a parameter is not of its shape (or is a malformed escape), or undefined.
 */
function matchPath(route: Route, path: string): Record<string, string> | "misshapen" | undefined {
  const t = route.path.split("/").filter(Boolean);
  const p = path.split("/").filter(Boolean);
  const shapeOf = (name: string) => route.params?.[name] ?? pathParameterShapes[name] ?? DEFAULT_SHAPE;
  const params: Record<string, string> = {};
  let misshapen = false;
  /** the decoded value when it has the shape (an escape is at most three characters per character: no need to decode what is surely too long) */
  const take = (name: string, raw: string[]): void => {
    const shape = shapeOf(name);
    const parts = raw.join("/").length > shape.maxLength * 3 ? [undefined] : raw.map(decode);
    const value = parts.some((x) => x === undefined) ? undefined : parts.join("/");
    if (value === undefined || !fits(value, shape)) misshapen = true;
    else params[name] = value;
  };
  for (let i = 0; i < t.length; i++) {
    const seg = t[i]!;
    if (seg.endsWith("+}")) {
      if (i >= p.length) return undefined;
      take(seg.slice(1, -2), p.slice(i));
      return misshapen ? "misshapen" : params;
    }
    const actual = p[i];
    if (actual === undefined) return undefined;
    if (seg.startsWith("{")) take(seg.slice(1, -1), [actual]);
    else if (seg !== actual) return undefined;
  }
  if (t.length !== p.length) return undefined;
  return misshapen ? "misshapen" : params;
}

// ---------------------------------------------------------------------------
// Request bodies: charsets and encodings

/** Charsets a body may declare (older agency portals post GBK), by the label clients send. */
const CHARSET_LABELS: Record<string, string> = {
  "utf-8": "utf-8",
  utf8: "utf-8",
  gbk: "gbk",
  gb2312: "gbk", // every decoder treats GB2312 as GBK, its superset
  gb18030: "gb18030",
};

/** The charsets this Node can decode (GBK needs ICU, which official builds carry). */
const decodable = new Set(
  Object.values(CHARSET_LABELS).filter((encoding) => {
    try {
      new TextDecoder(encoding);
      return true;
    } catch {
      return false;
    }
  }),
);

/** Names of the supported charsets, as the 415 message lists them. */
export const supportedCharsets: string[] = Object.entries(CHARSET_LABELS)
  .filter(([label, encoding]) => label !== "utf8" && decodable.has(encoding))
  .map(([label]) => label.toUpperCase());

function unsupportedCharset(label: string): HttpRefusal {
  const shown = /^[\x21-\x7e]{1,40}$/.test(label) ? `“${label}”` : "";
  const message = `不支持请求体的字符编码${shown}，支持的字符编码：${supportedCharsets.join("、")}（推荐 UTF-8）`;
  return new HttpRefusal(415, "UNSUPPORTED_MEDIA_TYPE", message, [{ path: "Content-Type", code: "unsupported_charset", message }]);
}

/** The `charset` parameter of a Content-Type, lower-cased and unquoted; undefined when there is none. */
export function charsetOf(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  for (const param of contentType.split(";").slice(1)) {
    const i = param.indexOf("=");
    if (i < 0 || param.slice(0, i).trim().toLowerCase() !== "charset") continue;
    return param
      .slice(i + 1)
      .trim()
      .replace(/^"(.*)"$/, "$1")
      .toLowerCase();
  }
  return undefined;
}

/** A strict decoder for a charset label (undefined: UTF-8), or a 415 naming the supported ones. */
export function decoderFor(label: string | undefined): TextDecoder {
  const encoding = label === undefined ? "utf-8" : CHARSET_LABELS[label];
  if (!encoding || !decodable.has(encoding)) throw unsupportedCharset(label ?? "");
  return new TextDecoder(encoding, { fatal: true });
}

function undecodable(label: string | undefined): ValidationError {
  const name = label && CHARSET_LABELS[label] ? label.toUpperCase() : "UTF-8";
  const message = `请求内容不是有效的 ${name} 文本（含有无法识别的字节），未保存；请确认提交时使用的字符编码与 Content-Type 声明的一致`;
  return new ValidationError("VALIDATION_FAILED", message, [{ path: "", code: "invalid_encoding", message }]);
}

/** Bytes → text in the declared charset; a byte sequence that is no text there is a 400, never U+FFFD. */
export function decodeText(bytes: Uint8Array, label: string | undefined): string {
  const decoder = decoderFor(label);
  try {
    return decoder.decode(bytes);
  } catch {
    throw undecodable(label);
  }
}

/** Only unencoded bodies are taken: API Gateway passes a gzip body through as it came. */
function contentEncodingRefusal(headers: Record<string, string>): HttpRefusal | undefined {
  const raw = headers["content-encoding"];
  if (raw === undefined) return undefined;
  const codings = raw.split(",").map((c) => c.trim().toLowerCase()).filter(Boolean);
  if (codings.every((c) => c === "identity")) return undefined;
  const message = "不支持压缩或编码的请求体（Content-Encoding），请以未压缩的形式（identity）提交";
  return new HttpRefusal(415, "UNSUPPORTED_MEDIA_TYPE", message, [{ path: "Content-Encoding", code: "unsupported_encoding", message }]);
}

// ---------------------------------------------------------------------------
// Responses: every header the app builds must be sendable

/** Visible ASCII, spaces and tabs: what any HTTP stack sends as is (no CR/LF, NUL or non-Latin-1). */
const SAFE_HEADER_VALUE = /^[\t\x20-\x7e]*$/;

function unsafeHeader(response: HttpResponse): string | undefined {
  for (const [name, value] of Object.entries(response.headers ?? {})) {
    if (!SAFE_HEADER_VALUE.test(String(value))) return name;
  }
  for (const cookie of response.cookies ?? []) if (!SAFE_HEADER_VALUE.test(cookie)) return "set-cookie";
  return undefined;
}

export interface HandlerOptions {
  /** answers for paths no route knows, and for errors outside /api/ (HTML pages) */
  renderErrorPage?: (statusCode: number, message: string) => string;
}

const isApi = (path: string) => path.startsWith("/api/");

/**
 * Turns API Gateway v2 events into calls of the matching route: 404 for unknown
 * paths and for path parameters not of their shape (`pathParameterShapes`), 405 (with
 * Allow) for wrong methods, 413 for oversized bodies, 415 for an encoded body
 * (Content-Encoding) or, when the body is read, an unsupported charset; AppErrors as
 * their 4xx, and anything unexpected as a 500 without details — as is a response whose
 * headers could not be sent (CR/LF, NUL, beyond ASCII), which is never sent.
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
    const unsafe = unsafeHeader(response);
    if (unsafe) {
      // a header value with CR/LF or beyond Latin-1 would be refused by the HTTP stack after the handler's work: never send it
      logger.error("unsafe response header", { correlationId, path, method, header: unsafe });
      response = errorResponse(path, httpError("INTERNAL_ERROR"));
    }
    logger.info("http", { correlationId, method: method.slice(0, 16), path: path.slice(0, 300), status: response.statusCode, ms: Date.now() - started });
    return response;
  };

  async function dispatch(event: APIGatewayProxyEventV2, path: string, method: string): Promise<HttpResponse> {
    const methodOf = (route: Route) => route.methods[method as Method] ?? (method === "HEAD" ? route.methods.GET : undefined);
    const notAllowed = (route: Route) => {
      const allowed = Object.keys(route.methods);
      const named = /^[A-Z]{1,16}$/.test(method) ? `${method} ` : "该";
      return errorResponse(path, httpError("METHOD_NOT_ALLOWED", `不支持 ${named}方法，允许的方法：${allowed.join("、")}`, [], { allow: allowed.join(", ") }));
    };
    /** the first route the path has the form of, though a parameter is not of its shape */
    let misshapen: Route | undefined;
    for (const route of routes) {
      const params = matchPath(route, path);
      if (!params) continue;
      if (params === "misshapen") {
        misshapen ??= route;
        continue;
      }
      const fn = methodOf(route);
      if (!fn) return notAllowed(route);
      const raw = event.body ?? "";
      const buffer = event.isBase64Encoded ? Buffer.from(raw, "base64") : Buffer.from(raw, "utf8");
      const limit = route.maxBodyBytes ?? bodyLimitFor(route.path);
      if (buffer.byteLength > limit) {
        return errorResponse(path, httpError("PAYLOAD_TOO_LARGE", `请求体过大，不能超过 ${Math.floor(limit / 1024)} KB`));
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(event.headers ?? {})) if (v !== undefined) headers[k.toLowerCase()] = v;
      const encoding = contentEncodingRefusal(headers);
      if (encoding && (buffer.byteLength > 0 || (method !== "GET" && method !== "HEAD"))) throw encoding;
      let text: string | undefined;
      return fn({
        method,
        path,
        params,
        query: new URLSearchParams(event.rawQueryString ?? ""),
        headers,
        cookies: parseCookies(event),
        get body() {
          // decoded when a handler reads it (a multipart route reads the bytes only)
          text ??= buffer.byteLength === 0 ? "" : decodeText(buffer, charsetOf(headers["content-type"]));
          return text;
        },
        bodyBuffer: buffer,
        bodyBytes: buffer.byteLength,
        event,
      });
    }
    // the route exists, so a wrong method is still a 405; a value of another shape names nothing there
    if (misshapen && !methodOf(misshapen)) return notAllowed(misshapen);
    return errorResponse(path, httpError("NOT_FOUND", "未找到该地址"));
  }
}

/** Deepest nesting a JSON body may have: an application is two levels deep; thousands would overflow later serialisation. */
export const MAX_JSON_DEPTH = 32;

function jsonDepth(value: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (!v || typeof v !== "object") continue;
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_JSON_DEPTH) return deepest;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** A field's name in a message: its label when the route knows it, else the path itself when that is clean. */
function fieldName(path: string, labels: Record<string, string> | undefined): string {
  const label = labels?.[path] ?? labels?.[path.split(".")[0] ?? ""];
  if (label) return label;
  if (path === "") return "请求体";
  return path.length <= 60 && !textProblem(path) ? `字段“${path}”` : "请求体中的一个字段";
}

/** Field errors for every string of a parsed body that breaks the text rule (shared/domain/text.ts). */
export function textFieldErrors(value: unknown, labels?: Record<string, string>): FieldError[] {
  return findTextProblems(value).map(({ path, problem }) => ({
    path,
    code: INVALID_CHARACTER,
    message: textProblemMessage(fieldName(path, labels), problem),
  }));
}

export interface ReadJsonOptions {
  /** zh-CN labels of the body's top-level fields, for the messages */
  labels?: Record<string, string>;
}

/**
 * Parses a JSON body: 415 for another content type or an unsupported charset, 400
 * MALFORMED_JSON when it does not parse (or nests deeper than MAX_JSON_DEPTH), and 400
 * VALIDATION_FAILED naming each string that holds a character no text may hold
 * (control characters, bidi overrides, lone surrogates, U+FFFD).
 */
export function readJson(req: HttpRequest, options: ReadJsonOptions = {}): unknown {
  const type = req.headers["content-type"] ?? "";
  if (type && !/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
    throw new HttpRefusal(415, "UNSUPPORTED_MEDIA_TYPE", "不支持的请求体类型，请使用 application/json");
  }
  const text = req.body;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ValidationError("MALFORMED_JSON", "请求体不是有效的 JSON");
  }
  if (jsonDepth(value) > MAX_JSON_DEPTH) throw new ValidationError("MALFORMED_JSON", `请求体的 JSON 嵌套过深（最多 ${MAX_JSON_DEPTH} 层）`);
  const problems = textFieldErrors(value, options.labels);
  if (problems.length > 0) throw new ValidationError("VALIDATION_FAILED", `提交的内容有 ${problems.length} 处含有不允许的字符`, problems);
  return value;
}

/** `%XX` escapes and `+` of a urlencoded part → its bytes (a malformed escape stays as typed, as browsers do). */
function formBytes(part: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < part.length; i++) {
    const c = part.charCodeAt(i);
    if (c === 0x2b) out.push(0x20);
    else if (c === 0x25 && /^[0-9A-Fa-f]{2}$/.test(part.slice(i + 1, i + 3))) {
      out.push(parseInt(part.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(c); // the body was read as Latin-1: one character per byte
  }
  return Uint8Array.from(out);
}

/**
 * Parses an `application/x-www-form-urlencoded` body into single values (last one wins).
 * The escapes are bytes in the charset the Content-Type declares, or (as browsers send
 * it, without a charset) the one a `_charset_` field names, else UTF-8; bytes that are no
 * text in it are a 400, never U+FFFD.
 */
export function readForm(req: HttpRequest): Record<string, string> {
  const pairs = req.bodyBuffer
    .toString("latin1")
    .split("&")
    .filter((p) => p !== "")
    .map((p) => {
      const i = p.indexOf("=");
      return i < 0 ? [formBytes(p), new Uint8Array()] : [formBytes(p.slice(0, i)), formBytes(p.slice(i + 1))];
    });
  const declared = charsetOf(req.headers["content-type"]);
  const named = pairs.find(([k]) => Buffer.from(k!).toString("latin1") === "_charset_")?.[1];
  const label = declared ?? (named ? Buffer.from(named).toString("latin1").trim().toLowerCase() : undefined);
  const out: Record<string, string> = {};
  for (const [k, v] of pairs) out[decodeText(k!, label)] = decodeText(v!, label);
  delete out._charset_;
  return out;
}

export function sessionCookie(name: string, value: string, secure: boolean, maxAgeSeconds: number): string {
  return `${name}=${encodeURIComponent(wellFormed(value))}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure ? "; Secure" : ""}`;
}

/**
 * Forms are only taken from this site's own pages: a browser says where a post comes from
 * (Sec-Fetch-Site, Origin), and a cross-site one is refused. Without those headers (old
 * browsers, scripts) the post is taken; the tracking cookie is SameSite=Strict anyway.
 */
export function fromThisSite(req: HttpRequest, baseUrl: string): boolean {
  if (req.headers["sec-fetch-site"] === "cross-site") return false;
  const origin = req.headers.origin;
  if (!origin || origin === "null") return true;
  try {
    const host = new URL(origin).host;
    return host === req.headers.host || host === new URL(baseUrl).host;
  } catch {
    return false;
  }
}
