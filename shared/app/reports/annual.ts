import type { AppDeps } from "../deps";
import type { StaffPrincipal } from "../auth";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../errors";
import { countRemedies, proactiveEntries } from "./records";
import type { ReportCaseRow } from "../ports/store";
import { shanghaiDate } from "../../domain/calendar";
import type { CaseRecord } from "../../domain/records";
import type { Role } from "../../domain/roles";
import { buildAnnualReport, isFinalisable, type AnnualReport, type ApplicationFact } from "../../domain/report/annual";
import type { ApplicationData } from "../../domain/workflows/application/data";
import type { NarrativeSection } from "../../domain/report/narrative";
import { annualNarrative } from "./narrative";

/**
 * The annual report (OGI Regulations art. 49–50, SPEC §5) of an agency and a year, counted
 * from its application cases. It reads per period, never the whole table: the agency's
 * open cases and those closed in each year from the report's year to now (the gsi2
 * index of shared/adapters/aws/entities/case.ts, a closing year in month slices), and of each case only the attributes the
 * report counts (`reportRows`); a case closed two years before or earlier is never read.
 */

export const REPORT_ROLES: Role[] = ["office_staff", "office_director", "deputy_leader", "principal_leader", "auditor"];

/** One application as the report counts it. */
export function factOf(c: Pick<CaseRecord, "createdOn" | "result" | "data">): ApplicationFact {
  const d = c.data as unknown as ApplicationData;
  return {
    receivedOn: d.receivedOn ?? d.submittedOn ?? c.createdOn,
    column: d.applicantColumn as ApplicationFact["column"],
    ...(c.result ? { closedOn: c.result.closedOn, cell: c.result.cell } : {}),
  };
}

/** The applications a year's report can count: open ones, and those closed from the year before (a review of those may be filed this year) to now. */
export async function applicationCases(deps: AppDeps, agencyCode: string, year: number): Promise<ReportCaseRow[]> {
  const thisYear = Number(shanghaiDate(deps.clock.now()).slice(0, 4));
  const reads = [deps.store.cases.reportRows(agencyCode, "open")];
  for (let y = year - 1; y <= Math.max(year, thisYear); y++) reads.push(deps.store.cases.reportRows(agencyCode, y));
  const seen = new Set<string>();
  return (await Promise.all(reads)).flat().filter((c) => c.workflow === "application" && !seen.has(c.caseId) && seen.add(c.caseId));
}

export async function applicationFacts(deps: AppDeps, agencyCode: string, year: number): Promise<ApplicationFact[]> {
  return (await applicationCases(deps, agencyCode, year)).map(factOf);
}

const finalKey = (agencyCode: string, year: number) => `reports/annual/${agencyCode}/${year}/final.json`;

export interface FinalReport {
  report: AnnualReport;
  /** the six text sections as they stood when finalised */
  narrative?: NarrativeSection[];
  finalisedBy: string;
  finalisedAt: string;
}

export async function finalReport(deps: AppDeps, agencyCode: string, year: number): Promise<FinalReport | undefined> {
  const stored = await deps.files.get(finalKey(agencyCode, year));
  return stored ? (JSON.parse(Buffer.from(stored.body).toString("utf8")) as FinalReport) : undefined;
}

export function parseReportYear(raw: string | null | undefined, today: string): number {
  const year = Number(raw);
  if (!raw || !/^\d{4}$/.test(raw) || year < 2008 || year > Number(today.slice(0, 4))) {
    throw new ValidationError("VALIDATION_FAILED", "年度无效", [
      { path: "year", code: raw ? "out_of_range" : "required", message: `请填写报告年度（四位数字，2008 至 ${today.slice(0, 4)}）` },
    ]);
  }
  return year;
}

/** The report for the caller's agency (another agency's is not there for them). */
export async function annualReportFor(deps: AppDeps, principal: StaffPrincipal, query: { agency?: string | null; year?: string | null }): Promise<AnnualReport> {
  if (!principal.roles.some((r) => REPORT_ROLES.includes(r))) throw new ForbiddenError("当前角色无权查看年度报告");
  const agencyCode = query.agency?.trim() || principal.agencyCode;
  if (agencyCode !== principal.agencyCode) throw new NotFoundError("未找到该机关的年度报告");
  const year = parseReportYear(query.year, shanghaiDate(deps.clock.now()));
  return annualReport(deps, agencyCode, year);
}

export async function annualReport(deps: AppDeps, agencyCode: string, year: number): Promise<AnnualReport> {
  const agency = await deps.store.directory.agency(agencyCode);
  if (!agency) throw new NotFoundError("未找到该机关");
  const [cases, proactive, previous] = await Promise.all([applicationCases(deps, agencyCode, year), proactiveEntries(deps, agencyCode, year), finalReport(deps, agencyCode, year - 1)]);
  // last year's 四, as last year's final report stated it
  const carriedForward = previous?.report.applications.rows.find((r) => r.label === "四、结转下年度继续办理")?.values;
  return buildAnnualReport({
    agency: { code: agency.code, name: agency.name },
    year,
    facts: cases.map(factOf),
    proactive,
    reviewLitigation: countRemedies(cases, year),
    ...(carriedForward ? { previous: { carriedForward } } : {}),
  });
}

/**
 * `POST /api/v1/reports/annual/final`: marks the year's report final — only when every
 * check passes (409 naming the failures otherwise); the final copy is kept, and next
 * year's report checks its 二 against this 四.
 */
export async function finaliseAnnualReport(deps: AppDeps, principal: StaffPrincipal, query: { year?: string | null }): Promise<FinalReport> {
  if (!principal.roles.some((r) => (["office_director", "deputy_leader"] as Role[]).includes(r))) throw new ForbiddenError("只有办公室主任或分管领导可以将年度报告定稿");
  const report = await annualReportFor(deps, principal, { year: query.year ?? null });
  if (!isFinalisable(report)) {
    const failed = report.checks.filter((c) => !c.ok);
    throw new ConflictError("REPORT_CHECKS_FAILED", `校验未通过，不能定稿：${failed.map((c) => `${c.name}${c.detail ? `（${c.detail}）` : ""}`).join("；")}`);
  }
  const final: FinalReport = { report, narrative: await annualNarrative(deps, report), finalisedBy: principal.displayName, finalisedAt: deps.clock.now().toISOString() };
  await deps.files.put(finalKey(principal.agencyCode, report.year), JSON.stringify(final), "application/json");
  return final;
}
