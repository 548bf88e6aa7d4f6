/**
 * The console's 年度报告 page (SPEC §5): `GET /console/reports/annual?year=YYYY` (default:
 * last year) for the office, its director, the deputy and principal leaders and the
 * auditor (others get a 403 inside the console), and its forms — a §5.2 item entered by
 * hand, the import of applications handled before the system (an .xlsx or .csv file), 定稿. Every
 * POST carries the session's CSRF token; a saved form redirects (303) back to the page
 * with a notice, a refused one shows the page again (400, 409 for 定稿 with failed checks).
 *
 * Mounted by the staff-console function next to consolePageRoutes (`/console/{proxy+}`).
 */
import type { AppDeps } from "../app/deps";
import { ConflictError, ValidationError, type FieldError } from "../app/errors";
import { annualReportFor, finalReport, finaliseAnnualReport } from "../app/reports/annual";
import { importApplications, uploadedTable } from "../app/reports/import";
import { enterProactiveFigures } from "../app/reports/records";
import { annualNarrative, saveNarrative } from "../app/reports/narrative";
import { narrativeKeys } from "../domain/report/narrative";
import { shanghaiDate } from "../domain/calendar";
import { proactiveColumnKeys } from "../domain/report/annual";
import {
  ANNUAL_ENTRIES_PATH,
  ANNUAL_FINAL_PATH,
  ANNUAL_IMPORT_PATH,
  ANNUAL_NARRATIVE_PATH,
  ANNUAL_REPORT_PATH,
  renderAnnualReportPage,
  type AnnualReportPageInput,
} from "../ui/console/annual-report";
import { html, readForm, redirect, type HttpRequest, type Route } from "./http";
import { ATTACHMENT_BODY_LIMIT_BYTES } from "./limits";
import { readMultipart, type MultipartBody } from "./multipart";
import { checkCsrf, type StaffRequest } from "./staff-auth";
import { consolePage, consoleUser } from "./console-page";

const IMPORT_MAX_FILE_BYTES = 4 * 1024 * 1024;

/** The year asked for, or last year (Beijing time); an invalid one is refused by annualReportFor. */
function yearOf(raw: string | null | undefined, deps: AppDeps): string {
  const given = raw?.trim();
  return given ? given : String(Number(shanghaiDate(deps.clock.now()).slice(0, 4)) - 1);
}

const pagePath = (year: string | number, extra = "") => `${ANNUAL_REPORT_PATH}?year=${encodeURIComponent(String(year))}${extra}`;

/** A number typed into the form: empty is absent (required), anything not a number stays text (wrong type). */
function numberOf(raw: string | undefined): number | string | undefined {
  const t = (raw ?? "").trim();
  if (t === "") return undefined;
  return /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(t) ? Number(t) : t;
}

/** The uploaded file as rows (throws before the async read, so a missing file is refused at once). */
function tableOf(form: MultipartBody): Promise<string[][]> {
  const upload = form.files[0];
  if (!upload) throw new ValidationError("VALIDATION_FAILED", "请选择要导入的文件", [{ path: "file", code: "required", message: "请选择 .xlsx 或 .csv 文件" }]);
  if (upload.truncated) throw new ValidationError("VALIDATION_FAILED", "文件过大", [{ path: "file", code: "too_large", message: `文件不能超过 ${IMPORT_MAX_FILE_BYTES / 1024 / 1024} MB` }]);
  return uploadedTable(upload.name, upload.bytes);
}

/** GET /console/reports/annual; POST …/entries, …/import, …/final. */
export function annualReportPageRoutes(getDeps: () => AppDeps): Route[] {
  const page = consolePage(getDeps);

  async function show(staff: StaffRequest, deps: AppDeps, year: string, extra: Partial<AnnualReportPageInput> = {}): Promise<string> {
    const report = await annualReportFor(deps, staff.principal, { year });
    const [final, narrative] = await Promise.all([finalReport(deps, staff.principal.agencyCode, report.year), annualNarrative(deps, report)]);
    return renderAnnualReportPage({ user: consoleUser(staff), csrfToken: staff.principal.csrfToken, report, narrative, final, ...extra });
  }

  const count = (req: HttpRequest, name: string) => {
    const v = req.query.get(name) ?? "";
    return /^\d{1,6}$/.test(v) ? Number(v) : 0;
  };

  return [
    {
      path: ANNUAL_REPORT_PATH,
      methods: {
        GET: page(async (req, staff, deps) => {
          const notice: AnnualReportPageInput["notice"] =
            req.query.get("saved") === "1"
              ? { kind: "entry" }
              : req.query.get("saved") === "narrative"
                ? { kind: "narrative" }
              : req.query.get("finalised") === "1"
                ? { kind: "final" }
                : req.query.has("imported")
                  ? { kind: "import", imported: count(req, "imported"), unchanged: count(req, "unchanged") }
                  : undefined;
          return html(200, await show(staff, deps, yearOf(req.query.get("year"), deps), { notice }));
        }),
      },
    },
    {
      path: ANNUAL_ENTRIES_PATH,
      methods: {
        POST: page(async (req, staff, deps) => {
          const form = readForm(req);
          checkCsrf(staff, req, form.csrfToken);
          const year = yearOf(form.year, deps);
          const values: Record<string, number | string> = {};
          for (const field of proactiveColumnKeys) {
            const v = numberOf(form[`values.${field}`]);
            if (v !== undefined) values[field] = v;
          }
          try {
            await enterProactiveFigures(deps, staff.principal, { year, item: form.item, values });
            return redirect(pagePath(year, `&saved=1#entry-${encodeURIComponent(form.item ?? "")}`));
          } catch (error) {
            if (!(error instanceof ValidationError)) throw error;
            return html(400, await show(staff, deps, year, { entry: { item: form.item ?? "", values: form, errors: error.fields } }));
          }
        }),
      },
    },
    {
      path: ANNUAL_NARRATIVE_PATH,
      methods: {
        POST: page(async (req, staff, deps) => {
          const form = readForm(req);
          checkCsrf(staff, req, form.csrfToken);
          const year = yearOf(form.year, deps);
          const texts: Record<string, string> = {};
          for (const key of narrativeKeys) if (form[`sections.${key}`] !== undefined) texts[key] = form[`sections.${key}`]!;
          try {
            await saveNarrative(deps, staff.principal, { year, sections: texts });
            return redirect(pagePath(year, "&saved=narrative#narrative"));
          } catch (error) {
            if (!(error instanceof ValidationError)) throw error;
            return html(400, await show(staff, deps, year, { narrativeRefused: { texts, errors: error.fields } }));
          }
        }),
      },
    },
    {
      path: ANNUAL_IMPORT_PATH,
      // a file of up to 5,000 rows, as /api/v1/imports/applications (belongs in shared/http/limits.ts' bodyLimits too)
      maxBodyBytes: ATTACHMENT_BODY_LIMIT_BYTES,
      methods: {
        POST: page(async (req, staff, deps) => {
          let form: MultipartBody;
          try {
            form = await readMultipart(req, { maxBodyBytes: ATTACHMENT_BODY_LIMIT_BYTES, maxFiles: 1, maxFileBytes: IMPORT_MAX_FILE_BYTES });
          } catch (error) {
            if (!(error instanceof ValidationError)) throw error;
            const errors: FieldError[] = error.fields.length ? error.fields : [{ path: "", code: error.code, message: error.message }];
            return html(400, await show(staff, deps, yearOf(req.query.get("year"), deps), { importErrors: { message: error.message, errors } }));
          }
          checkCsrf(staff, req, form.fields.csrfToken);
          const year = yearOf(form.fields.year, deps);
          try {
            const result = await importApplications(deps, staff.principal, await tableOf(form));
            return redirect(pagePath(year, `&imported=${result.imported}&unchanged=${result.unchanged}#import`));
          } catch (error) {
            if (!(error instanceof ValidationError)) throw error;
            return html(400, await show(staff, deps, year, { importErrors: { message: error.message, errors: error.fields } }));
          }
        }),
      },
    },
    {
      path: ANNUAL_FINAL_PATH,
      methods: {
        POST: page(async (req, staff, deps) => {
          const form = readForm(req);
          checkCsrf(staff, req, form.csrfToken);
          const year = yearOf(form.year, deps);
          try {
            const final = await finaliseAnnualReport(deps, staff.principal, { year });
            return redirect(pagePath(final.report.year, "&finalised=1"));
          } catch (error) {
            if (!(error instanceof ConflictError)) throw error;
            return html(409, await show(staff, deps, year, { finalRefused: error.code === "REPORT_CHECKS_FAILED" ? "以下校验未通过，修改后才能定稿。" : error.message }));
          }
        }),
      },
    },
  ];
}
