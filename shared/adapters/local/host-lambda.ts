/**
 * What the Lambda runtime gives a handler, reproduced for the local host:
 * loading the entry's `handler` export and a plausible invocation Context.
 */
import { randomUUID } from "node:crypto";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Context } from "aws-lambda";
import { DEFAULT_MEMORY_MB, type FunctionSpec } from "../../manifest";

export type LambdaHandler = (event: unknown, context: Context) => unknown;

export const LOCAL_REGION = "us-east-1";
export const LOCAL_ACCOUNT = "000000000000";
const DEFAULT_TIMEOUT_SECONDS = 3;

/** Default loader: dynamic import of `<rootDir>/<spec.entry>`, export `handler`. */
export function importHandler(rootDir: string): (spec: FunctionSpec) => Promise<LambdaHandler> {
  return async (spec) => {
    const mod = (await import(pathToFileURL(resolve(rootDir, spec.entry)).href)) as { handler?: unknown };
    if (typeof mod.handler !== "function") {
      throw new Error(`${spec.entry} does not export a function named handler`);
    }
    return mod.handler as LambdaHandler;
  };
}

/**
 * Caches one load per function; a failed load is forgotten so that fixing the
 * file (or the lead finishing it) does not need a host restart.
 */
export function cachedLoader(
  load: (spec: FunctionSpec) => Promise<LambdaHandler>,
): (spec: FunctionSpec) => Promise<LambdaHandler> {
  const cache = new Map<string, Promise<LambdaHandler>>();
  return (spec) => {
    let p = cache.get(spec.name);
    if (!p) {
      p = load(spec);
      cache.set(spec.name, p);
      p.catch(() => cache.delete(spec.name));
    }
    return p;
  };
}

/** Wall time, not the injected clock: the remaining time is a runtime budget, not domain time. */
export function lambdaContext(spec: FunctionSpec): Context {
  const timeoutMs = (spec.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
  const deadline = Date.now() + timeoutMs;
  const noop = () => undefined;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: spec.name,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${spec.name}`,
    memoryLimitInMB: String(spec.memoryMb ?? DEFAULT_MEMORY_MB),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${spec.name}`,
    logStreamName: `local/[$LATEST]${randomUUID().replaceAll("-", "")}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: noop,
    fail: noop,
    succeed: noop,
  };
}

/** Invokes a handler with a fresh context; sync and async handlers alike. */
export async function invoke(handler: LambdaHandler, spec: FunctionSpec, event: unknown): Promise<unknown> {
  return await handler(event, lambdaContext(spec));
}
