import { textValue } from "../fields";
import type { IsoDate } from "../../calendar";
import type { WorkflowDefinition } from "../types";

/**
 * The monthly reconciliation of issued documents against the catalogue (seed 公文类信息
 * 主动公开工作流程 四: 办公室应每月集中比对纸质文件材料). The reconciler opens one case per
 * agency and month listing what was issued and what was published; the office records its
 * check of the paper files and resolves every discrepancy in writing.
 */

export interface IssuedDocument {
  caseId: string;
  title: string;
  documentNumber: string;
  issuedOn: IsoDate;
  attribute: string;
  indexNumber?: string;
}

export interface Discrepancy {
  documentNumber: string;
  title: string;
  /** proactive but not (yet) in the catalogue */
  problem: "not_published";
}

export interface ReconciliationData {
  /** YYYY-MM */
  month: string;
  issued: IssuedDocument[];
  discrepancies: Discrepancy[];
  record?: { paperCheck: string; resolutions: Array<{ documentNumber: string; resolution: string }>; byName: string; at: string };
}

const text = textValue;

/** `文号：处理情况` lines, keyed by the document number they start with. */
function resolutionsOf(lines: string[], discrepancies: Discrepancy[]): Array<{ documentNumber: string; resolution: string }> {
  return discrepancies.flatMap((d) => {
    const line = lines.find((l) => l.startsWith(d.documentNumber));
    return line ? [{ documentNumber: d.documentNumber, resolution: line.slice(d.documentNumber.length).replace(/^[\s：:，,]+/, "") }] : [];
  });
}

export const reconciliationWorkflow: WorkflowDefinition<ReconciliationData> = {
  workflow: "reconciliation",
  label: "公文公开月度比对",
  statuses: { open: "待比对", recorded: "已比对" },
  terminal: ["recorded"],
  start: { step: "reconcile", status: "open" },
  steps: {
    reconcile: {
      step: "reconcile",
      role: "office_staff",
      title: "月度比对纸质文件",
      instructions: "将本月印发的公文与纸质文件材料和门户网站已发布的公文逐一比对，登记比对情况，逐项说明差异的处理。",
      periodWorkingDays: 5,
      escalateTo: ["office_director"],
      outcomes: [
        {
          outcome: "recorded",
          label: "登记比对结果",
          fields: [
            { name: "paperCheck", type: "text", label: "纸质文件比对情况", required: true, maxLength: 2000, hint: "如：本月印发公文 12 件，纸质文件 12 件，一致" },
            { name: "resolutions", type: "list", label: "差异处理（每行：文号：处理情况）", required: false, maxItems: 200, maxLength: 500 },
          ],
          check: (ctx) => {
            const lines = (ctx.values.resolutions as string[] | undefined) ?? [];
            const resolved = new Set(resolutionsOf(lines, ctx.case.data.discrepancies).filter((r) => r.resolution).map((r) => r.documentNumber));
            const missing = ctx.case.data.discrepancies.filter((d) => !resolved.has(d.documentNumber));
            return missing.length
              ? [{ path: "resolutions", code: "unresolved", message: `以下差异尚未说明处理情况：${missing.map((d) => d.documentNumber).join("、")}` }]
              : [];
          },
          transition: (ctx) => {
            const d = ctx.case.data;
            const resolutions = resolutionsOf((ctx.values.resolutions as string[] | undefined) ?? [], d.discrepancies);
            const paperCheck = text(ctx.values, "paperCheck")!;
            return {
              status: "recorded",
              done: true,
              data: { ...d, record: { paperCheck, resolutions, byName: ctx.actor.displayName ?? ctx.actor.username ?? "", at: ctx.now.toISOString() } },
              event: { type: "reconciliation.recorded", summary: `${d.month} 比对完成：${paperCheck}${resolutions.length ? `；处理差异 ${resolutions.length} 项` : ""}`, data: { opinion: paperCheck } },
            };
          },
        },
      ],
    },
  },
  deadlines: {},
  searchText: (c) => `${c.reference} ${c.data.month}`,
  applicant: () => ({ name: "办公室" }),
  party: (c) => `${c.data.month} 公文公开比对`,
  viewRoles: ["office_staff", "office_director", "deputy_leader", "principal_leader", "auditor"],
  personalDataRoles: [],
};
