/**
 * Pure checks and masking for the personal data an application carries:
 * resident ID numbers (GB 11643-1999), unified social credit codes (GB 32100-2015),
 * phone numbers, postal codes and email addresses. No I/O, no clock: callers pass `today`.
 */

/** "YYYY-MM-DD", a civil date in Asia/Shanghai (same shape as the calendar module's IsoDate). */
export type IsoDate = string;

// ---------------------------------------------------------------------------
// Resident identity card number 居民身份证号码 (GB 11643-1999)

const residentIdWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const residentIdCheckChars = "10X98765432";

/**
 * Province-level prefixes in use: mainland provinces plus 71 (Taiwan) and the
 * 81/82/83 prefixes of residence permits for Hong Kong, Macao and Taiwan residents.
 */
const provincePrefixes = new Set([
  "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
  "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
  "71", "81", "82", "83",
]);

/** The check character for the first 17 digits of a resident ID number. */
export function residentIdCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error("residentIdCheckChar needs exactly 17 digits");
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * residentIdWeights[i]!;
  return residentIdCheckChars[sum % 11]!;
}

export type ResidentIdProblem = "format" | "region" | "birth_date" | "checksum";

/** True when `date` (YYYYMMDD) is a real calendar date. */
function isRealDate(yyyymmdd: string): boolean {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  if (m < 1 || m > 12 || d < 1) return false;
  const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= daysInMonth;
}

/**
 * Checks a resident ID number; returns the first problem found or null when valid.
 * `today` bounds the birth date (not in the future); omit it to skip that bound (the
 * publication scanner has no "today").
 */
export function residentIdProblem(value: string, today?: IsoDate): ResidentIdProblem | null {
  const id = value.toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return "format";
  if (!provincePrefixes.has(id.slice(0, 2))) return "region";
  const birth = id.slice(6, 14);
  if (Number(birth.slice(0, 4)) < 1900 || !isRealDate(birth)) return "birth_date";
  if (today !== undefined && birth > today.replaceAll("-", "")) return "birth_date";
  if (residentIdCheckChar(id.slice(0, 17)) !== id[17]) return "checksum";
  return null;
}

export function isValidResidentId(value: string, today?: IsoDate): boolean {
  return residentIdProblem(value, today) === null;
}

// ---------------------------------------------------------------------------
// Unified social credit code 统一社会信用代码 (GB 32100-2015)

/** The 31 characters allowed: digits and capitals without I, O, Z, S, V. */
export const creditCodeCharset = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const creditCodeWeights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/** The check character for the first 17 characters of a unified social credit code. */
export function creditCodeCheckChar(first17: string): string {
  if (first17.length !== 17) throw new Error("creditCodeCheckChar needs exactly 17 characters");
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = creditCodeCharset.indexOf(first17[i]!);
    if (v < 0) throw new Error(`creditCodeCheckChar: character not allowed: ${first17[i]}`);
    sum += v * creditCodeWeights[i]!;
  }
  return creditCodeCharset[(31 - (sum % 31)) % 31]!;
}

export type CreditCodeProblem = "format" | "checksum";

export function creditCodeProblem(value: string): CreditCodeProblem | null {
  const code = value.toUpperCase();
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code)) return "format";
  if (creditCodeCheckChar(code.slice(0, 17)) !== code[17]) return "checksum";
  return null;
}

export function isValidCreditCode(value: string): boolean {
  return creditCodeProblem(value) === null;
}

// ---------------------------------------------------------------------------
// Phone, postal code, email

const mobilePattern = /^1[3-9]\d{9}$/;
/** Area code 0xx/0xxx, optional dash, 7–8 digit number, optional extension (-123, 转123, #123, ext123). */
const landlinePattern = /^0\d{2,3}-?\d{7,8}(?:(?:-|转|#|ext\.?|x)\d{1,6})?$/i;

export function isMobilePhone(value: string): boolean {
  return mobilePattern.test(value);
}

export function isLandlinePhone(value: string): boolean {
  return landlinePattern.test(value);
}

/** A contact phone: mainland mobile or landline with area code. */
export function isPhone(value: string): boolean {
  return isMobilePhone(value) || isLandlinePhone(value);
}

export function isPostalCode(value: string): boolean {
  return /^\d{6}$/.test(value);
}

// Same shape as zod's `z.email()` default pattern, so form and API agree.
const emailPattern = /^(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;

export function isEmail(value: string): boolean {
  return value.length <= 254 && emailPattern.test(value);
}

// ---------------------------------------------------------------------------
// Masking for lists, logs and reports (SPEC §6)

/** "张三丰" → "张*丰", "李四" → "李*", "欧阳娜娜" → "欧**娜". */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length === 0) return "";
  if (chars.length === 1) return "*";
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${"*".repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/** Keeps `head` leading and `tail` trailing characters, stars in between. */
function keepEnds(value: string, head: number, tail: number): string {
  const chars = Array.from(value);
  if (chars.length <= head + tail) return "*".repeat(chars.length);
  return chars.slice(0, head).join("") + "*".repeat(chars.length - head - tail) + chars.slice(chars.length - tail).join("");
}

/** "330102199001011234" → "3301**********1234"; shorter document numbers keep less. */
export function maskIdNumber(id: string): string {
  const v = id.trim();
  if (v.length >= 15) return keepEnds(v, 4, 4);
  if (v.length >= 6) return keepEnds(v, 1, 2);
  return keepEnds(v, 0, 1);
}

/** "13812345678" → "138****5678"; "0571-87654321" → "0571-****4321". */
export function maskPhone(phone: string): string {
  const v = phone.trim();
  if (isMobilePhone(v)) return keepEnds(v, 3, 4);
  const m = /^(0\d{2,3}-?)(\d{7,8})(.*)$/.exec(v);
  if (m) return `${m[1]}${"*".repeat(m[2]!.length - 4)}${m[2]!.slice(-4)}${m[3]!.length > 0 ? "-***" : ""}`;
  return keepEnds(v, 0, Math.min(4, Math.floor(v.length / 2)));
}

/** "zhangsan@example.com" → "z***@example.com". */
export function maskEmail(email: string): string {
  const v = email.trim();
  const at = v.lastIndexOf("@");
  if (at <= 0) return keepEnds(v, 0, 0);
  return `${Array.from(v.slice(0, at))[0]}***${v.slice(at)}`;
}

/** Keeps the district-level start of an address: "浙江省台州市黄岩区东城街道1号" → "浙江省台州市****". */
export function maskAddress(address: string): string {
  const chars = Array.from(address.trim());
  if (chars.length <= 6) return "*".repeat(chars.length);
  return `${chars.slice(0, 6).join("")}****`;
}

/** Unified social credit codes identify organisations, not people, but lists still shorten them. */
export function maskCreditCode(code: string): string {
  return keepEnds(code.trim(), 6, 4);
}

// ---------------------------------------------------------------------------
// Personal-data scanner for publication screening (SPEC §3.2)

export type PersonalDataKind = "resident_id" | "mobile_phone" | "bank_card";

export interface PersonalDataFinding {
  kind: PersonalDataKind;
  /** offset of the first character (UTF-16 index into the text) */
  start: number;
  /** offset just past the last character */
  end: number;
  text: string;
  /** what reviewers see; never the full number */
  masked: string;
}

export const personalDataKindLabels: Record<PersonalDataKind, string> = {
  resident_id: "居民身份证号码",
  mobile_phone: "手机号码",
  bank_card: "银行卡号",
};

export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const residentIdInText = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g;
const mobileInText = /(?<!\d)1[3-9]\d{9}(?!\d)/g;
// Plain 16–19 digits, or groups of four separated by single spaces/dashes as printed on cards.
const bankCardInText = /(?<![\d-])(?:\d{16,19}|\d{4}(?:[ -]\d{4}){3}(?:[ -]\d{1,3})?)(?![\d-])/g;

/**
 * Finds resident ID numbers (valid checksum and birth date), mobile numbers and bank
 * card numbers (16–19 digits passing Luhn) in free text. Findings are sorted by offset;
 * a number counted as a resident ID is not also reported as a bank card.
 */
export function findPersonalData(text: string): PersonalDataFinding[] {
  const findings: PersonalDataFinding[] = [];
  const taken: Array<[number, number]> = [];
  const overlaps = (s: number, e: number) => taken.some(([a, b]) => s < b && a < e);

  for (const m of text.matchAll(residentIdInText)) {
    if (!isValidResidentId(m[0])) continue;
    const start = m.index;
    findings.push({ kind: "resident_id", start, end: start + m[0].length, text: m[0], masked: maskIdNumber(m[0]) });
    taken.push([start, start + m[0].length]);
  }
  for (const m of text.matchAll(bankCardInText)) {
    const digits = m[0].replace(/[ -]/g, "");
    const start = m.index;
    const end = start + m[0].length;
    if (digits.length < 16 || digits.length > 19 || !luhnValid(digits) || overlaps(start, end)) continue;
    findings.push({ kind: "bank_card", start, end, text: m[0], masked: keepEnds(digits, 4, 4) });
    taken.push([start, end]);
  }
  for (const m of text.matchAll(mobileInText)) {
    const start = m.index;
    const end = start + m[0].length;
    if (overlaps(start, end)) continue;
    findings.push({ kind: "mobile_phone", start, end, text: m[0], masked: maskPhone(m[0]) });
  }
  return findings.sort((a, b) => a.start - b.start);
}
