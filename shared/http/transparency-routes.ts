import type { AppDeps } from "../app/deps";
import { agencyTransparency, deploymentTransparency } from "../app/transparency/counters";
import type { TransparencyFigures } from "../domain/transparency/figures";
import { renderAgencyTransparency, renderDeploymentTransparency, renderTransparencyNotFound, transparencyCsv } from "../ui/public/transparency";
import { errorJson, html, json, type HttpRequest, type HttpResponse, type Route } from "./http";
import { httpError, validationError } from "../schemas/errors";
import { withPageContext } from "./public-site-routes";

/**
 * The public transparency pages (公开透明度) and their data: `/transparency` for the whole
 * deployment and `/transparency/{agencyCode}` for one agency, as HTML, or as JSON or CSV
 * with a `.json` / `.csv` suffix or `?format=json|csv`. Read from the counters, never the cases.
 */

const MAX_AGENCY_CODE = 40;
type Format = "html" | "json" | "csv";

/** The format asked for; a wrong one answers 400 as JSON (machine-readable: whoever asks for a format is a program). */
function formatOf(req: HttpRequest, suffix: string | undefined): Format | HttpResponse {
  const raw = suffix ?? req.query.get("format") ?? "html";
  if (raw === "html" || raw === "json" || raw === "csv") return raw;
  return errorJson(validationError([{ path: "format", code: "invalid_choice", message: "格式（format）只能是 html、json 或 csv" }]));
}

const cache = { "cache-control": "public, max-age=60" };

function csv(f: TransparencyFigures, name: string): HttpResponse {
  return {
    statusCode: 200,
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${name}.csv"`, "x-content-type-options": "nosniff", ...cache },
    body: transparencyCsv(f),
  };
}

export function transparencyRoutes(getDeps: () => AppDeps): Route[] {
  async function deployment(req: HttpRequest): Promise<HttpResponse> {
    const format = formatOf(req, undefined);
    if (typeof format !== "string") return format;
    const t = await deploymentTransparency(getDeps());
    if (format === "json") return json(200, t, { headers: cache });
    if (format === "csv") return csv(t.figures, "transparency");
    return html(200, renderDeploymentTransparency(t));
  }

  async function agency(req: HttpRequest): Promise<HttpResponse> {
    const param = req.params.agencyCode ?? "";
    const m = /^(.+?)\.(json|csv)$/.exec(param);
    const code = m ? m[1]! : param;
    const format = formatOf(req, m?.[2]);
    if (typeof format !== "string") return format;
    const record = code.length <= MAX_AGENCY_CODE ? await getDeps().store.directory.agency(code) : undefined;
    if (!record) {
      if (format === "html") return html(404, renderTransparencyNotFound());
      return errorJson(httpError("NOT_FOUND", "未找到该机关，请检查机关代码"));
    }
    const t = await agencyTransparency(getDeps(), record.code);
    if (format === "json") return json(200, t, { headers: cache });
    if (format === "csv") return csv(t.figures, `transparency-${record.code}`);
    return html(200, renderAgencyTransparency({ ...t, agencyRecord: record }));
  }

  return withPageContext([
    { path: "/transparency", methods: { GET: deployment } },
    { path: "/transparency/{agencyCode}", params: { agencyCode: { maxLength: MAX_AGENCY_CODE + 5 } }, methods: { GET: agency } },
  ]);
}
