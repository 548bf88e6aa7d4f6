import type { AppDeps } from "../app/deps";
import { file, json, readJson, type Route } from "./http";
import { checkCsrf, requireStaff } from "./staff-auth";
import { requestCatalogueChange, submitDocument, submitPublication } from "../app/publishing/submit";
import { loadApprovalForm } from "../app/publishing/approval-form";
import { viewCaseAsStaff } from "../app/views/case";
import { NotFoundError, ValidationError } from "../app/errors";
import { renderApprovalFormHtml } from "../ui/approval-form/html";
import { renderApprovalFormDocx } from "../ui/approval-form/docx";
import { APPROVAL_FORM_TITLE } from "../domain/approval-form";

/**
 * The staff API that starts the publishing workflows (SPEC §7.2) and serves an item's
 * approval form. Review itself goes through `/api/v1/tasks/{taskId}/complete` like every
 * workflow.
 */

const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

export function publishingApiRoutes(getDeps: () => AppDeps): Route[] {
  const starting = (path: string, start: typeof submitPublication | typeof submitDocument | typeof requestCatalogueChange): Route => ({
    path,
    methods: {
      POST: async (req) => {
        const deps = getDeps();
        const staff = await requireStaff(deps, req);
        checkCsrf(staff, req);
        return json(201, await start(deps, staff.principal, readJson(req)));
      },
    },
  });
  return [
    starting("/api/v1/publications", submitPublication),
    starting("/api/v1/documents", submitDocument),
    starting("/api/v1/catalogue-changes", requestCatalogueChange),
    {
      path: "/api/v1/cases/{caseId}/approval-form",
      methods: {
        GET: async (req) => {
          const deps = getDeps();
          const staff = await requireStaff(deps, req);
          // the same access as the case itself
          await viewCaseAsStaff(deps, staff.principal, req.params.caseId ?? "");
          const c = await deps.store.cases.get(req.params.caseId ?? "");
          if (!c || (c.workflow !== "publication" && c.workflow !== "document")) throw new NotFoundError("该案件没有信息公开审批表");
          const format = req.query.get("format") ?? "html";
          if (format !== "html" && format !== "docx" && format !== "json") {
            throw new ValidationError("VALIDATION_FAILED", "格式无效", [{ path: "format", code: "invalid_choice", message: "格式应为 html、docx 或 json" }]);
          }
          const form = await loadApprovalForm(deps, c);
          if (format === "json") return json(200, form);
          const name = `${APPROVAL_FORM_TITLE}（${c.reference}）`;
          return format === "docx"
            ? file(await renderApprovalFormDocx(form), DOCX, `${name}.docx`)
            : file(Buffer.from(renderApprovalFormHtml(form), "utf8"), "text/html; charset=utf-8", `${name}.html`, true);
        },
      },
    },
  ];
}
