import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { createHttpHandler, type Route } from "../../shared/http/http";
import { renderErrorPage } from "../../shared/http/error-pages";

/**
 * Console routes driven as a browser drives them, without a server: API Gateway events
 * in, responses out, cookies kept in a jar (set, replaced, deleted by Max-Age=0), forms
 * sent url-encoded or as multipart with files.
 */

export type Jar = Map<string, string>;

export interface MultipartPart {
  name: string;
  value?: string;
  file?: { filename: string; type: string; bytes: Buffer };
}

export interface Sent {
  status: number;
  headers: Record<string, string>;
  setCookies: string[];
  /** the body as text (decoded when it came base64) */
  body: string;
  bytes: Buffer;
}

export function multipart(parts: MultipartPart[]): { body: Buffer; contentType: string } {
  const boundary = "----gongkai-test-boundary-7d1";
  const chunks: Buffer[] = [];
  for (const p of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\n`));
    if (p.file) {
      chunks.push(Buffer.from(`Content-Disposition: form-data; name="${p.name}"; filename="${p.file.filename}"\r\nContent-Type: ${p.file.type}\r\n\r\n`, "utf8"));
      chunks.push(p.file.bytes, Buffer.from("\r\n"));
    } else {
      chunks.push(Buffer.from(`Content-Disposition: form-data; name="${p.name}"\r\n\r\n${p.value ?? ""}\r\n`, "utf8"));
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

export function consoleBrowser(routes: Route[]) {
  const handler = createHttpHandler(routes, { renderErrorPage });
  return async function send(method: string, url: string, opts: { form?: Record<string, string>; multipart?: MultipartPart[]; jar?: Jar } = {}): Promise<Sent> {
    const [path, query = ""] = url.split("?") as [string, string?];
    const encoded = opts.multipart
      ? multipart(opts.multipart)
      : opts.form
        ? { body: Buffer.from(new URLSearchParams(opts.form).toString()), contentType: "application/x-www-form-urlencoded" }
        : undefined;
    const cookies = opts.jar?.size ? [...opts.jar].map(([k, v]) => `${k}=${v}`) : undefined;
    const event = {
      version: "2.0",
      routeKey: "$default",
      rawPath: path,
      rawQueryString: query,
      headers: { host: "gongkai.test", ...(encoded ? { "content-type": encoded.contentType } : {}) },
      ...(cookies ? { cookies } : {}),
      requestContext: { http: { method, path, protocol: "HTTP/1.1", sourceIp: "198.51.100.7", userAgent: "vitest" }, requestId: "req-1" },
      ...(encoded ? { body: encoded.body.toString("base64"), isBase64Encoded: true } : { isBase64Encoded: false }),
    } as unknown as APIGatewayProxyEventV2;
    const res = await handler(event);
    const setCookies = (res.cookies ?? []) as string[];
    for (const c of setCookies) {
      const [pair] = c.split(";");
      const i = pair!.indexOf("=");
      if (/Max-Age=0\b/.test(c)) opts.jar?.delete(pair!.slice(0, i));
      else opts.jar?.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
    const bytes = Buffer.from(String(res.body ?? ""), res.isBase64Encoded ? "base64" : "utf8");
    return { status: res.statusCode, headers: (res.headers ?? {}) as Record<string, string>, setCookies, body: res.isBase64Encoded ? bytes.toString("utf8") : String(res.body ?? ""), bytes };
  };
}

/** The CSRF token a page's form carries. */
export const csrfOf = (page: string) => /name="csrfToken" value="([^"]+)"/.exec(page)?.[1] ?? "";
