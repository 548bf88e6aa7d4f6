import { textValue } from "../fields";
import type { CatalogueEntry } from "../../catalogue/entry";
import type { WorkflowDefinition } from "../types";
import { actorName } from "../engine";

/**
 * Correction or withdrawal of a published catalogue entry: requested by the office,
 * approved by the deputy leader; the entry as it stood is kept on this case (and in the
 * files bucket's archive), and the public page carries a note of the change.
 */

export interface CatalogueChangeData {
  indexNumber: string;
  action: "correct" | "withdraw";
  /** the public note (更正说明 / 撤回说明) */
  note: string;
  /** a correction's new text */
  corrected?: { title: string; bodyHtml: string; text: string };
  /** the entry as it stood when the change was asked for */
  before: CatalogueEntry;
  archivedAs?: string;
  requestedBy: { username: string; displayName: string; email?: string };
}

const text = textValue;

export const catalogueChangeWorkflow: WorkflowDefinition<CatalogueChangeData> = {
  workflow: "catalogue_change",
  label: "目录信息更正与撤回",
  statuses: { requested: "待分管领导审批", done: "已更正或撤回", refused: "未同意" },
  terminal: ["done", "refused"],
  start: { step: "approve_change", status: "requested" },
  steps: {
    approve_change: {
      step: "approve_change",
      role: "deputy_leader",
      title: "审批更正或撤回",
      instructions: "审批已发布信息的更正或撤回；同意后目录页面随即更新并公开说明。",
      periodWorkingDays: 2,
      escalateTo: ["principal_leader"],
      outcomes: [
        {
          outcome: "approve",
          label: "同意",
          fields: [{ name: "opinion", type: "text", label: "审批意见", required: false, maxLength: 2000 }],
          // the entry as it stands now is read by app/publishing, so a change made meanwhile is not lost
          refuse: (ctx) => {
            const current = ctx.extra.current as CatalogueEntry | undefined;
            if (!current) return { status: 409, code: "NOT_PREPARED", message: "请通过案件页面或 API 办理" };
            return current.status === "withdrawn" ? { status: 409, code: "ALREADY_WITHDRAWN", message: "该信息已撤回，不能再更正或撤回" } : undefined;
          },
          transition: (ctx) => {
            const d = ctx.case.data;
            const current = ctx.extra.current as CatalogueEntry;
            const stamp = { at: ctx.now.toISOString(), on: ctx.today, note: d.note };
            const entry: CatalogueEntry =
              d.action === "withdraw"
                ? { ...current, status: "withdrawn", withdrawn: stamp, revision: current.revision + 1 }
                : { ...current, ...d.corrected!, corrections: [...current.corrections, stamp], revision: current.revision + 1 };
            const opinion = text(ctx.values, "opinion");
            return {
              status: "done",
              done: true,
              catalogue: { entry, expectedRevision: current.revision },
              notices: [{ to: { kind: "applicant" }, subject: `【已${d.action === "withdraw" ? "撤回" : "更正"}】${current.title}`, text: `${current.indexNumber}「${current.title}」已${d.action === "withdraw" ? "撤回" : "更正"}：${d.note}` }],
              event: {
                type: d.action === "withdraw" ? "catalogue.withdrawn" : "catalogue.corrected",
                summary: `同意${d.action === "withdraw" ? "撤回" : "更正"} ${current.indexNumber}${opinion ? `：${opinion}` : ""}（${actorName(ctx.actor)}）`,
                data: { indexNumber: current.indexNumber, revision: entry.revision, ...(opinion ? { opinion } : {}) },
              },
            };
          },
        },
        {
          outcome: "reject",
          label: "不同意",
          fields: [{ name: "reason", type: "text", label: "理由", required: true, maxLength: 2000 }],
          transition: (ctx) => ({
            status: "refused",
            done: true,
            notices: [{ to: { kind: "applicant" }, subject: `【未同意】${ctx.case.data.before.title}`, text: `${ctx.case.data.indexNumber}的更正或撤回未获同意：${text(ctx.values, "reason")}` }],
            event: { type: "catalogue.change_refused", summary: `不同意：${text(ctx.values, "reason")}`, data: { opinion: text(ctx.values, "reason") } },
          }),
        },
      ],
    },
  },
  deadlines: {},
  searchText: (c) => `${c.reference} ${c.data.indexNumber} ${c.data.before.title}`,
  applicant: (c) => ({ name: c.data.requestedBy.displayName, ...(c.data.requestedBy.email ? { email: c.data.requestedBy.email } : {}) }),
  party: (c) => `${c.data.before.title}（${c.data.indexNumber}）`,
  viewRoles: ["office_staff", "office_director", "deputy_leader", "principal_leader", "web_admin", "auditor"],
  personalDataRoles: [],
};
