import * as z from "zod";
import type { AgencyRecord, SessionRecord, UserRecord } from "../../../domain/records";
import { roles } from "../../../domain/roles";
import { prohibitedCategories, type ProhibitedCategory } from "../../../domain/screening/types";
import type { Item } from "../table";
import { parseItem } from "./common";

/** Agencies, their staff, sessions and per-agency counters. */

const AGENCIES = "AGENCIES";

export const agencyKey = (code: string) => ({ pk: `AGENCY#${code}`, sk: "PROFILE" });
export const userKey = (agencyCode: string, username: string) => ({ pk: `AGENCY#${agencyCode}`, sk: `USER#${username}` });
export const counterKey = (agencyCode: string, name: string) => ({ pk: `AGENCY#${agencyCode}`, sk: `COUNTER#${name}` });
export const sessionKey = (tokenHash: string) => ({ pk: `SESSION#${tokenHash}`, sk: "SESSION" });
export const agenciesIndex = { index: "gsi2" as const, pk: AGENCIES };

const agencySchema: z.ZodType<AgencyRecord> = z.object({
  code: z.string(),
  name: z.string(),
  officeContact: z.string().optional(),
  letterhead: z.string().optional(),
  letterPrefix: z.string().optional(),
  reviewAuthority: z.string().optional(),
  court: z.string().optional(),
  officeAddress: z.string().optional(),
  site: z
    .object({
      organiser: z.string().optional(),
      address: z.string().optional(),
      postalCode: z.string().optional(),
      phone: z.string().optional(),
      fax: z.string().optional(),
      email: z.string().optional(),
      hours: z.string().optional(),
      siteCode: z.string().optional(),
      icp: z.string().optional(),
      psb: z.string().optional(),
      guide: z.object({ updatedOn: z.string(), sections: z.array(z.object({ heading: z.string(), body: z.string() })) }).optional(),
    })
    .optional(),
  screening: z
    .object({
      wordLists: z.partialRecord(z.enum(prohibitedCategories.map((c) => c.code) as [ProhibitedCategory, ...ProhibitedCategory[]]), z.array(z.string())),
      flagIndividualCreditCodes: z.boolean(),
    })
    .optional(),
  security: z.object({ totpRoles: z.array(z.enum(roles)), passwordMaxAgeDays: z.number(), sessionIdleMinutes: z.number() }).optional(),
  createdAt: z.string().optional(),
  duty: z.object({ sites: z.array(z.string()).optional(), inspectionEveryWeeks: z.number().optional() }).optional(),
});

const userSchema: z.ZodType<UserRecord> = z.object({
  agencyCode: z.string(),
  username: z.string(),
  displayName: z.string(),
  email: z.string(),
  roles: z.array(z.enum(roles)),
  passwordHash: z.string(),
  disabled: z.boolean().optional(),
  tokensValidAfter: z.string().optional(),
  phone: z.string().optional(),
  version: z.number().optional(),
  createdAt: z.string().optional(),
  passwordChangedAt: z.string().optional(),
  passwordHistory: z.array(z.string()).optional(),
  mustChangePassword: z.boolean().optional(),
  passwordNeverExpires: z.boolean().optional(),
  lastSignInAt: z.string().optional(),
  totpEnabled: z.boolean().optional(),
  totpSecret: z.string().optional(),
  totpPendingSecret: z.string().optional(),
  totpLastStep: z.number().optional(),
  passwordReset: z.object({ tokenHash: z.string(), expiresAt: z.string() }).optional(),
});

const sessionSchema: z.ZodType<SessionRecord> = z.object({
  tokenHash: z.string(),
  agencyCode: z.string(),
  username: z.string(),
  csrfToken: z.string(),
  createdAt: z.string(),
  expiresAt: z.number(),
  lastSeenAt: z.string().optional(),
});

export const agencyItem = (a: AgencyRecord): Item => ({ ...agencyKey(a.code), gsi2pk: AGENCIES, gsi2sk: a.code, ...a });
export const userItem = (u: UserRecord): Item => ({ ...userKey(u.agencyCode, u.username), ...u });
export const sessionItem = (s: SessionRecord): Item => ({ ...sessionKey(s.tokenHash), ...s });

export const parseAgency = (item: Item | undefined) => parseItem(agencySchema, item, "agency");
export const parseUser = (item: Item | undefined) => parseItem(userSchema, item, "user");
export const parseSession = (item: Item | undefined) => parseItem(sessionSchema, item, "session");
