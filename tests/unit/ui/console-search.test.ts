import { describe, expect, it } from "vitest";
import { memoryHarness, type Harness } from "../../support/harness";
import { validApplication } from "../../support/app";
import { submitApplication } from "../../../shared/app/applications/intake";
import { searchCases } from "../../../shared/app/views/search";
import { ValidationError } from "../../../shared/app/errors";
import type { StaffPrincipal } from "../../../shared/app/auth";
import { creditCodeCheckChar } from "../../../shared/domain/identity";
import { renderSearchPage, searchFields } from "../../../shared/ui/console/search";

/** The search page from the real use case (in-memory ports; the clock starts 2026-03-02). */

const userOf = (p: StaffPrincipal) => ({ displayName: p.displayName, roles: p.roles, agencyName: p.agencyName, csrfToken: p.csrfToken });

async function submitted(h: Harness, overrides: Record<string, unknown> = {}) {
  const s = await submitApplication(h.deps, validApplication(overrides));
  await h.settle();
  return s;
}

async function searchPage(h: Harness, username: string, query: Record<string, string>) {
  const principal = await h.signIn(username);
  const params = new URLSearchParams(query);
  const values = Object.fromEntries(searchFields.map((k) => [k, params.get(k) ?? ""]));
  try {
    const { results, showPersonalData } = await searchCases(h.deps, principal, params);
    return renderSearchPage({ user: userOf(principal), values, results, showPersonalData });
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return renderSearchPage({ user: userOf(principal), values, errors: error.fields, showPersonalData: false });
  }
}

const creditCode = (() => {
  const first17 = "91331003MA2ABCDE1";
  return first17 + creditCodeCheckChar(first17);
})();

describe("console search", () => {
  it("finds a registered case by tracking number, by the applicant's name and by words of the description, linking to its page", async () => {
    // Prepare
    const h = await memoryHarness();
    const a = await submitted(h, { name: "欧阳明华", description: "2025年度窗口服务满意度调查结果" });
    await h.complete("office", a.caseId, "register", { outcome: "registered" });
    await submitted(h, { name: "李四", description: "黄岩区政务服务中心装修工程合同" });
    // Act
    const byNumber = await searchPage(h, "office", { trackingNumber: a.trackingNumber });
    const byName = await searchPage(h, "office", { q: "欧阳" });
    const byWords = await searchPage(h, "office", { q: "满意度", status: "registered", from: "2026-03-01", to: "2026-03-02" });
    const bySteps = await searchPage(h, "office", { step: "review" });
    // Assess
    for (const page of [byNumber, byName, byWords, bySteps]) {
      expect(page).toContain(`<a href="/console/cases/${a.caseId}">${a.trackingNumber}</a>`);
      expect(page).toContain("共 1 件");
      expect(page).toContain("<td data-label=\"申请人\">欧阳明华</td>");
      expect(page).toContain("已受理登记，待审查");
    }
    expect(byWords).toMatch(/id="s-q" name="q" value="满意度"/);
    expect(byWords).toMatch(/<option value="registered" selected>/);
    expect(byWords).toMatch(/type="date" id="s-from" name="from" value="2026-03-01"/);
    // every case without criteria (from the start of last year)
    expect(await searchPage(h, "office", {})).toContain("共 2 件");
  });

  it("masks a person's name for roles that do not handle personal data, not an organisation's, and does not search by a person's name for them", async () => {
    const h = await memoryHarness();
    await submitted(h, { name: "欧阳明华" });
    await submitted(h, {
      applicantType: "organization",
      organizationKind: "commercial",
      name: "台州市黄岩某某贸易有限公司",
      creditCode,
      legalRepresentative: "王大明",
      idType: undefined,
      idNumber: undefined,
    });
    const all = await searchPage(h, "auditor", {});
    expect(all).toContain('<td data-label="申请人">欧**华</td>');
    expect(all).toContain('<td data-label="申请人">台州市黄岩某某贸易有限公司</td>');
    expect(all).not.toContain("欧阳明华");
    expect(all).toContain("您的角色不能按个人姓名查询");
    expect(await searchPage(h, "auditor", { q: "欧阳" })).toContain("没有符合条件的案件。");
  });

  it("a wrong query comes back with its errors linked to the fields and what was typed", async () => {
    const h = await memoryHarness();
    const page = await searchPage(h, "office", { trackingNumber: "abc", from: "2026-13-01" });
    expect(page).toContain("<title>错误：案件查询");
    expect(page).toContain('<a href="#s-trackingNumber">申请编号格式不正确');
    expect(page).toContain('<a href="#s-from">日期应为 YYYY-MM-DD 格式</a>');
    expect(page).toMatch(/id="s-trackingNumber" name="trackingNumber" value="abc"[^>]*aria-invalid="true"/);
    expect(page).not.toContain("查询结果");
    // a GET form: a search is a link one can keep; labelled controls
    expect(page).toContain('<form method="get" action="/console/cases"');
    expect(page).toContain('<label for="s-status">办理状态</label>');
  });
});
