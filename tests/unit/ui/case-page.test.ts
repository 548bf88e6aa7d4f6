import { describe, expect, it } from "vitest";
import { memoryHarness, type Harness } from "../../support/harness";
import { validApplication } from "../../support/app";
import { submitApplication } from "../../../shared/app/applications/intake";
import { completeTask } from "../../../shared/app/engine/complete-task";
import { viewCaseAsStaff } from "../../../shared/app/views/case";
import { ValidationError } from "../../../shared/app/errors";
import type { StaffPrincipal } from "../../../shared/app/auth";
import { creditCodeCheckChar } from "../../../shared/domain/identity";
import { applicationWorkflow } from "../../../shared/domain/workflows";
import { renderCasePage } from "../../../shared/ui/console/case";

/**
 * The console's case page, rendered from real views: cases driven through the workflow
 * on the in-memory ports, so the page is tested against what the use cases give it.
 * The harness clock starts on Monday 2026-03-02, 09:30 Beijing time.
 */

const userOf = (p: StaffPrincipal) => ({ displayName: p.displayName, roles: p.roles, agencyName: p.agencyName, csrfToken: p.csrfToken });

async function submitted(h: Harness, overrides: Record<string, unknown> = {}) {
  const s = await submitApplication(h.deps, validApplication(overrides));
  await h.settle();
  return s;
}

async function inHandling(h: Harness, overrides: Record<string, unknown> = {}) {
  const s = await submitted(h, overrides);
  await h.complete("office", s.caseId, "register", { outcome: "registered" });
  await h.complete("office", s.caseId, "review", { outcome: "complete" });
  return s;
}

async function pageFor(h: Harness, username: string, caseId: string, extra: Partial<Parameters<typeof renderCasePage>[0]> = {}) {
  const principal = await h.signIn(username);
  const view = await viewCaseAsStaff(h.deps, principal, caseId);
  return { principal, view, page: renderCasePage({ user: userOf(principal), view, today: "2026-03-02", ...extra }) };
}

/** What a person reads: tags (and attribute values such as datetime) removed. */
const visible = (page: string) =>
  page
    .replace(/<style>[\s\S]*?<\/style>/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ");

const formsOf = (page: string, taskId: string) => [...page.matchAll(new RegExp(`<form method="post" action="/console/tasks/${taskId}/complete"[\\s\\S]*?</form>`, "g"))].map((m) => m[0]);

const creditCode = (() => {
  const first17 = "91331003MA2ABCDE1";
  return first17 + creditCodeCheckChar(first17);
})();

describe("console case page", () => {
  it("register: exactly the allowed outcome as a form with the session's CSRF token, the receipt date pre-filled with today and said so", async () => {
    // Prepare
    const h = await memoryHarness();
    const s = await submitted(h);
    // Act
    const { view, page, principal } = await pageFor(h, "office", s.caseId);
    // Assess
    const task = view.tasks.find((t) => t.step === "register")!;
    const forms = formsOf(page, task.taskId);
    expect(forms).toHaveLength(1);
    expect(forms[0]).toContain('<input type="hidden" name="outcome" value="registered">');
    expect(forms[0]).toContain(`<input type="hidden" name="csrfToken" value="${principal.csrfToken}">`);
    expect(forms[0]).toMatch(new RegExp(`<label for="t-${task.taskId}-registered-receivedOn">收到申请日期</label>`));
    expect(forms[0]).toMatch(new RegExp(`type="date" id="t-${task.taskId}-registered-receivedOn" name="receivedOn" value="2026-03-02"`));
    expect(forms[0]).toContain("已预填今天（北京时间 2026-03-02）");
    expect(page).toContain(applicationWorkflow.steps.register!.instructions);
    expect(visible(page)).toContain("已收到，待受理登记");
  });

  it("the timeline shows Beijing time and people's names with their role, never a username or an ISO timestamp", async () => {
    // Prepare
    const h = await memoryHarness();
    const s = await submitted(h);
    await h.complete("office", s.caseId, "register", { outcome: "registered" });
    // Act
    const { page } = await pageFor(h, "office", s.caseId);
    // Assess
    const text = visible(page);
    expect(text).toContain("2026-03-02 09:30 申请人通过网上申请平台提交政府信息公开申请（申请人）");
    expect(text).toMatch(/2026-03-02 09:30 受理登记，收到申请日期 2026-03-02[^（]*（办公室 王敏，办公室）/);
    expect(page).toContain('<time datetime="2026-03-02T09:30+08:00">2026-03-02 09:30</time>');
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    expect(text).not.toMatch(/\boffice\b/);
  });

  it("the 督办 banner appears only for the one the overdue task was escalated to, with what the step expects", async () => {
    // Prepare: the register task (1 working day) left lying for three working days
    const h = await memoryHarness();
    const s = await submitted(h);
    await h.advanceWorkingDays(3);
    // Act
    const director = await pageFor(h, "director", s.caseId);
    const office = await pageFor(h, "office", s.caseId);
    // Assess
    const task = director.view.tasks.find((t) => t.step === "register")!;
    expect(task.supervising).toBe(true);
    expect(director.page).toContain("此待办已逾期，提请您督办：请督促办公室尽快办理，或由您直接办理。");
    expect(director.page).toContain(`<strong>本环节要求：</strong>${applicationWorkflow.steps.register!.instructions}`);
    expect(formsOf(director.page, task.taskId)).toHaveLength(1);
    expect(office.page).not.toContain("提请您督办");
    expect(office.page).toContain('<span class="tag overdue">已逾期</span>');
    expect(visible(office.page)).toMatch(/已逾期 [1-9] 个工作日/);
  });

  it("an outcome not available now is listed with its reason, disabled, and is not a form", async () => {
    // Prepare: a third party was consulted today; its 15 working days have not run out
    const h = await memoryHarness();
    const s = await inHandling(h);
    await h.complete("office", s.caseId, "handle", { outcome: "consult_third_party", party: "台州某某科技有限公司", matters: "是否同意公开合同报价" });
    // Act
    const { view, page } = await pageFor(h, "office", s.caseId);
    // Assess
    const task = view.tasks.find((t) => t.step === "third_party_answer" && t.status === "open")!;
    expect(task.unavailableOutcomes.map((u) => u.outcome)).toEqual(["no_answer"]);
    const forms = formsOf(page, task.taskId);
    expect(forms).toHaveLength(1);
    expect(forms[0]).toContain('name="outcome" value="answered"');
    expect(page).not.toContain('name="outcome" value="no_answer"');
    expect(page).toMatch(/<button type="button" disabled aria-describedby="why-[^"]+-no_answer">第三方逾期未提出意见<\/button><span id="why-[^"]+-no_answer">第三方的答复期限至 \d{4}-\d{2}-\d{2} 届满，届满前不能按逾期未答复处理<\/span>/);
    // the choice field of the answer form, from the definition
    expect(forms[0]).toContain('<option value="object">不同意公开</option>');
    // the answer clock waits while the third party answers
    expect(page).toMatch(/<strong>法定答复期限：<\/strong><time datetime="[\d-]+">[\d-]+<\/time><span class="tag paused">暂停计算<\/span>/);
    expect(visible(page)).toContain("台州某某科技有限公司");
  });

  it("list and integer fields: a textarea one item per line and a number input with its bounds, both re-filled with their error after a refused post", async () => {
    // Prepare
    const h = await memoryHarness();
    const s = await submitted(h);
    await h.complete("office", s.caseId, "register", { outcome: "registered" });
    const office = await h.signIn("office");
    const review = (await h.openTask(s.caseId, "review"))!;
    const posted = { taskId: review.taskId, outcome: "needs_correction", items: "申请人姓名不完整\n联系电话无法接通", correctionWorkingDays: "99" };
    const refused = await completeTask(h.deps, office, review.taskId, posted).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ValidationError);
    // Act
    const fresh = await pageFor(h, "office", s.caseId);
    const again = await pageFor(h, "office", s.caseId, { errors: (refused as ValidationError).fields, values: posted });
    // Assess
    const prefix = `t-${review.taskId}-needs_correction-`;
    expect(fresh.page).toMatch(new RegExp(`<textarea id="${prefix}items" name="items" rows="4" aria-required="true" aria-describedby="${prefix}items-hint">`));
    expect(fresh.page).toContain("每行填写一项，最多 20 项，每项不超过 500 字。");
    expect(fresh.page).toMatch(new RegExp(`<input type="number" id="${prefix}correctionWorkingDays" name="correctionWorkingDays" value="" step="1" inputmode="numeric" min="\\d+" max="\\d+" aria-required="true"`));
    expect(again.page).toContain("<title>错误：");
    expect(again.page).toContain(">申请人姓名不完整\n联系电话无法接通</textarea>");
    expect(again.page).toMatch(new RegExp(`id="${prefix}correctionWorkingDays" name="correctionWorkingDays" value="99"[^>]*aria-invalid="true"`));
    expect(again.page).toMatch(new RegExp(`<li><a href="#${prefix}correctionWorkingDays">补正期限（工作日）不能大于 \\d+</a></li>`));
    // the other outcome's form keeps its own (empty) state
    expect(again.page).not.toContain(`t-${review.taskId}-complete-note-error`);
  });

  it("explains a processing fee like a deadline: method, amount, each tier, the notice and its period", async () => {
    const h = await memoryHarness();
    const s = await inHandling(h);
    await h.complete("office", s.caseId, "handle", { outcome: "propose_fee", method: "per_volume", pages: 120, howToPay: "到行政服务中心一楼收费窗口缴纳" });
    await h.complete("deputy", s.caseId, "approve_fee", { outcome: "approved" });
    const { page } = await pageFor(h, "office", s.caseId);
    expect(page).toContain('<h2 id="fee">信息处理费</h2>');
    expect(page).toContain("按量计收");
    // 70 × 10 + 20 × 20
    expect(page).toContain("1100 元");
    expect(page).toContain("第101—120页：第五条：101—200页（含200页）的部分，20元/页，20 页 × 20 元 = 400 元。");
    expect(page).toContain("已发出收费通知，等待缴纳");
    expect(page).toContain("缴纳信息处理费期限");
  });

  it("a field required only with some choices says so in its label", async () => {
    const h = await memoryHarness();
    const s = await inHandling(h);
    const { page } = await pageFor(h, "office", s.caseId);
    expect(page).toContain("不予公开的内容及理由（区分处理）（答复类型选择“部分公开（区分处理）”时必填）");
    expect(page).toContain("具体情形（答复类型选择“不予公开”“无法提供”或“不予处理”时必填）");
    expect(page).toContain("负责公开的机关（答复类型选择“非本机关负责公开（告知负责机关及联系方式）”时必填）");
    expect(page).toContain("提供的页数（计收方式选择“按量计收”时必填）");
    // six outcomes (the processing fee among them): an index of them, one form each
    expect(page).toContain('<p class="actions-index">可选办理结果：');
    expect(page.match(/<form method="post" action="\/console\/tasks\/[^"]+-handle-1\/complete"/g)).toHaveLength(6);
  });

  it("shows why a sign-off came back (the task's note)", async () => {
    const h = await memoryHarness();
    const s = await inHandling(h);
    await h.complete("office", s.caseId, "handle", { outcome: "propose_reply", replyType: "disclosed", reasons: "属于可以公开的政府信息" });
    await h.complete("deputy", s.caseId, "sign_off", { outcome: "returned", note: "请补充检索范围" });
    const { page } = await pageFor(h, "office", s.caseId);
    expect(page).toContain('<p class="task-note"><strong>说明：</strong>分管领导退回拟答复意见：请补充检索范围</p>');
  });

  it("a closed partial disclosure: withheld items and reasons, consultation, secrecy review, extension, report cell, letters to download; no forms", async () => {
    // Prepare
    const h = await memoryHarness();
    const s = await inHandling(h);
    await h.complete("office", s.caseId, "handle", { outcome: "consult_third_party", party: "台州某某科技有限公司", matters: "是否同意公开合同报价" });
    await h.complete("office", s.caseId, "third_party_answer", { outcome: "answered", opinion: "object", summary: "报价属于商业秘密" });
    await h.complete("office", s.caseId, "handle", { outcome: "request_secrecy_review" });
    await h.complete("director", s.caseId, "secrecy_review", { outcome: "withhold", reasons: "附件三含内部审批意见" });
    await h.complete("office", s.caseId, "handle", { outcome: "request_extension", reason: "需会同多个科室检索", workingDays: "10" });
    await h.complete("deputy", s.caseId, "approve_extension", { outcome: "approved" });
    await h.complete("office", s.caseId, "handle", {
      outcome: "propose_reply",
      replyType: "partly_disclosed",
      reasons: "合同主体部分可以公开",
      withheld: "第3页供应商报价：涉及商业秘密",
      publicInterestReason: "合同金额涉及公共资金使用",
    });
    await h.complete("deputy", s.caseId, "sign_off", { outcome: "signed" });
    // Act
    const { page, view } = await pageFor(h, "office", s.caseId);
    // Assess
    const text = visible(page);
    expect(view.case.status).toBe("replied");
    expect(page).not.toContain("/complete");
    expect(text).toContain("不予公开的内容及理由（区分处理） 第3页供应商报价：涉及商业秘密");
    expect(text).toMatch(/第三方：台州某某科技有限公司 是否同意公开合同报价 2026-03-02 \d{4}-\d{2}-\d{2} 2026-03-02 ?：不同意公开。报价属于商业秘密/);
    expect(text).toContain("审查结论 涉密或不宜公开");
    expect(text).toContain("附件三含内部审批意见");
    expect(text).toContain("延长 10 个工作日，经分管领导同意");
    expect(text).toContain("年度报告统计项 （二）部分公开");
    expect(text).toContain("答复结果 部分公开（区分处理）");
    const reply = view.letters.find((l) => l.kind.startsWith("reply_"))!;
    const base = `/console/cases/${s.caseId}/letters/${reply.letterId}`;
    expect(page).toContain(`<a href="${base}?format=html">${reply.title}</a>`);
    expect(page).toContain(`<a href="${base}?format=docx">下载 Word 文档`);
    // every deadline stopped, with why
    expect(page).toContain('<span class="tag stopped">已停止计算</span>');
    expect(text).toContain("停止原因：已答复");
  });

  it("deadlines: due date, working days left, and the explanation in a <details>", async () => {
    const h = await memoryHarness();
    const s = await submitted(h);
    await h.complete("office", s.caseId, "register", { outcome: "registered" });
    const { page, view } = await pageFor(h, "office", s.caseId);
    const answer = view.deadlines.find((d) => d.name === "answer")!;
    expect(page).toContain(`<strong>法定答复期限：</strong><time datetime="2026-03-30">2026-03-30</time>`);
    expect(visible(page)).toContain(`还剩 ${answer.workingDaysLeft} 个工作日`);
    expect(page).toContain("<details><summary>计算说明：法定答复期限</summary><ul>");
    expect(page).toContain(`<li>${answer.explanation[0]}</li>`);
    // a provisional date and an overdue one
    const changed = renderCasePage({
      user: userOf(await h.signIn("office")),
      view: { ...view, deadlines: view.deadlines.map((d) => (d.name === "answer" ? { ...d, provisional: true, workingDaysLeft: -3, overdue: true } : d)) },
    });
    expect(changed).toMatch(/2026-03-30<\/time><span class="tag provisional"[^>]*>暂定<\/span><span class="tag overdue">已逾期<\/span> <span class="days overdue">已逾期 3 个工作日<\/span>/);
  });

  it("masks a person's data for roles that do not handle it, never an organisation's name; attachments and request listed", async () => {
    // Prepare
    const h = await memoryHarness();
    const person = await submitted(h);
    const org = await submitted(h, {
      applicantType: "organization",
      organizationKind: "commercial",
      name: "台州市黄岩某某贸易有限公司",
      creditCode,
      legalRepresentative: "王大明",
      idType: undefined,
      idNumber: undefined,
      attachments: [{ name: "营业执照.pdf", data: Buffer.from("%PDF-1.4 test").toString("base64") }],
    });
    // Act
    const officeView = (await pageFor(h, "office", person.caseId)).page;
    const auditorView = (await pageFor(h, "auditor", person.caseId)).page;
    const auditorOrg = (await pageFor(h, "auditor", org.caseId)).page;
    // Assess
    for (const secret of ["张三", "110101199003074514", "13800138000", "zhangsan@example.com", "劳动北路1号"]) {
      expect(officeView).toContain(secret);
      expect(auditorView).not.toContain(secret);
    }
    expect(auditorView).toContain("<dd>张*</dd>");
    expect(auditorView).toContain("个人信息已脱敏显示");
    expect(auditorView).not.toContain("/complete");
    expect(auditorOrg).toContain("<dt>名称</dt><dd>台州市黄岩某某贸易有限公司</dd>");
    expect(auditorOrg).not.toContain("王大明");
    expect(auditorOrg).toContain(creditCode);
    expect(auditorOrg).toMatch(/<li>营业执照\.pdf（PDF，1 KB）<\/li>/);
    expect(officeView).toContain("2025年度行政服务中心窗口服务满意度调查结果");
    expect(officeView).toContain("无附件。");
  });

  it("escapes what people typed", async () => {
    const h = await memoryHarness();
    const s = await submitted(h, { description: '<script>alert("x")</script> 的文件', documentTitle: '"><img src=x onerror=alert(1)>' });
    const { page } = await pageFor(h, "office", s.caseId, { notice: "<b>已办理</b>" });
    expect(page).not.toContain("<script>alert");
    expect(page).not.toContain("<img src=x");
    expect(page).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(page).toContain("&lt;b&gt;已办理&lt;/b&gt;");
  });
});
