import type { WorkflowDefinition } from "../types";
import type { Person } from "./people";

/**
 * A major decision put to the leadership group (seed 值班值守制度 三、5): the duty manager
 * acts only with at least half of the group's members in favour (半数(包括半数)以上), and
 * any duty officer may ask the group to review a leader's single-handed decision. The
 * members are fixed when the vote opens; it is decided once every member has voted or
 * when its period ends, whichever comes first (SPEC §7.4).
 */

export type Choice = "for" | "against";
export type VoteStatus = "open" | "passed" | "failed";

export interface Ballot extends Person {
  choice: Choice;
  at: string;
}

export interface VoteData {
  subject: string;
  detail: string;
  /** the leader's single-handed decision the group is asked to review, when that is what it is */
  reviewOf?: string;
  calledBy: Person & { role: string };
  /** the group's members when the vote opened */
  members: Person[];
  ballots: Ballot[];
  decided?: { status: Exclude<VoteStatus, "open">; for: number; against: number; at: string; because: "all_voted" | "deadline" };
}

/** Working days the members have to vote. */
export const VOTING_WORKING_DAYS = 3;

export const choiceLabels: Record<Choice, string> = { for: "赞成", against: "反对" };

/** 半数(包括半数)以上: a tie at exactly half passes; a member who never voted is not in favour. */
export function votePasses(inFavour: number, members: number): boolean {
  return members > 0 && 2 * inFavour >= members;
}

export function tally(d: VoteData): { for: number; against: number } {
  return { for: d.ballots.filter((b) => b.choice === "for").length, against: d.ballots.filter((b) => b.choice === "against").length };
}

function decided(d: VoteData, at: string, because: "all_voted" | "deadline"): VoteData {
  const t = tally(d);
  return { ...d, decided: { status: votePasses(t.for, d.members.length) ? "passed" : "failed", ...t, at, because } };
}

const summaryOf = (d: VoteData) => {
  const t = tally(d);
  return `赞成 ${t.for} 票、反对 ${t.against} 票、未投 ${d.members.length - t.for - t.against} 人（成员 ${d.members.length} 人，需至少 ${Math.ceil(d.members.length / 2)} 票赞成）`;
};

export const voteWorkflow: WorkflowDefinition<VoteData> = {
  workflow: "vote",
  label: "领导小组表决",
  statuses: { open: "表决中", passed: "已通过", failed: "未通过" },
  terminal: ["passed", "failed"],
  start: { step: "ballot", status: "open" },
  steps: {
    ballot: {
      step: "ballot",
      role: "leadership_group",
      title: "领导小组表决",
      instructions: "请阅读表决事项，在期限内投赞成或反对票；半数（包括半数）以上成员赞成即通过。",
      periodWorkingDays: VOTING_WORKING_DAYS,
      dueWith: "voting",
      escalateTo: [],
      outcomes: [
        {
          outcome: "call",
          label: "发起表决",
          entry: true,
          fields: [
            { name: "subject", type: "text", label: "表决事项", required: true, maxLength: 200 },
            { name: "detail", type: "text", label: "情况说明", required: true, maxLength: 4000 },
            { name: "reviewOf", type: "text", label: "提请复议的带班领导决定", required: false, maxLength: 1000 },
          ],
          transition: (ctx) => ({
            data: ctx.extra.data as VoteData,
            open: [{ step: "ballot" }],
            deadlines: [{ op: "start", name: "voting", on: ctx.today, reason: `领导小组表决：${VOTING_WORKING_DAYS} 个工作日内投票` }],
            event: {
              type: "vote.called",
              summary: `${(ctx.extra.data as VoteData).reviewOf ? "提请领导小组复议带班领导的决定" : "提请领导小组表决"}：${(ctx.extra.data as VoteData).subject}（成员 ${(ctx.extra.data as VoteData).members.length} 人）`,
            },
          }),
        },
        {
          // the last member's ballot decides it in the same commit (shared/app/duty/votes.ts)
          outcome: "all_voted",
          label: "全部成员已投票",
          actors: ["system"],
          fields: [],
          transition: (ctx) => {
            const d = decided(ctx.extra.data as VoteData, ctx.now.toISOString(), "all_voted");
            return {
              status: d.decided!.status,
              data: d,
              done: true,
              deadlines: [{ op: "stop", name: "voting", on: ctx.today, reason: "全部成员已投票" }],
              event: { type: `vote.${d.decided!.status}`, summary: `表决${d.decided!.status === "passed" ? "通过" : "未通过"}：${summaryOf(d)}` },
            };
          },
        },
        {
          outcome: "expire",
          label: "表决期限届满",
          actors: ["system"],
          fields: [],
          transition: (ctx) => {
            const d = decided(ctx.case.data, ctx.now.toISOString(), "deadline");
            return {
              status: d.decided!.status,
              data: d,
              done: true,
              event: { type: `vote.${d.decided!.status}`, summary: `表决期限届满，${d.decided!.status === "passed" ? "通过" : "未通过"}：${summaryOf(d)}` },
            };
          },
        },
      ],
    },
  },
  deadlines: {
    voting: {
      name: "voting",
      kind: "vote",
      label: "表决期限",
      periodWorkingDays: VOTING_WORKING_DAYS,
      timers: ["last_day"],
      notify: ["leadership_group"],
      escalateTo: [],
      onExpiry: { step: "ballot", outcome: "expire" },
    },
  },
  searchText: (c) => `${c.reference} ${c.data.subject}`,
  applicant: (c) => ({ name: c.data.calledBy.displayName }),
  party: (c) => `表决：${c.data.subject}`,
  viewRoles: ["leadership_group", "duty_officer", "deputy_leader", "principal_leader", "office_director", "auditor"],
  personalDataRoles: [],
};
