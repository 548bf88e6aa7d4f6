import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import { SchedulerClient } from "@aws-sdk/client-scheduler";
import { ServiceUnavailableError } from "../../app/errors";
import { logger } from "../logger";

/**
 * SDK clients, created once per process (outside any handler) and reused across
 * invocations. Endpoints come from AWS_ENDPOINT_URL_* when the local stack sets them.
 *
 * Every client has timeouts and a bounded number of attempts. Without them a stalled
 * store (or a network that drops packets) holds a request until the client gives up —
 * API Gateway answers 504 after 30 s while the Lambda keeps waiting, and a page never
 * loads. With them a stalled call fails within `attempts × requestTimeout` (plus a
 * backoff of at most a few hundred ms), and the failure reaches the caller as
 * ServiceUnavailableError: 503 with Retry-After and a Chinese message, never a 500.
 */
let cached: AwsClients | undefined;

export interface AwsClients {
  ddb: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  sqs: SQSClient;
  scheduler: SchedulerClient;
}

export type SdkService = "dynamodb" | "sqs" | "scheduler" | "s3" | "ses" | "secretsManager";

export interface SdkTimeouts {
  /** TCP (and TLS) connect */
  connectionTimeout: number;
  /** from sending the request until the response's headers arrive */
  requestTimeout: number;
  /** no byte on the socket for this long (a response that stalls half-way) */
  socketTimeout: number;
  /** first try included; timeouts, refused connections, 5xx and throttling are retried */
  maxAttempts: number;
}

/**
 * Budgets per service. DynamoDB answers in milliseconds (DynamoDB Local under load in
 * well under a second), so 2.5 s per attempt only ever fires on a store that is not
 * answering; two attempts bound a stalled call at about 5 s, so a page that needs the
 * table answers 503 in about 5 s and even a request that meets three stalled services
 * one after another stays well inside API Gateway's 30 s. S3 carries files of up to 5 MiB,
 * hence more time. SQS's socket may stay silent for a long poll, so its idle limit is
 * longer than the longest poll (20 s); its request timeout grows with each poll's wait
 * (see `allowLongPolls`).
 */
export const sdkTimeouts: Record<SdkService, SdkTimeouts> = {
  dynamodb: { connectionTimeout: 1_000, requestTimeout: 2_500, socketTimeout: 2_500, maxAttempts: 2 },
  sqs: { connectionTimeout: 1_000, requestTimeout: 2_500, socketTimeout: 25_000, maxAttempts: 2 },
  scheduler: { connectionTimeout: 1_000, requestTimeout: 2_500, socketTimeout: 2_500, maxAttempts: 2 },
  s3: { connectionTimeout: 1_000, requestTimeout: 4_000, socketTimeout: 4_000, maxAttempts: 2 },
  ses: { connectionTimeout: 1_000, requestTimeout: 5_000, socketTimeout: 5_000, maxAttempts: 2 },
  secretsManager: { connectionTimeout: 1_000, requestTimeout: 3_000, socketTimeout: 3_000, maxAttempts: 2 },
};

/** The constructor settings for a client of `service`: spread them into `new XxxClient({...})`. */
export function sdkClientConfig(service: SdkService) {
  const t = sdkTimeouts[service];
  return {
    maxAttempts: t.maxAttempts,
    requestHandler: {
      connectionTimeout: t.connectionTimeout,
      requestTimeout: t.requestTimeout,
      socketTimeout: t.socketTimeout,
      // without this a request timeout is only logged as a warning and the call keeps waiting
      throwOnRequestTimeout: true,
    },
  };
}

const unreachableCodes = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENETDOWN", "EAI_AGAIN", "ENOTFOUND"]);
// the service said it cannot serve now (throttled, busy, failing): the same request may succeed later
const unavailableNames = new Set([
  "ThrottlingException",
  "Throttling",
  "ThrottledException",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "TooManyRequestsException",
  "SlowDown",
  "RequestThrottled",
  "RequestThrottledException",
  "TransactionInProgressException",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "InternalServerError",
  "InternalFailure",
]);

/**
 * Whether an SDK error says the service did not answer or could not serve now (time-out,
 * refused or reset connection, throttling, a 5xx) — as opposed to an answer about the
 * request itself (a failed condition, validation, not found), which keeps its own meaning.
 */
export function isServiceUnavailable(error: unknown): boolean {
  if (error instanceof ServiceUnavailableError) return true;
  if (typeof error !== "object" || error === null) return false;
  const e = error as { name?: unknown; code?: unknown; $fault?: unknown; $metadata?: { httpStatusCode?: unknown } };
  if (e.name === "TimeoutError") return true;
  if (typeof e.code === "string" && unreachableCodes.has(e.code)) return true;
  if (typeof e.name === "string" && unavailableNames.has(e.name)) return true;
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === "number" && status >= 500) return true;
  return e.$fault === "server";
}

const messages: Record<SdkService, string> = {
  dynamodb: "数据服务暂时无法访问，请稍后再试",
  s3: "文件服务暂时无法访问，请稍后再试",
  sqs: "系统繁忙，请稍后再试",
  scheduler: "系统繁忙，请稍后再试",
  ses: "邮件服务暂时无法访问，请稍后再试",
  secretsManager: "系统繁忙，请稍后再试",
};

/** Seconds a client is asked to wait before trying again after a 503. */
export const RETRY_AFTER_SECONDS = 5;

/** `error` as ServiceUnavailableError when the service was unavailable; anything else unchanged. */
export function asServiceUnavailable(error: unknown, service: SdkService): unknown {
  if (error instanceof ServiceUnavailableError || !isServiceUnavailable(error)) return error;
  const e = error as { name?: string; code?: string; message?: string };
  // ids only: the error of a timed-out call carries no personal data, but its message names the endpoint at most
  logger.warn("service unavailable", { sdkService: service, error: e.name, code: e.code, detail: e.message?.slice(0, 300) });
  return new ServiceUnavailableError(messages[service], RETRY_AFTER_SECONDS, { cause: error });
}

interface MiddlewareClient {
  middlewareStack: {
    add(
      middleware: (next: (args: unknown) => Promise<unknown>) => (args: unknown) => Promise<unknown>,
      options: { step: "initialize"; name: string; override?: boolean },
    ): void;
  };
}

/**
 * Turns the service's unavailability into ServiceUnavailableError for every call of this
 * client, after the SDK's own retries (the outermost step): every adapter — the table, the
 * calendar store, the files bucket — answers 503 without catching anything itself.
 */
export function withUnavailableAs503<C>(client: C, service: SdkService): C {
  (client as unknown as MiddlewareClient).middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        throw asServiceUnavailable(error, service);
      }
    },
    { step: "initialize", name: "gongkaiServiceUnavailable", override: true },
  );
  return client;
}

interface HandlerRequest {
  headers: Record<string, string>;
  body?: unknown;
}
interface PatchableHandler {
  handle(request: HandlerRequest, options?: { requestTimeout?: number; abortSignal?: unknown }): Promise<unknown>;
}

/** WaitTimeSeconds of a JSON-protocol ReceiveMessage body; 0 when absent or unreadable. */
function waitTimeSeconds(body: unknown): number {
  // the body is bytes; read them as bytes (the SDK's byte wrapper warns when used as a string)
  const text = typeof body === "string" ? body : body instanceof Uint8Array ? Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8") : undefined;
  if (text === undefined) return 0;
  try {
    const wait = Number((JSON.parse(text) as { WaitTimeSeconds?: unknown }).WaitTimeSeconds ?? 0);
    return Number.isFinite(wait) && wait > 0 ? wait : 0;
  } catch {
    return 0;
  }
}

/**
 * A ReceiveMessage that long-polls stays silent for up to WaitTimeSeconds by design: its
 * request timeout is that wait plus the normal budget, so a poll is never cut while a
 * send still fails fast. (The SDK takes a per-request timeout only from `send`'s options;
 * this sets it for every caller, the local host's pollers and any CLI.)
 */
export function allowLongPolls(sqs: SQSClient): SQSClient {
  const handler = sqs.config.requestHandler as unknown as PatchableHandler;
  const handle = handler.handle.bind(handler);
  handler.handle = (request, options = {}) => {
    const target = request.headers["x-amz-target"] ?? request.headers["X-Amz-Target"];
    if (target === "AmazonSQS.ReceiveMessage" && options.requestTimeout === undefined) {
      const wait = waitTimeSeconds(request.body);
      if (wait > 0) return handle(request, { ...options, requestTimeout: wait * 1000 + sdkTimeouts.sqs.requestTimeout });
    }
    return handle(request, options);
  };
  return sqs;
}

export function createDocumentClient(ddb: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(ddb, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

export function awsClients(): AwsClients {
  if (!cached) {
    // the document client shares this client's middleware stack, so it gets the 503 mapping too
    const ddb = withUnavailableAs503(new DynamoDBClient(sdkClientConfig("dynamodb")), "dynamodb");
    cached = {
      ddb,
      doc: createDocumentClient(ddb),
      // the configured endpoint wins over the queue URL's host (the local stand-in's URLs name a host that may not resolve)
      sqs: allowLongPolls(withUnavailableAs503(new SQSClient({ ...sdkClientConfig("sqs"), useQueueUrlAsEndpoint: false }), "sqs")),
      scheduler: withUnavailableAs503(new SchedulerClient(sdkClientConfig("scheduler")), "scheduler"),
      // the S3 client lives with the file store (file-store.ts): only functions that touch files load it
    };
  }
  return cached;
}
