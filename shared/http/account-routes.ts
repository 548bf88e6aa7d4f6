/**
 * The staff-account API (SPEC §7.4): the user's own password and second factor, the
 * password-reset link, and the administrator's staff and agencies. Mounted by the
 * staff-console function (functions/http/staff-console.ts); its paths are the manifest's.
 */
import type { AppDeps } from "../app/deps";
import { changeOwnPassword, resetPasswordWithLink } from "../app/accounts/passwords";
import { createStaff, listStaff, sendPasswordReset, updateStaff, viewStaff } from "../app/accounts/staff";
import { createAgencyAsAdmin, updateOwnAgency, viewOwnAgency } from "../app/accounts/agencies";
import { confirmTotpEnrolment, startTotpEnrolment } from "../app/accounts/totp-enrolment";
import { json, readJson, type HttpRequest, type Route } from "./http";
import { checkCsrf, requireStaff } from "./staff-auth";

export const clientIpOf = (req: HttpRequest) => req.event.requestContext?.http?.sourceIp ?? "unknown";

export const accountApiPaths = [
  "/api/v1/auth/password",
  "/api/v1/auth/password-reset",
  "/api/v1/auth/totp",
  "/api/v1/auth/totp/confirm",
  "/api/v1/admin/users",
  "/api/v1/admin/users/{username}",
  "/api/v1/admin/users/{username}/password-reset",
  "/api/v1/admin/agency",
  "/api/v1/admin/agencies",
] as const;

export function accountApiRoutes(getDeps: () => AppDeps): Route[] {
  /** a signed-in state change: the caller, its CSRF token when by cookie */
  const signedIn = async (req: HttpRequest, pending = false) => {
    const deps = getDeps();
    const staff = await requireStaff(deps, req, { pending });
    if (req.method !== "GET") checkCsrf(staff, req);
    return { deps, staff, p: staff.principal };
  };

  return [
    {
      path: "/api/v1/auth/password",
      methods: {
        POST: async (req) => {
          const { deps, p } = await signedIn(req, true);
          return json(200, await changeOwnPassword(deps, p, readJson(req), clientIpOf(req)));
        },
      },
    },
    {
      path: "/api/v1/auth/password-reset",
      methods: {
        // the link's token is the credential: nobody is signed in
        POST: async (req) => json(200, await resetPasswordWithLink(getDeps(), readJson(req), clientIpOf(req))),
      },
    },
    {
      path: "/api/v1/auth/totp",
      methods: {
        POST: async (req) => {
          const { deps, p } = await signedIn(req, true);
          return json(201, await startTotpEnrolment(deps, p));
        },
      },
    },
    {
      path: "/api/v1/auth/totp/confirm",
      methods: {
        POST: async (req) => {
          const { deps, p } = await signedIn(req, true);
          return json(200, await confirmTotpEnrolment(deps, p, readJson(req)));
        },
      },
    },
    {
      path: "/api/v1/admin/users",
      methods: {
        GET: async (req) => {
          const { deps, p } = await signedIn(req);
          return json(200, await listStaff(deps, p));
        },
        POST: async (req) => {
          const { deps, p } = await signedIn(req);
          return json(201, await createStaff(deps, p, readJson(req)));
        },
      },
    },
    {
      path: "/api/v1/admin/users/{username}",
      methods: {
        GET: async (req) => {
          const { deps, p } = await signedIn(req);
          return json(200, await viewStaff(deps, p, req.params.username ?? ""));
        },
        PATCH: async (req) => {
          const { deps, p } = await signedIn(req);
          return json(200, await updateStaff(deps, p, req.params.username ?? "", readJson(req)));
        },
      },
    },
    {
      path: "/api/v1/admin/users/{username}/password-reset",
      methods: {
        POST: async (req) => {
          const { deps, p } = await signedIn(req);
          return json(202, await sendPasswordReset(deps, p, req.params.username ?? ""));
        },
      },
    },
    {
      path: "/api/v1/admin/agency",
      methods: {
        GET: async (req) => {
          const { deps, p } = await signedIn(req);
          return json(200, await viewOwnAgency(deps, p));
        },
        PATCH: async (req) => {
          const { deps, p } = await signedIn(req);
          return json(200, await updateOwnAgency(deps, p, readJson(req)));
        },
      },
    },
    {
      path: "/api/v1/admin/agencies",
      methods: {
        POST: async (req) => {
          const { deps, p } = await signedIn(req);
          return json(201, await createAgencyAsAdmin(deps, p, readJson(req)));
        },
      },
    },
  ];
}
