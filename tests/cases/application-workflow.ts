import { describe, expect } from "vitest";
import { selectCases, type CaseSelection } from "../support/case-selection";
import type { Harness } from "../support/harness";
import { validApplication } from "../support/app";
import { submitApplication } from "../../shared/app/applications/intake";
import { submitCorrection, viewCaseAsApplicant } from "../../shared/app/applications/applicant";
import { enterApplication } from "../../shared/app/applications/intake";
import { completeTask } from "../../shared/app/engine/complete-task";
import { viewCaseAsStaff } from "../../shared/app/views/case";
import { listMyOpenTasks } from "../../shared/app/views/tasks";
import { ConflictError, ForbiddenError, UnprocessableError, ValidationError } from "../../shared/app/errors";
import { verifyChain } from "../../shared/domain/audit";
import { DeadlineRuleError } from "../../shared/domain/deadlines";

/**
 * The application workflow's paths, as use cases see them. Run offline on the
 * in-memory ports (tests/unit) and connected on DynamoDB Local, SQS, the Scheduler
 * and S3 stand-ins (tests/integration) — the same cases, word for word.
 */
/** `selection`: a connected run takes the cases the whole-stack e2e test does not walk over HTTP. */
export function applicationWorkflowCases(name: string, make: () => Promise<Harness>, selection: CaseSelection = {}) {
  const { it, everySelectedNamed } = selectCases(selection);
  describe(`application workflow (${name})`, () => {
    async function registered(h: Harness, overrides: Record<string, unknown> = {}) {
      const submitted = await submitApplication(h.deps, validApplication(overrides));
      await h.settle();
      await h.complete("office", submitted.caseId, "register", { outcome: "registered" });
      return submitted;
    }
    async function inHandling(h: Harness, overrides: Record<string, unknown> = {}) {
      const s = await registered(h, overrides);
      await h.complete("office", s.caseId, "review", { outcome: "complete" });
      return s;
    }
    const caseOf = (h: Harness, caseId: string) => h.deps.store.cases.get(caseId).then((c) => c!);
    const mailsTo = (h: Harness, address: string) => h.sent.filter((m) => m.to.includes(address));

    it("discloses: register → review → handle → sign-off, one reply letter, report cell （一）, nothing left scheduled", async () => {
      const h = await make();
      const s = await submitApplication(h.deps, validApplication());
      await h.settle();
      // the applicant's receipt at submission, the office's task mail
      expect(mailsTo(h, "zhangsan@example.com").map((m) => m.subject)).toEqual([expect.stringContaining("已收到您的政府信息公开申请")]);
      expect((await h.openTask(s.caseId, "register"))?.dueOn).toBe("2026-03-03");

      await h.complete("office", s.caseId, "register", { outcome: "registered" });
      let c = await caseOf(h, s.caseId);
      expect(c.status).toBe("registered");
      expect(c.deadlines.answer?.dueOn).toBe("2026-03-30");
      expect(c.letters.map((l) => l.kind)).toEqual(["registration_receipt"]);
      const receipt = mailsTo(h, "zhangsan@example.com").find((m) => m.subject.includes("已受理登记"));
      expect(receipt?.attachments?.[0]?.filename).toMatch(/受理回执.*\.docx$/);

      await h.complete("office", s.caseId, "review", { outcome: "complete" });
      await h.complete("office", s.caseId, "handle", { outcome: "propose_reply", replyType: "disclosed", reasons: "属于可以公开的政府信息" });
      const result = await h.complete("deputy", s.caseId, "sign_off", { outcome: "signed" });
      expect(result.status).toBe("replied");
      c = await caseOf(h, s.caseId);
      expect(c.result).toMatchObject({ cell: "1", replyType: "disclosed" });
      expect(c.letters.map((l) => l.kind)).toEqual(["registration_receipt", "reply_disclosed"]);
      expect((await h.deps.store.tasks.ofCase(s.caseId)).filter((t) => t.status === "open")).toEqual([]);
      const reply = mailsTo(h, "zhangsan@example.com").find((m) => m.subject.includes("已答复"));
      expect(reply?.attachments).toHaveLength(1);
      expect(Buffer.from(reply!.attachments![0]!.content).subarray(0, 2).toString()).toBe("PK");
      // every timer of the case's tasks and deadlines was deleted
      expect((await h.scheduleNames()).filter((n) => n.includes(s.caseId))).toEqual([]);
      expect(verifyChain(await h.deps.store.cases.events(s.caseId))).toBeUndefined();

      // the applicant sees the reply and may download it
      const view = await viewCaseAsApplicant(h.deps, s.trackingNumber, s.accessCode);
      expect(view).toMatchObject({ status: "replied", result: { replyType: "disclosed" } });
      expect(view.letters.map((l) => l.kind)).toEqual(["registration_receipt", "reply_disclosed"]);
    });

    it("refuses by role (403) and by state (409); the step's outcomes are the only choices (400)", async () => {
      const h = await make();
      const s = await registered(h);
      const review = (await h.openTask(s.caseId, "review"))!;
      await expect(completeTask(h.deps, await h.signIn("deputy"), review.taskId, { outcome: "complete" })).rejects.toBeInstanceOf(ForbiddenError);
      const bad = await completeTask(h.deps, await h.signIn("office"), review.taskId, { outcome: "signed" }).catch((e) => e);
      expect(bad).toBeInstanceOf(ValidationError);
      expect(bad.fields[0].path).toBe("outcome");
      await h.complete("office", s.caseId, "review", { outcome: "complete" });
      await expect(completeTask(h.deps, await h.signIn("office"), review.taskId, { outcome: "complete" })).rejects.toBeInstanceOf(ConflictError);
    });

    it("two staff completing the same task at once: one succeeds, the other gets 409, the case has one transition", async () => {
      const h = await make();
      const s = await submitApplication(h.deps, validApplication());
      await h.settle();
      const task = (await h.openTask(s.caseId, "register"))!;
      const before = (await h.deps.store.cases.events(s.caseId)).length;
      const results = await Promise.allSettled([
        completeTask(h.deps, await h.signIn("office"), task.taskId, { outcome: "registered" }),
        completeTask(h.deps, await h.signIn("director"), task.taskId, { outcome: "registered" }).catch(async (e) => {
          // the director may act only once escalated: make both callers office staff
          if (e instanceof ForbiddenError) return completeTask(h.deps, await h.signIn("office"), task.taskId, { outcome: "registered" });
          throw e;
        }),
      ]);
      const ok = results.filter((r) => r.status === "fulfilled");
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      expect(ok).toHaveLength(1);
      expect(failed).toHaveLength(1);
      expect(failed[0]!.reason).toBeInstanceOf(ConflictError);
      const events = await h.deps.store.cases.events(s.caseId);
      expect(events.length - before).toBe(1);
      expect(events.filter((e) => e.type === "application.registered")).toHaveLength(1);
    });

    it("correction then answer: the notice names every item, the answer period restarts from the corrected receipt", async () => {
      const h = await make();
      const s = await registered(h);
      await h.complete("office", s.caseId, "review", { outcome: "needs_correction", items: ["请明确所需信息的年份", "请提供文件名称"], correctionWorkingDays: 5 });
      await h.complete("deputy", s.caseId, "approve_correction", { outcome: "approved" });
      let c = await caseOf(h, s.caseId);
      expect(c.status).toBe("correction_requested");
      expect(c.deadlines.answer?.paused).toBe(true);
      expect(c.deadlines.correction?.dueOn).toBe("2026-03-09");
      const notice = c.letters.find((l) => l.kind === "correction_notice")!;
      const html = new TextDecoder().decode((await h.deps.files.get(notice.files.html))!.body);
      expect(html).toContain("请明确所需信息的年份");
      expect(html).toContain("请提供文件名称");
      // a second notice is refused (art. 30: once)
      await h.advanceWorkingDays(2);
      await submitCorrection(h.deps, s.trackingNumber, s.accessCode, "127.0.0.1", { description: "2025年度窗口服务满意度调查报告全文", documentTitle: "满意度调查报告", note: "已补充" });
      await h.settle();
      c = await caseOf(h, s.caseId);
      expect(c.status).toBe("under_review");
      // corrected on Wed 2026-03-04: 20 working days from then
      expect(c.deadlines.answer).toMatchObject({ paused: false, dueOn: "2026-04-01" });
      expect((c.data as any).application.documentTitle).toBe("满意度调查报告");
      const review = (await h.openTask(s.caseId, "review"))!;
      expect(review.round).toBe(2);
      const again = await completeTask(h.deps, await h.signIn("office"), review.taskId, { outcome: "needs_correction", items: ["x"], correctionWorkingDays: 3 }).catch((e) => e);
      expect(again).toBeInstanceOf(ConflictError);
      await h.complete("office", s.caseId, "review", { outcome: "complete" });
      await h.complete("office", s.caseId, "handle", { outcome: "propose_reply", replyType: "cannot_provide", ground: "unclear_after_correction", reasons: "补正后仍不明确" });
      await h.complete("deputy", s.caseId, "sign_off", { outcome: "signed" });
      expect((await caseOf(h, s.caseId)).result?.cell).toBe("4.3");
    });

    it("correction ignored: the timer closes the case as withdrawn （六）1, and a late correction gets 422", async () => {
      const h = await make();
      const s = await registered(h);
      await h.complete("office", s.caseId, "review", { outcome: "needs_correction", items: ["请说明所需信息的具体内容"], correctionWorkingDays: 3 });
      await h.complete("deputy", s.caseId, "approve_correction", { outcome: "approved" });
      await h.advanceWorkingDays(4);
      const c = await caseOf(h, s.caseId);
      expect(c.status).toBe("withdrawn");
      expect(c.result).toMatchObject({ cell: "6.1", replyType: "withdrawn" });
      expect(c.letters.map((l) => l.kind)).toContain("reply_withdrawn");
      await expect(submitCorrection(h.deps, s.trackingNumber, s.accessCode, "127.0.0.1", { note: "晚了" })).rejects.toBeInstanceOf(UnprocessableError);
      expect((await h.scheduleNames()).filter((n) => n.includes(s.caseId))).toEqual([]);
    });

    it("third-party consultation pauses the answer clock until the answer; an objection needs a public-interest reason to disclose", async () => {
      const h = await make();
      const s = await inHandling(h);
      const due = (await caseOf(h, s.caseId)).deadlines.answer!.dueOn;
      await h.complete("office", s.caseId, "handle", { outcome: "consult_third_party", party: "某某科技有限公司", matters: "拟公开的合同中涉及该公司的报价" });
      let c = await caseOf(h, s.caseId);
      expect(c.deadlines.answer?.paused).toBe(true);
      expect(c.letters.at(-1)?.kind).toBe("third_party_consultation");
      await h.advanceWorkingDays(5);
      await h.complete("office", s.caseId, "third_party_answer", { outcome: "answered", opinion: "object", summary: "涉及商业秘密" });
      c = await caseOf(h, s.caseId);
      expect(c.deadlines.answer?.paused).toBe(false);
      // five working days of waiting do not count
      expect(c.deadlines.answer!.dueOn > due).toBe(true);
      const handle = (await h.openTask(s.caseId, "handle"))!;
      const refused = await completeTask(h.deps, await h.signIn("office"), handle.taskId, { outcome: "propose_reply", replyType: "disclosed", reasons: "公开" }).catch((e) => e);
      expect(refused).toBeInstanceOf(ValidationError);
      expect(refused.fields[0].path).toBe("publicInterestReason");
      await h.complete("office", s.caseId, "handle", { outcome: "propose_reply", replyType: "disclosed", reasons: "公开", publicInterestReason: "涉及重大公共利益" });
      await h.complete("deputy", s.caseId, "sign_off", { outcome: "signed" });
      expect((await caseOf(h, s.caseId)).letters.map((l) => l.kind)).toEqual(expect.arrayContaining(["reply_disclosed", "third_party_disclosure_notice"]));
    });

    it("an agency's silence is consent: once its 15 working days pass the office records it and handling resumes", async () => {
      const h = await make();
      const s = await inHandling(h);
      await h.complete("office", s.caseId, "handle", { outcome: "consult_agency", agencyName: "黄岩区自然资源局", matters: "该批复由双方共同制作" });
      const early = await completeTask(h.deps, await h.signIn("office"), (await h.openTask(s.caseId, "agency_answer"))!.taskId, { outcome: "no_answer" }).catch((e) => e);
      expect(early).toBeInstanceOf(ConflictError);
      await h.advanceWorkingDays(16);
      // past the limit the task reminds and escalates; the office records the silence
      expect(h.sent.some((m) => m.subject.includes("【督办】登记其他机关意见"))).toBe(true);
      await h.complete("office", s.caseId, "agency_answer", { outcome: "no_answer" });
      const c = await caseOf(h, s.caseId);
      expect((c.data as any).consultations[0]).toMatchObject({ silent: true, opinion: "agree" });
      expect(c.deadlines.answer?.paused).toBe(false);
      expect(await h.openTask(s.caseId, "handle")).toBeDefined();
      expect((await h.deps.store.cases.events(s.caseId)).some((e) => e.summary.includes("视为同意"))).toBe(true);
    });

    it("extension then answer by day 40; a second extension is refused", async () => {
      const h = await make();
      const s = await inHandling(h);
      await h.complete("office", s.caseId, "handle", { outcome: "request_extension", reason: "需要调取档案", workingDays: 20 });
      await h.complete("deputy", s.caseId, "approve_extension", { outcome: "approved" });
      const c = await caseOf(h, s.caseId);
      expect(c.status).toBe("extended");
      expect(c.deadlines.answer?.dueOn).toBe("2026-04-28");
      expect(c.letters.at(-1)?.kind).toBe("extension_notice");
      const handle = (await h.openTask(s.caseId, "handle"))!;
      const second = await completeTask(h.deps, await h.signIn("office"), handle.taskId, { outcome: "request_extension", reason: "再延", workingDays: 5 }).catch((e) => e);
      expect(second instanceof ConflictError || second instanceof DeadlineRuleError).toBe(true);
      await h.advanceWorkingDays(30);
      await h.complete("office", s.caseId, "handle", { outcome: "propose_reply", replyType: "not_disclosed", ground: "process_information", reasons: "过程性信息" });
      await h.complete("deputy", s.caseId, "sign_off", { outcome: "signed" });
      expect((await caseOf(h, s.caseId)).result?.cell).toBe("3.6");
    });

    it("secrecy review: the director refers a doubtful case outside, records the answer, and handling resumes", async () => {
      const h = await make();
      const s = await inHandling(h);
      await h.complete("office", s.caseId, "handle", { outcome: "request_secrecy_review", note: "含有会议纪要" });
      const first = (await h.openTask(s.caseId, "secrecy_review"))!;
      expect(first.role).toBe("office_director");
      await h.complete("director", s.caseId, "secrecy_review", { outcome: "refer_outside", authority: "区政府保密工作部门" });
      const second = (await h.openTask(s.caseId, "secrecy_review"))!;
      expect(second.round).toBe(2);
      const cleared = await completeTask(h.deps, await h.signIn("director"), second.taskId, { outcome: "cleared" }).catch((e) => e);
      expect(cleared).toBeInstanceOf(ConflictError);
      await h.complete("director", s.caseId, "secrecy_review", { outcome: "outside_answer", decision: "partly", summary: "第二部分涉密，其余可公开" });
      const c = await caseOf(h, s.caseId);
      expect((c.data as any).secrecy).toMatchObject({ decision: "outside_answered", authority: "区政府保密工作部门", outside: { decision: "partly" } });
      expect((await h.openTask(s.caseId, "handle"))?.note).toContain("第二部分涉密");
    });

    it("sign-off returned goes back to handle with the note, then signed", async () => {
      const h = await make();
      const s = await inHandling(h);
      await h.complete("office", s.caseId, "handle", { outcome: "propose_reply", replyType: "other_agency", agencyName: "黄岩区教育局", agencyContact: "0576-12345678", reasons: "该信息由教育局制作" });
      await h.complete("deputy", s.caseId, "sign_off", { outcome: "returned", note: "请核实联系方式" });
      const handle = (await h.openTask(s.caseId, "handle"))!;
      expect(handle).toMatchObject({ round: 2, note: expect.stringContaining("请核实联系方式") });
      await h.complete("office", s.caseId, "handle", { outcome: "propose_reply", replyType: "other_agency", agencyName: "黄岩区教育局", agencyContact: "0576-87654321", reasons: "该信息由教育局制作" });
      await h.complete("deputy", s.caseId, "sign_off", { outcome: "signed" });
      expect((await caseOf(h, s.caseId)).result?.cell).toBe("4.1");
    });

    it("a stalled task reminds, then escalates to the director (督办), who may then act on it", async () => {
      const h = await make();
      const s = await registered(h);
      await h.complete("office", s.caseId, "review", { outcome: "complete" });
      const handle = (await h.openTask(s.caseId, "handle"))!;
      await h.advanceWorkingDays(4);
      expect(h.sent.some((m) => m.subject.includes("【提醒】办理"))).toBe(true);
      await h.advanceWorkingDays(4);
      const escalated = (await h.deps.store.tasks.get(handle.taskId))!;
      expect(escalated).toMatchObject({ escalationLevel: 1, escalatedTo: ["office_director"] });
      expect(h.sent.some((m) => m.subject.includes("【督办】") && m.to.some((t) => t.startsWith("director.")))).toBe(true);
      expect((await caseOf(h, s.caseId)).flags).toContain("overdue");
      const directorTasks = await listMyOpenTasks(h.deps, await h.signIn("director"));
      expect(directorTasks.find((t) => t.taskId === handle.taskId)).toMatchObject({ supervising: true });
      // a reminder that arrives after the due moment says nothing
      const stale = h.sent.filter((m) => m.subject.includes("今天是办理期限的最后一个工作日") && m.subject.includes(s.trackingNumber));
      expect(stale.length).toBeLessThanOrEqual(1);
    });

    it("a letter entered by staff with registered-mail receipt: the receipt day is the day signed for, registered at once", async () => {
      const h = await make();
      const office = await h.signIn("office");
      await h.advanceTo(new Date("2026-03-04T02:00:00.000Z"));
      const entered = await enterApplication(h.deps, office, { ...validApplication(), channel: "registered_mail", receivedOn: "2026-03-04", signedForOn: "2026-03-03" });
      await h.settle();
      expect(entered).toMatchObject({ status: "registered", receivedOn: "2026-03-03" });
      const c = await caseOf(h, entered.caseId);
      expect(c.deadlines.answer?.dueOn).toBe("2026-03-31");
      expect(await h.openTask(entered.caseId, "review")).toBeDefined();
      expect(c.letters.map((l) => l.kind)).toEqual(["registration_receipt"]);
    });

    it("replaying every message a second time changes no state and sends no email", async () => {
      const h = await make();
      const s = await inHandling(h);
      await h.complete("office", s.caseId, "handle", { outcome: "propose_reply", replyType: "not_processed", ground: "repeated", reasons: "重复申请" });
      await h.advanceWorkingDays(4);
      await h.complete("deputy", s.caseId, "sign_off", { outcome: "signed" });
      const before = { c: await caseOf(h, s.caseId), tasks: await h.deps.store.tasks.ofCase(s.caseId), events: await h.deps.store.cases.events(s.caseId), mails: h.sent.length };
      for (const m of [...h.consumed]) await h.consume(m.queue, m.body);
      expect(await caseOf(h, s.caseId)).toEqual(before.c);
      expect(await h.deps.store.tasks.ofCase(s.caseId)).toEqual(before.tasks);
      expect(await h.deps.store.cases.events(s.caseId)).toEqual(before.events);
      expect(h.sent.length).toBe(before.mails);
    });

    it("the staff case view explains every deadline with names and Beijing time, masked for the auditor", async () => {
      const h = await make();
      const s = await registered(h);
      const view = await viewCaseAsStaff(h.deps, await h.signIn("office"), s.caseId);
      const answer = view.deadlines.find((d) => d.name === "answer")!;
      expect(answer.explanation.join("\n")).toContain("办公室 王敏");
      expect(answer.explanation.join("\n")).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} 北京时间/);
      expect(answer.workingDaysLeft).toBe(20);
      const audited = await viewCaseAsStaff(h.deps, await h.signIn("auditor"), s.caseId);
      expect(audited.showPersonalData).toBe(false);
      expect(JSON.stringify(audited.case)).not.toContain("110101199003074514");
    });
    everySelectedNamed();
  });
}
