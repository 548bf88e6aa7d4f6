/**
 * The annual report as an Excel workbook: one worksheet per national table (SPEC §5.1–5.3)
 * with the official merged headers (法人或其他组织 over five columns, 自然人 and 总计 over
 * two rows), bold headers, borders and widths, and a 校验 sheet with the checks.
 * exceljs is loaded on first use, so handlers that never render XLSX do not pay for it.
 */
import { formatShanghaiTime } from "../html";
import type { Workbook, Worksheet } from "exceljs";
import type { AnnualReport } from "../../domain/report/annual";
import type { NarrativeSection } from "../../domain/report/narrative";
import {
  applicationsHeader,
  applicationsTitle,
  checksTitle,
  proactiveBlocks,
  proactiveTitle,
  reviewLitigationHeader,
  reviewLitigationTitle,
  type HeaderCell,
} from "./annual-html";

const thin = { style: "thin" as const };
const border = { top: thin, left: thin, bottom: thin, right: thin };
const headerFill = { type: "pattern" as const, pattern: "solid" as const, fgColor: { argb: "FFF2F2F2" } };

function box(ws: Worksheet, top: number, left: number, bottom: number, right: number, header: boolean): void {
  for (let r = top; r <= bottom; r++)
    for (let c = left; c <= right; c++) {
      const cell = ws.getCell(r, c);
      cell.border = border;
      if (header) {
        cell.font = { bold: true };
        cell.fill = headerFill;
        cell.alignment = { horizontal: "center", vertical: "middle", wrapText: true };
      }
    }
}

/** Writes header cells (0-based rows/cols) at a 1-based origin, merging spans. */
function writeHeader(ws: Worksheet, cells: HeaderCell[], originRow: number, originCol: number): void {
  for (const h of cells) {
    const top = originRow + h.row;
    const left = originCol + h.col;
    const bottom = top + h.rowSpan - 1;
    const right = left + h.colSpan - 1;
    ws.getCell(top, left).value = h.label;
    if (bottom > top || right > left) ws.mergeCells(top, left, bottom, right);
    box(ws, top, left, bottom, right, true);
  }
}

function title(ws: Worksheet, text: string, width: number): void {
  ws.getCell(1, 1).value = text;
  ws.getCell(1, 1).font = { bold: true, size: 14 };
  ws.getCell(1, 1).alignment = { horizontal: "center", vertical: "middle" };
  if (width > 1) ws.mergeCells(1, 1, 1, width);
  ws.getRow(1).height = 24;
}

function applicationsSheet(wb: Workbook, report: AnnualReport): void {
  const ws = wb.addWorksheet(applicationsTitle);
  const width = report.applications.columns.length + 1;
  title(ws, applicationsTitle, width);
  writeHeader(ws, applicationsHeader(report), 2, 1);
  let r = 5;
  for (const row of report.applications.rows) {
    const label = ws.getCell(r, 1);
    label.value = row.label;
    label.alignment = { indent: row.level ?? 0, wrapText: true, vertical: "middle" };
    if (row.level === 0 || row.subtotal) label.font = { bold: true };
    row.values.forEach((v, i) => {
      if (!row.heading) ws.getCell(r, i + 2).value = v;
    });
    box(ws, r, 1, r, width, false);
    r++;
  }
  ws.getColumn(1).width = 60;
  for (let c = 2; c <= width; c++) ws.getColumn(c).width = 12;
  ws.getRow(2).height = 20;
  ws.views = [{ state: "frozen", xSplit: 1, ySplit: 4 }];
}

function proactiveSheet(wb: Workbook, report: AnnualReport): void {
  const ws = wb.addWorksheet(proactiveTitle);
  title(ws, proactiveTitle, 4);
  let r = 2;
  for (const b of proactiveBlocks(report)) {
    ws.getCell(r, 1).value = b.title;
    ws.mergeCells(r, 1, r, 4);
    box(ws, r, 1, r, 4, true);
    r++;
    ws.getCell(r, 1).value = "信息内容";
    b.columns.forEach((c, i) => (ws.getCell(r, i + 2).value = c));
    if (b.columns.length < 3) ws.mergeCells(r, b.columns.length + 1, r, 4);
    box(ws, r, 1, r, 4, true);
    r++;
    for (const row of b.rows) {
      ws.getCell(r, 1).value = row.label;
      row.values.forEach((v, i) => {
        if (v !== null) ws.getCell(r, i + 2).value = v;
      });
      if (row.values.length < 3) ws.mergeCells(r, row.values.length + 1, r, 4);
      box(ws, r, 1, r, 4, false);
      if (b.columns.some((c) => c.includes("万元"))) ws.getCell(r, 2).numFmt = "0.0000";
      const note = row.handEntered ? `手工填报${row.enteredBy ? `：${row.enteredBy}` : ""}${row.enteredAt ? ` ${formatShanghaiTime(row.enteredAt)}` : ""}` : "未填报";
      ws.getCell(r, 5).value = note;
      ws.getCell(r, 5).font = { size: 9, color: { argb: row.handEntered ? "FF555555" : "FFCC0000" } };
      r++;
    }
  }
  ws.getColumn(1).width = 24;
  for (let c = 2; c <= 4; c++) ws.getColumn(c).width = 18;
  ws.getColumn(5).width = 36;
}

function reviewLitigationSheet(wb: Workbook, report: AnnualReport): void {
  const ws = wb.addWorksheet(reviewLitigationTitle);
  const { top, values } = reviewLitigationHeader(report);
  title(ws, reviewLitigationTitle, Math.max(values.length, 1));
  writeHeader(ws, top, 2, 1);
  values.forEach((v, i) => {
    if (v !== null) ws.getCell(5, i + 1).value = v;
    ws.getCell(5, i + 1).alignment = { horizontal: "center" };
  });
  box(ws, 5, 1, 5, values.length, false);
  for (let c = 1; c <= values.length; c++) ws.getColumn(c).width = 10;
}

function checksSheet(wb: Workbook, report: AnnualReport): void {
  const ws = wb.addWorksheet(checksTitle);
  ["校验项", "结果", "说明"].forEach((h, i) => (ws.getCell(1, i + 1).value = h));
  box(ws, 1, 1, 1, 3, true);
  report.checks.forEach((c, i) => {
    const r = i + 2;
    ws.getCell(r, 1).value = c.name;
    ws.getCell(r, 2).value = c.ok ? "通过" : "未通过";
    ws.getCell(r, 3).value = c.detail ?? "";
    ws.getCell(r, 3).alignment = { wrapText: true, vertical: "top" };
    if (!c.ok) for (const col of [1, 2, 3]) ws.getCell(r, col).font = { bold: col < 3, color: { argb: "FFCC0000" } };
    box(ws, r, 1, r, 3, false);
  });
  ws.getColumn(1).width = 40;
  ws.getColumn(2).width = 10;
  ws.getColumn(3).width = 80;
}

/** The six text sections, heading above text, for copying into the published report. */
function narrativeSheet(wb: Workbook, narrative: readonly NarrativeSection[]): void {
  const ws = wb.addWorksheet(narrativeTitle);
  ws.getColumn(1).width = 100;
  let r = 1;
  for (const s of narrative) {
    ws.getCell(r, 1).value = s.heading;
    ws.getCell(r, 1).font = { bold: true };
    ws.getCell(r + 1, 1).value = s.text;
    ws.getCell(r + 1, 1).alignment = { wrapText: true, vertical: "top" };
    r += 3;
  }
}

export const narrativeTitle = "文字部分";

export async function renderAnnualReportXlsx(report: AnnualReport, narrative?: readonly NarrativeSection[]): Promise<Uint8Array> {
  const { default: ExcelJS } = await import("exceljs");
  const wb = new ExcelJS.Workbook();
  wb.creator = "gongkai";
  wb.title = `${report.agency.name}${report.year}年政府信息公开工作年度报告`;
  applicationsSheet(wb, report);
  proactiveSheet(wb, report);
  reviewLitigationSheet(wb, report);
  checksSheet(wb, report);
  if (narrative?.length) narrativeSheet(wb, narrative);
  const buffer = await wb.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer);
}
