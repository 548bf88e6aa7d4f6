import type { AppDeps } from "../app/deps";
import { file, HttpRefusal, json, readJson, type Route } from "./http";
import { checkCsrf, requireStaff } from "./staff-auth";
import { ValidationError } from "../app/errors";
import { annualReportFor, finaliseAnnualReport } from "../app/reports/annual";
import { enterProactiveFigures, recordRemedy } from "../app/reports/records";
import { annualNarrative, saveNarrative } from "../app/reports/narrative";
import { parseReportYear, REPORT_ROLES } from "../app/reports/annual";
import { shanghaiDate } from "../domain/calendar";
import { ForbiddenError } from "../app/errors";
import { monthlyReportFor } from "../app/reports/monthly";
import { renderMonthlyReportHtml } from "../ui/reports/monthly-html";
import { importApplications, parseCsv, uploadedTable } from "../app/reports/import";
import { isMultipart, readMultipart } from "./multipart";
import { ATTACHMENT_BODY_LIMIT_BYTES } from "./limits";
import { renderAnnualReportCsv } from "../ui/reports/annual-csv";
import { renderAnnualReportHtml } from "../ui/reports/annual-html";
import { renderAnnualReportXlsx } from "../ui/reports/annual-xlsx";

/** The staff API of the compliance reports (SPEC §7.2 `GET /api/v1/reports/annual`). */

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

const formats = ["json", "csv", "xlsx", "html"] as const;

export function reportApiRoutes(getDeps: () => AppDeps): Route[] {
  return [
    {
      path: "/api/v1/imports/applications",
      methods: {
        POST: async (req) => {
          const deps = getDeps();
          const staff = await requireStaff(deps, req);
          checkCsrf(staff, req);
          let table: string[][];
          if (isMultipart(req)) {
            const form = await readMultipart(req, { maxBodyBytes: ATTACHMENT_BODY_LIMIT_BYTES, maxFiles: 1, maxFileBytes: 4 * 1024 * 1024 });
            const upload = form.files[0];
            if (!upload) throw new ValidationError("VALIDATION_FAILED", "请选择要导入的文件", [{ path: "file", code: "required", message: "请选择 .xlsx 或 .csv 文件" }]);
            table = await uploadedTable(upload.name, upload.bytes);
          } else if (/^text\/csv\b/i.test(req.headers["content-type"] ?? "")) table = parseCsv(req.body);
          else throw new HttpRefusal(415, "UNSUPPORTED_MEDIA_TYPE", "请以 text/csv 或 multipart/form-data（.xlsx、.csv 文件）上传");
          return json(201, await importApplications(deps, staff.principal, table));
        },
      },
    },
    {
      path: "/api/v1/reports/monthly",
      methods: {
        GET: async (req) => {
          const deps = getDeps();
          const staff = await requireStaff(deps, req);
          const format = req.query.get("format") ?? "json";
          if (format !== "json" && format !== "html") throw new ValidationError("VALIDATION_FAILED", "格式无效", [{ path: "format", code: "invalid_choice", message: "格式应为 json 或 html" }]);
          const report = await monthlyReportFor(deps, staff.principal, { month: req.query.get("month") });
          return format === "json" ? json(200, report) : file(Buffer.from(renderMonthlyReportHtml(report), "utf8"), "text/html; charset=utf-8", `${report.agency.name}${report.month}信息发布情况.html`, true);
        },
      },
    },
    {
      path: "/api/v1/reports/annual/entries",
      methods: {
        POST: async (req) => {
          const deps = getDeps();
          const staff = await requireStaff(deps, req);
          checkCsrf(staff, req);
          return json(201, await enterProactiveFigures(deps, staff.principal, readJson(req)));
        },
      },
    },
    {
      path: "/api/v1/reports/annual/narrative",
      methods: {
        GET: async (req) => {
          const deps = getDeps();
          const staff = await requireStaff(deps, req);
          if (!staff.principal.roles.some((r) => REPORT_ROLES.includes(r))) throw new ForbiddenError("当前角色无权查看年度报告");
          const year = parseReportYear(req.query.get("year"), shanghaiDate(deps.clock.now()));
          const report = await annualReportFor(deps, staff.principal, { year: String(year) });
          return json(200, { year, sections: await annualNarrative(deps, report) });
        },
        POST: async (req) => {
          const deps = getDeps();
          const staff = await requireStaff(deps, req);
          checkCsrf(staff, req);
          return json(200, await saveNarrative(deps, staff.principal, readJson(req)));
        },
      },
    },
    {
      path: "/api/v1/reports/annual/final",
      methods: {
        POST: async (req) => {
          const deps = getDeps();
          const staff = await requireStaff(deps, req);
          checkCsrf(staff, req);
          const body = readJson(req) as { year?: unknown } | null;
          return json(200, await finaliseAnnualReport(deps, staff.principal, { year: body && body.year !== undefined ? String(body.year) : null }));
        },
      },
    },
    {
      path: "/api/v1/cases/{caseId}/remedies",
      methods: {
        POST: async (req) => {
          const deps = getDeps();
          const staff = await requireStaff(deps, req);
          checkCsrf(staff, req);
          return json(201, await recordRemedy(deps, staff.principal, req.params.caseId ?? "", readJson(req)));
        },
      },
    },
    {
      path: "/api/v1/reports/annual",
      methods: {
        GET: async (req) => {
          const deps = getDeps();
          const staff = await requireStaff(deps, req);
          const format = (req.query.get("format") ?? "json") as (typeof formats)[number];
          if (!formats.includes(format)) throw new ValidationError("VALIDATION_FAILED", "格式无效", [{ path: "format", code: "invalid_choice", message: "格式应为 json、csv、xlsx 或 html" }]);
          const report = await annualReportFor(deps, staff.principal, { agency: req.query.get("agency"), year: req.query.get("year") });
          const name = `${report.agency.name}${report.year}年政府信息公开工作年度报告`;
          // the documents carry the text sections too; the JSON (§7.2) is the tables' alone
          const narrative = format === "xlsx" || format === "html" ? await annualNarrative(deps, report) : undefined;
          switch (format) {
            case "json":
              return json(200, report);
            case "csv":
              return file(Buffer.from(renderAnnualReportCsv(report), "utf8"), "text/csv; charset=utf-8", `${name}.csv`);
            case "xlsx":
              return file(await renderAnnualReportXlsx(report, narrative), XLSX, `${name}.xlsx`);
            case "html":
              return file(Buffer.from(renderAnnualReportHtml(report, narrative), "utf8"), "text/html; charset=utf-8", `${name}.html`, true);
          }
        },
      },
    },
  ];
}
