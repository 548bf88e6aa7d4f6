import * as z from "zod";
import type { Deadline } from "../../../domain/deadlines";
import type { Item } from "../table";

/** Key and index attributes of the single table; entity items carry their record beside them. */
const KEY_ATTRIBUTES = ["pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk"] as const;

/** The record of an item: its key attributes removed, then parsed with the entity's schema. */
export function parseItem<T>(schema: z.ZodType<T>, item: Item | undefined, what: string): T | undefined {
  if (!item) return undefined;
  const rest: Item = { ...item };
  for (const k of KEY_ATTRIBUTES) delete rest[k];
  const parsed = schema.safeParse(rest);
  if (!parsed.success) throw new Error(`stored ${what} ${String(item.pk)} does not match its schema: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const deadlineSchema: z.ZodType<Deadline> = z.object({
  kind: z.string(),
  periodWorkingDays: z.number().int(),
  maxExtensionDays: z.number().int().optional(),
  maxTotalWorkingDays: z.number().int().optional(),
  events: z.array(
    z.object({
      kind: z.enum(["start", "restart", "pause", "resume", "extend"]),
      on: isoDate,
      days: z.number().int().optional(),
      reason: z.string(),
      by: z.string(),
      byName: z.string().optional(),
      at: z.string(),
    }),
  ),
});
