import { describe, expect } from "vitest";
import { selectCases, type CaseSelection } from "../support/case-selection";
import type { Harness } from "../support/harness";
import { validApplication } from "../support/app";
import { enterApplication, submitApplication } from "../../shared/app/applications/intake";
import { viewCaseAsApplicant } from "../../shared/app/applications/applicant";
import { completeTask } from "../../shared/app/engine/complete-task";
import { ConflictError, UnprocessableError, ValidationError } from "../../shared/app/errors";
import { annualReport } from "../../shared/app/reports/annual";
import { annualNarrative, narrativeFacts } from "../../shared/app/reports/narrative";
import { applicantMonthKey } from "../../shared/domain/signals";
import type { ApplicationData } from "../../shared/domain/workflows/application/data";
import { verifyChain } from "../../shared/domain/audit";
import { shanghaiDate } from "../../shared/domain/calendar";
import { viewCaseAsStaff } from "../../shared/app/views/case";

/**
 * The processing fee (信息处理费, 国办函〔2020〕109号) on the application workflow, as use cases
 * see it: run on the in-memory ports (tests/unit) and on DynamoDB Local with the SQS,
 * Scheduler and S3 stand-ins (tests/integration).
 */
/** `selection`: a connected run takes the cases the whole-stack e2e test does not walk over HTTP. */
export function processingFeeCases(name: string, make: () => Promise<Harness>, selection: CaseSelection = {}) {
  const { it, everySelectedNamed } = selectCases(selection);
  describe(`processing fees (${name})`, () => {
    const caseOf = (h: Harness, caseId: string) => h.deps.store.cases.get(caseId).then((c) => c!);
    const feeOf = async (h: Harness, caseId: string) => (await caseOf(h, caseId)).data as ApplicationData;
    const howToPay = "通过浙江省统一公共支付平台缴纳，或到行政服务中心一楼收费窗口缴纳";

    async function inHandling(h: Harness, overrides: Record<string, unknown> = {}) {
      const s = await submitApplication(h.deps, validApplication(overrides));
      await h.settle();
      await h.complete("office", s.caseId, "register", { outcome: "registered" });
      await h.complete("office", s.caseId, "review", { outcome: "complete" });
      return s;
    }

    /**
     * Earlier applications of the same applicant this month, as the intake index holds them
     * (one entry per application, keyed by the hashed ID number): `count` of them, submitted before now.
     */
    async function earlierApplications(h: Harness, applicantOf: string, count: number, tag: string) {
      const probe = await h.deps.store.cases.get(applicantOf);
      const d = probe!.data as ApplicationData;
      const key = applicantMonthKey(probe!.agencyCode, d.applicantKey, d.submittedOn.slice(0, 7));
      const base = new Date(d.submittedAt).getTime();
      await h.deps.store.commit(
        Array.from({ length: count }, (_, i) => ({
          kind: "signal" as const,
          signal: { key, caseId: `seed-${tag}-${i}`, at: new Date(base - (count - i) * 1000).toISOString(), reference: `SEED-${tag}-${i + 1}` },
        })),
      );
    }

    it("per application: the 10th is free, the 12th costs 100元, the 31st 200元 and the 45th 300元, explained; a letter with the same ID number counts", async () => {
      const h = await make();
      // the 1st application, online; 8 more; then the 10th, by letter, entered by the office
      const first = await inHandling(h);
      await earlierApplications(h, first.caseId, 8, "a");
      await h.advanceTo(new Date(h.clock.now().getTime() + 60_000));
      const letter = await enterApplication(h.deps, await h.signIn("office"), { ...validApplication(), channel: "letter", receivedOn: "2026-03-02" });
      await h.settle();
      // entered by the office, it is registered at once
      await h.complete("office", letter.caseId, "review", { outcome: "complete" });
      const tenth = await completeTask(h.deps, await h.signIn("office"), (await h.openTask(letter.caseId, "handle"))!.taskId, { outcome: "propose_fee", method: "per_application", howToPay }).catch((e) => e);
      expect(tenth).toBeInstanceOf(UnprocessableError);
      expect(tenth).toMatchObject({ code: "FEE_NOT_DUE" });
      expect(tenth.message).toContain("本件为本月第10件");

      // the 11th (index), then the 12th
      await h.advanceTo(new Date(h.clock.now().getTime() + 60_000));
      const twelfth = await submitApplication(h.deps, validApplication({ description: "第十二件申请的信息" }));
      await earlierApplications(h, twelfth.caseId, 1, "b");
      await h.settle();
      await h.complete("office", twelfth.caseId, "register", { outcome: "registered" });
      await h.complete("office", twelfth.caseId, "review", { outcome: "complete" });
      await h.complete("office", twelfth.caseId, "handle", { outcome: "propose_fee", method: "per_application", howToPay });
      const fee = (await feeOf(h, twelfth.caseId)).fee!;
      expect(fee).toMatchObject({ method: "per_application", amountYuan: 100, ordinals: { from: 12, to: 12 }, month: "2026-03" });
      expect(fee.counted!.map((c) => c.reference)).toContain(letter.trackingNumber);
      expect(fee.counted!.map((c) => c.reference)).toContain(first.trackingNumber);
      expect(fee.explanation.join("")).toContain("本件之前已有 11 件");
      expect(fee.explanation.join("")).toContain("第12件：第四条第（二）项");
      expect((await h.openTask(twelfth.caseId, "approve_fee"))?.role).toBe("deputy_leader");

      // the 31st and the 45th
      for (const [n, yuan] of [[31, 200], [45, 300]] as const) {
        await h.advanceTo(new Date(h.clock.now().getTime() + 60_000));
        const s = await submitApplication(h.deps, validApplication({ description: `第${n}件申请的信息` }));
        const before = n === 31 ? 31 - 13 : 45 - 32;
        await earlierApplications(h, s.caseId, before, `c${n}`);
        await h.settle();
        await h.complete("office", s.caseId, "register", { outcome: "registered" });
        await h.complete("office", s.caseId, "review", { outcome: "complete" });
        await h.complete("office", s.caseId, "handle", { outcome: "propose_fee", method: "per_application", howToPay });
        const f = (await feeOf(h, s.caseId)).fee!;
        expect(f.amountYuan).toBe(yuan);
        expect(f.ordinals).toEqual({ from: n, to: n });
        expect(f.explanation.join("")).toContain("第四条第（三）项");
      }
      // the staff case page explains the computation
      const view = await viewCaseAsStaff(h.deps, await h.signIn("office"), twelfth.caseId);
      expect(JSON.stringify(view)).toContain("本件之前已有 11 件");
    });

    /** A 12th application of the month (11 earlier ones): 100元 proposed, awaiting the deputy leader. */
    async function proposed(h: Harness, tag: string) {
      const s = await submitApplication(h.deps, validApplication());
      await earlierApplications(h, s.caseId, 11, tag);
      await h.settle();
      await h.complete("office", s.caseId, "register", { outcome: "registered" });
      await h.complete("office", s.caseId, "review", { outcome: "complete" });
      await h.complete("office", s.caseId, "handle", { outcome: "propose_fee", method: "per_application", howToPay });
      return s;
    }

    async function noticed(h: Harness) {
      const s = await proposed(h, "n");
      const dueBefore = (await caseOf(h, s.caseId)).deadlines.answer!.dueOn;
      const r = await h.complete("deputy", s.caseId, "approve_fee", { outcome: "approved" });
      expect(r.status).toBe("fee_notified");
      const c = await caseOf(h, s.caseId);
      expect(c.deadlines.answer?.paused).toBe(true);
      expect(c.deadlines.fee_payment?.dueOn).toBe((c.data as ApplicationData).fee!.paymentDueOn);
      expect(c.letters.at(-1)?.kind).toBe("fee_notice");
      const mail = h.sent.find((m) => m.to.includes("zhangsan@example.com") && m.subject.includes("信息处理费"));
      expect(mail?.attachments?.[0]?.filename).toMatch(/收费通知书.*\.docx$/);
      expect(mail?.text).toContain("100 元");
      return { s, dueBefore };
    }

    it("a notice paid in time: the clock waits from the notice to the payment, then handling continues and the reply follows", async () => {
      const h = await make();
      const { s, dueBefore } = await noticed(h);
      expect((await viewCaseAsApplicant(h.deps, s.trackingNumber, s.accessCode)).letters.map((l) => l.kind)).toContain("fee_notice");
      await h.advanceWorkingDays(5);
      const paidOn = shanghaiDate(h.clock.now());
      const office = await h.signIn("office");
      const task = (await h.openTask(s.caseId, "await_payment"))!;
      const wrong = await completeTask(h.deps, office, task.taskId, { outcome: "paid", amountYuan: 50, paidOn, receiptNumber: "浙财0001" }).catch((e) => e);
      expect(wrong).toBeInstanceOf(ValidationError);
      expect(wrong.fields[0].path).toBe("amountYuan");
      const r = await completeTask(h.deps, office, task.taskId, { outcome: "paid", amountYuan: 100, paidOn, receiptNumber: "浙财0001" });
      expect(r.status).toBe("in_progress");
      // a second delivery of the same completion changes nothing
      await expect(completeTask(h.deps, office, task.taskId, { outcome: "paid", amountYuan: 100, paidOn, receiptNumber: "浙财0001" })).rejects.toBeInstanceOf(ConflictError);
      let c = await caseOf(h, s.caseId);
      expect(c.deadlines.answer?.paused).toBe(false);
      expect(c.deadlines.fee_payment?.stopped).toMatchObject({ reason: "已缴纳信息处理费" });
      // the 5 working days of waiting are not counted: the answer is due 5 working days later than before
      expect(c.deadlines.answer!.dueOn).toBe((await h.deps.calendar()).addWorkingDays(dueBefore, 5).date);
      expect((c.data as ApplicationData).fee!.paid).toMatchObject({ amountYuan: 100, paidOn, receiptNumber: "浙财0001" });
      await h.settle();
      // the payment period passing later fires nothing
      await h.advanceWorkingDays(16);
      expect((await caseOf(h, s.caseId)).status).toBe("in_progress");
      await h.complete("office", s.caseId, "handle", { outcome: "propose_reply", replyType: "disclosed", reasons: "属于可以公开的政府信息" });
      expect((await h.complete("deputy", s.caseId, "sign_off", { outcome: "signed" })).status).toBe("replied");
      c = await caseOf(h, s.caseId);
      expect(c.letters.map((l) => l.kind)).toEqual(["registration_receipt", "fee_notice", "reply_disclosed"]);
      expect((await h.scheduleNames()).filter((n) => n.includes(s.caseId))).toEqual([]);
      expect(verifyChain(await h.deps.store.cases.events(s.caseId))).toBeUndefined();
      expect((await narrativeFacts(h.deps, c.agencyCode, 2026)).fees).toEqual({ notices: 1, noticedYuan: 100, collected: 1, collectedYuan: 100 });
    });

    it("a notice unpaid: the timer closes the case as fee_unpaid after 20 working days, counted in （六）2 and section 六", async () => {
      const h = await make();
      const { s } = await noticed(h);
      const dueOn = (await feeOf(h, s.caseId)).fee!.paymentDueOn!;
      await h.advanceWorkingDays(19);
      expect((await caseOf(h, s.caseId)).status).toBe("fee_notified");
      await h.advanceWorkingDays(2);
      const c = await caseOf(h, s.caseId);
      expect(c.status).toBe("fee_unpaid");
      expect(c.result).toMatchObject({ cell: "6.2", replyType: "fee_unpaid" });
      expect(c.letters.map((l) => l.kind)).toEqual(["registration_receipt", "fee_notice", "reply_fee_unpaid"]);
      expect(h.sent.some((m) => m.to.includes("zhangsan@example.com") && m.subject.includes("视为放弃") && m.attachments?.length === 1)).toBe(true);
      expect((await h.deps.store.tasks.ofCase(s.caseId)).filter((t) => t.status === "open")).toEqual([]);
      expect((await h.scheduleNames()).filter((n) => n.includes(s.caseId))).toEqual([]);
      expect(c.result!.closedOn > dueOn).toBe(true);

      // replaying every message changes nothing
      const before = { c, events: await h.deps.store.cases.events(s.caseId), mails: h.sent.length };
      for (const m of [...h.consumed]) await h.consume(m.queue, m.body);
      expect(await caseOf(h, s.caseId)).toEqual(before.c);
      expect(await h.deps.store.cases.events(s.caseId)).toEqual(before.events);
      expect(h.sent.length).toBe(before.mails);

      const report = await annualReport(h.deps, c.agencyCode, 2026);
      const row = report.applications.rows.find((r) => r.label.startsWith("2.申请人逾期未按收费通知"))!;
      expect(row.values.at(-1)).toBe(1);
      const other = (await annualNarrative(h.deps, report)).find((x) => x.key === "other")!;
      expect(other.text).toContain("本年度发出收费通知 1 件，总金额 100 元；实际收取信息处理费 0 件，总金额 0 元");
      expect(other.text).toContain("不再处理的申请 1 件");
    });

    it("the notice goes out within the answer period: once it has run out, neither the proposal nor the approval can charge a fee", async () => {
      const h = await make();
      const s = await proposed(h, "late");
      const dueOn = (await caseOf(h, s.caseId)).deadlines.answer!.dueOn;
      // the deputy leader lets the approval lie until the answer period is over
      await h.advanceWorkingDays(21);
      expect(shanghaiDate(h.clock.now()) > dueOn).toBe(true);
      const approval = await completeTask(h.deps, await h.signIn("deputy"), (await h.openTask(s.caseId, "approve_fee"))!.taskId, { outcome: "approved" }).catch((e) => e);
      expect(approval).toBeInstanceOf(UnprocessableError);
      expect(approval).toMatchObject({ code: "FEE_NOTICE_TOO_LATE" });
      expect(approval.message).toContain(dueOn);
      const c = await caseOf(h, s.caseId);
      expect(c.letters.map((l) => l.kind)).not.toContain("fee_notice");
      expect(c.deadlines.fee_payment).toBeUndefined();

      // returned to handling, a new proposal is refused the same way
      await h.complete("deputy", s.caseId, "approve_fee", { outcome: "returned", note: "答复期限已届满，不再收费" });
      const again = await completeTask(h.deps, await h.signIn("office"), (await h.openTask(s.caseId, "handle"))!.taskId, { outcome: "propose_fee", method: "per_application", howToPay }).catch((e) => e);
      expect(again).toMatchObject({ code: "FEE_NOTICE_TOO_LATE" });
    });

    it("by volume: 30 pages free, then 10, 20 and 40元 a page; one method only; a waiver for hardship is recorded with its reason", async () => {
      const h = await make();
      const s = await inHandling(h);
      const office = await h.signIn("office");
      const handle = async () => (await h.openTask(s.caseId, "handle"))!.taskId;
      const free = await completeTask(h.deps, office, await handle(), { outcome: "propose_fee", method: "per_volume", pages: 30, howToPay }).catch((e) => e);
      expect(free).toMatchObject({ code: "FEE_NOT_DUE" });
      const both = await completeTask(h.deps, office, await handle(), { outcome: "propose_fee", method: "per_volume", pages: 250, units: 2, howToPay }).catch((e) => e);
      expect(both).toBeInstanceOf(ValidationError);
      expect(both.fields[0].path).toBe("units");
      const noReason = await completeTask(h.deps, office, await handle(), { outcome: "propose_fee", method: "per_volume", pages: 250, exemptToYuan: 0, howToPay }).catch((e) => e);
      expect(noReason.fields[0].path).toBe("exemptionReason");

      // the deputy leader may send a proposal back
      await h.complete("office", s.caseId, "handle", { outcome: "propose_fee", method: "per_volume", pages: 250, howToPay });
      await h.complete("deputy", s.caseId, "approve_fee", { outcome: "returned", note: "请核实申请人是否为低保对象" });
      expect((await h.openTask(s.caseId, "handle"))?.note).toContain("请核实申请人是否为低保对象");
      expect((await feeOf(h, s.caseId)).fee).toBeUndefined();

      await h.complete("office", s.caseId, "handle", { outcome: "propose_fee", method: "per_volume", pages: 250, howToPay, exemptionReason: "申请人为城乡最低生活保障对象，确有经济困难", exemptToYuan: 0 });
      const fee = (await feeOf(h, s.caseId)).fee!;
      // 70 × 10 + 100 × 20 + 50 × 40
      expect(fee.standardYuan).toBe(4700);
      expect(fee.lines.map((l) => [l.units, l.rate])).toEqual([[30, 0], [70, 10], [100, 20], [50, 40]]);
      expect(fee.amountYuan).toBe(0);
      await h.complete("deputy", s.caseId, "approve_fee", { outcome: "approved" });
      const c = await caseOf(h, s.caseId);
      expect((c.data as ApplicationData).fee).toMatchObject({ waivedOn: expect.any(String), exemption: { reason: "申请人为城乡最低生活保障对象，确有经济困难", toYuan: 0 } });
      expect(c.deadlines.answer?.paused).toBe(false);
      expect(c.deadlines.fee_payment).toBeUndefined();
      expect(c.letters.map((l) => l.kind)).toEqual(["registration_receipt"]);
      expect(await h.openTask(s.caseId, "handle")).toBeDefined();
      // once decided, no second fee for the same application
      const again = await completeTask(h.deps, office, await handle(), { outcome: "propose_fee", method: "per_volume", pages: 250, howToPay }).catch((e) => e);
      expect(again).toBeInstanceOf(ConflictError);
      expect((await h.deps.store.cases.events(s.caseId)).map((e) => e.type)).toEqual(expect.arrayContaining(["fee.proposed", "fee.waived"]));
    });
    everySelectedNamed();
  });
}
