import type { AppDeps } from "../deps";
import type { StaffPrincipal } from "../auth";
import { ConcurrentChangeError, ConflictError, ForbiddenError, ValidationError } from "../errors";
import { applyDecision } from "../engine/apply";
import { commitChange } from "../engine/commit";
import { decideOrRefuse } from "../engine/run-outcome";
import { validateOutcomeFields } from "../../domain/workflows/fields";
import { newCaseRecord } from "../../domain/workflows/engine";
import { choiceLabels, tally, voteWorkflow, type Choice, type VoteData, type VoteStatus } from "../../domain/workflows/duty/vote";
import type { CaseRecord } from "../../domain/records";
import { shanghaiDate } from "../../domain/calendar";
import { caseOf, objectBody, roleAmong, staffActor } from "./common";
import { logger } from "../../adapters/logger";

/**
 * Leadership-group votes (SPEC §7.4, seed 值班值守制度 三、5). A duty officer or a member
 * calls one; the members are the group's active members at that moment. Each member
 * votes once; the last ballot decides it in the same commit, otherwise the engine's
 * deadline timer decides it when the period ends.
 */

/** Who may call a vote: the duty manager (an officer on duty) or a member of the group. */
export const VOTE_CALLERS = ["duty_officer", "leadership_group"] as const;

export interface VoteView {
  voteId: string;
  reference: string;
  subject: string;
  detail: string;
  reviewOf?: string;
  status: VoteStatus;
  for: number;
  against: number;
  /** usernames of the members, fixed when the vote opened */
  members: string[];
  memberNames: string[];
  /** who has voted (usernames) and how */
  ballots: Array<{ username: string; displayName: string; choice: Choice; at: string }>;
  /** the last day to vote (Beijing date) */
  closesOn?: string;
  calledBy: string;
  openedAt: string;
}

export function voteView(c: CaseRecord<VoteData>): VoteView {
  const d = c.data;
  const t = tally(d);
  return {
    voteId: c.caseId,
    reference: c.reference,
    subject: d.subject,
    detail: d.detail,
    ...(d.reviewOf ? { reviewOf: d.reviewOf } : {}),
    status: (c.status as VoteStatus) ?? "open",
    for: t.for,
    against: t.against,
    members: d.members.map((m) => m.username),
    memberNames: d.members.map((m) => m.displayName),
    ballots: d.ballots,
    ...(c.deadlines.voting ? { closesOn: c.deadlines.voting.dueOn } : {}),
    calledBy: d.calledBy.displayName,
    openedAt: c.createdAt,
  };
}

export async function callVote(deps: AppDeps, principal: StaffPrincipal, body: unknown): Promise<VoteView> {
  const role = roleAmong(principal, VOTE_CALLERS);
  const input = objectBody(body);
  const call = voteWorkflow.steps.ballot!.outcomes.find((o) => o.outcome === "call")!;
  const { values, errors } = validateOutcomeFields(call.fields, input);
  if (errors.length) throw new ValidationError("VALIDATION_FAILED", "提交的内容有误，请按提示修改", errors);
  const members = (await deps.store.directory.users(principal.agencyCode))
    .filter((u) => u.roles.includes("leadership_group") && !u.disabled)
    .map((u) => ({ username: u.username, displayName: u.displayName }))
    .sort((a, b) => a.username.localeCompare(b.username));
  if (members.length === 0) throw new ConflictError("NO_MEMBERS", "本机构领导小组尚无成员，无法发起表决");
  const now = deps.clock.now();
  const data: VoteData = {
    subject: values.subject as string,
    detail: values.detail as string,
    ...(values.reviewOf ? { reviewOf: values.reviewOf as string } : {}),
    calledBy: { username: principal.username, displayName: principal.displayName, role },
    members,
    ballots: [],
  };
  const caseId = deps.newId();
  const seq = await deps.store.counters.next(principal.agencyCode, `vote-${shanghaiDate(now).slice(0, 4)}`);
  const record = newCaseRecord(voteWorkflow, { caseId, agencyCode: principal.agencyCode, reference: `BJ-${shanghaiDate(now).slice(0, 4)}-${String(seq).padStart(3, "0")}`, now, data });
  const decision = decideOrRefuse({
    definition: voteWorkflow,
    case: record,
    openTasks: [],
    outcome: "call",
    input,
    extra: { data },
    actor: staffActor(principal, role),
    calendar: await deps.calendar(),
    now,
    newId: deps.newId,
  });
  const stored = await applyDecision(deps, decision);
  logger.info("vote called", { agencyCode: principal.agencyCode, caseId, members: members.length });
  return voteView(stored as unknown as CaseRecord<VoteData>);
}

export async function getVote(deps: AppDeps, principal: StaffPrincipal, voteId: string): Promise<VoteView> {
  return voteView(await caseOf<VoteData>(deps, principal, "vote", voteId, "表决"));
}

const ATTEMPTS = 5;

/** One member's ballot: 403 for someone who is not a member, 409 for a second ballot or a decided vote. */
export async function castBallot(deps: AppDeps, principal: StaffPrincipal, voteId: string, body: unknown): Promise<VoteView> {
  const input = objectBody(body);
  const choice = input.choice;
  if (choice !== "for" && choice !== "against") {
    throw new ValidationError("VALIDATION_FAILED", "请选择赞成或反对", [{ path: "choice", code: choice === undefined ? "required" : "invalid_choice", message: "表决意见应为 for（赞成）或 against（反对）" }]);
  }
  for (let attempt = 1; ; attempt++) {
    const c = await caseOf<VoteData>(deps, principal, "vote", voteId, "表决");
    const d = c.data;
    const member = d.members.find((m) => m.username === principal.username);
    if (!member) throw new ForbiddenError("只有表决发起时的领导小组成员可以投票");
    if (c.status !== "open") throw new ConflictError("VOTE_CLOSED", "该表决已结束");
    if (d.ballots.some((b) => b.username === principal.username)) throw new ConflictError("ALREADY_VOTED", "您已投过票，每位成员只能投一次");
    const now = deps.clock.now();
    const ballots = [...d.ballots, { ...member, choice, at: now.toISOString() }];
    const next = { ...c, data: { ...d, ballots } } as unknown as CaseRecord;
    const event = {
      actor: staffActor(principal, "leadership_group"),
      type: "vote.ballot",
      summary: `${member.displayName} 投票：${choiceLabels[choice]}（已投 ${ballots.length}/${d.members.length}）`,
      data: { choice },
    };
    try {
      if (ballots.length < d.members.length) {
        return voteView((await commitChange(deps, { case: next, expectedVersion: c.version, events: [event] })) as unknown as CaseRecord<VoteData>);
      }
      // the last ballot decides the vote in the same commit
      const tasks = await deps.store.tasks.ofCase(c.caseId);
      const task = tasks.find((t) => t.step === "ballot" && t.status === "open");
      if (!task) throw new ConcurrentChangeError("the ballot task closed meanwhile");
      const decision = decideOrRefuse({
        definition: voteWorkflow,
        case: next,
        task,
        openTasks: tasks.filter((t) => t.status === "open"),
        outcome: "all_voted",
        input: {},
        extra: { data: next.data },
        actor: { kind: "system" },
        calendar: await deps.calendar(),
        now,
        newId: deps.newId,
      });
      return voteView((await applyDecision(deps, decision, { expectedVersion: c.version, events: [event] })) as unknown as CaseRecord<VoteData>);
    } catch (error) {
      // someone else's ballot landed first: count again on what is stored now
      if (!(error instanceof ConcurrentChangeError)) throw error;
      if (attempt >= ATTEMPTS) throw new ConflictError("VOTE_BUSY", "同时投票的人较多，请稍后重试", [], { cause: error });
    }
  }
}
