/**
 * The console's 风险周报 pages (SPEC §5 item 2): the weekly risk report computed now, the
 * list of the copies stored each Monday, and each stored copy as it was mailed. For the
 * office, its director, the deputy and principal leaders and the auditor; others get a
 * 403 inside the console. Mounted by the staff-console function (`/console/{proxy+}`).
 */
import type { AppDeps } from "../app/deps";
import { NotFoundError } from "../app/errors";
import { weeklyReportPrefix, weeklyRiskReport } from "../app/reports/weekly";
import type { Role } from "../domain/roles";
import { WEEKLY_ARCHIVE_PATH, WEEKLY_REPORT_PATH, renderWeeklyArchivePage, renderWeeklyReportPage } from "../ui/console/weekly-report";
import { file, html, type Route } from "./http";
import { monthlyReportFor, previousMonth } from "../app/reports/monthly";
import { fileTypes, storedReportKey, storedReportKinds, type StoredFileType, type StoredReportKind } from "../app/reports/stored";
import { storedReports } from "../app/reports/stored";
import { MONTHLY_REPORT_PATH, periodZh, REPORT_ARCHIVE_PATH, renderMonthlyReportPage, renderReportArchivePage } from "../ui/console/reports";
import { shanghaiDate } from "../domain/calendar";
import { consolePage, consoleUser } from "./console-page";
import { requireRole } from "./staff-auth";

/** Who may read the weekly risk report. */
export const WEEKLY_REPORT_ROLES: Role[] = ["office_staff", "office_director", "deputy_leader", "principal_leader", "auditor"];

const WEEK = /^\d{4}-\d{2}-\d{2}$/;

/**
 * GET /console/reports/weekly, /console/reports/weekly/archive and /console/reports/weekly/archive/{date};
 * /console/reports/monthly?month=YYYY-MM (default: last month); /console/reports/archive and each
 * stored copy at /console/reports/archive/{kind}/{file} (e.g. `monthly/2026-11.html`).
 */
export function reportPageRoutes(getDeps: () => AppDeps): Route[] {
  const page = consolePage(getDeps);
  return [
    {
      path: MONTHLY_REPORT_PATH,
      methods: {
        GET: page(async (req, staff, deps) => {
          const month = req.query.get("month")?.trim() || previousMonth(shanghaiDate(deps.clock.now()));
          const report = await monthlyReportFor(deps, staff.principal, { month });
          return html(200, renderMonthlyReportPage({ user: consoleUser(staff), report }));
        }),
      },
    },
    {
      path: REPORT_ARCHIVE_PATH,
      methods: {
        GET: page(async (_req, staff, deps) => {
          requireRole(staff, WEEKLY_REPORT_ROLES);
          return html(200, renderReportArchivePage({ user: consoleUser(staff), reports: await storedReports(deps, staff.principal.agencyCode) }));
        }),
      },
    },
    {
      path: `${REPORT_ARCHIVE_PATH}/{kind}/{file}`,
      params: { kind: { pattern: /^(weekly|monthly|annual)$/, maxLength: 7 }, file: { pattern: /^[0-9-]{4,10}\.(html|json|xlsx)$/, maxLength: 15 } },
      methods: {
        GET: page(async (req, staff, deps) => {
          requireRole(staff, WEEKLY_REPORT_ROLES);
          const kind = req.params.kind as StoredReportKind;
          const [, period, type] = /^(.+)\.(html|json|xlsx)$/.exec(req.params.file!)!;
          if (!storedReportKinds[kind].period.test(period!)) throw new NotFoundError("没有这一期的报告存档");
          const stored = await deps.files.get(storedReportKey(kind, staff.principal.agencyCode, period!, type as StoredFileType));
          if (!stored) throw new NotFoundError(`没有${periodZh(kind, period!)}的${storedReportKinds[kind].label}存档`);
          return file(stored.body, fileTypes[type as StoredFileType].contentType, `${storedReportKinds[kind].label}-${period}.${type}`, type === "html");
        }),
      },
    },
    {
      path: WEEKLY_REPORT_PATH,
      methods: {
        GET: page(async (_req, staff, deps) => {
          requireRole(staff, WEEKLY_REPORT_ROLES);
          const report = await weeklyRiskReport(deps, staff.principal.agencyCode, deps.clock.now());
          return html(200, renderWeeklyReportPage({ user: consoleUser(staff), report }));
        }),
      },
    },
    {
      path: WEEKLY_ARCHIVE_PATH,
      methods: {
        GET: page(async (_req, staff, deps) => {
          requireRole(staff, WEEKLY_REPORT_ROLES);
          const prefix = weeklyReportPrefix(staff.principal.agencyCode);
          const weeks = (await deps.files.list(prefix))
            .filter((k) => k.endsWith(".html"))
            .map((k) => k.slice(prefix.length, -".html".length))
            .filter((w) => WEEK.test(w))
            .sort()
            .reverse();
          return html(200, renderWeeklyArchivePage({ user: consoleUser(staff), weeks }));
        }),
      },
    },
    {
      path: `${WEEKLY_ARCHIVE_PATH}/{date}`,
      params: { date: { pattern: WEEK, maxLength: 10 } },
      methods: {
        GET: page(async (req, staff, deps) => {
          requireRole(staff, WEEKLY_REPORT_ROLES);
          const date = req.params.date!;
          const stored = await deps.files.get(`${weeklyReportPrefix(staff.principal.agencyCode)}${date}.html`);
          if (!stored) throw new NotFoundError(`没有 ${date} 起一周的周报存档`);
          return file(stored.body, stored.contentType, `办理风险周报-${date}.html`, true);
        }),
      },
    },
  ];
}
