import type { AppDeps } from "../deps";
import { commitChange } from "./commit";
import { runOutcome } from "./run-outcome";
import { mailMessage, mailToRoles } from "../mail";
import { ConcurrentChangeError } from "../errors";
import type { OutboxMessage } from "../ports/outbox";
import type { Write } from "../ports/store";
import { dueMoment } from "../../domain/deadlines";
import { formatShanghaiTime, shanghaiDate } from "../../domain/calendar";
import { roleLabel } from "../../domain/roles";
import { workflowDefinition } from "../../domain/workflows";
import { timerName, type CaseTimerInput, type TaskTimerInput } from "../../domain/workflows/timers";

export type TimerResult = "reminded" | "escalated" | "expired" | "stale";

const CLAIM_DAYS = 400;

/** A reminder is remembered apart from the task or case, so it never makes someone's completion fail. */
function reminderClaim(deps: AppDeps, key: string): Write {
  const now = deps.clock.now();
  return { kind: "claim", key: `reminder#${key}`, value: { at: now.toISOString() }, expiresAt: Math.floor(now.getTime() / 1000) + CLAIM_DAYS * 86_400 };
}

async function sendOnce(deps: AppDeps, key: string, mail: OutboxMessage[]): Promise<boolean> {
  if (await deps.store.claims.get(`reminder#${key}`)) return false;
  const now = deps.clock.now().toISOString();
  const records = mail.map((message) => ({ messageId: deps.newId(), createdAt: now, message }));
  try {
    await deps.store.commit([reminderClaim(deps, key), ...records.map((record) => ({ kind: "outbox" as const, record }))]);
  } catch (error) {
    if (error instanceof ConcurrentChangeError) return false;
    throw error;
  }
  await deps.outbox.dispatch(records);
  return true;
}

/** The named people of the agency who are active and have an address. */
async function peopleOf(deps: AppDeps, agencyCode: string, usernames: string[]) {
  const users = await deps.store.directory.users(agencyCode);
  return users.filter((u) => usernames.includes(u.username) && u.email && !u.disabled);
}

/** Lost a race with another writer: throw so the queue retries on fresh state. */
function retryOnRace(error: unknown): never {
  if (error instanceof ConcurrentChangeError) throw new Error("case changed concurrently; retry", { cause: error });
  throw error;
}

/**
 * A task's timer fired. Re-reads the task and acts only if it still calls for it: a
 * completed task, a timer set for a due moment that has since moved, or a reminder
 * arriving after the due moment (it would tell a falsehood) does nothing.
 */
export async function handleTaskTimer(deps: AppDeps, timer: TaskTimerInput): Promise<TimerResult> {
  const task = await deps.store.tasks.get(timer.taskId);
  if (!task || task.status !== "open" || task.dueAt !== timer.dueAt) return "stale";
  const c = await deps.store.cases.get(task.caseId);
  if (!c) return "stale";
  const definition = workflowDefinition(c.workflow);
  const step = definition.steps[task.step];
  if (!step) return "stale";
  const now = deps.clock.now();
  const calendar = await deps.calendar();
  const link = `${deps.config.publicBaseUrl}/console/cases/${task.caseId}#task-${task.taskId}`;
  const due = `${task.dueOn}${task.dueIsProvisional ? "（暂定）" : ""}`;

  if (timer.kind !== "overdue") {
    if (now.getTime() > Date.parse(task.dueAt)) return "stale";
    const left = calendar.workingDaysBetween(shanghaiDate(now), task.dueOn);
    const when = timer.kind === "last_day" || left <= 0 ? "今天是办理期限的最后一个工作日" : `办理期限已过半，还有 ${left} 个工作日`;
    const mail = await mailToRoles(deps.store, task.agencyCode, [task.role, ...task.escalatedTo], {
      subject: `【提醒】${step.title}：${when}（${c.reference}）`,
      text: `待办「${step.title}」${when}，期限 ${due}。\n${step.instructions}\n办理地址：${link}`,
      caseId: task.caseId,
      taskId: task.taskId,
    });
    return (await sendOnce(deps, `${task.taskId}#${timer.kind}#${timer.dueAt}`, mail)) ? "reminded" : "stale";
  }

  // overdue: one level up the chain and the case flagged — once per level, however often the timer arrives,
  // and never before the due moment (a message replayed by hand ahead of its schedule)
  if ((timer.level ?? 0) !== task.escalationLevel || now.getTime() < Date.parse(task.dueAt)) return "stale";
  const chain = step.escalateTo;
  const target = chain[Math.min(task.escalationLevel, chain.length - 1)];
  if (!target) return "stale";
  const escalated = { ...task, escalationLevel: task.escalationLevel + 1, escalatedTo: [...new Set([...task.escalatedTo, target])] };
  // while someone higher up the chain is left, look again one working day later
  const followUp: OutboxMessage[] = [];
  if (escalated.escalationLevel < chain.length) {
    const at = dueMoment(calendar.addWorkingDays(shanghaiDate(now), 1).date);
    const name = timerName(task.taskId, "overdue", escalated.escalationLevel);
    followUp.push({ kind: "schedule", name, at: at.toISOString(), input: { ...timer, level: escalated.escalationLevel } });
    escalated.scheduleNames = [...task.scheduleNames, name];
  }
  // the people standing for the chain on this case (the leader on duty) rather than everyone in the role
  const people = step.escalateToPeople?.(c as never) ?? [];
  const named = people.length ? await peopleOf(deps, task.agencyCode, people) : [];
  const whom = named.length ? named.map((u) => u.displayName).join("、") : roleLabel(target);
  const content = {
    subject: `【督办】${step.title}已超过办理期限（${c.reference}）`,
    text: [
      `待办「${step.title}」已于 ${task.dueAt === dueMoment(task.dueOn).toISOString() ? due : formatShanghaiTime(task.dueAt)} 到期仍未办结，现提请${whom}督办。`,
      `请督促${roleLabel(task.role)}立即办理；必要时${whom}可在控制台直接办理该待办。`,
      `该环节的要求：${step.instructions}`,
      `办理地址：${link}`,
    ].join("\n"),
    caseId: task.caseId,
    taskId: task.taskId,
  };
  const assignees = await mailToRoles(deps.store, task.agencyCode, [task.role], content);
  const mail = named.length
    ? [mailMessage({ ...content, to: [...new Set([...named.map((u) => u.email), ...assignees.flatMap((m) => (m.kind === "queue" ? (m.body.to as string[]) : []))])] })]
    : await mailToRoles(deps.store, task.agencyCode, [target, task.role], content);
  await commitChange(deps, {
    case: { ...c, flags: [...new Set([...c.flags, "overdue"])] },
    expectedVersion: c.version,
    events: [
      {
        actor: { kind: "system" },
        type: "task.escalated",
        summary: `「${step.title}」逾期未办结，已提请${whom}督办`,
        data: { taskId: task.taskId, to: target, level: escalated.escalationLevel, ...(named.length ? { people: named.map((u) => u.username) } : {}) },
      },
    ],
    tasks: [{ task: escalated, expectedVersion: task.version }],
    outbox: [...mail, ...followUp],
  }).catch(retryOnRace);
  return "escalated";
}

/**
 * A case deadline's timer fired: a warning to the people its definition names, or,
 * once it has passed unmet, its expiry (the system completes the task its definition
 * says, e.g. withdrawn for no correction, consent for an agency's silence) or its
 * escalation (the case flagged `<name>_overdue`, the chain told once).
 */
export async function handleCaseTimer(deps: AppDeps, timer: CaseTimerInput): Promise<TimerResult> {
  const c = await deps.store.cases.get(timer.caseId);
  if (!c) return "stale";
  const definition = workflowDefinition(c.workflow);
  const d = c.deadlines[timer.deadline];
  const spec = definition.deadlines[timer.deadline];
  if (definition.terminal.includes(c.status) || !d || !spec || d.stopped || d.paused || d.dueOn !== timer.dueOn) return "stale";
  const now = deps.clock.now();
  const due = `${d.dueOn}${d.provisional ? "（暂定）" : ""}`;
  const link = `${deps.config.publicBaseUrl}/console/cases/${c.caseId}`;

  if (timer.kind !== "overdue") {
    if (now.getTime() > dueMoment(d.dueOn).getTime()) return "stale";
    const left = timer.kind === "last_day" ? "今天是最后一个工作日" : timer.kind === "halfway" ? "已过半" : `还剩 ${timer.workingDaysLeft ?? "?"} 个工作日`;
    const mail = await mailToRoles(deps.store, c.agencyCode, spec.notify, {
      subject: `【提醒】${c.reference} 的${spec.label}${left}（${due}）`,
      text: `${definition.label} ${c.reference} 的${spec.label}为 ${due}，${left}。\n办理地址：${link}`,
      caseId: c.caseId,
    });
    return (await sendOnce(deps, `${c.caseId}#${timer.deadline}#${timer.kind}#${timer.workingDaysLeft ?? ""}#${d.dueOn}`, mail)) ? "reminded" : "stale";
  }

  if (d.expiredOn === d.dueOn || now.getTime() < dueMoment(d.dueOn).getTime()) return "stale";
  if (spec.onExpiry) {
    const task = (await deps.store.tasks.ofCase(c.caseId)).find((t) => t.status === "open" && t.step === spec.onExpiry!.step);
    if (!task) return "stale";
    await runOutcome(deps, { task, outcome: spec.onExpiry.outcome, input: {}, actor: { kind: "system" } }).catch(retryOnRace);
    return "expired";
  }
  const mail = await mailToRoles(deps.store, c.agencyCode, [...spec.notify, ...spec.escalateTo], {
    subject: `【逾期】${c.reference} 的${spec.label}（${due}）已过`,
    text: `${definition.label} ${c.reference} 的${spec.label} ${due} 已过，尚未办结。逾期可能被行政复议或诉讼确认违法，请立即处理。\n办理地址：${link}`,
    caseId: c.caseId,
  });
  await commitChange(deps, {
    case: { ...c, flags: [...new Set([...c.flags, `${timer.deadline}_overdue`])], deadlines: { ...c.deadlines, [timer.deadline]: { ...d, expiredOn: d.dueOn } } },
    expectedVersion: c.version,
    events: [
      {
        actor: { kind: "system" },
        type: "deadline.overdue",
        summary: `${spec.label} ${due} 已过${spec.escalateTo.length ? `，已提请${spec.escalateTo.map(roleLabel).join("、")}督办` : ""}`,
        data: { deadline: timer.deadline, dueOn: d.dueOn },
      },
    ],
    outbox: mail,
  }).catch(retryOnRace);
  return "escalated";
}
