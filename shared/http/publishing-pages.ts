/**
 * The console's publishing pages (GET shows the form, POST starts the case): 报送信息
 * (`/console/publications/new`), 报送公文 (`/console/documents/new`) and the correction or
 * withdrawal of a published entry (`/console/catalogue-changes/new?indexNumber=`). As
 * every console page (functions/http/staff-console.ts): the session cookie signs the
 * user in, a signed-out visitor is sent to the sign-in page and back, every POST carries
 * the session's CSRF token, a started case redirects (303) to its case page with
 * `?submitted=1` (post/redirect/get; `publishingCaseNotice` says what was done there), a
 * refused form comes back (400) with its errors and what was typed, and other refusals
 * (403…) are shown inside the console.
 *
 * The item and document forms post multipart/form-data: their files reach the use cases
 * as `{name, data}` with the bytes base64-encoded, the shape the JSON API takes, so both
 * are checked by the same code. A url-encoded post (no files) is taken too.
 *
 * Mounted by the staff-console function next to consolePageRoutes; `/console/{proxy+}`
 * already routes there.
 */
import type { AppDeps } from "../app/deps";
import { ValidationError, type FieldError } from "../app/errors";
import { publishingFileLimits, requestCatalogueChange, submitDocument, submitPublication } from "../app/publishing/submit";
import type { StaffCaseView } from "../app/views/case";
import { parseIndexNumber, type CatalogueEntry } from "../domain/catalogue/entry";
import type { Role } from "../domain/roles";
import { isTicked } from "../ui/form";
import type { Html } from "../ui/html";
import { CATALOGUE_CHANGE_ROLES, CONSULTATION_ROLES, DOCUMENT_ROLES, PUBLICATION_ROLES } from "../ui/console/layout";
import { submitConsultation } from "../app/consultations/submit";
import { consultationSituations, explanationParts } from "../domain/workflows/consultation/data";
import {
  CONSULTATION_FORM_PATH,
  renderConsultationForm,
  CATALOGUE_CHANGE_FORM_PATH,
  DOCUMENT_FORM_PATH,
  PUBLICATION_FORM_PATH,
  editableBody,
  renderCatalogueChangeForm,
  renderDocumentForm,
  renderPublicationForm,
  submittedNotice,
} from "../ui/console/publishing";
import { consolePage, consoleUser } from "./console-page";
import { html, readForm, redirect, type HttpRequest, type Route } from "./http";
import { bodyLimitFor } from "./limits";
import { isMultipart, readMultipart, type MultipartFile } from "./multipart";
import { checkCsrf, requireRole, type StaffRequest } from "./staff-auth";

const casePath = (caseId: string) => `/console/cases/${encodeURIComponent(caseId)}`;

interface Posted {
  fields: Record<string, string>;
  files: MultipartFile[];
}

/**
 * A form as posted: multipart (with its files) or url-encoded. A multipart body that
 * breaks a limit (too many files…) is a form error to show, with no fields kept.
 */
async function readPosted(req: HttpRequest): Promise<Posted | { refused: FieldError[] }> {
  if (!isMultipart(req)) return { fields: readForm(req), files: [] };
  try {
    return await readMultipart(req, {
      maxBodyBytes: bodyLimitFor(req.path),
      // images and attachments, one more each so the use case says "at most N"
      maxFiles: 2 * publishingFileLimits.maxFiles + 2,
      maxFileBytes: publishingFileLimits.maxBytesEach,
      // the body: up to 100,000 characters of UTF-8
      maxFieldBytes: 512 * 1024,
    });
  } catch (error) {
    if (error instanceof ValidationError) return { refused: error.fields.length ? error.fields : [{ path: "", code: error.code, message: error.message }] };
    throw error;
  }
}

/** The files of one input in the use case's shape (a nameless file gets a name, so the check can name it). */
function filesOf(files: MultipartFile[], field: string, fallback: string): Array<{ name: string; data: string }> {
  return files.filter((f) => f.field === field).map((f, i) => ({ name: f.name || `${fallback}${i + 1}`, data: f.bytes.toString("base64") }));
}

const present = (v: string | undefined): v is string => v !== undefined && v.trim() !== "";

/** The item form → submitPublication's body. */
export function publicationBody(p: Posted): Record<string, unknown> {
  const f = p.fields;
  return {
    title: f.title ?? "",
    body: f.body ?? "",
    channels: (["website", "wechat"] as const).filter((ch) => isTicked(f[`channels.${ch}`])),
    ...(present(f.column) ? { column: f.column } : {}),
    important: isTicked(f.important),
    ...(present(f.section) ? { section: f.section } : {}),
    images: filesOf(p.files, "images", "图片"),
    attachments: filesOf(p.files, "attachments", "附件"),
  };
}

/** The document form → submitDocument's body. */
export function documentBody(p: Posted): Record<string, unknown> {
  const f = p.fields;
  return {
    title: f.title ?? "",
    body: f.body ?? "",
    ...(present(f.disclosureAttribute) ? { disclosureAttribute: f.disclosureAttribute } : {}),
    // a reason typed before 主动公开 was chosen is not the document's
    ...(present(f.reason) && f.disclosureAttribute !== "proactive" ? { reason: f.reason } : {}),
    ...(present(f.column) ? { column: f.column } : {}),
    ...(present(f.section) ? { section: f.section } : {}),
    attachments: filesOf(p.files, "attachments", "附件"),
  };
}

/** The correction form → requestCatalogueChange's body (the new text only for a correction). */
export function catalogueChangeBody(f: Record<string, string>): Record<string, unknown> {
  return {
    indexNumber: (f.indexNumber ?? "").trim(),
    ...(present(f.action) ? { action: f.action } : {}),
    note: f.note ?? "",
    ...(f.action === "correct" ? { title: f.title ?? "", body: f.body ?? "" } : {}),
  };
}

/** Form values to show again: the fields typed, never the CSRF token (the page sets its own). */
/** The consultation form as the body of `POST /api/v1/consultations` (ticked boxes as the list and flags). */
function consultationBody(form: Record<string, string>): Record<string, unknown> {
  const exemptReason = form["exempt.reason"]?.trim();
  return {
    title: form.title,
    draft: form.draft,
    explanation: Object.fromEntries(explanationParts.map((p) => [p, form[`explanation.${p}`]])),
    situations: consultationSituations.filter((s) => isTicked(form[`situations.${s}`])),
    publicInterest: isTicked(form.publicInterest),
    sectorInterests: isTicked(form.sectorInterests),
    ...(exemptReason ? { exempt: { reason: exemptReason } } : {}),
    ...(form.section?.trim() ? { section: form.section } : {}),
  };
}

function kept(fields: Record<string, string>): Record<string, string> {
  const { csrfToken: _token, ...rest } = fields;
  // a textarea posts \r\n; shown again as \n
  return Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, v.replace(/\r\n?/g, "\n")]));
}

/** The notice at the top of a case page reached with `?submitted=1` after one of these forms, else undefined. */
export function publishingCaseNotice(req: Pick<HttpRequest, "query">, view: StaffCaseView): Html | undefined {
  return req.query.get("submitted") ? submittedNotice(view.case) : undefined;
}

function entryShown(e: CatalogueEntry) {
  return { indexNumber: e.indexNumber, title: e.title, column: e.column, publishedOn: e.publishedOn, status: e.status, revision: e.revision };
}

/** GET/POST /console/publications/new, /console/documents/new and /console/catalogue-changes/new. */
export function publishingPageRoutes(getDeps: () => AppDeps): Route[] {
  const page = consolePage(getDeps);
  const common = (staff: StaffRequest) => ({ user: consoleUser(staff), csrfToken: staff.principal.csrfToken, fileLimits: publishingFileLimits });

  /** An item or document form: shown, and posted to its use case. */
  function startingForm(
    path: string,
    roles: readonly Role[],
    render: typeof renderPublicationForm,
    bodyOf: (p: Posted) => Record<string, unknown>,
    start: typeof submitPublication | typeof submitDocument,
  ): Route {
    return {
      path,
      methods: {
        GET: page(async (_req, staff) => {
          requireRole(staff, [...roles]);
          return html(200, render(common(staff)));
        }),
        POST: page(async (req, staff, deps) => {
          const posted = await readPosted(req);
          if ("refused" in posted) {
            requireRole(staff, [...roles]);
            return html(400, render({ ...common(staff), errors: posted.refused }));
          }
          checkCsrf(staff, req, posted.fields.csrfToken);
          requireRole(staff, [...roles]);
          try {
            const started = await start(deps, staff.principal, bodyOf(posted));
            return redirect(`${casePath(started.caseId)}?submitted=1`);
          } catch (error) {
            if (!(error instanceof ValidationError)) throw error;
            return html(400, render({ ...common(staff), values: kept(posted.fields), errors: error.fields }));
          }
        }),
      },
    };
  }

  return [
    {
      path: CONSULTATION_FORM_PATH,
      methods: {
        GET: page(async (_req, staff) => {
          requireRole(staff, [...CONSULTATION_ROLES]);
          return html(200, renderConsultationForm({ user: consoleUser(staff), csrfToken: staff.principal.csrfToken }));
        }),
        POST: page(async (req, staff, deps) => {
          const form = readForm(req);
          checkCsrf(staff, req, form.csrfToken);
          requireRole(staff, [...CONSULTATION_ROLES]);
          try {
            const started = await submitConsultation(deps, staff.principal, consultationBody(form));
            return redirect(`${casePath(started.caseId)}?submitted=1`);
          } catch (error) {
            if (!(error instanceof ValidationError)) throw error;
            return html(400, renderConsultationForm({ user: consoleUser(staff), csrfToken: staff.principal.csrfToken, values: kept(form), errors: error.fields }));
          }
        }),
      },
    },
    startingForm(PUBLICATION_FORM_PATH, PUBLICATION_ROLES, renderPublicationForm, publicationBody, submitPublication),
    startingForm(DOCUMENT_FORM_PATH, DOCUMENT_ROLES, renderDocumentForm, documentBody, submitDocument),
    {
      path: CATALOGUE_CHANGE_FORM_PATH,
      methods: {
        GET: page(async (req, staff, deps) => {
          requireRole(staff, [...CATALOGUE_CHANGE_ROLES]);
          const wanted = (req.query.get("indexNumber") ?? "").trim();
          const { fileLimits: _limits, ...base } = common(staff);
          if (!wanted) return html(200, renderCatalogueChangeForm(base));
          const entry = parseIndexNumber(wanted) ? await deps.store.catalogue.get(staff.principal.agencyCode, wanted) : undefined;
          if (!entry) {
            return html(
              404,
              renderCatalogueChangeForm({ ...base, values: { indexNumber: wanted }, errors: [{ path: "indexNumber", code: "not_found", message: "本机关目录中没有这个索引号" }] }),
            );
          }
          const values = { indexNumber: entry.indexNumber, title: entry.title, body: editableBody(entry.bodyHtml, entry.text) };
          return html(200, renderCatalogueChangeForm({ ...base, entry: entryShown(entry), values }));
        }),
        POST: page(async (req, staff, deps) => {
          const form = readForm(req);
          checkCsrf(staff, req, form.csrfToken);
          requireRole(staff, [...CATALOGUE_CHANGE_ROLES]);
          try {
            const started = await requestCatalogueChange(deps, staff.principal, catalogueChangeBody(form));
            return redirect(`${casePath(started.caseId)}?submitted=1`);
          } catch (error) {
            if (!(error instanceof ValidationError)) throw error;
            const wanted = (form.indexNumber ?? "").trim();
            const entry = parseIndexNumber(wanted) ? await deps.store.catalogue.get(staff.principal.agencyCode, wanted) : undefined;
            const { fileLimits: _limits, ...base } = common(staff);
            return html(400, renderCatalogueChangeForm({ ...base, ...(entry ? { entry: entryShown(entry) } : {}), values: kept(form), errors: error.fields }));
          }
        }),
      },
    },
  ];
}
