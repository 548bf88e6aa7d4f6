import { randomBytes } from "node:crypto";
import * as z from "zod";
import { appDeps } from "../../shared/adapters/aws/app-deps";
import type { AppDeps } from "../../shared/app/deps";
import { createHttpHandler, file, fromThisSite, hasShape, html, json, readForm, readJson, redirect, type HttpRequest, type HttpResponse, type Route } from "../../shared/http/http";
import { isMultipart, readMultipart } from "../../shared/http/multipart";
import { idempotencyKeySchema } from "../../shared/schemas/requests";
import { ATTACHMENT_BODY_LIMIT_BYTES } from "../../shared/http/limits";
import { submitApplication } from "../../shared/app/applications/intake";
import { applicantLetter, authenticateApplicant, sendNewAccessCode, submitCorrection, viewCaseAsApplicant, type ApplicantView } from "../../shared/app/applications/applicant";
import { ConflictError, ForbiddenError, NotFoundError, TooManyRequestsError, UnprocessableError, ValidationError, type FieldError } from "../../shared/app/errors";
import { applicationFieldLabels, errorOrderOf, fromFormFields, parseApplicationInput } from "../../shared/schemas/application";
import { attachmentLimits, checkAttachments, type IncomingAttachment } from "../../shared/domain/files/attachments";
import { shanghaiDate } from "../../shared/domain/calendar";
import { trackingNumberPattern } from "../../shared/domain/ids";
import { checkText } from "../../shared/domain/text";
import { renderPortalHome } from "../../shared/ui/portal/home";
import { attachmentInputs, renderApplyForm } from "../../shared/ui/portal/apply-form";
import { DONE_PAGE_MINUTES, renderApplyDone, renderApplyDoneExpired } from "../../shared/ui/portal/apply-done";
import { correctionNoteMaxLength, renderTrackForm, renderTrackStatus, type TrackFormInput, type TrackStatusInput } from "../../shared/ui/portal/track";
import { renderErrorPage } from "../../shared/http/error-pages";
import { publicSiteRoutes, withPageContext } from "../../shared/http/public-site-routes";
import { consultationRoutes } from "../../shared/http/consultation-routes";
import { transparencyRoutes } from "../../shared/http/transparency-routes";

/**
 * The citizen's side: portal pages (plain HTML forms, no JavaScript needed) and the
 * public JSON API of SPEC §7. Both go through the same use cases.
 *
 * Every portal form is post/redirect/get: a successful POST answers 303, so reloading
 * the page it lands on sends nothing again. What the landing page needs travels in a
 * short-lived HttpOnly, SameSite=Strict cookie scoped to its path — never in the URL:
 * - `/apply` → `/apply/done`: the tracking number and access code (10 minutes);
 * - `/track` → `/track/status`: the tracking number and access code of the lookup, which
 *   also authorises the letters and the correction form under `/track/` (30 minutes).
 * The application form carries a one-time token that becomes `submitApplication`'s
 * idempotency key, so a double click files one case.
 */

/** Attachments travel base64 in JSON: room for the limits of shared/domain/files/attachments.ts. */

const APPLY_DONE_COOKIE = "gk_apply_done";
const APPLY_DONE_PATH = "/apply/done";
const TRACK_COOKIE = "gk_track";
const TRACK_PATH = "/track";
const TRACK_SECONDS = 30 * 60;
const FORM_TOKEN = /^[A-Za-z0-9_-]{16,64}$/;

const clientIp = (req: HttpRequest) => req.event.requestContext?.http?.sourceIp ?? "unknown";

// ---------------------------------------------------------------------------
// Cookies of the portal

function cookie(name: string, value: string, path: string, maxAgeSeconds: number, secure: boolean): string {
  return `${name}=${value}; Path=${path}; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? "; Secure" : ""}`;
}

const encodeCookie = (value: unknown) => Buffer.from(JSON.stringify(value), "utf8").toString("base64url");

function decodeCookie<T>(raw: string | undefined, schema: z.ZodType<T>): T | undefined {
  if (!raw) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(raw, "base64url").toString("utf8")));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

const doneCookie = z.object({ trackingNumber: z.string().max(64), accessCode: z.string().max(64), agencyName: z.string().max(200), status: z.string().max(40) });
const trackCookie = z.object({ trackingNumber: z.string().max(40).regex(trackingNumberPattern), accessCode: z.string().max(64) });
type TrackCredentials = z.infer<typeof trackCookie>;

const newFormToken = () => randomBytes(18).toString("base64url");

/** Longest access code looked at: a longer one is wrong anyway (codes are 10 characters, maybe with spaces or dashes). */
const MAX_ACCESS_CODE = 64;
const TRACKING_NUMBER_FORMAT = "申请编号格式不正确，应为“机关代码-年份-序号”，如 001008010002002-2026-00001";

/** A tracking number typed into a form: "" when missing, and whether it has the shape of one (checked before any lookup). */
function typedTrackingNumber(form: Record<string, string>): { value: string; shown: string; ok: boolean } {
  const value = (form.trackingNumber ?? "").trim();
  // what is shown back in the form: never more than a number can be long
  return { value, shown: value.slice(0, 40), ok: hasShape("trackingNumber", value) };
}

/** Labels of a correction's fields in messages. */
const correctionLabels: Record<string, string> = { ...applicationFieldLabels, note: "补正说明" };

// ---------------------------------------------------------------------------
// Routes

/** The portal's routes over the given dependencies (Lambda: `appDeps`; tests: in-memory ones). */
export function portalRoutes(getDeps: () => AppDeps): Route[] {
  const agencies = async () => getDeps().store.directory.agencies();
  const secure = () => getDeps().config.publicBaseUrl.startsWith("https:");
  const trackCookieFor = (c: TrackCredentials) => cookie(TRACK_COOKIE, encodeCookie(c), TRACK_PATH, TRACK_SECONDS, secure());
  const clearTrackCookie = () => cookie(TRACK_COOKIE, "", TRACK_PATH, 0, secure());
  const credentials = (req: HttpRequest) => decodeCookie(req.cookies[TRACK_COOKIE], trackCookie);

  /** Refuses a post from another site with a page (403). */
  const checkOrigin = (req: HttpRequest) => {
    if (!fromThisSite(req, getDeps().config.publicBaseUrl)) throw new ForbiddenError("请从本网站的页面提交表单");
  };

  const throttledPage = (error: TooManyRequestsError, extra: TrackFormInput = {}) =>
    html(429, renderTrackForm({ ...extra, throttled: error.message }), { headers: { "retry-after": String(error.retryAfterSeconds) } });

  // --- /apply

  const applyForm = async (statusCode: number, values: Record<string, string>, errors: FieldError[] = [], extra: { formToken?: string; notice?: string } = {}) =>
    html(statusCode, renderApplyForm({ agencies: await agencies(), values, errors, formToken: extra.formToken ?? newFormToken(), ...(extra.notice ? { notice: extra.notice } : {}) }));

  /** Attachment errors name `attachments.N` (N among the files sent); the form names its inputs. */
  const attachmentErrorsOnInputs = (errors: FieldError[], inputOf: string[]): FieldError[] =>
    errors.map((e) => {
      const m = /^attachments(?:\.(\d+))?$/.exec(e.path);
      if (!m) return e;
      return { ...e, path: m[1] !== undefined ? (inputOf[Number(m[1])] ?? attachmentInputs[0]!) : attachmentInputs[0]! };
    });

  async function postApplication(req: HttpRequest): Promise<HttpResponse> {
    const deps = getDeps();
    checkOrigin(req);
    let fields: Record<string, string>;
    const files: IncomingAttachment[] = [];
    const inputOf: string[] = [];
    if (isMultipart(req)) {
      try {
        const body = await readMultipart(req, {
          maxBodyBytes: ATTACHMENT_BODY_LIMIT_BYTES,
          maxFiles: attachmentInputs.length,
          maxFileBytes: attachmentLimits.maxBytesEach,
          maxFields: 60,
        });
        fields = body.fields;
        for (const name of attachmentInputs) {
          for (const f of body.files.filter((x) => x.field === name)) {
            files.push({ name: f.name, bytes: f.bytes });
            inputOf.push(name);
          }
        }
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return applyForm(400, {}, [{ path: "", code: error.fields[0]?.code ?? "malformed_body", message: error.message }]);
      }
    } else {
      fields = readForm(req);
    }
    const { formToken: posted, csrfToken: _csrf, ...values } = fields;
    const formToken = posted && FORM_TOKEN.test(posted) ? posted : undefined;
    const input = fromFormFields(values);

    // the form's own requirements (declaration, consent, contact person) with the API's, all at once
    const check = parseApplicationInput(input, shanghaiDate(deps.clock.now()), { form: true });
    if (!check.ok) {
      const errors = [...check.error.fields, ...checkAttachments(files).errors].sort((a, b) => errorOrderOf(a.path) - errorOrderOf(b.path));
      return applyForm(400, values, attachmentErrorsOnInputs(errors, inputOf), formToken ? { formToken } : {});
    }
    try {
      const done = await submitApplication(deps, input, { attachments: files, clientIp: clientIp(req), ...(formToken ? { idempotencyKey: `portal-apply:${formToken}` } : {}) });
      const value = encodeCookie({ trackingNumber: done.trackingNumber, accessCode: done.accessCode, agencyName: done.agencyName, status: done.status });
      return redirect(APPLY_DONE_PATH, [cookie(APPLY_DONE_COOKIE, value, APPLY_DONE_PATH, DONE_PAGE_MINUTES * 60, secure())]);
    } catch (error) {
      if (error instanceof ValidationError) return applyForm(400, values, attachmentErrorsOnInputs(error.fields, inputOf), formToken ? { formToken } : {});
      if (error instanceof UnprocessableError && error.code === "IDEMPOTENCY_KEY_REUSED") {
        // this rendering of the form was already sent with other content: a fresh form token files it anew
        return applyForm(400, values, [], {
          notice: "此表单此前已经提交过一次，内容与本次不同。为避免重复申请，本次未提交。如确需再提交一份新的申请，请核对内容并重新选择附件后再次提交。",
        });
      }
      // too many from this address: the form comes back with what was typed and when to try again
      if (error instanceof TooManyRequestsError) {
        const page = await applyForm(429, values, [], { notice: error.message, ...(formToken ? { formToken } : {}) });
        return { ...page, headers: { ...page.headers, "retry-after": String(error.retryAfterSeconds) } };
      }
      throw error;
    }
  }

  // --- /track

  /** The status page of the tracked application; a stale cookie is dropped and answered like a wrong code. */
  async function statusPage(req: HttpRequest, statusCode: number, extra: Partial<TrackStatusInput> = {}): Promise<HttpResponse> {
    const creds = credentials(req);
    if (!creds) return redirect("/track");
    let view: ApplicantView;
    try {
      view = await viewCaseAsApplicant(getDeps(), creds.trackingNumber, creds.accessCode, clientIp(req));
    } catch (error) {
      if (error instanceof NotFoundError) return html(404, renderTrackForm({ values: { trackingNumber: creds.trackingNumber }, notFound: true }), { cookies: [clearTrackCookie()] });
      if (error instanceof TooManyRequestsError) return throttledPage(error);
      throw error;
    }
    return html(statusCode, renderTrackStatus({ ...view, ...extra }));
  }

  async function postTrack(req: HttpRequest): Promise<HttpResponse> {
    checkOrigin(req);
    const form = readForm(req);
    const typed = typedTrackingNumber(form);
    const trackingNumber = typed.value;
    const accessCode = (form.accessCode ?? "").trim().slice(0, MAX_ACCESS_CODE);
    const errors: FieldError[] = [];
    if (!trackingNumber) errors.push({ path: "trackingNumber", code: "required", message: "请填写申请编号" });
    else if (!typed.ok) errors.push({ path: "trackingNumber", code: "invalid_format", message: TRACKING_NUMBER_FORMAT });
    if (!accessCode) errors.push({ path: "accessCode", code: "required", message: "请填写查询码" });
    if (errors.length) return html(400, renderTrackForm({ values: { trackingNumber: typed.shown }, errors }));
    try {
      await authenticateApplicant(getDeps(), trackingNumber, accessCode, clientIp(req));
    } catch (error) {
      // the same page, status and body for an unknown number and a wrong code
      if (error instanceof NotFoundError) return html(404, renderTrackForm({ values: { trackingNumber }, notFound: true }));
      if (error instanceof TooManyRequestsError) return throttledPage(error, { values: { trackingNumber } });
      throw error;
    }
    return redirect("/track/status", [trackCookieFor({ trackingNumber, accessCode })]);
  }

  async function postCorrection(req: HttpRequest): Promise<HttpResponse> {
    checkOrigin(req);
    const creds = credentials(req);
    if (!creds) return redirect("/track");
    const { csrfToken: _csrf, ...values } = readForm(req);
    const note = (values.note ?? "").trim();
    // only what the applicant filled in is a correction; the type of applicant and the agency stay
    const { agencyCode: _a, applicantType: _t, declaration: _d, consent: _c, ...corrected } = fromFormFields(values);
    const body = { ...corrected, ...(note ? { note } : {}) };
    const dirtyNote = checkText(correctionLabels.note!, note, { multiline: true });
    if (dirtyNote) return statusPage(req, 400, { correctionForm: { values, errors: [{ path: "note", ...dirtyNote }] } });
    if (note.length > correctionNoteMaxLength) {
      return statusPage(req, 400, { correctionForm: { values, errors: [{ path: "note", code: "too_long", message: `补正说明不能超过 ${correctionNoteMaxLength} 个字` }] } });
    }
    try {
      await submitCorrection(getDeps(), creds.trackingNumber, creds.accessCode, clientIp(req), body);
    } catch (error) {
      if (error instanceof ValidationError) return statusPage(req, 400, { correctionForm: { values, errors: error.fields.map((e) => (e.path === "" ? e : { ...e, path: e.path.split(".")[0]! })) } });
      if (error instanceof ConflictError || error instanceof UnprocessableError) return statusPage(req, error.status, { correctionProblem: error.message });
      if (error instanceof NotFoundError) return html(404, renderTrackForm({ values: { trackingNumber: creds.trackingNumber }, notFound: true }), { cookies: [clearTrackCookie()] });
      if (error instanceof TooManyRequestsError) return throttledPage(error);
      throw error;
    }
    return redirect("/track/status?corrected=1");
  }

  async function postNewAccessCode(req: HttpRequest): Promise<HttpResponse> {
    checkOrigin(req);
    const typed = typedTrackingNumber(readForm(req));
    const problem = !typed.value ? "请填写申请编号" : !typed.ok ? TRACKING_NUMBER_FORMAT : undefined;
    if (problem) return html(400, renderTrackForm({ newCode: { values: { trackingNumber: typed.shown }, errors: [{ path: "trackingNumber", code: typed.value ? "invalid_format" : "required", message: problem }] } }));
    await sendNewAccessCode(getDeps(), typed.value, clientIp(req));
    return redirect("/track?sent=1");
  }

  async function trackLetter(req: HttpRequest): Promise<HttpResponse> {
    const creds = credentials(req);
    if (!creds) return redirect("/track");
    const format = req.query.get("format") === "html" ? "html" : "docx";
    try {
      const f = await applicantLetter(getDeps(), creds.trackingNumber, creds.accessCode, clientIp(req), req.params.letterId ?? "", format);
      return file(f.body, f.contentType, f.filename, format === "html");
    } catch (error) {
      if (error instanceof TooManyRequestsError) return throttledPage(error);
      throw error;
    }
  }

  const headerCode = (req: HttpRequest) => req.headers["x-access-code"];

  return [
    {
      path: "/",
      methods: { GET: async () => html(200, renderPortalHome({ agencies: await agencies() })) },
    },
    {
      path: "/apply",
      methods: {
        GET: async (req) => {
          const agencyCode = req.query.get("agency") ?? undefined;
          return applyForm(200, agencyCode ? { agencyCode } : {});
        },
        POST: postApplication,
      },
    },
    {
      path: APPLY_DONE_PATH,
      methods: {
        GET: async (req) => {
          const done = decodeCookie(req.cookies[APPLY_DONE_COOKIE], doneCookie);
          return html(200, done ? renderApplyDone(done) : renderApplyDoneExpired());
        },
      },
    },
    {
      path: "/track",
      methods: {
        GET: async (req) => html(200, renderTrackForm({ newCodeSent: req.query.get("sent") === "1", ended: req.query.get("ended") === "1" })),
        POST: postTrack,
      },
    },
    {
      path: "/track/status",
      methods: { GET: async (req) => statusPage(req, 200, req.query.get("corrected") === "1" ? { corrected: true } : {}) },
    },
    { path: "/track/correction", methods: { POST: postCorrection } },
    { path: "/track/access-code", methods: { POST: postNewAccessCode } },
    { path: "/track/letters/{letterId}", methods: { GET: trackLetter } },
    {
      path: "/track/end",
      methods: {
        POST: async (req) => {
          checkOrigin(req);
          return redirect("/track?ended=1", [clearTrackCookie()]);
        },
      },
    },
    {
      path: "/api/v1/openapi.json",
      // the document and its schemas (~130 KB) load on the first request for it, not at every cold start
      methods: { GET: async () => json(200, (await import("../../shared/http/openapi")).openApiDocument(), { headers: { "cache-control": "public, max-age=300" } }) },
    },
    {
      path: "/api/v1/applications",
      methods: {
        POST: async (req) => {
          const header = req.headers["idempotency-key"];
          const parsed = header === undefined ? undefined : idempotencyKeySchema.safeParse(header);
          if (parsed && !parsed.success) {
            throw new ValidationError("VALIDATION_FAILED", "Idempotency-Key 无效", [{ path: "Idempotency-Key", code: "invalid_format", message: "Idempotency-Key 应为 1 至 128 个可见 ASCII 字符" }]);
          }
          const key = parsed?.data;
          const body = readJson(req, { labels: applicationFieldLabels });
          const { trackingNumber, accessCode, status } = await submitApplication(getDeps(), body, { clientIp: clientIp(req), ...(key ? { idempotencyKey: key } : {}) });
          return json(201, { trackingNumber, accessCode, status });
        },
      },
    },
    {
      path: "/api/v1/applications/{trackingNumber}",
      methods: {
        GET: async (req) => json(200, await viewCaseAsApplicant(getDeps(), req.params.trackingNumber ?? "", headerCode(req), clientIp(req))),
      },
    },
    {
      path: "/api/v1/applications/{trackingNumber}/correction",
      methods: {
        POST: async (req) => {
          const body = readJson(req, { labels: correctionLabels });
          return json(200, await submitCorrection(getDeps(), req.params.trackingNumber ?? "", headerCode(req), clientIp(req), body));
        },
      },
    },
    {
      path: "/api/v1/applications/{trackingNumber}/letters/{letterId}",
      methods: {
        GET: async (req) => {
          const f = await applicantLetter(getDeps(), req.params.trackingNumber ?? "", headerCode(req), clientIp(req), req.params.letterId ?? "", req.query.get("format"));
          return file(f.body, f.contentType, f.filename, req.query.get("format") === "html");
        },
      },
    },
    {
      path: "/api/v1/applications/{trackingNumber}/access-code",
      methods: {
        POST: async (req) => json(202, await sendNewAccessCode(getDeps(), req.params.trackingNumber ?? "", clientIp(req))),
      },
    },
  ];
}

export const handler = createHttpHandler(withPageContext([...portalRoutes(appDeps), ...publicSiteRoutes(appDeps), ...consultationRoutes(appDeps), ...transparencyRoutes(appDeps)]), { renderErrorPage });
