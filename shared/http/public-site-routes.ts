import type { AppDeps } from "../app/deps";
import { NotFoundError, ValidationError, type FieldError } from "../app/errors";
import { catalogueEntries, guideOf } from "../app/catalogue/read";
import { entryRelations } from "../app/interpretations/links";
import { catalogueColumnCodes, columnLabel } from "../domain/catalogue/columns";
import { parseIndexNumber, type CatalogueEntry } from "../domain/catalogue/entry";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, searchCatalogue, type CatalogueFacets } from "../domain/catalogue/search";
import type { AgencyRecord } from "../domain/records";
import { checkText, textProblem, wellFormed } from "../domain/text";
import { CARE_COOKIE, withPageRequest, type PageRequest } from "../ui/layout";
import { renderAgencyChooser, type ChooserTarget } from "../ui/public/agency-chooser";
import { CATALOGUE_QUERY_MAX, entryHref, renderCataloguePage, type CatalogueFilters } from "../ui/public/catalogue";
import { attachmentHref, renderEntryNotFound, renderEntryPage } from "../ui/public/entry";
import { FEED_SIZE, renderCatalogueFeed } from "../ui/public/feed";
import { renderGuidePage } from "../ui/public/guide";
import { file, html, json, redirect, type HttpRequest, type HttpResponse, type Route } from "./http";

/**
 * The public site beyond the application forms: the catalogue (政府信息公开目录) with its
 * search, entry pages, attachments and Atom feeds, the guide (政府信息公开指南), the switch
 * of the large-text mode (长者模式), and the catalogue's JSON API (SPEC §7.2).
 *
 * Pages choose their agency with `?agency=`; a site with one agency needs none, a site with
 * several lists them to choose from. Every handler runs with its request's page context
 * (`withPageContext`), so the pages know the reader's mode.
 */

/** How long the reader's mode is kept: one year. */
const CARE_MAX_AGE_SECONDS = 365 * 24 * 3600;
/** Longest path the mode switch returns to. */
const MAX_BACK_LENGTH = 1000;
/** An `?agency=` value longer than any code names nothing (and is not looked up). */
const MAX_AGENCY_CODE = 40;
const MAX_PAGE = 10_000;

// ---------------------------------------------------------------------------
// The page context and the mode switch

/** The page context of a request: the reader's mode (cookie) and the page's path and query. */
export function pageRequestOf(req: HttpRequest): PageRequest {
  const query = req.event.rawQueryString ?? "";
  const path = query ? `${req.path}?${query}` : req.path;
  return { care: req.cookies[CARE_COOKIE] === "1", path: path.length <= MAX_BACK_LENGTH ? path : req.path };
}

/**
 * Runs every handler of the routes with its request's page context (`withPageRequest`), so
 * the pages they render show the reader's mode and can switch it. Wrap the portal's other
 * routes with it too: `withPageContext([...portalRoutes(d), ...publicSiteRoutes(d)])`.
 */
export function withPageContext(routes: Route[]): Route[] {
  return routes.map((route) => ({
    ...route,
    methods: Object.fromEntries(
      Object.entries(route.methods).map(([method, fn]) => [method, (req: HttpRequest) => withPageRequest(pageRequestOf(req), () => fn(req))]),
    ),
  }));
}

/**
 * Where the mode switch may send the reader back to: a path of this site only (no scheme,
 * no `//host`, no backslashes browsers read as slashes, no control characters), never
 * `/care` itself; anything else is `/`.
 */
export function safeBackPath(value: string | null | undefined): string {
  if (!value || value.length > MAX_BACK_LENGTH) return "/";
  if (!value.startsWith("/") || value.startsWith("//") || value.includes("\\") || textProblem(value)) return "/";
  try {
    const u = new URL(value, "http://gongkai.invalid");
    if (u.origin !== "http://gongkai.invalid" || u.pathname === "/care") return "/";
    return `${u.pathname}${u.search}`;
  } catch {
    return "/";
  }
}

/** The page the switch was followed from, when the browser says and it is this site's. */
function refererPath(req: HttpRequest, baseUrl: string): string | undefined {
  const referer = req.headers.referer;
  if (!referer) return undefined;
  try {
    const u = new URL(referer);
    const hosts = [req.headers.host, new URL(baseUrl).host].filter(Boolean);
    return hosts.includes(u.host) ? `${u.pathname}${u.search}` : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------
// Query parameters

interface ParsedQuery {
  filters: CatalogueFilters & { page: number };
  pageSize: number;
  errors: FieldError[];
}

const columnChoices = catalogueColumnCodes.join("、");

/** The catalogue's query parameters; what is wrong is reported per parameter and left out of the filters. */
function parseCatalogueQuery(query: URLSearchParams, api: boolean): ParsedQuery {
  const errors: FieldError[] = [];
  const filters: ParsedQuery["filters"] = { page: 1 };
  let pageSize = DEFAULT_PAGE_SIZE;

  const column = query.get("column")?.trim();
  if (column) {
    if ((catalogueColumnCodes as string[]).includes(column)) filters.column = column;
    else errors.push({ path: "column", code: "invalid_choice", message: `栏目（column）不存在，可选：${columnChoices}` });
  }
  const year = query.get("year")?.trim();
  if (year) {
    if (/^\d{4}$/.test(year)) filters.year = Number(year);
    else errors.push({ path: "year", code: "invalid_format", message: "年份（year）应为四位数字，如 2024" });
  }
  const q = query.get("q")?.trim();
  if (q) {
    const dirty = checkText("检索词（q）", q);
    if (dirty) errors.push({ path: "q", ...dirty });
    else if ([...q].length > CATALOGUE_QUERY_MAX) errors.push({ path: "q", code: "too_long", message: `检索词（q）不能超过 ${CATALOGUE_QUERY_MAX} 个字` });
    else filters.q = q;
  }
  const page = query.get("page")?.trim();
  if (page) {
    if (/^\d{1,6}$/.test(page) && Number(page) >= 1 && Number(page) <= MAX_PAGE) filters.page = Number(page);
    else errors.push({ path: "page", code: "invalid_format", message: `页码（page）应为 1 至 ${MAX_PAGE} 的整数` });
  }
  if (api) {
    const size = query.get("pageSize")?.trim();
    if (size) {
      if (/^\d{1,3}$/.test(size) && Number(size) >= 1 && Number(size) <= MAX_PAGE_SIZE) pageSize = Number(size);
      else errors.push({ path: "pageSize", code: "out_of_range", message: `每页条数（pageSize）应为 1 至 ${MAX_PAGE_SIZE} 的整数` });
    }
  }
  return { filters, pageSize, errors };
}

function validationError(errors: FieldError[]): ValidationError {
  const message = errors.length === 1 ? errors[0]!.message : `查询参数有 ${errors.length} 处错误：${errors.map((e) => e.message).join("；")}`;
  return new ValidationError("VALIDATION_FAILED", message, errors);
}

// ---------------------------------------------------------------------------
// JSON shapes

export interface CatalogueListItem {
  indexNumber: string;
  title: string;
  column: string;
  columnLabel: string;
  documentNumber?: string;
  writtenOn: string;
  publishedOn: string;
  publisher: string;
  url: string;
}

export interface CatalogueListResponse {
  /** the agency asked for; null when the list spans every agency */
  agency: { code: string; name: string } | null;
  total: number;
  page: number;
  pageSize: number;
  entries: CatalogueListItem[];
  facets: CatalogueFacets;
}

/** What the API shows of an entry: no case, no storage keys; a withdrawn entry without its body and attachments. */
export function publicEntry(e: CatalogueEntry, baseUrl: string) {
  const abs = (path: string) => `${baseUrl.replace(/\/+$/, "")}${path}`;
  const withdrawn = e.status === "withdrawn";
  return {
    indexNumber: e.indexNumber,
    agencyCode: e.agencyCode,
    title: e.title,
    column: e.column,
    columnLabel: columnLabel(e.column),
    ...(e.documentNumber ? { documentNumber: e.documentNumber } : {}),
    writtenOn: e.writtenOn,
    publisher: e.publisher,
    disclosureMode: e.disclosureMode,
    scope: e.scope,
    publishedAt: e.publishedAt,
    publishedOn: e.publishedOn,
    status: e.status,
    revision: e.revision,
    corrections: e.corrections.map((c) => ({ at: c.at, on: c.on, note: c.note })),
    ...(e.withdrawn ? { withdrawn: { at: e.withdrawn.at, on: e.withdrawn.on, note: e.withdrawn.note } } : {}),
    ...(withdrawn
      ? {}
      : {
          bodyHtml: e.bodyHtml,
          text: e.text,
          attachments: e.attachments.map((a, i) => ({ name: a.name, contentType: a.contentType, size: a.size, url: abs(attachmentHref(e.indexNumber, i + 1)) })),
        }),
    url: abs(entryHref(e.indexNumber)),
  };
}

function listItem(e: CatalogueEntry, baseUrl: string): CatalogueListItem {
  return {
    indexNumber: e.indexNumber,
    title: e.title,
    column: e.column,
    columnLabel: columnLabel(e.column),
    ...(e.documentNumber ? { documentNumber: e.documentNumber } : {}),
    writtenOn: e.writtenOn,
    publishedOn: e.publishedOn,
    publisher: e.publisher,
    url: `${baseUrl.replace(/\/+$/, "")}${entryHref(e.indexNumber)}`,
  };
}

// ---------------------------------------------------------------------------
// Downloads

/** RFC 5987 `ext-value` (UTF-8, percent-encoded; `'()*` too, which encodeURIComponent keeps). */
const rfc5987 = (value: string) => encodeURIComponent(wellFormed(value)).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** `attachment; filename="attachment-1.pdf"; filename*=UTF-8''…`: the Chinese name for browsers, a plain ASCII one for the rest. */
export function attachmentDisposition(name: string, n: number): string {
  const ext = /\.[A-Za-z0-9]{1,8}$/.exec(name)?.[0] ?? "";
  return `attachment; filename="attachment-${n}${ext}"; filename*=UTF-8''${rfc5987(name)}`;
}

// ---------------------------------------------------------------------------
// Routes

/** The public site's routes over the given dependencies (Lambda: `appDeps`; tests: in-memory ones). */
export function publicSiteRoutes(getDeps: () => AppDeps): Route[] {
  const baseUrl = () => getDeps().config.publicBaseUrl;

  /** An agency by code; a value no code can be is not looked up. */
  const agencyByCode = async (code: string): Promise<AgencyRecord | undefined> =>
    code.length > 0 && code.length <= MAX_AGENCY_CODE && !textProblem(code) ? getDeps().store.directory.agency(code) : undefined;

  /** The page's agency (`?agency=`, or the only one), or the chooser to answer with. */
  async function pageAgency(req: HttpRequest, target: ChooserTarget): Promise<AgencyRecord | HttpResponse> {
    const code = req.query.get("agency")?.trim();
    if (code) {
      const agency = await agencyByCode(code);
      if (agency) return agency;
      return html(404, renderAgencyChooser({ target, agencies: await getDeps().store.directory.agencies(), unknown: true }));
    }
    const agencies = await getDeps().store.directory.agencies();
    // the list may be a minute old (the store reuses it): the one agency's page reads its profile as it is now
    if (agencies.length === 1) return (await getDeps().store.directory.agency(agencies[0]!.code)) ?? agencies[0]!;
    return html(200, renderAgencyChooser({ target, agencies }));
  }

  /** The API's agency (`?agency=`, or the only one), or its field error. */
  async function apiAgency(req: HttpRequest): Promise<AgencyRecord | FieldError> {
    const code = req.query.get("agency")?.trim();
    if (code) {
      const agency = await agencyByCode(code);
      return agency ?? { path: "agency", code: "unknown_agency", message: "机关（agency）不存在，请使用正确的机关代码" };
    }
    const agencies = await getDeps().store.directory.agencies();
    if (agencies.length === 1) return (await getDeps().store.directory.agency(agencies[0]!.code)) ?? agencies[0]!;
    return { path: "agency", code: "required", message: "请指定机关代码（agency）" };
  }

  /** The entry a path names, with its agency; undefined for a malformed index number or none. */
  async function entryOf(req: HttpRequest): Promise<{ agency?: AgencyRecord; entry?: CatalogueEntry }> {
    const agencyCode = req.params.agencyCode ?? "";
    const indexNumber = `${agencyCode}/${req.params.entry ?? ""}`;
    const agency = await agencyByCode(agencyCode);
    if (!agency || !parseIndexNumber(indexNumber)) return agency ? { agency } : {};
    const entry = await getDeps().store.catalogue.get(agency.code, indexNumber);
    return entry ? { agency, entry } : { agency };
  }

  async function cataloguePage(req: HttpRequest): Promise<HttpResponse> {
    const agency = await pageAgency(req, "catalogue");
    if ("statusCode" in agency) return agency;
    const { filters, errors } = parseCatalogueQuery(req.query, false);
    const result = searchCatalogue(await catalogueEntries(getDeps(), agency.code), { ...filters, pageSize: DEFAULT_PAGE_SIZE });
    return html(errors.length ? 400 : 200, renderCataloguePage({ agency, filters, result, errors }));
  }

  async function feed(req: HttpRequest): Promise<HttpResponse> {
    const agency = await pageAgency(req, "catalogue");
    if ("statusCode" in agency) return agency;
    const { filters, errors } = parseCatalogueQuery(req.query, false);
    const columnError = errors.find((e) => e.path === "column");
    if (columnError) throw validationError([columnError]);
    const entries = (await catalogueEntries(getDeps(), agency.code))
      .filter((e) => e.status === "published" && (!filters.column || e.column === filters.column))
      .sort((a, b) => (a.publishedAt < b.publishedAt ? 1 : a.publishedAt > b.publishedAt ? -1 : b.year - a.year || b.sequence - a.sequence))
      .slice(0, FEED_SIZE);
    const body = renderCatalogueFeed({ agency, ...(filters.column ? { column: filters.column } : {}), entries, baseUrl: baseUrl(), now: getDeps().clock.now() });
    return {
      statusCode: 200,
      headers: { "content-type": "application/atom+xml; charset=utf-8", "cache-control": "public, max-age=300", "x-content-type-options": "nosniff" },
      body,
    };
  }

  async function entryPage(req: HttpRequest): Promise<HttpResponse> {
    const { agency, entry } = await entryOf(req);
    if (!agency || !entry) return html(404, renderEntryNotFound(agency ? { agency } : {}));
    return html(200, renderEntryPage({ agency, entry, related: await entryRelations(getDeps(), entry) }));
  }

  async function attachment(req: HttpRequest): Promise<HttpResponse> {
    const { agency, entry } = await entryOf(req);
    const n = /^[1-9]\d{0,2}$/.test(req.params.n ?? "") ? Number(req.params.n) : 0;
    const a = entry && entry.status === "published" ? entry.attachments[n - 1] : undefined;
    const stored = a ? await getDeps().files.get(a.key) : undefined;
    if (!a || !stored) return html(404, renderEntryNotFound(agency ? { agency } : {}));
    const response = file(stored.body, a.contentType || stored.contentType, a.name);
    return { ...response, headers: { ...response.headers, "content-disposition": attachmentDisposition(a.name, n) } };
  }

  async function guidePage(req: HttpRequest): Promise<HttpResponse> {
    const agency = await pageAgency(req, "guide");
    if ("statusCode" in agency) return agency;
    return html(200, renderGuidePage({ agency, guide: guideOf(agency) }));
  }

  async function care(req: HttpRequest): Promise<HttpResponse> {
    const on = req.query.get("on") !== "0";
    const back = req.query.has("back") ? safeBackPath(req.query.get("back")) : safeBackPath(refererPath(req, baseUrl()));
    const secure = baseUrl().startsWith("https:") ? "; Secure" : "";
    const cookie = on ? `${CARE_COOKIE}=1; Path=/; Max-Age=${CARE_MAX_AGE_SECONDS}; SameSite=Lax${secure}` : `${CARE_COOKIE}=; Path=/; Max-Age=0; SameSite=Lax${secure}`;
    return redirect(back, [cookie]);
  }

  async function apiList(req: HttpRequest): Promise<HttpResponse> {
    const { filters, pageSize, errors } = parseCatalogueQuery(req.query, true);
    // without `agency`, every agency's catalogue (SPEC §7.2 names no agency; index numbers carry it)
    const agency = req.query.get("agency")?.trim() ? await apiAgency(req) : undefined;
    if (agency && "path" in agency) errors.unshift(agency);
    if (errors.length || (agency && "path" in agency)) throw validationError(errors);
    const agencies = agency ? [agency as AgencyRecord] : await getDeps().store.directory.agencies();
    const entries = (await Promise.all(agencies.map((a) => catalogueEntries(getDeps(), a.code)))).flat();
    const result = searchCatalogue(entries, { ...filters, pageSize });
    const body: CatalogueListResponse = {
      agency: agency ? { code: (agency as AgencyRecord).code, name: (agency as AgencyRecord).name } : null,
      total: result.total,
      page: result.page,
      pageSize: result.pageSize,
      entries: result.entries.map((e) => listItem(e, baseUrl())),
      facets: result.facets,
    };
    return json(200, body, { headers: { "cache-control": "public, max-age=15" } });
  }

  async function apiEntry(req: HttpRequest): Promise<HttpResponse> {
    const { entry } = await entryOf(req);
    if (!entry) throw new NotFoundError("未找到该政府信息，请检查机关代码和索引号");
    return json(200, publicEntry(entry, baseUrl()));
  }

  const entryParams = { agencyCode: { maxLength: MAX_AGENCY_CODE }, entry: { maxLength: 20 } };

  return withPageContext([
    { path: "/catalogue", methods: { GET: cataloguePage } },
    { path: "/catalogue/feed.xml", methods: { GET: feed } },
    { path: "/catalogue/{agencyCode}/{entry}", params: entryParams, methods: { GET: entryPage } },
    { path: "/catalogue/{agencyCode}/{entry}/attachments/{n}", params: { ...entryParams, n: { maxLength: 8 } }, methods: { GET: attachment } },
    { path: "/guide", methods: { GET: guidePage } },
    { path: "/care", methods: { GET: care } },
    { path: "/api/v1/catalogue", methods: { GET: apiList } },
    { path: "/api/v1/catalogue/{agencyCode}/{entry}", params: entryParams, methods: { GET: apiEntry } },
  ]);
}
