/** OpenAPI components of the compliance reports (SPEC §5, §7.2): labels and figures as the national format prints them. */
import type { JsonSchema } from "./openapi-json";

const table = (description: string): JsonSchema => ({
  type: "object",
  description,
  required: ["columns", "rows"],
  properties: {
    columns: { type: "array", description: "列标题，按表中顺序", items: { type: "string", description: "列标题" } },
    rows: {
      type: "array",
      description: "行，按表中顺序；label 与 SPEC §5 所列完全一致（全角括号、中文引号、子项保留序号）",
      items: {
        type: "object",
        description: "一行",
        required: ["label", "values"],
        properties: {
          label: { type: "string", description: "行标题" },
          values: { type: "array", description: "各列数值，与 columns 一一对应", items: { type: "number", description: "数值" } },
        },
      },
    },
  },
});

export function reportComponents(): Record<string, JsonSchema> {
  return {
    AnnualReport: {
      type: "object",
      description: "政府信息公开工作年度报告的数据（《政府信息公开条例》第四十九、五十条，国办公开办函〔2021〕30号格式），供省级汇总系统采集；字段稳定",
      required: ["agency", "year", "applications", "proactive", "reviewLitigation", "checks"],
      properties: {
        agency: { type: "object", description: "机关", properties: { code: { type: "string", description: "机关代码" }, name: { type: "string", description: "机关名称" } } },
        year: { type: "integer", description: "报告年度" },
        applications: table("收到和处理政府信息公开申请情况（SPEC §5.1）"),
        proactive: table("主动公开政府信息情况（SPEC §5.2；系统不掌握的数字为手工填报）"),
        reviewLitigation: table("政府信息公开行政复议、行政诉讼情况（SPEC §5.3）"),
        checks: {
          type: "array",
          description: "逐项校验；全部通过方可定稿",
          items: {
            type: "object",
            description: "一项校验",
            required: ["name", "ok"],
            properties: { name: { type: "string", description: "校验项" }, ok: { type: "boolean", description: "是否通过" }, detail: { type: "string", description: "未通过时的说明" } },
          },
        },
      },
    },
  };
}
