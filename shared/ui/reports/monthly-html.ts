/** The monthly publishing report as a printable page: counts per channel and column, documents issued against published, returns and rejections with their reasons. */
import type { MonthlyReport } from "../../app/reports/monthly";
import { html } from "../html";

const cell = "border:1px solid #000;padding:2pt 6pt;text-align:left";
const table = "border-collapse:collapse;margin:0 0 12pt 0;font-size:10pt";

export function renderMonthlyReportHtml(r: MonthlyReport): string {
  const [y, m] = r.month.split("-");
  const rows = (heads: string[], body: string[][]) =>
    html`<table style="${table}"><thead><tr>${heads.map((h) => html`<th style="${cell};background:#f2f2f2">${h}</th>`)}</tr></thead><tbody>${body.length ? body.map((b) => html`<tr>${b.map((v) => html`<td style="${cell}">${v}</td>`)}</tr>`) : html`<tr><td style="${cell}" colspan="${heads.length}">无</td></tr>`}</tbody></table>`;
  return html`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${r.agency.name}${y}年${Number(m)}月信息发布情况</title>
<style>body{font-family:"SimSun","Noto Serif CJK SC",serif;margin:18mm;color:#000}h1{font-size:16pt;text-align:center}h2{font-size:12pt;margin:14pt 0 6pt}@media print{body{margin:0}}</style></head><body>
<h1>${r.agency.name}${y}年${Number(m)}月信息发布情况</h1>
<h2>一、发布信息 ${String(r.published.total)} 条</h2>
${rows(["发布渠道", "条数"], r.published.byChannel.map((c) => [c.label, String(c.count)]))}
${rows(["目录栏目", "条数"], r.published.byColumn.map((c) => [c.label, String(c.count)]))}
<h2>二、公文印发与主动公开比对</h2>
<p>本月印发公文 ${String(r.documents.issued)} 件，其中主动公开 ${String(r.documents.proactive)} 件，已在目录发布 ${String(r.documents.published)} 件。</p>
${rows(["文号", "标题", "印发日期"], r.documents.unpublished.map((d) => [d.documentNumber, d.title, d.issuedOn]))}
<h2>三、审核中退回修改 ${String(r.returned.length)} 次</h2>
${rows(["编号", "标题", "退回意见", "审核人", "日期"], r.returned.map((x) => [x.reference, x.title, x.note, x.byName, x.on]))}
<h2>四、不予发布 ${String(r.rejected.length)} 条</h2>
${rows(["编号", "标题", "理由", "审核人", "日期"], r.rejected.map((x) => [x.reference, x.title, x.reason, x.byName, x.on]))}
</body></html>`.toString();
}
