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
  // items and documents: rich text, images and attachments (shared/app/publishing/submit.ts)
  "/api/v1/publications": ATTACHMENT_BODY_LIMIT_BYTES,
  "/api/v1/documents": ATTACHMENT_BODY_LIMIT_BYTES,
  "/api/v1/catalogue-changes": ATTACHMENT_BODY_LIMIT_BYTES,
  // applications handled before the system: a spreadsheet of up to 5,000 rows
  "/api/v1/imports/applications": ATTACHMENT_BODY_LIMIT_BYTES,
  "/console/reports/annual/import": ATTACHMENT_BODY_LIMIT_BYTES,
  // the annual report's six text sections, up to 20,000 characters each (form-encoded: 9 bytes a character)
  "/api/v1/reports/annual/narrative": ATTACHMENT_BODY_LIMIT_BYTES,
  "/console/reports/annual/narrative": ATTACHMENT_BODY_LIMIT_BYTES,
  "/console/publications/new": ATTACHMENT_BODY_LIMIT_BYTES,
  "/console/documents/new": ATTACHMENT_BODY_LIMIT_BYTES,
  "/console/catalogue-changes/new": ATTACHMENT_BODY_LIMIT_BYTES,
};

/** Paths with a parameter: completing a task may carry a revised item (its text and files). */
const templateLimits: ReadonlyArray<readonly [RegExp, number]> = [
  [/^\/api\/v1\/tasks\/[^/]+\/complete$/, ATTACHMENT_BODY_LIMIT_BYTES],
  [/^\/console\/tasks\/[^/]+\/complete$/, ATTACHMENT_BODY_LIMIT_BYTES],
];

/**
 * The limit for a request path (query string excluded). Empty segments are ignored, as the
 * app's router ignores them (`/apply/` is `/apply`); the path is not decoded, as the router
 * compares literal segments undecoded.
 */
export function bodyLimitFor(path: string): number {
  const normal = `/${path.split("?")[0]!.split("/").filter(Boolean).join("/")}`;
  return bodyLimits[normal] ?? templateLimits.find(([pattern]) => pattern.test(normal))?.[1] ?? DEFAULT_BODY_LIMIT_BYTES;
}
