import type { AppDeps } from "../deps";
import { storeAndMail, storedReportPrefix, type StoredReportResult } from "./stored";
import { uninterpretedDocuments, type UninterpretedDocument } from "../interpretations/flag";
import { addDays, shanghaiDate, weekday, yearOf, type IsoDate, type WorkingCalendar } from "../../domain/calendar";
import type { CaseRecord, TaskRecord } from "../../domain/records";
import { roleLabel, type Role } from "../../domain/roles";
import { renderWeeklyReportDocument } from "../../ui/console/weekly-report";
import { logger } from "../../adapters/logger";

/**
 * The weekly risk report (SPEC §5 item 2): every open task and open application whose
 * deadline has passed or falls within the next 3 working days, by role, with the
 * statutory answer deadline and whether it is provisional. Each Monday 09:00 Beijing
 * time (manifest `weekly-risk-report`) it is stored in the files bucket and mailed to
 * the office director and the deputy leader, once per agency and week: the claim and
 * the mail are one commit, so a rerun stores and sends nothing twice. The console
 * computes the same report on demand.
 */

/** Working days ahead that count as "due soon". */
export const WEEKLY_HORIZON_DAYS = 3;
/** Who receives the Monday mail. */
export const WEEKLY_RECIPIENTS: readonly Role[] = ["office_director", "deputy_leader"];
/** Files bucket prefix of an agency's stored reports; `<prefix><monday>.html` and `.json`. */
export const weeklyReportPrefix = (agencyCode: string) => storedReportPrefix("weekly", agencyCode);

/** Working days from today to the due day: positive left, 0 today, negative overdue by. */
export interface RiskTiming {
  dueOn: IsoDate;
  provisional: boolean;
  workingDays: number;
  overdue: boolean;
}

export interface RiskTask extends RiskTiming {
  taskId: string;
  caseId: string;
  reference: string;
  title: string;
  role: Role;
  /** already masked */
  party: string;
  escalationLevel: number;
  escalatedTo: Role[];
}

export interface RiskRoleGroup {
  role: Role;
  roleLabel: string;
  /** display names of the agency's people holding the role (the task is the role's, whoever of them takes it) */
  people: string[];
  tasks: RiskTask[];
}

export interface RiskApplication extends RiskTiming {
  caseId: string;
  reference: string;
  /** already masked (the tasks' `party`) */
  party: string;
  status: string;
}

export interface CalendarWarning {
  /** the year whose holiday schedule is missing */
  year: number;
  /** open deadlines (case deadlines still running, and tasks with a period of their own) resting on a missing year */
  provisionalDeadlines: number;
}

export interface WeeklyRiskReport {
  agencyCode: string;
  agencyName: string;
  generatedAt: string;
  /** Beijing date it was computed on */
  today: IsoDate;
  /** the Monday of that week */
  week: IsoDate;
  horizonDays: number;
  roles: RiskRoleGroup[];
  applications: RiskApplication[];
  counts: { overdueTasks: number; dueSoonTasks: number; overdueApplications: number; dueSoonApplications: number };
  calendarWarning?: CalendarWarning;
  /** normative documents published without their interpretation (SPEC §3.4) */
  uninterpreted?: UninterpretedDocument[];
}

/** The Monday of the week a date lies in (weeks run Monday to Sunday). */
export function mondayOf(date: IsoDate): IsoDate {
  return addDays(date, -((weekday(date) + 6) % 7));
}

function timing(calendar: WorkingCalendar, today: IsoDate, dueOn: IsoDate, provisional: boolean): RiskTiming | undefined {
  const workingDays = calendar.workingDaysBetween(today, dueOn);
  const overdue = dueOn < today;
  if (!overdue && workingDays > WEEKLY_HORIZON_DAYS) return undefined;
  // overdue by zero working days (the due day was a Friday, today is Sunday) still reads as overdue
  return { dueOn, provisional, workingDays: overdue ? Math.min(workingDays, -1) : workingDays, overdue };
}

const bySoonest = (a: RiskTiming & { reference: string }, b: RiskTiming & { reference: string }) => a.dueOn.localeCompare(b.dueOn) || a.reference.localeCompare(b.reference);

/**
 * From 1 November, while next year's schedule is neither official nor entered, how many
 * open deadlines are provisional. A task due with a case deadline is that deadline, counted once.
 */
export function calendarWarning(calendar: WorkingCalendar, today: IsoDate, cases: readonly CaseRecord[], tasks: readonly TaskRecord[]): CalendarWarning | undefined {
  const year = yearOf(today) + 1;
  if (today.slice(5) < "11-01" || calendar.hasSchedule(year)) return undefined;
  const caseDeadlines = cases.flatMap((c) => Object.values(c.deadlines)).filter((d) => !d.stopped && d.provisional).length;
  const taskDeadlines = tasks.filter((t) => !t.dueWith && t.dueIsProvisional).length;
  return { year, provisionalDeadlines: caseDeadlines + taskDeadlines };
}

/** The warning for the console's front page: read only in November and December, when it can apply. */
export async function calendarWarningFor(deps: AppDeps, agencyCode: string, now: Date): Promise<CalendarWarning | undefined> {
  const today = shanghaiDate(now);
  const calendar = await deps.calendar();
  if (today.slice(5) < "11-01" || calendar.hasSchedule(yearOf(today) + 1)) return undefined;
  const [cases, tasks] = await Promise.all([deps.store.cases.listOpen(agencyCode), deps.store.tasks.listOpen(agencyCode)]);
  return calendarWarning(calendar, today, cases, tasks);
}

export async function weeklyRiskReport(deps: AppDeps, agencyCode: string, now: Date): Promise<WeeklyRiskReport> {
  const [agency, users, tasks, cases, calendar] = await Promise.all([
    deps.store.directory.agency(agencyCode),
    deps.store.directory.users(agencyCode),
    deps.store.tasks.listOpen(agencyCode),
    deps.store.cases.listOpen(agencyCode),
    deps.calendar(),
  ]);
  const today = shanghaiDate(now);

  const groups = new Map<Role, RiskTask[]>();
  for (const t of tasks) {
    const when = timing(calendar, today, t.dueOn, t.dueIsProvisional);
    if (!when) continue;
    const item: RiskTask = {
      ...when,
      taskId: t.taskId,
      caseId: t.caseId,
      reference: t.reference,
      title: t.title,
      role: t.role,
      party: t.party,
      escalationLevel: t.escalationLevel,
      escalatedTo: t.escalatedTo,
    };
    groups.set(t.role, [...(groups.get(t.role) ?? []), item]);
  }
  const roles: RiskRoleGroup[] = [...groups]
    .map(([role, items]) => ({
      role,
      roleLabel: roleLabel(role),
      people: users.filter((u) => u.roles.includes(role)).map((u) => u.displayName),
      tasks: items.sort(bySoonest),
    }))
    .sort((a, b) => a.tasks[0]!.dueOn.localeCompare(b.tasks[0]!.dueOn) || a.role.localeCompare(b.role));

  const partyOf = new Map(tasks.map((t) => [t.caseId, t.party]));
  const applications: RiskApplication[] = [];
  for (const c of cases) {
    const answer = c.deadlines.answer;
    if (c.workflow !== "application" || !answer || answer.stopped || answer.paused) continue;
    const when = timing(calendar, today, answer.dueOn, answer.provisional);
    if (!when) continue;
    const party = partyOf.get(c.caseId) ?? (await deps.store.tasks.ofCase(c.caseId))[0]?.party ?? "—";
    applications.push({ ...when, caseId: c.caseId, reference: c.reference, party, status: c.status });
  }
  applications.sort(bySoonest);

  const all = roles.flatMap((g) => g.tasks);
  const warning = calendarWarning(calendar, today, cases, tasks);
  const uninterpreted = await uninterpretedDocuments(deps, cases);
  return {
    agencyCode,
    agencyName: agency?.name ?? agencyCode,
    generatedAt: now.toISOString(),
    today,
    week: mondayOf(today),
    horizonDays: WEEKLY_HORIZON_DAYS,
    roles,
    applications,
    counts: {
      overdueTasks: all.filter((t) => t.overdue).length,
      dueSoonTasks: all.filter((t) => !t.overdue).length,
      overdueApplications: applications.filter((a) => a.overdue).length,
      dueSoonApplications: applications.filter((a) => !a.overdue).length,
    },
    ...(warning ? { calendarWarning: warning } : {}),
    ...(uninterpreted.length ? { uninterpreted } : {}),
  };
}

export interface WeeklySendResult extends StoredReportResult {
  week: IsoDate;
}

function mailText(r: WeeklyRiskReport, link: string): string {
  const lines = [
    `${r.agencyName} 本周（${r.week} 起）办理风险周报：`,
    `已逾期待办 ${r.counts.overdueTasks} 件，${r.horizonDays} 个工作日内到期待办 ${r.counts.dueSoonTasks} 件；`,
    `已超过法定答复期限的申请 ${r.counts.overdueApplications} 件，${r.horizonDays} 个工作日内到期的申请 ${r.counts.dueSoonApplications} 件。`,
  ];
  if (r.calendarWarning) {
    lines.unshift(`【日历提醒】${r.calendarWarning.year} 年节假日安排尚未录入，当前有 ${r.calendarWarning.provisionalDeadlines} 个办理期限为暂定日期，请尽快录入。`);
  }
  if (r.uninterpreted?.length) lines.push(`【政策解读】${r.uninterpreted.length} 件行政规范性文件已发布但解读尚未发布：${r.uninterpreted.map((u) => `《${u.title}》（${u.documentNumber}）`).join("、")}。`);
  lines.push("详见附件；也可随时在控制台查看：", link);
  return lines.join("\n");
}

/** One agency's report of the week `now` lies in: stored and mailed unless that week's was already. */
export async function sendWeeklyReport(deps: AppDeps, agencyCode: string, now = deps.clock.now()): Promise<WeeklySendResult> {
  const week = mondayOf(shanghaiDate(now));
  let counts: WeeklyRiskReport["counts"] | undefined;
  const result = await storeAndMail(
    deps,
    {
      kind: "weekly",
      agencyCode,
      period: week,
      prepare: async () => {
        const report = await weeklyRiskReport(deps, agencyCode, now);
        counts = report.counts;
        return {
          files: { json: JSON.stringify(report, null, 2), html: renderWeeklyReportDocument(report) },
          mail: {
            roles: WEEKLY_RECIPIENTS,
            subject: `【周报】办理风险周报（${week} 起）${report.calendarWarning ? "：节假日安排未录入" : ""}`,
            text: mailText(report, `${deps.config.publicBaseUrl}/console/reports/weekly`),
            attach: "html",
            filename: `办理风险周报-${week}.html`,
          },
        };
      },
    },
    now,
  );
  if (result.sent) logger.info("weekly report sent", { agencyCode, week, recipients: result.recipients, ...counts });
  return { ...result, week };
}

/** Every agency's report of the current week (Asia/Shanghai). */
export async function sendWeeklyReports(deps: AppDeps): Promise<{ week: IsoDate; agencies: WeeklySendResult[] }> {
  const now = deps.clock.now();
  const agencies = await deps.store.directory.agencies();
  const out: WeeklySendResult[] = [];
  for (const a of agencies) out.push(await sendWeeklyReport(deps, a.code, now));
  return { week: mondayOf(shanghaiDate(now)), agencies: out };
}
