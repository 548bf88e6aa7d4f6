/** Shell of the staff console: header with the signed-in user, navigation, sign-out button (POST + CSRF). */
import { roleLabel } from "../../domain/roles";
import type { Html } from "../html";
import { html, raw } from "../html";
import { renderPage } from "../layout";

export const consoleSiteName = "政务公开办理平台";

export interface ConsoleUser {
  displayName: string;
  roles: string[];
  agencyName: string;
  /** the session's CSRF token, used by the sign-out form when the page is not given one */
  csrfToken?: string | undefined;
}

export interface ConsolePageInput {
  title: string;
  /**
   * page body. A plain string is taken as trusted markup produced by another template
   * (e.g. the calendar page fragment) — never pass user input as a string here.
   */
  main: Html | string;
  /** absent on the sign-in page */
  user?: ConsoleUser;
  csrfToken?: string | undefined;
  current?: "inbox" | "calendar";
  hasErrors?: boolean;
  /** where the sign-out form posts */
  logoutAction?: string;
}

export function rolesText(roles: string[]): string {
  return roles.map(roleLabel).join("、");
}

/** The sign-out button: a POST form carrying the CSRF token (a link would let any page sign you out). */
export function signOutForm(csrfToken: string | undefined, action = "/console/logout"): Html {
  return html`<form method="post" action="${action}">${
    csrfToken === undefined ? "" : html`<input type="hidden" name="csrfToken" value="${csrfToken}">`
  }<button type="submit" class="link">退出登录</button></form>`;
}

export function renderConsolePage(o: ConsolePageInput): string {
  const headerExtra = o.user
    ? html`<div class="who">${o.user.agencyName} · ${o.user.displayName}（${rolesText(o.user.roles)}） ${signOutForm(o.csrfToken ?? o.user.csrfToken, o.logoutAction)}</div>`
    : undefined;
  return renderPage({
    title: o.title,
    siteName: consoleSiteName,
    homeHref: "/console",
    main: typeof o.main === "string" ? raw(o.main) : o.main,
    hasErrors: o.hasErrors ?? false,
    ...(headerExtra ? { headerExtra } : {}),
    ...(o.user
      ? {
          nav: [
            { href: "/console", label: "待办任务", current: o.current === "inbox" },
            { href: "/console/calendar", label: "工作日历", current: o.current === "calendar" },
          ],
        }
      : {}),
  });
}
