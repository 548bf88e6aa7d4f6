/**
 * What every answer to every fuzzed request must satisfy (issue 7 items 1 and 2, SPEC §6–§7):
 * - never a 5xx (and the handler never throws);
 * - an error under /api/ is the one JSON error body
 *   `{"error": {"code", "message", "fields": [{"path", "code", "message"}]}}`; elsewhere it
 *   is an HTML page, unless the request asked a page for data (a `.json` / `.csv` suffix or
 *   a `format` other than html, as only the transparency pages take), when it is that JSON body;
 * - every header and cookie the app sends is visible ASCII (no CR/LF, NUL, non-Latin-1);
 * - a rejected request (4xx) stores nothing (reads and throttle counters excepted);
 * - nothing stored holds a character no text may hold (NUL, controls, bidi overrides,
 *   lone surrogates, U+FFFD).
 */
import { toRawRequest, type FuzzRequest } from "./requests";
import type { World } from "./world";

export interface Verdict {
  status: number;
  problems: string[];
  function: string;
  /** the answer itself (absent when the handler threw) */
  response?: Awaited<ReturnType<World["send"]>>["response"];
}

const SAFE_HEADER = /^[\t\x20-\x7e]*$/;

function errorBodyProblems(body: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return ["error body is not JSON"];
  }
  const top = parsed as { error?: { code?: unknown; message?: unknown; fields?: unknown } } | null;
  const problems: string[] = [];
  if (!top || typeof top !== "object" || Object.keys(top).join() !== "error") problems.push("error body is not {error}");
  const e = top?.error;
  if (!e || typeof e.code !== "string" || !e.code || typeof e.message !== "string" || !e.message) problems.push("error without code and message");
  if (!Array.isArray(e?.fields)) problems.push("error without fields[]");
  else {
    for (const f of e.fields as Array<Record<string, unknown>>) {
      if (typeof f?.path !== "string" || typeof f.code !== "string" || typeof f.message !== "string") problems.push("field error without path, code and message");
    }
  }
  return problems;
}

function asksForData(path: string, query: string): boolean {
  if (!/^\/transparency(\/|$)/.test(path)) return false;
  const format = new URLSearchParams(query).get("format");
  return /\.(json|csv)$/.test(path) || (format !== null && format !== "html");
}

/** Sends one request and lists what is wrong with the answer (empty: all is well). */
export async function check(world: World, req: FuzzRequest, options: { binary?: boolean } = {}): Promise<Verdict> {
  const writesBefore = world.writes.count;
  const dirtyBefore = world.writes.dirty.length;
  let sent: Awaited<ReturnType<World["send"]>>;
  try {
    sent = await world.send(toRawRequest(req), options);
  } catch (error) {
    return { status: 0, function: "?", problems: [`handler threw: ${error instanceof Error ? error.stack : String(error)}`] };
  }
  const { response } = sent;
  const status = response.statusCode;
  const problems: string[] = [];
  if (!Number.isInteger(status) || status < 100 || status > 599) problems.push(`status ${status}`);
  if (status >= 500) problems.push(`${status}: ${String(response.body ?? "").slice(0, 300)}`);

  const headers = Object.fromEntries(Object.entries(response.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
  for (const [name, value] of Object.entries(headers)) if (!SAFE_HEADER.test(value)) problems.push(`unsafe header ${name}: ${JSON.stringify(value.slice(0, 100))}`);
  for (const c of response.cookies ?? []) if (!SAFE_HEADER.test(c)) problems.push(`unsafe cookie ${JSON.stringify(c.slice(0, 100))}`);

  if (status >= 400) {
    const type = headers["content-type"] ?? "";
    const body = response.isBase64Encoded ? Buffer.from(response.body ?? "", "base64").toString("utf8") : String(response.body ?? "");
    if (sent.event.rawPath.startsWith("/api/") || asksForData(sent.event.rawPath, sent.event.rawQueryString ?? "")) {
      if (!type.startsWith("application/json")) problems.push(`API error as ${type || "no content type"}`);
      else problems.push(...errorBodyProblems(body));
    } else if (!type.startsWith("text/html") || !/<html|<!doctype/i.test(body)) {
      problems.push(`page error as ${type || "no content type"}: ${body.slice(0, 120)}`);
    }
    if (world.writes.count !== writesBefore) problems.push(`a ${status} stored ${world.writes.count - writesBefore} write(s)`);
  }
  const dirty = world.writes.dirty.slice(dirtyBefore);
  if (dirty.length > 0) problems.push(`stored forbidden characters: ${dirty.map((d) => `${d.kind} ${d.path} ${d.codePoint}`).join(", ")}`);

  // a request that signed someone out: sign in again, so later requests still reach past authentication
  if (status < 400 && /logout/.test(sent.event.rawPath)) await world.refreshStaff();
  return { status, problems, function: sent.function, response };
}

/** One line describing a request, to reproduce a failure. */
export function describe(req: FuzzRequest): string {
  const body = req.body.byteLength > 300 ? `${req.body.subarray(0, 300).toString("utf8")}… (${req.body.byteLength} bytes)` : req.body.toString("utf8");
  const cut = (v: string) => (v.length > 200 ? `${v.slice(0, 200)}…(${v.length})` : v);
  const url = req.query ? `${req.path}?${req.query}` : req.path;
  const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, cut(v)]));
  return JSON.stringify({ method: req.method, url: cut(url), headers, label: req.label, body });
}
