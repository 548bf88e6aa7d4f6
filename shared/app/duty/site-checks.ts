import type { AppDeps } from "../deps";
import { ConcurrentChangeError } from "../errors";
import type { Write } from "../ports/store";
import { formatShanghaiTime, shanghaiDate } from "../../domain/calendar";
import type { AgencyRecord } from "../../domain/records";
import type { IncidentData, PageProblem } from "../../domain/workflows/duty/incident";
import { httpProbe, type PageProbe, type WebProbe } from "../../adapters/web-probe";
import { openIncident } from "./incidents";
import { logger } from "../../adapters/logger";

/**
 * The automatic check (manifest `site-monitor`, at set times of the day): fetches the
 * agency's configured pages — the portal's own home and catalogue pages by default —
 * and records availability, response time and a hash of each page. A page that does not
 * answer, or whose content changed while nothing was published or corrected since the
 * last check, opens an incident for the duty officer and tells the website admin. Each
 * run is filed (`monitor/<agency>/<month>/<slot>.json`); a run of the same hour again
 * (a retried or replayed invocation) finds its claim and does nothing.
 */

export interface SiteCheckRun {
  agencyCode: string;
  /** Beijing date and hour, e.g. 2026-12-02T09 */
  slot: string;
  at: string;
  pages: Array<PageProbe & { changed: boolean; expected?: boolean }>;
  problems: PageProblem[];
  incidentId?: string;
}

export const siteCheckPrefix = (agencyCode: string) => `monitor/${agencyCode}/`;
const lastKey = (agencyCode: string) => `${siteCheckPrefix(agencyCode)}last.json`;

export function sitesOf(agency: AgencyRecord, publicBaseUrl: string): string[] {
  const configured = agency.duty?.sites?.filter((s) => /^https?:\/\//.test(s)) ?? [];
  // the agency's own catalogue page: another agency's publication is no change of this one's
  return configured.length ? configured : [`${publicBaseUrl}/`, `${publicBaseUrl}/catalogue?agency=${encodeURIComponent(agency.code)}`];
}

interface LastState {
  at: string;
  hashes: Record<string, string>;
}

async function readJson<T>(deps: AppDeps, key: string): Promise<T | undefined> {
  const stored = await deps.files.get(key);
  return stored ? (JSON.parse(Buffer.from(stored.body).toString("utf8")) as T) : undefined;
}

/** Whether the catalogue changed (published, corrected, withdrawn) after `since`: a changed page is then expected. */
async function catalogueChangedSince(deps: AppDeps, agencyCode: string, since: string): Promise<boolean> {
  const entries = await deps.store.catalogue.list(agencyCode);
  return entries.some((e) => e.publishedAt > since || e.corrections.some((c) => c.at > since));
}

export async function checkAgencySites(deps: AppDeps, agency: AgencyRecord, probe: WebProbe = httpProbe): Promise<SiteCheckRun | undefined> {
  const now = deps.clock.now();
  const slot = formatShanghaiTime(now.toISOString()).slice(0, 13).replace(" ", "T");
  const claim = `sitecheck#${agency.code}#${slot}`;
  if (await deps.store.claims.get(claim)) return undefined;
  const urls = sitesOf(agency, deps.config.publicBaseUrl);
  const last = await readJson<LastState>(deps, lastKey(agency.code));
  const expectedChange = last ? await catalogueChangedSince(deps, agency.code, last.at) : true;
  const pages: SiteCheckRun["pages"] = [];
  const problems: PageProblem[] = [];
  for (const url of urls) {
    const p = await probe.page(url);
    const before = last?.hashes[url];
    const changed = Boolean(p.hash && before && before !== p.hash);
    pages.push({ ...p, changed, ...(changed ? { expected: expectedChange } : {}) });
    if (!p.ok) {
      problems.push({ url, ...(p.status ? { status: p.status } : {}), problem: "unavailable", detail: p.status ? `返回 HTTP ${p.status}（${p.ms} 毫秒）` : `无法访问：${p.error ?? "无响应"}` });
    } else if (changed && !expectedChange) {
      problems.push({ url, status: p.status!, problem: "unexpected_change", detail: "页面内容发生变化，但上次检查以来没有发布、更正或撤回信息" });
    }
  }
  const run: SiteCheckRun = { agencyCode: agency.code, slot, at: now.toISOString(), pages, problems };

  const extra: Write[] = [{ kind: "claim", key: claim, value: { at: run.at, problems: problems.length } }];
  try {
    if (problems.length) {
      const down = problems.some((p) => p.problem === "unavailable");
      const data: IncidentData = {
        title: down ? "门户网站无法正常访问（自动检查）" : "门户网站内容出现未经发布的变化（自动检查）",
        category: down ? "fault" : "content",
        // an outage is reported to the superior department at once (网站安全防护制度 第八条)
        emergency: down,
        description: `${formatShanghaiTime(run.at)} 自动检查发现：\n${problems.map((p) => `${p.url}：${p.detail}`).join("\n")}`,
        source: "site_check",
        reportedBy: { username: "system", displayName: "自动检查" },
        pages: problems,
        reportsUpward: [],
      };
      run.incidentId = (await openIncident(deps, agency.code, data, { kind: "system" }, extra)).caseId;
    } else {
      await deps.store.commit(extra);
    }
  } catch (error) {
    if (error instanceof ConcurrentChangeError) return undefined;
    throw error;
  }
  // filed after the claim: a run that dies here leaves no record of this hour, never a second incident
  await deps.files.put(`${siteCheckPrefix(agency.code)}${shanghaiDate(now).slice(0, 7)}/${slot}.json`, JSON.stringify(run, null, 2), "application/json; charset=utf-8");
  const hashes = { ...(last?.hashes ?? {}) };
  for (const p of pages) if (p.hash) hashes[p.url] = p.hash;
  await deps.files.put(lastKey(agency.code), JSON.stringify({ at: run.at, hashes } satisfies LastState), "application/json; charset=utf-8");
  logger.info("site check", { agencyCode: agency.code, slot, pages: pages.length, problems: problems.length });
  return run;
}

export async function runSiteChecks(deps: AppDeps, probe: WebProbe = httpProbe) {
  const out = [];
  for (const a of await deps.store.directory.agencies()) {
    const run = await checkAgencySites(deps, a, probe);
    out.push({ agencyCode: a.code, ran: Boolean(run), problems: run?.problems.length ?? 0, ...(run?.incidentId ? { incidentId: run.incidentId } : {}) });
  }
  return out;
}

/** The runs filed for a month, oldest first (the summary and the duty page read them). */
export async function siteCheckRuns(deps: AppDeps, agencyCode: string, month: string): Promise<SiteCheckRun[]> {
  const keys = (await deps.files.list(`${siteCheckPrefix(agencyCode)}${month}/`)).filter((k) => k.endsWith(".json"));
  const runs = await Promise.all(keys.map((k) => readJson<SiteCheckRun>(deps, k)));
  return runs.filter((r): r is SiteCheckRun => Boolean(r));
}
