import { randomBytes, timingSafeEqual } from "node:crypto";

/**
 * CSRF protection for the local-only pages (the clock, the mail catcher), which have no
 * session: a double-submit token. The page sets a random token in an HttpOnly,
 * SameSite=Strict cookie and repeats it in each form; a post counts only when both agree.
 * A page on another site can make the browser post, but it can neither read nor set the
 * cookie (and a strict cookie is not even sent with its post), so its post is refused —
 * moving the clock expires every session, and clearing the inbox loses the mail.
 */
export const LOCAL_CSRF_COOKIE = "gk_local_csrf";
export const LOCAL_CSRF_FIELD = "csrfToken";

const TOKEN = /^[A-Za-z0-9_-]{32}$/;
const COOKIE_SECONDS = 24 * 3600;

/** Refusal text for a post without the page's token. */
export const LOCAL_CSRF_REFUSED = "页面已过期或请求来源无效，请刷新页面后重试";

/** The value of one cookie in a Cookie header (or a parsed map). */
export function cookieValue(cookies: string | Record<string, string> | undefined, name: string): string | undefined {
  if (!cookies) return undefined;
  if (typeof cookies !== "string") return cookies[name];
  for (const part of cookies.split(";")) {
    const i = part.indexOf("=");
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

/**
 * The token for a page: the browser's own if it has a well-formed one (two open tabs keep
 * working), a new one otherwise; `setCookie` is the Set-Cookie value to send with the page.
 * Path=/ because the mail catcher is served at / on its own port as well as at /local/mail.
 */
export function issueLocalCsrf(existing: string | undefined): { token: string; setCookie: string } {
  const token = existing && TOKEN.test(existing) ? existing : randomBytes(24).toString("base64url");
  return { token, setCookie: `${LOCAL_CSRF_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${COOKIE_SECONDS}` };
}

/** Whether a post carries the token its cookie holds. */
export function localCsrfValid(cookieToken: string | undefined, formToken: string | undefined): boolean {
  if (!cookieToken || !formToken || !TOKEN.test(cookieToken)) return false;
  const a = Buffer.from(cookieToken);
  const b = Buffer.from(formToken);
  return a.length === b.length && timingSafeEqual(a, b);
}

export const csrfHiddenInput = (token: string) => `<input type="hidden" name="${LOCAL_CSRF_FIELD}" value="${token}">`;
