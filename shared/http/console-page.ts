import type { AppDeps } from "../app/deps";
import { AppError, UnauthorizedError } from "../app/errors";
import type { ConsoleUser } from "../ui/console/layout";
import { renderConsoleErrorPage } from "../ui/console/layout";
import { html, redirect, type HttpRequest, type HttpResponse } from "./http";
import { PASSWORD_CHANGE_REQUIRED, requireStaff, TOTP_ENROLMENT_REQUIRED, type StaffRequest } from "./staff-auth";

/** The console's own pages for the password change and TOTP enrolment (shared/http/account-pages.ts). */
export const PASSWORD_PAGE = "/console/account/password";
export const TOTP_PAGE = "/console/account/totp";

/** What the console's page shell shows of the signed-in user. */
export function consoleUser(staff: StaffRequest): ConsoleUser {
  const p = staff.principal;
  return { displayName: p.displayName, roles: p.roles, agencyName: p.agencyName, csrfToken: p.csrfToken };
}

export type ConsolePageHandler = (req: HttpRequest, staff: StaffRequest, deps: AppDeps) => Promise<HttpResponse>;

/** Console pages send a signed-out visitor to the sign-in page (and back), and show refusals (403, 404, 409…) inside the console. */
export function consolePage(getDeps: () => AppDeps, options: { pending?: boolean } = {}) {
  return (handler: ConsolePageHandler) =>
    async (req: HttpRequest): Promise<HttpResponse> => {
      const deps = getDeps();
      let staff: StaffRequest;
      try {
        staff = await requireStaff(deps, req, options);
      } catch (error) {
        if (error instanceof UnauthorizedError) {
          const next = `${req.path}${req.method === "GET" && req.query.size ? `?${req.query.toString()}` : ""}`;
          return redirect(`/console/login?next=${encodeURIComponent(next)}`);
        }
        // a password to change or a second factor to enrol comes before every other page
        if (error instanceof AppError && error.code === PASSWORD_CHANGE_REQUIRED) return redirect(PASSWORD_PAGE);
        if (error instanceof AppError && error.code === TOTP_ENROLMENT_REQUIRED) return redirect(TOTP_PAGE);
        throw error;
      }
      try {
        return await handler(req, staff, deps);
      } catch (error) {
        if (!(error instanceof AppError) || error.status >= 500 || error.status === 429) throw error;
        return html(error.status, renderConsoleErrorPage({ user: consoleUser(staff), statusCode: error.status, message: error.message }));
      }
    };
}
