import { describe, expect, it, onTestFinished, vi } from "vitest";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { openApiDocument } from "../../../shared/http/openapi";
import { functions } from "../../../shared/manifest";
import { workflows, type AnyWorkflow, type OutcomeField } from "../../../shared/domain/workflows";
import { applicationInputSchema } from "../../../shared/schemas/application";
import { staffEntryFactsSchema } from "../../../shared/schemas/staff";
import { correctableFields } from "../../../shared/schemas/requests";
import { outcomeSchemaName, stepSchemaName, taskCompletionComponents } from "../../../shared/schemas/openapi-workflows";
import { replyGrounds, replyTypes, resultCellLabel, resultCellOf, type ReplyType } from "../../../shared/domain/report/cells";
import { roleLabel } from "../../../shared/domain/roles";
import { SESSION_COOKIE } from "../../../shared/http/staff-auth";
import { logger } from "../../../shared/adapters/logger";

type Json = Record<string, unknown>;

const METHODS = ["get", "post", "put", "patch", "delete"];
const CJK = /[\u4e00-\u9fff]/;

/** Resolves a local `$ref` inside the document (throws when it does not resolve). */
function resolve(doc: Json, node: unknown): Json {
  const ref = (node as Json | undefined)?.$ref;
  if (typeof ref !== "string") return node as Json;
  if (!ref.startsWith("#/")) throw new Error(`non-local $ref ${ref}`);
  const target = ref
    .slice(2)
    .split("/")
    .map((k) => k.replaceAll("~1", "/").replaceAll("~0", "~"))
    .reduce<unknown>((acc, key) => {
      const next = (acc as Json | undefined)?.[key];
      if (next === undefined) throw new Error(`dangling $ref ${ref}`);
      return next;
    }, doc);
  return target as Json;
}

/** The schema with every `$ref` replaced by its target (each target once per branch). */
function deref(doc: Json, node: unknown, seen = new Set<string>()): unknown {
  if (Array.isArray(node)) return node.map((n) => deref(doc, n, seen));
  if (!node || typeof node !== "object") return node;
  const ref = (node as Json).$ref;
  if (typeof ref === "string") {
    if (seen.has(ref)) return {};
    return deref(doc, resolve(doc, node), new Set([...seen, ref]));
  }
  return Object.fromEntries(Object.entries(node as Json).map(([k, v]) => [k, deref(doc, v, seen)]));
}

/** Every property name declared anywhere under a schema (through refs, oneOf, anyOf, allOf, items). */
function propertyNames(doc: Json, schema: unknown, seen = new Set<unknown>()): Set<string> {
  const names = new Set<string>();
  const s = resolve(doc, schema);
  if (!s || typeof s !== "object" || seen.has(s)) return names;
  seen.add(s);
  for (const key of Object.keys((s.properties as Json | undefined) ?? {})) names.add(key);
  const children = [
    ...Object.values((s.properties as Json | undefined) ?? {}),
    ...((s.oneOf as unknown[] | undefined) ?? []),
    ...((s.anyOf as unknown[] | undefined) ?? []),
    ...((s.allOf as unknown[] | undefined) ?? []),
    ...(s.items ? [s.items] : []),
  ];
  for (const child of children) for (const n of propertyNames(doc, child, seen)) names.add(n);
  return names;
}

/** Every object node of the document, with its JSON path. */
function* nodes(node: unknown, path = "#"): Generator<[string, Json]> {
  if (Array.isArray(node)) {
    for (const [i, n] of node.entries()) yield* nodes(n, `${path}/${i}`);
  } else if (node && typeof node === "object") {
    yield [path, node as Json];
    for (const [k, v] of Object.entries(node as Json)) yield* nodes(v, `${path}/${k}`);
  }
}

function operation(doc: Json, path: string, method: string): Json {
  const op = ((doc.paths as Json)[path] as Json | undefined)?.[method] as Json | undefined;
  if (!op) throw new Error(`missing ${method.toUpperCase()} ${path}`);
  return op;
}

function operations(doc: Json): Array<[string, string, Json]> {
  return Object.entries(doc.paths as Json).flatMap(([path, item]) =>
    Object.entries(item as Json)
      .filter(([m]) => METHODS.includes(m))
      .map(([method, op]) => [path, method, op as Json] as [string, string, Json]),
  );
}

function requestSchema(_doc: Json, op: Json): unknown {
  return (((op.requestBody as Json).content as Json)["application/json"] as Json).schema;
}

function responseSchema(_doc: Json, op: Json, status: string): unknown {
  return ((((op.responses as Json)[status] as Json).content as Json)["application/json"] as Json).schema;
}

const schema = (doc: Json, name: string) => resolve(doc, { $ref: `#/components/schemas/${name}` });
// the transparency pages are documented too: their JSON is data for whoever republishes it
const documentedPage = (p: string) => p === "/transparency" || p.startsWith("/transparency/");
const apiPathsOf = (f: (typeof functions)[number]) => (f.trigger.kind === "http" ? f.trigger.paths : []).filter((p) => p.startsWith("/api/v1/") || documentedPage(p));
const manifestApiPaths = functions.flatMap(apiPathsOf);

describe("OpenAPI document", () => {
  // Prepare (shared): the document as served, after a JSON round trip
  const doc = JSON.parse(JSON.stringify(openApiDocument())) as Json;

  it("is a structurally sound OpenAPI 3.1 document", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect((doc.info as Json).title).toEqual(expect.any(String));
    expect((doc.info as Json).version).toEqual(expect.any(String));
    const schemes = Object.keys(((doc.components as Json).securitySchemes as Json) ?? {});
    const tags = new Set(((doc.tags as Json[]) ?? []).map((t) => t.name));
    for (const name of Object.keys((doc.components as Json).schemas as Json)) expect(name).toMatch(/^[a-zA-Z0-9.\-_]+$/);
    const operationIds = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths as Json)) {
      expect(path.startsWith("/")).toBe(true);
      for (const method of Object.keys(item as Json)) expect(METHODS).toContain(method);
    }
    for (const [path, , o] of operations(doc)) {
      expect(operationIds.has(o.operationId as string)).toBe(false);
      operationIds.add(o.operationId as string);
      for (const tag of o.tags as string[]) expect(tags.has(tag)).toBe(true);
      for (const requirement of (o.security as Json[] | undefined) ?? []) for (const s of Object.keys(requirement)) expect(schemes).toContain(s);
      // responses: status codes with a description each
      const responses = o.responses as Json;
      expect(Object.keys(responses).length).toBeGreaterThan(0);
      for (const [status, r] of Object.entries(responses)) {
        expect(status).toMatch(/^[1-5]\d\d$/);
        expect(typeof resolve(doc, r).description).toBe("string");
      }
      // parameters: name, location, schema; unique; every {param} of the path declared and required, and no other path parameter
      const parameters = ((o.parameters as Json[] | undefined) ?? []).map((p) => resolve(doc, p));
      for (const p of parameters) {
        expect(p.name).toEqual(expect.any(String));
        expect(["path", "query", "header", "cookie"]).toContain(p.in);
        expect(p.schema).toBeTruthy();
      }
      expect(new Set(parameters.map((p) => `${p.in}:${p.name}`)).size).toBe(parameters.length);
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => name);
      for (const name of templated) expect(parameters.some((p) => p.in === "path" && p.name === name && p.required === true)).toBe(true);
      expect(parameters.filter((p) => p.in === "path").map((p) => p.name).sort()).toEqual([...templated].sort());
      if (o.requestBody) expect(Object.keys(((o.requestBody as Json).content as Json) ?? {}).length).toBeGreaterThan(0);
    }
  });

  it("has no dangling $ref, and every required property of an object schema is declared", () => {
    const text = JSON.stringify(doc);
    const refs = [...text.matchAll(/"\$ref":"([^"]+)"/g)].map(([, ref]) => ref!);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      expect(() => resolve(doc, { $ref: ref })).not.toThrow();
      expect(resolve(doc, { $ref: ref })).toBeTruthy();
    }
    // zod's dialect marker and local definitions must not leak into components
    expect(text).not.toContain('"$schema"');
    expect(text).not.toContain("$defs");
    for (const [path, node] of nodes(doc.components)) {
      if (!node.properties || !Array.isArray(node.required)) continue;
      for (const name of node.required as string[]) expect(Object.keys(node.properties as Json), `${path} requires ${name}`).toContain(name);
    }
    // discriminator mappings point at branches of their oneOf
    for (const [path, node] of nodes(doc.components)) {
      const mapping = (node.discriminator as Json | undefined)?.mapping as Record<string, string> | undefined;
      if (!mapping) continue;
      const branches = (node.oneOf as Json[]).map((b) => b.$ref);
      for (const [value, target] of Object.entries(mapping)) {
        expect(branches, path).toContain(target);
        expect((resolve(doc, { $ref: target }).properties as Json).outcome).toMatchObject({ const: value });
      }
    }
  });

  it("describes every /api/v1 route and transparency page of the manifest, and nothing else", () => {
    const documented = Object.keys(doc.paths as Json);
    expect(manifestApiPaths.filter((p) => !documented.includes(p))).toEqual([]);
    expect(documented.filter((p) => !manifestApiPaths.includes(p))).toEqual([]);
  });

  it("documents exactly the methods each route answers", async () => {
    // a method no route has answers 405 with Allow before any dependency is touched
    const quiet = vi.spyOn(logger, "info").mockImplementation(() => undefined);
    onTestFinished(() => quiet.mockRestore());
    for (const f of functions.filter((x) => apiPathsOf(x).length > 0)) {
      const { handler } = (await import(/* @vite-ignore */ new URL(`../../../${f.entry}`, import.meta.url).href)) as { handler: (e: APIGatewayProxyEventV2) => Promise<{ statusCode: number; headers?: Record<string, unknown> }> };
      for (const path of apiPathsOf(f)) {
        const rawPath = path.replace(/\{\w+\}/g, "x");
        const event = { rawPath, rawQueryString: "", headers: {}, requestContext: { http: { method: "TRACE", path: rawPath, sourceIp: "192.0.2.1" } } } as unknown as APIGatewayProxyEventV2;
        const res = await handler(event);
        expect(res.statusCode, path).toBe(405);
        const allowed = String(res.headers?.allow ?? "")
          .split(",")
          .map((m) => m.trim().toLowerCase())
          .filter(Boolean)
          .sort();
        expect(Object.keys((doc.paths as Json)[path] as Json).sort(), path).toEqual(allowed);
      }
    }
  });

  it("describes every SPEC §7 path", () => {
    const expected: Array<[string, string]> = [
      ["/api/v1/openapi.json", "get"],
      ["/api/v1/applications", "post"],
      ["/api/v1/applications/{trackingNumber}", "get"],
      ["/api/v1/applications/{trackingNumber}/correction", "post"],
      ["/api/v1/applications/{trackingNumber}/letters/{letterId}", "get"],
      ["/api/v1/applications/{trackingNumber}/access-code", "post"],
      ["/api/v1/auth/login", "post"],
      ["/api/v1/auth/logout", "post"],
      ["/api/v1/tasks", "get"],
      ["/api/v1/tasks/{taskId}/complete", "post"],
      ["/api/v1/cases", "get"],
      ["/api/v1/cases/{caseId}", "get"],
      ["/api/v1/cases/{caseId}/letters/{letterId}", "get"],
      ["/api/v1/staff/applications", "post"],
      ["/api/v1/calendar/years", "get"],
      ["/api/v1/calendar/years", "post"],
      ["/api/v1/local/clock", "post"],
    ];
    for (const [path, method] of expected) expect(() => operation(doc, path, method)).not.toThrow();
  });

  it("names every field of the application zod schema, and exactly as SPEC §7 does", () => {
    const op = operation(doc, "/api/v1/applications", "post");
    const names = propertyNames(doc, requestSchema(doc, op));
    const zodFields = applicationInputSchema.options.flatMap((branch) => Object.keys(branch.shape));
    expect(zodFields.length).toBeGreaterThan(15);
    for (const field of zodFields) expect(names).toContain(field);
    for (const field of [
      "agencyCode",
      "applicantType",
      "organizationKind",
      "name",
      "idType",
      "idNumber",
      "creditCode",
      "legalRepresentative",
      "phone",
      "email",
      "address",
      "postalCode",
      "description",
      "documentTitle",
      "documentNumber",
      "purpose",
      "deliveryForm",
      "deliveryWay",
      "contactPerson",
      "declaration",
      "consent",
      "attachments",
    ]) {
      expect(names).toContain(field);
    }
    const text = JSON.stringify(deref(doc, requestSchema(doc, op)));
    for (const value of ["natural_person", "organization", "commercial", "research", "public_welfare", "legal_service", "resident_id", "passport", "paper", "disk", "mail", "pickup"]) {
      expect(text).toContain(`"${value}"`);
    }
    // every property of the application carries a Chinese description
    for (const branch of (schema(doc, "ApplicationInput").oneOf as Json[]) ?? []) {
      for (const [name, p] of Object.entries(branch.properties as Json)) expect((p as Json).description, name).toMatch(CJK);
    }
    // attachments within the limits of shared/domain/files/attachments.ts, base64
    const attachments = (deref(doc, requestSchema(doc, op)) as { allOf: Json[] }).allOf.find((s) => (s.properties as Json | undefined)?.attachments) as Json;
    expect((attachments.properties as Json).attachments).toMatchObject({ type: "array", maxItems: 3, items: { properties: { data: { contentEncoding: "base64" } } } });
  });

  it("takes the Idempotency-Key header on POST /api/v1/applications and documents its replay and reuse", () => {
    const op = operation(doc, "/api/v1/applications", "post");
    const key = (op.parameters as Json[]).find((p) => p.in === "header" && p.name === "Idempotency-Key");
    expect(key).toMatchObject({ required: false, schema: { type: "string", maxLength: 128 } });
    expect(key!.description).toMatch(/第一次的响应/);
    expect(Object.keys(op.responses as Json)).toEqual(expect.arrayContaining(["201", "400", "413", "415", "422"]));
    expect(((op.responses as Json)["422"] as Json).description).toContain("IDEMPOTENCY_KEY_REUSED");
  });

  it("derives the staff entry, correction and login bodies from their zod schemas", () => {
    const entry = propertyNames(doc, requestSchema(doc, operation(doc, "/api/v1/staff/applications", "post")));
    for (const f of [...Object.keys(staffEntryFactsSchema.shape), ...applicationInputSchema.options.flatMap((b) => Object.keys(b.shape)), "attachments"]) expect(entry).toContain(f);
    expect(schema(doc, "StaffEntryFacts").required).toEqual(["channel", "receivedOn"]);
    expect(JSON.stringify(schema(doc, "StaffEntryFacts"))).toContain('"registered_mail"');

    const correction = propertyNames(doc, requestSchema(doc, operation(doc, "/api/v1/applications/{trackingNumber}/correction", "post")));
    expect([...correction].sort()).toEqual([...correctableFields, "note"].sort());
    expect(correction.has("agencyCode")).toBe(false);

    const login = schema(doc, "LoginInput");
    expect(login).toMatchObject({ type: "object", required: ["agencyCode", "username", "password"] });
  });

  it("documents every step and outcome of every workflow definition in the task-completion body", () => {
    const root = resolve(doc, requestSchema(doc, operation(doc, "/api/v1/tasks/{taskId}/complete", "post")));
    const stepRefs = (root.anyOf as Json[]).map((s) => s.$ref);
    const byType: Record<OutcomeField["type"], (f: OutcomeField, p: Json) => void> = {
      date: (_f, p) => expect(p).toMatchObject({ type: "string", format: "date" }),
      text: (f, p) => expect(p).toMatchObject({ type: "string", ...(f.maxLength !== undefined ? { maxLength: f.maxLength } : {}) }),
      choice: (f, p) => expect(p).toMatchObject({ type: "string", enum: f.choices!.map((c) => c.value) }),
      integer: (f, p) => expect(p).toMatchObject({ type: "integer", ...(f.min !== undefined ? { minimum: f.min } : {}), ...(f.max !== undefined ? { maximum: f.max } : {}) }),
      list: (f, p) =>
        expect(p).toMatchObject({ type: "array", items: { type: "string", ...(f.maxLength !== undefined ? { maxLength: f.maxLength } : {}) }, ...(f.maxItems !== undefined ? { maxItems: f.maxItems } : {}) }),
    };
    let outcomes = 0;
    for (const w of Object.values(workflows)) {
      for (const s of Object.values(w.steps)) {
        const name = stepSchemaName(w.workflow, s.step);
        expect(stepRefs).toContain(`#/components/schemas/${name}`);
        const step = schema(doc, name);
        expect(step.description).toContain(roleLabel(s.role));
        expect(step.description).toContain(s.title);
        expect(step).toMatchObject({ "x-role": s.role, "x-period-working-days": s.periodWorkingDays, discriminator: { propertyName: "outcome" } });
        expect((step.oneOf as Json[]).length).toBe(s.outcomes.length);
        for (const o of s.outcomes) {
          outcomes++;
          const os = schema(doc, outcomeSchemaName(w.workflow, s.step, o.outcome));
          expect((step.oneOf as Json[]).map((b) => b.$ref)).toContain(`#/components/schemas/${outcomeSchemaName(w.workflow, s.step, o.outcome)}`);
          const properties = os.properties as Record<string, Json>;
          expect(properties.outcome).toMatchObject({ const: o.outcome });
          expect(os.required).toEqual(["outcome", ...o.fields.filter((f) => f.required).map((f) => f.name)]);
          expect(os.description).toContain(o.label);
          for (const f of o.fields) {
            expect(properties[f.name], `${s.step}/${o.outcome}/${f.name}`).toBeTruthy();
            byType[f.type](f, properties[f.name]!);
            expect(properties[f.name]!.description).toContain(f.label);
            if (f.requiredWhen) {
              expect(os.allOf as Json[]).toContainEqual({
                if: { properties: { [f.requiredWhen.field]: { enum: f.requiredWhen.values } }, required: [f.requiredWhen.field] },
                then: { required: [f.name] },
              });
            }
          }
        }
      }
    }
    expect(outcomes).toBeGreaterThan(20);
  });

  it("documents a step added to a definition with no hand-written line", () => {
    const extra = {
      ...workflows.application!,
      workflow: "pilot",
      label: "试点流程",
      steps: {
        check: {
          step: "check",
          role: "auditor",
          title: "核查",
          instructions: "核查材料。",
          periodWorkingDays: 4,
          escalateTo: [],
          outcomes: [
            {
              outcome: "confirmed",
              label: "核查无误",
              fields: [{ name: "count", type: "integer", label: "份数", required: true, min: 1, max: 9 }],
              transition: () => ({ event: { type: "x", summary: "x" } }),
            },
          ],
        },
      },
    } as unknown as AnyWorkflow;
    const components = taskCompletionComponents({ pilot: extra });
    expect(components[stepSchemaName("pilot", "check")]!.description).toMatch(/审计.*4 个工作日/);
    expect(components[outcomeSchemaName("pilot", "check", "confirmed")]).toMatchObject({
      required: ["outcome", "count"],
      properties: { outcome: { const: "confirmed" }, count: { type: "integer", minimum: 1, maximum: 9 } },
    });
    expect((components.TaskCompletion!.anyOf as Json[]).map((r) => r.$ref)).toEqual([`#/components/schemas/${stepSchemaName("pilot", "check")}`]);
  });

  it("gives the reply types and grounds of SPEC §7.1 with their annual-report cells", () => {
    const propose = schema(doc, outcomeSchemaName("application", "handle", "propose_reply")).properties as Record<string, Json>;
    const replyType = propose.replyType!.description as string;
    const ground = propose.ground!.description as string;
    for (const t of replyTypes) {
      expect(replyType).toContain(`\`${t}\``);
      const grounds = (replyGrounds as Record<string, readonly string[]>)[t];
      if (!grounds) expect(replyType).toContain(resultCellLabel(resultCellOf(t)));
      for (const g of grounds ?? []) {
        expect(replyType).toContain(`\`${g}\``);
        expect(ground).toContain(`\`${g}\``);
        expect(ground).toContain(resultCellLabel(resultCellOf(t as ReplyType, g)));
      }
    }
    // the fields a reply type needs, from requiredWhen
    expect(replyType).toMatch(/already_published.*where/);
    expect(replyType).toMatch(/other_agency.*agencyName、agencyContact/);
  });

  it("names the response fields of SPEC §7", () => {
    const created = propertyNames(doc, responseSchema(doc, operation(doc, "/api/v1/applications", "post"), "201"));
    expect([...created].sort()).toEqual(["accessCode", "status", "trackingNumber"]);
    const status = propertyNames(doc, responseSchema(doc, operation(doc, "/api/v1/applications/{trackingNumber}", "get"), "200"));
    for (const f of ["trackingNumber", "status", "receivedOn", "dueOn", "dueIsProvisional", "events", "letters"]) expect(status).toContain(f);
    const login = operation(doc, "/api/v1/auth/login", "post");
    // SPEC §7.4: the login also takes the second factor, and says when the password must be changed
    expect([...propertyNames(doc, requestSchema(doc, login))].sort()).toEqual(["agencyCode", "password", "totp", "username"]);
    expect(propertyNames(doc, responseSchema(doc, login, "200"))).toContain("token");
    expect(propertyNames(doc, responseSchema(doc, login, "200"))).toContain("mustChangePassword");
    const tasks = propertyNames(doc, responseSchema(doc, operation(doc, "/api/v1/tasks", "get"), "200"));
    for (const f of ["taskId", "caseId", "workflow", "step", "role", "dueAt", "dueIsProvisional", "allowedOutcomes", "outcome", "fields"]) expect(tasks).toContain(f);
    expect(propertyNames(doc, requestSchema(doc, operation(doc, "/api/v1/tasks/{taskId}/complete", "post")))).toContain("outcome");
    const kase = propertyNames(doc, responseSchema(doc, operation(doc, "/api/v1/cases/{caseId}", "get"), "200"));
    for (const f of ["case", "deadlines", "explanation", "timeline", "letters", "tasks"]) expect(kase).toContain(f);
    const search = operation(doc, "/api/v1/cases", "get");
    expect((search.parameters as Json[]).map((p) => p.name).sort()).toEqual(["from", "q", "status", "step", "to", "trackingNumber"]);
    const clock = propertyNames(doc, requestSchema(doc, operation(doc, "/api/v1/local/clock", "post")));
    expect([...clock].sort()).toEqual(["advanceWorkingDays", "to"]);
    expect(propertyNames(doc, responseSchema(doc, operation(doc, "/api/v1/local/clock", "post"), "200"))).toContain("firedSchedules");
  });

  it("documents the error body and the answers SPEC §7 requires", () => {
    const names = propertyNames(doc, { $ref: "#/components/schemas/ErrorResponse" });
    for (const f of ["error", "code", "message", "fields", "path"]) expect(names).toContain(f);
    const responses = (path: string, method: string) => Object.keys(operation(doc, path, method).responses as Json);
    expect(responses("/api/v1/applications", "post")).toEqual(expect.arrayContaining(["201", "400"]));
    expect(responses("/api/v1/applications/{trackingNumber}", "get")).toEqual(expect.arrayContaining(["200", "404", "429"]));
    expect(responses("/api/v1/applications/{trackingNumber}/correction", "post")).toEqual(expect.arrayContaining(["200", "400", "404", "409", "422", "429"]));
    // the same answer whatever the number; only a flood from one address is refused
    expect(responses("/api/v1/applications/{trackingNumber}/access-code", "post")).toEqual(["202", "429"]);
    expect(responses("/api/v1/auth/login", "post")).toEqual(expect.arrayContaining(["200", "401", "429"]));
    expect(responses("/api/v1/tasks/{taskId}/complete", "post")).toEqual(expect.arrayContaining(["200", "400", "401", "403", "404", "409", "422"]));
    // every 4xx answers the one error body; every 429 says when to retry
    for (const [path, method, op] of operations(doc)) {
      for (const [status, r] of Object.entries(op.responses as Json)) {
        if (!/^4/.test(status)) continue;
        expect(responseSchema(doc, op, status), `${method} ${path} ${status}`).toEqual({ $ref: "#/components/schemas/ErrorResponse" });
        if (status === "429") expect(((r as Json).headers as Json)["Retry-After"], `${method} ${path}`).toBeTruthy();
      }
    }
    // letters are files
    for (const path of ["/api/v1/applications/{trackingNumber}/letters/{letterId}", "/api/v1/cases/{caseId}/letters/{letterId}"]) {
      const op = operation(doc, path, "get");
      expect(Object.keys(((op.responses as Json)["200"] as Json).content as Json)).toEqual(expect.arrayContaining(["text/html", expect.stringContaining("wordprocessingml")]));
      expect((op.parameters as Json[]).find((p) => p.name === "format")).toMatchObject({ in: "query", schema: { enum: ["docx", "html"] } });
    }
  });

  it("describes every operation, parameter, response and schema property in Chinese", () => {
    for (const [path, method, op] of operations(doc)) {
      expect(op.summary, `${method} ${path}`).toMatch(CJK);
      for (const p of (op.parameters as Json[] | undefined) ?? []) expect(p.description, `${method} ${path} ${p.name}`).toMatch(CJK);
      for (const [status, r] of Object.entries(op.responses as Json)) expect((r as Json).description, `${method} ${path} ${status}`).toMatch(CJK);
    }
    for (const [path, node] of nodes((doc.components as Json).schemas)) {
      for (const [name, p] of Object.entries((node.properties as Json | undefined) ?? {})) {
        const prop = p as Json;
        if (prop.$ref || /\/if(\/|$)/.test(path)) continue;
        expect(`${prop.description ?? ""}${prop.title ?? ""}`, `${path}/properties/${name}`).toMatch(CJK);
      }
    }
  });

  it("declares the Bearer token, the session cookie and the X-Access-Code header, and marks the local clock local-only", () => {
    const schemes = (doc.components as Json).securitySchemes as Json;
    expect(schemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(schemes.sessionCookie).toMatchObject({ type: "apiKey", in: "cookie", name: SESSION_COOKIE });
    expect(schemes.accessCode).toMatchObject({ type: "apiKey", in: "header", name: "X-Access-Code" });
    for (const path of ["/api/v1/applications/{trackingNumber}", "/api/v1/applications/{trackingNumber}/correction", "/api/v1/applications/{trackingNumber}/letters/{letterId}"]) {
      const op = operation(doc, path, path.endsWith("correction") ? "post" : "get");
      expect((op.parameters as Json[]).some((p) => p.in === "header" && p.name === "X-Access-Code")).toBe(true);
    }
    const localPaths = functions.filter((f) => f.localOnly).flatMap(apiPathsOf);
    expect(localPaths).toContain("/api/v1/local/clock");
    for (const [path, method, op] of operations(doc)) {
      const local = localPaths.includes(path);
      expect(op["x-local-only"] === true, `${method} ${path}`).toBe(local);
      if (local) expect(op.tags).toEqual(["local"]);
    }
  });
});
