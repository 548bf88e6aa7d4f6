import type { WorkflowDefinition } from "./types";
import { statutoryPeriods } from "../deadlines/periods";

/**
 * Disclosure on application (依申请公开), seed: 政府信息依申请公开办理工作流程.
 * The walking skeleton carries the first step; later steps hang on the same engine.
 */
export const applicationWorkflow: WorkflowDefinition = {
  workflow: "application",
  label: "依申请公开",
  steps: {
    register: {
      step: "register",
      role: "office_staff",
      title: "受理登记",
      // seed 一、受理登记: 办公室于1个工作日内…进行受理登记
      periodWorkingDays: statutoryPeriods.register.periodWorkingDays,
      escalateTo: ["office_director", "deputy_leader"],
      outcomes: [
        {
          outcome: "registered",
          label: "确认收到并登记",
          fields: [
            // OGI Regulations art. 31(3): for online applications the receipt date is the day the office confirms it
            { name: "receivedOn", type: "date", label: "收到申请日期（确认日）", required: false },
            { name: "note", type: "text", label: "登记备注", required: false, maxLength: 500 },
          ],
        },
      ],
    },
  },
};
