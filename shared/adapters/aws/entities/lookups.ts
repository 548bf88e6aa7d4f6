import * as z from "zod";
import type { SignalRecord, TrackingRecord } from "../../../app/ports/store";
import type { Item } from "../table";
import { parseItem } from "./common";

/** Small lookup items: tracking numbers, signal index entries, once-only claims, mail send state. */

export const trackingKey = (trackingNumber: string) => ({ pk: `TRACK#${trackingNumber}`, sk: "TRACK" });
export const signalKey = (s: Pick<SignalRecord, "key" | "at" | "caseId">) => ({ pk: `SIGNAL#${s.key}`, sk: `${s.at}#${s.caseId}` });
export const claimKey = (key: string) => ({ pk: `CLAIM#${key}`, sk: "CLAIM" });
export const mailKey = (messageId: string) => ({ pk: `MAIL#${messageId}`, sk: "MAIL" });

const trackingSchema: z.ZodType<TrackingRecord> = z.object({ trackingNumber: z.string(), caseId: z.string(), accessCodeHash: z.string() });
const signalSchema: z.ZodType<SignalRecord> = z.object({ key: z.string(), caseId: z.string(), at: z.string(), reference: z.string() });
const mailSchema = z.object({ state: z.enum(["sending", "sent"]), claimedAt: z.string() });

export const trackingItem = (t: TrackingRecord): Item => ({ ...trackingKey(t.trackingNumber), ...t });
export const signalItem = (s: SignalRecord): Item => ({ ...signalKey(s), ...s });
export const claimItem = (key: string, value: Record<string, unknown>, expiresAt?: number): Item => ({
  ...claimKey(key),
  value,
  ...(expiresAt === undefined ? {} : { expiresAt }),
});

export const parseTracking = (item: Item | undefined) => parseItem(trackingSchema, item, "tracking");
export const parseSignal = (item: Item | undefined) => parseItem(signalSchema, item, "signal");
export const parseMail = (item: Item | undefined) => {
  if (!item) return undefined;
  const { state, claimedAt } = item;
  return parseItem(mailSchema, { state, claimedAt }, "mail");
};
