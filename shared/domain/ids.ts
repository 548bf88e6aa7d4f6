import { createHash, randomBytes } from "node:crypto";

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/** Characters an applicant can read back over the phone without confusion (no 0/O, 1/I/L). */
const ACCESS_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/** Time-ordered unique id (ULID layout: 48-bit ms time + 80 random bits, Crockford base32). */
export function newId(now: Date, random: (n: number) => Uint8Array = randomBytes): string {
  let time = now.getTime();
  let timePart = "";
  for (let i = 0; i < 10; i++) {
    timePart = CROCKFORD[time % 32] + timePart;
    time = Math.floor(time / 32);
  }
  const bytes = random(16);
  let randomPart = "";
  for (let i = 0; i < 16; i++) randomPart += CROCKFORD[(bytes[i] ?? 0) % 32];
  return timePart + randomPart;
}

/** A private access code for the applicant: 10 characters ≈ 49 bits of entropy. */
export function newAccessCode(random: (n: number) => Uint8Array = randomBytes): string {
  const bytes = random(10);
  let code = "";
  for (let i = 0; i < 10; i++) code += ACCESS_CODE_ALPHABET[(bytes[i] ?? 0) % ACCESS_CODE_ALPHABET.length];
  return code;
}

export function normaliseAccessCode(code: string): string {
  return code.replace(/[\s-]/g, "").toUpperCase();
}

/** Access codes are random and long, so a fast salted hash is enough to keep them out of the table. */
export function hashAccessCode(trackingNumber: string, code: string): string {
  return createHash("sha256").update(`${trackingNumber}\n${normaliseAccessCode(code)}`).digest("hex");
}

/** Tracking number in the style of the agency's catalogue index numbers: agency code / year - sequence. */
export function formatTrackingNumber(agencyCode: string, year: number, sequence: number): string {
  return `${agencyCode}-${year}-${String(sequence).padStart(5, "0")}`;
}

export const trackingNumberPattern = /^\d{15}-\d{4}-\d{5,}$/;

/** Task ids embed their case id and round, so a task is read by key and a step can run again: `<caseId>-<step>-<round>`. */
export function taskIdFor(caseId: string, step: string, round = 1): string {
  return `${caseId}-${step}-${round}`;
}

export function caseIdOfTask(taskId: string): string | undefined {
  const caseId = taskId.split("-")[0];
  return caseId && /^[0-9A-Z]{26}$/.test(caseId) ? caseId : undefined;
}
