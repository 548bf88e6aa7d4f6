/**
 * The annual report data 政府信息公开工作年度报告 (SPEC §5, §5.1–5.3, format
 * 国办公开办函〔2021〕30号) and the JSON of `GET /api/v1/reports/annual` (SPEC §7.2).
 * Pure: facts in, report out; the renderers (shared/ui/reports) only lay it out.
 */
import { organizationKindLabels, organizationKinds } from "../../schemas/application";
import type { IsoDate } from "../calendar/civil-date";
import { resultCells, resultGroups, type ResultCell } from "./cells";

/** The applicant columns, in the order of the national table (values of `applicantColumnOf`). */
export const applicantColumns = ["natural_person", ...organizationKinds] as const;
export type ApplicantColumn = (typeof applicantColumns)[number];

export const applicantColumnLabels: Record<ApplicantColumn, string> = { natural_person: "自然人", ...organizationKindLabels };

export const TOTAL_LABEL = "总计";

/** The applications table's column labels: the six applicant columns, then 总计. */
export const applicationColumnLabels: readonly string[] = [...applicantColumns.map((c) => applicantColumnLabels[c]), TOTAL_LABEL];

/** One application case. `cell` and `closedOn` are set when it is closed. */
export interface ApplicationFact {
  receivedOn: IsoDate;
  closedOn?: IsoDate;
  cell?: ResultCell;
  column: ApplicantColumn;
}

// ---------------------------------------------------------------- §5.2 proactive disclosure

export type ProactiveItem = "rules" | "normative" | "licensing" | "punishment" | "enforcement" | "fees";

/**
 * Hand-entered figures of §5.2. `values` is keyed by field (`issued`, `repealed`, `inForce`,
 * `decisions`, `amount`) or by its Chinese column label (e.g. `本年制发件数`).
 */
export interface ProactiveEntry {
  item: ProactiveItem;
  values: Record<string, number>;
  enteredBy?: string;
  enteredAt?: string;
}

export const proactiveFields = {
  issued: "本年制发件数",
  repealed: "本年废止件数",
  inForce: "现行有效件数",
  decisions: "本年处理决定数量",
  amount: "本年收费金额（单位：万元）",
} as const;
export type ProactiveField = keyof typeof proactiveFields;

/** The proactive table's columns, in order; a row leaves the columns of other sections `null`. */
export const proactiveColumnKeys: readonly ProactiveField[] = ["issued", "repealed", "inForce", "decisions", "amount"];

/** The article 20 sections of the national table, with their items and the fields they report. */
export const proactiveSections: readonly { title: string; fields: readonly ProactiveField[]; items: readonly { item: ProactiveItem; label: string }[] }[] = [
  {
    title: "第二十条第（一）项",
    fields: ["issued", "repealed", "inForce"],
    items: [
      { item: "rules", label: "规章" },
      { item: "normative", label: "行政规范性文件" },
    ],
  },
  { title: "第二十条第（五）项", fields: ["decisions"], items: [{ item: "licensing", label: "行政许可" }] },
  {
    title: "第二十条第（六）项",
    fields: ["decisions"],
    items: [
      { item: "punishment", label: "行政处罚" },
      { item: "enforcement", label: "行政强制" },
    ],
  },
  { title: "第二十条第（八）项", fields: ["amount"], items: [{ item: "fees", label: "行政事业性收费" }] },
];

// ---------------------------------------------------------------- §5.3 review and litigation

export interface ReviewLitigationOutcomes {
  /** 结果维持 */
  upheld: number;
  /** 结果纠正 */
  corrected: number;
  /** 其他结果 */
  other: number;
  /** 尚未审结 */
  pending: number;
  /** 总计 */
  total: number;
}

export interface ReviewLitigationCounts {
  /** 行政复议 */
  review: ReviewLitigationOutcomes;
  /** 行政诉讼·未经复议直接起诉 */
  litigationDirect: ReviewLitigationOutcomes;
  /** 行政诉讼·复议后起诉 */
  litigationAfterReview: ReviewLitigationOutcomes;
}

export const reviewLitigationColumnKeys = ["upheld", "corrected", "other", "pending", "total"] as const;
export const reviewLitigationColumnLabels = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] as const;
export const reviewLitigationGroups: readonly { key: keyof ReviewLitigationCounts; label: string }[] = [
  { key: "review", label: "行政复议" },
  { key: "litigationDirect", label: "行政诉讼·未经复议直接起诉" },
  { key: "litigationAfterReview", label: "行政诉讼·复议后起诉" },
];

// ---------------------------------------------------------------- the report (JSON of §7.2)

export interface ApplicationRow {
  label: string;
  /** Six applicant columns then 总计. Zeros on the 三、 heading row, which carries no figures. */
  values: number[];
  /** Stable key: `new`, `carried`, `results`, a result cell or group (`1`, `3`, `3.1`…), `total`, `carryForward`. */
  key?: string;
  /** 0 for 一…四, 1 for （一）…（七）, 2 for the numbered sub-items. */
  level?: number;
  /** The 三、本年度办理结果 heading: its values are not figures and are printed blank. */
  heading?: boolean;
  /** （三）…（六）: the sum of its numbered sub-items. */
  subtotal?: boolean;
}

export interface HandEnteredRow {
  label: string;
  /** Aligned with the table's `columns`; `null` where the column does not apply or nothing was entered. */
  values: (number | null)[];
  /** The article 20 section of a §5.2 row, e.g. 第二十条第（一）项. */
  section?: string;
  handEntered?: boolean;
  enteredBy?: string;
  enteredAt?: string;
}

export interface HandEnteredTable {
  columns: string[];
  rows: HandEnteredRow[];
}

export interface ReportCheck {
  name: string;
  ok: boolean;
  detail?: string;
}

export interface AnnualReport {
  agency: { code: string; name: string };
  year: number;
  applications: {
    columns: string[];
    /** Header grouping for the renderers: 法人或其他组织 over columns 1–5 (0-based start, span). */
    columnGroups?: { label: string; start: number; span: number }[];
    rows: ApplicationRow[];
  };
  proactive: HandEnteredTable;
  reviewLitigation: HandEnteredTable;
  checks: ReportCheck[];
}

export const checkNames = {
  balance: "一+二=（七）总计+四（每列）",
  resultsTotal: "（七）总计等于各办理结果之和",
  rowTotals: "每行自然人与五类组织之和等于总计",
  carriedForward: "本年“二”等于上年“四”",
  reviewLitigationTotals: "行政复议、行政诉讼各“总计”等于其四项之和",
  handEnteredComplete: "手工填报数据完整",
} as const;

export const applicationRowLabels = {
  new: "一、本年新收政府信息公开申请数量",
  carried: "二、上年结转政府信息公开申请数量",
  results: "三、本年度办理结果",
  total: "（七）总计",
  carryForward: "四、结转下年度继续办理",
} as const;

const N = applicantColumns.length;
const columnIndex = new Map<string, number>(applicantColumns.map((c, i) => [c, i]));
const cellKeys = Object.keys(resultCells) as ResultCell[];

function zeros(): number[] {
  return new Array<number>(N + 1).fill(0);
}

function withTotal(v: number[]): number[] {
  const out = v.slice(0, N);
  out[N] = out.reduce((a, b) => a + b, 0);
  return out;
}

export interface BuildAnnualReportInput {
  agency: { code: string; name: string };
  year: number;
  facts: ApplicationFact[];
  /** Last year's row 四 per column (six, or seven with 总计), when last year's report exists. */
  previous?: { carriedForward: number[] };
  proactive?: ProactiveEntry[];
  reviewLitigation?: ReviewLitigationCounts;
}

export function buildAnnualReport(input: BuildAnnualReportInput): AnnualReport {
  const { year } = input;
  const first = `${String(year).padStart(4, "0")}-01-01`;
  const last = `${String(year).padStart(4, "0")}-12-31`;

  const received = zeros();
  const carried = zeros();
  const closed = zeros();
  const carryForward = zeros();
  const byCell = new Map<ResultCell, number[]>(cellKeys.map((c) => [c, zeros()]));

  for (const f of input.facts) {
    const col = columnIndex.get(f.column);
    if (col === undefined) throw new Error(`unknown applicant column ${String(f.column)}`);
    if (f.receivedOn > last) continue; // received after the year: not this year's business
    const closedBefore = f.closedOn !== undefined && f.closedOn < first;
    const closedIn = f.closedOn !== undefined && f.closedOn >= first && f.closedOn <= last;
    if (f.receivedOn >= first) received[col]!++;
    else if (!closedBefore) carried[col]!++;
    if (closedIn) {
      closed[col]!++;
      if (f.cell !== undefined) {
        const v = byCell.get(f.cell);
        if (!v) throw new Error(`unknown result cell ${String(f.cell)}`);
        v[col]!++;
      }
    }
    if (f.closedOn === undefined || f.closedOn > last) carryForward[col]!++;
  }

  const rows: ApplicationRow[] = [
    { key: "new", label: applicationRowLabels.new, values: withTotal(received), level: 0 },
    { key: "carried", label: applicationRowLabels.carried, values: withTotal(carried), level: 0 },
    { key: "results", label: applicationRowLabels.results, values: zeros(), level: 0, heading: true },
  ];
  for (const group of ["1", "2", "3", "4", "5", "6"]) {
    const items = cellKeys.filter((c) => c.split(".")[0] === group);
    if (items.length === 1 && items[0] === group) {
      rows.push({ key: group, label: resultCells[group as ResultCell], values: withTotal(byCell.get(group as ResultCell)!), level: 1 });
      continue;
    }
    const sum = zeros();
    for (const c of items) byCell.get(c)!.forEach((n, i) => (sum[i]! += n));
    rows.push({ key: group, label: resultGroups[group]!, values: withTotal(sum), level: 1, subtotal: true });
    for (const c of items) rows.push({ key: c, label: resultCells[c], values: withTotal(byCell.get(c)!), level: 2 });
  }
  rows.push({ key: "total", label: applicationRowLabels.total, values: withTotal(closed), level: 1 });
  rows.push({ key: "carryForward", label: applicationRowLabels.carryForward, values: withTotal(carryForward), level: 0 });

  const report: AnnualReport = {
    agency: { code: input.agency.code, name: input.agency.name },
    year,
    applications: {
      columns: [...applicationColumnLabels],
      columnGroups: [{ label: "法人或其他组织", start: 1, span: 5 }],
      rows,
    },
    proactive: buildProactiveTable(input.proactive ?? []),
    reviewLitigation: buildReviewLitigationTable(input.reviewLitigation),
    checks: [],
  };
  report.checks = checkAnnualReport(report, input.previous);
  return report;
}

function buildProactiveTable(entries: ProactiveEntry[]): HandEnteredTable {
  const rows: HandEnteredRow[] = [];
  for (const section of proactiveSections) {
    for (const { item, label } of section.items) {
      // the last entry for an item wins (a correction replaces the earlier figures)
      const entry = entries.filter((e) => e.item === item).at(-1);
      const values = proactiveColumnKeys.map((field) => {
        if (!section.fields.includes(field) || !entry) return null;
        const v = entry.values[field] ?? entry.values[proactiveFields[field]];
        return typeof v === "number" ? v : null;
      });
      const row: HandEnteredRow = { label, values, section: section.title, handEntered: entry !== undefined };
      if (entry?.enteredBy !== undefined) row.enteredBy = entry.enteredBy;
      if (entry?.enteredAt !== undefined) row.enteredAt = entry.enteredAt;
      rows.push(row);
    }
  }
  return { columns: proactiveColumnKeys.map((f) => proactiveFields[f]), rows };
}

function buildReviewLitigationTable(counts: ReviewLitigationCounts | undefined): HandEnteredTable {
  return {
    columns: [...reviewLitigationColumnLabels],
    rows: reviewLitigationGroups.map(({ key, label }) => ({
      label,
      values: reviewLitigationColumnKeys.map((k) => counts?.[key][k] ?? 0),
    })),
  };
}

// ---------------------------------------------------------------- checks

const rowByKey = (report: AnnualReport, key: string) => report.applications.rows.find((r) => r.key === key);

function rowByLabelOrKey(report: AnnualReport, key: keyof typeof applicationRowLabels): ApplicationRow | undefined {
  return rowByKey(report, key) ?? report.applications.rows.find((r) => r.label === applicationRowLabels[key]);
}

/** The checks of §5 on a report's figures (used by `buildAnnualReport`; callable on a stored report). */
export function checkAnnualReport(report: AnnualReport, previous?: { carriedForward: number[] }): ReportCheck[] {
  const cols = report.applications.columns;
  const get = (key: keyof typeof applicationRowLabels) => rowByLabelOrKey(report, key)?.values ?? zeros();
  const checks: ReportCheck[] = [];
  const push = (name: string, problems: string[]) =>
    checks.push(problems.length === 0 ? { name, ok: true } : { name, ok: false, detail: problems.join("；") });

  // 一+二 = （七）+四, per column
  {
    const [a, b, t, f] = [get("new"), get("carried"), get("total"), get("carryForward")];
    const problems: string[] = [];
    cols.forEach((label, i) => {
      const left = (a[i] ?? 0) + (b[i] ?? 0);
      const right = (t[i] ?? 0) + (f[i] ?? 0);
      if (left !== right) problems.push(`${label}：一+二=${left}，（七）总计+四=${right}`);
    });
    push(checkNames.balance, problems);
  }

  // （七）总计 = （一）+（二）+（三）+…+（六）, and each group heading = the sum of its items
  {
    const problems: string[] = [];
    const total = get("total");
    const sum = zeros();
    for (const group of ["1", "2", "3", "4", "5", "6"]) {
      const g = rowByKey(report, group);
      if (!g) {
        problems.push(`缺少${resultGroups[group]}`);
        continue;
      }
      g.values.forEach((n, i) => (sum[i]! += n));
      const items = report.applications.rows.filter((r) => r.key?.startsWith(`${group}.`));
      if (items.length > 0) {
        cols.forEach((label, i) => {
          const s = items.reduce((acc, r) => acc + (r.values[i] ?? 0), 0);
          if (s !== g.values[i]) problems.push(`${g.label}·${label}：${g.values[i]}，各项之和=${s}`);
        });
      }
    }
    cols.forEach((label, i) => {
      if (sum[i] !== total[i]) problems.push(`${label}：（七）总计=${total[i] ?? 0}，各办理结果之和=${sum[i]}（有已办结但未归入办理结果的申请）`);
    });
    push(checkNames.resultsTotal, problems);
  }

  // every row: 自然人 + five organisation columns = 总计
  {
    const problems: string[] = [];
    for (const r of report.applications.rows) {
      if (r.heading) continue;
      const s = r.values.slice(0, N).reduce((a, b) => a + b, 0);
      if (s !== r.values[N]) problems.push(`${r.label}：各列之和=${s}，总计=${r.values[N] ?? 0}`);
    }
    push(checkNames.rowTotals, problems);
  }

  // this year's 二 = last year's 四
  if (previous) {
    const problems: string[] = [];
    const b = get("carried");
    const prev = previous.carriedForward;
    const n = Math.min(prev.length, N + 1);
    if (prev.length !== N && prev.length !== N + 1) problems.push(`上年“四”应有${N}或${N + 1}列，实有${prev.length}列`);
    for (let i = 0; i < n; i++) {
      if (prev[i] !== b[i]) problems.push(`${cols[i]}：本年“二”=${b[i] ?? 0}，上年“四”=${prev[i]}`);
    }
    push(checkNames.carriedForward, problems);
  }

  // 行政复议、行政诉讼: 总计 = 结果维持+结果纠正+其他结果+尚未审结
  {
    const problems: string[] = [];
    for (const r of report.reviewLitigation.rows) {
      const [a, b, c, d, t] = r.values.map((v) => v ?? 0);
      const s = (a ?? 0) + (b ?? 0) + (c ?? 0) + (d ?? 0);
      if (s !== t) problems.push(`${r.label}：总计=${t ?? 0}，四项之和=${s}`);
      if (r.values.some((v) => v !== null && (!Number.isInteger(v) || v < 0))) problems.push(`${r.label}：数量应为非负整数`);
    }
    push(checkNames.reviewLitigationTotals, problems);
  }

  // every §5.2 item entered, with well-formed figures
  {
    const problems: string[] = [];
    for (const section of proactiveSections) {
      for (const { label } of section.items) {
        const r = report.proactive.rows.find((row) => row.label === label);
        if (!r || r.handEntered === false) {
          problems.push(`${label}：未填报`);
          continue;
        }
        for (const field of section.fields) {
          const i = proactiveColumnKeys.indexOf(field);
          const v = r.values[i];
          const name = `${label}·${proactiveFields[field]}`;
          if (v === null || v === undefined) problems.push(`${name}：未填报`);
          else if (field === "amount" ? !isAmount(v) : !Number.isInteger(v) || v < 0)
            problems.push(field === "amount" ? `${name}：应为非负数，最多4位小数` : `${name}：应为非负整数`);
        }
      }
    }
    push(checkNames.handEnteredComplete, problems);
  }

  return checks;
}

/** A fee amount in 万元: non-negative, finite, at most 4 decimals. */
export function isAmount(v: number): boolean {
  return Number.isFinite(v) && v >= 0 && Math.abs(v * 1e4 - Math.round(v * 1e4)) < 1e-6;
}

/** A report may be finalised (published) only when every check passes. */
export function isFinalisable(report: AnnualReport): boolean {
  return report.checks.every((c) => c.ok);
}
