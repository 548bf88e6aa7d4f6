import { appDeps } from "../../shared/adapters/aws/app-deps";
import { createHttpHandler, errorJson, html, json, readForm, readJson, type Route } from "../../shared/http/http";
import { openApiDocument } from "../../shared/http/openapi";
import { submitApplication } from "../../shared/app/submit-application";
import { viewCaseAsApplicant } from "../../shared/app/view-case";
import { ValidationError, NotFoundError } from "../../shared/app/errors";
import { listAgencies, getTracking } from "../../shared/adapters/aws/records";
import { fromFormFields } from "../../shared/schemas/application";
import { httpError } from "../../shared/schemas/errors";
import { hashAccessCode } from "../../shared/domain/ids";
import { renderPortalHome } from "../../shared/ui/portal/home";
import { renderApplyForm } from "../../shared/ui/portal/apply-form";
import { renderApplyDone } from "../../shared/ui/portal/apply-done";
import { renderTrackForm, renderTrackStatus } from "../../shared/ui/portal/track";
import { renderErrorPage } from "../../shared/http/error-pages";

/**
 * The citizen's side: portal pages (plain HTML forms, no JavaScript needed) and the
 * public JSON API of SPEC §7. Both go through the same use cases.
 */
const routes: Route[] = [
  {
    path: "/",
    methods: { GET: async () => html(200, renderPortalHome({ agencies: await listAgencies(appDeps().table) })) },
  },
  {
    path: "/apply",
    methods: {
      GET: async (req) => {
        const agencies = await listAgencies(appDeps().table);
        const agencyCode = req.query.get("agency") ?? undefined;
        return html(200, renderApplyForm({ agencies, values: agencyCode ? { agencyCode } : {} }));
      },
      POST: async (req) => {
        const deps = appDeps();
        const form = readForm(req);
        try {
          const done = await submitApplication(deps, fromFormFields(form));
          return html(201, renderApplyDone(done));
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error;
          const agencies = await listAgencies(deps.table);
          return html(400, renderApplyForm({ agencies, values: form, errors: error.fields }));
        }
      },
    },
  },
  {
    path: "/track",
    methods: {
      GET: async () => html(200, renderTrackForm()),
      POST: async (req) => {
        const form = readForm(req);
        const trackingNumber = (form.trackingNumber ?? "").trim();
        const accessCode = (form.accessCode ?? "").trim();
        try {
          const view = await viewCaseAsApplicant(appDeps(), trackingNumber, accessCode);
          return html(
            200,
            renderTrackStatus({
              ...view,
              events: view.events.map((e) => ({ at: e.at, description: e.summary })),
              letters: view.letters.map((l) => ({ title: l.title, issuedOn: l.issuedAt.slice(0, 10) })),
            }),
          );
        } catch (error) {
          if (!(error instanceof NotFoundError)) throw error;
          return html(404, renderTrackForm({ values: { trackingNumber }, notFound: true }));
        }
      },
    },
  },
  {
    path: "/api/v1/openapi.json",
    methods: { GET: async () => json(200, openApiDocument(), { headers: { "cache-control": "public, max-age=300" } }) },
  },
  {
    path: "/api/v1/applications",
    methods: {
      POST: async (req) => {
        const { trackingNumber, accessCode, status } = await submitApplication(appDeps(), readJson(req));
        return json(201, { trackingNumber, accessCode, status });
      },
    },
  },
  {
    path: "/api/v1/applications/{trackingNumber}",
    methods: {
      GET: async (req) =>
        json(200, await viewCaseAsApplicant(appDeps(), req.params.trackingNumber ?? "", req.headers["x-access-code"])),
    },
  },
  {
    path: "/api/v1/applications/{trackingNumber}/correction",
    methods: {
      POST: async (req) => {
        const deps = appDeps();
        const trackingNumber = req.params.trackingNumber ?? "";
        const code = req.headers["x-access-code"];
        const tracking = await getTracking(deps.table, trackingNumber);
        if (!tracking || !code || tracking.accessCodeHash !== hashAccessCode(trackingNumber, code)) {
          return errorJson(httpError("NOT_FOUND", "申请编号或查询码不正确"));
        }
        readJson(req);
        // correction notices arrive with the completeness-review step; until one is open there is nothing to correct
        return errorJson(httpError("CONFLICT", "该申请当前没有待补正的告知书，无需补正"));
      },
    },
  },
];

export const handler = createHttpHandler(routes, { renderErrorPage });
