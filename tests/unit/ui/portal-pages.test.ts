import { describe, expect, it } from "vitest";
import { renderApplyForm } from "../../../shared/ui/portal/apply-form";
import { renderApplyDone, renderApplyDoneExpired } from "../../../shared/ui/portal/apply-done";
import { newCodeSentMessage, renderTrackForm, renderTrackStatus, trackNotFoundMessage, type TrackStatusInput } from "../../../shared/ui/portal/track";
import { applicationConfirmationTexts, parseApplicationInput } from "../../../shared/schemas/application";

const hostile = [`<script>alert(1)</script>`, `"><img src=x onerror=alert(1)>`, `' onmouseover='alert(1)`];

function assertInert(page: string) {
  expect(page).not.toMatch(/<script/i);
  expect(page).not.toMatch(/<img/i);
  for (const [tag] of page.matchAll(/<[a-zA-Z][^>]*>/g)) {
    const withoutValues = tag.replace(/"[^"]*"/g, '""');
    expect(withoutValues).not.toMatch(/\son\w+\s*=/i);
    expect(withoutValues).not.toMatch(/'/);
  }
}

/** Every in-page link and label points at an element that exists; no id twice. */
function assertIdsConsistent(page: string) {
  const ids = [...page.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  expect(new Set(ids).size).toBe(ids.length);
  for (const [, target] of page.matchAll(/href="#([^"]+)"/g)) expect(ids).toContain(target);
  for (const [, target] of page.matchAll(/<label for="([^"]+)"/g)) expect(ids).toContain(target);
  for (const [, list] of page.matchAll(/aria-describedby="([^"]+)"/g)) for (const target of list!.split(" ")) expect(ids).toContain(target);
}

function assertNoJavaScript(page: string) {
  expect(page).not.toMatch(/<script|\son\w+=|javascript:/i);
}

const agencies = [{ code: "001008010002002", name: "黄岩区行政服务中心" }];

const status = (over: Partial<TrackStatusInput> = {}): TrackStatusInput => ({
  trackingNumber: "001008010002002-2026-00001",
  status: "in_progress",
  statusText: "正在办理",
  receivedOn: "2026-03-02",
  dueOn: "2026-03-30",
  dueIsProvisional: false,
  duePaused: false,
  workingDaysLeft: 12,
  events: [{ at: "2026-03-02T01:30:00.000Z", summary: "申请人通过网上申请平台提交政府信息公开申请" }],
  letters: [{ letterId: "L1", title: "受理回执", number: "黄行服受〔2026〕1号", issuedOn: "2026-03-02" }],
  correction: null,
  result: null,
  ...over,
});

describe("application form", () => {
  it("posts multipart with a one-time token, three labelled file inputs, the contact person and two required boxes", () => {
    // Act
    const page = renderApplyForm({ agencies, formToken: "tok_1234567890abcdef" });
    // Assess
    assertIdsConsistent(page);
    assertNoJavaScript(page);
    expect(page).toMatch(/<form method="post" action="\/apply" accept-charset="UTF-8" enctype="multipart\/form-data" novalidate>/);
    expect(page).toContain('<input type="hidden" name="formToken" value="tok_1234567890abcdef">');
    for (const n of [1, 2, 3]) {
      expect(page).toMatch(new RegExp(`<label for="f-attachment${n}">附件 ${n}</label>`));
      expect(page).toMatch(new RegExp(`<input type="file" id="f-attachment${n}" name="attachment${n}" accept="[^"]*application/pdf[^"]*"`));
    }
    expect(page).not.toContain('name="attachment4"');
    expect(page).toContain("PDF、JPEG、PNG");
    expect(page).toContain("1.5 MB");
    expect(page).toMatch(/<label for="f-contactPerson">联系人姓名/);
    for (const name of ["declaration", "consent"] as const) {
      expect(page).toMatch(new RegExp(`<input type="checkbox" id="f-${name}" name="${name}" value="yes" aria-required="true"`));
      expect(page).toContain(applicationConfirmationTexts[name]);
    }
    expect(page).not.toContain("浏览器不会保留已选择的文件");
  });

  it("after errors: checkbox errors link to the boxes, ticked boxes stay ticked, and the form asks to choose the files again", () => {
    // Prepare
    const values = { applicantType: "organization", name: "台州某研究院", declaration: "yes" };
    const result = parseApplicationInput({ applicantType: "organization", name: "台州某研究院", declaration: true }, "2026-03-02", { form: true });
    if (result.ok) throw new Error("expected errors");
    // Act
    const page = renderApplyForm({ agencies, values, errors: [...result.error.fields, { path: "attachment1", code: "too_large", message: "附件“扫描件.pdf”超过 1.5 MB" }] });
    // Assess
    assertIdsConsistent(page);
    expect(page).toContain('<a href="#f-consent">');
    expect(page).toContain('<a href="#f-contactPerson">请填写联系人姓名</a>');
    expect(page).toContain('<a href="#f-attachment1">附件“扫描件.pdf”超过 1.5 MB</a>');
    expect(page).toMatch(/id="f-declaration" name="declaration" value="yes" checked/);
    expect(page).toMatch(/id="f-consent" name="consent" value="yes" aria-required="true" aria-invalid="true"/);
    expect(page).toContain("浏览器不会保留已选择的文件");
  });

  it("shows a form-level notice (the token was already used) and escapes it", () => {
    const page = renderApplyForm({ agencies, notice: hostile[0]! });
    assertInert(page);
    expect(page).toContain('<div class="panel warn" role="alert">');
  });
});

describe("confirmation", () => {
  it("says a reload submits nothing and how long the page can be reopened", () => {
    const page = renderApplyDone({ trackingNumber: "001008010002002-2026-00001", accessCode: "ABCDEFGH23", agencyName: "黄岩区行政服务中心", status: "received" });
    expect(page).toContain("刷新本页不会重复提交");
    expect(page).toContain("10 分钟");
  });

  it("the expired page shows no code and points to tracking and the lost-code form", () => {
    const page = renderApplyDoneExpired();
    assertIdsConsistent(page);
    expect(page).not.toContain('id="access-code"');
    expect(page).toContain('href="/track"');
    expect(page).toContain('href="/track#lost-code"');
  });
});

describe("tracking form", () => {
  it("offers the lookup and the lost-code form with unique ids", () => {
    // Act
    const page = renderTrackForm();
    // Assess
    assertIdsConsistent(page);
    assertNoJavaScript(page);
    expect(page).toContain('<form method="post" action="/track"');
    expect(page).toContain('<form method="post" action="/track/access-code"');
    expect(page).toContain('id="lost-code"');
    expect(page).toContain("向预留邮箱发送新的查询码");
    expect(page).toMatch(/id="n-trackingNumber" name="trackingNumber"/);
    expect(page).not.toContain(newCodeSentMessage);
  });

  it("after a lost-code request shows the one confirmation, whatever the number", () => {
    const page = renderTrackForm({ newCodeSent: true });
    expect(page).toContain(`<p id="new-code-sent">${newCodeSentMessage}</p>`);
    expect(newCodeSentMessage.startsWith("如该申请留有电子邮箱，新的查询码已发送")).toBe(true);
  });

  it("shows the wait when throttled, and the not-found message without the code", () => {
    const throttled = renderTrackForm({ throttled: "查询码错误次数过多，请 12 分钟后再试", values: { trackingNumber: "X" } });
    expect(throttled).toContain('<p id="throttled">查询码错误次数过多，请 12 分钟后再试</p>');
    expect(throttled).toContain("<title>错误：");
    const notFound = renderTrackForm({ notFound: true, values: { trackingNumber: hostile[1]! } });
    assertInert(notFound);
    expect(notFound).toContain(trackNotFoundMessage);
  });

  it("errors of the lost-code form link into that form", () => {
    const page = renderTrackForm({ newCode: { values: { trackingNumber: "abc" }, errors: [{ path: "trackingNumber", code: "invalid_format", message: "申请编号格式不正确" }] } });
    assertIdsConsistent(page);
    expect(page).toContain('<a href="#n-trackingNumber">申请编号格式不正确</a>');
  });
});

describe("status page", () => {
  it("shows the plain-Chinese status, the deadline with the working days left, Beijing-time events and both letter formats", () => {
    // Act
    const page = renderTrackStatus(status());
    // Assess
    assertIdsConsistent(page);
    assertNoJavaScript(page);
    expect(page).toContain('<dd id="status">正在办理</dd>');
    expect(page).toContain('<dd id="due-on"><strong>2026-03-30</strong><br><span class="days-left" id="days-left">还剩 12 个工作日</span></dd>');
    expect(page).toContain('<time datetime="2026-03-02T01:30:00.000Z">2026-03-02 09:30</time>');
    expect(page).toContain("北京时间");
    expect(page).toContain('href="/track/letters/L1?format=docx"');
    expect(page).toContain('href="/track/letters/L1?format=html"');
    expect(page).toContain("黄行服受〔2026〕1号");
    expect(page).not.toContain('id="paused-note"');
    expect(page).not.toContain('action="/track/correction"');
    expect(page).toContain('<form method="post" action="/track/end"');
  });

  it("marks a provisional deadline, the last day and an overdue one", () => {
    expect(renderTrackStatus(status({ dueIsProvisional: true }))).toContain("（暂定）");
    expect(renderTrackStatus(status({ workingDaysLeft: 0 }))).toContain("今天是答复期限的最后一个工作日");
    expect(renderTrackStatus(status({ workingDaysLeft: -2 }))).toContain("已超过答复期限 2 个工作日");
    expect(renderTrackStatus(status({ dueOn: null, workingDaysLeft: null, receivedOn: null }))).toContain("确认收到申请后计算");
  });

  it("says the clock waits: for the applicant's correction, or for a third party or another agency", () => {
    // Act
    const waitingForThirdParty = renderTrackStatus(status({ duePaused: true, workingDaysLeft: null }));
    const waitingForCorrection = renderTrackStatus(
      status({ status: "correction_requested", statusText: "需要您补正申请", duePaused: true, workingDaysLeft: null, correction: { items: ["请明确年份"], dueOn: "2026-03-09", open: true } }),
    );
    // Assess
    expect(waitingForThirdParty).toContain("期限暂停计算");
    expect(waitingForThirdParty).toMatch(/id="paused-note">[^<]*征求第三方或其他机关的意见[^<]*不计算在答复期限内/);
    expect(waitingForCorrection).toMatch(/id="paused-note">等待补正期间不计算答复期限/);
    expect(waitingForCorrection).not.toContain("还剩");
    // the period restarts from the corrected application (art. 30): the old date is not shown
    expect(waitingForCorrection).not.toContain("<strong>2026-03-30</strong>");
    expect(waitingForCorrection).toContain("自收到补正后的申请之日起重新计算");
  });

  it("an open correction notice: the items, the deadline and a form with a note and every correctable field", () => {
    // Act
    const page = renderTrackStatus(status({ status: "correction_requested", duePaused: true, correction: { items: ["请明确所需信息的年份", hostile[0]!], dueOn: "2026-03-09", open: true } }));
    // Assess
    assertIdsConsistent(page);
    assertInert(page);
    expect(page).toContain('<strong id="correction-due">2026-03-09</strong>');
    expect(page).toContain("<li>请明确所需信息的年份</li>");
    expect(page).toContain('<form method="post" action="/track/correction"');
    expect(page).toMatch(/<label for="c-note">补正说明/);
    for (const f of ["name", "idNumber", "creditCode", "contactPerson", "phone", "email", "address", "postalCode", "description", "documentTitle", "deliveryForm", "deliveryWay"]) {
      expect(page).toContain(`name="${f}"`);
    }
    expect(page).not.toContain('name="applicantType"');
    expect(page).not.toContain('name="agencyCode"');
    // closed until there is something to show in it
    expect(page).toContain("<details>");
  });

  it("after a refused correction shows why; after a wrong field opens the fields with the error linked", () => {
    const refused = renderTrackStatus(status({ correction: { items: ["x"], dueOn: "2026-03-09", open: false }, correctionProblem: "补正期限已于 2026-03-09 届满，逾期补正不予接受" }));
    expect(refused).toContain('<p id="correction-problem">补正期限已于 2026-03-09 届满，逾期补正不予接受</p>');
    const invalid = renderTrackStatus(
      status({
        correction: { items: ["x"], dueOn: "2026-03-09", open: true },
        correctionForm: { values: { postalCode: "000000", note: hostile[2]! }, errors: [{ path: "postalCode", code: "invalid_format", message: "邮政编码不正确" }] },
      }),
    );
    assertIdsConsistent(invalid);
    assertInert(invalid);
    expect(invalid).toContain('<a href="#c-postalCode">邮政编码不正确</a>');
    expect(invalid).toContain("<details open>");
    expect(invalid).toContain('value="000000"');
  });

  it("a replied case shows the result and no countdown", () => {
    const page = renderTrackStatus(status({ status: "replied", statusText: "已答复", result: { replyType: "disclosed", label: "予以公开" }, workingDaysLeft: null }));
    expect(page).toContain('<dd id="result">予以公开</dd>');
    expect(page).not.toContain("还剩");
  });

  it("after a correction, says it was received", () => {
    expect(renderTrackStatus(status({ corrected: true }))).toContain("已收到您提交的补正内容");
  });
});
