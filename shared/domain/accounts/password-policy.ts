/**
 * The back-office password rule of seed 政务公开网站安全防护制度 第二条: at least 8
 * characters with letters, digits and a special symbol, not derived from personal, agency
 * or device information, changed regularly (SPEC §3.8, §7.4). Pure: the caller gives the
 * person's and the agency's facts; the answers are Chinese, one per broken rule.
 */
import { isCommonPassword } from "./common-passwords";

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;
/** the last N passwords (the current one included) may not be chosen again */
export const PASSWORD_HISTORY = 5;
export const DEFAULT_PASSWORD_MAX_AGE_DAYS = 90;

export type PasswordRule =
  | "too_short"
  | "too_long"
  | "no_letter"
  | "no_digit"
  | "no_symbol"
  | "whitespace"
  | "contains_username"
  | "contains_name"
  | "contains_phone"
  | "contains_agency_name"
  | "contains_agency_code"
  | "common_password";

/** What a password must not contain: the person's and the agency's own facts. */
export interface PasswordContext {
  username: string;
  displayName?: string;
  phone?: string;
  agencyName?: string;
  agencyCode?: string;
}

export interface PasswordProblem {
  rule: PasswordRule;
  message: string;
}

const LETTER = /\p{L}/u;
const DIGIT = /\d/;
/** a special symbol: printable, neither letter, digit nor space */
const SYMBOL = /[^\p{L}\p{N}\s]/u;

const fold = (s: string) => s.normalize("NFKC").toLowerCase();

/**
 * The parts of a value a password may not contain: the whole (without spaces) and, for a
 * name written in Latin letters or with a title before it ("办公室 王敏"), each word.
 * Latin parts count from 3 characters on (shorter ones occur by chance), CJK from 2.
 */
function partsOf(value: string | undefined): string[] {
  if (!value) return [];
  const folded = fold(value).trim();
  const words = [folded.replace(/\s+/g, ""), ...folded.split(/[\s·.,，、_-]+/)];
  return [...new Set(words)].filter((w) => (/^[ -~]+$/.test(w) ? w.length >= 3 : Array.from(w).length >= 2));
}

/** A phone's digit runs of 6 and more (area code and number of a landline, the whole mobile). */
function phoneParts(phone: string | undefined): string[] {
  if (!phone) return [];
  const digits = phone.replace(/\D/g, "");
  const runs = phone.split(/\D+/).filter((r) => r.length >= 6);
  return [...new Set([digits, ...runs])].filter((r) => r.length >= 6);
}

const containsAny = (password: string, parts: string[]) => parts.some((p) => password.includes(p));

/**
 * Every rule the password breaks (empty: acceptable), in the order a person fixes them.
 * Reuse of a recent password needs the stored hashes and is checked by the caller.
 */
export function passwordProblems(password: string, context: PasswordContext): PasswordProblem[] {
  const out: PasswordProblem[] = [];
  const add = (rule: PasswordRule, message: string) => out.push({ rule, message });
  const length = Array.from(password).length;
  if (length < PASSWORD_MIN_LENGTH) add("too_short", `密码至少 ${PASSWORD_MIN_LENGTH} 位，现为 ${length} 位`);
  if (length > PASSWORD_MAX_LENGTH) add("too_long", `密码不能超过 ${PASSWORD_MAX_LENGTH} 位`);
  if (/\s/.test(password)) add("whitespace", "密码不能含有空格或换行");
  if (!LETTER.test(password)) add("no_letter", "密码须含有字母");
  if (!DIGIT.test(password)) add("no_digit", "密码须含有数字");
  if (!SYMBOL.test(password)) add("no_symbol", "密码须含有特殊符号（如 # @ ! % & * 等）");
  const p = fold(password);
  if (containsAny(p, partsOf(context.username))) add("contains_username", "密码不能包含用户名");
  if (containsAny(p, partsOf(context.displayName))) add("contains_name", "密码不能包含本人姓名");
  if (containsAny(p, phoneParts(context.phone))) add("contains_phone", "密码不能包含本人电话号码");
  if (containsAny(p, partsOf(context.agencyName))) add("contains_agency_name", "密码不能包含本机关名称");
  if (context.agencyCode && context.agencyCode.length >= 3 && p.includes(fold(context.agencyCode))) add("contains_agency_code", "密码不能包含本机关的机关代码");
  if (isCommonPassword(password)) add("common_password", "该密码属于常见弱密码，容易被猜中，请另选");
  return out;
}

/** The first problem's message joined with the rest: what a form shows under the field. */
export function passwordProblemText(problems: PasswordProblem[]): string {
  return problems.map((p) => p.message).join("；");
}

/** Whether a password last changed at `changedAt` has expired at `now` (maxAgeDays 0: never). */
export function passwordExpired(changedAt: string | undefined, now: Date, maxAgeDays: number): boolean {
  if (maxAgeDays <= 0) return false;
  const at = changedAt ? Date.parse(changedAt) : NaN;
  // no known change date: it is due (a record from before the policy)
  if (Number.isNaN(at)) return true;
  return now.getTime() >= at + maxAgeDays * 24 * 3600 * 1000;
}
