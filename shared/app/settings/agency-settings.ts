/**
 * The office edits what the agency's public pages say of it (AgencyRecord.site: the footer
 * a government site must carry and the 政府信息公开指南) and its screening word lists
 * (AgencyRecord.screening). Only the office, its director and administrators may; every
 * field is checked (clean text, lengths, formats) and a refused input stores nothing.
 */
import * as z from "zod";
import type { AppDeps } from "../deps";
import type { StaffPrincipal } from "../auth";
import { ForbiddenError, NotFoundError, ValidationError, type FieldError } from "../errors";
import { shanghaiDate } from "../../domain/calendar";
import type { AgencyRecord, AgencySite } from "../../domain/records";
import type { Role } from "../../domain/roles";
import { prohibitedCategories, type ProhibitedCategory, type ScreeningSettings } from "../../domain/screening/types";
import { checkText } from "../../domain/text";
import { issuesToFields } from "../../schemas/staff";

/** Who may edit the agency's site profile and screening settings. */
export const SETTINGS_ROLES = ["office_staff", "office_director", "administrator"] as const satisfies readonly Role[];

export function mayEditSettings(roles: readonly string[]): boolean {
  return roles.some((r) => (SETTINGS_ROLES as readonly string[]).includes(r));
}

export const SITE_LIMITS = {
  /** every one-line field, and a section's heading */
  field: 200,
  sections: 30,
  body: 5_000,
  /** rows a form may post (sections, the empty row and removed ones) */
  rows: 60,
} as const;

export const SCREENING_LIMITS = { words: 500, word: 50 } as const;

/**
 * The agency is one DynamoDB item (at most 400 KB): what the office may put in it stays
 * well below that, whatever combination of long guide and long word lists it types.
 */
export const MAX_AGENCY_BYTES = 350_000;

export const siteFieldLabels = {
  organiser: "主办单位",
  address: "联系地址",
  postalCode: "邮政编码",
  phone: "联系电话",
  fax: "传真",
  email: "电子邮箱",
  hours: "办公时间",
  siteCode: "网站标识码",
  icp: "ICP备案号",
  psb: "公安机关备案号",
} as const;

export type SiteField = keyof typeof siteFieldLabels;
export const siteFields = Object.keys(siteFieldLabels) as SiteField[];

/** What the site form posts; absent and empty fields are not stored. */
export interface SiteProfileInput extends Partial<Record<SiteField, string>> {
  /** the guide's rows in form order; empty rows and rows marked `remove` are dropped */
  guide?: Array<{ heading?: string; body?: string; remove?: boolean }>;
}

/** What the screening form posts: per category the words, one a line (or as a list). */
export interface ScreeningSettingsInput {
  wordLists?: Partial<Record<ProhibitedCategory, string | string[]>>;
  flagIndividualCreditCodes: boolean;
}

type Deps = Pick<AppDeps, "store" | "clock">;
type Principal = Pick<StaffPrincipal, "agencyCode" | "roles">;

// ---- schemas -----------------------------------------------------------------------

/** The text rule of shared/domain/text.ts, naming the field. */
const clean = (label: string, multiline = false) => (v: string, ctx: z.RefinementCtx) => {
  const problem = checkText(label, v, { multiline });
  if (problem) ctx.addIssue({ code: "custom", message: problem.message, params: { code: problem.code } });
};

const text = (label: string, max: number, multiline = false) =>
  z
    .string({ error: `${label}应为文本` })
    .transform((v) => (multiline ? v.replace(/\r\n?/g, "\n") : v).trim())
    .superRefine(clean(label, multiline))
    .pipe(z.string().max(max, `${label}不能超过 ${max} 个字`));

const PHONE = /^[0-9\-\s()（）]+$/;

const phone = (label: string) =>
  text(label, SITE_LIMITS.field).superRefine((v, ctx) => {
    if (v && (!PHONE.test(v) || !/\d/.test(v))) {
      ctx.addIssue({ code: "custom", message: `${label}只能填写数字、连字符“-”、空格和括号，例如 0576-84111111`, params: { code: "invalid_format" } });
    }
  });

const siteSchema = z.object({
  organiser: text(siteFieldLabels.organiser, SITE_LIMITS.field).optional(),
  address: text(siteFieldLabels.address, SITE_LIMITS.field).optional(),
  postalCode: text(siteFieldLabels.postalCode, SITE_LIMITS.field)
    .superRefine((v, ctx) => {
      if (v && !/^\d{6}$/.test(v)) ctx.addIssue({ code: "custom", message: "邮政编码应为 6 位数字", params: { code: "invalid_format" } });
    })
    .optional(),
  phone: phone(siteFieldLabels.phone).optional(),
  fax: phone(siteFieldLabels.fax).optional(),
  email: text(siteFieldLabels.email, SITE_LIMITS.field)
    .superRefine((v, ctx) => {
      if (v && !z.email().safeParse(v).success) {
        ctx.addIssue({ code: "custom", message: "电子邮箱格式不正确，例如 hyxzfw@example.gov.cn", params: { code: "invalid_format" } });
      }
    })
    .optional(),
  hours: text(siteFieldLabels.hours, SITE_LIMITS.field).optional(),
  siteCode: text(siteFieldLabels.siteCode, SITE_LIMITS.field).optional(),
  icp: text(siteFieldLabels.icp, SITE_LIMITS.field).optional(),
  psb: text(siteFieldLabels.psb, SITE_LIMITS.field).optional(),
  guide: z
    .array(
      z.object(
        {
          // the section's number is put in front of these messages (sectionMessage)
          heading: text("标题", SITE_LIMITS.field).optional(),
          body: text("正文", SITE_LIMITS.body, true).optional(),
          remove: z.boolean({ error: "“删除本节”应为是或否" }).optional(),
        },
        { error: "指南的每一节应为一个对象" },
      ),
      { error: "政府信息公开指南应为章节列表" },
    )
    .max(SITE_LIMITS.rows, `政府信息公开指南一次最多提交 ${SITE_LIMITS.rows} 行`)
    .optional(),
});

/** 政府信息公开指南第 N 节：<message> for the rows of the guide. */
function sectionMessage(fields: FieldError[]): FieldError[] {
  return fields.map((f) => {
    const m = /^guide\.(\d+)\.(heading|body|remove)$/.exec(f.path);
    return m ? { ...f, message: `政府信息公开指南第 ${Number(m[1]) + 1} 节：${f.message}` } : f;
  });
}

const categoryLabel = (code: ProhibitedCategory) => prohibitedCategories.find((c) => c.code === code)!.label;

/** One category's words: one a line, trimmed, empty lines and repeats dropped, each checked. */
const wordList = (code: ProhibitedCategory) => {
  const label = `「${categoryLabel(code)}」`;
  return z
    .union([z.string(), z.array(z.string())], { error: `${label}词表应为文本，每行一个词` })
    .transform((v, ctx) => {
      const lines = typeof v === "string" ? v.split(/\r\n|\r|\n/) : v;
      const words: string[] = [];
      const seen = new Set<string>();
      lines.forEach((raw, i) => {
        const word = raw.trim();
        if (!word || seen.has(word)) return;
        const problem = checkText(`${label}词表第 ${i + 1} 行`, word);
        if (problem) ctx.addIssue({ code: "custom", message: problem.message, params: { code: problem.code } });
        else if (word.length > SCREENING_LIMITS.word) {
          ctx.addIssue({ code: "custom", message: `${label}词表第 ${i + 1} 行的词超过 ${SCREENING_LIMITS.word} 个字：${word.slice(0, 12)}…`, params: { code: "too_long" } });
        }
        seen.add(word);
        words.push(word);
      });
      if (words.length > SCREENING_LIMITS.words) {
        ctx.addIssue({ code: "custom", message: `${label}词表最多 ${SCREENING_LIMITS.words} 个词，现有 ${words.length} 个`, params: { code: "too_long" } });
      }
      return words;
    });
};

const screeningSchema = z.object({
  wordLists: z
    .object(
      Object.fromEntries(prohibitedCategories.map((c) => [c.code, wordList(c.code).optional()])) as Record<ProhibitedCategory, z.ZodOptional<ReturnType<typeof wordList>>>,
      { error: "词表应为按类别的对象" },
    )
    .optional(),
  flagIndividualCreditCodes: z.boolean({ error: "请选择是否标记个体工商户的统一社会信用代码" }),
});

// ---- use cases ---------------------------------------------------------------------

async function agencyOf(deps: Deps, principal: Principal): Promise<AgencyRecord> {
  if (!mayEditSettings(principal.roles)) throw new ForbiddenError("只有办公室、办公室主任和系统管理员可以修改本机关的设置");
  const agency = await deps.store.directory.agency(principal.agencyCode);
  if (!agency) throw new NotFoundError("未找到本机关");
  return agency;
}

/** The agency's settings as the settings pages show them, for those who may edit them. */
export async function readAgencySettings(deps: Deps, principal: Principal): Promise<Pick<AgencyRecord, "name" | "site" | "screening">> {
  const agency = await agencyOf(deps, principal);
  return { name: agency.name, ...(agency.site ? { site: agency.site } : {}), ...(agency.screening ? { screening: agency.screening } : {}) };
}

function refuse(message: string, fields: FieldError[]): never {
  throw new ValidationError("VALIDATION_FAILED", message, fields);
}

/** Stores the agency, unless it would not fit in its item. */
async function store(deps: Deps, agency: AgencyRecord, path: string) {
  const bytes = Buffer.byteLength(JSON.stringify(agency), "utf8");
  if (bytes > MAX_AGENCY_BYTES) {
    refuse("内容过多，未保存", [{ path, code: "too_long", message: `本机关的设置合计不能超过 ${Math.floor(MAX_AGENCY_BYTES / 1000)} KB（现约 ${Math.ceil(bytes / 1000)} KB），请精简指南或词表` }]);
  }
  await deps.store.directory.putAgency(agency);
}

const textOrEmpty = (v: unknown) => (typeof v === "string" ? v.trim() : "");

/** The guide's rows of an input the schema refused, as far as they can be read. */
function looseRows(input: unknown): Array<{ heading: string; body: string; remove: boolean }> {
  const guide = input && typeof input === "object" ? (input as { guide?: unknown }).guide : undefined;
  if (!Array.isArray(guide)) return [];
  return guide.slice(0, SITE_LIMITS.rows).map((row: unknown) => {
    const r = row && typeof row === "object" ? (row as Record<string, unknown>) : {};
    return { heading: textOrEmpty(r.heading), body: textOrEmpty(r.body), remove: r.remove === true };
  });
}

const sameSections = (a: Array<{ heading: string; body: string }> | undefined, b: Array<{ heading: string; body: string }>) =>
  JSON.stringify(a ?? []) === JSON.stringify(b);

/**
 * Replaces the agency's public site profile. Empty fields are not stored; the guide keeps
 * its sections in form order, without empty rows and rows marked for removal, and its
 * 更新日期 becomes today (Beijing) when its sections changed.
 */
export async function updateSiteProfile(deps: Deps, principal: Principal, input: unknown): Promise<AgencySite> {
  const agency = await agencyOf(deps, principal);
  const parsed = siteSchema.safeParse(input);
  const fields: FieldError[] = parsed.success ? [] : sectionMessage(issuesToFields(parsed.error));
  const at = new Set(fields.map((f) => f.path));

  const sections: Array<{ heading: string; body: string }> = [];
  // the rows as typed, when some other field was refused: their own gaps are said at once too
  const rows = parsed.success ? (parsed.data.guide ?? []) : looseRows(input);
  rows.forEach((row, i) => {
    const heading = row.heading ?? "";
    const body = row.body ?? "";
    if (row.remove || (!heading && !body)) return;
    if (!heading && !at.has(`guide.${i}.heading`)) fields.push({ path: `guide.${i}.heading`, code: "required", message: `政府信息公开指南第 ${i + 1} 节：请填写标题` });
    if (!body && !at.has(`guide.${i}.body`)) fields.push({ path: `guide.${i}.body`, code: "required", message: `政府信息公开指南第 ${i + 1} 节：请填写正文` });
    sections.push({ heading, body });
  });
  if (sections.length > SITE_LIMITS.sections) {
    fields.push({ path: "guide", code: "too_long", message: `政府信息公开指南最多 ${SITE_LIMITS.sections} 节，现有 ${sections.length} 节，请合并或删除部分章节` });
  }
  if (!parsed.success || fields.length > 0) refuse("网站信息有误，未保存", fields);

  const site: AgencySite = {};
  for (const key of siteFields) {
    const value = parsed.data[key];
    if (value) site[key] = value;
  }
  if (sections.length > 0) {
    const before = agency.site?.guide;
    const updatedOn = before && sameSections(before.sections, sections) ? before.updatedOn : shanghaiDate(deps.clock.now());
    site.guide = { updatedOn, sections };
  }
  await store(deps, { ...agency, site }, "guide");
  return site;
}

/** Replaces the agency's screening word lists and switches. */
export async function updateScreeningSettings(deps: Deps, principal: Principal, input: unknown): Promise<ScreeningSettings> {
  const agency = await agencyOf(deps, principal);
  const parsed = screeningSchema.safeParse(input);
  if (!parsed.success) refuse("内容检查设置有误，未保存", issuesToFields(parsed.error));
  const wordLists: ScreeningSettings["wordLists"] = {};
  for (const { code } of prohibitedCategories) {
    const words = parsed.data.wordLists?.[code];
    if (words && words.length > 0) wordLists[code] = words;
  }
  const screening: ScreeningSettings = { wordLists, flagIndividualCreditCodes: parsed.data.flagIndividualCreditCodes };
  await store(deps, { ...agency, screening }, "");
  return screening;
}
