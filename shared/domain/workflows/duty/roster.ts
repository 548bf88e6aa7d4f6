import { addDays, isIsoDate, type IsoDate, type WorkingCalendar } from "../../calendar";
import type { FieldError } from "../../../schemas/errors";
import type { Role } from "../../roles";
import type { Person } from "./people";

/**
 * The monthly duty roster (值班表): who is on duty each working day and the leader on
 * duty (带班领导). Every working day of the month has both; the calendar decides which
 * days are working days (make-up days included, holidays left out).
 */

export interface RosterDay {
  date: IsoDate;
  officer: Person;
  leader: Person;
}

export interface DutyRoster {
  agencyCode: string;
  /** YYYY-MM */
  month: string;
  days: RosterDay[];
  revision: number;
  drawnUpBy: Person;
  drawnUpAt: string;
}

/** Who may be the leader on duty. */
export const DUTY_LEADER_ROLES: Role[] = ["leadership_group", "deputy_leader", "principal_leader"];

export const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Every working day of a month, in order. */
export function workingDaysOf(calendar: WorkingCalendar, month: string): IsoDate[] {
  const out: IsoDate[] = [];
  for (let d = `${month}-01`; d.startsWith(month); d = addDays(d, 1)) if (calendar.isWorkingDay(d)) out.push(d);
  return out;
}

interface StaffLike {
  username: string;
  displayName: string;
  roles: readonly string[];
}

/** Checks a roster as typed: each row's day, officer and leader; every working day covered once. */
export function checkRoster(
  calendar: WorkingCalendar,
  month: unknown,
  rows: unknown,
  staff: readonly StaffLike[],
): { days: RosterDay[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (typeof month !== "string" || !MONTH.test(month)) {
    return { days: [], errors: [{ path: "month", code: month === undefined ? "required" : "invalid_format", message: "月份应为 YYYY-MM 格式" }] };
  }
  if (!Array.isArray(rows) || rows.length === 0) return { days: [], errors: [{ path: "days", code: "required", message: "请填写每个工作日的值守人员和带班领导" }] };
  const byName = new Map(staff.map((s) => [s.username, s]));
  const days: RosterDay[] = [];
  const seen = new Set<string>();
  rows.forEach((raw, i) => {
    const r = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
    const at = (f: string) => `days[${i}].${f}`;
    const date = r.date;
    if (typeof date !== "string" || !isIsoDate(date)) {
      errors.push({ path: at("date"), code: "invalid_format", message: `第 ${i + 1} 行：日期应为 YYYY-MM-DD` });
      return;
    }
    if (!date.startsWith(month)) errors.push({ path: at("date"), code: "out_of_range", message: `${date} 不在 ${month} 内` });
    else if (!calendar.isWorkingDay(date)) errors.push({ path: at("date"), code: "not_working_day", message: `${date} 不是工作日` });
    else if (seen.has(date)) errors.push({ path: at("date"), code: "duplicate", message: `${date} 重复排班` });
    seen.add(date);
    const person = (field: "officer" | "leader", label: string, roles: readonly Role[]) => {
      const username = r[field];
      const s = typeof username === "string" ? byName.get(username.trim()) : undefined;
      if (!s) {
        errors.push({ path: at(field), code: username ? "unknown_user" : "required", message: `${date}：请选择${label}` });
        return undefined;
      }
      if (!s.roles.some((x) => roles.includes(x as Role))) {
        errors.push({ path: at(field), code: "wrong_role", message: `${date}：${s.displayName}不能担任${label}` });
        return undefined;
      }
      return { username: s.username, displayName: s.displayName };
    };
    const officer = person("officer", "值守人员", ["duty_officer"]);
    const leader = person("leader", "带班领导", DUTY_LEADER_ROLES);
    if (officer && leader) days.push({ date, officer, leader });
  });
  const missing = workingDaysOf(calendar, month).filter((d) => !seen.has(d));
  if (missing.length) errors.push({ path: "days", code: "incomplete", message: `以下工作日尚未排班：${missing.join("、")}` });
  return { days: days.sort((a, b) => a.date.localeCompare(b.date)), errors };
}
