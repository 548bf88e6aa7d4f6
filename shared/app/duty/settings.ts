import type { AppDeps } from "../deps";
import type { StaffPrincipal } from "../auth";
import { NotFoundError, ValidationError, type FieldError } from "../errors";
import type { AgencyDutySettings } from "../../domain/records";
import { sitesOf } from "./site-checks";
import { objectBody, roleAmong } from "./common";

/**
 * The agency's duty settings: the pages the automatic check fetches (the portal's own by
 * default) and how many weeks lie between security inspections (1 by default).
 */

export const DUTY_SETTINGS_EDITORS = ["administrator", "web_admin", "security_officer"] as const;
const MAX_SITES = 10;

export interface DutySettingsView {
  sites: string[];
  /** true when no page is configured and the portal's own are checked */
  defaultSites: boolean;
  inspectionEveryWeeks: number;
}

export async function dutySettings(deps: AppDeps, principal: StaffPrincipal): Promise<DutySettingsView> {
  const agency = await deps.store.directory.agency(principal.agencyCode);
  if (!agency) throw new NotFoundError("未找到本机关");
  return { sites: sitesOf(agency, deps.config.publicBaseUrl), defaultSites: !agency.duty?.sites?.length, inspectionEveryWeeks: agency.duty?.inspectionEveryWeeks ?? 1 };
}

export async function saveDutySettings(deps: AppDeps, principal: StaffPrincipal, body: unknown): Promise<DutySettingsView> {
  roleAmong(principal, DUTY_SETTINGS_EDITORS);
  const b = objectBody(body);
  const errors: FieldError[] = [];
  const next: AgencyDutySettings = {};
  if (b.sites !== undefined) {
    if (!Array.isArray(b.sites) || b.sites.length > MAX_SITES || b.sites.some((s) => typeof s !== "string")) {
      errors.push({ path: "sites", code: "wrong_type", message: `检查的页面应为不超过 ${MAX_SITES} 个网址的列表` });
    } else {
      (b.sites as string[]).forEach((s, i) => {
        let ok: boolean;
        try {
          const u = new URL(s.trim());
          ok = (u.protocol === "http:" || u.protocol === "https:") && s.trim().length <= 500;
        } catch {
          ok = false;
        }
        if (!ok) errors.push({ path: `sites.${i}`, code: "invalid_format", message: `第 ${i + 1} 个检查页面不是有效的 http(s) 网址` });
      });
      next.sites = (b.sites as string[]).map((s) => s.trim());
    }
  }
  if (b.inspectionEveryWeeks !== undefined) {
    const n = b.inspectionEveryWeeks;
    if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > 12) errors.push({ path: "inspectionEveryWeeks", code: "out_of_range", message: "巡检间隔应为 1 至 12 周的整数" });
    else next.inspectionEveryWeeks = n;
  }
  if (errors.length) throw new ValidationError("VALIDATION_FAILED", "值守设置有误，请按提示修改", errors);
  const agency = await deps.store.directory.agency(principal.agencyCode);
  if (!agency) throw new NotFoundError("未找到本机关");
  await deps.store.directory.putAgency({ ...agency, duty: { ...agency.duty, ...next } });
  return dutySettings(deps, principal);
}
