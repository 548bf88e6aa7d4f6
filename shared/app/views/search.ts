import type { AppDeps } from "../deps";
import type { StaffPrincipal } from "../auth";
import { ForbiddenError, ValidationError, type FieldError } from "../errors";
import { letterFile } from "../applications/applicant";
import { NotFoundError } from "../errors";
import type { CaseRecord } from "../../domain/records";
import { isIsoDate, shanghaiDate } from "../../domain/calendar";
import { workflows } from "../../domain/workflows";
import { maskName } from "../../domain/identity";
import { resultCellLabel } from "../../domain/report/cells";
import type { ApplicationData } from "../../domain/workflows/application/data";
import { trackingNumberPattern } from "../../domain/ids";

export interface CaseSummary {
  caseId: string;
  workflow: string;
  trackingNumber: string;
  status: string;
  statusLabel: string;
  /** masked unless the caller's roles handle personal data; organisations are not masked */
  applicant: string;
  createdOn: string;
  receivedOn: string | null;
  dueOn: string | null;
  dueIsProvisional: boolean;
  flags: string[];
  result: string | null;
}

function summary(c: CaseRecord, showPersonalData: boolean): CaseSummary {
  const definition = workflows[c.workflow];
  const d = c.data as Partial<ApplicationData>;
  const a = d.application;
  const name = a ? (a.applicantType === "organization" || showPersonalData ? a.name : maskName(a.name)) : "";
  const answer = c.deadlines.answer;
  return {
    caseId: c.caseId,
    workflow: c.workflow,
    trackingNumber: c.reference,
    status: c.status,
    statusLabel: definition?.statuses[c.status] ?? c.status,
    applicant: name,
    createdOn: c.createdOn,
    receivedOn: d.receivedOn ?? null,
    dueOn: answer && !answer.stopped ? answer.dueOn : null,
    dueIsProvisional: answer?.provisional ?? false,
    flags: c.flags,
    result: c.result ? resultCellLabel(c.result.cell) : null,
  };
}

/**
 * Staff search (issue: a registered case must never vanish from view): by tracking
 * number, applicant or words of the description, date range, status and open step.
 * Searching by an applicant's name is for roles that see personal data.
 */
export async function searchCases(deps: AppDeps, principal: StaffPrincipal, params: URLSearchParams): Promise<{ results: CaseSummary[]; showPersonalData: boolean }> {
  const definition = workflows.application!;
  if (!principal.roles.some((r) => definition.viewRoles.includes(r))) throw new ForbiddenError("当前角色无权查询依申请公开案件");
  const showPersonalData = principal.roles.some((r) => definition.personalDataRoles.includes(r));
  const get = (k: string) => params.get(k)?.trim() || undefined;
  const errors: FieldError[] = [];
  const trackingNumber = get("trackingNumber");
  if (trackingNumber && (trackingNumber.length > 40 || !trackingNumberPattern.test(trackingNumber))) {
    errors.push({ path: "trackingNumber", code: "invalid_format", message: "申请编号格式不正确，如 001008010002002-2026-00001" });
  }
  const today = shanghaiDate(deps.clock.now());
  const from = get("from");
  const to = get("to");
  for (const [k, v] of [["from", from], ["to", to]] as const) if (v && !isIsoDate(v)) errors.push({ path: k, code: "invalid_format", message: "日期应为 YYYY-MM-DD 格式" });
  const status = get("status");
  if (status && !(status in definition.statuses)) errors.push({ path: "status", code: "invalid_choice", message: "办理状态无效" });
  const step = get("step");
  if (step && !(step in definition.steps)) errors.push({ path: "step", code: "invalid_choice", message: "办理环节无效" });
  const text = get("q");
  if (text && text.length > 100) errors.push({ path: "q", code: "too_long", message: "关键词不能超过 100 个字" });
  if (errors.length) throw new ValidationError("VALIDATION_FAILED", "查询条件有误", errors);
  const results = await deps.store.cases.search({
    agencyCode: principal.agencyCode,
    workflow: "application",
    ...(trackingNumber ? { reference: trackingNumber } : {}),
    ...(status ? { status } : {}),
    ...(step ? { step } : {}),
    // a tracking number finds its case whenever it was filed
    ...(trackingNumber ? (from ? { from } : {}) : { from: from ?? `${Number(today.slice(0, 4)) - 1}-01-01` }),
    ...(trackingNumber ? (to ? { to } : {}) : { to: to ?? today }),
    ...(text ? { text } : {}),
    limit: 200,
  });
  return {
    results: results
      // a role that sees names masked cannot find a case by a person's name (that would reveal it)
      .filter((c) => showPersonalData || !text || matchesWithoutName(c, text))
      .map((c) => summary(c, showPersonalData)),
    showPersonalData,
  };
}

function matchesWithoutName(c: CaseRecord, text: string): boolean {
  const a = (c.data as Partial<ApplicationData>).application;
  if (!a || a.applicantType === "organization") return true;
  const t = text.toLowerCase();
  return [c.reference, a.description, a.documentTitle, a.documentNumber].some((v) => v?.toLowerCase().includes(t));
}

/** A letter of a case for staff who may open the case. */
export async function staffLetter(deps: AppDeps, principal: StaffPrincipal, caseId: string, letterId: string, format: string | null) {
  const c = await deps.store.cases.get(caseId);
  if (!c || c.agencyCode !== principal.agencyCode) throw new NotFoundError("未找到该案件");
  const definition = workflows[c.workflow];
  if (!definition || !principal.roles.some((r) => definition.viewRoles.includes(r))) throw new ForbiddenError("当前角色无权查看该案件的文书");
  const letter = c.letters.find((l) => l.letterId === letterId);
  if (!letter) throw new NotFoundError("未找到该文书");
  return letterFile(deps, letter, format);
}
