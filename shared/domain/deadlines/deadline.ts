import type { ExplanationStep, IsoDate, WorkingCalendar } from "../calendar";
import { formatShanghaiTime, fromDayNumber, isIsoDate, shanghaiInstant, toDayNumber } from "../calendar";
import { answerWarningWorkingDays, deadlineKindLabels } from "./periods";

/** One change to a deadline's clock; kept forever so the due date can be explained. */
export interface DeadlineEvent {
  kind: "start" | "restart" | "pause" | "resume" | "extend";
  /** the civil day it takes effect (start/restart: the day of receipt, not counted) */
  on: IsoDate;
  /** extend only: working days added */
  days?: number;
  /** why, in Chinese, citing the rule (e.g. the art. 31 receipt rule) */
  reason: string;
  /** who made the change (username, or "system") */
  by: string;
  /** their name as people know it */
  byName?: string;
  /** ISO instant it was recorded */
  at: string;
}

/** A deadline is a start plus a period plus a history of clock events, never a stored date. */
export interface Deadline {
  kind: string;
  periodWorkingDays: number;
  /** 20 for the statutory answer */
  maxExtensionDays?: number;
  /** 40 for the statutory answer */
  maxTotalWorkingDays?: number;
  events: DeadlineEvent[];
}

export type DeadlineEventInput = Omit<DeadlineEvent, "kind" | "days">;
export interface DeadlineLimits {
  maxExtensionDays?: number;
  maxTotalWorkingDays?: number;
}

export type DeadlineRuleCode =
  | "INVALID_PERIOD"
  | "INVALID_DATE"
  | "EVENT_BEFORE_PREVIOUS"
  | "NOT_STARTED"
  | "ALREADY_PAUSED"
  | "NOT_PAUSED"
  | "EXTENSION_INVALID"
  | "EXTENSION_NOT_ALLOWED"
  | "EXTENSION_ALREADY_GRANTED"
  | "EXTENSION_OVER_CAP";

/** A change the rules refuse; the message is shown to staff (zh-CN). */
export class DeadlineRuleError extends Error {
  constructor(
    readonly code: DeadlineRuleCode,
    message: string,
  ) {
    super(message);
    this.name = "DeadlineRuleError";
  }
}

export function startDeadline(kind: string, periodWorkingDays: number, start: DeadlineEventInput, limits: DeadlineLimits = {}): Deadline {
  if (!Number.isInteger(periodWorkingDays) || periodWorkingDays < 1) {
    throw new DeadlineRuleError("INVALID_PERIOD", `期限应为至少 1 个工作日的整数，收到 ${periodWorkingDays}`);
  }
  checkDate(start.on);
  const d: Deadline = { kind, periodWorkingDays, events: [{ kind: "start", ...start }] };
  if (limits.maxExtensionDays !== undefined) d.maxExtensionDays = limits.maxExtensionDays;
  if (limits.maxTotalWorkingDays !== undefined) d.maxTotalWorkingDays = limits.maxTotalWorkingDays;
  return d;
}

/**
 * art. 30: after a correction the period runs again from receipt of the corrected
 * application. Earlier pauses and any extension belong to the old period and lapse;
 * they stay in the history (marked superseded in the explanation).
 */
export function restartDeadline(d: Deadline, e: DeadlineEventInput): Deadline {
  return append(d, { kind: "restart", ...e });
}

/** art. 33: waiting for a third party or another agency is not counted; working days after `on` stop counting. */
export function pauseDeadline(d: Deadline, e: DeadlineEventInput): Deadline {
  if (phase(d).pausedOn !== undefined) throw new DeadlineRuleError("ALREADY_PAUSED", "期限已处于暂停状态，不能再次暂停");
  return append(d, { kind: "pause", ...e });
}

/** Counting resumes the day after `on` (like a receipt day, the resume day itself is not counted). */
export function resumeDeadline(d: Deadline, e: DeadlineEventInput): Deadline {
  if (phase(d).pausedOn === undefined) throw new DeadlineRuleError("NOT_PAUSED", "期限未处于暂停状态，无需恢复计时");
  return append(d, { kind: "resume", ...e });
}

/** Once per period, at most maxExtensionDays more, never past maxTotalWorkingDays in total. */
export function extendDeadline(d: Deadline, e: DeadlineEventInput & { days: number }): Deadline {
  if (!Number.isInteger(e.days) || e.days < 1) throw new DeadlineRuleError("EXTENSION_INVALID", `延长天数应为正整数，收到 ${e.days}`);
  if (d.maxExtensionDays === undefined && d.maxTotalWorkingDays === undefined) {
    throw new DeadlineRuleError("EXTENSION_NOT_ALLOWED", `${label(d.kind)}不允许延长`);
  }
  const p = phase(d);
  if (p.extension) {
    throw new DeadlineRuleError("EXTENSION_ALREADY_GRANTED", `该期限已于 ${p.extension.on} 延长过一次（${p.extension.days ?? 0} 个工作日），不得再次延长`);
  }
  if (d.maxExtensionDays !== undefined && e.days > d.maxExtensionDays) {
    throw new DeadlineRuleError("EXTENSION_OVER_CAP", `延长期限最长不得超过 ${d.maxExtensionDays} 个工作日，申请延长 ${e.days} 个工作日`);
  }
  if (d.maxTotalWorkingDays !== undefined && d.periodWorkingDays + e.days > d.maxTotalWorkingDays) {
    throw new DeadlineRuleError(
      "EXTENSION_OVER_CAP",
      `延长后期限合计 ${d.periodWorkingDays + e.days} 个工作日，超过最长 ${d.maxTotalWorkingDays} 个工作日`,
    );
  }
  const { days, ...rest } = e;
  return append(d, { kind: "extend", ...rest, days });
}

function checkDate(on: string): void {
  if (!isIsoDate(on)) throw new DeadlineRuleError("INVALID_DATE", `日期无效："${on}"，应为 YYYY-MM-DD`);
}

function append(d: Deadline, e: DeadlineEvent): Deadline {
  checkDate(e.on);
  const last = d.events[d.events.length - 1];
  if (!last) throw new DeadlineRuleError("NOT_STARTED", "期限尚未起算");
  if (e.on < last.on) throw new DeadlineRuleError("EVENT_BEFORE_PREVIOUS", `${e.on} 早于上一次记录的日期 ${last.on}，期限历史只能向后追加`);
  return { ...d, events: [...d.events, e] };
}

interface Phase {
  startIndex: number;
  start: DeadlineEvent;
  extension?: DeadlineEvent;
  pausedOn?: IsoDate;
  /** closed pauses: working days in (from, to] are not counted */
  pauses: Array<{ from: IsoDate; to: IsoDate }>;
}

/** The current period: everything since the last start or restart. */
function phase(d: Deadline): Phase {
  let startIndex = -1;
  d.events.forEach((e, i) => {
    if (e.kind === "start" || e.kind === "restart") startIndex = i;
  });
  const start = d.events[startIndex];
  if (!start) throw new DeadlineRuleError("NOT_STARTED", "期限尚未起算");
  const p: Phase = { startIndex, start, pauses: [] };
  for (const e of d.events.slice(startIndex + 1)) {
    if (e.kind === "extend") p.extension = e;
    else if (e.kind === "pause") p.pausedOn = e.on;
    else if (e.kind === "resume" && p.pausedOn !== undefined) {
      p.pauses.push({ from: p.pausedOn, to: e.on });
      delete p.pausedOn;
    }
  }
  return p;
}

export interface DeadlineEvaluation {
  dueOn: IsoDate;
  /** the period reaches a year without an official schedule */
  provisional: boolean;
  paused: boolean;
  /** the period in force: base period plus any extension */
  totalWorkingDays: number;
  /** working days counted up to and including `today` */
  countedWorkingDays: number;
  /** working days not counted because the clock was stopped (up to `today` for a running pause) */
  pausedWorkingDays: number;
  /** zh-CN lines, from the history */
  explanation: string[];
  steps: ExplanationStep[];
}

interface Walk {
  dueDay: number;
  provisional: boolean;
  countedDays: number[];
  pausedWorkingDays: number;
  steps: ExplanationStep[];
}

function walk(cal: WorkingCalendar, p: Phase, total: number, today: IsoDate): Walk {
  const startDay = toDayNumber(p.start.on);
  const intervals = p.pauses.map((x) => [toDayNumber(x.from), toDayNumber(x.to)] as const);
  if (p.pausedOn !== undefined) {
    const from = toDayNumber(p.pausedOn);
    intervals.push([from, Math.max(from, toDayNumber(today))]);
  }
  const isPaused = (n: number) => intervals.some(([a, b]) => n > a && n <= b);
  const steps: ExplanationStep[] = [cal.describe(p.start.on, "start", 0)];
  const countedDays: number[] = [];
  let provisional = false;
  let pausedWorkingDays = 0;
  let n = startDay;
  while (countedDays.length < total) {
    n++;
    const date = fromDayNumber(n);
    const info = cal.day(date);
    provisional ||= info.provisional;
    if (!info.working) {
      steps.push(cal.describe(date, "skip", countedDays.length));
    } else if (isPaused(n)) {
      pausedWorkingDays++;
      steps.push(cal.describe(date, "paused", countedDays.length));
    } else {
      countedDays.push(n);
      const c = countedDays.length;
      if (c === total) steps.push(cal.describe(date, "due", c));
      else if (info.kind === "makeup_workday" || info.provisional) steps.push(cal.describe(date, "count", c));
    }
  }
  return { dueDay: n, provisional, countedDays, pausedWorkingDays, steps };
}

function label(kind: string): string {
  return deadlineKindLabels[kind] ?? `期限（${kind}）`;
}

/**
 * The due date as the history makes it, with the reasons. `today` (default: the
 * last event's date) only matters while paused: dueOn is then what it would be if
 * counting resumed on `today`, and countedWorkingDays is measured up to it.
 */
export function evaluateDeadline(cal: WorkingCalendar, d: Deadline, today?: IsoDate): DeadlineEvaluation {
  const p = phase(d);
  const last = d.events[d.events.length - 1];
  const asOf = today ?? last?.on ?? p.start.on;
  checkDate(asOf);
  const total = d.periodWorkingDays + (p.extension?.days ?? 0);
  const w = walk(cal, p, total, asOf);
  const asOfDay = toDayNumber(asOf);
  const counted = w.countedDays.filter((n) => n <= asOfDay).length;
  const dueOn = fromDayNumber(w.dueDay);
  const paused = p.pausedOn !== undefined;

  const explanation: string[] = [`${label(d.kind)}：${d.periodWorkingDays} 个工作日（起算日不计入，遇休息日顺延，调休上班日计入）。`];
  let runningPause: IsoDate | undefined;
  d.events.forEach((e, i) => {
    const who = `（${e.byName ?? (e.by === "system" ? "系统" : e.by)}，${formatShanghaiTime(e.at)} 北京时间）`;
    const superseded = i < p.startIndex ? "［已因重新起算失效］" : "";
    switch (e.kind) {
      case "start":
        explanation.push(`${e.on} 起算，当日不计入：${e.reason}${who}${superseded}`);
        break;
      case "restart":
        explanation.push(`${e.on} 重新起算，此前已计算的期限作废，当日不计入：${e.reason}${who}${superseded}`);
        break;
      case "pause":
        runningPause = e.on;
        explanation.push(`${e.on} 暂停计时，次日起不计入期限：${e.reason}${who}${superseded}`);
        break;
      case "resume": {
        const n = runningPause ? cal.workingDaysBetween(runningPause, e.on) : 0;
        runningPause = undefined;
        explanation.push(`${e.on} 恢复计时，次日起继续计算；暂停期间 ${n} 个工作日不计入：${e.reason}${who}${superseded}`);
        break;
      }
      case "extend":
        explanation.push(`${e.on} 延长 ${e.days ?? 0} 个工作日，期限合计 ${d.periodWorkingDays + (e.days ?? 0)} 个工作日：${e.reason}${who}${superseded}`);
        break;
    }
  });
  if (paused) explanation.push(`目前处于暂停状态（自 ${p.pausedOn} 起）；以下到期日按 ${asOf} 恢复计时推算，恢复越晚到期日越晚。`);
  const pausedNote = w.pausedWorkingDays > 0 ? `，另有 ${w.pausedWorkingDays} 个工作日因暂停不计入` : "";
  explanation.push(`到期日：${dueOn}（自 ${p.start.on} 次日起第 ${total} 个工作日${pausedNote}）。`);
  if (w.provisional) explanation.push("注意：期限跨入尚无官方放假安排的年份，仅按周末推算，为临时结果；录入该年放假安排后将重新计算。");

  return {
    dueOn,
    provisional: w.provisional,
    paused,
    totalWorkingDays: total,
    countedWorkingDays: counted,
    pausedWorkingDays: w.pausedWorkingDays,
    explanation,
    steps: w.steps,
  };
}

/** The end of the due day in Asia/Shanghai (23:59:59.999 +08:00). */
export function dueMoment(dueOn: IsoDate): Date {
  return shanghaiInstant(dueOn, "23:59:59.999");
}

export interface ReminderMoment {
  kind: "halfway" | "last_day" | "warning" | "overdue";
  at: Date;
  workingDaysLeft?: number;
}

const REMINDER_TIME = "09:00";

/**
 * Moments workflows turn into Scheduler schedules, in time order:
 * halfway = 09:00 on working day ⌊T/2⌋+1 (⌊T/2⌋ working days have passed; left out
 * when that is the due day); last_day = 09:00 on the due day; warning = 09:00 on the
 * working day N working days before the due day (default 5 and 2 for the statutory
 * answer, none otherwise); overdue = the instant the due day ends. A paused deadline
 * has none: its due day is unknown until it resumes.
 */
export function reminderMoments(cal: WorkingCalendar, d: Deadline, opts: { warnWorkingDaysBefore?: number[] } = {}): ReminderMoment[] {
  const p = phase(d);
  if (p.pausedOn !== undefined) return [];
  const total = d.periodWorkingDays + (p.extension?.days ?? 0);
  const last = d.events[d.events.length - 1];
  const w = walk(cal, p, total, last?.on ?? p.start.on);
  const dayAt = (count: number): number | undefined => w.countedDays[count - 1];
  const at9 = (n: number) => shanghaiInstant(fromDayNumber(n), REMINDER_TIME);
  const out: ReminderMoment[] = [];
  const halfway = dayAt(Math.floor(total / 2) + 1);
  if (halfway !== undefined && halfway !== w.dueDay) out.push({ kind: "halfway", at: at9(halfway), workingDaysLeft: total - Math.floor(total / 2) });
  const warnings = opts.warnWorkingDaysBefore ?? (d.kind === "answer" ? [...answerWarningWorkingDays] : []);
  for (const n of warnings) {
    const day = dayAt(total - n);
    if (Number.isInteger(n) && n > 0 && day !== undefined) out.push({ kind: "warning", at: at9(day), workingDaysLeft: n });
  }
  out.push({ kind: "last_day", at: at9(w.dueDay), workingDaysLeft: 1 });
  out.push({ kind: "overdue", at: dueMoment(fromDayNumber(w.dueDay)), workingDaysLeft: 0 });
  return out.sort((a, b) => a.at.getTime() - b.at.getTime());
}
