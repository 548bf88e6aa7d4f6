/**
 * The annual report as CSV: UTF-8 with BOM (so spreadsheet programs read the Chinese text),
 * CRLF line ends, RFC 4180 quoting; one block per table, each with a title line, blocks
 * separated by an empty line.
 */
import { formatShanghaiTime } from "../html";
import { proactiveColumnKeys, proactiveFields, type AnnualReport } from "../../domain/report/annual";
import { applicationsTitle, checksTitle, formatNumber, proactiveTitle, reviewLitigationTitle } from "./annual-html";

type Cell = string | number | null | undefined;

/** RFC 4180 field; text a spreadsheet would run as a formula (=, +, -, @) is prefixed with '. */
export function csvField(value: Cell): string {
  if (typeof value === "number") return String(value);
  let s = value ?? "";
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const line = (cells: Cell[]) => cells.map(csvField).join(",");

export function renderAnnualReportCsv(report: AnnualReport): string {
  const lines: string[] = [
    line([`${report.agency.name}${report.year}年政府信息公开工作年度报告`]),
    line(["机关代码", report.agency.code, "年度", report.year]),
    "",
    line([applicationsTitle]),
    line(["项目", ...report.applications.columns]),
    ...report.applications.rows.map((r) => line([r.label, ...r.values.map((v) => (r.heading ? "" : v))])),
    "",
    line([proactiveTitle]),
    line(["条款", "信息内容", ...proactiveColumnKeys.map((k) => proactiveFields[k]), "手工填报", "填报人", "填报时间"]),
    ...report.proactive.rows.map((r) =>
      line([r.section ?? "", r.label, ...r.values.map(formatNumber), r.handEntered ? "是" : "否", r.enteredBy ?? "", r.enteredAt ? formatShanghaiTime(r.enteredAt) : ""]),
    ),
    "",
    line([reviewLitigationTitle]),
    line(["类别", ...report.reviewLitigation.columns]),
    ...report.reviewLitigation.rows.map((r) => line([r.label, ...r.values.map(formatNumber)])),
    "",
    line([checksTitle]),
    line(["校验项", "结果", "说明"]),
    ...report.checks.map((c) => line([c.name, c.ok ? "通过" : "未通过", c.detail ?? ""])),
  ];
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}
