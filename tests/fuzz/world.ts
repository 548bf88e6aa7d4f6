/**
 * The world the HTTP fuzz suite attacks: the real Lambda handlers of every deployed HTTP
 * function of the manifest, in process, on the in-memory ports with the demo seed and a
 * few cases in known states (a correction open with its letters, a registration to do, a
 * review to do), signed-in staff (session cookie with its CSRF token, and a Bearer token),
 * and a count of what was stored — so a check can say "this 4xx stored nothing".
 *
 * The handlers are the modules' own `handler` exports: `appDeps()` is a per-function
 * scoped cache (shared/adapters/runtime-env.ts), and the world fills that cache with its
 * in-memory deps inside its own function scope, so exactly what is deployed is what runs.
 */
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { functions, type FunctionSpec } from "../../shared/manifest";
import { buildRouteTable, toApiGatewayEvent, type RawRequest } from "../../shared/adapters/local/host-http";
import { runInFunctionScope, scopedCache } from "../../shared/adapters/runtime-env";
import { submitApplication } from "../../shared/app/applications/intake";
import { authenticate, signIn } from "../../shared/app/auth";
import { DEMO_PASSWORD, demoAgencies } from "../../shared/app/seed-demo";
import type { Write } from "../../shared/app/ports/store";
import { findTextProblems } from "../../shared/domain/text";
import { portalRoutes } from "../../functions/http/public-portal";
import { consolePageRoutes, staffApiRoutes } from "../../functions/http/staff-console";
import { memoryHarness, type MemoryHarness } from "../support/harness";
import { validApplication } from "../support/app";

type Handler = (event: APIGatewayProxyEventV2) => Promise<{ statusCode: number; headers?: Record<string, unknown>; cookies?: string[]; body?: string; isBase64Encoded?: boolean }>;

/** What a rejected request may still write: sign-in strikes, throttle counters and the security log of a lockout. */
const THROTTLE_WRITES = new Set<Write["kind"] | string>(["strikes", "security"]);

export interface StoredProblem {
  kind: string;
  path: string;
  codePoint: string;
}

export interface WriteLog {
  /** writes other than throttling so far */
  count: number;
  /** strings stored that no text may hold (shared/domain/text.ts), newest last */
  dirty: StoredProblem[];
}

export interface Samples {
  /** path parameter name → values that name something (or have the right shape) */
  valid: Record<string, string[]>;
  trackingNumbers: string[];
  accessCodes: Record<string, string>;
  correctionTrackingNumber: string;
  correctionAccessCode: string;
  openTaskIds: string[];
}

export interface Staff {
  token: string;
  csrfToken: string;
  username: string;
}

export interface World {
  harness: MemoryHarness;
  samples: Samples;
  staff: Staff[];
  writes: WriteLog;
  /** route templates: the manifest's and those of the functions' own routers */
  templates: string[];
  /** the methods each template of the functions' own routers answers */
  methods: Record<string, string[]>;
  /**
   * Sends one request as API Gateway would pass it to the function the manifest routes it
   * to; `binary` passes the body base64-encoded whatever its type (as API Gateway does for
   * a binary media type), else text types travel as UTF-8 text as the local host sends them.
   */
  send(req: RawRequest, options?: { binary?: boolean }): Promise<{ event: APIGatewayProxyEventV2; response: Awaited<ReturnType<Handler>>; function: string }>;
  /** signs staff in again when a request signed them out */
  refreshStaff(): Promise<void>;
}

let worlds = 0;

/** DynamoDB's limits on a key (sort keys: 1,024 bytes; partition keys: 2,048) and on strings (well-formed UTF-16, else no UTF-8). */
const KEY_BYTES = 1024;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function refusedByDynamo(value: string): string | undefined {
  if (Buffer.byteLength(value, "utf8") + 16 > KEY_BYTES) return `a key of ${Buffer.byteLength(value, "utf8")} bytes`;
  if (LONE_SURROGATE.test(value)) return "a key that is not valid UTF-8";
  return undefined;
}

/**
 * The in-memory store takes any key; DynamoDB answers a ValidationException (a 500 today)
 * for one too long or not UTF-8. Every read of every port (the string arguments are keys)
 * and the key of every write are checked as DynamoDB would, so the fuzz finds what only
 * the deployed store would refuse.
 */
function emulateDynamoKeyLimits(h: MemoryHarness): void {
  const fail = (what: string, problem: string): never => {
    throw Object.assign(new Error(`One or more parameter values were invalid (${what}: ${problem}) [emulated DynamoDB]`), { name: "ValidationException" });
  };
  const store = h.deps.store as unknown as Record<string, unknown>;
  for (const [portName, port] of Object.entries(store)) {
    if (!port || typeof port !== "object" || Array.isArray(port)) continue;
    for (const [name, fn] of Object.entries(port as Record<string, unknown>)) {
      if (typeof fn !== "function") continue;
      // every port method is async, as the SDK's are: a refusal is a rejected promise
      (port as Record<string, unknown>)[name] = async (...args: unknown[]) => {
        for (const a of args) {
          const problem = typeof a === "string" ? refusedByDynamo(a) : undefined;
          if (problem) fail(`${portName}.${name}`, problem);
        }
        return (fn as (...x: unknown[]) => unknown).apply(port, args);
      };
    }
  }
  const commit = h.deps.store.commit.bind(h.deps.store);
  h.deps.store.commit = async (writes: Write[]) => {
    for (const w of writes) {
      const keys = Object.values(w as Record<string, unknown>).flatMap((v) =>
        typeof v === "string" ? [v] : v && typeof v === "object" ? ["caseId", "taskId", "trackingNumber", "key", "messageId"].map((k) => (v as Record<string, unknown>)[k]).filter((x): x is string => typeof x === "string") : [],
      );
      for (const k of keys) {
        const problem = refusedByDynamo(k);
        if (problem) fail(`commit ${w.kind}`, problem);
      }
    }
    return commit(writes);
  };
}

/** Counts every write method of the in-memory ports (reads and throttle counters excepted) and checks what each stores. */
function countWrites(h: MemoryHarness): WriteLog {
  const log: WriteLog = { count: 0, dirty: [] };
  const scan = (kind: string, value: unknown) => {
    for (const { path, problem } of findTextProblems(value, 5)) log.dirty.push({ kind, path, codePoint: problem.codePoint });
  };
  const store = h.deps.store;
  const commit = store.commit.bind(store);
  store.commit = async (writes: Write[]) => {
    await commit(writes);
    const counted = writes.filter((w) => !THROTTLE_WRITES.has(w.kind));
    if (counted.length > 0) log.count++;
    for (const w of counted) scan(w.kind, w);
  };
  const wrap = <T extends object>(port: T, names: Array<keyof T>, what: string) => {
    for (const name of names) {
      const original = port[name];
      if (typeof original !== "function") continue;
      (port as Record<keyof T, unknown>)[name] = async (...args: unknown[]) => {
        const result = await (original as (...a: unknown[]) => Promise<unknown>).apply(port, args);
        log.count++;
        scan(`${what}.${String(name)}`, args);
        return result;
      };
    }
  };
  wrap(store.sessions, ["put", "delete"], "sessions");
  wrap(store.directory, ["putAgency", "putUser"], "directory");
  wrap(store.counters, ["next"], "counters");
  wrap(store.mail, ["claim", "markSent"], "mail");
  wrap(h.deps.files, ["put"], "files");
  wrap(h.deps.calendars, ["put"], "calendars");
  return log;
}

/** The deployed HTTP functions (the local clock is local-only) and their handlers. */
async function httpFunctions(): Promise<Array<{ spec: FunctionSpec; handler: Handler }>> {
  const specs = functions.filter((f) => f.trigger.kind === "http" && !f.localOnly);
  return Promise.all(
    specs.map(async (spec) => ({ spec, handler: ((await import(/* @vite-ignore */ new URL(`../../${spec.entry}`, import.meta.url).href)) as { handler: Handler }).handler })),
  );
}

export async function buildWorld(): Promise<World> {
  const harness = await memoryHarness();
  const deps = harness.deps;
  // the states the routes answer differently for
  const correction = await submitApplication(deps, validApplication());
  const toRegister = await submitApplication(deps, validApplication({ name: "王五", description: "本区2025年道路养护资金使用情况" }));
  const toReview = await submitApplication(deps, validApplication({ name: "赵六", deliveryForm: "paper", deliveryWay: "mail" }));
  await harness.settle();
  await harness.complete("office", correction.caseId, "register", { outcome: "registered" });
  await harness.complete("office", correction.caseId, "review", { outcome: "needs_correction", items: "请写明所需文件的名称", correctionWorkingDays: "10" });
  await harness.complete("deputy", correction.caseId, "approve_correction", { outcome: "approved" });
  await harness.complete("office", toReview.caseId, "register", { outcome: "registered" });

  const cases = [correction, toRegister, toReview];
  const letters = (await deps.store.cases.get(correction.caseId))!.letters.map((l) => l.letterId);
  const tasks = (await Promise.all(cases.map((c) => deps.store.tasks.ofCase(c.caseId)))).flat();
  const samples: Samples = {
    valid: {
      trackingNumber: [...cases.map((c) => c.trackingNumber), `${demoAgencies[0]!.code}-2026-99999`],
      caseId: [...cases.map((c) => c.caseId), "01ARZ3NDEKTSV4RRFFQ69G5FAV"],
      taskId: [...tasks.map((t) => t.taskId), "01ARZ3NDEKTSV4RRFFQ69G5FAV-register-1"],
      letterId: [...letters, "01ARZ3NDEKTSV4RRFFQ69G5FAV"],
      proxy: ["inbox", "login", "logout", "cases", `cases/${correction.caseId}`, `cases/${correction.caseId}/letters/${letters[0]}`, "applications/new", "calendar", `tasks/${tasks[0]!.taskId}/complete`],
    },
    trackingNumbers: cases.map((c) => c.trackingNumber),
    accessCodes: Object.fromEntries(cases.map((c) => [c.trackingNumber, c.accessCode])),
    correctionTrackingNumber: correction.trackingNumber,
    correctionAccessCode: correction.accessCode,
    openTaskIds: tasks.filter((t) => t.status === "open").map((t) => t.taskId),
  };

  const staff: Staff[] = [];
  const usernames = ["office", "admin", "deputy"];
  /** (re)signs in whoever is not signed in (scrypt is slow: only those) */
  const refreshStaff = async () => {
    for (const [i, username] of usernames.entries()) {
      const current = staff[i];
      if (current && (await authenticate(deps, current.token))) continue;
      const { token, principal } = await signIn(deps, { agencyCode: demoAgencies[0]!.code, username, password: DEMO_PASSWORD }, `192.0.2.${i + 10}`);
      staff[i] = { token, csrfToken: principal.csrfToken, username };
    }
  };
  await refreshStaff();

  // counted from here: the set-up's own writes are not the fuzz's
  emulateDynamoKeyLimits(harness);
  const writes = countWrites(harness);

  const fns = await httpFunctions();
  const table = buildRouteTable(fns.map((f) => f.spec));
  const handlers = new Map(fns.map((f) => [f.spec.name, f.handler]));
  const scope = `fuzz-world-${++worlds}`;
  runInFunctionScope(scope, {}, () => scopedCache("appDeps", () => deps));

  const routes = [...portalRoutes(() => deps), ...staffApiRoutes(() => deps), ...consolePageRoutes(() => deps)];
  const methods: Record<string, string[]> = {};
  for (const r of routes) methods[r.path] = [...new Set([...(methods[r.path] ?? []), ...Object.keys(r.methods)])];
  const templates = [
    ...new Set([...fns.flatMap((f) => (f.spec.trigger.kind === "http" ? f.spec.trigger.paths : [])).filter((p) => p !== "$default"), ...routes.map((r) => r.path)]),
  ];

  return {
    harness,
    samples,
    staff,
    writes,
    templates,
    methods,
    refreshStaff,
    async send(req, options = {}) {
      const rawPath = req.url.split("?")[0]!;
      const match = table.match(rawPath);
      if (!match) throw new Error(`no function for ${rawPath}`);
      const event = toApiGatewayEvent(req, match, deps.clock.now());
      if (options.binary && req.body.length > 0) Object.assign(event, { body: req.body.toString("base64"), isBase64Encoded: true });
      const handler = handlers.get(match.route.spec.name)!;
      const response = await runInFunctionScope(scope, {}, () => handler(event));
      return { event, response, function: match.route.spec.name };
    },
  };
}
