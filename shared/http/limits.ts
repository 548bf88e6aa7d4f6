/**
 * How large a request body each path may be: the one table the app's routes and the
 * local host read, so a body is refused while it streams in, not after it was buffered.
 * An application is a few KB; only the routes that take attachments (PDF, JPEG, PNG,
 * sent base64 in JSON or as multipart) need megabytes.
 */

/** Any route not listed below. */
export const DEFAULT_BODY_LIMIT_BYTES = 64 * 1024;

/** Routes that take attachments (shared/domain/files/attachments.ts), with room for base64 in JSON. */
export const ATTACHMENT_BODY_LIMIT_BYTES = 5 * 1024 * 1024;

/** API Gateway's own payload limit: nothing larger ever reaches a Lambda. */
export const API_GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Exact paths (as the manifest names them) with a limit other than the default. */
export const bodyLimits: Readonly<Record<string, number>> = {
  "/apply": ATTACHMENT_BODY_LIMIT_BYTES,
  "/api/v1/applications": ATTACHMENT_BODY_LIMIT_BYTES,
  "/api/v1/staff/applications": ATTACHMENT_BODY_LIMIT_BYTES,
};

/**
 * The limit for a request path (query string excluded). Empty segments are ignored, as the
 * app's router ignores them (`/apply/` is `/apply`); the path is not decoded, as the router
 * compares literal segments undecoded.
 */
export function bodyLimitFor(path: string): number {
  const normal = `/${path.split("?")[0]!.split("/").filter(Boolean).join("/")}`;
  return bodyLimits[normal] ?? DEFAULT_BODY_LIMIT_BYTES;
}
