import { describe, expect, it } from "vitest";
import { openApiDocument } from "../../../shared/http/openapi";
import { functions } from "../../../shared/manifest";

type Json = Record<string, unknown>;

/** Resolves a local `$ref` inside the document. */
function resolve(doc: Json, node: unknown): Json {
  const ref = (node as Json | undefined)?.$ref;
  if (typeof ref !== "string") return node as Json;
  return ref
    .replace(/^#\//, "")
    .split("/")
    .reduce<unknown>((acc, key) => (acc as Json)[key], doc) as Json;
}

/** Every property name declared anywhere under a schema (through refs, oneOf, items). */
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

function operation(doc: Json, path: string, method: string): Json {
  const op = ((doc.paths as Json)[path] as Json | undefined)?.[method] as Json | undefined;
  if (!op) throw new Error(`missing ${method.toUpperCase()} ${path}`);
  return op;
}

function requestSchema(doc: Json, op: Json): unknown {
  return (((op.requestBody as Json).content as Json)["application/json"] as Json).schema;
}

function responseSchema(doc: Json, op: Json, status: string): unknown {
  return ((((op.responses as Json)[status] as Json).content as Json)["application/json"] as Json).schema;
}

describe("OpenAPI document", () => {
  // Prepare (shared): the document as served, after a JSON round trip
  const doc = JSON.parse(JSON.stringify(openApiDocument())) as Json;

  it("is a structurally sound OpenAPI 3.1 document", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect((doc.info as Json).title).toEqual(expect.any(String));
    expect((doc.info as Json).version).toEqual(expect.any(String));
    const operationIds = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths as Json)) {
      expect(path.startsWith("/")).toBe(true);
      for (const [method, op] of Object.entries(item as Json)) {
        expect(["get", "post", "put", "patch", "delete"]).toContain(method);
        const o = op as Json;
        expect(Object.keys(o.responses as Json).length).toBeGreaterThan(0);
        expect(operationIds.has(o.operationId as string)).toBe(false);
        operationIds.add(o.operationId as string);
        // every {param} in the path is declared as a path parameter
        for (const [, name] of path.matchAll(/\{(\w+)\}/g)) {
          expect((o.parameters as Json[]).some((p) => p.in === "path" && p.name === name && p.required === true)).toBe(true);
        }
      }
    }
  });

  it("has no dangling $ref", () => {
    const text = JSON.stringify(doc);
    for (const [, ref] of text.matchAll(/"\$ref":"([^"]+)"/g)) {
      expect(() => resolve(doc, { $ref: ref })).not.toThrow();
      expect(resolve(doc, { $ref: ref })).toBeTruthy();
    }
  });

  it("describes every SPEC §7 path", () => {
    const expected: Array<[string, string]> = [
      ["/api/v1/openapi.json", "get"],
      ["/api/v1/applications", "post"],
      ["/api/v1/applications/{trackingNumber}", "get"],
      ["/api/v1/applications/{trackingNumber}/correction", "post"],
      ["/api/v1/auth/login", "post"],
      ["/api/v1/tasks", "get"],
      ["/api/v1/tasks/{taskId}/complete", "post"],
      ["/api/v1/cases/{caseId}", "get"],
      ["/api/v1/local/clock", "post"],
    ];
    for (const [path, method] of expected) expect(() => operation(doc, path, method)).not.toThrow();
  });

  it("covers every /api/v1 route of the manifest", () => {
    const apiPaths = functions.flatMap((f) => (f.trigger.kind === "http" ? f.trigger.paths : [])).filter((p) => p.startsWith("/api/v1/"));
    const missing = apiPaths.filter((p) => !(p in (doc.paths as Json)));
    expect(missing).toEqual([]);
  });

  it("names every application field exactly as SPEC §7 does", () => {
    const op = operation(doc, "/api/v1/applications", "post");
    const names = propertyNames(doc, requestSchema(doc, op));
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
    ]) {
      expect(names).toContain(field);
    }
    const text = JSON.stringify(resolve(doc, requestSchema(doc, op)));
    for (const value of ["natural_person", "organization", "commercial", "research", "public_welfare", "legal_service", "resident_id", "passport", "paper", "disk", "mail", "pickup"]) {
      expect(text).toContain(`"${value}"`);
    }
  });

  it("names the response fields of SPEC §7", () => {
    const created = propertyNames(doc, responseSchema(doc, operation(doc, "/api/v1/applications", "post"), "201"));
    expect([...created].sort()).toEqual(["accessCode", "status", "trackingNumber"]);
    const status = propertyNames(doc, responseSchema(doc, operation(doc, "/api/v1/applications/{trackingNumber}", "get"), "200"));
    for (const f of ["trackingNumber", "status", "receivedOn", "dueOn", "dueIsProvisional", "events", "letters"]) expect(status).toContain(f);
    const login = operation(doc, "/api/v1/auth/login", "post");
    expect([...propertyNames(doc, requestSchema(doc, login))].sort()).toEqual(["agencyCode", "password", "username"]);
    expect(propertyNames(doc, responseSchema(doc, login, "200"))).toContain("token");
    const tasks = propertyNames(doc, responseSchema(doc, operation(doc, "/api/v1/tasks", "get"), "200"));
    for (const f of ["taskId", "caseId", "workflow", "step", "role", "dueAt", "dueIsProvisional", "allowedOutcomes", "outcome", "fields"]) expect(tasks).toContain(f);
    expect(propertyNames(doc, requestSchema(doc, operation(doc, "/api/v1/tasks/{taskId}/complete", "post")))).toContain("outcome");
    const clock = propertyNames(doc, requestSchema(doc, operation(doc, "/api/v1/local/clock", "post")));
    expect([...clock].sort()).toEqual(["advanceWorkingDays", "to"]);
  });

  it("documents the error body and the answers SPEC §7 requires", () => {
    const names = propertyNames(doc, { $ref: "#/components/schemas/ErrorResponse" });
    for (const f of ["error", "code", "message", "fields", "path"]) expect(names).toContain(f);
    const responses = (path: string, method: string) => Object.keys(operation(doc, path, method).responses as Json);
    expect(responses("/api/v1/applications", "post")).toEqual(expect.arrayContaining(["201", "400"]));
    expect(responses("/api/v1/applications/{trackingNumber}", "get")).toEqual(expect.arrayContaining(["200", "404"]));
    expect(responses("/api/v1/auth/login", "post")).toEqual(expect.arrayContaining(["200", "401"]));
    expect(responses("/api/v1/tasks/{taskId}/complete", "post")).toEqual(expect.arrayContaining(["200", "400", "403", "409"]));
  });

  it("declares the Bearer token and the X-Access-Code header, and marks the clock local-only", () => {
    const schemes = (doc.components as Json).securitySchemes as Json;
    expect(schemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(schemes.accessCode).toMatchObject({ type: "apiKey", in: "header", name: "X-Access-Code" });
    const tracking = operation(doc, "/api/v1/applications/{trackingNumber}", "get");
    expect((tracking.parameters as Json[]).some((p) => p.in === "header" && p.name === "X-Access-Code")).toBe(true);
    const clock = operation(doc, "/api/v1/local/clock", "post");
    expect(clock["x-local-only"]).toBe(true);
    expect(clock.tags).toEqual(["local"]);
  });
});
