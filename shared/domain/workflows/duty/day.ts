import { addDays, type IsoDate } from "../../calendar";
import { textValue } from "../fields";
import type { OutcomeDefinition, OutcomeField, StepDefinition, WorkflowDefinition } from "../types";
import type { Person } from "./people";

/**
 * One duty day (值班值守, seed 政务公开值班值守制度): the officer on the roster checks the
 * website and the new-media accounts at set times, reviews the day's new content, answers
 * the new-media questions and writes the duty log — findings and handling, truthfully,
 * kept as an archive: written once, never edited, only annotated afterwards. Open
 * matters are handed over to the next day's officer. A check or log not done by its
 * time escalates to the leader on duty (带班领导) named on the roster.
 */

export type DutyStep = "check_website" | "check_new_media" | "review_content" | "answer_questions" | "write_log";

/** The set times (Beijing) by which each task of the day must be done. */
export const dutyTimes: Record<DutyStep, string> = {
  check_website: "10:00",
  check_new_media: "10:00",
  review_content: "16:00",
  answer_questions: "17:00",
  write_log: "17:30",
};

/** The tasks that must be done before the log can be written. */
export const dutyChecks: DutyStep[] = ["check_website", "check_new_media", "review_content", "answer_questions"];

export interface DutyCheck {
  step: DutyStep;
  /** abnormal: something was found (and, where it matters, an incident reported) */
  result: "normal" | "abnormal";
  findings: string;
  handling?: string;
  byName: string;
  at: string;
  /** done after its set time */
  late: boolean;
}

export interface DutyLog {
  findings: string;
  handling: string;
  /** matters handed over to the next day's officer */
  openMatters: string[];
  byName: string;
  at: string;
  /** written after the duty day */
  late: boolean;
}

export interface DutyDayData {
  date: IsoDate;
  officer: Person;
  /** 带班领导 */
  leader: Person;
  /** open matters handed over by the previous duty day's officer */
  carried: string[];
  carriedFrom?: { date: IsoDate; officerName: string; caseId: string };
  checks: DutyCheck[];
  log?: DutyLog;
  annotations: Array<{ text: string; byName: string; at: string }>;
}

const text = textValue;

const checkFields: OutcomeField[] = [
  {
    name: "result",
    type: "choice",
    label: "检查结果",
    required: true,
    choices: [
      { value: "normal", label: "正常" },
      { value: "abnormal", label: "发现异常" },
    ],
  },
  { name: "findings", type: "text", label: "检查情况", required: true, maxLength: 2000 },
  { name: "handling", type: "text", label: "处理意见", required: false, maxLength: 2000, requiredWhen: { field: "result", values: ["abnormal"] } },
];

function recordCheck(step: DutyStep, label: string): OutcomeDefinition<DutyDayData> {
  return {
    outcome: step === "review_content" ? "reviewed" : step === "answer_questions" ? "answered" : "checked",
    label,
    fields: checkFields,
    transition: (ctx) => {
      const result = text(ctx.values, "result") as DutyCheck["result"];
      const handling = text(ctx.values, "handling");
      const late = ctx.task ? ctx.now.getTime() > Date.parse(ctx.task.dueAt) : false;
      const check: DutyCheck = { step, result, findings: text(ctx.values, "findings")!, ...(handling ? { handling } : {}), byName: ctx.actor.displayName ?? "", at: ctx.now.toISOString(), late };
      return {
        data: { ...ctx.case.data, checks: [...ctx.case.data.checks, check] },
        ...(result === "abnormal" ? { flags: { add: ["abnormal"] } } : {}),
        event: { type: `duty.${step}`, summary: `${label}：${result === "normal" ? "正常" : "发现异常"}。${check.findings}${handling ? `；处理意见：${handling}` : ""}${late ? "（超过规定时间）" : ""}` },
      };
    },
  };
}

function dutyStep(step: DutyStep, title: string, instructions: string, outcomes: OutcomeDefinition<DutyDayData>[]): StepDefinition<DutyDayData> {
  return {
    step,
    role: "duty_officer",
    title,
    instructions,
    periodWorkingDays: 1,
    dueTime: dutyTimes[step],
    escalateTo: ["leadership_group"],
    escalateToPeople: (c) => [c.data.leader.username],
    outcomes,
  };
}

export const dutyDayWorkflow: WorkflowDefinition<DutyDayData> = {
  workflow: "duty",
  label: "值班值守",
  statuses: { on_duty: "值守中", logged: "已记录" },
  terminal: ["logged"],
  start: { step: "check_website", status: "on_duty" },
  steps: {
    check_website: dutyStep("check_website", "检查政府网站", `${dutyTimes.check_website} 前检查门户网站能否正常访问、栏目内容是否正常，发现异常及时报告相关责任人并记录故障描述。`, [
      {
        outcome: "begin",
        label: "开始值守",
        entry: true,
        actors: ["system"],
        fields: [],
        transition: (ctx) => {
          const d = ctx.extra.data as DutyDayData;
          // each task is due on the duty day itself: one working day counted from the day before
          const from = addDays(d.date, -1);
          return {
            data: d,
            open: (["check_website", "check_new_media", "review_content", "answer_questions", "write_log"] as const).map((step) => ({ step, from })),
            event: {
              type: "duty.began",
              summary: `${d.date} 值守人员 ${d.officer.displayName}，带班领导 ${d.leader.displayName}${d.carried.length ? `；接上一班移交事项 ${d.carried.length} 项` : ""}`,
            },
          };
        },
      },
      recordCheck("check_website", "检查政府网站"),
    ]),
    check_new_media: dutyStep("check_new_media", "检查政务新媒体", `${dutyTimes.check_new_media} 前检查政务公众号等新媒体账号运行和内容是否正常。`, [recordCheck("check_new_media", "检查政务新媒体")]),
    review_content: dutyStep("review_content", "审核当天新发布信息", `${dutyTimes.review_content} 前逐条审核当天在网站和新媒体新发布的信息（值守页面列出当天发布的目录条目）。`, [recordCheck("review_content", "审核当天新发布信息")]),
    answer_questions: dutyStep("answer_questions", "处理新媒体问答", `${dutyTimes.answer_questions} 前关注政务新媒体动态，处理各项问答回复。`, [recordCheck("answer_questions", "处理新媒体问答")]),
    write_log: dutyStep("write_log", "填写值守记录", `${dutyTimes.write_log} 前如实、详细填写当天的值守记录（值守情况及处理意见），并列出移交下一班的未了事项。值守记录存档备查，填写后不能修改，只能批注。`, [
      {
        outcome: "logged",
        label: "提交值守记录",
        fields: [
          { name: "findings", type: "text", label: "值守情况", required: true, maxLength: 4000 },
          { name: "handling", type: "text", label: "处理意见", required: true, maxLength: 4000 },
          { name: "openMatters", type: "list", label: "移交下一班的未了事项（每行一项）", required: false, maxItems: 50, maxLength: 500 },
        ],
        unavailable: (ctx) => {
          const done = new Set(ctx.case.data.checks.map((c) => c.step));
          const missing = dutyChecks.filter((s) => !done.has(s)).map((s) => dutyDayWorkflow.steps[s]!.title);
          return missing.length ? `请先完成：${missing.join("、")}` : undefined;
        },
        transition: (ctx) => {
          const d = ctx.case.data;
          const late = ctx.today > d.date;
          const log: DutyLog = {
            findings: text(ctx.values, "findings")!,
            handling: text(ctx.values, "handling")!,
            openMatters: (ctx.values.openMatters as string[] | undefined) ?? [],
            byName: ctx.actor.displayName ?? "",
            at: ctx.now.toISOString(),
            late,
          };
          return {
            status: "logged",
            done: true,
            data: { ...d, log },
            ...(late ? { flags: { add: ["log_late"] } } : {}),
            event: {
              type: "duty.logged",
              summary: `值守记录：${log.findings}；处理意见：${log.handling}${log.openMatters.length ? `；移交未了事项 ${log.openMatters.length} 项` : ""}${late ? "（值守日后补记）" : ""}`,
            },
          };
        },
      },
    ]),
  },
  deadlines: {},
  searchText: (c) => `${c.reference} ${c.data.date} ${c.data.officer.displayName}`,
  applicant: (c) => ({ name: c.data.officer.displayName }),
  party: (c) => `${c.data.date} 值守：${c.data.officer.displayName}`,
  viewRoles: ["duty_officer", "leadership_group", "web_admin", "security_officer", "deputy_leader", "principal_leader", "office_director", "auditor"],
  personalDataRoles: [],
};
