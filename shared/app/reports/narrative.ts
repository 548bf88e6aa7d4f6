import type { AppDeps } from "../deps";
import type { StaffPrincipal } from "../auth";
import { ForbiddenError, ValidationError, type FieldError } from "../errors";
import { shanghaiDate } from "../../domain/calendar";
import { columnLabel } from "../../domain/catalogue/columns";
import type { AnnualReport } from "../../domain/report/annual";
import {
  draftNarrative,
  NARRATIVE_MAX_CHARS,
  narrativeKeys,
  narrativeOf,
  narrativeSections,
  type EditedSection,
  type NarrativeFacts,
  type NarrativeKey,
  type NarrativeSection,
} from "../../domain/report/narrative";
import type { Role } from "../../domain/roles";
import { annualReport, applicationCases, parseReportYear } from "./annual";
import { feeTotals, type FeeRecordFacts } from "../../domain/fees";

/**
 * The annual report's six text sections (shared/domain/report/narrative.ts): drafts from
 * the year's figures, and what the office edited, kept in the files bucket next to the
 * hand-entered figures — one object per agency and year, replaced on each save.
 */

const EDIT_ROLES: Role[] = ["office_staff", "office_director"];

const narrativeKey = (agencyCode: string, year: number) => `reports/annual/${agencyCode}/${year}/narrative.json`;

async function editedSections(deps: AppDeps, agencyCode: string, year: number): Promise<Partial<Record<NarrativeKey, EditedSection>>> {
  const stored = await deps.files.get(narrativeKey(agencyCode, year));
  return stored ? (JSON.parse(Buffer.from(stored.body).toString("utf8")) as { sections: Partial<Record<NarrativeKey, EditedSection>> }).sections : {};
}

/** What the drafts need beyond the tables: the catalogue entries published in the year, and the processing fees notified and collected. */
export async function narrativeFacts(deps: AppDeps, agencyCode: string, year: number): Promise<NarrativeFacts> {
  const [catalogue, cases] = await Promise.all([deps.store.catalogue.list(agencyCode), applicationCases(deps, agencyCode, year)]);
  const entries = catalogue.filter((e) => e.publishedOn.startsWith(`${year}-`));
  const fees = cases.map((c) => c.data.fee as FeeRecordFacts | undefined).filter((f): f is FeeRecordFacts => f !== undefined);
  const byColumn = new Map<string, number>();
  for (const e of entries) byColumn.set(e.column, (byColumn.get(e.column) ?? 0) + 1);
  return {
    published: {
      total: entries.length,
      byColumn: [...byColumn].sort((a, b) => b[1] - a[1]).map(([column, count]) => ({ label: columnLabel(column), count })),
    },
    fees: feeTotals(fees, year),
  };
}

/** The six sections of a report: the edited text where there is one, the figures' draft where not. */
export async function annualNarrative(deps: AppDeps, report: AnnualReport): Promise<NarrativeSection[]> {
  const [facts, edited] = await Promise.all([narrativeFacts(deps, report.agency.code, report.year), editedSections(deps, report.agency.code, report.year)]);
  return narrativeOf(report, facts, edited);
}

/**
 * `POST /api/v1/reports/annual/narrative` `{year, sections: {overview: "…", …}}`: saves the
 * sections given (an empty text, or the draft itself, goes back to the draft), keeps the others as they were.
 */
export async function saveNarrative(deps: AppDeps, principal: StaffPrincipal, body: unknown): Promise<{ year: number; saved: NarrativeKey[] }> {
  if (!principal.roles.some((r) => EDIT_ROLES.includes(r))) throw new ForbiddenError("当前角色无权编辑年度报告文字部分");
  const b = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
  const errors: FieldError[] = [];
  let year = 0;
  try {
    year = parseReportYear(b.year === undefined ? undefined : String(b.year), shanghaiDate(deps.clock.now()));
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    errors.push(...error.fields);
  }
  const sections = b.sections && typeof b.sections === "object" && !Array.isArray(b.sections) ? (b.sections as Record<string, unknown>) : undefined;
  if (!sections || Object.keys(sections).length === 0) errors.push({ path: "sections", code: "required", message: `请填写至少一个部分的文字（${narrativeSections.map((s) => `${s.key} ${s.heading}`).join("、")}）` });
  const texts: Partial<Record<NarrativeKey, string>> = {};
  for (const [key, text] of Object.entries(sections ?? {})) {
    const section = narrativeSections.find((s) => s.key === key);
    if (!section) errors.push({ path: `sections.${key}`, code: "not_allowed", message: `没有这个部分（可填：${narrativeKeys.join("、")}）` });
    else if (typeof text !== "string") errors.push({ path: `sections.${key}`, code: "wrong_type", message: `${section.heading}应为文字` });
    else if (text.length > NARRATIVE_MAX_CHARS) errors.push({ path: `sections.${key}`, code: "too_long", message: `${section.heading}不能超过 ${NARRATIVE_MAX_CHARS} 字` });
    else texts[section.key] = text.replace(/\r\n?/g, "\n").trim();
  }
  if (errors.length) throw new ValidationError("VALIDATION_FAILED", "年度报告文字部分有误，请按提示修改", errors);

  const [edited, report, facts] = await Promise.all([editedSections(deps, principal.agencyCode, year), annualReport(deps, principal.agencyCode, year), narrativeFacts(deps, principal.agencyCode, year)]);
  const drafts = draftNarrative(report, facts);
  const at = deps.clock.now().toISOString();
  for (const [key, text] of Object.entries(texts) as Array<[NarrativeKey, string]>) {
    // the draft sent back unchanged (the console form sends every section) stays a draft, following the figures
    if (text === "" || text === drafts[key]) delete edited[key];
    // saving the same text again keeps who wrote it and when
    else if (edited[key]?.text !== text) edited[key] = { text, editedBy: principal.displayName, editedAt: at };
  }
  await deps.files.put(narrativeKey(principal.agencyCode, year), JSON.stringify({ sections: edited }), "application/json");
  return { year, saved: Object.keys(texts) as NarrativeKey[] };
}
