import { describe, expect, it } from "vitest";
import { escapeHtml, formatShanghaiTime, html, raw, safeHref } from "../../../shared/ui/html";
import { renderPortalHome } from "../../../shared/ui/portal/home";
import { renderApplyForm } from "../../../shared/ui/portal/apply-form";
import { renderApplyDone } from "../../../shared/ui/portal/apply-done";
import { renderTrackForm, renderTrackStatus, trackNotFoundMessage } from "../../../shared/ui/portal/track";
import { renderLogin } from "../../../shared/ui/console/login";
import { renderInbox } from "../../../shared/ui/console/inbox";
import type { CaseView } from "../../../shared/ui/console/case";
import { renderCase } from "../../../shared/ui/console/case";
import { renderConsolePage } from "../../../shared/ui/console/layout";
import { renderMethodNotAllowedPage, renderNotFoundPage, renderServerErrorPage } from "../../../shared/ui/errors";
import { applicationFieldLabels, applicationFields, parseApplicationInput } from "../../../shared/schemas/application";
import { roleLabels, roles } from "../../../shared/domain/roles";
import { caseStatusLabels, stepLabels } from "../../../shared/domain/labels";

const payloads = [
  `<script>alert(1)</script>`,
  `"><img src=x onerror=alert(1)>`,
  `' onmouseover='alert(1)`,
  "`${alert(1)}`",
  `</textarea><script>alert(1)</script>`,
];

/**
 * No executable markup sneaked in: no script or img elements, and no tag carries an
 * event-handler attribute once its (double-quoted) attribute values are blanked out.
 */
function assertInert(page: string) {
  expect(page).not.toMatch(/<script/i);
  expect(page).not.toMatch(/<img/i);
  for (const [tag] of page.matchAll(/<[a-zA-Z][^>]*>/g)) {
    const withoutValues = tag.replace(/"[^"]*"/g, '""');
    expect(withoutValues).not.toMatch(/\son\w+\s*=/i);
    expect(withoutValues).not.toMatch(/'/);
  }
}

/** A complete, self-contained zh-CN page: no JavaScript, no external assets. */
function assertStandalonePage(page: string) {
  expect(page.startsWith("<!DOCTYPE html>")).toBe(true);
  expect(page).toContain('<html lang="zh-CN">');
  expect(page).toContain('<meta charset="utf-8">');
  expect(page).not.toMatch(/<script|<link\b|src=|url\(/i);
  expect(page).not.toMatch(/href="(https?:)?\/\//i);
}

/** Ids used by in-page links (#id) and label[for] all exist, and no id appears twice. */
function assertIdsConsistent(page: string) {
  const ids = [...page.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  expect(new Set(ids).size).toBe(ids.length);
  for (const [, target] of page.matchAll(/href="#([^"]+)"/g)) expect(ids).toContain(target);
  for (const [, target] of page.matchAll(/<label for="([^"]+)"/g)) expect(ids).toContain(target);
}

const user = { displayName: "王五", roles: ["office_staff", "deputy_leader"], agencyName: "黄岩区行政服务中心" };

describe("escapeHtml and the html tag", () => {
  it("escapes every character that can break out of text or a quoted attribute", () => {
    expect(escapeHtml(`<a href="x" title='y'>&\`</a>`)).toBe("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&#96;&lt;/a&gt;");
  });

  it("escapes interpolations but keeps trusted fragments, arrays and empty values", () => {
    // Act
    const out = html`<p title="${payloads[1]}">${payloads[0]}${raw("<b>ok</b>")}${["<i>", html`<br>`]}${null}${false}${undefined}</p>`;
    // Assess
    expect(out.value).toBe(
      '<p title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">&lt;script&gt;alert(1)&lt;/script&gt;<b>ok</b>&lt;i&gt;<br></p>',
    );
  });

  it("only lets same-site paths and http(s) URLs become links", () => {
    expect(safeHref("/letters/1.pdf")).toBe("/letters/1.pdf");
    expect(safeHref("https://example.gov.cn/a")).toBe("https://example.gov.cn/a");
    expect(safeHref("javascript:alert(1)")).toBe("#");
    expect(safeHref("//evil.example")).toBe("#");
  });

  it("formats instants in Beijing time whatever the process time zone", () => {
    expect(formatShanghaiTime("2026-11-27T16:30:00.000Z")).toBe("2026-11-28 00:30");
  });
});

describe("portal pages", () => {
  it("home lists the agencies and the two things a citizen can do", () => {
    // Act
    const page = renderPortalHome({ agencies: [{ code: "001008010002002", name: "黄岩区行政服务中心" }] });
    // Assess
    assertStandalonePage(page);
    expect(page).toContain('href="/apply"');
    expect(page).toContain('href="/track"');
    expect(page).toContain("黄岩区行政服务中心");
    expect(page).toContain("/apply?agency=001008010002002");
  });

  it("the application form has every SPEC §7 field, labelled, posting multipart to /apply", () => {
    // Act
    const page = renderApplyForm({ agencies: [{ code: "001008010002002", name: "黄岩区行政服务中心" }], csrfToken: "tok" });
    // Assess
    assertStandalonePage(page);
    assertIdsConsistent(page);
    expect(page).toMatch(/<form method="post" action="\/apply"[^>]*enctype="multipart\/form-data"/);
    for (const field of applicationFields) {
      expect(page).toContain(`name="${field}"`);
      expect(page).toContain(applicationFieldLabels[field]);
    }
    expect(page).toContain("自然人填写");
    expect(page).toContain("法人或其他组织填写");
    expect(page).toContain('<input type="hidden" name="csrfToken" value="tok">');
    expect(page).toContain('autocomplete="tel"');
    expect(page).toContain('autocomplete="postal-code"');
    expect(page).toContain('aria-required="true"');
    expect(page).not.toContain('class="error-summary"');
    // the only agency is preselected
    expect(page).toContain('<option value="001008010002002" selected>');
  });

  it("after an error it lists every error at the top, shows each by its field and keeps the values", () => {
    // Prepare: a real validation result from the schema
    const values = { agencyCode: "001008010002002", applicantType: "natural_person", name: "张三", idType: "resident_id", idNumber: "330102199003071231", phone: "12345", deliveryForm: "email", description: "某文件" };
    const result = parseApplicationInput(values, "2026-11-27");
    if (result.ok) throw new Error("expected errors");
    // Act
    const page = renderApplyForm({ agencies: [{ code: "001008010002002", name: "黄岩区行政服务中心" }, { code: "001008010002003", name: "另一机关" }], values, errors: result.error.fields });
    // Assess
    assertIdsConsistent(page);
    expect(page).toContain("<title>错误：");
    const summary = /<div class="error-summary"[\s\S]*?<\/div>/.exec(page)?.[0] ?? "";
    for (const f of result.error.fields) {
      expect(summary).toContain(`<a href="#f-${f.path}">${f.message}</a>`);
      expect(page).toContain(`id="f-${f.path}-error"`);
    }
    expect(page).toContain('value="张三"');
    expect(page).toContain('value="12345"');
    expect(page).toMatch(/id="f-phone"[^>]*aria-invalid="true"/);
    expect(page).toContain('<option value="001008010002002" selected>');
    expect(page).toMatch(/value="natural_person" id="f-applicantType" checked/);
    expect(page).toMatch(/value="email" id="f-deliveryForm-email" checked/);
    expect(page).toContain(">某文件</textarea>");
  });

  it("escapes hostile values and agency names in the form", () => {
    // Prepare
    const values = Object.fromEntries(applicationFields.map((f, i) => [f, payloads[i % payloads.length]!]));
    const errors = [{ path: "name", code: "invalid_format", message: payloads[0]! }];
    // Act
    const page = renderApplyForm({ agencies: [{ code: payloads[1]!, name: payloads[0]! }], values, errors, csrfToken: payloads[2]! });
    // Assess
    assertInert(page);
    expect(page).toContain("&lt;/textarea&gt;&lt;script&gt;");
  });

  it("the confirmation shows the tracking number and access code by id and explains the periods", () => {
    // Act
    const page = renderApplyDone({ trackingNumber: "HY-2026-000123", accessCode: "K7P2-9QXM", agencyName: "黄岩区行政服务中心", status: "received" });
    // Assess
    assertStandalonePage(page);
    expect(page).toContain('<dd id="tracking-number">HY-2026-000123</dd>');
    expect(page).toContain('<dd id="access-code">K7P2-9QXM</dd>');
    expect(page).toContain("申请编号");
    expect(page).toContain("查询码");
    expect(page).toContain("妥善保存");
    expect(page).toContain("20 个工作日");
    expect(page).toContain("第三十一条");
    expect(page).toContain(caseStatusLabels.received);
  });

  it("escapes the confirmation's values", () => {
    const page = renderApplyDone({ trackingNumber: payloads[0]!, accessCode: payloads[1]!, agencyName: payloads[2]!, status: payloads[4]! });
    assertInert(page);
  });

  it("the tracking form answers a wrong number and a wrong code with the same message and never echoes the code", () => {
    // Act
    const page = renderTrackForm({ values: { trackingNumber: "HY-2026-000123" }, notFound: true });
    // Assess
    assertStandalonePage(page);
    assertIdsConsistent(page);
    expect(page).toContain(trackNotFoundMessage);
    expect(page).toContain('value="HY-2026-000123"');
    expect(page).toMatch(/type="password" id="f-accessCode" name="accessCode" value=""/);
  });

  it("the status view shows the status text, dates, provisional mark, timeline and letters, escaped", () => {
    // Act
    const page = renderTrackStatus({
      trackingNumber: "HY-2026-000123",
      status: "registered",
      statusText: "已受理，正在审查申请内容",
      receivedOn: "2026-11-27",
      dueOn: "2026-12-25",
      dueIsProvisional: true,
      duePaused: false,
      workingDaysLeft: 19,
      events: [{ at: "2026-11-27T01:00:00Z", summary: payloads[0]! }],
      letters: [{ letterId: "javascript:alert(1)", title: "补正告知书", number: "黄行服补〔2026〕1号", issuedOn: "2026-11-30" }],
      correction: null,
      result: null,
    });
    // Assess
    assertStandalonePage(page);
    assertInert(page);
    expect(page).toContain("已受理，正在审查申请内容");
    expect(page).toContain('<strong>2026-12-25</strong><span class="provisional">（暂定）</span>');
    expect(page).toContain("还剩 19 个工作日");
    expect(page).toContain("2026-11-27 09:00");
    // the letter id is a path segment of a same-site link, never a scheme
    expect(page).toContain('<a href="/track/letters/javascript%3Aalert(1)?format=docx">');
  });

  it("error pages are Chinese, complete pages", () => {
    for (const page of [renderNotFoundPage(), renderMethodNotAllowedPage(["GET"]), renderServerErrorPage("REQ-1")]) {
      assertStandalonePage(page);
      expect(page).toMatch(/<h1>\p{Script=Han}+/u);
    }
    expect(renderServerErrorPage("<b>")).toContain("&lt;b&gt;");
  });
});

describe("console pages", () => {
  it("has a Chinese label for every role", () => {
    for (const role of roles) expect(roleLabels[role]).toMatch(/\p{Script=Han}/u);
    expect(roleLabels.deputy_leader).toBe("分管领导");
    expect(stepLabels.sign_off).toBe("审签答复");
  });

  it("sign-in page: agency select, username, password, hidden csrf; password never kept", () => {
    // Act
    const page = renderLogin({ agencies: [{ code: "001008010002002", name: "黄岩区行政服务中心" }], values: { username: "wangwu" }, failed: true, csrfToken: "c1" });
    // Assess
    assertStandalonePage(page);
    assertIdsConsistent(page);
    expect(page).toContain('name="agencyCode"');
    expect(page).toContain('value="wangwu"');
    expect(page).toMatch(/type="password" id="f-password" name="password" value=""/);
    expect(page).toContain('autocomplete="current-password"');
    expect(page).toContain('<input type="hidden" name="csrfToken" value="c1">');
    expect(page).toContain("机关、用户名或密码不正确");
  });

  it("inbox: sorted by due time, overdue and provisional marked, links to the case, sign-out by POST", () => {
    // Prepare
    const task = (id: string, dueAt: string, extra: Partial<{ overdue: boolean; dueIsProvisional: boolean }> = {}) => ({
      taskId: id,
      caseId: `case-${id}`,
      title: `申请 ${id}`,
      step: "register",
      role: "office_staff",
      dueAt,
      dueIsProvisional: extra.dueIsProvisional ?? false,
      overdue: extra.overdue ?? false,
      applicantMasked: "张*丰",
    });
    // Act
    const page = renderInbox({
      user,
      csrfToken: "c2",
      tasks: [task("b", "2026-12-03T15:59:59Z", { dueIsProvisional: true }), task("a", "2026-11-20T15:59:59Z", { overdue: true }), task("c", "2026-12-01T15:59:59Z")],
    });
    // Assess
    assertStandalonePage(page);
    const order = [...page.matchAll(/data-task-id="(\w)"/g)].map((m) => m[1]);
    expect(order).toEqual(["a", "c", "b"]);
    expect(page).toMatch(/<tr class="overdue" data-task-id="a">/);
    expect(page).toContain('href="/console/cases/case-a"');
    expect(page).toContain("暂定");
    expect(page).toContain(stepLabels.register);
    expect(page).toContain("办公室");
    expect(page).toContain("张*丰");
    expect(page).toMatch(/<form method="post" action="\/console\/logout"><input type="hidden" name="csrfToken" value="c2"><button/);
    expect(page).toContain("办公室、分管领导");
  });

  it("inbox escapes task titles and user names", () => {
    const page = renderInbox({
      user: { ...user, displayName: payloads[0]! },
      csrfToken: payloads[1]!,
      tasks: [{ taskId: "t", caseId: payloads[1]!, title: payloads[0]!, step: payloads[2]!, role: payloads[3]!, dueAt: "2026-12-01T00:00:00Z", dueIsProvisional: false, overdue: false, applicantMasked: payloads[4]! }],
    });
    assertInert(page);
  });

  describe("case page", () => {
    const view: CaseView = {
      caseId: "c1",
      trackingNumber: "HY-2026-000123",
      status: "registered",
      receivedOn: "2026-11-27",
      applicant: {
        applicantType: "natural_person",
        name: "张三丰",
        idType: "resident_id",
        idNumber: "33010219900307123X",
        phone: "13812345678",
        email: "zhangsan@example.com",
        address: "浙江省台州市黄岩区东城街道1号",
        postalCode: "318020",
      },
      request: { description: "某文件", deliveryForm: "email", deliveryWay: "email" },
      deadlines: [{ label: "法定答复期限", dueOn: "2026-12-25", provisional: false, explanation: ["2026-11-27 收到申请，当日不计", "12-25 为第 20 个工作日"] }],
      timeline: [{ at: "2026-11-27T01:00:00Z", description: "受理登记", actor: "王五", role: "office_staff" }],
      letters: [{ title: "受理回执", issuedOn: "2026-11-27", url: "/letters/1" }],
    };

    it("masks personal data for roles that do not handle it", () => {
      // Act
      const page = renderCase({ user, csrfToken: "c", caseView: view, showPersonalData: false });
      // Assess
      assertStandalonePage(page);
      for (const secret of ["张三丰", "33010219900307123X", "13812345678", "zhangsan@example.com", "东城街道1号"]) expect(page).not.toContain(secret);
      expect(page).toContain("张*丰");
      expect(page).toContain("3301**********123X");
      expect(page).toContain("138****5678");
      expect(page).toContain("已脱敏");
    });

    it("shows personal data to roles that handle it, with deadlines, their explanation, timeline and letters", () => {
      // Act
      const page = renderCase({ user, csrfToken: "c", caseView: view, showPersonalData: true });
      // Assess
      assertIdsConsistent(page);
      expect(page).toContain("张三丰");
      expect(page).toContain("33010219900307123X");
      expect(page).toContain("法定答复期限");
      expect(page).toContain("12-25 为第 20 个工作日");
      expect(page).toContain("受理登记（王五，办公室）");
      expect(page).toContain('<a href="/letters/1">受理回执</a>');
      expect(page).toContain(caseStatusLabels.registered);
      expect(page).toContain("电子邮件");
    });

    it("escapes everything it shows", () => {
      const hostile: CaseView = {
        ...view,
        trackingNumber: payloads[0]!,
        status: payloads[1]!,
        applicant: { ...view.applicant!, name: payloads[0]!, address: payloads[1]! },
        request: { description: payloads[4]!, deliveryForm: payloads[2]!, deliveryWay: payloads[3]! },
        deadlines: [{ label: payloads[0]!, dueOn: payloads[1]!, provisional: true, explanation: [payloads[2]!] }],
        timeline: [{ at: payloads[3]!, description: payloads[0]!, actor: payloads[1]! }],
        letters: [{ title: payloads[0]!, issuedOn: payloads[1]! }],
      };
      assertInert(renderCase({ user, csrfToken: payloads[2]!, caseView: hostile, showPersonalData: true }));
    });
  });

  it("the console shell wraps another template's fragment and offers sign-out", () => {
    const page = renderConsolePage({ title: "节假日安排", user: { ...user, csrfToken: "c3" }, main: "<h1>节假日安排</h1>", current: "calendar" });
    assertStandalonePage(page);
    expect(page).toContain("<h1>节假日安排</h1>");
    expect(page).toContain('<a href="/console/calendar" aria-current="page">');
    expect(page).toContain('<input type="hidden" name="csrfToken" value="c3">');
  });
});
