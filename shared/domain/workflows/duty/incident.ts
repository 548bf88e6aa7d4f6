import { textValue } from "../fields";
import type { WorkflowDefinition } from "../types";
import type { Person } from "./people";

/**
 * A fault, anomaly or security incident (seed 值班值守制度 二、10 and 四; 网站安全防护制度
 * 第五条, 第八条). It is reported in writing to the person responsible for the site (the
 * website admin is told with the description) and followed up by the duty officer. An
 * emergency — the site down, an incident the office cannot handle at once — must be
 * reported to the superior department, with the time, before it can be closed; a security
 * incident records its containment, the records kept and its report upward.
 */

export type IncidentCategory = "fault" | "content" | "security";
export const incidentCategoryLabels: Record<IncidentCategory, string> = { fault: "故障（网站或新媒体无法正常访问）", content: "内容异常", security: "安全事件" };

export interface PageProblem {
  url: string;
  /** HTTP status, absent when the page did not answer */
  status?: number;
  problem: "unavailable" | "unexpected_change";
  detail: string;
}

export interface IncidentData {
  title: string;
  category: IncidentCategory;
  emergency: boolean;
  description: string;
  source: "staff" | "site_check";
  reportedBy: Person | { username: "system"; displayName: "自动检查" };
  /** what the automatic check found */
  pages?: PageProblem[];
  reportsUpward: Array<{ department: string; summary: string; at: string; byName: string }>;
  resolution?: { handling: string; containment?: string; recordsKept?: string; at: string; byName: string };
}

const text = textValue;

export const incidentWorkflow: WorkflowDefinition<IncidentData> = {
  workflow: "incident",
  label: "故障与安全事件",
  statuses: { open: "处置中", resolved: "已处置" },
  terminal: ["resolved"],
  start: { step: "handle_incident", status: "open" },
  steps: {
    handle_incident: {
      step: "handle_incident",
      role: "duty_officer",
      title: "处置故障或安全事件",
      instructions: "核实情况，向相关责任人报告并记录故障描述；紧急情况立即报告上级部门（记录时间）；安全事件须采取措施控制影响、保存相关记录并向上级报告；处置完毕后登记处置情况。",
      periodWorkingDays: 1,
      escalateTo: ["web_admin", "deputy_leader"],
      outcomes: [
        // the case opens with its report (decided with no task): the responsible person is told at once
        {
          outcome: "report",
          label: "报告故障或事件",
          entry: true,
          actors: ["staff", "system"],
          fields: [],
          transition: (ctx) => {
            const d = ctx.extra.data as IncidentData;
            return {
              data: d,
              open: [{ step: "handle_incident" }],
              ...(d.emergency ? { flags: { add: ["emergency"] } } : {}),
              notices: [
                {
                  to: { kind: "roles", roles: ["web_admin"] },
                  subject: `【${d.emergency ? "紧急" : "故障报告"}】${d.title}`,
                  text: [
                    `${d.reportedBy.displayName}报告${incidentCategoryLabels[d.category]}：${d.title}`,
                    `故障描述：${d.description}`,
                    ...(d.emergency ? ["属紧急情况：请立即排除故障，并按规定第一时间向上级主管部门报告（网站安全防护制度第八条）。"] : []),
                  ].join("\n"),
                },
              ],
              event: { type: "incident.reported", summary: `${d.reportedBy.displayName}报告${d.emergency ? "紧急" : ""}${incidentCategoryLabels[d.category]}：${d.title}。${d.description}` },
            };
          },
        },
        {
          outcome: "reported_upward",
          label: "已报告上级部门",
          fields: [
            { name: "department", type: "text", label: "报告的上级部门", required: true, maxLength: 100 },
            { name: "summary", type: "text", label: "报告内容", required: true, maxLength: 2000 },
          ],
          transition: (ctx) => {
            const d = ctx.case.data;
            const report = { department: text(ctx.values, "department")!, summary: text(ctx.values, "summary")!, at: ctx.now.toISOString(), byName: ctx.actor.displayName ?? "" };
            return {
              data: { ...d, reportsUpward: [...d.reportsUpward, report] },
              open: [{ step: "handle_incident" }],
              flags: { add: ["reported_upward"] },
              event: { type: "incident.reported_upward", summary: `已向${report.department}报告：${report.summary}`, data: { department: report.department, at: report.at } },
            };
          },
        },
        {
          outcome: "resolved",
          label: "处置完毕",
          fields: [
            { name: "handling", type: "text", label: "处置情况", required: true, maxLength: 4000 },
            { name: "containment", type: "text", label: "控制措施（安全事件必填）", required: false, maxLength: 2000 },
            { name: "recordsKept", type: "text", label: "保存的相关记录（安全事件必填）", required: false, maxLength: 2000 },
          ],
          unavailable: (ctx) =>
            (ctx.case.data.emergency || ctx.case.data.category === "security") && ctx.case.data.reportsUpward.length === 0
              ? "紧急情况和安全事件须先向上级部门报告并记录时间，才能登记处置完毕"
              : undefined,
          check: (ctx) =>
            ctx.case.data.category !== "security"
              ? []
              : [
                  ...(text(ctx.values, "containment") ? [] : [{ path: "containment", code: "required", message: "安全事件请填写控制措施" }]),
                  ...(text(ctx.values, "recordsKept") ? [] : [{ path: "recordsKept", code: "required", message: "安全事件请填写保存的相关记录" }]),
                ],
          transition: (ctx) => {
            const containment = text(ctx.values, "containment");
            const recordsKept = text(ctx.values, "recordsKept");
            const resolution = {
              handling: text(ctx.values, "handling")!,
              ...(containment ? { containment } : {}),
              ...(recordsKept ? { recordsKept } : {}),
              at: ctx.now.toISOString(),
              byName: ctx.actor.displayName ?? "",
            };
            return {
              status: "resolved",
              done: true,
              data: { ...ctx.case.data, resolution },
              event: { type: "incident.resolved", summary: `处置完毕：${resolution.handling}` },
            };
          },
        },
      ],
    },
  },
  deadlines: {},
  searchText: (c) => `${c.reference} ${c.data.title} ${c.data.description}`,
  applicant: () => ({ name: "值守人员" }),
  party: (c) => `${c.data.emergency ? "【紧急】" : ""}${c.data.title}`,
  viewRoles: ["duty_officer", "web_admin", "wechat_admin", "security_officer", "leadership_group", "deputy_leader", "principal_leader", "office_director", "auditor"],
  personalDataRoles: [],
};
