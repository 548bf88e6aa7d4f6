import type { AppDeps } from "../deps";
import type { StaffPrincipal } from "../auth";
import { ConcurrentChangeError, ConflictError } from "../errors";
import { applyDecision } from "../engine/apply";
import { decideOrRefuse } from "../engine/run-outcome";
import type { Actor } from "../../domain/audit";
import { shanghaiDate, toDayNumber, formatShanghaiTime, type IsoDate } from "../../domain/calendar";
import type { AgencyRecord } from "../../domain/records";
import { accountFindings } from "../../domain/accounts/security";
import type { Role } from "../../domain/roles";
import { newCaseRecord } from "../../domain/workflows/engine";
import { inspectionWorkflow, type InspectionData, type InspectionItem } from "../../domain/workflows/duty/inspection";
import { mondayOf } from "../reports/weekly";
import { httpProbe, type WebProbe } from "../../adapters/web-probe";
import { sitesOf } from "./site-checks";
import { roleAmong, staffActor } from "./common";
import { logger } from "../../adapters/logger";

/**
 * The security officer's periodic inspection (巡检, seed 网站安全防护制度 第一条). The
 * scheduled run (manifest `security-inspection`, Mondays 10:00) opens one every
 * `inspectionEveryWeeks` weeks (1 by default) per agency; the officer may also open one
 * at any time. The checklist is filled in from the directory, the sites and the
 * deployment when it opens; the officer records findings and handling.
 */

/** a certificate that expires within this many days is a finding */
export const CERTIFICATE_WARN_DAYS = 30;

const DAY_MS = 86_400_000;
/** accounts with back-office rights (网站后台) */
const BACK_OFFICE_ROLES: Role[] = ["administrator", "web_admin", "wechat_admin"];

export async function inspectionChecklist(deps: AppDeps, agency: AgencyRecord, probe: WebProbe = httpProbe): Promise<InspectionItem[]> {
  const now = deps.clock.now();
  // the sign-in policy's own reading of the accounts (its expiry period, who needs a second factor)
  const users = await deps.store.directory.users(agency.code);
  const accounts = accountFindings(users, agency, now);
  const names = (list: Array<{ displayName: string }>) => list.map((u) => u.displayName).join("、");
  const items: InspectionItem[] = [];

  items.push({
    key: "password_age",
    label: "密码到期未更换的账号",
    status: accounts.passwordChangesDue.length ? "finding" : "ok",
    details: accounts.passwordChangesDue.length ? accounts.passwordChangesDue.map((u) => `${u.displayName}：${u.reason}`) : ["全部账号的密码均在有效期内"],
  });

  // required by the agency's policy, or holding back-office rights (网站后台): both are findings
  const backOffice = new Set(users.filter((u) => u.roles.some((r) => BACK_OFFICE_ROLES.includes(r))).map((u) => u.username));
  const required = accounts.withoutSecondFactor.filter((u) => u.required || backOffice.has(u.username));
  items.push({
    key: "second_factor",
    label: "未启用双因素认证的账号",
    status: required.length ? "finding" : "ok",
    details: accounts.withoutSecondFactor.length
      ? [...(required.length ? [`管理员或须启用的账号未启用：${names(required)}`] : []), `共 ${accounts.withoutSecondFactor.length} 个账号未启用双因素认证`]
      : ["全部账号已启用双因素认证"],
  });

  items.push({
    key: "idle_admins",
    label: "90 天未使用的管理员账号",
    status: accounts.unusedAdministrators.length ? "finding" : "ok",
    details: accounts.unusedAdministrators.length ? [`长期未使用：${names(accounts.unusedAdministrators)}（建议停用）`] : ["没有长期未使用的管理员账号"],
  });

  const details: string[] = [];
  let certStatus: InspectionItem["status"] = "not_applicable";
  for (const url of sitesOf(agency, deps.config.publicBaseUrl)) {
    if (!url.startsWith("https://")) {
      details.push(`${url}：非 https 站点，证书检查不适用`);
      continue;
    }
    const cert = await probe.certificate(url);
    if (!cert.validTo) {
      details.push(`${url}：无法读取证书（${cert.error ?? "未知原因"}）`);
      if (certStatus !== "finding") certStatus = "unknown";
      continue;
    }
    const days = Math.floor((Date.parse(cert.validTo) - now.getTime()) / DAY_MS);
    details.push(`${url}：证书 ${formatShanghaiTime(cert.validTo)} 到期（剩余 ${days} 天）`);
    if (days < CERTIFICATE_WARN_DAYS) certStatus = "finding";
    else if (certStatus === "not_applicable") certStatus = "ok";
  }
  items.push({ key: "certificates", label: "网站证书有效期", status: certStatus, details });

  const backup = deps.ops ? await deps.ops.backup() : { status: "unknown" as const, detail: "本环境未提供备份状态" };
  items.push({ key: "backup", label: "最近一次备份", status: backup.status, details: [backup.detail] });

  const depths = deps.ops ? await deps.ops.deadLetterDepths() : [];
  const waiting = depths.filter((d) => (d.depth ?? 0) > 0);
  const unread = depths.filter((d) => d.depth === undefined);
  items.push({
    key: "dead_letters",
    label: "死信队列积压",
    status: waiting.length ? "finding" : depths.length === 0 || unread.length === depths.length ? "unknown" : "ok",
    details: depths.length
      ? [
          ...waiting.map((d) => `${d.queue}：${d.depth} 条待处理（请查明原因后重放）`),
          ...unread.map((d) => `${d.queue}：无法读取（${d.error}）`),
          ...(!waiting.length ? [`${depths.length - unread.length} 个死信队列均为空`] : []),
        ]
      : ["未取得死信队列信息"],
  });
  return items;
}

export async function openInspection(deps: AppDeps, agency: AgencyRecord, actor: Actor, opts: { claim?: string; probe?: WebProbe } = {}): Promise<{ caseId: string; items: InspectionItem[] } | undefined> {
  if (opts.claim && (await deps.store.claims.get(opts.claim))) return undefined;
  const items = await inspectionChecklist(deps, agency, opts.probe);
  const now = deps.clock.now();
  const caseId = deps.newId();
  const data: InspectionData = { openedOn: shanghaiDate(now), items };
  const record = newCaseRecord(inspectionWorkflow, { caseId, agencyCode: agency.code, reference: `XJ-${shanghaiDate(now)}`, now, data });
  const findings = items.filter((i) => i.status === "finding").length;
  const decision = decideOrRefuse({ definition: inspectionWorkflow, case: record, openTasks: [], outcome: "open", input: {}, extra: { data }, actor, calendar: await deps.calendar(), now, newId: deps.newId });
  try {
    await applyDecision(deps, decision, { ...(opts.claim ? { extra: [{ kind: "claim" as const, key: opts.claim, value: { caseId } }] } : {}) });
  } catch (error) {
    if (opts.claim && error instanceof ConcurrentChangeError) return undefined;
    throw error;
  }
  logger.info("inspection opened", { agencyCode: agency.code, caseId, findings });
  return { caseId, items };
}

/** POST /api/v1/inspections: the security officer opens one now (409 while another is open). */
export async function startInspection(deps: AppDeps, principal: StaffPrincipal, probe?: WebProbe) {
  const role = roleAmong(principal, ["security_officer"]);
  const open = (await deps.store.cases.listOpen(principal.agencyCode)).find((c) => c.workflow === "inspection");
  if (open) throw new ConflictError("INSPECTION_OPEN", `巡检 ${open.reference} 尚未登记，请先完成`);
  const agency = (await deps.store.directory.agency(principal.agencyCode))!;
  return (await openInspection(deps, agency, staffActor(principal, role), probe ? { probe } : {}))!;
}

/** Whether the week of `monday` is an inspection week for an agency inspecting every `every` weeks. */
export function inspectionWeek(monday: IsoDate, every: number): boolean {
  const week = Math.floor((toDayNumber(monday) + 3) / 7);
  return week % Math.max(1, Math.floor(every)) === 0;
}

export async function openScheduledInspections(deps: AppDeps, probe?: WebProbe) {
  const monday = mondayOf(shanghaiDate(deps.clock.now()));
  const out = [];
  for (const a of await deps.store.directory.agencies()) {
    if (!inspectionWeek(monday, a.duty?.inspectionEveryWeeks ?? 1)) {
      out.push({ agencyCode: a.code, opened: false });
      continue;
    }
    const r = await openInspection(deps, a, { kind: "system" }, { claim: `inspection#${a.code}#${monday}`, ...(probe ? { probe } : {}) });
    out.push({ agencyCode: a.code, opened: Boolean(r), ...(r ? { caseId: r.caseId } : {}) });
  }
  return { week: monday, agencies: out };
}
