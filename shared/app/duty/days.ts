import type { AppDeps } from "../deps";
import type { StaffPrincipal } from "../auth";
import { ConcurrentChangeError, ConflictError, ValidationError } from "../errors";
import { applyDecision } from "../engine/apply";
import { commitChange } from "../engine/commit";
import { decideOrRefuse } from "../engine/run-outcome";
import { addDays, shanghaiDate, type IsoDate } from "../../domain/calendar";
import type { CaseRecord } from "../../domain/records";
import { checkText } from "../../domain/text";
import { newCaseRecord } from "../../domain/workflows/engine";
import { dutyDayWorkflow, type DutyDayData } from "../../domain/workflows/duty/day";
import { loadRoster } from "./roster";
import { caseOf, objectBody, roleAmong, staffActor } from "./common";
import { logger } from "../../adapters/logger";

/**
 * Each working day at 08:30 (manifest `duty-day-opener`) the day's duty case opens for
 * the officer on the roster, with the open matters the previous duty day's officer
 * handed over. Once per agency and day: the claim is stored with the case.
 */

export const dutyDayClaim = (agencyCode: string, date: IsoDate) => `duty#${agencyCode}#${date}`;

/** How far back the handover looks for the previous duty day (a long holiday). */
const HANDOVER_LOOKBACK_DAYS = 21;

export async function dutyCaseOn(deps: AppDeps, agencyCode: string, date: IsoDate): Promise<CaseRecord<DutyDayData> | undefined> {
  const claim = await deps.store.claims.get(dutyDayClaim(agencyCode, date));
  const caseId = typeof claim?.caseId === "string" ? claim.caseId : undefined;
  return caseId ? ((await deps.store.cases.get(caseId)) as unknown as CaseRecord<DutyDayData> | undefined) : undefined;
}

async function previousDutyDay(deps: AppDeps, agencyCode: string, date: IsoDate): Promise<CaseRecord<DutyDayData> | undefined> {
  for (let i = 1; i <= HANDOVER_LOOKBACK_DAYS; i++) {
    const c = await dutyCaseOn(deps, agencyCode, addDays(date, -i));
    if (c) return c;
  }
  return undefined;
}

export type OpenDayResult = "opened" | "already_open" | "not_working_day" | "not_on_roster";

export async function openDutyDay(deps: AppDeps, agencyCode: string, date: IsoDate): Promise<{ result: OpenDayResult; caseId?: string }> {
  const calendar = await deps.calendar();
  if (!calendar.isWorkingDay(date)) return { result: "not_working_day" };
  const claim = dutyDayClaim(agencyCode, date);
  if (await deps.store.claims.get(claim)) return { result: "already_open" };
  const entry = (await loadRoster(deps, agencyCode, date.slice(0, 7)))?.days.find((d) => d.date === date);
  if (!entry) return { result: "not_on_roster" };
  const previous = await previousDutyDay(deps, agencyCode, date);
  const carried = previous?.data.log?.openMatters ?? [];
  const data: DutyDayData = {
    date,
    officer: entry.officer,
    leader: entry.leader,
    carried,
    ...(previous ? { carriedFrom: { date: previous.data.date, officerName: previous.data.officer.displayName, caseId: previous.caseId } } : {}),
    checks: [],
    annotations: [],
  };
  const now = deps.clock.now();
  const caseId = deps.newId();
  const record = newCaseRecord(dutyDayWorkflow, { caseId, agencyCode, reference: `ZB-${date}`, now, createdOn: date, data });
  const decision = decideOrRefuse({ definition: dutyDayWorkflow, case: record, openTasks: [], outcome: "begin", input: {}, extra: { data }, actor: { kind: "system" }, calendar, now, newId: deps.newId });
  try {
    await applyDecision(deps, decision, { extra: [{ kind: "claim", key: claim, value: { caseId } }] });
  } catch (error) {
    if (error instanceof ConcurrentChangeError) return { result: "already_open" };
    throw error;
  }
  logger.info("duty day opened", { agencyCode, caseId, date });
  return { result: "opened", caseId };
}

/** Every agency's duty day of the clock's Beijing date. */
export async function openDutyDays(deps: AppDeps) {
  const today = shanghaiDate(deps.clock.now());
  const out = [];
  for (const a of await deps.store.directory.agencies()) out.push({ agencyCode: a.code, ...(await openDutyDay(deps, a.code, today)) });
  return { date: today, agencies: out };
}

/** Who may annotate a duty log (批注): the leaders, the office director and the duty officers. */
export const ANNOTATORS = ["leadership_group", "deputy_leader", "principal_leader", "office_director", "duty_officer"] as const;

/** An annotation on a duty day: the log itself is never changed (存档备查). */
export async function annotateDutyDay(deps: AppDeps, principal: StaffPrincipal, caseId: string, body: unknown): Promise<CaseRecord<DutyDayData>> {
  const role = roleAmong(principal, ANNOTATORS);
  const b = objectBody(body);
  const text = typeof b.text === "string" ? b.text.trim() : "";
  const problem = text ? checkText("批注", text, { multiline: true }) : undefined;
  if (!text || problem || text.length > 2000) {
    throw new ValidationError("VALIDATION_FAILED", "批注有误", [
      { path: "text", code: !text ? "required" : (problem?.code ?? "too_long"), message: !text ? "请填写批注" : (problem?.message ?? "批注不能超过 2000 个字") },
    ]);
  }
  for (let attempt = 1; ; attempt++) {
    const c = await caseOf<DutyDayData>(deps, principal, "duty", caseId, "值守记录");
    if (!c.data.log) throw new ConflictError("LOG_NOT_WRITTEN", "值守记录尚未填写，填写后才能批注");
    const at = deps.clock.now().toISOString();
    const next = { ...c, data: { ...c.data, annotations: [...c.data.annotations, { text, byName: principal.displayName, at }] } };
    try {
      return (await commitChange(deps, {
        case: next as unknown as CaseRecord,
        expectedVersion: c.version,
        events: [{ actor: staffActor(principal, role), type: "duty.annotated", summary: `批注：${text}` }],
      })) as unknown as CaseRecord<DutyDayData>;
    } catch (error) {
      if (!(error instanceof ConcurrentChangeError) || attempt >= 3) throw error;
    }
  }
}
