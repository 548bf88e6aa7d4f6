import type { AppDeps } from "./deps";
import type { CaseTimerInput } from "./case-timers";
import { commitCaseChange } from "./case-change";
import { mailToRoles } from "./mail";
import { ConcurrentChangeError } from "./errors";
import { getCase } from "../adapters/aws/records";
import type { ApplicationCase } from "../domain/records";
import type { Role } from "../domain/roles";
import type { TimerResult } from "./handle-task-timer";

const CLOSED: ApplicationCase["status"][] = ["replied", "withdrawn", "closed"];

/**
 * A timer of the statutory answer deadline fired. Warns the office (and, once the
 * deadline has passed, the office director and the deputy leader) unless the case
 * was answered meanwhile or its due date has moved since the timer was set.
 */
export async function handleCaseTimer(deps: AppDeps, timer: CaseTimerInput): Promise<TimerResult> {
  const record = await getCase(deps.table, timer.caseId);
  if (!record || CLOSED.includes(record.status) || record.dueOn !== timer.dueOn) return "stale";
  // each warning once per due date, however often its timer arrives
  const sent = `${timer.kind}:${timer.workingDaysLeft ?? ""}:${timer.dueOn}`;
  if (record.remindersSent?.includes(sent)) return "stale";
  const due = `${record.dueOn}${record.dueIsProvisional ? "（暂定）" : ""}`;
  const link = `${deps.config.publicBaseUrl}/console/cases/${record.caseId}`;
  const overdue = timer.kind === "overdue";
  const left =
    timer.kind === "last_day" ? "今天是最后一个工作日" : timer.kind === "halfway" ? "已过半" : `还剩 ${timer.workingDaysLeft ?? "?"} 个工作日`;
  const roles: Role[] = overdue ? ["office_staff", "office_director", "deputy_leader"] : ["office_staff"];
  const mail = await mailToRoles(deps.table, record.agencyCode, roles, {
    subject: overdue
      ? `【逾期】申请 ${record.trackingNumber} 已超过法定答复期限（${due}）`
      : `【提醒】申请 ${record.trackingNumber} 的法定答复期限${left}（${due}）`,
    text: overdue
      ? `政府信息公开申请 ${record.trackingNumber} 的法定答复期限 ${due} 已过，尚未答复。逾期答复可能被行政复议或诉讼确认违法，请立即处理。\n办理地址：${link}`
      : `政府信息公开申请 ${record.trackingNumber} 的法定答复期限为 ${due}，${left}。\n办理地址：${link}`,
    caseId: record.caseId,
  });
  try {
    await commitCaseChange(deps, {
      next: {
        ...record,
        flags: overdue ? [...new Set([...record.flags, "answer_overdue"])] : record.flags,
        remindersSent: [...(record.remindersSent ?? []), sent],
      },
      expectedVersion: record.version,
      events: [
        {
          actor: { kind: "system" },
          type: overdue ? "deadline.overdue" : "deadline.warned",
          summary: overdue ? `法定答复期限 ${due} 已过，已提请办公室主任、分管领导督办` : `法定答复期限提醒：${left}（${due}）`,
          data: { deadline: timer.deadline, kind: timer.kind, dueOn: record.dueOn },
        },
      ],
      outbox: mail,
    });
  } catch (error) {
    // lost a race with another writer: retry on fresh state
    if (error instanceof ConcurrentChangeError) throw new Error("case changed concurrently; retry", { cause: error });
    throw error;
  }
  return overdue ? "escalated" : "reminded";
}
