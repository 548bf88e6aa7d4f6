/** Columns of the public catalogue (政府信息公开目录), in the order the site lists them. */
export const catalogueColumns = [
  { code: "institution", label: "机构职能" },
  { code: "policy", label: "政策文件" },
  { code: "normative", label: "行政规范性文件" },
  { code: "interpretation", label: "政策解读" },
  { code: "plans", label: "规划计划" },
  { code: "notices", label: "通知公告" },
  { code: "work", label: "工作动态" },
  { code: "finance", label: "财政资金" },
  { code: "services", label: "政务服务" },
  { code: "annual_report", label: "政府信息公开年报" },
] as const;

export type CatalogueColumn = (typeof catalogueColumns)[number]["code"];

export const catalogueColumnCodes = catalogueColumns.map((c) => c.code) as [CatalogueColumn, ...CatalogueColumn[]];

export function columnLabel(code: string): string {
  return catalogueColumns.find((c) => c.code === code)?.label ?? code;
}
