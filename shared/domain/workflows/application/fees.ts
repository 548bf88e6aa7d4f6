import { textValue } from "../fields";
import type { FieldError } from "../../../schemas/errors";
import type { IsoDate } from "../../calendar";
import { computeFee, withExemption, FEE_PAYMENT_WORKING_DAYS, feeMethodLabels, feeMethods, type CountedApplication, type FeeComputation, type FeeMethod } from "../../fees";
import { monthOf } from "../../signals";
import { resultCellOf } from "../../report/cells";
import type { DeadlineDefinition, DeadlineOp, LetterOrder, Notice, OutcomeDefinition, StepDefinition, TransitionContext, Values } from "../types";
import type { ApplicationData, Fee } from "./data";

/**
 * The processing fee (信息处理费, OGI art. 42 para. 1; 国办函〔2020〕109号) on the application
 * workflow: the office proposes a fee notice from `handle`, the deputy leader approves it, the
 * answer clock waits from the notice until payment, and without payment within 20 working
 * days the `fee_payment` deadline's timer closes the case as `fee_unpaid` （六）2.
 * The computation is shared/domain/fees; docs/processing-fees.md cites the articles.
 */

type Ctx = TransitionContext<ApplicationData>;

const text = textValue;
const int = (v: Values, name: string): number | undefined => (typeof v[name] === "number" ? (v[name] as number) : undefined);
const mark = (provisional: boolean) => (provisional ? "（暂定）" : "");
const trackingLine = (d: ApplicationData) => `申请编号：${d.trackingNumber}。您可凭申请编号和查询码在门户网站查询办理进度、下载文书。`;
const applicantNotice = (subject: string, lines: string[], attach: LetterOrder["kind"][]): Notice => ({ to: { kind: "applicant" }, subject, text: lines.join("\n"), attach });
const applicantLetter = (kind: LetterOrder["kind"], data: Record<string, unknown>): LetterOrder => ({ kind, to: { kind: "applicant" }, data, email: true });

/** A fee notice is out and neither paid nor lapsed: the answer clock waits for it. */
export function feeWaits(d: ApplicationData): boolean {
  return Boolean(d.fee?.noticeIssuedOn && !d.fee.paid && !d.fee.unpaidOn);
}

const consultationsPending = (d: ApplicationData) => d.consultations.some((c) => !c.answeredOn);

/** What the use case reads for the computation: the applicant's applications of the month (shared/app/applications/fees.ts). */
export interface FeeExtra {
  monthApplications?: CountedApplication[];
}

export const feePaymentDeadline: DeadlineDefinition = {
  name: "fee_payment",
  kind: "fee_payment",
  label: "缴纳信息处理费期限",
  periodWorkingDays: FEE_PAYMENT_WORKING_DAYS,
  timers: ["overdue"],
  notify: [],
  escalateTo: [],
  onExpiry: { step: "await_payment", outcome: "not_paid" },
};

export const proposeFeeOutcome: OutcomeDefinition<ApplicationData> = {
  outcome: "propose_fee",
  label: "拟收取信息处理费（报分管领导审批收费通知书）",
  fields: [
    { name: "method", type: "choice", label: "计收方式", required: true, choices: feeMethods.map((m) => ({ value: m, label: feeMethodLabels[m] })) },
    {
      name: "units",
      type: "integer",
      label: "按“一事一申请”拆分的件数",
      required: false,
      min: 1,
      max: 100,
      hint: "一份申请包含多项内容的，可以按合理的最小单位拆分计算件数；不拆分的留空。",
    },
    { name: "pages", type: "integer", label: "提供的页数", required: false, min: 1, max: 100000, requiredWhen: { field: "method", values: ["per_volume"] } },
    { name: "howToPay", type: "text", label: "缴纳方式", required: true, maxLength: 500, hint: "写明缴费渠道、账户或窗口，收费通知书原文引用。" },
    { name: "exemptionReason", type: "text", label: "减免理由", required: false, maxLength: 1000, hint: "如申请人为最低生活保障对象、特困人员等确有经济困难的。" },
    { name: "exemptToYuan", type: "integer", label: "减免后应缴金额（元，0 为免收）", required: false, min: 0, max: 10000000 },
  ],
  unavailable: (ctx) => {
    const f = ctx.case.data.fee;
    if (f?.noticeIssuedOn) return `已于 ${f.noticeIssuedOn} 就本申请发出收费通知，每件申请只收取一次信息处理费`;
    if (f?.waivedOn) return `已于 ${f.waivedOn} 决定免收本申请的信息处理费`;
    return undefined;
  },
  check: (ctx) => {
    const v = ctx.values;
    const method = text(v, "method");
    const errors: FieldError[] = [];
    // 第三条: one method per application, never both
    if (method === "per_application" && int(v, "pages") !== undefined) errors.push({ path: "pages", code: "not_applicable", message: "按件计收不填写页数（不得同时按两种标准计算）" });
    if (method === "per_volume" && int(v, "units") !== undefined) errors.push({ path: "units", code: "not_applicable", message: "按量计收不填写拆分件数（不得同时按两种标准计算）" });
    const reason = text(v, "exemptionReason");
    const toYuan = int(v, "exemptToYuan");
    if (reason && toYuan === undefined) errors.push({ path: "exemptToYuan", code: "required", message: "填写减免理由的，请填写减免后应缴金额" });
    if (!reason && toYuan !== undefined) errors.push({ path: "exemptionReason", code: "required", message: "减免信息处理费的，请填写减免理由" });
    if (errors.length === 0 && method && reason && toYuan !== undefined) {
      const standard = baseComputation(ctx).standardYuan;
      if (toYuan >= standard) errors.push({ path: "exemptToYuan", code: "out_of_range", message: `减免后应缴金额应少于按标准计算的 ${standard} 元` });
    }
    return errors;
  },
  refuse: (ctx) => {
    const late = noticeTooLate(ctx);
    if (late) return late;
    const c = baseComputation(ctx);
    return c.standardYuan === 0
      ? { status: 422, code: "FEE_NOT_DUE", message: `按标准计算不收费：${c.explanation.join("")}` }
      : undefined;
  },
  transition: (ctx) => {
    const c = withReduction(ctx, baseComputation(ctx));
    const fee: Fee = { ...c, howToPay: text(ctx.values, "howToPay")!, proposedOn: ctx.today };
    return {
      data: { ...ctx.case.data, fee },
      open: [{ step: "approve_fee" }],
      event: {
        type: "fee.proposed",
        summary: `拟${feeMethodLabels[c.method]}信息处理费 ${c.amountYuan} 元${c.exemption ? `（按标准 ${c.standardYuan} 元，减免理由：${c.exemption.reason}）` : ""}，报分管领导审批`,
        data: { method: c.method, standardYuan: c.standardYuan, amountYuan: c.amountYuan, explanation: c.explanation, ...(c.exemption ? { exemption: c.exemption } : {}) },
      },
    };
  },
};

/** 第六条: the notice goes out 在政府信息公开申请处理期限内 — not once the answer period has run out. */
function noticeTooLate(ctx: Ctx): { status: 422; code: string; message: string } | undefined {
  const answer = ctx.deadline("answer");
  if (!answer || answer.paused || answer.stopped || answer.dueOn >= ctx.today) return undefined;
  return {
    status: 422,
    code: "FEE_NOTICE_TOO_LATE",
    message: `收费通知应当在政府信息公开申请处理期限内发出，本申请的答复期限已于 ${answer.dueOn} 届满，不能再收取信息处理费`,
  };
}

function baseComputation(ctx: Ctx): FeeComputation {
  const d = ctx.case.data;
  const method = text(ctx.values, "method") as FeeMethod;
  return computeFee(method, {
    // the month and the order go by submission, as for the art. 35 signal
    perApplication: {
      caseId: ctx.case.caseId,
      month: monthOf(d.submittedOn),
      monthApplications: (ctx.extra as FeeExtra).monthApplications ?? [{ caseId: ctx.case.caseId, reference: ctx.case.reference, at: d.submittedAt }],
      units: int(ctx.values, "units") ?? 1,
    },
    pages: int(ctx.values, "pages") ?? 1,
  });
}

function withReduction(ctx: Ctx, base: FeeComputation): FeeComputation {
  const reason = text(ctx.values, "exemptionReason");
  const toYuan = int(ctx.values, "exemptToYuan");
  return reason && toYuan !== undefined ? withExemption(base, { reason, toYuan }) : base;
}

export const approveFeeStep: StepDefinition<ApplicationData> = {
  step: "approve_fee",
  role: "deputy_leader",
  title: "审批收费通知书",
  instructions: "审核信息处理费的计算和减免意见；同意后《收费通知书》即送达申请人，自通知发出至收到缴费，答复期限暂停计算。",
  periodWorkingDays: 1,
  escalateTo: ["principal_leader"],
  outcomes: [
    {
      outcome: "approved",
      label: "同意",
      fields: [],
      // a waiver sends no notice, so only a notice can come too late
      refuse: (ctx) => (ctx.case.data.fee!.amountYuan === 0 ? undefined : noticeTooLate(ctx)),
      transition: (ctx) => {
        const d = ctx.case.data;
        const fee = d.fee!;
        if (fee.amountYuan === 0) {
          return {
            data: { ...d, fee: { ...fee, waivedOn: ctx.today } },
            open: [{ step: "handle", note: `分管领导同意免收信息处理费：${fee.exemption?.reason ?? ""}` }],
            event: { type: "fee.waived", summary: `分管领导同意免收信息处理费（按标准 ${fee.standardYuan} 元），理由：${fee.exemption?.reason ?? ""}`, data: { standardYuan: fee.standardYuan, exemption: fee.exemption } },
          };
        }
        const r = ctx.calendar.addWorkingDays(ctx.today, FEE_PAYMENT_WORKING_DAYS);
        const answer = ctx.deadline("answer");
        const deadlines: DeadlineOp[] = [
          ...(answer && !answer.paused && !answer.stopped
            ? [{ op: "pause" as const, name: "answer", on: ctx.today, reason: "发出信息处理费收费通知，自通知发出至收到缴费的期间不计算在答复期限内（《政府信息公开信息处理费管理办法》）" }]
            : []),
          { op: "start", name: "fee_payment", on: ctx.today, reason: `申请人应当在收到收费通知的次日起${FEE_PAYMENT_WORKING_DAYS}个工作日内缴纳费用，逾期未缴纳的视为放弃申请` },
        ];
        return {
          status: "fee_notified",
          data: { ...d, fee: { ...fee, noticeIssuedOn: ctx.today, paymentDueOn: r.date } },
          open: [{ step: "await_payment" }],
          deadlines,
          letters: [
            applicantLetter("fee_notice", {
              method: fee.method,
              explanation: fee.explanation,
              standardYuan: fee.standardYuan,
              amountYuan: fee.amountYuan,
              ...(fee.exemption ? { exemption: fee.exemption } : {}),
              howToPay: fee.howToPay,
              paymentDueOn: r.date,
              paymentDueIsProvisional: r.provisional,
            }),
          ],
          notices: [
            applicantNotice(`关于您的政府信息公开申请收取信息处理费的通知（${d.trackingNumber}）`, [
              `您申请公开政府信息的数量、频次明显超过合理范围，本机关依法收取信息处理费 ${fee.amountYuan} 元，计算方法见附件《收费通知书》。`,
              `请于 ${r.date}${mark(r.provisional)} 前缴纳，缴纳方式：${fee.howToPay}。逾期未缴纳的，视为放弃申请，本机关不再处理该申请。`,
              "自收费通知发出至本机关收到缴费的期间不计算在答复期限内。",
              trackingLine(d),
            ], ["fee_notice"]),
          ],
          event: {
            type: "fee.notified",
            summary: `分管领导审批同意，发出收费通知书：信息处理费 ${fee.amountYuan} 元，缴纳期限 ${r.date}${mark(r.provisional)}；答复期限暂停计算`,
            data: { amountYuan: fee.amountYuan, paymentDueOn: r.date },
            applicantVisible: true,
          },
        };
      },
    },
    {
      outcome: "returned",
      label: "退回",
      fields: [{ name: "note", type: "text", label: "退回意见", required: true, maxLength: 2000 }],
      transition: (ctx) => ({
        data: { ...ctx.case.data, fee: undefined },
        open: [{ step: "handle", note: `分管领导退回收费意见：${text(ctx.values, "note")}` }],
        event: { type: "fee.returned", summary: "分管领导退回收费意见，继续办理", data: { note: text(ctx.values, "note") } },
      }),
    },
  ],
};

export const awaitPaymentStep: StepDefinition<ApplicationData> = {
  step: "await_payment",
  role: "office_staff",
  title: "等待申请人缴纳信息处理费",
  instructions: "收到缴费后，请登记缴费金额、日期和票据号码，案件继续办理、答复期限恢复计算。期限届满仍未缴纳的，系统按视为放弃申请办结。",
  periodWorkingDays: FEE_PAYMENT_WORKING_DAYS,
  dueWith: "fee_payment",
  reminders: false,
  escalateTo: [],
  outcomes: [
    {
      outcome: "paid",
      label: "登记缴费",
      fields: [
        { name: "amountYuan", type: "integer", label: "缴费金额（元）", required: true, min: 0, max: 10000000 },
        { name: "paidOn", type: "date", label: "缴费日期", required: true },
        { name: "receiptNumber", type: "text", label: "票据号码", required: true, maxLength: 100 },
      ],
      check: (ctx) => {
        const f = ctx.case.data.fee!;
        const v = ctx.values;
        const errors: FieldError[] = [];
        if (int(v, "amountYuan") !== f.amountYuan) errors.push({ path: "amountYuan", code: "mismatch", message: `缴费金额应为收费通知书载明的 ${f.amountYuan} 元` });
        const on = text(v, "paidOn");
        if (on && on > ctx.today) errors.push({ path: "paidOn", code: "out_of_range", message: "缴费日期不能晚于今天" });
        if (on && f.noticeIssuedOn && on < f.noticeIssuedOn) errors.push({ path: "paidOn", code: "out_of_range", message: `缴费日期不能早于收费通知发出日期 ${f.noticeIssuedOn}` });
        return errors;
      },
      refuse: (ctx) => {
        const due = ctx.case.data.fee?.paymentDueOn;
        const on = text(ctx.values, "paidOn");
        return due && on && on > due ? { status: 422, code: "FEE_PERIOD_OVER", message: `缴纳期限已于 ${due} 届满，逾期缴纳视为放弃申请` } : undefined;
      },
      transition: (ctx) => {
        const d = ctx.case.data;
        const paidOn = text(ctx.values, "paidOn")! as IsoDate;
        const paid = { amountYuan: int(ctx.values, "amountYuan")!, paidOn, receiptNumber: text(ctx.values, "receiptNumber")!, recordedOn: ctx.today };
        const next: ApplicationData = { ...d, fee: { ...d.fee!, paid } };
        const answer = ctx.deadline("answer");
        return {
          status: d.extension ? "extended" : "in_progress",
          data: next,
          open: [{ step: "handle", note: `申请人已于 ${paidOn} 缴纳信息处理费，请继续办理` }],
          deadlines: [
            { op: "stop", name: "fee_payment", on: ctx.today, reason: "已缴纳信息处理费" },
            // the pause ends on the day the payment came in, not the day it was entered
            ...(answer?.paused && !consultationsPending(next) ? [{ op: "resume" as const, name: "answer", on: paidOn, reason: `${paidOn} 收到申请人缴纳的信息处理费，答复期限恢复计算` }] : []),
          ],
          event: {
            type: "fee.paid",
            summary: `申请人于 ${paidOn} 缴纳信息处理费 ${paid.amountYuan} 元（票据号码 ${paid.receiptNumber}），答复期限恢复计算，继续办理`,
            data: { amountYuan: paid.amountYuan, paidOn, receiptNumber: paid.receiptNumber },
            applicantVisible: true,
          },
        };
      },
    },
    {
      outcome: "not_paid",
      label: "逾期未缴纳",
      actors: ["system"],
      fields: [],
      transition: (ctx) => {
        const d = ctx.case.data;
        const f = d.fee!;
        const notice = ctx.case.letters.findLast((l) => l.kind === "fee_notice");
        return {
          status: "fee_unpaid",
          close: "all",
          data: { ...d, fee: { ...f, unpaidOn: ctx.today } },
          deadlines: Object.entries(ctx.case.deadlines)
            .filter(([, x]) => !x.stopped)
            .map(([name]) => ({ op: "stop" as const, name, on: ctx.today, reason: "逾期未缴纳信息处理费，视为放弃申请" })),
          result: { cell: resultCellOf("fee_unpaid"), replyType: "fee_unpaid" },
          letters: [
            applicantLetter("reply_fee_unpaid", {
              amountYuan: f.amountYuan,
              ...(f.paymentDueOn ? { paymentDueOn: f.paymentDueOn } : {}),
              ...(f.noticeIssuedOn ? { noticeIssuedOn: f.noticeIssuedOn } : {}),
              ...(notice ? { noticeNumber: notice.number } : {}),
            }),
          ],
          notices: [
            applicantNotice(`您的政府信息公开申请视为放弃（${d.trackingNumber}）`, [
              `信息处理费缴纳期限 ${f.paymentDueOn ?? ""} 已届满，本机关未收到您缴纳的费用。依照《政府信息公开信息处理费管理办法》，视为您放弃申请，本机关不再处理该申请。`,
              trackingLine(d),
            ], ["reply_fee_unpaid"]),
          ],
          event: { type: "application.fee_unpaid", summary: `信息处理费缴纳期限 ${f.paymentDueOn ?? ""} 届满未缴纳，视为放弃申请，办结`, applicantVisible: true },
        };
      },
    },
  ],
};
