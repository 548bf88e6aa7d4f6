/**
 * The console's settings pages for the office: the agency's public site profile and its
 * screening word lists (GET shows the form, POST saves it). As every console page
 * (functions/http/staff-console.ts): the session cookie signs the user in, a signed-out
 * visitor is sent to the sign-in page and back, every POST carries the session's CSRF
 * token, a saved form redirects (303) to its page with a notice (post/redirect/get), a
 * refused one comes back (400) with what was typed and its errors, and other refusals
 * (403…) are shown inside the console.
 *
 * Mounted by the staff-console function next to consolePageRoutes; `/console/{proxy+}`
 * already routes there.
 */
import type { AppDeps } from "../app/deps";
import { ValidationError } from "../app/errors";
import { readAgencySettings, updateScreeningSettings, updateSiteProfile } from "../app/settings/agency-settings";
import {
  SCREENING_SETTINGS_PATH,
  SITE_SETTINGS_PATH,
  renderScreeningSettingsPage,
  renderSiteSettingsPage,
  screeningInputFromForm,
  siteInputFromForm,
} from "../ui/console/site-settings";
import { html, readForm, redirect, type Route } from "./http";
import { checkCsrf, type StaffRequest } from "./staff-auth";
import { consolePage, consoleUser } from "./console-page";

/** GET/POST /console/settings/site and /console/settings/screening. */
export function settingsRoutes(getDeps: () => AppDeps): Route[] {
  const page = consolePage(getDeps);
  const common = (staff: StaffRequest, agencyName: string) => ({ user: consoleUser(staff), csrfToken: staff.principal.csrfToken, agencyName });

  return [
    {
      path: SITE_SETTINGS_PATH,
      methods: {
        GET: page(async (req, staff, deps) => {
          const agency = await readAgencySettings(deps, staff.principal);
          return html(200, renderSiteSettingsPage({ ...common(staff, agency.name), ...(agency.site ? { site: agency.site } : {}), saved: req.query.get("saved") === "1" }));
        }),
        POST: page(async (req, staff, deps) => {
          const form = readForm(req);
          checkCsrf(staff, req, form.csrfToken);
          try {
            await updateSiteProfile(deps, staff.principal, siteInputFromForm(form));
            return redirect(`${SITE_SETTINGS_PATH}?saved=1`);
          } catch (error) {
            if (!(error instanceof ValidationError)) throw error;
            const agency = await readAgencySettings(deps, staff.principal);
            return html(400, renderSiteSettingsPage({ ...common(staff, agency.name), ...(agency.site ? { site: agency.site } : {}), values: form, errors: error.fields }));
          }
        }),
      },
    },
    {
      path: SCREENING_SETTINGS_PATH,
      methods: {
        GET: page(async (req, staff, deps) => {
          const agency = await readAgencySettings(deps, staff.principal);
          return html(
            200,
            renderScreeningSettingsPage({ ...common(staff, agency.name), ...(agency.screening ? { screening: agency.screening } : {}), saved: req.query.get("saved") === "1" }),
          );
        }),
        POST: page(async (req, staff, deps) => {
          const form = readForm(req);
          checkCsrf(staff, req, form.csrfToken);
          try {
            await updateScreeningSettings(deps, staff.principal, screeningInputFromForm(form));
            return redirect(`${SCREENING_SETTINGS_PATH}?saved=1`);
          } catch (error) {
            if (!(error instanceof ValidationError)) throw error;
            const agency = await readAgencySettings(deps, staff.principal);
            return html(400, renderScreeningSettingsPage({ ...common(staff, agency.name), values: form, errors: error.fields }));
          }
        }),
      },
    },
  ];
}
