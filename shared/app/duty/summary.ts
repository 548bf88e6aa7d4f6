import type { AppDeps } from "../deps";
import type { StaffPrincipal } from "../auth";
import { ConcurrentChangeError, ValidationError } from "../errors";
import { mailToRoles } from "../mail";
import type { OutboxRecord } from "../ports/outbox";
import { shanghaiDate, type IsoDate } from "../../domain/calendar";
import type { CaseRecord } from "../../domain/records";
import type { Role } from "../../domain/roles";
import { dutyChecks, type DutyDayData } from "../../domain/workflows/duty/day";
import type { IncidentData } from "../../domain/workflows/duty/incident";
import type { InspectionData } from "../../domain/workflows/duty/inspection";
import type { VoteData } from "../../domain/workflows/duty/vote";
import { MONTH } from "../../domain/workflows/duty/roster";
import { previousMonth } from "../publishing/reconcile";
import { loadRoster } from "./roster";
import { siteCheckRuns } from "./site-checks";
import { renderDutySummaryDocument } from "../../ui/console/duty";
import { logger } from "../../adapters/logger";

/**
 * The duty and inspection summary (SPEC §5 item 5): per month, the days the roster
 * covered and how many logs are missing, the checks missed or failed (the officer's and
 * the automatic ones), incidents opened and still open, the votes held and the
 * inspections. In the console on demand, and mailed on the 1st for the month before
 * (manifest `duty-summary`), once per agency and month.
 */

export const SUMMARY_RECIPIENTS: readonly Role[] = ["leadership_group", "deputy_leader", "office_director"];
export const SUMMARY_READERS: Role[] = ["leadership_group", "deputy_leader", "principal_leader", "office_director", "duty_officer", "security_officer", "web_admin", "auditor"];
export const dutySummaryPrefix = (agencyCode: string) => `reports/duty/${agencyCode}/`;

export interface DutyDayRow {
  date: IsoDate;
  officer: string;
  leader: string;
  caseId?: string;
  logged: boolean;
  late: boolean;
  missedChecks: number;
  abnormal: number;
}

export interface DutySummary {
  agencyCode: string;
  agencyName: string;
  month: string;
  generatedAt: string;
  days: { rostered: number; covered: number; logsMissing: number; logsLate: number };
  checks: { missed: number; abnormal: number; automaticRuns: number; automaticFailed: number; failed: number };
  incidents: { opened: number; open: number; emergencies: number; reportedUpward: number };
  votes: { held: number; passed: number; failed: number; open: number };
  inspections: { held: number; findings: number; unrecorded: number };
  rows: DutyDayRow[];
}

async function casesOf(deps: AppDeps, agencyCode: string, month: string): Promise<CaseRecord[]> {
  const year = Number(month.slice(0, 4));
  const all = [...(await deps.store.cases.listOpen(agencyCode)), ...(await deps.store.cases.listClosed(agencyCode, year)), ...(await deps.store.cases.listClosed(agencyCode, year + 1))];
  const seen = new Set<string>();
  return all.filter((c) => !seen.has(c.caseId) && Boolean(seen.add(c.caseId)) && ["duty", "incident", "vote", "inspection"].includes(c.workflow));
}

export async function dutySummary(deps: AppDeps, agencyCode: string, month: string): Promise<DutySummary> {
  const now = deps.clock.now();
  const today = shanghaiDate(now);
  const [agency, roster, cases, runs] = await Promise.all([deps.store.directory.agency(agencyCode), loadRoster(deps, agencyCode, month), casesOf(deps, agencyCode, month), siteCheckRuns(deps, agencyCode, month)]);
  const inMonth = (c: { createdOn: string }) => c.createdOn.startsWith(month);
  const duty = new Map(cases.filter((c) => c.workflow === "duty" && (c.data as unknown as DutyDayData).date.startsWith(month)).map((c) => [(c.data as unknown as DutyDayData).date, c as unknown as CaseRecord<DutyDayData>]));
  const rows: DutyDayRow[] = [];
  for (const day of roster?.days ?? []) {
    const c = duty.get(day.date);
    const tasks = c ? await deps.store.tasks.ofCase(c.caseId) : [];
    rows.push({
      date: day.date,
      officer: c?.data.officer.displayName ?? day.officer.displayName,
      leader: c?.data.leader.displayName ?? day.leader.displayName,
      ...(c ? { caseId: c.caseId } : {}),
      logged: Boolean(c?.data.log),
      late: Boolean(c?.data.log?.late),
      missedChecks: tasks.filter((t) => dutyChecks.includes(t.step as never) && t.escalationLevel > 0).length,
      abnormal: c?.data.checks.filter((x) => x.result === "abnormal").length ?? 0,
    });
  }
  // a day counts as missing its log once it is over without one written on the day
  const past = rows.filter((r) => r.date < today);
  const incidents = cases.filter((c) => c.workflow === "incident") as unknown as Array<CaseRecord<IncidentData>>;
  const votes = cases.filter((c) => c.workflow === "vote" && inMonth(c)) as unknown as Array<CaseRecord<VoteData>>;
  const inspections = cases.filter((c) => c.workflow === "inspection" && inMonth(c)) as unknown as Array<CaseRecord<InspectionData>>;
  const missed = rows.reduce((n, r) => n + r.missedChecks, 0);
  const automaticFailed = runs.filter((r) => r.problems.length > 0).length;
  return {
    agencyCode,
    agencyName: agency?.name ?? agencyCode,
    month,
    generatedAt: now.toISOString(),
    days: {
      rostered: rows.length,
      covered: rows.filter((r) => r.logged && !r.late).length,
      logsMissing: past.filter((r) => !r.logged || r.late).length,
      logsLate: rows.filter((r) => r.late).length,
    },
    checks: { missed, abnormal: rows.reduce((n, r) => n + r.abnormal, 0), automaticRuns: runs.length, automaticFailed, failed: missed + automaticFailed },
    incidents: {
      opened: incidents.filter(inMonth).length,
      open: incidents.filter((c) => c.status === "open").length,
      emergencies: incidents.filter((c) => inMonth(c) && c.data.emergency).length,
      reportedUpward: incidents.filter((c) => inMonth(c) && c.data.reportsUpward.length > 0).length,
    },
    votes: { held: votes.length, passed: votes.filter((v) => v.status === "passed").length, failed: votes.filter((v) => v.status === "failed").length, open: votes.filter((v) => v.status === "open").length },
    inspections: {
      held: inspections.length,
      findings: inspections.reduce((n, c) => n + c.data.items.filter((i) => i.status === "finding").length, 0),
      unrecorded: inspections.filter((c) => c.status === "open").length,
    },
    rows,
  };
}

/** The console's summary: this month unless `?month=YYYY-MM` says otherwise. */
export async function dutySummaryFor(deps: AppDeps, principal: StaffPrincipal, month: string | null): Promise<DutySummary> {
  const m = month ?? shanghaiDate(deps.clock.now()).slice(0, 7);
  if (!MONTH.test(m)) throw new ValidationError("VALIDATION_FAILED", "月份格式无效", [{ path: "month", code: "invalid_format", message: "月份应为 YYYY-MM 格式" }]);
  return dutySummary(deps, principal.agencyCode, m);
}

export function summaryText(s: DutySummary): string {
  return [
    `${s.agencyName} ${s.month} 值班值守与安全巡检情况：`,
    `排班 ${s.days.rostered} 天，按时记录 ${s.days.covered} 天，值守记录缺失 ${s.days.logsMissing} 天（其中补记 ${s.days.logsLate} 天）；`,
    `检查未按时完成 ${s.checks.missed} 次，自动检查 ${s.checks.automaticRuns} 次、发现异常 ${s.checks.automaticFailed} 次；`,
    `新发故障和事件 ${s.incidents.opened} 起（紧急 ${s.incidents.emergencies} 起），尚未处置 ${s.incidents.open} 起；`,
    `领导小组表决 ${s.votes.held} 次（通过 ${s.votes.passed}、未通过 ${s.votes.failed}、进行中 ${s.votes.open}）；`,
    `安全巡检 ${s.inspections.held} 次，清单发现问题 ${s.inspections.findings} 项，未登记 ${s.inspections.unrecorded} 次。`,
  ].join("\n");
}

/** One agency's summary of `month`, stored and mailed unless it already was. */
export async function sendDutySummary(deps: AppDeps, agencyCode: string, month: string): Promise<{ agencyCode: string; month: string; sent: boolean }> {
  const claim = `duty-summary#${agencyCode}#${month}`;
  if (await deps.store.claims.get(claim)) return { agencyCode, month, sent: false };
  const s = await dutySummary(deps, agencyCode, month);
  const key = `${dutySummaryPrefix(agencyCode)}${month}`;
  await deps.files.put(`${key}.json`, JSON.stringify(s, null, 2), "application/json; charset=utf-8");
  await deps.files.put(`${key}.html`, renderDutySummaryDocument(s), "text/html; charset=utf-8");
  const mail = await mailToRoles(deps.store, agencyCode, SUMMARY_RECIPIENTS, {
    subject: `【月报】${month} 值班值守与安全巡检情况`,
    text: `${summaryText(s)}\n详见附件；也可在控制台查看：${deps.config.publicBaseUrl}/console/duty/summary?month=${month}`,
    attachments: [{ key: `${key}.html`, filename: `值班值守与安全巡检情况-${month}.html`, contentType: "text/html; charset=utf-8" }],
  });
  const at = deps.clock.now().toISOString();
  const records: OutboxRecord[] = mail.map((message) => ({ messageId: deps.newId(), createdAt: at, message }));
  try {
    await deps.store.commit([{ kind: "claim", key: claim, value: { at, key } }, ...records.map((record) => ({ kind: "outbox" as const, record }))]);
  } catch (error) {
    if (error instanceof ConcurrentChangeError) return { agencyCode, month, sent: false };
    throw error;
  }
  await deps.outbox.dispatch(records);
  logger.info("duty summary sent", { agencyCode, month });
  return { agencyCode, month, sent: true };
}

export async function sendDutySummaries(deps: AppDeps, month = previousMonth(deps.clock.now())) {
  const out = [];
  for (const a of await deps.store.directory.agencies()) out.push(await sendDutySummary(deps, a.code, month));
  return { month, agencies: out };
}
