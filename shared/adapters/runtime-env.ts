/**
 * The environment a handler sees. In Lambda that is process.env, set per function by the
 * CDK app. The local host runs every function in one process, so it runs each invocation
 * inside a scope carrying that function's own variables (shared/environment.ts), and
 * code that reads settings through currentEnv() sees exactly what it would see in AWS.
 * SDK endpoints, credentials and the region stay in process.env: the SDK reads them itself.
 */
import { AsyncLocalStorage } from "node:async_hooks";

interface FunctionScope {
  name: string;
  env: Readonly<Record<string, string>>;
  /** identity of `env`, so a changed environment starts a fresh cache */
  envKey: string;
  cache: Map<string, unknown>;
}

const storage = new AsyncLocalStorage<FunctionScope>();
/** per function name: like a warm Lambda container, its cache outlives one invocation */
const scopes = new Map<string, FunctionScope>();
/** outside any scope (Lambda, tests calling handlers directly): one cache for the process */
const processCache = new Map<string, unknown>();

/** Runs `fn` (and everything it starts) as function `functionName` with exactly `env`. */
export function runInFunctionScope<T>(functionName: string, env: Record<string, string>, fn: () => T): T {
  const envKey = JSON.stringify(Object.entries(env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  let scope = scopes.get(functionName);
  if (!scope || scope.envKey !== envKey) {
    scope = { name: functionName, env: Object.freeze({ ...env }), envKey, cache: new Map() };
    scopes.set(functionName, scope);
  }
  return storage.run(scope, fn);
}

/** The running function's environment; process.env outside a scope (Lambda). */
export function currentEnv(): Readonly<Record<string, string | undefined>> {
  return storage.getStore()?.env ?? process.env;
}

/** Name of the function whose scope this is; undefined outside a scope. */
export function currentFunctionName(): string | undefined {
  return storage.getStore()?.name;
}

/**
 * One value per function scope (one for the whole process outside any scope), made on
 * first use inside that scope, so that e.g. config and clients built from currentEnv()
 * belong to the function that built them. A `make` that throws is not cached.
 */
export function scopedCache<T>(key: string, make: () => T): T {
  const cache = storage.getStore()?.cache ?? processCache;
  if (!cache.has(key)) cache.set(key, make());
  return cache.get(key) as T;
}

/**
 * What the running function may do to the table. Only the local stack marks read-only
 * functions (`GONGKAI_LOCAL_TABLE_ACCESS=read`); in AWS, IAM refuses the write instead.
 */
export function tableAccess(): "read" | "readWrite" {
  return currentEnv().GONGKAI_LOCAL_TABLE_ACCESS === "read" ? "read" : "readWrite";
}
