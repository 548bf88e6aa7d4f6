import { describe, expect, it } from "vitest";
import { memoryHarness } from "../../support/harness";
import { validApplication } from "../../support/app";
import { enterApplication } from "../../../shared/app/applications/intake";
import { ValidationError } from "../../../shared/app/errors";
import { renderEntryPage } from "../../../shared/ui/console/entry";

const user = { displayName: "办公室 王敏", roles: ["office_staff"], agencyName: "黄岩区行政服务中心", csrfToken: "csrf-1" };

describe("console staff entry (录入申请)", () => {
  it("asks how the application came and when, the receipt date pre-filled with today and labelled so, then the art. 29 fields; CSRF token", () => {
    // Act
    const page = renderEntryPage({ user, csrfToken: "csrf-1", agencyName: "黄岩区行政服务中心", today: "2026-03-02" });
    // Assess
    expect(page).toContain('<form method="post" action="/console/applications/new"');
    expect(page).toContain('<input type="hidden" name="csrfToken" value="csrf-1">');
    for (const channel of ["letter", "registered_mail", "fax", "in_person"]) expect(page).toContain(`name="channel" value="${channel}"`);
    expect(page).not.toContain('value="online"');
    expect(page).toMatch(/<label for="f-receivedOn">收到申请日期 <span class="req"/);
    expect(page).toMatch(/type="date" id="f-receivedOn" name="receivedOn" value="2026-03-02"/);
    expect(page).toContain("已预填今天（北京时间 2026-03-02）");
    expect(page).toContain("挂号信签收日期（选择“挂号信件”时必填）");
    for (const field of ["applicantType", "name", "idType", "idNumber", "organizationKind", "creditCode", "legalRepresentative", "phone", "email", "address", "postalCode", "description", "documentTitle", "documentNumber", "purpose", "deliveryForm", "deliveryWay"]) {
      expect(page).toContain(`name="${field}"`);
    }
    // the office enters for its own agency: no agency to choose
    expect(page).not.toContain('name="agencyCode"');
    expect(page).toContain('<a href="/console/applications/new" aria-current="page">录入申请</a>');
  });

  it("a refused entry comes back with every error linked to its field and everything typed kept, an empty date left empty", async () => {
    // Prepare: what the use case says about a registered letter without its signed-for day and a bad phone
    const h = await memoryHarness();
    const office = await h.signIn("office");
    const form = { channel: "registered_mail", receivedOn: "", signedForOn: "", ...(validApplication({ phone: "12345" }) as Record<string, string>) };
    const refused = await enterApplication(h.deps, office, form).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ValidationError);
    // Act
    const page = renderEntryPage({ user, csrfToken: "csrf-1", agencyName: "黄岩区行政服务中心", today: "2026-03-02", values: form, errors: (refused as ValidationError).fields });
    // Assess
    expect(page).toContain("<title>错误：录入申请");
    expect(page).toContain('<a href="#f-receivedOn">请填写收到日期</a>');
    expect(page).toContain('<a href="#f-signedForOn">请填写挂号信签收日期</a>');
    expect(page).toMatch(/<a href="#f-phone">[^<]*联系电话/);
    expect(page).toMatch(/type="date" id="f-receivedOn" name="receivedOn" value=""/);
    expect(page).toMatch(/name="channel" value="registered_mail" id="[^"]+" checked>/);
    expect(page).toMatch(/id="f-name" name="name" value="张三"/);
    expect(page).toContain(">2025年度行政服务中心窗口服务满意度调查结果</textarea>");
  });
});
