import { textValue } from "../fields";
import type { WorkflowDefinition } from "../types";

/**
 * The security officer's periodic inspection of the website (巡检, seed 网站安全防护制度
 * 第一条、第二条、第五条): a checklist the system fills in when it opens — passwords due
 * for a change, accounts without a second factor, administrator accounts unused for 90
 * days, certificate expiry of the configured sites, the last backup, the dead-letter
 * queues' depths — and the officer's findings and their handling, kept as a record.
 */

export type ItemStatus = "ok" | "finding" | "not_applicable" | "unknown";
export const itemStatusLabels: Record<ItemStatus, string> = { ok: "正常", finding: "发现问题", not_applicable: "不适用", unknown: "无法确定" };

export type InspectionItemKey = "password_age" | "second_factor" | "idle_admins" | "certificates" | "backup" | "dead_letters";

export interface InspectionItem {
  key: InspectionItemKey;
  label: string;
  status: ItemStatus;
  /** one line per finding or fact, in Chinese */
  details: string[];
}

export interface InspectionData {
  /** Beijing date it was opened on */
  openedOn: string;
  items: InspectionItem[];
  record?: { findings: string; handling?: string; byName: string; at: string };
}

export const inspectionWorkflow: WorkflowDefinition<InspectionData> = {
  workflow: "inspection",
  label: "网站安全巡检",
  statuses: { open: "待巡检", recorded: "已登记" },
  terminal: ["recorded"],
  start: { step: "inspect", status: "open" },
  steps: {
    inspect: {
      step: "inspect",
      role: "security_officer",
      title: "网站安全巡检",
      instructions: "逐项核对巡检清单（密码更换、双因素认证、长期未用的管理员账号、证书有效期、备份、死信队列），登记发现的问题及处理情况。",
      periodWorkingDays: 2,
      escalateTo: ["web_admin", "deputy_leader"],
      outcomes: [
        {
          outcome: "open",
          label: "开始巡检",
          entry: true,
          actors: ["staff", "system"],
          fields: [],
          transition: (ctx) => {
            const d = ctx.extra.data as InspectionData;
            const findings = d.items.filter((i) => i.status === "finding");
            return {
              data: d,
              open: [{ step: "inspect" }],
              event: { type: "inspection.opened", summary: `生成巡检清单：${findings.length ? `发现问题 ${findings.length} 项（${findings.map((i) => i.label).join("、")}）` : "未发现问题"}` },
            };
          },
        },
        {
          outcome: "recorded",
          label: "登记巡检结果",
          fields: [
            { name: "findings", type: "text", label: "巡检发现", required: true, maxLength: 4000 },
            { name: "handling", type: "text", label: "处理情况", required: false, maxLength: 4000 },
          ],
          check: (ctx) =>
            ctx.case.data.items.some((i) => i.status === "finding") && !textValue(ctx.values, "handling")
              ? [{ path: "handling", code: "required", message: "巡检清单中有发现的问题，请填写处理情况" }]
              : [],
          transition: (ctx) => {
            const findings = textValue(ctx.values, "findings")!;
            const handling = textValue(ctx.values, "handling");
            const open = ctx.case.data.items.filter((i) => i.status === "finding").length;
            return {
              status: "recorded",
              done: true,
              data: { ...ctx.case.data, record: { findings, ...(handling ? { handling } : {}), byName: ctx.actor.displayName ?? "", at: ctx.now.toISOString() } },
              event: { type: "inspection.recorded", summary: `巡检登记：${findings}${open ? `；清单发现问题 ${open} 项，处理：${handling}` : ""}` },
            };
          },
        },
      ],
    },
  },
  deadlines: {},
  searchText: (c) => `${c.reference} 巡检 ${c.data.openedOn}`,
  applicant: () => ({ name: "安全员" }),
  party: (c) => `${c.data.openedOn} 网站安全巡检`,
  viewRoles: ["security_officer", "web_admin", "deputy_leader", "principal_leader", "office_director", "auditor"],
  personalDataRoles: [],
};
