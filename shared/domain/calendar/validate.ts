import { isIsoDate, toDayNumber, weekdayOfDayNumber, yearOf } from "./civil-date";
import type { YearSchedule } from "./types";

/** Years an administrator may enter; outside this range a schedule is surely a typo. */
export const MIN_SCHEDULE_YEAR = 2000;
export const MAX_SCHEDULE_YEAR = 2100;

export interface ScheduleIssue {
  /** e.g. `holidays[2].from` */
  path: string;
  /** zh-CN */
  message: string;
}

/**
 * Rules a structurally valid schedule must also meet: the year in range, every date
 * inside that year, ranges ordered and disjoint, make-up days on weekends and not
 * inside a holiday range.
 */
export function validateYearSchedule(s: YearSchedule): ScheduleIssue[] {
  const issues: ScheduleIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });
  if (!Number.isInteger(s.year) || s.year < MIN_SCHEDULE_YEAR || s.year > MAX_SCHEDULE_YEAR) {
    add("year", `年份应为 ${MIN_SCHEDULE_YEAR} 至 ${MAX_SCHEDULE_YEAR} 之间的整数`);
    return issues;
  }
  const inYear = (path: string, date: string): boolean => {
    if (!isIsoDate(date)) {
      add(path, `"${date}" 不是有效日期（应为 YYYY-MM-DD）`);
      return false;
    }
    if (yearOf(date) !== s.year) {
      add(path, `日期 ${date} 不在 ${s.year} 年内`);
      return false;
    }
    return true;
  };
  if (!s.notice.documentNumber.trim()) add("notice.documentNumber", "文号不能为空");
  if (!isIsoDate(s.notice.issuedOn)) add("notice.issuedOn", `"${s.notice.issuedOn}" 不是有效日期（应为 YYYY-MM-DD）`);
  if (!s.notice.title.trim()) add("notice.title", "标题不能为空");

  const ranges: Array<{ from: number; to: number; index: number }> = [];
  s.holidays.forEach((h, i) => {
    if (!h.name.trim()) add(`holidays[${i}].name`, "节日名称不能为空");
    const okFrom = inYear(`holidays[${i}].from`, h.from);
    const okTo = inYear(`holidays[${i}].to`, h.to);
    if (!okFrom || !okTo) return;
    const from = toDayNumber(h.from);
    const to = toDayNumber(h.to);
    if (from > to) {
      add(`holidays[${i}].to`, `结束日期 ${h.to} 早于开始日期 ${h.from}`);
      return;
    }
    const clash = ranges.find((r) => from <= r.to && r.from <= to);
    if (clash) add(`holidays[${i}].from`, `与第 ${clash.index + 1} 个放假区间重叠`);
    ranges.push({ from, to, index: i });
  });

  const seen = new Set<number>();
  s.makeUpWorkdays.forEach((m, i) => {
    if (!m.holiday.trim()) add(`makeUpWorkdays[${i}].holiday`, "对应节日不能为空");
    if (!inYear(`makeUpWorkdays[${i}].date`, m.date)) return;
    const day = toDayNumber(m.date);
    const w = weekdayOfDayNumber(day);
    if (w !== 0 && w !== 6) add(`makeUpWorkdays[${i}].date`, `调休上班日 ${m.date} 不是周六或周日`);
    if (ranges.some((r) => day >= r.from && day <= r.to)) add(`makeUpWorkdays[${i}].date`, `调休上班日 ${m.date} 落在放假区间内`);
    if (seen.has(day)) add(`makeUpWorkdays[${i}].date`, `调休上班日 ${m.date} 重复`);
    seen.add(day);
  });

  (s.corrections ?? []).forEach((c, i) => {
    if (!c.documentNumber.trim()) add(`corrections[${i}].documentNumber`, "文号不能为空");
    if (!isIsoDate(c.issuedOn)) add(`corrections[${i}].issuedOn`, `"${c.issuedOn}" 不是有效日期（应为 YYYY-MM-DD）`);
    if (!c.note.trim()) add(`corrections[${i}].note`, "说明不能为空");
  });
  return issues;
}
