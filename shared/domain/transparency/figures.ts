import { shanghaiDate, type IsoDate, type WorkingCalendar } from "../calendar";
import { evaluateDeadline } from "../deadlines";
import type { CaseRecord } from "../records";
import { resultCells, type ResultCell } from "../report/cells";

/**
 * The public transparency figures (公开透明度) of an agency, kept as counters: each case
 * contributes a few named counts (its *contribution*), and an agency's counters are the
 * sum of its cases' contributions. A case change moves the difference between the case's
 * new contribution and the one recorded for it before, so applying the same case version
 * twice moves nothing. Pure: no I/O, no clock (the day is handed in).
 *
 * Counter keys (flat, so a difference is a per-key subtraction):
 * - `received:<year>` / `received:<yyyy-mm>`: applications by the day of receipt (the annual report's 一)
 * - `answered:<year>`: closed in the year (三（七）总计), `cell:<year>:<cell>`: by result cell
 * - `onTime:<year>`: answered within the statutory period without extension, `onTimeExtended:<year>`: within the extended one
 * - `days:<year>:<n>`: answered after n working days (pauses not counted; 60 holds 60 and more)
 * - `open`, `overdue`: applications open now, and those past their answer deadline
 * - `published:<yyyy-mm>`: documents published in the catalogue
 * - `consultations:open` / `consultations:closed` and `comments:open` / `comments:closed`
 */
export type Counts = Record<string, number>;

/** Histogram buckets of working days to answer: 0..59 and 60 for 60 or more. */
export const DAY_BUCKETS = 60;

/** The working days the law counts from receipt to the answer: the answer deadline's counted days up to the closing day. */
export function workingDaysToAnswer(cal: WorkingCalendar, c: Pick<CaseRecord, "deadlines">, closedOn: IsoDate): number | undefined {
  const d = c.deadlines["answer"];
  if (!d) return undefined;
  return evaluateDeadline(cal, d.deadline, closedOn).countedWorkingDays;
}

function add(counts: Counts, key: string, n = 1): void {
  counts[key] = (counts[key] ?? 0) + n;
}

/** What one case adds to its agency's counters, as it stands on `today`. */
export function contributionOf(cal: WorkingCalendar, c: CaseRecord, today: IsoDate): Counts {
  const counts: Counts = {};
  const d = c.data as Record<string, unknown>;
  if (c.workflow === "application") {
    const receivedOn = String(d["receivedOn"] ?? d["submittedOn"] ?? c.createdOn);
    add(counts, `received:${receivedOn.slice(0, 4)}`);
    add(counts, `received:${receivedOn.slice(0, 7)}`);
    if (c.result) {
      const year = c.result.closedOn.slice(0, 4);
      add(counts, `answered:${year}`);
      add(counts, `cell:${year}:${c.result.cell}`);
      const answer = c.deadlines["answer"];
      const days = workingDaysToAnswer(cal, c, c.result.closedOn);
      if (answer && days !== undefined) {
        add(counts, `days:${year}:${Math.min(days, DAY_BUCKETS)}`);
        const ev = evaluateDeadline(cal, answer.deadline, c.result.closedOn);
        const extended = answer.deadline.events.some((e) => e.kind === "extend");
        if (c.result.closedOn <= ev.dueOn) add(counts, extended ? `onTimeExtended:${year}` : `onTime:${year}`);
      }
    } else {
      add(counts, "open");
      const answer = c.deadlines["answer"];
      if (answer && !answer.stopped && !answer.paused && answer.dueOn < today) add(counts, "overdue");
    }
  } else if (c.workflow === "publication" && c.status === "published" && c.closedAt) {
    add(counts, `published:${shanghaiDate(new Date(c.closedAt)).slice(0, 7)}`);
  } else if (c.workflow === "consultation") {
    const comments = Array.isArray(d["comments"]) ? (d["comments"] as unknown[]).length : 0;
    const closed = c.status === "disposing" || c.status === "summarised" || (c.status === "submitted" && !d["exempt"]);
    const state = c.status === "open" ? "open" : closed ? "closed" : undefined;
    if (state) {
      add(counts, `consultations:${state}`);
      add(counts, `comments:${state}`, comments);
    }
  }
  return counts;
}

/** The workflows whose cases the figures count. */
export const countedWorkflows = ["application", "publication", "consultation"] as const;

/** `next - previous`, per key, leaving out keys that did not move. */
export function difference(next: Counts, previous: Counts): Counts {
  const out: Counts = {};
  for (const k of new Set([...Object.keys(next), ...Object.keys(previous)])) {
    const n = (next[k] ?? 0) - (previous[k] ?? 0);
    if (n !== 0) out[k] = n;
  }
  return out;
}

/** Counters plus a difference; keys that fall to zero are dropped so an item stays small. */
export function applyDifference(counts: Counts, delta: Counts): Counts {
  const out: Counts = { ...counts };
  for (const [k, n] of Object.entries(delta)) {
    const v = (out[k] ?? 0) + n;
    if (v === 0) delete out[k];
    else out[k] = v;
  }
  return out;
}

/** Several agencies' counters added up (the deployment). */
export function sumCounts(all: Counts[]): Counts {
  const out: Counts = {};
  for (const c of all) for (const [k, n] of Object.entries(c)) out[k] = (out[k] ?? 0) + n;
  return out;
}

/** The smallest n working days such that at least `q` of the answers took n days or fewer (exact on integer days). */
export function quantileOfHistogram(histogram: number[], q: number): number | undefined {
  const total = histogram.reduce((a, b) => a + b, 0);
  if (total === 0) return undefined;
  const rank = Math.ceil(q * total);
  let seen = 0;
  for (let n = 0; n < histogram.length; n++) {
    seen += histogram[n]!;
    if (seen >= Math.max(rank, 1)) return n;
  }
  return histogram.length - 1;
}

/**
 * The rule on small counts (docs/transparency.md): a figure of 1 to 4 in a *breakdown*
 * cell (a result cell, a month's applications) is shown as “<5”, so a rare outcome in a
 * small agency cannot point at one applicant. Totals (received, answered, on time, open,
 * overdue) are never suppressed: they are what the annual report publishes anyway, and
 * they must agree with it. Publications and consultations are the agency's own acts and
 * are shown as they are. The JSON and CSV apply the same rule.
 */
export const SMALL_COUNT_LIMIT = 5;
export type Shown = number | "<5";
export function shownCount(n: number): Shown {
  return n > 0 && n < SMALL_COUNT_LIMIT ? "<5" : n;
}

export interface YearFigures {
  year: number;
  received: number;
  answered: number;
  onTime: number;
  onTimeExtended: number;
  /** working days to answer, exact from the histogram; absent with no answers */
  medianWorkingDays?: number;
  p90WorkingDays?: number;
  /** result mix in the annual report's cells (SPEC §5.1), suppressed per the rule */
  results: Array<{ cell: ResultCell; label: string; count: Shown }>;
}

export interface TransparencyFigures {
  thisYear: YearFigures;
  lastYear: YearFigures;
  openNow: number;
  overdueNow: number;
  /** the twelve months of this year: applications received (suppressed) and documents published */
  months: Array<{ month: string; received: Shown; published: number }>;
  consultations: { open: number; closed: number; commentsOnOpen: number; commentsOnClosed: number };
}

function yearFigures(c: Counts, year: number): YearFigures {
  const hist = Array.from({ length: DAY_BUCKETS + 1 }, (_, n) => c[`days:${year}:${n}`] ?? 0);
  const median = quantileOfHistogram(hist, 0.5);
  const p90 = quantileOfHistogram(hist, 0.9);
  return {
    year,
    received: c[`received:${year}`] ?? 0,
    answered: c[`answered:${year}`] ?? 0,
    onTime: c[`onTime:${year}`] ?? 0,
    onTimeExtended: c[`onTimeExtended:${year}`] ?? 0,
    ...(median !== undefined ? { medianWorkingDays: median } : {}),
    ...(p90 !== undefined ? { p90WorkingDays: p90 } : {}),
    results: (Object.keys(resultCells) as ResultCell[]).map((cell) => ({ cell, label: resultCells[cell], count: shownCount(c[`cell:${year}:${cell}`] ?? 0) })),
  };
}

/** What the pages show, from counters, for the year of `today` and the one before. */
export function transparencyFigures(c: Counts, today: IsoDate): TransparencyFigures {
  const year = Number(today.slice(0, 4));
  return {
    thisYear: yearFigures(c, year),
    lastYear: yearFigures(c, year - 1),
    openNow: c["open"] ?? 0,
    overdueNow: c["overdue"] ?? 0,
    months: Array.from({ length: 12 }, (_, i) => {
      const month = `${year}-${String(i + 1).padStart(2, "0")}`;
      return { month, received: shownCount(c[`received:${month}`] ?? 0), published: c[`published:${month}`] ?? 0 };
    }),
    consultations: {
      open: c["consultations:open"] ?? 0,
      closed: c["consultations:closed"] ?? 0,
      commentsOnOpen: c["comments:open"] ?? 0,
      commentsOnClosed: c["comments:closed"] ?? 0,
    },
  };
}
