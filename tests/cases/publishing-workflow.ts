import { describe, expect } from "vitest";
import { selectCases, type CaseSelection } from "../support/case-selection";
import { unzipSync, strFromU8 } from "fflate";
import type { Harness } from "../support/harness";
import { requestCatalogueChange, submitDocument, submitPublication } from "../../shared/app/publishing/submit";
import { loadApprovalForm } from "../../shared/app/publishing/approval-form";
import { openReconciliation } from "../../shared/app/publishing/reconcile";
import { publishItem } from "../../shared/app/publishing/publish";
import { monthlyReport } from "../../shared/app/reports/monthly";
import { renderMonthlyReportHtml } from "../../shared/ui/reports/monthly-html";
import { completeTask } from "../../shared/app/engine/complete-task";
import { recordedWechatPosts } from "../../shared/adapters/wechat-recorder";
import { renderApprovalFormDocx } from "../../shared/ui/approval-form/docx";
import { renderApprovalFormHtml } from "../../shared/ui/approval-form/html";
import { diffVersions } from "../../shared/domain/versions";
import { indexNumberPattern } from "../../shared/domain/catalogue/entry";
import { shanghaiDate } from "../../shared/domain/calendar";
import { UnprocessableError, ValidationError } from "../../shared/app/errors";
import { verifyChain } from "../../shared/domain/audit";
import type { PublicationData } from "../../shared/domain/workflows/publication/data";

/**
 * The publishing workflows (items, documents, secrecy review, screening, the catalogue,
 * corrections), as use cases see them: offline on in-memory ports and connected on the
 * stand-ins — the same cases, word for word.
 */

/** A resident ID number with a valid check digit (GB 11643). */
const VALID_ID = "11010519491231002X";

export const itemBody = (overrides: Record<string, unknown> = {}) => ({
  title: "关于2026年第四季度政务服务窗口调整的通知",
  body: "<p>为进一步方便群众办事，自12月15日起，不动产登记窗口调整至三楼。</p><p>咨询电话见本中心门户网站。</p>",
  channels: ["website", "wechat"],
  column: "notices",
  important: false,
  section: "综合科",
  ...overrides,
});

export const documentBody = (overrides: Record<string, unknown> = {}) => ({
  title: "关于印发《窗口服务规范》的通知",
  body: "各科室：现将《窗口服务规范》印发给你们，请认真贯彻执行。",
  disclosureAttribute: "proactive",
  section: "综合科",
  ...overrides,
});

/** `selection`: a connected run takes the cases the whole-stack e2e test does not walk over HTTP. */
export function publishingWorkflowCases(name: string, make: () => Promise<Harness>, selection: CaseSelection = {}) {
  const { it, everySelectedNamed } = selectCases(selection);
  describe(`publishing workflows (${name})`, () => {
    const caseOf = (h: Harness, caseId: string) => h.deps.store.cases.get(caseId).then((c) => c!);
    const agency = "001008010002002";

    async function submitted(h: Harness, overrides: Record<string, unknown> = {}) {
      const s = await submitPublication(h.deps, await h.signIn("officer"), itemBody(overrides));
      await h.settle();
      return s;
    }

    it("publishes an important item approved at every level: index number, catalogue entry, WeChat post, an approval form with every signer in order", async () => {
      const h = await make();
      const s = await submitted(h, { important: true });
      expect(s.status).toBe("submitted");
      await h.complete("office", s.caseId, "recheck", { outcome: "approve", opinion: "内容准确，同意" });
      expect((await caseOf(h, s.caseId)).status).toBe("leader_review");
      await h.complete("deputy", s.caseId, "leader_review", { outcome: "approve", opinion: "同意发布" });

      const c = await caseOf(h, s.caseId);
      expect(c.status).toBe("published");
      const published = (c.data as unknown as PublicationData).published!;
      expect(published.indexNumber).toMatch(indexNumberPattern);
      expect(published.indexNumber.startsWith(`${agency}/${shanghaiDate(h.clock.now()).slice(0, 4)}-`)).toBe(true);
      const entry = await h.deps.store.catalogue.get(agency, published.indexNumber);
      expect(entry).toMatchObject({ title: itemBody().title, column: "notices", status: "published", publisher: expect.stringContaining("行政服务中心"), disclosureMode: "主动公开" });
      expect(entry!.bodyHtml).toContain("不动产登记窗口");
      const posts = await recordedWechatPosts(h.deps.files, agency);
      expect(posts.map((p) => p.article.title)).toEqual([itemBody().title]);
      expect(await h.deps.store.tasks.ofCase(s.caseId)).toSatisfy((ts: Array<{ status: string }>) => ts.every((t) => t.status !== "open"));

      const form = await loadApprovalForm(h.deps, c);
      expect(form.signatures.map((x) => [x.name, x.decisionLabel])).toEqual([
        ["信息员 周洁", "报送"],
        ["办公室 王敏", "复核通过"],
        ["分管领导 陈华", "审核同意发布"],
        ["系统", "已发布"],
      ]);
      expect(form.signatures[1]!.opinion).toBe("内容准确，同意");
      const htmlForm = renderApprovalFormHtml(form);
      const order = ["信息员 周洁", "办公室 王敏", "分管领导 陈华"].map((n) => htmlForm.indexOf(n));
      expect(order.every((i, k) => i > 0 && (k === 0 || i > order[k - 1]!))).toBe(true);
      const xml = strFromU8(unzipSync(await renderApprovalFormDocx(form))["word/document.xml"]!);
      const inDocx = ["信息员 周洁", "办公室 王敏", "分管领导 陈华"].map((n) => xml.indexOf(n));
      expect(inDocx.every((i, k) => i > 0 && (k === 0 || i > inDocx[k - 1]!))).toBe(true);
      expect(xml).toContain(published.indexNumber);
      // the submitter heard of the publication
      expect(h.sent.some((m) => m.to.includes("officer.002@demo.gongkai.local") && m.subject.includes("已发布"))).toBe(true);
      expect(verifyChain(await h.deps.store.cases.events(s.caseId))).toBeUndefined();
    });

    it("returns an item twice, keeps every version and shows what changed, then publishes the third", async () => {
      const h = await make();
      const s = await submitted(h);
      await h.complete("office", s.caseId, "recheck", { outcome: "return", note: "请写明具体楼层和开放时间" });
      expect((await caseOf(h, s.caseId)).status).toBe("returned");
      await h.complete("officer", s.caseId, "revise", { outcome: "resubmit", title: itemBody().title, body: "<p>自12月15日起，不动产登记窗口调整至三楼东侧，工作日9:00至17:00开放。</p>" });
      await h.complete("office", s.caseId, "recheck", { outcome: "return", note: "请补充咨询方式" });
      await h.complete("officer", s.caseId, "revise", { outcome: "resubmit", title: itemBody().title, body: "<p>自12月15日起，不动产登记窗口调整至三楼东侧，工作日9:00至17:00开放。</p><p>咨询请到一楼服务台。</p>", note: "已补充" });
      await h.complete("office", s.caseId, "recheck", { outcome: "approve" });

      const c = await caseOf(h, s.caseId);
      const d = c.data as unknown as PublicationData;
      expect(c.status).toBe("published");
      expect(d.versions.map((v) => v.n)).toEqual([1, 2, 3]);
      expect(d.returns.map((r) => r.note)).toEqual(["请写明具体楼层和开放时间", "请补充咨询方式"]);
      const diff = diffVersions(
        { n: 2, title: d.versions[1]!.title, text: d.versions[1]!.text, at: d.versions[1]!.at, by: d.versions[1]!.byName },
        { n: 3, title: d.versions[2]!.title, text: d.versions[2]!.text, at: d.versions[2]!.at, by: d.versions[2]!.byName },
      );
      expect(diff.text.filter((p) => p.kind === "added").map((p) => p.text).join("")).toContain("咨询请到一楼服务台");
      expect(diff.text.some((p) => p.kind === "removed")).toBe(false);
      const entry = await h.deps.store.catalogue.get(agency, d.published!.indexNumber);
      expect(entry!.text).toContain("咨询请到一楼服务台");
      const form = await loadApprovalForm(h.deps, c);
      expect(form.signatures.map((x) => x.decisionLabel)).toEqual(["报送", "退回修改", "修改后重新报送", "退回修改", "修改后重新报送", "复核通过", "已发布"]);
    });

    it("an important item the deputy leader rejects never reaches the catalogue", async () => {
      const h = await make();
      const s = await submitted(h, { important: true });
      await h.complete("office", s.caseId, "recheck", { outcome: "approve" });
      await h.complete("deputy", s.caseId, "leader_review", { outcome: "reject", reason: "涉及未公布的调整方案，暂不发布" });
      const c = await caseOf(h, s.caseId);
      expect(c.status).toBe("rejected");
      expect(c.closedAt).toBeDefined();
      expect(await h.deps.store.catalogue.list(agency)).toEqual([]);
      expect(await recordedWechatPosts(h.deps.files, agency)).toEqual([]);
    });

    it("a valid resident ID number blocks approval until redacted; a second one until overridden with a reason", async () => {
      const h = await make();
      const s = await submitted(h, { body: `<p>经审核，申请人张三（身份证号 ${VALID_ID}）符合条件。</p>` });
      expect(s.screening.findings.map((f) => f.kind)).toEqual(["resident_id"]);
      const task = (await h.openTask(s.caseId, "recheck"))!;
      const refused = completeTask(h.deps, await h.signIn("office"), task.taskId, { outcome: "approve" });
      await expect(refused).rejects.toBeInstanceOf(UnprocessableError);
      await expect(refused).rejects.toMatchObject({ code: "SCREENING_FINDINGS", message: expect.stringContaining("居民身份证号码") });
      // a redaction must name text that is there
      await expect(completeTask(h.deps, await h.signIn("office"), task.taskId, { outcome: "redact", passages: ["不存在的内容"], reason: "个人隐私" })).rejects.toBeInstanceOf(ValidationError);
      await h.complete("office", s.caseId, "recheck", { outcome: "redact", passages: [VALID_ID], reason: "涉及个人隐私" });
      await h.complete("office", s.caseId, "recheck", { outcome: "approve" });
      const c = await caseOf(h, s.caseId);
      expect(c.status).toBe("published");
      const entry = await h.deps.store.catalogue.get(agency, (c.data as unknown as PublicationData).published!.indexNumber);
      expect(entry!.text).not.toContain(VALID_ID);
      expect(entry!.text).toContain("■".repeat(VALID_ID.length));

      const second = await submitted(h, { body: `<p>联系人身份证号 ${VALID_ID}。</p>` });
      await h.complete("office", second.caseId, "recheck", { outcome: "approve", overrideReason: "本人书面同意公开" });
      const d = (await caseOf(h, second.caseId)).data as unknown as PublicationData;
      expect(d.overrides.map((o) => [o.reason, o.byName])).toEqual([["本人书面同意公开", "办公室 王敏"]]);
      expect(d.published).toBeDefined();
    });

    it("a document marked 不予公开 is filed after issue and never reaches the catalogue", async () => {
      const h = await make();
      const s = await submitDocument(h.deps, await h.signIn("section"), documentBody({ disclosureAttribute: "not_public", reason: "属于内部管理信息" }));
      await h.settle();
      await h.complete("director", s.caseId, "classify", { outcome: "cleared", note: "不涉密" });
      await h.complete("office", s.caseId, "check_attribute", { outcome: "confirmed", attribute: "not_public", reason: "属于内部管理信息" });
      await h.complete("deputy", s.caseId, "sign", { outcome: "signed" });
      await h.complete("office", s.caseId, "issue", { outcome: "issued", documentNumber: "黄行服〔2026〕7号", issuedOn: shanghaiDate(h.clock.now()) });
      const c = await caseOf(h, s.caseId);
      expect(c.status).toBe("filed");
      expect(c.closedAt).toBeDefined();
      expect(await h.deps.store.catalogue.list(agency)).toEqual([]);
    });

    it("a proactive document is published to the catalogue with its number and date, and the month's reconciliation lists it; an unpublished one must be resolved", async () => {
      const h = await make();
      const today = shanghaiDate(h.clock.now());
      const month = today.slice(0, 7);
      async function issued(number: string) {
        const s = await submitDocument(h.deps, await h.signIn("section"), documentBody({ title: `关于${number}的通知` }));
        await h.settle();
        await h.complete("director", s.caseId, "classify", { outcome: "cleared" });
        await h.complete("office", s.caseId, "check_attribute", { outcome: "confirmed", attribute: "proactive" });
        await h.complete("deputy", s.caseId, "sign", { outcome: "signed", opinion: "同意印发" });
        await h.complete("office", s.caseId, "issue", { outcome: "issued", documentNumber: number, issuedOn: today });
        return s;
      }
      const published = await issued("黄行服〔2026〕8号");
      const pending = await issued("黄行服〔2026〕9号");
      expect((await caseOf(h, published.caseId)).status).toBe("issued");
      await h.complete("office", published.caseId, "publish_document", { outcome: "published", column: "policy" });
      const entries = await h.deps.store.catalogue.list(agency);
      expect(entries.map((e) => [e.documentNumber, e.writtenOn, e.column, e.kind])).toEqual([["黄行服〔2026〕8号", today, "policy", "document"]]);

      const r = await openReconciliation(h.deps, agency, month);
      expect(r).toMatchObject({ issued: 2, discrepancies: 1 });
      // once per month
      expect(await openReconciliation(h.deps, agency, month)).toMatchObject({ issued: 0 });
      await h.settle();
      const rc = await caseOf(h, r.caseId!);
      expect((rc.data as { issued: Array<{ documentNumber: string; indexNumber?: string }> }).issued).toEqual([
        expect.objectContaining({ documentNumber: "黄行服〔2026〕8号", indexNumber: entries[0]!.indexNumber }),
        expect.not.objectContaining({ indexNumber: expect.anything() }),
      ]);
      const task = (await h.openTask(r.caseId!, "reconcile"))!;
      await expect(completeTask(h.deps, await h.signIn("office"), task.taskId, { outcome: "recorded", paperCheck: "纸质文件2件，一致" })).rejects.toMatchObject({
        fields: [expect.objectContaining({ path: "resolutions", message: expect.stringContaining("黄行服〔2026〕9号") })],
      });
      await h.complete("office", r.caseId!, "reconcile", { outcome: "recorded", paperCheck: "纸质文件2件，一致", resolutions: ["黄行服〔2026〕9号：已加载内网平台，当日发布"] });
      expect((await caseOf(h, r.caseId!)).status).toBe("recorded");
      expect((await caseOf(h, pending.caseId)).status).toBe("issued");
    });

    it("withdraws a published item after the deputy leader approves: the page keeps a public note, the old entry is archived", async () => {
      const h = await make();
      const s = await submitted(h);
      await h.complete("office", s.caseId, "recheck", { outcome: "approve" });
      const indexNumber = ((await caseOf(h, s.caseId)).data as unknown as PublicationData).published!.indexNumber;
      const change = await requestCatalogueChange(h.deps, await h.signIn("office"), { indexNumber, action: "withdraw", note: "窗口调整延期，原通知撤回" });
      await h.settle();
      expect((await h.deps.store.catalogue.get(agency, indexNumber))!.status).toBe("published");
      await h.complete("deputy", change.caseId, "approve_change", { outcome: "approve" });
      const entry = (await h.deps.store.catalogue.get(agency, indexNumber))!;
      expect(entry).toMatchObject({ status: "withdrawn", withdrawn: { note: "窗口调整延期，原通知撤回" }, revision: 2 });
      expect(await h.deps.files.list(`catalogue-archive/${agency}/`)).toHaveLength(1);
      await expect(requestCatalogueChange(h.deps, await h.signIn("office"), { indexNumber, action: "withdraw", note: "再次" })).rejects.toBeInstanceOf(ValidationError);
    });

    it("corrects a published item: new text, a dated public note, the first text kept", async () => {
      const h = await make();
      const s = await submitted(h);
      await h.complete("office", s.caseId, "recheck", { outcome: "approve" });
      const indexNumber = ((await caseOf(h, s.caseId)).data as unknown as PublicationData).published!.indexNumber;
      const change = await requestCatalogueChange(h.deps, await h.signIn("office"), { indexNumber, action: "correct", note: "更正楼层", title: itemBody().title, body: "<p>不动产登记窗口调整至四楼。</p>" });
      await h.settle();
      await h.complete("deputy", change.caseId, "approve_change", { outcome: "approve", opinion: "同意更正" });
      const entry = (await h.deps.store.catalogue.get(agency, indexNumber))!;
      expect(entry.text).toContain("四楼");
      expect(entry.corrections.map((x) => x.note)).toEqual(["更正楼层"]);
      expect(((await caseOf(h, s.caseId)).data as unknown as PublicationData).versions[0]!.text).toContain("三楼");
    });

    it("runs the secrecy review chain: initial, office (consulting a third party, redacting), deputy, principal, then back to the recheck", async () => {
      const h = await make();
      const s = await submitted(h, { body: "<p>某企业报价单价为每吨3200元，中标后实施。</p>" });
      await h.complete("office", s.caseId, "recheck", { outcome: "request_secrecy_review", note: "涉及企业报价" });
      expect((await caseOf(h, s.caseId)).status).toBe("secrecy_review");
      await h.complete("section", s.caseId, "secrecy_initial", { outcome: "consult", kind: "third_party", party: "某建材有限公司", matters: "报价是否属于商业秘密" });
      await h.complete("office", s.caseId, "secrecy_consultation", { outcome: "answered", opinion: "object", summary: "报价属于商业秘密，不同意公开" });
      await h.complete("section", s.caseId, "secrecy_initial", { outcome: "cleared", note: "初审通过，报价另行处理" });
      await h.complete("director", s.caseId, "secrecy_office", { outcome: "redact", passages: ["每吨3200元"], reason: "第三方商业秘密" });
      await h.complete("deputy", s.caseId, "secrecy_deputy", { outcome: "cleared" });
      await h.complete("principal", s.caseId, "secrecy_principal", { outcome: "cleared", note: "同意区分处理后公开" });
      const c = await caseOf(h, s.caseId);
      const d = c.data as unknown as PublicationData;
      expect(c.status).toBe("submitted");
      expect(d.secrecy!.outcome).toBe("cleared");
      expect(d.secrecy!.decisions.map((x) => [x.step, x.decision, x.byName])).toEqual([
        ["secrecy_initial", "consult", "科室负责人 吴涛"],
        ["secrecy_initial", "cleared", "科室负责人 吴涛"],
        ["secrecy_office", "cleared", "办公室主任 李强"],
        ["secrecy_deputy", "cleared", "分管领导 陈华"],
        ["secrecy_principal", "cleared", "主要领导 赵刚"],
      ]);
      expect(d.secrecy!.consultations[0]!.answer).toMatchObject({ opinion: "object" });
      expect(d.secrecy!.redactions.map((r) => r.passage)).toEqual(["每吨3200元"]);
      expect(d.versions.at(-1)!.text).not.toContain("3200");
      await h.complete("office", s.caseId, "recheck", { outcome: "approve" });
      expect((await caseOf(h, s.caseId)).status).toBe("published");
    });

    it("takes unique index numbers for 50 items published at once", async () => {
      const h = await make();
      const principal = await h.signIn("officer");
      const items = await Promise.all(Array.from({ length: 50 }, (_, i) => submitPublication(h.deps, principal, itemBody({ title: `第${i + 1}号通知`, channels: ["website"] }))));
      await h.settle();
      const office = await h.signIn("office");
      await Promise.all(items.map(async (s) => completeTask(h.deps, office, (await h.openTask(s.caseId, "recheck"))!.taskId, { outcome: "approve" })));
      // the 50 publish steps' Lambdas at the same moment, before their hand-offs are delivered
      await Promise.all(items.map(async (s) => publishItem(h.deps, await caseOf(h, s.caseId), (await h.openTask(s.caseId, "publish"))!)));
      await h.settle();
      const entries = await h.deps.store.catalogue.list(agency);
      expect(entries).toHaveLength(50);
      expect(new Set(entries.map((e) => e.indexNumber)).size).toBe(50);
    });

    it("the monthly report counts what was published per channel and column, the documents left unpublished, and every return and rejection with its reason", async () => {
      const h = await make();
      const month = shanghaiDate(h.clock.now()).slice(0, 7);
      const a = await submitted(h, { channels: ["website", "wechat"], column: "notices" });
      await h.complete("office", a.caseId, "recheck", { outcome: "return", note: "请补充开放时间" });
      await h.complete("officer", a.caseId, "revise", { outcome: "resubmit", title: itemBody().title, body: "窗口调整，工作日9:00至17:00开放。" });
      await h.complete("office", a.caseId, "recheck", { outcome: "approve" });
      const b = await submitted(h, { channels: ["website"], column: "work", title: "工作动态" });
      await h.complete("office", b.caseId, "recheck", { outcome: "approve" });
      const c = await submitted(h, { title: "不宜发布的信息" });
      await h.complete("office", c.caseId, "recheck", { outcome: "reject", reason: "内容不实" });
      const report = await monthlyReport(h.deps, agency, month);
      expect(report.published.total).toBe(2);
      expect(Object.fromEntries(report.published.byChannel.map((x) => [x.channel, x.count]))).toEqual({ website: 2, wechat: 1 });
      expect(Object.fromEntries(report.published.byColumn.map((x) => [x.label, x.count]))).toEqual({ 通知公告: 1, 工作动态: 1 });
      expect(report.returned.map((x) => [x.note, x.byName])).toEqual([["请补充开放时间", "办公室 王敏"]]);
      expect(report.rejected.map((x) => [x.title, x.reason])).toEqual([["不宜发布的信息", "内容不实"]]);
      expect(renderMonthlyReportHtml(report)).toContain("内容不实");
    });

    it("refuses bad input naming the field and stores nothing", async () => {
      const h = await make();
      const officer = await h.signIn("officer");
      const attempt = submitPublication(h.deps, officer, { title: "", body: "x", channels: ["fax"], column: "nowhere" });
      await expect(attempt).rejects.toBeInstanceOf(ValidationError);
      const error = (await attempt.catch((e: unknown) => e)) as ValidationError;
      expect(error.fields.map((f) => f.path).sort()).toEqual(["channels", "column", "title"]);
      await expect(submitDocument(h.deps, await h.signIn("section"), documentBody({ disclosureAttribute: "not_public" }))).rejects.toMatchObject({ fields: [expect.objectContaining({ path: "reason" })] });
      await expect(submitPublication(h.deps, await h.signIn("deputy"), itemBody())).rejects.toMatchObject({ status: 403 });
      expect(await h.deps.store.cases.listOpen(agency)).toEqual([]);
    });

    it("does nothing twice when every message is delivered again", async () => {
      const h = await make();
      const s = await submitted(h, { important: true });
      await h.complete("office", s.caseId, "recheck", { outcome: "approve" });
      await h.complete("deputy", s.caseId, "leader_review", { outcome: "approve" });
      const before = { events: (await h.deps.store.cases.events(s.caseId)).length, mails: h.sent.length, entries: (await h.deps.store.catalogue.list(agency)).length, posts: (await recordedWechatPosts(h.deps.files, agency)).length };
      for (const m of [...h.consumed]) await h.consume(m.queue, m.body);
      await h.settle();
      expect({ events: (await h.deps.store.cases.events(s.caseId)).length, mails: h.sent.length, entries: (await h.deps.store.catalogue.list(agency)).length, posts: (await recordedWechatPosts(h.deps.files, agency)).length }).toEqual(before);
    });
    everySelectedNamed();
  });
}
