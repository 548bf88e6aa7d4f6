import * as z from "zod";
import type { AuditEvent } from "../../../domain/audit";
import type { Item } from "../table";
import { parseItem } from "./common";

/** Audit events: `CASE#<id> / EVENT#<seq>`, append-only, each hash covering the one before. */

export const eventKey = (caseId: string, seq: number) => ({ pk: `CASE#${caseId}`, sk: `EVENT#${String(seq).padStart(6, "0")}` });

const eventSchema: z.ZodType<AuditEvent> = z.object({
  caseId: z.string(),
  seq: z.number().int(),
  at: z.string(),
  actor: z.object({
    kind: z.enum(["applicant", "staff", "system"]),
    username: z.string().optional(),
    role: z.string().optional(),
    displayName: z.string().optional(),
  }),
  type: z.string(),
  summary: z.string(),
  data: z.record(z.string(), z.unknown()).optional(),
  applicantVisible: z.boolean().optional(),
  prevHash: z.string(),
  hash: z.string(),
});

export const eventItem = (e: AuditEvent): Item => ({ ...eventKey(e.caseId, e.seq), ...e });
export const parseEvent = (item: Item | undefined) => parseItem(eventSchema, item, "event");
