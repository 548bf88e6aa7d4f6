import type { AppDeps } from "../app/deps";
import { ConflictError, ForbiddenError, NotFoundError, TooManyRequestsError, ValidationError } from "../app/errors";
import { submitConsultation } from "../app/consultations/submit";
import { listConsultations, submitComment, viewConsultation, type ConsultationStatus } from "../app/consultations/public";
import { fromThisSite, html, json, readForm, readJson, redirect, type HttpRequest, type HttpResponse, type Route } from "./http";
import { checkCsrf, requireStaff } from "./staff-auth";
import { renderConsultationList, renderConsultationNotFound, renderConsultationPage } from "../ui/public/consultations";

/**
 * Public consultation on drafts (SPEC §7.3): the drafting section's `POST
 * /api/v1/consultations` (staff, Bearer or session), the public JSON API (lists, one
 * consultation, a comment) and the public pages with the comment form (post/redirect/get:
 * a reload sends nothing again). One function serves the path for both, as API Gateway
 * routes a path to one function.
 */

const clientIp = (req: HttpRequest) => req.event.requestContext?.http?.sourceIp ?? "unknown";

function statusQuery(req: HttpRequest): ConsultationStatus | undefined {
  const s = req.query.get("status")?.trim();
  if (!s) return undefined;
  if (s === "open" || s === "closed") return s;
  throw new ValidationError("VALIDATION_FAILED", "查询条件有误", [{ path: "status", code: "invalid_choice", message: "状态（status）应为 open（正在征求意见）或 closed（已结束）" }]);
}

function agencyQuery(req: HttpRequest): string | undefined {
  const a = req.query.get("agency")?.trim();
  if (!a) return undefined;
  if (!/^\d{1,40}$/.test(a)) throw new ValidationError("VALIDATION_FAILED", "查询条件有误", [{ path: "agency", code: "invalid_format", message: "机关代码（agency）应为数字" }]);
  return a;
}

export function consultationRoutes(getDeps: () => AppDeps): Route[] {
  const agencyOf = async (code: string) => getDeps().store.directory.agency(code);

  async function page(req: HttpRequest, statusCode: number, extra: Omit<Parameters<typeof renderConsultationPage>[0], "consultation" | "agency"> = {}): Promise<HttpResponse> {
    const deps = getDeps();
    let consultation;
    try {
      consultation = await viewConsultation(deps, req.params.caseId ?? "");
    } catch (error) {
      if (error instanceof NotFoundError) return html(404, renderConsultationNotFound());
      throw error;
    }
    const agency = await agencyOf(consultation.agencyCode);
    return html(statusCode, renderConsultationPage({ consultation, ...(agency ? { agency } : {}), ...extra }));
  }

  async function postCommentForm(req: HttpRequest): Promise<HttpResponse> {
    const deps = getDeps();
    if (!fromThisSite(req, deps.config.publicBaseUrl)) throw new ForbiddenError("请从本网站的页面提交意见");
    const { csrfToken: _csrf, ...values } = readForm(req);
    const caseId = req.params.caseId ?? "";
    try {
      const { commentId, held } = await submitComment(deps, caseId, values, clientIp(req));
      return redirect(`/consultations/${caseId}?received=${commentId}${held ? "&held=1" : ""}`);
    } catch (error) {
      if (error instanceof ValidationError) return page(req, 400, { values, errors: error.fields });
      if (error instanceof ConflictError) return page(req, 409, { values, refusal: error.message });
      if (error instanceof TooManyRequestsError) {
        const r = await page(req, 429, { values, refusal: error.message });
        return { ...r, headers: { ...r.headers, "retry-after": String(error.retryAfterSeconds) } };
      }
      throw error;
    }
  }

  return [
    {
      path: "/api/v1/consultations",
      methods: {
        // a list, like GET /api/v1/tasks: each item as GET /api/v1/consultations/{caseId} answers it
        GET: async (req) => json(200, await listConsultations(getDeps(), { ...(agencyQuery(req) ? { agencyCode: agencyQuery(req)! } : {}), ...(statusQuery(req) ? { status: statusQuery(req)! } : {}) })),
        POST: async (req) => {
          const deps = getDeps();
          const staff = await requireStaff(deps, req);
          checkCsrf(staff, req);
          return json(201, await submitConsultation(deps, staff.principal, readJson(req)));
        },
      },
    },
    {
      path: "/api/v1/consultations/{caseId}",
      methods: { GET: async (req) => json(200, await viewConsultation(getDeps(), req.params.caseId ?? "")) },
    },
    {
      path: "/api/v1/consultations/{caseId}/comments",
      methods: { POST: async (req) => json(201, await submitComment(getDeps(), req.params.caseId ?? "", readJson(req), clientIp(req))) },
    },
    {
      path: "/consultations",
      methods: {
        GET: async (req) => {
          const deps = getDeps();
          const agencyCode = agencyQuery(req);
          const all = await listConsultations(deps, agencyCode ? { agencyCode } : {});
          const agency = agencyCode ? await agencyOf(agencyCode) : undefined;
          return html(200, renderConsultationList({ ...(agency ? { agency } : {}), open: all.filter((c) => c.status === "open"), closed: all.filter((c) => c.status === "closed") }));
        },
      },
    },
    {
      path: "/consultations/{caseId}",
      methods: {
        GET: async (req) => {
          const received = req.query.get("received");
          return page(req, 200, received && /^C\d{1,4}$/.test(received) ? { received: { commentId: received, held: req.query.get("held") === "1" } } : {});
        },
      },
    },
    { path: "/consultations/{caseId}/comments", methods: { POST: postCommentForm } },
  ];
}
