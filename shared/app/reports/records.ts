import type { AppDeps } from "../deps";
import type { StaffPrincipal } from "../auth";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, type FieldError } from "../errors";
import { commitChange } from "../engine/commit";
import { isIsoDate, shanghaiDate } from "../../domain/calendar";
import type { CaseRecord } from "../../domain/records";
import type { Role } from "../../domain/roles";
import { isAmount, proactiveFields, proactiveSections, type ProactiveEntry, type ProactiveItem, type ReviewLitigationCounts, type ReviewLitigationOutcomes } from "../../domain/report/annual";

/**
 * What the annual report needs beyond the application cases: the §5.2 figures the system
 * does not track (entered by hand, with who and when), and the administrative reviews and
 * lawsuits against each application (§5.3), recorded on the case they concern with an
 * audit event. Hand entries are kept in the files bucket, one object per item and year.
 */

const ENTRY_ROLES: Role[] = ["office_staff", "office_director"];

const entryKey = (agencyCode: string, year: number, item: string) => `reports/annual/${agencyCode}/${year}/proactive/${item}.json`;

function requireRoles(principal: StaffPrincipal, roles: Role[], what: string) {
  if (!principal.roles.some((r) => roles.includes(r))) throw new ForbiddenError(`当前角色无权${what}`);
}

const itemOf = (item: unknown) => proactiveSections.flatMap((s) => s.items.map((i) => ({ ...i, fields: s.fields }))).find((i) => i.item === item);

/** `POST /api/v1/reports/annual/entries` `{year, item, values}`: one §5.2 item of a year, replacing what was entered before. */
export async function enterProactiveFigures(deps: AppDeps, principal: StaffPrincipal, body: unknown): Promise<ProactiveEntry> {
  requireRoles(principal, ENTRY_ROLES, "填报年度报告数据");
  const b = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
  const errors: FieldError[] = [];
  const today = shanghaiDate(deps.clock.now());
  const year = typeof b.year === "number" ? b.year : Number(b.year);
  if (!Number.isInteger(year) || year < 2008 || year > Number(today.slice(0, 4))) errors.push({ path: "year", code: b.year === undefined ? "required" : "out_of_range", message: "请填写报告年度（四位数字）" });
  const item = itemOf(b.item);
  if (!item) errors.push({ path: "item", code: b.item === undefined ? "required" : "invalid_choice", message: `项目无效（可选：${proactiveSections.flatMap((s) => s.items.map((i) => `${i.item} ${i.label}`)).join("、")}）` });
  const raw = (b.values && typeof b.values === "object" ? b.values : {}) as Record<string, unknown>;
  const values: Record<string, number> = {};
  for (const field of item?.fields ?? []) {
    const v = raw[field];
    const label = proactiveFields[field];
    if (typeof v !== "number") errors.push({ path: `values.${field}`, code: v === undefined ? "required" : "wrong_type", message: `请填写${label}（数字）` });
    else if (field === "amount" ? !isAmount(v) : !Number.isInteger(v) || v < 0) errors.push({ path: `values.${field}`, code: "out_of_range", message: field === "amount" ? `${label}应为不小于 0 的数，最多 4 位小数` : `${label}应为不小于 0 的整数` });
    else values[field] = v;
  }
  for (const k of Object.keys(raw)) if (item && !(item.fields as readonly string[]).includes(k)) errors.push({ path: `values.${k}`, code: "not_allowed", message: `${item.label}不填报该项` });
  if (errors.length || !item) throw new ValidationError("VALIDATION_FAILED", "填报的数据有误，请按提示修改", errors);
  const entry: ProactiveEntry = { item: item.item as ProactiveItem, values, enteredBy: principal.displayName, enteredAt: deps.clock.now().toISOString() };
  await deps.files.put(entryKey(principal.agencyCode, year, item.item), JSON.stringify(entry), "application/json");
  return entry;
}

export async function proactiveEntries(deps: AppDeps, agencyCode: string, year: number): Promise<ProactiveEntry[]> {
  const keys = await deps.files.list(`reports/annual/${agencyCode}/${year}/proactive/`);
  const objects = await Promise.all(keys.map((k) => deps.files.get(k)));
  return objects.flatMap((o) => (o ? [JSON.parse(Buffer.from(o.body).toString("utf8")) as ProactiveEntry] : []));
}

// ---- administrative review and litigation (§5.3) -------------------------------------

export const remedyKinds = { review: "行政复议", litigation_direct: "行政诉讼（未经复议直接起诉）", litigation_after_review: "行政诉讼（复议后起诉）" } as const;
export const remedyResults = { upheld: "结果维持", corrected: "结果纠正", other: "其他结果" } as const;
export type RemedyKind = keyof typeof remedyKinds;

export interface Remedy {
  kind: RemedyKind;
  filedOn: string;
  result?: keyof typeof remedyResults;
  decidedOn?: string;
  note?: string;
  recordedBy: string;
  recordedAt: string;
}

/** `POST /api/v1/cases/{caseId}/remedies`: a review or lawsuit against an application, or its result. */
export async function recordRemedy(deps: AppDeps, principal: StaffPrincipal, caseId: string, body: unknown): Promise<{ remedies: Remedy[] }> {
  requireRoles(principal, ENTRY_ROLES, "登记行政复议、行政诉讼");
  const c = await deps.store.cases.get(caseId);
  if (!c || c.agencyCode !== principal.agencyCode) throw new NotFoundError("未找到该案件");
  if (c.workflow !== "application") throw new ConflictError("NOT_AN_APPLICATION", "行政复议、行政诉讼只登记在政府信息公开申请上");
  const b = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
  const errors: FieldError[] = [];
  const today = shanghaiDate(deps.clock.now());
  const kind = typeof b.kind === "string" && b.kind in remedyKinds ? (b.kind as RemedyKind) : undefined;
  if (!kind) errors.push({ path: "kind", code: b.kind === undefined ? "required" : "invalid_choice", message: "请选择 review（行政复议）、litigation_direct（直接起诉）或 litigation_after_review（复议后起诉）" });
  const date = (name: "filedOn" | "decidedOn", label: string, required: boolean) => {
    const v = b[name];
    if (v === undefined || v === "") {
      if (required) errors.push({ path: name, code: "required", message: `请填写${label}` });
      return undefined;
    }
    if (typeof v !== "string" || !isIsoDate(v)) errors.push({ path: name, code: "invalid_format", message: `${label}应为 YYYY-MM-DD 格式的日期` });
    else if (v > today) errors.push({ path: name, code: "out_of_range", message: `${label}不能晚于今天` });
    else return v;
    return undefined;
  };
  const filedOn = date("filedOn", "申请复议或起诉的日期", true);
  const decidedOn = date("decidedOn", "审结日期", false);
  const result = typeof b.result === "string" && b.result in remedyResults ? (b.result as Remedy["result"]) : undefined;
  if (b.result !== undefined && b.result !== "" && !result) errors.push({ path: "result", code: "invalid_choice", message: "结果应为 upheld（维持）、corrected（纠正）或 other（其他）" });
  if (result && !decidedOn) errors.push({ path: "decidedOn", code: "required", message: "有结果的须填写审结日期" });
  if (decidedOn && !result) errors.push({ path: "result", code: "required", message: "已审结的须填写结果" });
  if (filedOn && decidedOn && decidedOn < filedOn) errors.push({ path: "decidedOn", code: "out_of_range", message: "审结日期不能早于申请日期" });
  const note = typeof b.note === "string" ? b.note.trim().slice(0, 500) : undefined;
  if (errors.length || !kind || !filedOn) throw new ValidationError("VALIDATION_FAILED", "登记的内容有误，请按提示修改", errors);
  const remedy: Remedy = { kind, filedOn, ...(result ? { result, decidedOn: decidedOn! } : {}), ...(note ? { note } : {}), recordedBy: principal.displayName, recordedAt: deps.clock.now().toISOString() };
  const data = c.data as Record<string, unknown> & { remedies?: Remedy[] };
  // the same kind filed the same day is that remedy's result (or a correction of it), not a second one
  const others = (data.remedies ?? []).filter((r) => !(r.kind === kind && r.filedOn === filedOn));
  const remedies = [...others, remedy].sort((a, b2) => a.filedOn.localeCompare(b2.filedOn));
  const stored = await commitChange(deps, {
    case: { ...c, data: { ...data, remedies } } as CaseRecord,
    expectedVersion: c.version,
    events: [
      {
        actor: { kind: "staff", username: principal.username, displayName: principal.displayName, role: principal.roles.find((r) => ENTRY_ROLES.includes(r))! },
        type: "remedy.recorded",
        summary: `登记${remedyKinds[kind]}（${filedOn}）${result ? `：${remedyResults[result]}（${decidedOn} 审结）` : "：尚未审结"}`,
        data: { kind, filedOn, ...(result ? { result, decidedOn } : {}) },
      },
    ],
  });
  return { remedies: ((stored.data as { remedies?: Remedy[] }).remedies ?? []) };
}

const zero = (): ReviewLitigationOutcomes => ({ upheld: 0, corrected: 0, other: 0, pending: 0, total: 0 });

/** §5.3 of a year: reviews and lawsuits filed in the year, by their result as of the year's end (undecided then: 尚未审结). */
export function countRemedies(cases: ReadonlyArray<Pick<CaseRecord, "data">>, year: number): ReviewLitigationCounts {
  const counts: ReviewLitigationCounts = { review: zero(), litigationDirect: zero(), litigationAfterReview: zero() };
  const group = { review: "review", litigation_direct: "litigationDirect", litigation_after_review: "litigationAfterReview" } as const;
  const end = `${year}-12-31`;
  for (const c of cases) {
    for (const r of ((c.data as { remedies?: Remedy[] }).remedies ?? []).filter((x) => x.filedOn.startsWith(`${year}-`))) {
      const g = counts[group[r.kind]];
      const decided = r.result && r.decidedOn && r.decidedOn <= end ? r.result : undefined;
      g[decided ?? "pending"] += 1;
      g.total += 1;
    }
  }
  return counts;
}
