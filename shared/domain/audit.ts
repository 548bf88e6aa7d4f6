import { createHash } from "node:crypto";

/**
 * Audit events form a hash chain per case: each event's hash covers its content and
 * the previous event's hash, so altering or removing a past event breaks every hash
 * after it (存档备查: the trail is append-only and tamper-evident).
 */
export interface Actor {
  kind: "applicant" | "staff" | "system";
  username?: string;
  role?: string;
  displayName?: string;
}

export interface AuditEventContent {
  caseId: string;
  seq: number;
  at: string;
  actor: Actor;
  type: string;
  /** one line in Chinese for the timeline */
  summary: string;
  data?: Record<string, unknown>;
  /** shown to the applicant on the tracking page */
  applicantVisible?: boolean;
}

export interface AuditEvent extends AuditEventContent {
  prevHash: string;
  hash: string;
}

export const GENESIS_HASH = "0".repeat(64);

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function chainEvent(content: AuditEventContent, prevHash: string): AuditEvent {
  const hash = createHash("sha256").update(prevHash).update(canonical(content)).digest("hex");
  return { ...content, prevHash, hash };
}

/** Returns the seq of the first event whose chain is broken, or undefined when intact. */
export function verifyChain(events: AuditEvent[]): number | undefined {
  let prev = GENESIS_HASH;
  for (const event of [...events].sort((a, b) => a.seq - b.seq)) {
    const { prevHash, hash, ...content } = event;
    if (prevHash !== prev || chainEvent(content, prevHash).hash !== hash) return event.seq;
    prev = hash;
  }
  return undefined;
}
