import { describe, expect, it, vi } from "vitest";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import type { Harness } from "../support/harness";
import { submitConsultation } from "../../shared/app/consultations/submit";
import { commentRateLimits, listConsultations, submitComment, viewConsultation } from "../../shared/app/consultations/public";
import { submitDocument } from "../../shared/app/publishing/submit";
import { interpretationCaseIdOf } from "../../shared/app/interpretations/open";
import { uninterpretedDocumentsOf } from "../../shared/app/interpretations/flag";
import { entryRelations } from "../../shared/app/interpretations/links";
import { forgetCatalogue } from "../../shared/app/catalogue/read";
import { viewCaseAsStaff } from "../../shared/app/views/case";
import { workflowSections } from "../../shared/ui/console/publishing";
import { weeklyReportBody } from "../../shared/ui/console/weekly-report";
import { weeklyRiskReport } from "../../shared/app/reports/weekly";
import { completeTask } from "../../shared/app/engine/complete-task";
import { shanghaiDate, shanghaiInstant } from "../../shared/domain/calendar";
import { verifyChain } from "../../shared/domain/audit";
import type { ConsultationData } from "../../shared/domain/workflows/consultation/data";
import type { InterpretationData } from "../../shared/domain/workflows/interpretation/definition";
import type { DocumentData } from "../../shared/domain/workflows/document/definition";
import { documentBody } from "./publishing-workflow";
import { createHttpHandler } from "../../shared/http/http";
import { renderErrorPage } from "../../shared/http/error-pages";
import { consolePageRoutes } from "../../functions/http/staff-console";
import { signIn } from "../../shared/app/auth";
import { DEMO_PASSWORD } from "../../shared/app/seed-demo";

/**
 * Normative documents (SPEC §3.4, §3.5, §7.3): public consultation on a draft — its
 * period in working days across a holiday with 调休, the comment form closed by its timer,
 * personal data held back, dispositions, feedback mail and the published summary, the
 * 第十三条 gate and the generated drafting explanation — and the policy interpretation
 * opened by the document's issue, approved, published and linked both ways. Offline on
 * in-memory ports and connected on the stand-ins, word for word.
 *
 * The harness clock starts on 2026-09-30 (Wednesday, 09:30 Beijing): National Day runs
 * 10-01 … 10-07 and Saturday 10-10 is a make-up working day (国办发明电〔2025〕7号).
 */
export const CONSULTATION_CLOCK_START = "2026-09-30T01:30:00.000Z";

/** A resident ID number with a valid check digit (GB 11643). */
const VALID_ID = "11010519491231002X";

export const consultationBody = (overrides: Record<string, unknown> = {}) => ({
  title: "黄岩区行政服务中心政务服务好差评管理办法",
  draft: "第一条 为规范政务服务评价工作，制定本办法。\n第二条 本办法适用于区行政服务中心各窗口。",
  explanation: {
    necessity: "落实政务服务好差评制度，规范评价和整改。",
    problems: "差评整改不及时、回访不到位。",
    measures: "建立差评核实、整改、回访闭环。",
    process: "依据《政务服务评价工作指南》起草，已征求各科室意见。",
  },
  situations: [],
  publicInterest: false,
  sectorInterests: false,
  section: "综合科",
  ...overrides,
});

export function consultationWorkflowCases(name: string, make: () => Promise<Harness>) {
  describe(`normative documents (${name})`, () => {
    const agency = "001008010002002";
    const dataOf = async (h: Harness, caseId: string) => (await h.deps.store.cases.get(caseId))!.data as unknown as ConsultationData;

    it("runs a consultation of exactly 7 working days across National Day and its 调休, closes the form at the end of the last day, and gates the submission until everything is done", async () => {
      const h = await make();
      const s = await submitConsultation(h.deps, await h.signIn("section"), consultationBody({ situations: ["reward_support"] }));
      await h.settle();
      expect(s.status).toBe("awaiting_publication");
      expect(shanghaiDate(h.clock.now())).toBe("2026-09-30");

      // the gate before anything happened: each missing part is named
      const gate = (await h.deps.store.tasks.ofCase(s.caseId)).find((t) => t.step === "submit_for_review" && t.status === "open")!;
      await expect(completeTask(h.deps, await h.signIn("section"), gate.taskId, { outcome: "submit" })).rejects.toMatchObject({
        status: 409,
        code: "CONSULTATION_INCOMPLETE",
        fields: expect.arrayContaining([expect.objectContaining({ path: "period" }), expect.objectContaining({ path: "expert" })]),
      });

      // the office sees the closing date before publishing
      expect((await h.openTask(s.caseId, "publish_consultation"))!.note).toContain("7 个工作日截至 2026-10-15");

      // a shorter period than 7 wd is refused and nothing changes
      await expect(h.complete("office", s.caseId, "publish_consultation", { outcome: "publish", workingDays: 6 })).rejects.toMatchObject({ status: 400, fields: [expect.objectContaining({ path: "workingDays" })] });
      expect((await h.deps.store.cases.get(s.caseId))!.status).toBe("awaiting_publication");

      await h.complete("office", s.caseId, "publish_consultation", { outcome: "publish", workingDays: 7, units: "区财政局\n区市场监管局" });
      const published = await viewConsultation(h.deps, s.caseId);
      // 10-08, 10-09, 10-10 (调休 Saturday), 10-12, 10-13, 10-14, 10-15
      expect(published).toMatchObject({ opensOn: "2026-09-30", closesOn: "2026-10-15", status: "open", workingDays: 7, title: consultationBody().title });
      expect(published.url).toMatch(new RegExp(`/consultations/${s.caseId}$`));
      expect((await listConsultations(h.deps, { agencyCode: agency, status: "open" })).map((c) => c.caseId)).toContain(s.caseId);

      // comments: one to be turned down with an email for feedback, one holding a resident ID and a phone number
      expect(await submitComment(h.deps, s.caseId, { text: "建议把回访时限定为3个工作日。", name: "张三", contact: "zhangsan@example.cn" }, "203.0.113.5")).toEqual({ commentId: "C1", held: false });
      const held = await submitComment(h.deps, s.caseId, { text: `我是市民，身份证 ${VALID_ID}，电话 13812345678，建议增加夜间窗口。` }, "203.0.113.6");
      expect(held).toEqual({ commentId: "C2", held: true });
      await expect(submitComment(h.deps, s.caseId, { text: "" })).rejects.toMatchObject({ status: 400, fields: [expect.objectContaining({ path: "text" })] });

      // the last day, late in the evening: still open
      await h.advanceTo(shanghaiInstant("2026-10-15", "23:30"));
      expect((await viewConsultation(h.deps, s.caseId)).status).toBe("open");
      expect((await submitComment(h.deps, s.caseId, { text: "支持出台。" })).commentId).toBe("C3");

      // the day after: the timer closed the form, a comment is refused with a clear message
      await h.advanceTo(shanghaiInstant("2026-10-16", "09:00"));
      const closedCase = await h.deps.store.cases.get(s.caseId);
      expect(closedCase!.status).toBe("disposing");
      await expect(submitComment(h.deps, s.caseId, { text: "还来得及吗？" })).rejects.toMatchObject({ status: 409, code: "CONSULTATION_CLOSED", message: expect.stringContaining("2026-10-15") });
      expect((await listConsultations(h.deps, { agencyCode: agency, status: "closed" })).map((c) => c.caseId)).toContain(s.caseId);

      // a unit's written reply (第六条)
      await h.complete("section", s.caseId, "dispose_comments", { outcome: "reply_received", unit: "区财政局", receivedOn: "2026-10-14", summary: "无意见" });

      // the summary waits for every disposition
      await expect(h.complete("section", s.caseId, "dispose_comments", { outcome: "publish_summary" })).rejects.toMatchObject({ status: 409 });
      await h.complete("section", s.caseId, "dispose_comments", { outcome: "dispose", commentId: "C1", decision: "not_adopted", reason: "回访时限已由上级规定" });
      await expect(h.complete("section", s.caseId, "dispose_comments", { outcome: "dispose", commentId: "C2", decision: "not_adopted" })).rejects.toMatchObject({ status: 400, fields: [expect.objectContaining({ path: "reason" })] });
      await h.complete("section", s.caseId, "dispose_comments", { outcome: "dispose", commentId: "C2", decision: "adopted" });
      await h.complete("section", s.caseId, "dispose_comments", { outcome: "dispose", commentId: "c3", decision: "partly_adopted", reason: "部分内容已在其他文件规定" });
      const sentBefore = h.sent.length;
      await h.complete("section", s.caseId, "dispose_comments", { outcome: "publish_summary" });
      const feedback = h.sent.slice(sentBefore).filter((m) => m.to.includes("zhangsan@example.cn"));
      expect(feedback).toHaveLength(1);
      expect(feedback[0]!.text).toContain("回访时限已由上级规定");

      // the public summary: counts, reasons, personal data never shown, no names or contacts
      const summary = (await viewConsultation(h.deps, s.caseId)).summary!;
      expect(summary).toMatchObject({ adopted: 1, partlyAdopted: 1, notAdopted: 1 });
      const publicText = JSON.stringify(await viewConsultation(h.deps, s.caseId));
      expect(publicText).not.toContain(VALID_ID);
      expect(publicText).not.toContain("13812345678");
      expect(publicText).not.toContain("zhangsan");
      expect(publicText).not.toContain("张三");
      expect(summary.comments.find((c) => c.commentId === "C2")!.text).toContain("建议增加夜间窗口");

      // still gated: the 第七条 expert consultation is missing
      await expect(h.complete("section", s.caseId, "submit_for_review", { outcome: "submit" })).rejects.toMatchObject({ status: 409, fields: [expect.objectContaining({ path: "expert" })] });
      await h.complete("section", s.caseId, "expert_consultation", {
        outcome: "recorded",
        matters: "奖励标准的合理性",
        experts: "王教授（某大学）\n李研究员（某研究院）",
        materials: "草案及测算材料",
        form: "meeting",
        opinions: "建议细化标准",
        revisions: "已细化第五条",
        attachments: [{ name: "论证会纪要.txt", data: Buffer.from("专家咨询论证会纪要", "utf8").toString("base64") }],
      });
      const expert = (await dataOf(h, s.caseId)).expert!;
      expect(expert.attachments!.map((f) => f.name)).toEqual(["论证会纪要.txt"]);
      expect(Buffer.from((await h.deps.files.get(expert.attachments![0]!.key))!.body).toString("utf8")).toBe("专家咨询论证会纪要");
      await h.complete("section", s.caseId, "submit_for_review", { outcome: "submit" });

      const c = await h.deps.store.cases.get(s.caseId);
      expect(c!.status).toBe("submitted");
      const explanation = (c!.data as unknown as ConsultationData).submitted!.explanation;
      expect(explanation).toContain(`/consultations/${s.caseId}`);
      expect(explanation).toContain("共收到意见 3 条，其中采纳 1 条、部分采纳 1 条、不予采纳 1 条");
      expect(explanation).toContain("书面征求 2 家单位意见");
      expect(explanation).toContain("收到书面反馈 1 份");
      expect(explanation).toContain("王教授");
      expect(await h.deps.store.tasks.ofCase(s.caseId)).toSatisfy((ts: Array<{ status: string }>) => ts.every((t) => t.status !== "open"));
      expect(verifyChain(await h.deps.store.cases.events(s.caseId))).toBeUndefined();

      // the console's case page: every comment with its disposition, contacts only for the roles that see personal data, the letters and the explanation
      const page = async (user: string, roles: string[]) => {
        const ws = workflowSections((await viewCaseAsStaff(h.deps, await h.signIn(user), s.caseId)).case, roles)!;
        return [...ws.facts.map((f) => String(f.value)), ...ws.lead.map(String), ...ws.sections.map(String)].join("\n");
      };
      const office = await page("office", ["office_staff"]);
      expect(office).toContain("zhangsan@example.cn");
      expect(office).toContain("不予采纳：回访时限已由上级规定");
      expect(office).toContain("关于征求《黄岩区行政服务中心政务服务好差评管理办法（征求意见稿）》意见的函");
      expect(office).toContain("区市场监管局");
      expect(office).toContain("报送审议的起草说明");
      expect(await page("auditor", ["auditor"])).not.toContain("zhangsan@example.cn");
    });

    it("records a 第四条 exemption with its reason, skips the public period visibly, and still requires the hearing and associations' records", async () => {
      const h = await make();
      await expect(submitConsultation(h.deps, await h.signIn("section"), consultationBody({ exempt: {}, explanation: { necessity: "x" } }))).rejects.toMatchObject({
        status: 400,
        fields: expect.arrayContaining([expect.objectContaining({ path: "exempt.reason" }), expect.objectContaining({ path: "explanation.problems" })]),
      });
      await expect(submitConsultation(h.deps, await h.signIn("office"), consultationBody())).rejects.toMatchObject({ status: 403 });
      const s = await submitConsultation(h.deps, await h.signIn("section"), consultationBody({ exempt: { reason: "应急性事项：防汛应急处置" }, publicInterest: true, sectorInterests: true }));
      await h.settle();
      expect(s.status).toBe("exempt");
      expect(await h.openTask(s.caseId, "publish_consultation")).toBeUndefined();
      await expect(viewConsultation(h.deps, s.caseId)).rejects.toMatchObject({ status: 404 });
      await expect(h.complete("section", s.caseId, "submit_for_review", { outcome: "submit" })).rejects.toMatchObject({
        status: 409,
        fields: [expect.objectContaining({ path: "hearing" }), expect.objectContaining({ path: "associations" })],
      });
      await h.complete("section", s.caseId, "hearing", { outcome: "recorded", form: "symposium", heldOn: "2026-09-30", participants: "窗口服务对象代表 8 人", summary: "同意" });
      await h.complete("section", s.caseId, "association_opinions", { outcome: "recorded", associations: "区个体劳动者协会", summary: "无异议" });
      await h.complete("section", s.caseId, "submit_for_review", { outcome: "submit" });
      const explanation = (await dataOf(h, s.caseId)).submitted!.explanation;
      expect(explanation).toContain("第四条不公开征求意见");
      expect(explanation).toContain("应急性事项：防汛应急处置");
      expect(explanation).toContain("座谈会");
    });

    it("opens the interpretation when a normative document is issued, flags the published document until its interpretation is approved and published, linked both ways", async () => {
      const h = await make();
      const cons = await submitConsultation(h.deps, await h.signIn("section"), consultationBody());
      await h.settle();
      await h.complete("office", cons.caseId, "publish_consultation", { outcome: "publish", workingDays: 7 });
      const doc = await submitDocument(
        h.deps,
        await h.signIn("section"),
        documentBody({ title: "黄岩区行政服务中心政务服务好差评管理办法", normative: true, interpretation: { title: "《政务服务好差评管理办法》政策解读", body: "一、制定背景\n二、主要内容" }, consultationCaseId: cons.caseId }),
      );
      await h.settle();
      await h.complete("director", doc.caseId, "classify", { outcome: "cleared" });
      await h.complete("office", doc.caseId, "check_attribute", { outcome: "confirmed", attribute: "proactive" });
      await h.complete("deputy", doc.caseId, "sign", { outcome: "signed" });
      await h.complete("office", doc.caseId, "issue", { outcome: "issued", documentNumber: "黄行服规〔2026〕1号", issuedOn: shanghaiDate(h.clock.now()) });

      // the issue opened the interpretation, due the same working day
      const jd = interpretationCaseIdOf(doc.caseId);
      const opened = await h.openTask(jd, "finalise_interpretation");
      expect(opened).toMatchObject({ role: "office_staff", dueOn: shanghaiDate(h.clock.now()) });
      expect(((await h.deps.store.cases.get(jd))!.data as unknown as InterpretationData).draft!.title).toBe("《政务服务好差评管理办法》政策解读");

      // the document published without its interpretation: flagged (front page, weekly report)
      await h.complete("office", doc.caseId, "publish_document", { outcome: "published" });
      const docIndex = ((await h.deps.store.cases.get(doc.caseId))!.data as unknown as DocumentData).published!.indexNumber;
      expect((await uninterpretedDocumentsOf(h.deps, agency)).map((u) => u.indexNumber)).toEqual([docIndex]);
      // the inbox's banner finds it from the open-task index it reads anyway, not by reading every open case of the agency
      const { token } = await signIn(h.deps, { agencyCode: agency, username: "office", password: DEMO_PASSWORD });
      const listOpen = vi.spyOn(h.deps.store.cases, "listOpen").mockResolvedValue([]);
      const inbox = await createHttpHandler(consolePageRoutes(() => h.deps), { renderErrorPage })({
        rawPath: "/console/inbox",
        rawQueryString: "",
        headers: { host: "gongkai.test" },
        cookies: [`gk_session=${token}`],
        requestContext: { http: { method: "GET", path: "/console/inbox", sourceIp: "198.51.100.7" }, requestId: "r" },
      } as unknown as APIGatewayProxyEventV2);
      listOpen.mockRestore();
      expect(inbox.statusCode).toBe(200);
      expect(String(inbox.body)).toContain("政策解读提醒");
      expect(String(inbox.body)).toContain(`<a href="/console/cases/${jd}">`);
      const weekly = await weeklyRiskReport(h.deps, agency, h.clock.now());
      expect(weekly.uninterpreted?.map((u) => u.documentCaseId)).toEqual([doc.caseId]);
      expect(String(weeklyReportBody(weekly))).toContain("政策解读提醒");
      const jdPage = workflowSections((await viewCaseAsStaff(h.deps, await h.signIn("office"), jd)).case, ["office_staff"])!;
      expect(String(jdPage.facts.find((f) => f.label === "解读的文件")!.value)).toContain("黄行服规〔2026〕1号");

      await h.complete("office", jd, "finalise_interpretation", { outcome: "finalised", title: "《政务服务好差评管理办法》政策解读", body: "一、制定背景\n二、主要内容\n三、施行时间" });
      await h.complete("director", jd, "approve_interpretation", { outcome: "return", note: "请补充施行时间的说明" });
      await h.complete("office", jd, "finalise_interpretation", { outcome: "finalised", title: "《政务服务好差评管理办法》政策解读", body: "一、制定背景\n二、主要内容\n三、自2026年11月1日起施行" });
      await h.complete("director", jd, "approve_interpretation", { outcome: "approve", opinion: "同意" });
      await h.complete("techinfo", jd, "publish_interpretation", { outcome: "published" });

      const i = (await h.deps.store.cases.get(jd))!.data as unknown as InterpretationData;
      expect(i.published!.documentIndexNumber).toBe(docIndex);
      const entry = (await h.deps.store.catalogue.get(agency, i.published!.indexNumber))!;
      expect(entry).toMatchObject({ kind: "interpretation", column: "normative", interprets: docIndex });
      expect((await entryRelations(h.deps, entry)).document?.indexNumber).toBe(docIndex);
      const docEntry = (await h.deps.store.catalogue.get(agency, docIndex))!;
      expect(docEntry.column).toBe("normative");
      // the catalogue list is read through a short cache: the document's page finds its interpretation once it is read afresh
      forgetCatalogue(agency);
      const relations = await entryRelations(h.deps, docEntry);
      expect(relations.interpretations.map((x) => x.indexNumber)).toEqual([i.published!.indexNumber]);
      expect(relations.consultation?.href).toBe(`/consultations/${cons.caseId}`);
      expect(await uninterpretedDocumentsOf(h.deps, agency)).toEqual([]);
    });

    it("limits comments per client address and keeps none of the refused one", async () => {
      const h = await make();
      const s = await submitConsultation(h.deps, await h.signIn("section"), consultationBody());
      await h.settle();
      await h.complete("office", s.caseId, "publish_consultation", { outcome: "publish", workingDays: 7 });
      for (let i = 0; i < commentRateLimits.perMinute.max; i++) await submitComment(h.deps, s.caseId, { text: `意见 ${i + 1}` }, "198.51.100.7");
      await expect(submitComment(h.deps, s.caseId, { text: "再来一条" }, "198.51.100.7")).rejects.toMatchObject({ status: 429 });
      // another address is not held back by it
      expect((await submitComment(h.deps, s.caseId, { text: "另一位市民的意见" }, "198.51.100.8")).commentId).toBe(`C${commentRateLimits.perMinute.max + 1}`);
      expect((await dataOf(h, s.caseId)).comments).toHaveLength(commentRateLimits.perMinute.max + 1);
    });

    it("changes nothing and sends no mail twice when every message of the new workflows is delivered again", async () => {
      const h = await make();
      const s = await submitConsultation(h.deps, await h.signIn("section"), consultationBody());
      await h.settle();
      await h.complete("office", s.caseId, "publish_consultation", { outcome: "publish", workingDays: 7 });
      await submitComment(h.deps, s.caseId, { text: "不同意第二条。", contact: "li@example.cn" });
      await h.advanceTo(shanghaiInstant("2026-10-16", "09:00"));
      await h.complete("section", s.caseId, "dispose_comments", { outcome: "dispose", commentId: "C1", decision: "not_adopted", reason: "理由" });
      await h.complete("section", s.caseId, "dispose_comments", { outcome: "publish_summary" });
      const doc = await submitDocument(h.deps, await h.signIn("section"), documentBody({ normative: true }));
      await h.settle();
      await h.complete("director", doc.caseId, "classify", { outcome: "cleared" });
      await h.complete("office", doc.caseId, "check_attribute", { outcome: "confirmed", attribute: "proactive" });
      await h.complete("deputy", doc.caseId, "sign", { outcome: "signed" });
      await h.complete("office", doc.caseId, "issue", { outcome: "issued", documentNumber: "黄行服规〔2026〕2号", issuedOn: shanghaiDate(h.clock.now()) });
      const jd = interpretationCaseIdOf(doc.caseId);
      expect(await h.openTask(jd, "finalise_interpretation")).toBeTruthy();

      const snapshot = async () => ({
        consultation: (await h.deps.store.cases.events(s.caseId)).length,
        document: (await h.deps.store.cases.events(doc.caseId)).length,
        interpretation: (await h.deps.store.cases.events(jd)).length,
        tasks: (await h.deps.store.tasks.ofCase(jd)).length,
        mails: h.sent.length,
        comments: (await dataOf(h, s.caseId)).comments.length,
      });
      const before = await snapshot();
      for (const m of [...h.consumed]) await h.consume(m.queue, m.body);
      await h.settle();
      expect(await snapshot()).toEqual(before);
    });
  });
}
