import { textValue } from "../fields";
import { formatChineseDate } from "../../letters/common";
import type { Notice, OpenStep, OutcomeDefinition, StepDefinition, TransitionContext, WorkflowDefinition } from "../types";
import {
  commentCounts,
  consultationPath,
  dispositionDecisions,
  dispositionLabels,
  draftingExplanationForSubmission,
  MIN_CONSULTATION_WORKING_DAYS,
  missingForSubmission,
  publicCommentText,
  situationLabels,
  type ConsultationData,
  type DispositionDecision,
} from "./data";

/**
 * Public consultation on a draft normative document (SPEC §3.5, §7.3): the drafting
 * section submits the draft (an entry outcome: the case opens with its tasks at once) →
 * the office publishes it for at least 7 working days (`publish_consultation`), letters to
 * units go out → the period's timer closes the comment form (`await_comments`, completed by
 * the system when the period expires) → each comment gets its disposition and the summary
 * is published, feedback mailed (`dispose_comments`) → the drafting section submits the
 * draft for review (`submit_for_review`), refused while anything 第十三条 asks is missing.
 * The expert consultation (第七条/第八条), the 座谈会/听证会 (第九条) and the associations'
 * opinions (第十条) are tasks of their own, opened at the start when they apply.
 */

type Ctx = TransitionContext<ConsultationData>;
const text = textValue;
const list = (ctx: Ctx, name: string): string[] => (Array.isArray(ctx.values[name]) ? (ctx.values[name] as string[]) : []);
const by = (ctx: Ctx) => ({ byName: ctx.actor.displayName ?? ctx.actor.username ?? "系统", at: ctx.now.toISOString() });
/** the record's files, stored by app/consultations/hooks.ts before the transition */
const files = (ctx: Ctx) => (Array.isArray(ctx.extra.attachments) && ctx.extra.attachments.length ? { attachments: ctx.extra.attachments as NonNullable<ConsultationData["expert"]>["attachments"] } : {});

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The tasks a newly submitted draft opens: its publication (unless exempt), the records it needs, and its submission. */
function firstSteps(d: ConsultationData, ctx?: Ctx): OpenStep[] {
  // the closing date is shown before publishing: as it stands for a publication today
  const preview = ctx
    ? `今日（${ctx.today}）发布的截止日期：${[7, 10, 15].map((n) => `${n} 个工作日截至 ${ctx.calendar.addWorkingDays(ctx.today, n).date}`).join("；")}（发布当日不计入）`
    : undefined;
  return [
    ...(d.exempt ? [] : [{ step: "publish_consultation", ...(preview ? { note: preview } : {}) }]),
    ...(d.situations.length ? [{ step: "expert_consultation", note: `第七条情形：${d.situations.map((s) => situationLabels[s]).join("；")}` }] : []),
    ...(d.publicInterest ? [{ step: "hearing" }] : []),
    ...(d.sectorInterests ? [{ step: "association_opinions" }] : []),
    { step: "submit_for_review", ...(d.exempt ? { note: `依第四条不公开征求意见：${d.exempt.reason}` } : {}) },
  ];
}

/** Feedback to the proposer of a comment not adopted (第十一条), when they left an email address. */
function feedbackNotices(d: ConsultationData, agencyUrl: string): Notice[] {
  return d.comments
    .filter((c) => c.disposition?.decision === "not_adopted" && c.contact && EMAIL.test(c.contact))
    .map((c) => ({
      to: { kind: "party" as const, name: c.name ?? "提议人", email: c.contact! },
      subject: `关于《${d.title}》征求意见的反馈`,
      text: [
        `${c.name ?? "您好"}：`,
        `感谢您对《${d.title}》（征求意见稿）提出的意见（编号 ${c.commentId}）：`,
        `“${publicCommentText(c)}”`,
        `经研究，该意见不予采纳。理由：${c.disposition!.reason ?? "—"}`,
        `意见采纳情况已在门户网站公开：${agencyUrl}`,
      ].join("\n"),
    }));
}

const recordRole = "section_head" as const;

/** 第六条: a unit's written reply to the letter, recorded while the period runs or afterwards. */
const replyReceived: OutcomeDefinition<ConsultationData> = {
    outcome: "reply_received",
    label: "登记书面反馈",
    fields: [
      { name: "unit", type: "text", label: "反馈单位", required: true, maxLength: 100 },
      { name: "receivedOn", type: "date", label: "收到日期", required: true },
      { name: "summary", type: "text", label: "反馈意见摘要", required: true, maxLength: 4000 },
    ],
    check: (ctx) => {
      const unit = text(ctx.values, "unit")!;
      const letter = ctx.case.data.unitLetters.find((l) => l.unit === unit);
      if (!letter) return [{ path: "unit", code: "invalid_choice", message: `未向“${unit}”发出征求意见函（可选：${ctx.case.data.unitLetters.map((l) => l.unit).join("、")}）` }];
      if (letter.reply) return [{ path: "unit", code: "duplicate", message: `${unit}的书面反馈已登记` }];
      if (text(ctx.values, "receivedOn")! > ctx.today) return [{ path: "receivedOn", code: "out_of_range", message: "收到日期不能晚于今天" }];
      return [];
    },
    transition: (ctx) => {
      const d = ctx.case.data;
      const unit = text(ctx.values, "unit")!;
      const letters = d.unitLetters.map((l) => (l.unit === unit ? { ...l, reply: { summary: text(ctx.values, "summary")!, receivedOn: text(ctx.values, "receivedOn")!, byName: by(ctx).byName } } : l));
      const left = letters.filter((l) => !l.reply);
      return {
        data: { ...d, unitLetters: letters },
        // the task it was recorded on stays: its step again (a round of its own, due as before)
        open: [{ step: ctx.task?.step ?? "await_comments", note: left.length ? `尚待书面反馈：${left.map((l) => l.unit).join("、")}` : "各单位书面反馈均已登记" }],
        event: { type: "consultation.unit_replied", summary: `登记${unit}书面反馈（${text(ctx.values, "receivedOn")}）`, data: { unit } },
      };
    },
  };

const steps: Record<string, StepDefinition<ConsultationData>> = {
  publish_consultation: {
    step: "publish_consultation",
    role: "office_staff",
    title: "发布征求意见",
    instructions: "在门户网站公布草案及起草说明，征求社会公众意见不少于7个工作日（发布当日不计入）；需要书面征求单位意见的，列出单位，系统生成征求意见函。",
    periodWorkingDays: 2,
    escalateTo: ["office_director"],
    outcomes: [
      {
        outcome: "publish",
        label: "在门户网站发布，公开征求意见",
        fields: [
          { name: "workingDays", type: "integer", label: "征求意见期限（工作日）", required: true, min: MIN_CONSULTATION_WORKING_DAYS, max: 60, hint: "不少于7个工作日；发布当日不计入，截至第N个工作日当天24时（北京时间）" },
          { name: "units", type: "list", label: "书面征求意见的单位", required: false, maxItems: 30, maxLength: 100, hint: "每行一个单位，系统为每个单位生成征求意见函（第六条）" },
        ],
        transition: (ctx) => {
          const d = ctx.case.data;
          const workingDays = ctx.values.workingDays as number;
          const closes = ctx.calendar.addWorkingDays(ctx.today, workingDays);
          const units = [...new Set(list(ctx, "units"))];
          const period = { workingDays, opensOn: ctx.today, closesOn: closes.date, closesIsProvisional: closes.provisional };
          return {
            status: "open",
            data: { ...d, period, unitLetters: [...d.unitLetters, ...units.map((unit) => ({ unit, sentOn: ctx.today }))] },
            deadlines: [{ op: "start", name: "comment_period", on: ctx.today, periodWorkingDays: workingDays, reason: `公开征求意见 ${workingDays} 个工作日（第五条），发布当日不计入` }],
            open: [{ step: "await_comments", ...(units.length ? { note: `已向 ${units.join("、")} 发出征求意见函，收到书面反馈后在此登记` } : {}) }],
            notices: [{ to: { kind: "applicant" }, subject: `《${d.title}》已公开征求意见`, text: `草案《${d.title}》已于 ${ctx.today} 在门户网站公开征求意见，截至 ${closes.date}（${formatChineseDate(closes.date)}24时）。` }],
            event: {
              type: "consultation.published",
              summary: `在门户网站公开征求意见 ${workingDays} 个工作日，${ctx.today} 至 ${closes.date}${closes.provisional ? "（暂定，节假日安排未公布）" : ""}${units.length ? `；书面征求 ${units.join("、")} 意见` : ""}`,
              data: { ...period, units },
            },
          };
        },
      },
    ],
  },
  await_comments: {
    step: "await_comments",
    role: "office_staff",
    title: "征求意见期间",
    instructions: "征求意见期间接收门户网站的意见，登记被征求意见单位的书面反馈；期限届满时系统自动关闭意见表。",
    periodWorkingDays: MIN_CONSULTATION_WORKING_DAYS,
    dueWith: "comment_period",
    escalateTo: [],
    reminders: false,
    outcomes: [
      {
        outcome: "closed",
        label: "征求意见期限届满",
        fields: [],
        actors: ["system"],
        transition: (ctx) => {
          const d = ctx.case.data;
          const n = commentCounts(d);
          return {
            status: "disposing",
            data: { ...d, closed: { at: ctx.now.toISOString() } },
            deadlines: [{ op: "stop", name: "comment_period", on: ctx.today, reason: "征求意见期限届满" }],
            open: [{ step: "dispose_comments", note: `共收到意见 ${n.total} 条${n.held ? `，其中 ${n.held} 条含个人信息，未公开显示` : ""}` }],
            event: { type: "consultation.closed", summary: `征求意见期限 ${d.period?.closesOn ?? ""} 届满，意见表已关闭；共收到意见 ${n.total} 条`, data: { comments: n.total } },
          };
        },
      },
      replyReceived,
    ],
  },
  dispose_comments: {
    step: "dispose_comments",
    role: recordRole,
    title: "处理征集的意见",
    instructions: "对每条意见作出采纳、部分采纳或不予采纳（须说明理由）的处理；全部处理后公开意见采纳情况，不予采纳的向提议人反馈（第十一条）。",
    periodWorkingDays: 5,
    escalateTo: ["office_director"],
    outcomes: [
      {
        outcome: "dispose",
        label: "处理一条意见",
        fields: [
          { name: "commentId", type: "text", label: "意见编号", required: true, maxLength: 20, hint: "如 C1" },
          { name: "decision", type: "choice", label: "处理结果", required: true, choices: dispositionDecisions.map((value) => ({ value, label: dispositionLabels[value] })) },
          { name: "reason", type: "text", label: "理由", required: false, requiredWhen: { field: "decision", values: ["not_adopted", "partly_adopted"] }, maxLength: 2000 },
        ],
        unavailable: (ctx) => (ctx.case.data.summary ? "意见采纳情况已公开，不能再修改处理结果" : undefined),
        check: (ctx) => {
          const id = text(ctx.values, "commentId")!.toUpperCase();
          return ctx.case.data.comments.some((c) => c.commentId === id) ? [] : [{ path: "commentId", code: "not_found", message: `没有编号为 ${id} 的意见` }];
        },
        transition: (ctx) => {
          const d = ctx.case.data;
          const id = text(ctx.values, "commentId")!.toUpperCase();
          const decision = text(ctx.values, "decision") as DispositionDecision;
          const reason = text(ctx.values, "reason");
          const comments = d.comments.map((c) => (c.commentId === id ? { ...c, disposition: { decision, ...(reason ? { reason } : {}), ...by(ctx) } } : c));
          const left = comments.filter((c) => !c.disposition).length;
          return {
            data: { ...d, comments },
            open: [{ step: "dispose_comments", note: left ? `尚有 ${left} 条意见待处理` : "意见已全部处理，请公开意见采纳情况" }],
            event: { type: "consultation.comment_disposed", summary: `意见 ${id}：${dispositionLabels[decision]}${reason ? `（${reason}）` : ""}`, data: { commentId: id, decision } },
          };
        },
      },
      {
        outcome: "publish_summary",
        label: "公开意见采纳情况并反馈",
        fields: [],
        unavailable: (ctx) => {
          const n = commentCounts(ctx.case.data).undisposed;
          return n ? `尚有 ${n} 条意见未作出处理，不能公开采纳情况` : undefined;
        },
        transition: (ctx) => {
          const d = ctx.case.data;
          const n = commentCounts(d);
          const url = typeof ctx.extra.url === "string" ? ctx.extra.url : consultationPath(ctx.case.caseId);
          const feedback = feedbackNotices(d, url);
          return {
            status: "summarised",
            data: { ...d, summary: { at: ctx.now.toISOString(), on: ctx.today } },
            notices: feedback,
            event: {
              type: "consultation.summary_published",
              summary: `公开意见采纳情况：共 ${n.total} 条，采纳 ${n.adopted} 条、部分采纳 ${n.partlyAdopted} 条、不予采纳 ${n.notAdopted} 条；向 ${feedback.length} 位提议人发送反馈邮件`,
              data: { ...n, feedback: feedback.length },
            },
          };
        },
      },
      replyReceived,
    ],
  },
  expert_consultation: {
    step: "expert_consultation",
    role: recordRole,
    title: "专家咨询论证",
    instructions: "草案属于第七条情形，须按第八条程序组织专家咨询论证：提出论证事项、确定专家、提供材料、听取意见、据此修改草案，并登记记录。",
    periodWorkingDays: 10,
    escalateTo: ["office_director"],
    outcomes: [
      {
        outcome: "recorded",
        label: "登记专家咨询论证",
        fields: [
          { name: "matters", type: "text", label: "咨询论证事项", required: true, maxLength: 2000 },
          { name: "experts", type: "list", label: "参与论证的专家", required: true, maxItems: 30, maxLength: 100, hint: "每行一位，写明姓名和单位" },
          { name: "materials", type: "text", label: "提供的文件及背景材料", required: true, maxLength: 2000 },
          { name: "form", type: "choice", label: "论证形式", required: true, choices: [{ value: "meeting", label: "召开咨询论证会" }, { value: "written", label: "网络、电话或书面听取意见" }] },
          { name: "opinions", type: "text", label: "专家意见和建议", required: true, maxLength: 4000 },
          { name: "revisions", type: "text", label: "据此对草案的修改", required: true, maxLength: 4000 },
        ],
        transition: (ctx) => {
          const v = ctx.values;
          const expert = {
            matters: text(v, "matters")!,
            experts: list(ctx, "experts"),
            materials: text(v, "materials")!,
            form: text(v, "form") as "meeting" | "written",
            opinions: text(v, "opinions")!,
            revisions: text(v, "revisions")!,
            ...files(ctx),
            ...by(ctx),
          };
          return { data: { ...ctx.case.data, expert }, event: { type: "consultation.expert_recorded", summary: `登记专家咨询论证（${expert.experts.length} 位专家）：${expert.matters}` } };
        },
      },
    ],
  },
  hearing: {
    step: "hearing",
    role: recordRole,
    title: "座谈会或听证会",
    instructions: "草案涉及重大公共利益或公众切身利益，须采取座谈会、听证会等形式广泛听取意见（第九条），并登记记录。",
    periodWorkingDays: 10,
    escalateTo: ["office_director"],
    outcomes: [
      {
        outcome: "recorded",
        label: "登记座谈会或听证会",
        fields: [
          { name: "form", type: "choice", label: "形式", required: true, choices: [{ value: "symposium", label: "座谈会" }, { value: "hearing", label: "听证会" }] },
          { name: "heldOn", type: "date", label: "召开日期", required: true },
          { name: "participants", type: "text", label: "参加人员", required: true, maxLength: 2000 },
          { name: "summary", type: "text", label: "意见摘要", required: true, maxLength: 4000 },
        ],
        check: (ctx) => (text(ctx.values, "heldOn")! > ctx.today ? [{ path: "heldOn", code: "out_of_range", message: "召开日期不能晚于今天" }] : []),
        transition: (ctx) => {
          const v = ctx.values;
          const hearing = { form: text(v, "form") as "symposium" | "hearing", heldOn: text(v, "heldOn")!, participants: text(v, "participants")!, summary: text(v, "summary")!, ...files(ctx), ...by(ctx) };
          return { data: { ...ctx.case.data, hearing }, event: { type: "consultation.hearing_recorded", summary: `登记${hearing.form === "hearing" ? "听证会" : "座谈会"}（${hearing.heldOn}）` } };
        },
      },
    ],
  },
  association_opinions: {
    step: "association_opinions",
    role: recordRole,
    title: "听取社会团体、行业协会意见",
    instructions: "草案涉及特定团体、行业利益，须听取有关社会团体、行业协会的意见（第十条），并登记记录。",
    periodWorkingDays: 10,
    escalateTo: ["office_director"],
    outcomes: [
      {
        outcome: "recorded",
        label: "登记社会团体、行业协会意见",
        fields: [
          { name: "associations", type: "list", label: "社会团体、行业协会", required: true, maxItems: 30, maxLength: 100, hint: "每行一个" },
          { name: "summary", type: "text", label: "意见摘要", required: true, maxLength: 4000 },
        ],
        transition: (ctx) => {
          const associations = { associations: list(ctx, "associations"), summary: text(ctx.values, "summary")!, ...files(ctx), ...by(ctx) };
          return { data: { ...ctx.case.data, associations }, event: { type: "consultation.associations_recorded", summary: `登记${associations.associations.join("、")}的意见` } };
        },
      },
    ],
  },
  submit_for_review: {
    step: "submit_for_review",
    role: recordRole,
    title: "报送审议",
    instructions: "征求意见程序完成后，将草案和起草说明（附征求意见情况和公开网址）报送审议；未按规定公开征求意见的不得报送（第十三条）。",
    periodWorkingDays: 30,
    escalateTo: [],
    reminders: false,
    outcomes: [
      {
        outcome: "opened",
        label: "生成征求意见各项待办",
        fields: [],
        // the case opens with its tasks at once; the drafting section's submission is its own event (app/consultations/submit.ts)
        actors: ["system"],
        transition: (ctx) => {
          const d = ctx.case.data;
          return {
            status: d.exempt ? "exempt" : "awaiting_publication",
            open: firstSteps(d, ctx),
            event: {
              type: "consultation.opened",
              summary: `生成待办：${firstSteps(d).map((o) => steps[o.step]!.title).join("、")}`,
              data: { exempt: Boolean(d.exempt), situations: d.situations, publicInterest: d.publicInterest, sectorInterests: d.sectorInterests },
            },
          };
        },
      },
      {
        outcome: "submit",
        label: "报送审议",
        fields: [],
        refuse: (ctx) => {
          const missing = missingForSubmission(ctx.case.data, ctx.now);
          if (!missing.length) return undefined;
          return {
            status: 409,
            code: "CONSULTATION_INCOMPLETE",
            message: `征求意见程序尚未完成，不得报送审议（第十三条）：${missing.map((m) => m.message).join("；")}`,
            fields: missing.map((m) => ({ path: m.path, code: "missing", message: m.message })),
          };
        },
        transition: (ctx) => {
          const d = ctx.case.data;
          const url = typeof ctx.extra.url === "string" ? ctx.extra.url : consultationPath(ctx.case.caseId);
          const explanation = draftingExplanationForSubmission(d, url);
          return {
            status: "submitted",
            done: true,
            data: { ...d, submitted: { at: ctx.now.toISOString(), on: ctx.today, explanation } },
            event: { type: "consultation.submitted_for_review", summary: `草案《${d.title}》报送审议，起草说明附征求意见情况${d.exempt ? "（依第四条未公开征求意见）" : `及公开网址 ${url}`}`, data: { url } },
          };
        },
      },
    ],
  },
};

export const consultationWorkflow: WorkflowDefinition<ConsultationData> = {
  workflow: "consultation",
  label: "草案公开征求意见",
  statuses: {
    drafting: "起草中",
    awaiting_publication: "待发布征求意见",
    open: "公开征求意见中",
    disposing: "意见处理中",
    summarised: "已公开意见采纳情况",
    exempt: "依第四条不公开征求意见",
    submitted: "已报送审议",
  },
  terminal: ["submitted"],
  start: { step: "submit_for_review", status: "drafting" },
  steps,
  deadlines: {
    comment_period: {
      name: "comment_period",
      kind: "public_comment",
      label: "公开征求意见期限",
      periodWorkingDays: MIN_CONSULTATION_WORKING_DAYS,
      timers: [],
      notify: [],
      escalateTo: [],
      // the comment form closes itself at the end of the last working day
      onExpiry: { step: "await_comments", outcome: "closed" },
    },
  },
  searchText: (c) => [c.reference, c.data.title, c.data.drafter.displayName].join(" "),
  applicant: (c) => ({ name: c.data.drafter.displayName, ...(c.data.drafter.email ? { email: c.data.drafter.email } : {}) }),
  party: (c) => `${c.data.title}（${c.data.drafter.section ?? "起草科室"}）`,
  viewRoles: ["section_head", "office_staff", "office_director", "deputy_leader", "principal_leader", "tech_info", "auditor"],
  personalDataRoles: ["section_head", "office_staff", "office_director"],
};
