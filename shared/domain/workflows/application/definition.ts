import { textValue } from "../fields";
import { secrecyLevelOutcomes } from "../secrecy";
import type { IsoDate } from "../../calendar";
import { evaluateDeadline, extendDeadline, receiptRule, statutoryPeriods } from "../../deadlines";
import type { ReceiptChannel } from "../../deadlines";
import type { FieldError } from "../../../schemas/errors";
import { needsGround, replyGrounds, replyTypes, resultCellOf, type ReplyType } from "../../report/cells";
import { replyLetterKind } from "../../letters/kinds";
import type { LetterOrder, Notice, OutcomeField, TransitionContext, WorkflowDefinition, Values } from "../types";
import type { ApplicationData, Channel, Consultation } from "./data";
import { channelLabels } from "./data";
import { isEmail, maskName } from "../../identity";
import { groundLabels, replyTypeLabels } from "./labels";
import { approveFeeStep, awaitPaymentStep, feePaymentDeadline, feeWaits, proposeFeeOutcome } from "./fees";

/**
 * Disclosure on application (依申请公开): the seed's 政府信息依申请公开办理工作流程 on
 * the OGI Regulations art. 29–45, with the step and outcome names of SPEC §7.1.
 *
 *   register → review ─ complete ──────────────────────────────▶ handle ─ propose_reply ─▶ sign_off ─ signed ─▶ replied
 *                 └ needs_correction → approve_correction → await_correction ┘   │  ▲          └ returned ─▶ handle
 *                                          (no correction in time → withdrawn)   │  └ third_party_answer / agency_answer /
 *                                                                                 └─   secrecy_review / approve_extension
 *   handle ─ propose_fee ─▶ approve_fee ─ approved ─▶ await_payment ─ paid ─▶ handle   (not paid in time → fee_unpaid, fees.ts)
 */

type Ctx = TransitionContext<ApplicationData>;

const P = statutoryPeriods;

// ---- helpers ------------------------------------------------------------------

const text = textValue;
const int = (v: Values, name: string): number | undefined => (typeof v[name] === "number" ? (v[name] as number) : undefined);
const list = (v: Values, name: string): string[] => (Array.isArray(v[name]) ? (v[name] as string[]) : []);

function due(ctx: Ctx, on: IsoDate, days: number): { dueOn: IsoDate; provisional: boolean } {
  const r = ctx.calendar.addWorkingDays(on, days);
  return { dueOn: r.date, provisional: r.provisional };
}

const mark = (provisional: boolean) => (provisional ? "（暂定）" : "");

/** The statute's receipt channel for an intake channel (art. 31). */
function receiptChannel(channel: Channel): ReceiptChannel {
  return channel === "letter" ? "ordinary_mail" : channel;
}

/** Channels whose receipt day the law fixes without a confirmation (art. 31(1), (2)). */
function fixedReceiptDay(d: ApplicationData): IsoDate | undefined {
  if (d.channel === "in_person") return d.enteredReceivedOn ?? d.submittedOn;
  if (d.channel === "registered_mail") return d.signedForOn;
  return undefined;
}

function pendingConsultations(d: ApplicationData): Consultation[] {
  return d.consultations.filter((c) => !c.answeredOn);
}

/** The answer clock runs again only when nobody is left to wait for (art. 33 para 2). */
function resumeAnswerIfLast(ctx: Ctx, d: ApplicationData, reason: string) {
  const answer = ctx.deadline("answer");
  if (!answer || !answer.paused || pendingConsultations(d).length > 0 || feeWaits(d)) return [];
  return [{ op: "resume" as const, name: "answer", on: ctx.today, reason }];
}

function applicantNotice(subject: string, lines: string[], attach: LetterOrder["kind"][] = []): Notice {
  return { to: { kind: "applicant" }, subject, text: lines.join("\n"), attach };
}

function applicantLetter(kind: LetterOrder["kind"], data: Record<string, unknown>): LetterOrder {
  return { kind, to: { kind: "applicant" }, data, email: true };
}

const trackingLine = (d: ApplicationData) => `申请编号：${d.trackingNumber}。您可凭申请编号和查询码在门户网站查询办理进度、下载文书。`;

// ---- fields -------------------------------------------------------------------

const reasonsField: OutcomeField = { name: "reasons", type: "text", label: "理由和依据", required: true, maxLength: 4000 };
const noteField = (label: string, required: boolean): OutcomeField => ({ name: "note", type: "text", label, required, maxLength: 2000 });
const proposableReplyTypes = replyTypes.filter((t) => t !== "withdrawn" && t !== "fee_unpaid");
const groundedTypes = Object.keys(replyGrounds);

const opinionField: OutcomeField = {
  name: "opinion",
  type: "choice",
  label: "意见",
  required: true,
  choices: [
    { value: "agree", label: "同意公开" },
    { value: "object", label: "不同意公开" },
  ],
};

// ---- the definition -------------------------------------------------------------

export const applicationWorkflow: WorkflowDefinition<ApplicationData> = {
  workflow: "application",
  label: "依申请公开",
  statuses: {
    received: "已收到，待受理登记",
    registered: "已受理登记，待审查",
    under_review: "审查中",
    correction_requested: "待申请人补正",
    in_progress: "办理中",
    extended: "已延期答复",
    replied: "已答复",
    withdrawn: "视为放弃申请",
    fee_notified: "待申请人缴纳信息处理费",
    fee_unpaid: "逾期未缴纳信息处理费，视为放弃申请",
    archived: "已归档",
  },
  terminal: ["replied", "withdrawn", "fee_unpaid", "archived"],
  start: { step: "register", status: "received" },
  searchText: (c) => {
    const a = c.data.application;
    return [c.reference, a.name, a.description, a.documentTitle, a.documentNumber, "legalRepresentative" in a ? a.legalRepresentative : ""].filter(Boolean).join(" ");
  },
  applicant: (c) => ({ name: c.data.application.name, email: c.data.application.email, address: c.data.application.address }),
  // organisations are not personal data; a person's name is masked in lists
  party: (c) => (c.data.application.applicantType === "organization" ? c.data.application.name : maskName(c.data.application.name)),
  viewRoles: ["office_staff", "office_director", "deputy_leader", "principal_leader", "section_head", "auditor"],
  personalDataRoles: ["office_staff", "office_director", "deputy_leader", "principal_leader"],

  deadlines: {
    answer: {
      name: "answer",
      kind: P.answer.kind,
      label: "法定答复期限",
      periodWorkingDays: P.answer.periodWorkingDays,
      limits: { maxExtensionDays: P.answer.maxExtensionDays, maxTotalWorkingDays: P.answer.maxTotalWorkingDays },
      timers: ["halfway", "warning", "last_day", "overdue"],
      warnWorkingDaysBefore: [5, 2],
      notify: ["office_staff"],
      escalateTo: ["office_director", "deputy_leader"],
    },
    correction_notice: {
      name: "correction_notice",
      kind: P.correctionNotice.kind,
      label: "补正告知期限",
      periodWorkingDays: P.correctionNotice.periodWorkingDays,
      timers: ["last_day", "overdue"],
      notify: ["office_staff"],
      escalateTo: ["office_director"],
    },
    correction: {
      name: "correction",
      kind: P.correction.kind,
      label: "申请人补正期限",
      periodWorkingDays: P.correction.defaultWorkingDays,
      timers: ["overdue"],
      notify: [],
      escalateTo: [],
      onExpiry: { step: "await_correction", outcome: "not_corrected" },
    },
    third_party: {
      name: "third_party",
      kind: P.thirdPartyReply.kind,
      label: "第三方答复期限",
      periodWorkingDays: P.thirdPartyReply.periodWorkingDays,
      timers: [],
      notify: ["office_staff"],
      escalateTo: [],
    },
    agency: {
      name: "agency",
      kind: P.agencyReply.kind,
      label: "其他机关答复期限",
      periodWorkingDays: P.agencyReply.periodWorkingDays,
      // the task of recording the answer is due with it and reminds and escalates; the office records the silence
      timers: [],
      notify: ["office_staff"],
      escalateTo: [],
    },
    fee_payment: feePaymentDeadline,
    point_to_published: {
      name: "point_to_published",
      kind: P.pointToPublished.kind,
      label: "告知已公开信息期限",
      periodWorkingDays: P.pointToPublished.periodWorkingDays,
      timers: ["last_day", "overdue"],
      notify: ["office_staff", "deputy_leader"],
      escalateTo: ["office_director"],
    },
  },

  steps: {
    register: {
      step: "register",
      role: "office_staff",
      title: "受理登记",
      instructions: "核对申请并确认收到申请之日（《政府信息公开条例》第三十一条），受理登记后开始计算法定答复期限。",
      // seed 一、受理登记: 办公室于1个工作日内…进行受理登记
      periodWorkingDays: P.register.periodWorkingDays,
      escalateTo: ["office_director", "deputy_leader"],
      outcomes: [
        {
          outcome: "registered",
          label: "确认收到并登记",
          fields: [
            // art. 31(3): for online applications the receipt date is the day the office confirms it with the applicant
            {
              name: "receivedOn",
              type: "date",
              label: "收到申请日期",
              required: false,
              hint: "网上、传真、平常信件以与申请人确认之日为收到申请之日；当面提交、挂号信件按提交或签收之日。",
            },
            noteField("登记备注", false),
          ],
          check: (ctx) => {
            const d = ctx.case.data;
            const errors: FieldError[] = [];
            const given = text(ctx.values, "receivedOn");
            const fixed = fixedReceiptDay(d);
            if (given && fixed && given !== fixed) {
              errors.push({
                path: "receivedOn",
                code: "fixed_by_law",
                message: `${channelLabels[d.channel]}以${d.channel === "in_person" ? "提交" : "签收"}之日（${fixed}）为收到申请之日，不能另行指定`,
              });
            }
            const on = fixed ?? given ?? ctx.today;
            if (on < d.submittedOn) errors.push({ path: "receivedOn", code: "out_of_range", message: `收到申请日期不能早于申请提交日期 ${d.submittedOn}` });
            if (on > ctx.today) errors.push({ path: "receivedOn", code: "out_of_range", message: "收到申请日期不能晚于今天" });
            return errors;
          },
          transition: (ctx) => {
            const d = ctx.case.data;
            const confirmedOn = text(ctx.values, "receivedOn") ?? ctx.today;
            const receipt = receiptRule(receiptChannel(d.channel), {
              submittedOn: fixedReceiptDay(d) ?? d.submittedOn,
              signedForOn: d.signedForOn,
              confirmedOn,
            });
            const on = "on" in receipt ? receipt.on : confirmedOn;
            const rule = "on" in receipt ? receipt.rule : receipt.reason;
            const answer = due(ctx, on, P.answer.periodWorkingDays);
            return {
              status: "registered",
              data: { ...d, receivedOn: on, receiptRule: rule },
              open: [{ step: "review" }],
              deadlines: [
                { op: "start", name: "answer", on, reason: rule },
                { op: "start", name: "correction_notice", on, reason: "需要补正的，应当自收到申请之日起7个工作日内一次性告知（《政府信息公开条例》第三十条）" },
              ],
              letters: [
                applicantLetter("registration_receipt", {
                  receivedOn: on,
                  receiptRule: rule,
                  channelLabel: channelLabels[d.channel],
                  dueOn: answer.dueOn,
                  dueIsProvisional: answer.provisional,
                }),
              ],
              notices: [
                applicantNotice(`您的政府信息公开申请已受理登记（${d.trackingNumber}）`, [
                  `您的政府信息公开申请已于 ${on} 受理登记。`,
                  `根据《中华人民共和国政府信息公开条例》第三十三条，我们将在 ${answer.dueOn}${mark(answer.provisional)} 前答复。`,
                  trackingLine(d),
                  "受理回执见附件。",
                ], ["registration_receipt"]),
              ],
              event: {
                type: "application.registered",
                summary: `受理登记，收到申请日期 ${on}，法定答复期限 ${answer.dueOn}${mark(answer.provisional)}`,
                data: { receivedOn: on, dueOn: answer.dueOn, note: text(ctx.values, "note") },
                applicantVisible: true,
              },
            };
          },
        },
      ],
    },

    review: {
      step: "review",
      role: "office_staff",
      title: "审查申请",
      instructions: "审查申请人姓名或名称是否真实、联系方式是否有效、内容描述是否明确、提供形式是否明确；不明确或不完整的，提出补正意见报分管领导审定。",
      // seed 二、审查: 办公室于2个工作日内…进行必要的审查
      periodWorkingDays: P.completenessReview.periodWorkingDays,
      escalateTo: ["office_director", "deputy_leader"],
      outcomes: [
        {
          outcome: "complete",
          label: "申请完整，转入办理",
          fields: [noteField("审查意见", false)],
          transition: (ctx) => ({
            status: "in_progress",
            open: [{ step: "handle" }],
            deadlines: ctx.deadline("correction_notice")?.stopped === false
              ? [{ op: "stop", name: "correction_notice", on: ctx.today, reason: "审查通过，无需补正" }]
              : [],
            event: { type: "application.reviewed", summary: "审查完毕，申请内容明确，转入办理", data: { note: text(ctx.values, "note") }, applicantVisible: true },
          }),
        },
        {
          outcome: "needs_correction",
          label: "需要补正",
          fields: [
            { name: "items", type: "list", label: "需要补正的事项（每行一项）", required: true, maxItems: 20, maxLength: 500 },
            {
              name: "correctionWorkingDays",
              type: "integer",
              label: "补正期限（工作日）",
              required: true,
              min: P.correction.minWorkingDays,
              max: P.correction.maxWorkingDays,
              hint: "申请人收到告知书后补正的合理期限。",
            },
          ],
          unavailable: (ctx) =>
            ctx.case.data.correction?.requestedOn
              ? `已于 ${ctx.case.data.correction.requestedOn} 发出补正告知，依法只能一次性告知（《政府信息公开条例》第三十条）`
              : undefined,
          transition: (ctx) => {
            const d = ctx.case.data;
            const items = list(ctx.values, "items");
            const workingDays = int(ctx.values, "correctionWorkingDays")!;
            return {
              status: "under_review",
              data: { ...d, correction: { items, workingDays, proposedOn: ctx.today } },
              open: [{ step: "approve_correction" }],
              event: { type: "correction.proposed", summary: `提出补正意见（${items.length} 项，补正期限 ${workingDays} 个工作日），报分管领导审定`, data: { items, workingDays } },
            };
          },
        },
      ],
    },

    approve_correction: {
      step: "approve_correction",
      role: "deputy_leader",
      title: "审定补正告知书",
      instructions: "审定《补正告知书》：同意后告知书即发送申请人，答复期限待申请人补正后重新计算。",
      periodWorkingDays: 1,
      escalateTo: ["principal_leader"],
      outcomes: [
        {
          outcome: "approved",
          label: "同意发出补正告知书",
          fields: [],
          transition: (ctx) => {
            const d = ctx.case.data;
            const c = d.correction!;
            const correction = due(ctx, ctx.today, c.workingDays);
            const notice = ctx.deadline("correction_notice");
            return {
              status: "correction_requested",
              data: { ...d, correction: { ...c, requestedOn: ctx.today, dueOn: correction.dueOn } },
              open: [{ step: "await_correction" }],
              deadlines: [
                { op: "pause", name: "answer", on: ctx.today, reason: "已发出补正告知，答复期限自收到补正后的申请之日起重新计算（《政府信息公开条例》第三十条）" },
                ...(notice && !notice.stopped ? [{ op: "stop" as const, name: "correction_notice", on: ctx.today, reason: "补正告知书已发出" }] : []),
                { op: "start", name: "correction", on: ctx.today, reason: `补正告知书发出，申请人应在 ${c.workingDays} 个工作日内补正`, periodWorkingDays: c.workingDays },
              ],
              flags: notice && !notice.stopped && notice.dueOn < ctx.today ? { add: ["correction_notice_late"] } : {},
              letters: [applicantLetter("correction_notice", { items: c.items, correctionWorkingDays: c.workingDays, correctionDueOn: correction.dueOn })],
              notices: [
                applicantNotice(`请补正您的政府信息公开申请（${d.trackingNumber}）`, [
                  "经审查，您的政府信息公开申请需要补正，需补正的事项见附件《补正告知书》：",
                  ...c.items.map((item, i) => `${i + 1}. ${item}`),
                  `请于 ${correction.dueOn}${mark(correction.provisional)} 前补正。答复期限自我们收到补正后的申请之日起重新计算；无正当理由逾期不补正的，视为放弃申请。`,
                  "您可以在门户网站的申请查询页面在线补正，也可以书面补正。",
                  trackingLine(d),
                ], ["correction_notice"]),
              ],
              event: {
                type: "correction.requested",
                summary: `分管领导审定补正告知书，告知申请人补正（期限 ${correction.dueOn}${mark(correction.provisional)}）`,
                data: { items: c.items, dueOn: correction.dueOn },
                applicantVisible: true,
              },
            };
          },
        },
        {
          outcome: "returned",
          label: "退回重新审查",
          fields: [noteField("退回意见", true)],
          transition: (ctx) => ({
            status: "registered",
            data: { ...ctx.case.data, correction: undefined },
            open: [{ step: "review", note: `分管领导退回补正意见：${text(ctx.values, "note")}` }],
            event: { type: "correction.returned", summary: "分管领导退回补正意见，重新审查", data: { note: text(ctx.values, "note") } },
          }),
        },
      ],
    },

    await_correction: {
      step: "await_correction",
      role: "office_staff",
      title: "等待申请人补正",
      instructions: "申请人可在线补正；收到书面补正的，请录入收到日期和补正内容。期限届满仍未补正的，系统按视为放弃申请办结。",
      periodWorkingDays: P.correction.defaultWorkingDays,
      dueWith: "correction",
      reminders: false,
      escalateTo: [],
      outcomes: [
        {
          outcome: "corrected",
          label: "已收到补正（书面）",
          actors: ["staff", "applicant"],
          fields: [
            { name: "receivedOn", type: "date", label: "收到补正日期", required: true },
            noteField("补正内容摘要", true),
          ],
          check: (ctx) => {
            const on = text(ctx.values, "receivedOn") ?? ctx.today;
            const c = ctx.case.data.correction;
            const errors: FieldError[] = [];
            if (on > ctx.today) errors.push({ path: "receivedOn", code: "out_of_range", message: "收到补正日期不能晚于今天" });
            if (c?.requestedOn && on < c.requestedOn) errors.push({ path: "receivedOn", code: "out_of_range", message: `收到补正日期不能早于告知日期 ${c.requestedOn}` });
            return errors;
          },
          refuse: (ctx) => {
            const dueOn = ctx.case.data.correction?.dueOn;
            const on = text(ctx.values, "receivedOn") ?? ctx.today;
            return dueOn && on > dueOn
              ? { status: 422, code: "CORRECTION_PERIOD_OVER", message: `补正期限已于 ${dueOn} 届满，逾期补正不予接受` }
              : undefined;
          },
          transition: (ctx) => {
            const d = ctx.case.data;
            const on = text(ctx.values, "receivedOn") ?? ctx.today;
            const online = ctx.actor.kind === "applicant";
            // the use case has validated the corrected application as a whole
            const changed = (ctx.extra.changed as string[] | undefined) ?? [];
            const corrected = (ctx.extra.application as ApplicationData["application"] | undefined) ?? d.application;
            const answer = due(ctx, on, P.answer.periodWorkingDays);
            return {
              status: "under_review",
              data: { ...d, application: corrected, correction: { ...d.correction!, receivedOn: on, via: online ? "online" : "letter", changed, note: text(ctx.values, "note") } },
              open: [{ step: "review", note: "申请人已补正，请审查补正后的申请" }],
              deadlines: [
                { op: "stop", name: "correction", on, reason: "已收到补正" },
                { op: "restart", name: "answer", on, reason: "收到补正后的申请，答复期限重新计算（《政府信息公开条例》第三十条）" },
              ],
              notices: online
                ? []
                : [applicantNotice(`已收到您的补正（${d.trackingNumber}）`, [`我们已于 ${on} 收到您的补正，法定答复期限重新计算，至 ${answer.dueOn}${mark(answer.provisional)}。`, trackingLine(d)])],
              event: {
                type: "correction.received",
                summary: `${online ? "申请人在线补正" : "收到申请人书面补正"}（${on}），答复期限重新起算，至 ${answer.dueOn}${mark(answer.provisional)}`,
                data: { receivedOn: on, changed, via: online ? "online" : "letter" },
                applicantVisible: true,
              },
            };
          },
        },
        {
          outcome: "not_corrected",
          label: "逾期未补正",
          actors: ["system"],
          fields: [],
          transition: (ctx) => {
            const d = ctx.case.data;
            return {
              status: "withdrawn",
              close: "all",
              deadlines: stopAll(ctx, "逾期未补正，视为放弃申请"),
              result: { cell: resultCellOf("withdrawn"), replyType: "withdrawn" },
              letters: [applicantLetter("reply_withdrawn", { correctionDueOn: d.correction?.dueOn ?? ctx.today })],
              notices: [
                applicantNotice(`您的政府信息公开申请视为放弃（${d.trackingNumber}）`, [
                  `补正期限 ${d.correction?.dueOn ?? ""} 已届满，我们未收到您的补正。根据《中华人民共和国政府信息公开条例》第三十条，您的申请视为放弃，本机关不再处理。`,
                  trackingLine(d),
                ], ["reply_withdrawn"]),
              ],
              event: { type: "application.withdrawn", summary: `补正期限 ${d.correction?.dueOn ?? ""} 届满未补正，视为放弃申请，办结`, applicantVisible: true },
            };
          },
        },
      ],
    },

    handle: {
      step: "handle",
      role: "office_staff",
      title: "办理",
      instructions: "会同业务科室检索核实，按需进行保密审查、征求第三方或其他机关意见，提出拟答复意见或延期意见。",
      // seed 三、办理: 办公室联系相关业务科室于7个工作日内提出拟答复意见或提出延期意见
      periodWorkingDays: P.handle.periodWorkingDays,
      escalateTo: ["office_director", "deputy_leader"],
      outcomes: [
        {
          outcome: "propose_reply",
          label: "提出拟答复意见",
          fields: [
            {
              name: "replyType",
              type: "choice",
              label: "答复类型",
              required: true,
              choices: proposableReplyTypes.map((t) => ({ value: t, label: replyTypeLabels[t] })),
            },
            {
              name: "ground",
              type: "choice",
              label: "具体情形",
              required: false,
              requiredWhen: { field: "replyType", values: groundedTypes },
              choices: groundedTypes.flatMap((t) => replyGrounds[t as keyof typeof replyGrounds].map((g) => ({ value: g, label: `${replyTypeLabels[t as ReplyType]}：${groundLabels[g]}` }))),
            },
            reasonsField,
            { name: "withheld", type: "text", label: "不予公开的内容及理由（区分处理）", required: false, maxLength: 4000, requiredWhen: { field: "replyType", values: ["partly_disclosed"] } },
            { name: "where", type: "text", label: "获取该信息的方式和途径", required: false, maxLength: 1000, requiredWhen: { field: "replyType", values: ["already_published"] } },
            { name: "agencyName", type: "text", label: "负责公开的机关", required: false, maxLength: 200, requiredWhen: { field: "replyType", values: ["other_agency"] } },
            { name: "agencyContact", type: "text", label: "该机关的联系方式", required: false, maxLength: 200, requiredWhen: { field: "replyType", values: ["other_agency"] } },
            { name: "publicInterestReason", type: "text", label: "第三方不同意但决定公开的公共利益理由", required: false, maxLength: 2000 },
          ],
          check: (ctx) => checkProposal(ctx),
          transition: (ctx) => {
            const d = ctx.case.data;
            const replyType = text(ctx.values, "replyType") as ReplyType;
            const ground = text(ctx.values, "ground");
            const proposal = {
              replyType,
              ...(needsGround(replyType) && ground ? { ground } : {}),
              reasons: text(ctx.values, "reasons")!,
              ...optional("withheld", text(ctx.values, "withheld")),
              ...optional("where", text(ctx.values, "where")),
              ...optional("agencyName", text(ctx.values, "agencyName")),
              ...optional("agencyContact", text(ctx.values, "agencyContact")),
              ...optional("publicInterestReason", text(ctx.values, "publicInterestReason")),
              proposedOn: ctx.today,
            };
            const label = `${replyTypeLabels[replyType]}${proposal.ground ? `（${groundLabels[proposal.ground]}）` : ""}`;
            return {
              data: { ...d, proposal },
              open: [{ step: "sign_off" }],
              deadlines:
                replyType === "already_published" && !ctx.deadline("point_to_published") && d.receivedOn
                  ? [{ op: "start", name: "point_to_published", on: d.receivedOn, reason: "属于主动公开范围的，办公室于5个工作日内书面告知申请人获取方式和途径（工作机制：办理（一））" }]
                  : [],
              event: { type: "reply.proposed", summary: `提出拟答复意见：${label}，送分管领导审签`, data: { replyType, ground: proposal.ground } },
            };
          },
        },
        {
          outcome: "consult_third_party",
          label: "征求第三方意见",
          fields: [
            { name: "party", type: "text", label: "第三方名称或姓名", required: true, maxLength: 200 },
            { name: "matters", type: "text", label: "征求意见的事项", required: true, maxLength: 2000 },
            { name: "partyAddress", type: "text", label: "第三方通信地址", required: false, maxLength: 200 },
            { name: "partyEmail", type: "text", label: "第三方电子邮箱", required: false, maxLength: 254, hint: "填写后征求意见函同时以电子邮件发送" },
          ],
          check: (ctx) => {
            const email = text(ctx.values, "partyEmail");
            return email && !isEmail(email) ? [{ path: "partyEmail", code: "invalid_format", message: "第三方电子邮箱格式不正确" }] : [];
          },
          transition: (ctx) => consult(ctx, "third_party"),
        },
        {
          outcome: "consult_agency",
          label: "征求其他机关意见",
          fields: [
            { name: "agencyName", type: "text", label: "被征求意见的机关", required: true, maxLength: 200 },
            { name: "matters", type: "text", label: "征求意见的事项", required: true, maxLength: 2000 },
            { name: "agencyContact", type: "text", label: "该机关的联系方式", required: false, maxLength: 200 },
          ],
          transition: (ctx) => consult(ctx, "agency"),
        },
        {
          outcome: "request_secrecy_review",
          label: "提请保密审查",
          fields: [noteField("需审查的内容和疑问", false)],
          transition: (ctx) => ({
            open: [{ step: "secrecy_review", ...optional("note", text(ctx.values, "note")) }],
            event: { type: "secrecy.requested", summary: "提请办公室主任进行保密审查", data: { note: text(ctx.values, "note") } },
          }),
        },
        proposeFeeOutcome,
        {
          outcome: "request_extension",
          label: "提出延期答复意见",
          fields: [
            { name: "reason", type: "text", label: "延期理由", required: true, maxLength: 1000 },
            { name: "workingDays", type: "integer", label: "延长工作日数", required: true, min: 1, max: P.answer.maxExtensionDays },
          ],
          refuse: (ctx) => {
            const answer = ctx.case.deadlines.answer;
            if (!answer) return { status: 409, code: "NOT_REGISTERED", message: "法定答复期限尚未起算" };
            try {
              extendDeadline(answer.deadline, { on: ctx.today, reason: "check", by: "check", at: ctx.now.toISOString(), days: int(ctx.values, "workingDays")! });
            } catch (error) {
              return { status: 409, code: (error as { code?: string }).code ?? "EXTENSION_NOT_ALLOWED", message: (error as Error).message };
            }
            if (ctx.case.data.extensionRequest) return { status: 409, code: "EXTENSION_PENDING", message: "已有延期申请待分管领导审批" };
            const e = ctx.deadline("answer")!;
            if (!e.paused && e.dueOn < ctx.today) return { status: 409, code: "EXTENSION_TOO_LATE", message: `法定答复期限已于 ${e.dueOn} 届满，不能再延期` };
            return undefined;
          },
          transition: (ctx) => {
            const reason = text(ctx.values, "reason")!;
            const workingDays = int(ctx.values, "workingDays")!;
            return {
              data: { ...ctx.case.data, extensionRequest: { reason, workingDays, requestedOn: ctx.today } },
              open: [{ step: "approve_extension" }],
              event: { type: "extension.requested", summary: `提出延期答复意见（延长 ${workingDays} 个工作日），报分管领导审批`, data: { reason, workingDays } },
            };
          },
        },
      ],
    },

    third_party_answer: {
      step: "third_party_answer",
      role: "office_staff",
      title: "登记第三方意见",
      instructions: "第三方应自收到征求意见书之日起15个工作日内提出意见；收到后请登记。逾期未提出意见的，由本机关依法决定是否公开。",
      periodWorkingDays: P.thirdPartyReply.periodWorkingDays,
      dueWith: "third_party",
      escalateTo: ["office_director"],
      outcomes: [
        answeredOutcome("third_party"),
        {
          outcome: "no_answer",
          label: "第三方逾期未提出意见",
          fields: [],
          unavailable: (ctx) => beforeLimit(ctx, "third_party", "第三方"),
          transition: (ctx) => consultationClosed(ctx, "third_party", { silent: true }, "第三方逾期未提出意见，由本机关依法决定是否公开（《政府信息公开条例》第三十二条）"),
        },
      ],
    },

    agency_answer: {
      step: "agency_answer",
      role: "office_staff",
      title: "登记其他机关意见",
      instructions: "被征求意见机关应自收到征求意见书之日起15个工作日内提出意见；收到后请登记。期限届满仍未提出的，视为同意公开，请登记“逾期未提出意见”。",
      periodWorkingDays: P.agencyReply.periodWorkingDays,
      dueWith: "agency",
      escalateTo: ["office_director"],
      outcomes: [
        answeredOutcome("agency"),
        {
          outcome: "no_answer",
          label: "逾期未提出意见，视为同意",
          fields: [],
          unavailable: (ctx) => beforeLimit(ctx, "agency", "被征求意见机关"),
          transition: (ctx) =>
            consultationClosed(ctx, "agency", { silent: true, opinion: "agree" }, "被征求意见机关逾期未提出意见，视为同意公开（《政府信息公开条例》第三十四条）"),
        },
      ],
    },

    secrecy_review: {
      step: "secrecy_review",
      role: "office_director",
      title: "保密审查",
      instructions: "对拟公开的信息进行保密审查；不能确定的，提交保密工作部门审查并登记答复。",
      periodWorkingDays: 2,
      escalateTo: ["deputy_leader"],
      // one level of the secrecy sub-flow (shared/domain/workflows/secrecy.ts); the reply's sign-off is the leader's approval
      outcomes: secrecyLevelOutcomes<ApplicationData>({
        state: (d) => d.secrecy,
        decided: (ctx, secrecy, summary) => secrecyDecided(ctx, secrecy, summary),
        referred: (ctx, secrecy) => ({
          data: { ...ctx.case.data, secrecy },
          open: [{ step: "secrecy_review", periodWorkingDays: P.thirdPartyReply.periodWorkingDays, note: `已提交${secrecy.authority}审查，收到答复后请登记` }],
          event: { type: "secrecy.referred", summary: `不能确定是否可以公开，提交${secrecy.authority}审查`, data: { authority: secrecy.authority } },
        }),
      }),
    },

    approve_extension: {
      step: "approve_extension",
      role: "deputy_leader",
      title: "审批延期答复",
      instructions: "审批延期答复意见；同意后《延期答复告知书》即发送申请人，延长期限最长不超过20个工作日。",
      periodWorkingDays: 1,
      escalateTo: ["principal_leader"],
      outcomes: [
        {
          outcome: "approved",
          label: "同意延期",
          fields: [],
          transition: (ctx) => {
            const d = ctx.case.data;
            const request = d.extensionRequest!;
            const answer = ctx.case.deadlines.answer!;
            const extended = extendDeadline(answer.deadline, { on: ctx.today, reason: request.reason, by: "preview", at: ctx.now.toISOString(), days: request.workingDays });
            const after = evaluateDeadline(ctx.calendar, extended, ctx.today);
            return {
              status: "extended",
              data: { ...d, extensionRequest: undefined, extension: { reason: request.reason, workingDays: request.workingDays, approvedOn: ctx.today, newDueOn: after.dueOn } },
              open: [{ step: "handle", note: `已延期至 ${after.dueOn}，请在新期限内答复` }],
              deadlines: [{ op: "extend", name: "answer", on: ctx.today, reason: `经分管领导同意延期答复：${request.reason}（《政府信息公开条例》第三十三条）`, days: request.workingDays }],
              letters: [applicantLetter("extension_notice", { originalDueOn: answer.dueOn, newDueOn: after.dueOn, workingDays: request.workingDays, reason: request.reason })],
              notices: [
                applicantNotice(`您的政府信息公开申请延期答复（${d.trackingNumber}）`, [
                  `因${request.reason}，经本机关政府信息公开工作机构负责人同意，答复期限延长 ${request.workingDays} 个工作日，至 ${after.dueOn}${mark(after.provisional)}。`,
                  trackingLine(d),
                  "《延期答复告知书》见附件。",
                ], ["extension_notice"]),
              ],
              event: {
                type: "extension.approved",
                summary: `分管领导同意延期答复，法定答复期限延长 ${request.workingDays} 个工作日，至 ${after.dueOn}${mark(after.provisional)}`,
                data: { workingDays: request.workingDays, dueOn: after.dueOn },
                applicantVisible: true,
              },
            };
          },
        },
        {
          outcome: "refused",
          label: "不同意延期",
          fields: [noteField("意见", true)],
          transition: (ctx) => ({
            data: { ...ctx.case.data, extensionRequest: undefined },
            open: [{ step: "handle", note: `分管领导不同意延期：${text(ctx.values, "note")}` }],
            event: { type: "extension.refused", summary: "分管领导不同意延期", data: { note: text(ctx.values, "note") } },
          }),
        },
      ],
    },

    approve_fee: approveFeeStep,
    await_payment: awaitPaymentStep,

    sign_off: {
      step: "sign_off",
      role: "deputy_leader",
      title: "审签答复",
      instructions: "审签拟答复意见；签发后答复书即送达申请人，案件办结。",
      // seed 五、送签: 办公室于3个工作日内将答复意见送办公室分管领导审签
      periodWorkingDays: P.signOff.periodWorkingDays,
      escalateTo: ["principal_leader"],
      outcomes: [
        {
          outcome: "signed",
          label: "签发答复",
          fields: [],
          transition: (ctx) => signed(ctx),
        },
        {
          outcome: "returned",
          label: "退回修改",
          fields: [noteField("退回意见", true)],
          transition: (ctx) => ({
            data: { ...ctx.case.data, proposal: undefined },
            open: [{ step: "handle", note: `分管领导退回拟答复意见：${text(ctx.values, "note")}` }],
            deadlines: ctx.deadline("point_to_published")?.stopped === false ? [{ op: "stop", name: "point_to_published", on: ctx.today, reason: "拟答复意见被退回" }] : [],
            event: { type: "reply.returned", summary: "分管领导退回拟答复意见，重新办理", data: { note: text(ctx.values, "note") } },
          }),
        },
      ],
    },
  },
};

// ---- transitions shared by several outcomes -------------------------------------

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

function stopAll(ctx: Ctx, reason: string) {
  return Object.entries(ctx.case.deadlines)
    .filter(([, d]) => !d.stopped)
    .map(([name]) => ({ op: "stop" as const, name, on: ctx.today, reason }));
}

function beforeLimit(ctx: Ctx, name: "third_party" | "agency", who: string): string | undefined {
  const d = ctx.deadline(name);
  return d && !d.stopped && d.dueOn >= ctx.today ? `${who}的答复期限至 ${d.dueOn} 届满，届满前不能按逾期未答复处理` : undefined;
}

function checkProposal(ctx: Ctx): FieldError[] {
  const v = ctx.values;
  const d = ctx.case.data;
  const replyType = text(v, "replyType");
  const ground = text(v, "ground");
  const errors: FieldError[] = [];
  if (replyType && needsGround(replyType) && ground && !(replyGrounds[replyType] as readonly string[]).includes(ground)) {
    errors.push({ path: "ground", code: "invalid_choice", message: `具体情形与答复类型“${replyTypeLabels[replyType]}”不符` });
  }
  if (replyType && !needsGround(replyType) && ground) {
    errors.push({ path: "ground", code: "not_applicable", message: `答复类型“${replyTypeLabels[replyType as ReplyType] ?? replyType}”无需选择具体情形` });
  }
  if (ground === "unclear_after_correction" && !d.correction?.receivedOn) {
    errors.push({ path: "ground", code: "not_applicable", message: "只有经补正后申请内容仍不明确的，才能按此情形答复" });
  }
  const objected = d.consultations.some((c) => c.kind === "third_party" && c.opinion === "object");
  if (objected && (replyType === "disclosed" || replyType === "partly_disclosed") && !text(v, "publicInterestReason")) {
    errors.push({
      path: "publicInterestReason",
      code: "required",
      message: "第三方不同意公开，决定予以公开的，请填写不公开可能对公共利益造成重大影响的理由（《政府信息公开条例》第三十二条）",
    });
  }
  return errors;
}

function consult(ctx: Ctx, kind: "third_party" | "agency") {
  const d = ctx.case.data;
  const v = ctx.values;
  const party = kind === "third_party" ? text(v, "party")! : text(v, "agencyName")!;
  const matters = text(v, "matters")!;
  const limit = due(ctx, ctx.today, P.thirdPartyReply.periodWorkingDays);
  const consultation: Consultation = {
    kind,
    party,
    matters,
    askedOn: ctx.today,
    replyDueOn: limit.dueOn,
    ...optional("contact", text(v, "agencyContact")),
    ...optional("address", text(v, "partyAddress")),
    ...optional("email", text(v, "partyEmail")),
  };
  const answer = ctx.deadline("answer");
  const who = kind === "third_party" ? "第三方" : "其他机关";
  const article = kind === "third_party" ? "第三十二条" : "第三十四条";
  return {
    data: { ...d, consultations: [...d.consultations, consultation] },
    open: [{ step: kind === "third_party" ? "third_party_answer" : "agency_answer" }],
    deadlines: [
      ...(answer && !answer.paused && !answer.stopped
        ? [{ op: "pause" as const, name: "answer", on: ctx.today, reason: `征求${who}意见，所需时间不计算在答复期限内（《政府信息公开条例》第三十三条第二款）` }]
        : []),
      { op: "start" as const, name: kind, on: ctx.today, reason: `${who}应自收到征求意见书之日起15个工作日内提出意见（《政府信息公开条例》${article}）` },
    ],
    letters: [
      {
        kind: kind === "third_party" ? ("third_party_consultation" as const) : ("agency_consultation" as const),
        to: { kind: "party" as const, name: party, ...optional("address", consultation.address), ...optional("email", consultation.email) },
        data: kind === "third_party" ? { party, matters, replyDueOn: limit.dueOn } : { agencyName: party, matters, replyDueOn: limit.dueOn },
        email: Boolean(consultation.email),
      },
    ],
    event: {
      type: `consultation.${kind}.sent`,
      summary: `向${who}“${party}”发出征求意见函，答复期限 ${limit.dueOn}${mark(limit.provisional)}；等待期间答复期限暂停计算`,
      data: { kind, party, replyDueOn: limit.dueOn },
      applicantVisible: true,
    },
  };
}

function consultationClosed(ctx: Ctx, kind: "third_party" | "agency", outcome: Partial<Consultation>, summary: string) {
  const d = ctx.case.data;
  let closed = false;
  // the one open consultation of this kind (they are asked one at a time)
  const consultations = d.consultations.map((c) => {
    if (closed || c.kind !== kind || c.answeredOn) return c;
    closed = true;
    return { ...c, ...outcome, answeredOn: ctx.today };
  });
  const next = { ...d, consultations };
  return {
    data: next,
    open: [{ step: "handle", note: summary }],
    deadlines: [
      ...(ctx.deadline(kind)?.stopped === false ? [{ op: "stop" as const, name: kind, on: ctx.today, reason: outcome.silent ? "答复期限届满" : "已收到答复" }] : []),
      ...resumeAnswerIfLast(ctx, next, `${kind === "third_party" ? "第三方" : "其他机关"}意见已${outcome.silent ? "逾期" : "收到"}，答复期限恢复计算`),
    ],
    event: { type: `consultation.${kind}.closed`, summary, data: { kind, ...outcome }, applicantVisible: true },
  };
}

function answeredOutcome(kind: "third_party" | "agency") {
  const who = kind === "third_party" ? "第三方" : "被征求意见机关";
  return {
    outcome: "answered",
    label: `登记${who}意见`,
    fields: [opinionField, { name: "summary", type: "text" as const, label: "意见摘要", required: true, maxLength: 2000 }],
    transition: (ctx: Ctx) => {
      const opinion = text(ctx.values, "opinion") as "agree" | "object";
      return consultationClosed(
        ctx,
        kind,
        { opinion, summary: text(ctx.values, "summary")! },
        `收到${who}意见：${opinion === "agree" ? "同意公开" : "不同意公开"}`,
      );
    },
  };
}

function secrecyDecided(ctx: Ctx, secrecy: NonNullable<ApplicationData["secrecy"]>, summary: string) {
  return {
    data: { ...ctx.case.data, secrecy },
    open: [{ step: "handle", note: summary }],
    event: { type: "secrecy.decided", summary, data: { decision: secrecy.decision } },
  };
}

function signed(ctx: Ctx) {
  const d = ctx.case.data;
  const p = d.proposal!;
  const replyType = p.replyType as ReplyType;
  const kind = replyLetterKind(replyType);
  const letterData: Record<string, unknown> = { reasons: p.reasons };
  if (p.ground) letterData.ground = p.ground;
  if (p.withheld) letterData.withheld = p.withheld;
  if (p.where) letterData.where = p.where;
  if (p.agencyName) letterData.agencyName = p.agencyName;
  if (p.agencyContact) letterData.agencyContact = p.agencyContact;
  const objector = d.consultations.find((c) => c.kind === "third_party" && c.opinion === "object");
  const disclosesOverObjection = objector && (replyType === "disclosed" || replyType === "partly_disclosed");
  const letters: LetterOrder[] = [applicantLetter(kind, letterData)];
  if (disclosesOverObjection) {
    letters.push({
      kind: "third_party_disclosure_notice",
      to: { kind: "party", name: objector.party, ...optional("address", objector.address), ...optional("email", objector.email) },
      data: { party: objector.party, content: d.application.description, reasons: p.publicInterestReason ?? p.reasons },
      email: Boolean(objector.email),
    });
  }
  const label = `${replyTypeLabels[replyType]}${p.ground ? `（${groundLabels[p.ground]}）` : ""}`;
  return {
    status: "replied",
    close: "all" as const,
    deadlines: stopAll(ctx, "已答复"),
    result: { cell: resultCellOf(replyType, p.ground), replyType, ...optional("ground", p.ground) },
    letters,
    notices: [
      applicantNotice(`您的政府信息公开申请已答复（${d.trackingNumber}）`, [
        `您的政府信息公开申请已办理完毕，答复结果：${label}。`,
        "《政府信息公开申请答复书》见附件，其中载明答复的依据和您的救济途径。",
        trackingLine(d),
      ], [kind]),
    ],
    event: { type: "application.replied", summary: `分管领导签发答复：${label}，办结`, data: { replyType, ground: p.ground }, applicantVisible: true },
  };
}
