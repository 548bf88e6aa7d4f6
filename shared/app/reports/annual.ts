import type { AppDeps } from "../deps";
import type { StaffPrincipal } from "../auth";
import { ForbiddenError, NotFoundError, ValidationError } from "../errors";
import { shanghaiDate } from "../../domain/calendar";
import type { CaseRecord } from "../../domain/records";
import type { Role } from "../../domain/roles";
import { buildAnnualReport, type AnnualReport, type ApplicationFact } from "../../domain/report/annual";
import type { ApplicationData } from "../../domain/workflows/application/data";

/**
 * The annual report (OGI Regulations art. 49–50, SPEC §5) of an agency and a year, counted
 * from its application cases. It reads per period, never the whole table: the agency's
 * open cases and those closed in each year from the report's year to now (the gsi2
 * index of shared/adapters/aws/entities/case.ts); a case received before the year and
 * closed before it cannot count and is never read.
 */

export const REPORT_ROLES: Role[] = ["office_staff", "office_director", "deputy_leader", "principal_leader", "auditor"];

/** One application as the report counts it. */
export function factOf(c: CaseRecord): ApplicationFact {
  const d = c.data as unknown as ApplicationData;
  return {
    receivedOn: d.receivedOn ?? d.submittedOn ?? c.createdOn,
    column: d.applicantColumn as ApplicationFact["column"],
    ...(c.result ? { closedOn: c.result.closedOn, cell: c.result.cell } : {}),
  };
}

export async function applicationFacts(deps: AppDeps, agencyCode: string, year: number): Promise<ApplicationFact[]> {
  const thisYear = Number(shanghaiDate(deps.clock.now()).slice(0, 4));
  const reads = [deps.store.cases.listOpen(agencyCode)];
  for (let y = year; y <= Math.max(year, thisYear); y++) reads.push(deps.store.cases.listClosed(agencyCode, y));
  const seen = new Set<string>();
  return (await Promise.all(reads))
    .flat()
    .filter((c) => c.workflow === "application" && !seen.has(c.caseId) && seen.add(c.caseId))
    .map(factOf);
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
  return buildAnnualReport({ agency: { code: agency.code, name: agency.name }, year, facts: await applicationFacts(deps, agencyCode, year) });
}
