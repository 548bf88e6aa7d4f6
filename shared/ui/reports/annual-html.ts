/**
 * The annual report as a printable page (A4, inline styles): the six text sections in the
 * national order with the three tables (SPEC §5.1–5.3) in theirs (二 the proactive table,
 * 三 the applications, 四 reviews and lawsuits) and, prominently in red, every check that
 * failed. Without the text sections, the tables alone. Everything is escaped.
 */
import { proactiveColumnKeys, proactiveFields, proactiveSections, type AnnualReport } from "../../domain/report/annual";
import type { NarrativeKey, NarrativeSection } from "../../domain/report/narrative";
import { formatShanghaiTime, html, raw, type Html } from "../html";

// ---- layout shared with the CSV and XLSX renderers: the national tables' grids, worked out once

export const applicationsTitle = "收到和处理政府信息公开申请情况";
export const proactiveTitle = "主动公开政府信息情况";
export const reviewLitigationTitle = "政府信息公开行政复议、行政诉讼情况";
export const checksTitle = "校验";
/** The corner cell of the national applications table. */
export const applicationsCorner = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";

export interface HeaderCell {
  label: string;
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
}

/**
 * The applications table's header: 申请人情况 over every column, then each column either
 * under a group (法人或其他组织 over five) or spanning both lower rows (自然人, 总计).
 * Columns are 1-based data columns; column 0 is the row labels, spanning the three rows.
 */
export function applicationsHeader(report: AnnualReport): HeaderCell[] {
  const cols = report.applications.columns;
  const groups = report.applications.columnGroups ?? [];
  const cells: HeaderCell[] = [
    { label: applicationsCorner, row: 0, col: 0, rowSpan: 3, colSpan: 1 },
    { label: "申请人情况", row: 0, col: 1, rowSpan: 1, colSpan: cols.length },
  ];
  for (let i = 0; i < cols.length; i++) {
    const g = groups.find((x) => i >= x.start && i < x.start + x.span);
    if (!g) cells.push({ label: cols[i]!, row: 1, col: i + 1, rowSpan: 2, colSpan: 1 });
    else {
      if (i === g.start) cells.push({ label: g.label, row: 1, col: i + 1, rowSpan: 1, colSpan: g.span });
      cells.push({ label: cols[i]!, row: 2, col: i + 1, rowSpan: 1, colSpan: 1 });
    }
  }
  return cells;
}

/** The proactive table by article 20 section, each with only its own columns. */
export function proactiveBlocks(report: AnnualReport): { title: string; columns: string[]; rows: { label: string; values: (number | null)[]; handEntered: boolean; enteredBy?: string; enteredAt?: string }[] }[] {
  return proactiveSections.map((s) => {
    const idx = s.fields.map((f) => proactiveColumnKeys.indexOf(f));
    return {
      title: s.title,
      columns: s.fields.map((f) => proactiveFields[f]),
      rows: report.proactive.rows
        .filter((r) => r.section === s.title || (!r.section && s.items.some((i) => i.label === r.label)))
        .map((r) => ({
          label: r.label,
          values: idx.map((i) => r.values[i] ?? null),
          handEntered: r.handEntered ?? false,
          ...(r.enteredBy !== undefined ? { enteredBy: r.enteredBy } : {}),
          ...(r.enteredAt !== undefined ? { enteredAt: r.enteredAt } : {}),
        })),
    };
  });
}

/** The review/litigation header of the national table: 行政复议 | 行政诉讼 (未经复议直接起诉 | 复议后起诉). */
export function reviewLitigationHeader(report: AnnualReport): { top: HeaderCell[]; values: (number | null)[] } {
  const cols = report.reviewLitigation.columns;
  const w = cols.length;
  const rows = report.reviewLitigation.rows;
  const top: HeaderCell[] = [{ label: "行政复议", row: 0, col: 0, rowSpan: 1, colSpan: w }];
  cols.forEach((c, i) => top.push({ label: c, row: 1, col: i, rowSpan: 2, colSpan: 1 }));
  const litigation = rows.slice(1);
  if (litigation.length > 0) {
    top.push({ label: "行政诉讼", row: 0, col: w, rowSpan: 1, colSpan: w * litigation.length });
    litigation.forEach((r, j) => {
      top.push({ label: r.label.replace(/^行政诉讼·/, ""), row: 1, col: w * (j + 1), rowSpan: 1, colSpan: w });
      cols.forEach((c, i) => top.push({ label: c, row: 2, col: w * (j + 1) + i, rowSpan: 1, colSpan: 1 }));
    });
  }
  return { top, values: rows.flatMap((r) => r.values) };
}

export const formatNumber = (v: number | null | undefined): string => (v === null || v === undefined ? "" : String(v));

// ---- the page

const th = "border:1px solid #000;padding:2pt 4pt;font-weight:bold;text-align:center;vertical-align:middle;background:#f2f2f2";
const td = "border:1px solid #000;padding:2pt 4pt;text-align:right";
const tdLabel = "border:1px solid #000;padding:2pt 4pt;text-align:left";
const table = "border-collapse:collapse;width:100%;margin:0 0 12pt 0;font-size:9pt;page-break-inside:auto";

function headerRows(cells: HeaderCell[]): Html {
  const rows = Math.max(...cells.map((c) => c.row)) + 1;
  const out: Html[] = [];
  for (let r = 0; r < rows; r++) {
    const row = cells.filter((c) => c.row === r).sort((a, b) => a.col - b.col);
    out.push(html`<tr>${row.map((c) => html`<th style="${th}"${c.rowSpan > 1 ? raw(` rowspan="${c.rowSpan}"`) : ""}${c.colSpan > 1 ? raw(` colspan="${c.colSpan}"`) : ""}>${c.label}</th>`)}</tr>`);
  }
  return html`${out}`;
}

function applicationsTable(report: AnnualReport): Html {
  const body = report.applications.rows.map((r) => {
    const indent = (r.level ?? 0) * 1.2;
    const weight = r.level === 0 || r.subtotal ? "font-weight:bold;" : "";
    return html`<tr><td style="${tdLabel};padding-left:${indent + 0.3}em;${weight}">${r.label}</td>${r.values.map((v) => html`<td style="${td}">${r.heading ? "" : formatNumber(v)}</td>`)}</tr>`;
  });
  return html`<h2 style="font-size:12pt;margin:12pt 0 6pt">${applicationsTitle}</h2>
<table style="${table}"><thead>${headerRows(applicationsHeader(report))}</thead><tbody>${body}</tbody></table>`;
}

function proactiveTable(report: AnnualReport): Html {
  const blocks = proactiveBlocks(report).map(
    (b) => html`<tr><th style="${th}" colspan="4">${b.title}</th></tr>
<tr><th style="${th}">信息内容</th>${b.columns.map((c, i) => html`<th style="${th}"${i === b.columns.length - 1 && b.columns.length < 3 ? raw(` colspan="${4 - b.columns.length}"`) : ""}>${c}</th>`)}</tr>
${b.rows.map(
  (r) => html`<tr><td style="${tdLabel}">${r.label}${r.handEntered ? html`<span style="font-size:7pt;color:#555">（手工填报${r.enteredBy ? html`：${r.enteredBy}` : ""}${r.enteredAt ? html` ${formatShanghaiTime(r.enteredAt)}` : ""}）</span>` : html`<span style="font-size:7pt;color:#c00">（未填报）</span>`}</td>${r.values.map((v, i) => html`<td style="${td}"${i === r.values.length - 1 && r.values.length < 3 ? raw(` colspan="${4 - r.values.length}"`) : ""}>${formatNumber(v)}</td>`)}</tr>`,
)}`,
  );
  return html`<h2 style="font-size:12pt;margin:12pt 0 6pt">${proactiveTitle}</h2>
<table style="${table}"><tbody>${blocks}</tbody></table>`;
}

function reviewLitigationTable(report: AnnualReport): Html {
  const { top, values } = reviewLitigationHeader(report);
  return html`<h2 style="font-size:12pt;margin:12pt 0 6pt">${reviewLitigationTitle}</h2>
<table style="${table}"><thead>${headerRows(top)}</thead><tbody><tr>${values.map((v) => html`<td style="${td};text-align:center">${formatNumber(v)}</td>`)}</tr></tbody></table>`;
}

function checksSection(report: AnnualReport): Html {
  const failed = report.checks.filter((c) => !c.ok);
  const banner =
    failed.length === 0
      ? html`<p style="color:#060;font-weight:bold">全部校验通过，可以定稿。</p>`
      : html`<div class="failed-checks" style="border:2pt solid #c00;color:#c00;padding:6pt 8pt;margin:6pt 0 12pt">
<p style="font-weight:bold;margin:0 0 4pt">${failed.length} 项校验未通过，不能定稿：</p>
<ul style="margin:0;padding-left:1.5em">${failed.map((c) => html`<li><strong>${c.name}</strong>${c.detail ? html`：${c.detail}` : ""}</li>`)}</ul></div>`;
  const list = html`<table style="${table}"><thead><tr><th style="${th}">校验项</th><th style="${th}">结果</th><th style="${th}">说明</th></tr></thead><tbody>${report.checks.map(
    (c) => html`<tr><td style="${tdLabel}">${c.name}</td><td style="${tdLabel};${c.ok ? "color:#060" : "color:#c00;font-weight:bold"}">${c.ok ? "通过" : "未通过"}</td><td style="${tdLabel};${c.ok ? "" : "color:#c00"}">${c.detail ?? ""}</td></tr>`,
  )}</tbody></table>`;
  return html`${banner}<h2 style="font-size:12pt;margin:12pt 0 6pt">${checksTitle}</h2>${list}`;
}

/** The text of a section as paragraphs, one per line. */
function sectionText(section: NarrativeSection): Html {
  const paragraphs = section.text.split("\n").filter((l) => l.trim() !== "");
  return html`<h2 style="font-size:13pt;margin:14pt 0 6pt">${section.heading}</h2>${paragraphs.map((p) => html`<p style="text-indent:2em;margin:0 0 6pt;line-height:1.7;font-size:11pt">${p}</p>`)}`;
}

export function renderAnnualReportHtml(report: AnnualReport, narrative?: readonly NarrativeSection[]): string {
  const title = `${report.agency.name}${report.year}年政府信息公开工作年度报告`;
  const tables: Partial<Record<NarrativeKey, Html>> = { proactive: proactiveTable(report), applications: applicationsTable(report), reviewLitigation: reviewLitigationTable(report) };
  const body = narrative?.length
    ? html`${narrative.map((s) => html`${sectionText(s)}${tables[s.key] ?? ""}`)}`
    : html`${applicationsTable(report)}
${proactiveTable(report)}
${reviewLitigationTable(report)}`;
  return html`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${title}</title>
<style>@page{size:A4;margin:15mm}@media print{body{margin:0}.failed-checks{break-inside:avoid}h2{break-after:avoid}tr{break-inside:avoid}thead{display:table-header-group}}</style></head>
<body style="font-family:'SimSun','Songti SC','Noto Serif CJK SC',serif;color:#000;max-width:180mm;margin:10mm auto">
<h1 style="font-size:16pt;text-align:center;margin:0 0 4pt">${title}</h1>
<p style="text-align:center;margin:0 0 10pt;font-size:9pt">机关代码：${report.agency.code}</p>
${checksSection(report)}
${body}
</body></html>
`.value;
}
