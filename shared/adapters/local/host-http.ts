/**
 * API Gateway HTTP API (payload format 2.0) emulation for the local host:
 * route matching from the manifest, request → event, handler result → response.
 * Pure functions over plain data so they can be tested without a server.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { FunctionSpec } from "../../manifest";

export interface Route {
  spec: FunctionSpec;
  /** path template as written in the manifest, or "$default" */
  template: string;
  /** "ANY /path" like an HTTP API route, or "$default" */
  routeKey: string;
  segments: string[];
  paramCount: number;
  greedy: boolean;
}

export interface RouteMatch {
  route: Route;
  pathParameters: Record<string, string> | undefined;
}

export interface RouteTable {
  match(rawPath: string): RouteMatch | undefined;
  routes: Route[];
}

function splitPath(path: string): string[] {
  return path.split("/").filter((s) => s.length > 0);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * Builds the route table from the HTTP functions of the manifest. Precedence
 * mirrors API Gateway's "most specific wins": exact paths, then templates with
 * fewer parameters, then greedy `{proxy+}` routes (longest literal prefix
 * first), then `$default`.
 */
export function buildRouteTable(functions: FunctionSpec[]): RouteTable {
  const routes: Route[] = [];
  let fallback: Route | undefined;
  const seen = new Map<string, string>();
  for (const spec of functions) {
    if (spec.trigger.kind !== "http") continue;
    for (const template of spec.trigger.paths) {
      const other = seen.get(template);
      if (other !== undefined) {
        throw new Error(`route ${template} is claimed by both ${other} and ${spec.name}`);
      }
      seen.set(template, spec.name);
      if (template === "$default") {
        fallback = { spec, template, routeKey: "$default", segments: [], paramCount: 0, greedy: false };
        continue;
      }
      const segments = splitPath(template);
      const params = segments.filter((s) => s.startsWith("{") && s.endsWith("}"));
      const greedy = segments.at(-1)?.endsWith("+}") ?? false;
      if (segments.slice(0, -1).some((s) => s.endsWith("+}"))) {
        throw new Error(`greedy parameter must be last in ${template}`);
      }
      routes.push({ spec, template, routeKey: `ANY ${template}`, segments, paramCount: params.length, greedy });
    }
  }
  routes.sort((a, b) => {
    if (a.greedy !== b.greedy) return a.greedy ? 1 : -1;
    if (a.paramCount !== b.paramCount) return a.paramCount - b.paramCount;
    // among equals, more literal segments is more specific
    return b.segments.length - b.paramCount - (a.segments.length - a.paramCount);
  });

  function tryMatch(route: Route, parts: string[]): Record<string, string> | undefined | false {
    const params: Record<string, string> = {};
    const { segments } = route;
    if (route.greedy) {
      if (parts.length < segments.length) return false;
    } else if (parts.length !== segments.length) {
      return false;
    }
    for (let i = 0; i < segments.length; i++) {
      const seg = segments[i] as string;
      const part = parts[i] as string;
      if (seg.startsWith("{") && seg.endsWith("}")) {
        if (seg.endsWith("+}")) {
          params[seg.slice(1, -2)] = safeDecode(parts.slice(i).join("/"));
          break;
        }
        params[seg.slice(1, -1)] = safeDecode(part);
      } else if (seg !== part) {
        return false;
      }
    }
    return Object.keys(params).length > 0 ? params : undefined;
  }

  return {
    routes,
    match(rawPath) {
      const parts = splitPath(rawPath);
      for (const route of routes) {
        const m = tryMatch(route, parts);
        if (m !== false) return { route, pathParameters: m };
      }
      return fallback ? { route: fallback, pathParameters: undefined } : undefined;
    },
  };
}

// HTTP APIs pass form posts (application/x-www-form-urlencoded) base64-encoded, like any other non-text body
const TEXT_TYPES = [/^text\//, /^application\/(json|xml|javascript|graphql|x-ndjson)$/, /\+(json|xml)$/];

/** Whether API Gateway would pass this body as text (otherwise base64). */
export function isTextContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const mime = (contentType.split(";")[0] ?? "").trim().toLowerCase();
  // a body in another charset (GBK from an older portal) goes through as bytes, for the app to decode
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType)?.[1]?.toLowerCase();
  if (charset && charset !== "utf-8" && charset !== "utf8") return false;
  return TEXT_TYPES.some((re) => re.test(mime));
}

/** `12/Mar/2020:19:03:58 +0000`, the format of requestContext.time. */
export function formatRequestTime(d: Date): string {
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

export interface RawRequest {
  method: string;
  /** request target as received, e.g. `/a/b?x=1` */
  url: string;
  /** header name → every value received (Node's `headersDistinct`) */
  headers: Record<string, string[]>;
  body: Buffer;
  sourceIp: string;
  localPort: number;
  httpVersion: string;
}

export function toApiGatewayEvent(req: RawRequest, match: RouteMatch, now: Date): APIGatewayProxyEventV2 {
  const q = req.url.indexOf("?");
  const rawPath = q === -1 ? req.url : req.url.slice(0, q);
  const rawQueryString = q === -1 ? "" : req.url.slice(q + 1);

  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, values] of Object.entries(req.headers)) {
    const key = name.toLowerCase();
    // v2 moves cookies out of the headers into their own array
    // hop-by-hop: API Gateway does not forward them (it buffers the body, hence content-length below)
    if (key === "connection" || key === "keep-alive" || key === "transfer-encoding") continue;
    if (key === "cookie") {
      cookies = values
        .flatMap((v) => v.split(";"))
        .map((c) => c.trim())
        .filter((c) => c.length > 0);
      continue;
    }
    headers[key] = values.join(",");
  }
  // API Gateway adds the forwarding headers itself, and a content-length even to a request without a body
  headers["x-forwarded-for"] = headers["x-forwarded-for"] ? `${headers["x-forwarded-for"]}, ${req.sourceIp}` : req.sourceIp;
  headers["content-length"] ??= String(req.body.length);
  headers["x-forwarded-port"] = String(req.localPort);
  headers["x-forwarded-proto"] = "http";
  headers["x-amzn-trace-id"] ??= `Root=1-${Math.floor(now.getTime() / 1000).toString(16)}-${randomUUID().replaceAll("-", "").slice(0, 24)}`;

  let queryStringParameters: Record<string, string> | undefined;
  if (rawQueryString.length > 0) {
    queryStringParameters = {};
    for (const [k, v] of new URLSearchParams(rawQueryString)) {
      const prev = queryStringParameters[k];
      queryStringParameters[k] = prev === undefined ? v : `${prev},${v}`;
    }
  }

  let body: string | undefined;
  let isBase64Encoded = false;
  if (req.body.length > 0) {
    if (isTextContentType(headers["content-type"])) {
      body = req.body.toString("utf8");
    } else {
      body = req.body.toString("base64");
      isBase64Encoded = true;
    }
  }

  const domainName = headers["host"] ?? `127.0.0.1:${req.localPort}`;
  const event: APIGatewayProxyEventV2 = {
    version: "2.0",
    routeKey: match.route.routeKey,
    rawPath,
    rawQueryString,
    headers,
    requestContext: {
      accountId: "000000000000",
      apiId: "local",
      domainName,
      domainPrefix: domainName.split(".")[0] ?? domainName,
      http: {
        method: req.method.toUpperCase(),
        path: rawPath,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.sourceIp,
        userAgent: headers["user-agent"] ?? "",
      },
      // HTTP API request ids look like "ZcOQCw-WIBMEQdg="
      requestId: `${randomBytes(11).toString("base64url")}=`,
      routeKey: match.route.routeKey,
      stage: "$default",
      time: formatRequestTime(now),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded,
  };
  if (cookies && cookies.length > 0) event.cookies = cookies;
  if (queryStringParameters) event.queryStringParameters = queryStringParameters;
  if (match.pathParameters) event.pathParameters = match.pathParameters;
  if (body !== undefined) event.body = body;
  return event;
}

export interface HttpReply {
  statusCode: number;
  /** header name → value(s); `set-cookie` may hold several */
  headers: Record<string, string | string[]>;
  body: Buffer;
}

function jsonReply(statusCode: number, value: unknown): HttpReply {
  return {
    statusCode,
    headers: { "content-type": "application/json; charset=utf-8" },
    body: Buffer.from(JSON.stringify(value), "utf8"),
  };
}

/** A page stopped by the local outage switch (controls.ts setPageDown). */
export const outageReply = (): HttpReply =>
  jsonReply(503, { error: { code: "LOCAL_OUTAGE", message: "本地模拟故障：该页面已被停止（POST /local/outage 恢复）", fields: [] } });
export const notFoundReply = (): HttpReply => jsonReply(404, { error: { code: "NOT_FOUND", message: "未找到该地址", fields: [] } });
export const internalErrorReply = (): HttpReply =>
  jsonReply(500, { error: { code: "INTERNAL_ERROR", message: "系统暂时无法处理您的请求，请稍后再试", fields: [] } });
export const tooLargeReply = (): HttpReply =>
  jsonReply(413, { error: { code: "PAYLOAD_TOO_LARGE", message: "请求内容过大", fields: [] } });

function isStructured(result: unknown): result is APIGatewayProxyStructuredResultV2 & {
  multiValueHeaders?: Record<string, Array<string | number | boolean>>;
} {
  return typeof result === "object" && result !== null && "statusCode" in result;
}

/**
 * Maps a handler's result the way API Gateway does for payload 2.0: a result
 * with `statusCode` is taken as is; anything else is "inferred" as a 200
 * application/json response (a string is sent unchanged, other values are
 * JSON-serialised).
 */
export function fromHandlerResult(result: unknown): HttpReply {
  if (!isStructured(result)) {
    if (result === undefined || result === null) {
      return { statusCode: 200, headers: {}, body: Buffer.alloc(0) };
    }
    const text = typeof result === "string" ? result : JSON.stringify(result);
    return { statusCode: 200, headers: { "content-type": "application/json" }, body: Buffer.from(text, "utf8") };
  }
  const headers: Record<string, string | string[]> = {};
  const add = (name: string, value: string) => {
    const key = name.toLowerCase();
    const prev = headers[key];
    if (prev === undefined) headers[key] = value;
    else headers[key] = Array.isArray(prev) ? [...prev, value] : [prev, value];
  };
  for (const [k, v] of Object.entries(result.multiValueHeaders ?? {})) {
    for (const one of v) add(k, String(one));
  }
  for (const [k, v] of Object.entries(result.headers ?? {})) add(k, String(v));
  for (const c of result.cookies ?? []) add("set-cookie", c);
  const raw = result.body ?? "";
  const body = result.isBase64Encoded ? Buffer.from(raw, "base64") : Buffer.from(raw, "utf8");
  return { statusCode: result.statusCode ?? 200, headers, body };
}
