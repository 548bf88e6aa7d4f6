/**
 * The security trail of accounts and agencies (SPEC §6 存档备查): sign-ins and their
 * failures, password changes and resets, second factors, and every administrator's change
 * to staff and agencies, each one append-only record written in the same commit as the
 * change it records.
 */
import type { SecurityEvent, SecurityEventType, Write } from "../ports/store";
import { newId } from "../../domain/ids";

export interface SecurityActor {
  username: string;
  displayName: string;
}

/** The command-line tool, for what `npx gongkai admin …` does (no one signed in). */
export const CLI_ACTOR: SecurityActor = { username: "-", displayName: "命令行工具" };

export function securityWrite(e: {
  agencyCode: string;
  at: Date;
  type: SecurityEventType;
  username: string;
  clientIp?: string;
  summary: string;
  data?: Record<string, unknown>;
  actor?: SecurityActor;
}): Write {
  const event: SecurityEvent = {
    agencyCode: e.agencyCode,
    at: e.at.toISOString(),
    eventId: newId(e.at),
    type: e.type,
    username: e.username,
    clientIp: e.clientIp ?? "-",
    summary: e.summary,
    ...(e.data ? { data: e.data } : {}),
    ...(e.actor ? { actor: e.actor } : {}),
  };
  return { kind: "security", event };
}
