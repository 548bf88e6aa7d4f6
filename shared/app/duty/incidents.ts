import type { AppDeps } from "../deps";
import type { StaffPrincipal } from "../auth";
import { ValidationError, type FieldError } from "../errors";
import { applyDecision } from "../engine/apply";
import { decideOrRefuse } from "../engine/run-outcome";
import type { Write } from "../ports/store";
import type { Actor } from "../../domain/audit";
import { shanghaiDate } from "../../domain/calendar";
import { checkText } from "../../domain/text";
import { newCaseRecord } from "../../domain/workflows/engine";
import { incidentCategoryLabels, incidentWorkflow, type IncidentCategory, type IncidentData } from "../../domain/workflows/duty/incident";
import { objectBody, roleAmong, staffActor } from "./common";
import { logger } from "../../adapters/logger";

/**
 * Opening an incident (seed 值班值守制度 二、10; 网站安全防护制度 第五条、第八条): by a duty
 * officer, the website admin or the security officer with a written description, or by
 * the automatic check. The website admin (the person responsible for the site) is told at
 * once with the description; the duty officer follows it up as a task.
 */

export const INCIDENT_REPORTERS = ["duty_officer", "web_admin", "wechat_admin", "security_officer"] as const;

export async function openIncident(deps: AppDeps, agencyCode: string, data: IncidentData, actor: Actor, extra: Write[] = []): Promise<{ caseId: string; reference: string }> {
  const now = deps.clock.now();
  const caseId = deps.newId();
  const seq = await deps.store.counters.next(agencyCode, `incident-${shanghaiDate(now).slice(0, 4)}`);
  const reference = `GZ-${shanghaiDate(now).slice(0, 4)}-${String(seq).padStart(4, "0")}`;
  const record = newCaseRecord(incidentWorkflow, { caseId, agencyCode, reference, now, data });
  const decision = decideOrRefuse({ definition: incidentWorkflow, case: record, openTasks: [], outcome: "report", input: {}, extra: { data }, actor, calendar: await deps.calendar(), now, newId: deps.newId });
  await applyDecision(deps, decision, { extra });
  logger.info("incident opened", { agencyCode, caseId, category: data.category, source: data.source });
  return { caseId, reference };
}

const categories = Object.keys(incidentCategoryLabels) as IncidentCategory[];

/** POST /api/v1/incidents: {title, category, description, emergency?}. */
export async function reportIncident(deps: AppDeps, principal: StaffPrincipal, body: unknown): Promise<{ caseId: string; reference: string }> {
  const role = roleAmong(principal, INCIDENT_REPORTERS);
  const b = objectBody(body);
  const errors: FieldError[] = [];
  const str = (name: string, label: string, max: number, multiline = false): string | undefined => {
    const v = b[name];
    if (typeof v !== "string" || v.trim() === "") {
      errors.push({ path: name, code: "required", message: `请填写${label}` });
      return undefined;
    }
    const problem = checkText(label, v.trim(), { multiline });
    if (problem) errors.push({ path: name, code: problem.code, message: problem.message });
    else if (v.trim().length > max) errors.push({ path: name, code: "too_long", message: `${label}不能超过 ${max} 个字` });
    return v.trim();
  };
  const title = str("title", "事件标题", 200);
  const description = str("description", "故障描述", 4000, true);
  const category = b.category;
  if (typeof category !== "string" || !categories.includes(category as IncidentCategory)) {
    errors.push({ path: "category", code: category === undefined ? "required" : "invalid_choice", message: `请选择事件类别（${categories.join("、")}）` });
  }
  const emergency = b.emergency === true || b.emergency === "true" || b.emergency === "on";
  if (b.emergency !== undefined && typeof b.emergency !== "boolean" && !["true", "false", "on", ""].includes(String(b.emergency))) {
    errors.push({ path: "emergency", code: "wrong_type", message: "是否紧急应为 true 或 false" });
  }
  if (errors.length) throw new ValidationError("VALIDATION_FAILED", "提交的内容有误，请按提示修改", errors);
  const data: IncidentData = {
    title: title!,
    category: category as IncidentCategory,
    emergency,
    description: description!,
    source: "staff",
    reportedBy: { username: principal.username, displayName: principal.displayName },
    reportsUpward: [],
  };
  return openIncident(deps, principal.agencyCode, data, staffActor(principal, role));
}
