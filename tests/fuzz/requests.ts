/**
 * fast-check arbitraries of HTTP requests against the routes of the manifest: paths from
 * the route templates with sample and malformed parameters, methods, query strings,
 * headers (content types and charsets, encodings, credentials, huge and odd values) and
 * bodies — valid examples mutated field by field, in JSON, urlencoded forms (UTF-8 or
 * GBK) and multipart, plus raw bytes, deep nesting and oversized bodies.
 */
import fc from "fast-check";
import { readFileSync } from "node:fs";
import type { RawRequest } from "../../shared/adapters/local/host-http";
import { DEMO_PASSWORD, demoAgencies } from "../../shared/app/seed-demo";
import { wellFormed } from "../../shared/domain/text";
import { validApplication } from "../support/app";
import type { World } from "./world";

export interface FuzzRequest {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  body: Buffer;
  sourceIp: string;
  /** what the body was made from, for reports */
  label: string;
}

export function toRawRequest(r: FuzzRequest): RawRequest {
  return {
    method: r.method,
    url: r.query ? `${r.path}?${r.query}` : r.path,
    headers: Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, [v]])),
    body: r.body,
    sourceIp: r.sourceIp,
    localPort: 3000,
    httpVersion: "1.1",
  };
}

// ---------------------------------------------------------------------------
// Text: what people (and attackers) type

/** The characters and strings the issue's reproductions and the hygiene rule are about. */
export const nastyPieces = [
  "\u0000",
  "\u0007",
  "\u001b[31m",
  "\r\n",
  "\n",
  "\t",
  "\u007f",
  "\u0085",
  "\u009b",
  "\u202e",
  "\u202a",
  "\u2066",
  "\u2069",
  "\ud800",
  "\udfff",
  "\ufffd",
  "\ufeff",
  "\u2028",
  "😀",
  "𠀀",
  "中",
  "<script>alert(1)</script>",
  "'\"",
  "%00",
  "%E0",
  "../",
  "\\",
  "=cmd|' /C calc'!A0",
  "\r\nSet-Cookie: injected=1",
];

export const hugePieces = ["x".repeat(2100), "中".repeat(700), "1".repeat(5000), "😀".repeat(1100), "中".repeat(2100)];

const nasty = fc.constantFrom(...nastyPieces);
const huge = fc.constantFrom(...hugePieces);

export const text: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 20 }) },
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom("张三", "台州市黄岩区", "abc", "", "13800138000"), nasty, fc.constantFrom("", "丰", "1", " ")).map(([a, b, c]) => a + b + c) },
  { weight: 1, arbitrary: huge },
  { weight: 1, arbitrary: fc.constantFrom("", " ", "  \t ", "null", "0", "-1", "true", "[]", "{}") },
);

const jsonish: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: text },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.array(text, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), text, { maxKeys: 3 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

// ---------------------------------------------------------------------------
// Bodies: valid examples and their mutations

const png = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex");
const schedule2026 = JSON.parse(readFileSync(new URL("../../shared/domain/calendar/official/2026.json", import.meta.url), "utf8")) as Record<string, unknown>;

function bases(world: World): Record<string, () => Record<string, unknown>> {
  const s = world.samples;
  return {
    application: () => validApplication(),
    organization: () =>
      validApplication({ applicantType: "organization", organizationKind: "research", creditCode: "91110000100000589B", legalRepresentative: "李四", contactPerson: "王五", idType: undefined, idNumber: undefined }),
    withAttachment: () => validApplication({ attachments: [{ name: "身份证.png", data: png.toString("base64") }] }),
    applyForm: () => ({ ...validApplication(), declaration: "yes", consent: "yes", formToken: "AAAAAAAAAAAAAAAAAAAAAAAA" }),
    correction: () => ({ description: "补正后的描述：2025年度满意度调查报告全文", note: "已补充文件名称" }),
    track: () => ({ trackingNumber: s.correctionTrackingNumber, accessCode: s.correctionAccessCode }),
    accessCode: () => ({ trackingNumber: s.correctionTrackingNumber }),
    login: () => ({ agencyCode: demoAgencies[0]!.code, username: "office", password: DEMO_PASSWORD, next: "/console/inbox", csrfToken: "fuzz-login-csrf" }),
    registered: () => ({ outcome: "registered", receivedOn: "2026-03-02", note: "电话确认" }),
    review: () => ({ outcome: "needs_correction", items: ["请写明文件名称", "请补充身份证明"], correctionWorkingDays: 10 }),
    complete: () => ({ outcome: "complete" }),
    staffEntry: () => ({ ...validApplication(), channel: "letter", receivedOn: "2026-03-02" }),
    schedule: () => ({ ...structuredClone(schedule2026), year: 2026 }),
    empty: () => ({}),
  };
}

/** Which example a route is usually sent. */
function baseFor(template: string): string {
  if (template === "/apply") return "applyForm";
  if (template === "/api/v1/applications") return "application";
  if (template.endsWith("/correction")) return "correction";
  if (template === "/track") return "track";
  if (template.endsWith("/access-code")) return "accessCode";
  if (template.includes("login")) return "login";
  if (template.includes("/complete")) return "registered";
  if (template.includes("staff/applications") || template === "/console/applications/new") return "staffEntry";
  if (template.includes("calendar")) return "schedule";
  return "empty";
}

/** A change to an example: `own` picks one of the example's own fields (so the fields that matter are hit often), else `key`. */
type Edit = { own: number | undefined; key: string; value: unknown; remove: boolean; special: number };

const otherKeys = ["trackingNumber", "accessCode", "username", "password", "next", "outcome", "note", "items", "receivedOn", "channel", "attachments", "csrfToken", "unknownField", "__proto__", "constructor", ""];

const edit: fc.Arbitrary<Edit> = fc
  .record({
    own: fc.option(fc.nat(), { freq: 4, nil: undefined }),
    key: fc.constantFrom(...otherKeys),
    value: fc.oneof({ weight: 5, arbitrary: jsonish }, { weight: 1, arbitrary: huge }),
    // one edit in ten removes the field instead
    remove: fc.nat({ max: 9 }).map((n) => n === 0),
    // three edits in four of a field with values of its own (below) take one of them
    special: fc.nat(),
  });

const edits: fc.Arbitrary<Edit[]> = fc.array(edit, { minLength: 1, maxLength: 4 });

/** Values that matter for one field: keys the store looks up, where a redirect goes. */
function specialValues(key: string): unknown[] | undefined {
  switch (key) {
    case "next":
      return nextValues;
    case "trackingNumber":
    case "agencyCode":
    case "username":
      return [...hugePieces, `${demoAgencies[0]!.code}-2026-${"1".repeat(2100)}`, "001008010002002-2026-00001\u0000", "\ud800", "001008010002002-2026-00001\u202e", " "];
    case "outcome":
      return ["registered", "complete", "needs_correction", "approved", "returned", "propose_reply", "request_extension", "corrected", "no_answer"];
    default:
      return undefined;
  }
}

function applyEdits(base: Record<string, unknown>, changes: Edit[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  const own = Object.keys(base);
  for (const e of changes) {
    const key = e.own !== undefined && own.length > 0 ? own[e.own % own.length]! : e.key;
    const special = specialValues(key);
    const value = special && e.special % 4 !== 0 ? special[(e.special >> 2) % special.length] : e.value;
    if (e.remove) delete out[key];
    // an own "__proto__" key, as JSON.parse would make it, not the prototype
    else Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** A form field's value: strings as they are, anything else as JSON text. */
const formValue = (v: unknown) => (typeof v === "string" ? v : v === undefined ? "" : JSON.stringify(v));

/** GBK bytes of a text (Node decodes GBK but has no encoder: the table is built once from the decoder); unknown characters become "?". */
let gbkTable: Map<string, number[]> | undefined;
export function gbkBytes(value: string): Buffer {
  if (!gbkTable) {
    gbkTable = new Map();
    const decoder = new TextDecoder("gbk");
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        const ch = decoder.decode(Uint8Array.of(lead, trail));
        if (ch.length === 1 && ch !== "\ufffd" && !gbkTable.has(ch)) gbkTable.set(ch, [lead, trail]);
      }
    }
  }
  const out: number[] = [];
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) out.push(code);
    else out.push(...(gbkTable.get(ch) ?? [0x3f]));
  }
  return Buffer.from(out);
}

const percent = (bytes: Buffer) => [...bytes].map((b) => (/[A-Za-z0-9*\-._]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : b === 0x20 ? "+" : `%${b.toString(16).toUpperCase().padStart(2, "0")}`)).join("");

function urlencoded(fields: Record<string, unknown>, charset: "utf-8" | "gbk"): string {
  const bytes = (s: string) => (charset === "gbk" ? gbkBytes(s) : Buffer.from(wellFormed(s), "utf8"));
  return Object.entries(fields)
    .flatMap(([k, v]) => (Array.isArray(v) && v.every((x) => typeof x === "string") ? v.map((x) => [k, x]) : [[k, formValue(v)]]))
    .map(([k, v]) => `${percent(bytes(k!))}=${percent(bytes(v!))}`)
    .join("&");
}

function multipart(fields: Record<string, unknown>, boundary: string, file: "none" | "png" | "junk"): Buffer {
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k.replace(/"/g, "%22")}"\r\n\r\n${wellFormed(formValue(v))}\r\n`, "utf8"));
  }
  if (file !== "none") {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="attachment1"; filename="证明\u202egnp.exe"\r\nContent-Type: image/png\r\n\r\n`, "utf8"));
    parts.push(file === "png" ? png : Buffer.from("not an image at all"));
    parts.push(Buffer.from("\r\n"));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(parts);
}

const charsets = fc.constantFrom(undefined, "utf-8", "UTF-8", '"utf-8"', "utf8", "gbk", "GBK", "gb18030", "gb2312", "latin1", "iso-8859-1", "us-ascii", "big5", "utf-16", "foo", "", "x".repeat(300));

type BodyKind = "none" | "json" | "json-gbk" | "form" | "form-gbk" | "form-gbk-undeclared" | "form-charset-field" | "multipart" | "multipart-broken" | "raw" | "raw-text" | "deep" | "huge";

const bodyKinds = fc.constantFrom<BodyKind>(
  "none",
  "json",
  "json",
  "json",
  "json-gbk",
  "form",
  "form",
  "form",
  "form-gbk",
  "form-gbk-undeclared",
  "form-charset-field",
  "multipart",
  "multipart-broken",
  "raw",
  "raw-text",
  "deep",
  "huge",
);

// ---------------------------------------------------------------------------
// Paths, queries, headers

/** Path segments that name nothing: the issue's reproductions and their relatives. */
export const malformedSegments = [
  "%E0",
  "%",
  "%zz",
  "%E0%A4%A",
  "%00",
  "%0D%0A",
  "%ED%A0%80",
  "%C0%AF",
  "%FF",
  "%2e%2e",
  "..",
  ".",
  "%2F",
  "a%2Fb",
  "%E2%80%AE",
  "%F0%9F%98%80",
  "%EF%BF%BD",
  encodeURIComponent("中".repeat(700)),
  "x".repeat(2100),
  `${demoAgencies[0]!.code}-2026-${"1".repeat(2100)}`,
  "01ARZ3NDEKTSV4RRFFQ69G5FA",
  "01arz3ndektsv4rrffq69g5fav",
  "中文",
  "%E4%B8%AD%E6%96%87",
  "null",
  "undefined",
  "__proto__",
  "constructor",
];

const safeEncode = (s: string) => encodeURIComponent(wellFormed(s));

function segmentArb(world: World, name: string, clean: boolean): fc.Arbitrary<string> {
  const valid = world.samples.valid[name] ?? ["x"];
  const named = fc.constantFrom(...valid).map((v) => (name === "proxy" ? v : safeEncode(v)));
  if (clean) return named;
  return fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...valid).map((v) => (name === "proxy" ? v : safeEncode(v))) },
    { weight: 3, arbitrary: fc.constantFrom(...malformedSegments) },
    { weight: 1, arbitrary: fc.stringMatching(/^[0-9A-Z]{26}$/) },
    { weight: 1, arbitrary: fc.string({ maxLength: 30 }).map(safeEncode) },
    // unencoded, as a client that does not escape would send it
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 12 }).map((s) => s.replace(/[?#/]/g, "")) },
  );
}

const nextValues = [
  "/console/cases",
  "/console/cases?q=%E6%BB%A1",
  "//evil.example/",
  "https://evil.example/",
  "/\\evil.example",
  "/console/\r\nSet-Cookie: a=b",
  "/console/\u0000",
  "/console/中文",
  "/console/\u00e9",
  "/console/%0d%0aX: y",
  "/console/../api/v1/tasks",
  "/console/%2e%2e/api",
  `/console/${"a".repeat(3000)}`,
  "javascript:alert(1)",
  "/console/\ud800",
  "/console/\u202e",
  "",
];

function queryArb(world: World): fc.Arbitrary<string> {
  const pick = (k: string, arb: fc.Arbitrary<string>) => arb.map((v) => `${k}=${safeEncode(v)}`);
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant("") },
    { weight: 2, arbitrary: fc.constantFrom("format=docx", "format=html", "format=pdf", "status=open", "status=closed", "step=register", "step=nope", "agency=001008010002002", "sent=1", "ended=1", "corrected=1", "entered=1") },
    { weight: 2, arbitrary: pick("next", fc.oneof(fc.constantFrom(...nextValues), text)) },
    { weight: 1, arbitrary: pick("q", text) },
    { weight: 1, arbitrary: pick("trackingNumber", fc.oneof(fc.constantFrom(...world.samples.trackingNumbers), text)) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom("done=1&task=", "from=", "to=", "limit=", "cursor="), text).map(([k, v]) => k + safeEncode(v)) },
    { weight: 1, arbitrary: fc.constantFrom("%E0", "a=%", "next=%E0", "q=%ZZ", "&&&", "=", "a".repeat(3000)) },
  );
}

type Auth = "none" | "bearer" | "bearer-bad" | "cookie" | "cookie-csrf" | "cookie-bad-csrf" | "cookie-bad";

export function requestArbitrary(world: World): fc.Arbitrary<FuzzRequest> {
  const makeBase = bases(world);
  const templates = world.templates;
  // the functions' own routes (they say which methods they answer) more often than the manifest's catch-alls
  const known = templates.filter((t) => world.methods[t]);
  const templateAndPath = (clean: boolean) =>
    fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: fc.constantFrom(...templates) }).chain((template) => {
      const segments = template.split("/").filter(Boolean);
      const parts = segments.map((seg) => (seg.startsWith("{") ? segmentArb(world, seg.replace(/[{}+]/g, ""), clean) : fc.constant(seg)));
      const tail = clean ? fc.constant("") : fc.oneof({ weight: 12, arbitrary: fc.constant("") }, { weight: 1, arbitrary: fc.constantFrom("/", "//x", "/extra") });
      return fc.tuple(fc.constant(template), fc.tuple(...parts), tail).map(([t, p, end]) => ({ template: t, path: `/${p.join("/")}${end}`, clean }));
    });
  const anyPath = fc.oneof(
    // a clean request: the route's own example, method, content type and credentials, at most one edit, so it gets deep
    { weight: 8, arbitrary: templateAndPath(true) },
    { weight: 12, arbitrary: templateAndPath(false) },
    { weight: 1, arbitrary: fc.webPath().map((p) => ({ template: "", path: p || "/", clean: false })) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom("/api/v1/applications/%E0", "/api/v1/cases/%E0", "/console/cases/%E0", "/api/v1/applications/%/correction", "/console/%E0", "/%E0", "/api/v1/%E0/x")
        .map((p) => ({ template: "", path: p, clean: false })),
    },
  );
  const method = fc.oneof(
    // mostly what the route answers, so requests get past the router
    { weight: 12, arbitrary: fc.constant("route") },
    { weight: 2, arbitrary: fc.constantFrom("GET", "POST") },
    { weight: 1, arbitrary: fc.constantFrom("PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "get", "PROPFIND", "") },
  );
  const auth = fc.constantFrom<Auth>("none", "bearer", "bearer", "bearer-bad", "cookie", "cookie-csrf", "cookie-csrf", "cookie-bad-csrf", "cookie-bad");
  const odd = fc.oneof(text, fc.constantFrom("x".repeat(8000), "\u00ff\u00fe", "a\u0000b"));

  return fc
    .record({
      where: anyPath,
      method,
      query: queryArb(world),
      base: fc.oneof({ weight: 7, arbitrary: fc.constant("auto") }, { weight: 3, arbitrary: fc.constantFrom(...Object.keys(makeBase)) }),
      edits: fc.oneof({ weight: 2, arbitrary: fc.constant([] as Edit[]) }, { weight: 5, arbitrary: edits }),
      kind: bodyKinds,
      charset: charsets,
      typeOverride: fc.oneof(
        { weight: 8, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.constantFrom("text/plain", "application/xml", "application/json; charset=gbk", "application/x-www-form-urlencoded", "multipart/form-data", "multipart/form-data; boundary=", "application/octet-stream", "*/*", "application/vnd.api+json", "") },
        { weight: 1, arbitrary: odd },
      ),
      encoding: fc.oneof({ weight: 12, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom("gzip", "br", "deflate", "identity", "identity, gzip", "IDENTITY", "x-custom", "") }),
      auth,
      staffIndex: fc.nat({ max: 2 }),
      accessCode: fc.oneof({ weight: 3, arbitrary: fc.constant("right") }, { weight: 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: odd }),
      idempotencyKey: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom("key-1", "key-2", "k".repeat(200), " ", "ключ", "a b") }, { weight: 1, arbitrary: odd }),
      trackCookie: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: fc.constant("right") }, { weight: 1, arbitrary: odd.map(safeEncode) }),
      loginCsrf: fc.boolean(),
      origin: fc.constantFrom(undefined, undefined, "same", "https://evil.example", "null", "not a url"),
      secFetchSite: fc.constantFrom(undefined, undefined, "same-origin", "cross-site", "none"),
      extraHeader: fc.option(fc.tuple(fc.constantFrom("x-forwarded-for", "user-agent", "accept-language", "x-amzn-trace-id", "cookie2"), odd), { nil: undefined }),
      boundary: fc.constantFrom("----fuzzboundary", "x", "中文边界", ""),
      file: fc.constantFrom<"none" | "png" | "junk">("none", "png", "junk"),
      rawBytes: fc.uint8Array({ maxLength: 400 }),
      rawText: fc.oneof(text, fc.string({ maxLength: 200 })),
      ip: fc.nat({ max: 60 }),
    })
    .map((raw) => {
      const clean = raw.where.clean;
      const api = raw.where.template.startsWith("/api/");
      const cleanKind: BodyKind = api ? "json" : raw.where.template === "/apply" && raw.file !== "none" ? "multipart" : "form";
      const r = clean
        ? {
            ...raw,
            method: "route",
            base: "auto",
            edits: raw.edits.slice(0, raw.ip % 3 === 0 ? 1 : 0),
            kind: cleanKind,
            charset: raw.ip % 5 === 0 ? "utf-8" : undefined,
            typeOverride: undefined,
            encoding: undefined,
            auth: (api ? (raw.ip % 2 ? "bearer" : "cookie-csrf") : "cookie-csrf") as Auth,
            accessCode: "right" as const,
            idempotencyKey: raw.ip % 4 === 0 ? raw.idempotencyKey : undefined,
            trackCookie: "right" as const,
            loginCsrf: true,
            origin: undefined,
            secFetchSite: undefined,
            extraHeader: undefined,
            boundary: "----fuzzboundary",
          }
        : raw;
      const s = world.samples;
      const answers = world.methods[r.where.template] ?? ["GET", "POST"];
      const method = r.method === "route" ? answers[r.ip % answers.length]! : r.method;
      const staff = world.staff[r.staffIndex % Math.max(world.staff.length, 1)];
      const baseName = r.base === "auto" ? baseFor(r.where.template) : r.base;
      const fields = applyEdits(makeBase[baseName]!(), r.edits);
      const headers: Record<string, string> = { host: "gongkai.test", "user-agent": "gongkai-fuzz" };
      const cookies: string[] = [];
      const withCharset = (type: string) => (r.charset === undefined ? type : `${type}; charset=${r.charset}`);
      let body: Buffer = Buffer.alloc(0);
      let type: string | undefined;

      if (baseName === "login" && r.loginCsrf) cookies.push("gk_login_csrf=fuzz-login-csrf");
      if (r.auth === "cookie-csrf" || r.auth === "cookie-bad-csrf") fields.csrfToken = r.auth === "cookie-csrf" ? staff?.csrfToken : "forged";

      switch (r.kind) {
        case "none":
          break;
        case "json":
          body = Buffer.from(wellFormed(JSON.stringify(fields)), "utf8");
          type = withCharset("application/json");
          break;
        case "json-gbk":
          body = gbkBytes(JSON.stringify(fields));
          type = `application/json; charset=${r.charset === "gb18030" || r.charset === "gb2312" ? r.charset : "gbk"}`;
          break;
        case "form":
          body = Buffer.from(urlencoded(fields, "utf-8"));
          type = withCharset("application/x-www-form-urlencoded");
          break;
        case "form-gbk":
          body = Buffer.from(urlencoded(fields, "gbk"));
          type = "application/x-www-form-urlencoded; charset=GBK";
          break;
        case "form-gbk-undeclared":
          body = Buffer.from(urlencoded(fields, "gbk"));
          type = "application/x-www-form-urlencoded";
          break;
        case "form-charset-field":
          body = Buffer.from(urlencoded({ _charset_: r.charset ?? "gbk", ...fields }, r.charset?.toLowerCase().startsWith("gb") ? "gbk" : "utf-8"));
          type = "application/x-www-form-urlencoded";
          break;
        case "multipart":
          body = multipart(fields, r.boundary || "b", r.file);
          type = withCharset(`multipart/form-data; boundary=${r.boundary || "b"}`);
          break;
        case "multipart-broken":
          body = multipart(fields, "right", r.file).subarray(0, 40 + (r.rawBytes.length % 200));
          type = `multipart/form-data; boundary=${r.boundary}`;
          break;
        case "raw":
          body = Buffer.from(r.rawBytes);
          type = withCharset("application/json");
          break;
        case "raw-text":
          body = Buffer.from(wellFormed(r.rawText), "utf8");
          type = r.charset === undefined ? undefined : withCharset("text/plain");
          break;
        case "deep":
          body = Buffer.from(`${"[".repeat(4000)}${"]".repeat(4000)}`);
          type = "application/json";
          break;
        case "huge":
          body = Buffer.from(JSON.stringify({ ...fields, description: "中".repeat(30_000) }));
          type = "application/json";
          break;
      }
      if (r.typeOverride !== undefined) type = r.typeOverride;
      if (type !== undefined) headers["content-type"] = type;
      if (r.encoding !== undefined) headers["content-encoding"] = r.encoding;

      if (staff) {
        if (r.auth === "bearer") headers.authorization = `Bearer ${staff.token}`;
        if (r.auth === "bearer-bad") headers.authorization = `Bearer ${"A".repeat(43)}`;
        if (r.auth.startsWith("cookie")) cookies.push(`gk_session=${r.auth === "cookie-bad" ? "forged" : staff.token}`);
        if (r.auth === "cookie-csrf") headers["x-csrf-token"] = staff.csrfToken;
        if (r.auth === "cookie-bad-csrf") headers["x-csrf-token"] = "forged";
      }
      const tracked = s.trackingNumbers.find((t) => r.where.path.includes(t)) ?? s.correctionTrackingNumber;
      if (r.accessCode === "right") headers["x-access-code"] = s.accessCodes[tracked] ?? s.correctionAccessCode;
      else if (r.accessCode !== undefined) headers["x-access-code"] = r.accessCode;
      if (r.idempotencyKey !== undefined) headers["idempotency-key"] = r.idempotencyKey;
      if (r.trackCookie === "right") {
        cookies.push(`gk_track=${Buffer.from(JSON.stringify({ trackingNumber: s.correctionTrackingNumber, accessCode: s.correctionAccessCode })).toString("base64url")}`);
      } else if (r.trackCookie !== undefined) cookies.push(`gk_track=${r.trackCookie}`, `gk_apply_done=${r.trackCookie}`);
      if (r.origin !== undefined) headers.origin = r.origin === "same" ? "http://gongkai.test" : r.origin;
      if (r.secFetchSite !== undefined) headers["sec-fetch-site"] = r.secFetchSite;
      if (r.extraHeader) headers[r.extraHeader[0]] = r.extraHeader[1];
      if (cookies.length > 0) headers.cookie = cookies.join("; ");

      return {
        method,
        path: r.where.path,
        query: r.query,
        headers,
        body,
        sourceIp: `198.51.100.${r.ip}`,
        label: `${baseName}/${r.kind}${r.edits.length ? ` +${r.edits.length} edits` : ""}`,
      } satisfies FuzzRequest;
    });
}
