import { describe, expect, it } from "vitest";
import type { StaffCaseView } from "../../../shared/app/view-case";
import { renderCasePage } from "../../../shared/ui/console/case";

function staffView(showPersonalData: boolean): StaffCaseView {
  return {
    case: {
      caseId: "case-1",
      agencyCode: "001008010002002",
      workflow: "application",
      status: "received",
      trackingNumber: "HY-2026-000123",
      channel: "online",
      submittedAt: "2026-11-27T01:00:00.000Z",
      submittedOn: "2026-11-27",
      application: {
        agencyCode: "001008010002002",
        applicantType: "natural_person",
        name: showPersonalData ? "张三丰" : "张*丰",
        idType: "resident_id",
        idNumber: showPersonalData ? "33010219900307123X" : "3301**********123X",
        phone: showPersonalData ? "13812345678" : "138****5678",
        address: "浙江省台州市黄岩区",
        postalCode: "318020",
        description: "某文件",
        deliveryForm: "paper",
        deliveryWay: "mail",
      },
      deadlines: {},
      flags: [],
      version: 1,
      eventCount: 1,
      lastEventHash: "h",
      letters: [],
    },
    showPersonalData,
    deadlines: [{ name: "answer", label: "法定答复期限", dueOn: "2026-12-25", provisional: false, paused: false, explanation: ["说明一"] }],
    timeline: [
      {
        caseId: "case-1",
        seq: 1,
        at: "2026-11-27T01:00:00.000Z",
        actor: { kind: "applicant" },
        type: "application.submitted",
        summary: "网上提交申请",
        prevHash: "0",
        hash: "h",
      },
    ],
    auditTrailIntact: true,
    tasks: [
      {
        taskId: "task-1",
        caseId: "case-1",
        workflow: "application",
        step: "register",
        role: "office_staff",
        status: "open",
        title: "受理登记 HY-2026-000123",
        trackingNumber: "001008010002002-2026-00123",
        applicantMasked: "张*",
        dueOn: "2026-11-30",
        dueAt: "2026-11-30T15:59:59.999Z",
        dueIsProvisional: false,
        overdue: false,
        escalatedTo: [],
        allowedOutcomes: [
          {
            outcome: "registered",
            label: "确认收到并登记",
            fields: [
              { name: "receivedOn", type: "date", label: "收到申请日期", required: true },
              { name: "note", type: "text", label: "备注", required: false, maxLength: 500 },
            ],
          },
          { outcome: "rejected", label: "不予受理", fields: [{ name: "reason", type: "choice", label: "理由", required: true, choices: [{ value: "dup", label: "重复申请" }] }] },
        ],
      },
    ],
    letters: [],
  };
}

const staff = { displayName: "王五", roles: ["office_staff"], agencyName: "黄岩区行政服务中心", csrfToken: "csrf-1" };

describe("renderCasePage (from the staff use case's view)", () => {
  it("renders one form per outcome for tasks the user's roles may act on, with the session's CSRF token", () => {
    // Act
    const page = renderCasePage({ user: staff, view: staffView(true), notice: "已办理" });
    // Assess
    const forms = [...page.matchAll(/<form method="post" action="\/console\/tasks\/task-1\/complete"/g)];
    expect(forms).toHaveLength(2);
    expect(page).toContain('<input type="hidden" name="outcome" value="registered">');
    expect(page).toContain('<input type="hidden" name="csrfToken" value="csrf-1">');
    expect(page).toContain('type="date" id="t-task-1-registered-receivedOn"');
    expect(page).toContain('<option value="dup">重复申请</option>');
    expect(page).toContain("已办理");
    expect(page).toContain("张三丰");
    expect(page).toContain("网上提交申请");
  });

  it("offers no form for a task that is already done", () => {
    const view = staffView(true);
    const page = renderCasePage({ user: staff, view: { ...view, tasks: view.tasks.map((t) => ({ ...t, status: "done" as const })) } });
    expect(page).not.toContain("/console/tasks/task-1/complete");
  });

  it("offers no forms to a role that may not act, and shows masked data as given", () => {
    // Act
    const page = renderCasePage({ user: { ...staff, roles: ["auditor"] }, view: staffView(false) });
    // Assess
    expect(page).not.toContain("/console/tasks/task-1/complete");
    expect(page).toContain("张*丰");
    expect(page).toContain("3301**********123X");
    expect(page).toContain("已脱敏");
  });

  it("re-renders the posted outcome's form with its errors and values", () => {
    // Act
    const page = renderCasePage({
      user: staff,
      view: staffView(true),
      values: { taskId: "task-1", outcome: "registered", note: "电话确认" },
      errors: [
        { path: "receivedOn", code: "required", message: "请填写收到申请日期" },
        { path: "", code: "CONFLICT", message: "该任务已办结" },
      ],
    });
    // Assess
    expect(page).toContain("<title>错误：");
    expect(page).toContain('id="t-task-1-registered-receivedOn-error"');
    expect(page).toContain(">电话确认</textarea>");
    expect(page).toContain('<a href="#t-task-1-registered-receivedOn">请填写收到申请日期</a>');
    expect(page).toContain("该任务已办结");
    expect(page).not.toContain('id="t-task-1-rejected-reason-error"');
  });
});
