/**
 * The console's account pages (shared/ui/console/accounts.ts): the administrator's staff
 * and agency forms, the user's own password and second factor, and the page a reset link
 * opens. As every console page: post/redirect/get, CSRF token on every signed-in form, a
 * refused form comes back (400) with its errors; the password and TOTP pages stay open
 * while a password change or enrolment is pending (every other page sends there).
 */
import type { AppDeps } from "../app/deps";
import { AppError, ValidationError, type FieldError } from "../app/errors";
import { changeOwnPassword, resetLinkAccount, resetPasswordWithLink } from "../app/accounts/passwords";
import { createStaff, listStaff, securityTrail, sendPasswordReset, updateStaff, viewStaff } from "../app/accounts/staff";
import { createAgencyAsAdmin, updateOwnAgency, viewOwnAgency } from "../app/accounts/agencies";
import { confirmTotpEnrolment, startTotpEnrolment } from "../app/accounts/totp-enrolment";
import { needsTotp, securityOf } from "../domain/accounts/security";
import { roleLabel } from "../domain/roles";
import {
  ADMIN_AGENCY_PATH,
  ADMIN_USERS_PATH,
  NEW_AGENCY_PATH,
  RESET_PAGE_PATH,
  SECURITY_TRAIL_PATH,
  renderSecurityTrailPage,
  renderAgencyPage,
  renderNewAgencyPage,
  renderPasswordPage,
  renderResetPage,
  renderStaffFormPage,
  renderStaffListPage,
  renderTotpPage,
  rolesFromForm,
} from "../ui/console/accounts";
import { isTicked } from "../ui/form";
import { html, readForm, redirect, type Route } from "./http";
import { checkCsrf, type StaffRequest } from "./staff-auth";
import { consolePage, consoleUser, PASSWORD_PAGE, TOTP_PAGE } from "./console-page";
import { clientIpOf } from "./account-routes";

const optional = (v: string | undefined) => (v === undefined ? undefined : v.trim());
/** a number field: absent when empty, the number when it reads as one, else the text (refused by the schema in Chinese) */
const numberField = (v: string | undefined) => {
  const t = (v ?? "").trim();
  if (!t) return undefined;
  return /^-?\d+$/.test(t) ? Number(t) : t;
};

function securityFromForm(form: Record<string, string>) {
  const s: Record<string, unknown> = { totpRoles: rolesFromForm(form, "totp_") };
  const days = numberField(form["security.passwordMaxAgeDays"]);
  const idle = numberField(form["security.sessionIdleMinutes"]);
  if (days !== undefined) s.passwordMaxAgeDays = days;
  if (idle !== undefined) s.sessionIdleMinutes = idle;
  return s;
}

const agencyProfileFromForm = (form: Record<string, string>) => ({
  name: form.name ?? "",
  letterhead: optional(form.letterhead),
  letterPrefix: form.letterPrefix ?? "",
  officeContact: optional(form.officeContact),
  officeAddress: optional(form.officeAddress),
  reviewAuthority: optional(form.reviewAuthority),
  court: optional(form.court),
});

/** the form's two new-password boxes must agree before anything is checked */
function mismatch(form: Record<string, string>): FieldError[] {
  return (form.newPassword ?? "") !== (form.confirmPassword ?? "") ? [{ path: "confirmPassword", code: "mismatch", message: "两次输入的新密码不一致" }] : [];
}

export function accountPageRoutes(getDeps: () => AppDeps): Route[] {
  const page = consolePage(getDeps);
  const pendingPage = consolePage(getDeps, { pending: true });
  const u = (staff: StaffRequest) => consoleUser(staff);
  const userPath = (username: string) => `${ADMIN_USERS_PATH}/${encodeURIComponent(username)}`;

  const totpState = async (deps: AppDeps, staff: StaffRequest) => {
    const [user, agency] = await Promise.all([deps.store.directory.user(staff.principal.agencyCode, staff.principal.username), deps.store.directory.agency(staff.principal.agencyCode)]);
    return { enabled: user?.totpEnabled === true, required: user ? needsTotp(user, securityOf(agency)) : false };
  };

  return [
    {
      path: PASSWORD_PAGE,
      methods: {
        GET: pendingPage(async (req, staff) =>
          html(200, renderPasswordPage({ user: u(staff), csrfToken: staff.principal.csrfToken, ...(staff.principal.mustChangePassword ? { reason: staff.principal.mustChangePassword } : {}), changed: req.query.get("changed") === "1" })),
        ),
        POST: pendingPage(async (req, staff, deps) => {
          const form = readForm(req);
          checkCsrf(staff, req, form.csrfToken);
          const again = (errors: FieldError[]) =>
            html(400, renderPasswordPage({ user: u(staff), csrfToken: staff.principal.csrfToken, ...(staff.principal.mustChangePassword ? { reason: staff.principal.mustChangePassword } : {}), errors }));
          const differ = mismatch(form);
          if (differ.length) return again(differ);
          try {
            await changeOwnPassword(deps, staff.principal, { currentPassword: form.currentPassword ?? "", newPassword: form.newPassword ?? "" }, clientIpOf(req));
          } catch (error) {
            if (error instanceof ValidationError) return again(error.fields);
            throw error;
          }
          return redirect(staff.principal.mustEnrolTotp ? TOTP_PAGE : `${PASSWORD_PAGE}?changed=1`);
        }),
      },
    },
    {
      path: TOTP_PAGE,
      methods: {
        GET: pendingPage(async (req, staff, deps) => html(200, renderTotpPage({ user: u(staff), csrfToken: staff.principal.csrfToken, ...(await totpState(deps, staff)), enrolled: req.query.get("enrolled") === "1" }))),
        POST: pendingPage(async (req, staff, deps) => {
          const form = readForm(req);
          checkCsrf(staff, req, form.csrfToken);
          const state = await totpState(deps, staff);
          if (form.action === "confirm") {
            try {
              await confirmTotpEnrolment(deps, staff.principal, { code: form.code ?? "" });
              return redirect(`${TOTP_PAGE}?enrolled=1`);
            } catch (error) {
              if (!(error instanceof AppError) || error.status >= 500) throw error;
              // a wrong code: a fresh secret, so nothing half-bound is left on the phone
              const enrolment = await startTotpEnrolment(deps, staff.principal);
              const errors = error.fields.length ? error.fields : [{ path: "code", code: error.code, message: error.message }];
              return html(400, renderTotpPage({ user: u(staff), csrfToken: staff.principal.csrfToken, ...state, enrolment, errors }));
            }
          }
          const enrolment = await startTotpEnrolment(deps, staff.principal);
          return html(200, renderTotpPage({ user: u(staff), csrfToken: staff.principal.csrfToken, ...state, enrolment }));
        }),
      },
    },
    {
      path: RESET_PAGE_PATH,
      methods: {
        GET: async (req) => {
          const token = req.query.get("token") ?? "";
          const found = await resetLinkAccount(getDeps(), token);
          return html(found ? 200 : 404, renderResetPage({ token, ...(found ? { displayName: found.user.displayName } : { invalid: true }) }));
        },
        POST: async (req) => {
          const form = readForm(req);
          const token = form.token ?? "";
          const found = await resetLinkAccount(getDeps(), token);
          if (!found) return html(404, renderResetPage({ token, invalid: true }));
          const differ = mismatch(form);
          if (differ.length) return html(400, renderResetPage({ token, displayName: found.user.displayName, errors: differ }));
          try {
            await resetPasswordWithLink(getDeps(), { token, newPassword: form.newPassword ?? "" }, clientIpOf(req));
          } catch (error) {
            if (error instanceof ValidationError) return html(400, renderResetPage({ token, displayName: found.user.displayName, errors: error.fields }));
            if (error instanceof AppError && error.status === 401) return html(404, renderResetPage({ token, invalid: true }));
            throw error;
          }
          return html(200, renderResetPage({ token: "", done: true }));
        },
      },
    },
    {
      path: ADMIN_USERS_PATH,
      methods: {
        GET: page(async (req, staff, deps) => {
          const done = req.query.get("created") ?? req.query.get("saved");
          return html(200, renderStaffListPage({ user: u(staff), accounts: await listStaff(deps, staff.principal), ...(done ? { notice: `已保存账户 ${done}。` } : {}) }));
        }),
      },
    },
    {
      path: `${ADMIN_USERS_PATH}/new`,
      methods: {
        GET: page(async (_req, staff, deps) => {
          await listStaff(deps, staff.principal); // administrators only
          return html(200, renderStaffFormPage({ user: u(staff), csrfToken: staff.principal.csrfToken }));
        }),
        POST: page(async (req, staff, deps) => {
          const form = readForm(req);
          checkCsrf(staff, req, form.csrfToken);
          const input = { username: form.username ?? "", displayName: form.displayName ?? "", roles: rolesFromForm(form), email: form.email ?? "", phone: optional(form.phone), initialPassword: form.initialPassword ?? "" };
          try {
            const created = await createStaff(deps, staff.principal, input);
            return redirect(`${ADMIN_USERS_PATH}?created=${encodeURIComponent(created.displayName)}`);
          } catch (error) {
            if (!(error instanceof AppError) || error.status >= 500 || error.status === 403) throw error;
            const errors = error.fields.length ? error.fields : [{ path: "", code: error.code, message: error.message }];
            return html(error.status, renderStaffFormPage({ user: u(staff), csrfToken: staff.principal.csrfToken, values: form, errors }));
          }
        }),
      },
    },
    {
      path: `${ADMIN_USERS_PATH}/{username}`,
      methods: {
        GET: page(async (req, staff, deps) => {
          const account = await viewStaff(deps, staff.principal, req.params.username ?? "");
          const n = req.query.get("notice");
          return html(200, renderStaffFormPage({ user: u(staff), csrfToken: staff.principal.csrfToken, account, ...(n === "saved" ? { notice: "已保存。" } : n === "reset" ? { notice: `已向 ${account.email} 发送重置密码链接。` } : {}) }));
        }),
        POST: page(async (req, staff, deps) => {
          const form = readForm(req);
          checkCsrf(staff, req, form.csrfToken);
          const username = req.params.username ?? "";
          const input = {
            displayName: form.displayName ?? "",
            email: form.email ?? "",
            phone: form.phone ?? "",
            roles: rolesFromForm(form),
            disabled: isTicked(form.disabled),
            ...(isTicked(form.removeTotp) ? { totpEnabled: false } : {}),
          };
          try {
            await updateStaff(deps, staff.principal, username, input);
            return redirect(`${userPath(username)}?notice=saved`);
          } catch (error) {
            if (!(error instanceof AppError) || error.status >= 500 || error.status === 403 || error.status === 404) throw error;
            const account = await viewStaff(deps, staff.principal, username);
            const errors = error.fields.length ? error.fields : [{ path: "", code: error.code, message: error.message }];
            return html(error.status, renderStaffFormPage({ user: u(staff), csrfToken: staff.principal.csrfToken, account, values: form, errors }));
          }
        }),
      },
    },
    {
      path: `${ADMIN_USERS_PATH}/{username}/password-reset`,
      methods: {
        POST: page(async (req, staff, deps) => {
          checkCsrf(staff, req, readForm(req).csrfToken);
          const username = req.params.username ?? "";
          await sendPasswordReset(deps, staff.principal, username);
          return redirect(`${userPath(username)}?notice=reset`);
        }),
      },
    },
    {
      path: SECURITY_TRAIL_PATH,
      methods: {
        GET: page(async (_req, staff, deps) => html(200, renderSecurityTrailPage({ user: u(staff), rows: await securityTrail(deps, staff.principal), days: 30 }))),
      },
    },
    {
      path: ADMIN_AGENCY_PATH,
      methods: {
        GET: page(async (req, staff, deps) =>
          html(200, renderAgencyPage({ user: u(staff), csrfToken: staff.principal.csrfToken, agency: await viewOwnAgency(deps, staff.principal), ...(req.query.get("saved") ? { notice: "已保存。" } : {}) })),
        ),
        POST: page(async (req, staff, deps) => {
          const form = readForm(req);
          checkCsrf(staff, req, form.csrfToken);
          try {
            await updateOwnAgency(deps, staff.principal, { ...agencyProfileFromForm(form), security: securityFromForm(form) });
            return redirect(`${ADMIN_AGENCY_PATH}?saved=1`);
          } catch (error) {
            if (!(error instanceof ValidationError)) throw error;
            return html(400, renderAgencyPage({ user: u(staff), csrfToken: staff.principal.csrfToken, agency: await viewOwnAgency(deps, staff.principal), values: form, errors: error.fields }));
          }
        }),
      },
    },
    {
      path: NEW_AGENCY_PATH,
      methods: {
        GET: page(async (req, staff, deps) => {
          await viewOwnAgency(deps, staff.principal); // administrators only
          const created = req.query.get("created");
          return html(200, renderNewAgencyPage({ user: u(staff), csrfToken: staff.principal.csrfToken, ...(created ? { created: { name: req.query.get("name") ?? "", code: created, administrator: req.query.get("admin") ?? "" } } : {}) }));
        }),
        POST: page(async (req, staff, deps) => {
          const form = readForm(req);
          checkCsrf(staff, req, form.csrfToken);
          const input = {
            code: form.code ?? "",
            ...agencyProfileFromForm(form),
            security: securityFromForm(form),
            administrator: {
              username: form["administrator.username"] ?? "",
              displayName: form["administrator.displayName"] ?? "",
              email: form["administrator.email"] ?? "",
              phone: optional(form["administrator.phone"]),
              initialPassword: form["administrator.initialPassword"] ?? "",
            },
          };
          try {
            const { agency, administrator } = await createAgencyAsAdmin(deps, staff.principal, input);
            const q = new URLSearchParams({ created: agency.code, name: agency.name, admin: administrator ? `${administrator.displayName}（${roleLabel("administrator")}）` : "" });
            return redirect(`${NEW_AGENCY_PATH}?${q.toString()}`);
          } catch (error) {
            if (!(error instanceof AppError) || error.status >= 500 || error.status === 403) throw error;
            const errors = error.fields.length ? error.fields : [{ path: "", code: error.code, message: error.message }];
            return html(error.status, renderNewAgencyPage({ user: u(staff), csrfToken: staff.principal.csrfToken, values: form, errors }));
          }
        }),
      },
    },
  ] satisfies Route[];
}

