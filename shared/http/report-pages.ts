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
import { consolePage, consoleUser } from "./console-page";
import { requireRole } from "./staff-auth";

/** Who may read the weekly risk report. */
export const WEEKLY_REPORT_ROLES: Role[] = ["office_staff", "office_director", "deputy_leader", "principal_leader", "auditor"];

const WEEK = /^\d{4}-\d{2}-\d{2}$/;

/** GET /console/reports/weekly, /console/reports/weekly/archive and /console/reports/weekly/archive/{date}. */
export function reportPageRoutes(getDeps: () => AppDeps): Route[] {
  const page = consolePage(getDeps);
  return [
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
