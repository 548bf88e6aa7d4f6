import { textValue } from "./fields";
import type { Role } from "../roles";
import { roleLabel } from "../roles";
import type { IsoDate } from "../calendar";
import type { OutcomeDefinition, OutcomeField, StepDefinition, Transition, TransitionContext } from "./types";
import { actorName } from "./engine";

/**
 * Secrecy review (保密审查, seed 政府信息公开保密审查制度) as a reusable sub-flow: the
 * outcomes of one review level — cleared, withhold, refer to the secrecy authority and
 * record its answer (第九条) — and, for publishing, the whole chain of 第五条: section
 * head initial review → office secrecy review → deputy leader approval → principal
 * leader decision, with partial disclosure by redaction (第十条) and written consultation
 * of third parties (第八条) and other agencies (第十一条), every decision kept (第十二条).
 *
 * The host workflow keeps the state in its data and says what happens once the review
 * is over; the application's `secrecy_review` step is one level of it.
 */

/** Where a review level stands (the application's contract shape, SPEC §7.1). */
export interface SecrecyState {
  decision: "cleared" | "withhold" | "referred" | "outside_answered";
  authority?: string;
  note?: string;
  reasons?: string;
  outside?: { decision: string; summary: string };
  on: IsoDate;
}

type Ctx<D> = TransitionContext<D>;

export interface SecrecyLevelHooks<D> {
  state(d: D): SecrecyState | undefined;
  /** the level decided (cleared, withheld, or the authority answered) */
  decided(ctx: Ctx<D>, state: SecrecyState, summary: string): Transition<D>;
  /** referred to the authority: the same step waits for its answer */
  referred(ctx: Ctx<D>, state: SecrecyState): Transition<D>;
}

const text = textValue;
const optional = <K extends string>(key: K, value: string | undefined) => (value === undefined ? {} : ({ [key]: value } as Record<K, string>));

export const secrecyReasonsField: OutcomeField = { name: "reasons", type: "text", label: "理由和依据", required: true, maxLength: 4000 };

/** The four outcomes of one review level; names and fields are the application's contract. */
export function secrecyLevelOutcomes<D>(hooks: SecrecyLevelHooks<D>, opts: { noteLabel?: string } = {}): OutcomeDefinition<D>[] {
  const pending = (ctx: Ctx<D>) => {
    const s = hooks.state(ctx.case.data);
    return s?.decision === "referred" ? `已提交${s.authority ?? "保密工作部门"}审查，请登记其答复` : undefined;
  };
  return [
    {
      outcome: "cleared",
      label: "审查通过，可以公开",
      fields: [{ name: "note", type: "text", label: opts.noteLabel ?? "审查意见", required: false, maxLength: 2000 }],
      unavailable: pending,
      transition: (ctx) => hooks.decided(ctx, { decision: "cleared", ...optional("note", text(ctx.values, "note")), on: ctx.today }, "保密审查通过"),
    },
    {
      outcome: "withhold",
      label: "涉密或不宜公开",
      fields: [secrecyReasonsField],
      unavailable: pending,
      transition: (ctx) =>
        hooks.decided(ctx, { decision: "withhold", reasons: text(ctx.values, "reasons")!, on: ctx.today }, `保密审查认为不宜公开：${text(ctx.values, "reasons")}`),
    },
    {
      outcome: "refer_outside",
      label: "提交保密工作部门审查",
      fields: [{ name: "authority", type: "text", label: "提交审查的部门", required: true, maxLength: 200, hint: "如区保密工作领导小组办公室、区政府保密工作部门" }],
      unavailable: pending,
      transition: (ctx) => hooks.referred(ctx, { decision: "referred", authority: text(ctx.values, "authority")!, on: ctx.today }),
    },
    {
      outcome: "outside_answer",
      label: "登记保密工作部门答复",
      fields: [
        {
          name: "decision",
          type: "choice",
          label: "审查结论",
          required: true,
          choices: [
            { value: "disclose", label: "可以公开" },
            { value: "partly", label: "部分公开（区分处理）" },
            { value: "withhold", label: "不予公开" },
          ],
        },
        { name: "summary", type: "text", label: "答复摘要", required: true, maxLength: 2000 },
      ],
      unavailable: (ctx) => (hooks.state(ctx.case.data)?.decision === "referred" ? undefined : "尚未提交保密工作部门审查"),
      transition: (ctx) => {
        const s = hooks.state(ctx.case.data)!;
        const decision = text(ctx.values, "decision")!;
        const summary = text(ctx.values, "summary")!;
        return hooks.decided(ctx, { ...s, decision: "outside_answered", outside: { decision, summary }, on: ctx.today }, `登记${s.authority ?? "保密工作部门"}答复：${summary}`);
      },
    },
  ];
}

// ---- the whole chain (publishing) ---------------------------------------------------

export interface SecrecyLevel {
  step: string;
  role: Role;
  title: string;
  instructions: string;
}

/** 第五条: 科室负责人初审 → 办公室保密审查 → 分管领导核准 → 主要领导审定. */
export const secrecyChain: SecrecyLevel[] = [
  { step: "secrecy_initial", role: "section_head", title: "保密审查·科室初审", instructions: "对拟公开信息进行初审，防止出现错漏；涉及第三方或其他机关的，可书面征求意见。" },
  { step: "secrecy_office", role: "office_director", title: "保密审查·办公室审查", instructions: "对拟公开信息进行保密审查；不能确定的，提交保密工作部门审查；能区分处理的，删除不应公开的内容。" },
  { step: "secrecy_deputy", role: "deputy_leader", title: "保密审查·分管领导核准", instructions: "核准保密审查意见。" },
  { step: "secrecy_principal", role: "principal_leader", title: "保密审查·主要领导审定", instructions: "审定保密审查意见，审定后方可公开。" },
];

export const SECRECY_CONSULTATION_STEP = "secrecy_consultation";
export const SECRECY_CONSULTATION_DEADLINE = "secrecy_consultation";

/** One reviewer's decision, kept for the record (第十二条). */
export interface SecrecyDecisionRecord {
  step: string;
  role: string;
  by: string;
  byName: string;
  at: string;
  decision: string;
  opinion?: string;
}

export interface SecrecyConsultation {
  kind: "third_party" | "agency";
  party: string;
  matters: string;
  askedOn: IsoDate;
  /** the review level that asked, reopened when the answer is in */
  askedAt: string;
  answer?: { opinion: "agree" | "object" | "silent"; summary: string; on: IsoDate };
}

export interface SecrecyRedaction {
  passage: string;
  reason: string;
  byName: string;
  on: IsoDate;
}

/** The chain's record on the host's data. */
export interface SecrecyReview {
  /** the level now reviewing */
  level: string;
  /** the current level's state (referral pending…) */
  current?: SecrecyState;
  decisions: SecrecyDecisionRecord[];
  consultations: SecrecyConsultation[];
  redactions: SecrecyRedaction[];
  outcome?: "cleared" | "withheld";
  startedOn: IsoDate;
}

export interface SecrecyChainHooks<D> {
  review(d: D): SecrecyReview | undefined;
  withReview(d: D, review: SecrecyReview): D;
  /** the text under review, where redactions must be found; returns the data with them applied */
  redact(d: D, passages: string[]): D;
  /** the text under review contains the passage (a redaction must name what it removes) */
  contains(d: D, passage: string): boolean;
  /** the chain cleared the information: where the host goes next */
  cleared(ctx: Ctx<D>, data: D, summary: string): Transition<D>;
  /** a level withheld it */
  withheld(ctx: Ctx<D>, data: D, reasons: string): Transition<D>;
  /** status while the chain runs */
  status: string;
}

/** The transition that starts the chain (from any step of the host). */
export function startSecrecyChain<D>(ctx: Ctx<D>, hooks: SecrecyChainHooks<D>, data: D, note?: string): Pick<Transition<D>, "status" | "data" | "open"> {
  const first = secrecyChain[0]!;
  const review: SecrecyReview = { level: first.step, decisions: [], consultations: [], redactions: [], startedOn: ctx.today };
  return { status: hooks.status, data: hooks.withReview(data, review), open: [{ step: first.step, ...(note ? { note } : {}) }] };
}

function record<D>(ctx: Ctx<D>, step: string, decision: string, opinion?: string): SecrecyDecisionRecord {
  return {
    step,
    role: ctx.actor.role ?? ctx.task?.role ?? "",
    by: ctx.actor.username ?? ctx.actor.kind,
    byName: actorName(ctx.actor),
    at: ctx.now.toISOString(),
    decision,
    ...(opinion ? { opinion } : {}),
  };
}

/** The chain's steps (four levels and the consultation wait), keyed by step name. */
export function secrecyChainSteps<D>(hooks: SecrecyChainHooks<D>): Record<string, StepDefinition<D>> {
  const steps: Record<string, StepDefinition<D>> = {};
  secrecyChain.forEach((level, i) => {
    const next = secrecyChain[i + 1];
    const reviewOf = (ctx: Ctx<D>) => hooks.review(ctx.case.data)!;
    const levelHooks: SecrecyLevelHooks<D> = {
      state: (d) => {
        const r = hooks.review(d);
        return r?.level === level.step ? r.current : undefined;
      },
      referred: (ctx, state) => ({
        data: hooks.withReview(ctx.case.data, { ...reviewOf(ctx), current: state, decisions: [...reviewOf(ctx).decisions, record(ctx, level.step, "referred", state.authority)] }),
        open: [{ step: level.step, periodWorkingDays: 15, note: `已提交${state.authority}审查，收到答复后请登记` }],
        event: { type: "secrecy.referred", summary: `${level.title}：不能确定是否可以公开，提交${state.authority}审查`, data: { authority: state.authority, level: level.step } },
      }),
      decided: (ctx, state, summary) => {
        const r = reviewOf(ctx);
        const withhold = state.decision === "withhold" || state.outside?.decision === "withhold";
        const opinion = state.reasons ?? state.note ?? state.outside?.summary;
        const decisions = [...r.decisions, record(ctx, level.step, withhold ? "withhold" : "cleared", opinion)];
        if (withhold) {
          const data = hooks.withReview(ctx.case.data, { ...r, current: state, decisions, outcome: "withheld" });
          return { ...hooks.withheld(ctx, data, opinion ?? summary), event: { type: "secrecy.withheld", summary: `${level.title}：${summary}`, data: { level: level.step } } };
        }
        if (next) {
          const { current: _current, ...rest } = r;
          return {
            data: hooks.withReview(ctx.case.data, { ...rest, level: next.step, decisions }),
            open: [{ step: next.step, note: `${level.title}意见：${opinion ?? "通过"}` }],
            event: { type: "secrecy.level_cleared", summary: `${level.title}：${summary}`, data: { level: level.step } },
          };
        }
        const data = hooks.withReview(ctx.case.data, { ...r, current: state, decisions, outcome: "cleared" });
        return { ...hooks.cleared(ctx, data, summary), event: { type: "secrecy.cleared", summary: `${level.title}：${summary}，保密审查完成`, data: { level: level.step } } };
      },
    };
    const pending = (ctx: Ctx<D>) => (hooks.review(ctx.case.data)?.current?.decision === "referred" ? "已提交保密工作部门审查，请先登记其答复" : undefined);
    steps[level.step] = {
      step: level.step,
      role: level.role,
      title: level.title,
      instructions: level.instructions,
      periodWorkingDays: 2,
      escalateTo: next ? [next.role] : [],
      outcomes: [
        ...secrecyLevelOutcomes(levelHooks),
        {
          outcome: "redact",
          label: "区分处理：删除不应公开的内容后通过",
          fields: [
            { name: "passages", type: "list", label: "删除的内容（每行一段，须与正文一致）", required: true, maxItems: 50, maxLength: 500 },
            { name: "reason", type: "text", label: "删除理由", required: true, maxLength: 2000 },
          ],
          unavailable: pending,
          check: (ctx) => {
            const passages = ctx.values.passages as string[];
            const missing = passages.find((p) => !hooks.contains(ctx.case.data, p));
            return missing ? [{ path: "passages", code: "not_found", message: `正文中找不到要删除的内容：「${missing.slice(0, 30)}」` }] : [];
          },
          transition: (ctx) => {
            const passages = ctx.values.passages as string[];
            const reason = text(ctx.values, "reason")!;
            const r = reviewOf(ctx);
            const redactions = [...r.redactions, ...passages.map((passage) => ({ passage, reason, byName: actorName(ctx.actor), on: ctx.today }))];
            const redacted: D = hooks.withReview(hooks.redact(ctx.case.data, passages), { ...r, redactions });
            const onward = levelHooks.decided({ ...ctx, case: { ...ctx.case, data: redacted } }, { decision: "cleared", note: `区分处理，删除${passages.length}处：${reason}`, on: ctx.today }, `区分处理后通过（删除${passages.length}处）`);
            return { ...onward, event: { ...onward.event, type: "secrecy.redacted", data: { ...(onward.event.data ?? {}), removed: passages.length, reason } } };
          },
        },
        {
          outcome: "consult",
          label: "书面征求第三方或其他机关意见",
          fields: [
            { name: "kind", type: "choice", label: "征求对象", required: true, choices: [{ value: "third_party", label: "第三方（商业秘密、个人隐私）" }, { value: "agency", label: "其他行政机关" }] },
            { name: "party", type: "text", label: "征求意见对象名称", required: true, maxLength: 200 },
            { name: "matters", type: "text", label: "征求意见的事项", required: true, maxLength: 2000 },
          ],
          unavailable: pending,
          transition: (ctx) => {
            const kind = text(ctx.values, "kind") as SecrecyConsultation["kind"];
            const party = text(ctx.values, "party")!;
            const r = reviewOf(ctx);
            const consultation: SecrecyConsultation = { kind, party, matters: text(ctx.values, "matters")!, askedOn: ctx.today, askedAt: level.step };
            return {
              data: hooks.withReview(ctx.case.data, { ...r, consultations: [...r.consultations, consultation], decisions: [...r.decisions, record(ctx, level.step, "consult", party)] }),
              open: [{ step: SECRECY_CONSULTATION_STEP, note: `已书面征求${party}意见：${consultation.matters}` }],
              deadlines: [{ op: "start", name: SECRECY_CONSULTATION_DEADLINE, on: ctx.today, reason: `书面征求${party}意见，15个工作日内答复` }],
              event: { type: "secrecy.consulted", summary: `${level.title}：书面征求${party}意见`, data: { kind, party, level: level.step } },
            };
          },
        },
      ],
    };
  });

  const answered = (ctx: Ctx<D>, opinion: "agree" | "object" | "silent", summary: string) => {
    const r = hooks.review(ctx.case.data)!;
    const i = r.consultations.findIndex((c) => !c.answer);
    const c = r.consultations[i]!;
    const consultations = r.consultations.map((x, j) => (j === i ? { ...x, answer: { opinion, summary, on: ctx.today } } : x));
    const back = secrecyChain.find((l) => l.step === c.askedAt)!;
    return {
      data: hooks.withReview(ctx.case.data, { ...r, consultations }),
      open: [{ step: back.step, note: `${c.party}${opinion === "agree" ? "同意公开" : opinion === "object" ? "不同意公开" : "逾期未答复"}：${summary}` }],
      deadlines: [{ op: "stop" as const, name: SECRECY_CONSULTATION_DEADLINE, on: ctx.today, reason: `${c.party}已答复` }],
      event: { type: "secrecy.consultation_answered", summary: `登记${c.party}意见：${summary}`, data: { party: c.party, opinion } },
    };
  };
  steps[SECRECY_CONSULTATION_STEP] = {
    step: SECRECY_CONSULTATION_STEP,
    role: "office_staff",
    title: "保密审查·登记征求意见答复",
    instructions: "收到被征求意见方的书面答复后登记；期限届满未答复的，登记逾期未答复。",
    periodWorkingDays: 15,
    dueWith: SECRECY_CONSULTATION_DEADLINE,
    escalateTo: ["office_director"],
    outcomes: [
      {
        outcome: "answered",
        label: "登记书面答复",
        fields: [
          { name: "opinion", type: "choice", label: "意见", required: true, choices: [{ value: "agree", label: "同意公开" }, { value: "object", label: "不同意公开" }] },
          { name: "summary", type: "text", label: "答复摘要", required: true, maxLength: 2000 },
        ],
        transition: (ctx) => answered(ctx, text(ctx.values, "opinion") as "agree" | "object", text(ctx.values, "summary")!),
      },
      {
        outcome: "no_answer",
        label: "期限届满未答复",
        fields: [],
        unavailable: (ctx) => {
          const d = ctx.deadline(SECRECY_CONSULTATION_DEADLINE);
          return d && !d.stopped && d.dueOn >= ctx.today ? `答复期限至 ${d.dueOn} 届满，届满前不能登记逾期未答复` : undefined;
        },
        transition: (ctx) => answered(ctx, "silent", "期限届满未书面答复"),
      },
    ],
  };
  return steps;
}

/** The consultation period of the chain (the other side's 15 working days, like art. 32). */
export const secrecyConsultationDeadline = {
  name: SECRECY_CONSULTATION_DEADLINE,
  kind: "secrecy_consultation",
  label: "征求意见答复期限",
  periodWorkingDays: 15,
  timers: ["warning" as const, "overdue" as const],
  warnWorkingDaysBefore: [3],
  notify: ["office_staff" as Role],
  escalateTo: ["office_director" as Role],
};

/** Labels of the chain's decisions, for the case page and the approval form. */
export const secrecyDecisionLabels: Record<string, string> = {
  cleared: "通过",
  withhold: "不予公开",
  referred: "提交保密工作部门审查",
  consult: "书面征求意见",
};

export function secrecyLevelLabel(step: string): string {
  return secrecyChain.find((l) => l.step === step)?.title ?? step;
}

export const secrecyRoleLabel = (role: string) => roleLabel(role);
