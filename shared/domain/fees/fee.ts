/**
 * 信息处理费 (OGI Regulations art. 42 para. 1; 国办函〔2020〕109号《政府信息公开信息处理费管理办法》),
 * computed as pure functions with an explanation like a deadline's: which of the
 * applicant's applications of the month counted, which tier applied, and the sum.
 * See docs/processing-fees.md for the articles and the choices the text leaves open.
 */

export const feeMethods = ["per_application", "per_volume"] as const;
export type FeeMethod = (typeof feeMethods)[number];
export const feeMethodLabels: Record<FeeMethod, string> = {
  per_application: "按件计收",
  per_volume: "按量计收",
};

export const FEE_MEASURES_SHORT = "《政府信息公开信息处理费管理办法》";

/** 第六条 (as summarised in docs/processing-fees.md): the applicant pays within 20 working days from the day after receiving the notice. */
export const FEE_PAYMENT_WORKING_DAYS = 20;

/** 第四条: applications of one calendar month up to this many are free. */
export const FREE_APPLICATIONS_PER_MONTH = 10;
/** 第五条: pages up to this many are free. */
export const FREE_PAGES = 30;

/**
 * 第四条 per-application tier of the applicant's n-th application of a calendar month:
 * (一) 1–10 free; (二) 11–30 100元 each; (三) from the 31st, every further band of 10
 * raises the rate by 100元 (31–40 200元, 41–50 300元, …).
 */
export function perApplicationRate(n: number): { rate: number; tier: string } {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`application ordinal ${n}`);
  if (n <= FREE_APPLICATIONS_PER_MONTH) return { rate: 0, tier: "第四条第（一）项：累计申请10件以下（含10件），不收费" };
  if (n <= 30) return { rate: 100, tier: "第四条第（二）项：累计申请11—30件（含30件）的部分，100元/件" };
  const band = Math.ceil((n - 30) / 10);
  const from = 30 + (band - 1) * 10 + 1;
  return { rate: 100 + band * 100, tier: `第四条第（三）项：累计申请31件以上的部分以10件为一档，第${from}—${from + 9}件为第${band}档，${100 + band * 100}元/件` };
}

/** 第五条 volume tiers: [first page, last page, 元 per page]. */
const VOLUME_BANDS: Array<[number, number, number]> = [
  [1, 30, 0],
  [31, 100, 10],
  [101, 200, 20],
  [201, Number.POSITIVE_INFINITY, 40],
];

/** An application of the applicant in the month, as the fee counts it. */
export interface CountedApplication {
  caseId: string;
  reference: string;
  /** submission instant (ISO) */
  at: string;
}

export interface FeeLine {
  /** e.g. 第12件 or 第31—100页 */
  item: string;
  units: number;
  rate: number;
  amount: number;
  tier: string;
}

export interface FeeComputation {
  method: FeeMethod;
  /** YYYY-MM (per application) */
  month?: string;
  /** the applicant's applications of the month counted before this one, oldest first */
  counted?: CountedApplication[];
  /** this application's place(s) in the month: first and last ordinal (一事一申请 may split it into several) */
  ordinals?: { from: number; to: number };
  pages?: number;
  lines: FeeLine[];
  /** the fee by the standard, before any reduction */
  standardYuan: number;
  /** a reduction or waiver the office decided (减免), with its reason */
  exemption?: { reason: string; toYuan: number };
  /** what the applicant is asked to pay */
  amountYuan: number;
  /** the explanation, one sentence each, in order */
  explanation: string[];
}

export interface PerApplicationInput {
  caseId: string;
  month: string;
  /** every application of this applicant to this agency in the month that the index knows, this one included, any order */
  monthApplications: CountedApplication[];
  /** 一事一申请: the number of applications this one counts as (default 1) */
  units?: number;
}

/**
 * 第四条: this application's fee by its place among the applicant's applications of the
 * calendar month (same applicant across channels: one ID number or credit code), ordered
 * by submission. An application split into `units` counts as that many in a row.
 */
export function perApplicationFee(input: PerApplicationInput): FeeComputation {
  const units = input.units ?? 1;
  if (!Number.isInteger(units) || units < 1) throw new RangeError(`units ${units}`);
  const sorted = dedupe(input.monthApplications).sort((a, b) => a.at.localeCompare(b.at) || a.caseId.localeCompare(b.caseId));
  const self = sorted.find((a) => a.caseId === input.caseId);
  const counted = self ? sorted.filter((a) => a.at < self.at || (a.at === self.at && a.caseId < self.caseId)) : sorted.filter((a) => a.caseId !== input.caseId);
  const first = counted.length + 1;
  const lines: FeeLine[] = [];
  for (let n = first; n < first + units; n++) {
    const { rate, tier } = perApplicationRate(n);
    const last = lines.at(-1);
    // consecutive ordinals in one tier make one line
    if (last && last.rate === rate && last.tier === tier) {
      last.units++;
      last.amount += rate;
      last.item = `第${n - last.units + 1}—${n}件`;
    } else lines.push({ item: `第${n}件`, units: 1, rate, amount: rate, tier });
  }
  const standardYuan = lines.reduce((s, l) => s + l.amount, 0);
  const to = first + units - 1;
  const explanation = [
    counted.length
      ? `该申请人 ${input.month} 向本机关提出的申请（以身份证件号码或统一社会信用代码识别同一申请人，不论申请渠道），本件之前已有 ${counted.length} 件：${counted.map((c) => c.reference).join("、")}。`
      : `该申请人 ${input.month} 向本机关提出的申请中，本件为第一件。`,
    units > 1 ? `本件包含多项内容，按“一事一申请”原则拆分为 ${units} 件，为本月第${first}—${to}件。` : `本件为本月第${first}件。`,
    ...lines.map((l) => `${l.item}：${l.tier}，${l.units} 件 × ${l.rate} 元 = ${l.amount} 元。`),
    `按件计收合计 ${standardYuan} 元。`,
  ];
  return { method: "per_application", month: input.month, counted, ordinals: { from: first, to }, lines, standardYuan, amountYuan: standardYuan, explanation };
}

/** 第五条: by pages provided (paper, email, copied electronic data), progressive by band. */
export function perVolumeFee(pages: number): FeeComputation {
  if (!Number.isInteger(pages) || pages < 1) throw new RangeError(`pages ${pages}`);
  const lines: FeeLine[] = [];
  for (const [from, to, rate] of VOLUME_BANDS) {
    if (pages < from) break;
    const last = Math.min(pages, to);
    const units = last - from + 1;
    const tier = rate === 0 ? "第五条第（一）项：30页以下（含30页），不收费" : `第五条：${from}—${Number.isFinite(to) ? `${to}页（含${to}页）` : "页以上"}的部分，${rate}元/页`;
    lines.push({ item: Number.isFinite(to) || last > from ? `第${from}—${last}页` : `第${from}页`, units, rate, amount: units * rate, tier });
  }
  const standardYuan = lines.reduce((s, l) => s + l.amount, 0);
  const explanation = [
    `本件提供的政府信息共 ${pages} 页，按超额累进方式计算。`,
    ...lines.map((l) => `${l.item}：${l.tier}，${l.units} 页 × ${l.rate} 元 = ${l.amount} 元。`),
    `按量计收合计 ${standardYuan} 元。`,
  ];
  return { method: "per_volume", pages, lines, standardYuan, amountYuan: standardYuan, explanation };
}

/**
 * 减免: the office may reduce or waive the fee for the reason it records (e.g. the applicant
 * receives 最低生活保障 or is 特困人员). Never raises it.
 */
export function withExemption(c: FeeComputation, exemption: { reason: string; toYuan: number }): FeeComputation {
  if (!Number.isInteger(exemption.toYuan) || exemption.toYuan < 0 || exemption.toYuan >= c.standardYuan) throw new RangeError(`exemption to ${exemption.toYuan}`);
  const line = exemption.toYuan === 0 ? `经本机关决定免收信息处理费，理由：${exemption.reason}。` : `经本机关决定减收至 ${exemption.toYuan} 元，理由：${exemption.reason}。`;
  return { ...c, exemption, amountYuan: exemption.toYuan, explanation: [...c.explanation, line] };
}

/** 第三条: one method per application, never both. */
export function computeFee(
  method: FeeMethod,
  input: { perApplication?: PerApplicationInput; pages?: number; exemption?: { reason: string; toYuan: number } },
): FeeComputation {
  const base = method === "per_application" ? perApplicationFee(input.perApplication!) : perVolumeFee(input.pages!);
  return input.exemption ? withExemption(base, input.exemption) : base;
}

function dedupe(list: CountedApplication[]): CountedApplication[] {
  const byId = new Map<string, CountedApplication>();
  for (const a of list) if (!byId.has(a.caseId) || a.at < byId.get(a.caseId)!.at) byId.set(a.caseId, a);
  return [...byId.values()];
}

/** What a case's fee record says, as far as the annual report counts it. */
export interface FeeRecordFacts {
  amountYuan: number;
  noticeIssuedOn?: string;
  paid?: { amountYuan: number; paidOn: string };
}

/**
 * Section 六 of the annual report: notices counted by the year they were issued, payments
 * by the year they were paid (a notice of late December paid in January counts in both years).
 */
export function feeTotals(fees: FeeRecordFacts[], year: number): { notices: number; noticedYuan: number; collected: number; collectedYuan: number } {
  const y = `${year}-`;
  const noticed = fees.filter((f) => f.noticeIssuedOn?.startsWith(y));
  const paid = fees.filter((f) => f.paid?.paidOn.startsWith(y));
  return {
    notices: noticed.length,
    noticedYuan: noticed.reduce((s, f) => s + f.amountYuan, 0),
    collected: paid.length,
    collectedYuan: paid.reduce((s, f) => s + f.paid!.amountYuan, 0),
  };
}
