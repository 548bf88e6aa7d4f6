import { html, raw, type Html } from "../html";
import { renderPortalPage } from "../layout";
import type { AgencyRecord } from "../../domain/records";
import { resultCellLabel } from "../../domain/report/cells";
import { SMALL_COUNT_LIMIT, type Shown, type TransparencyFigures, type YearFigures } from "../../domain/transparency/figures";
import type { AgencyTransparency, DeploymentTransparency } from "../../app/transparency/counters";

/**
 * The public transparency pages (公开透明度): one agency's, and the whole deployment's.
 * Charts are SVG drawn here on the server (role="img" with a title and description),
 * each beside a table with the same figures, so the page needs no JavaScript and a
 * screen reader reads the table. Nothing personal is shown: counts only, small counts
 * in breakdowns as “<5” (docs/transparency.md).
 */

export const transparencyHref = (agencyCode?: string) => (agencyCode ? `/transparency/${encodeURIComponent(agencyCode)}` : "/transparency");

const shown = (n: Shown) => (n === "<5" ? `少于${SMALL_COUNT_LIMIT}` : String(n));
/** A suppressed count is drawn as 2.5, the middle of 1–4 (the bar says "fewer than 5", not a figure). */
const drawn = (n: Shown) => (n === "<5" ? 2.5 : n);
const pct = (part: number, whole: number) => (whole > 0 ? `${((part / whole) * 100).toFixed(1)}%` : "—");
const days = (n: number | undefined) => (n === undefined ? "—" : `${n} 个工作日${n >= 60 ? "以上" : ""}`);

function monthlyChart(f: TransparencyFigures, id: string): Html {
  const w = 640;
  const h = 220;
  const max = Math.max(1, ...f.months.map((m) => Math.max(drawn(m.received), m.published)));
  const slot = (w - 40) / 12;
  const bar = (slot - 6) / 2;
  const y = (v: number) => h - 30 - (v / max) * (h - 50);
  const bars = f.months.map((m, i) => {
    const x = 30 + i * slot;
    const r = drawn(m.received);
    return raw(
      `<rect x="${x.toFixed(1)}" y="${y(r).toFixed(1)}" width="${bar.toFixed(1)}" height="${(h - 30 - y(r)).toFixed(1)}" fill="#1f5fa8"><title>${m.month} 收到申请 ${shown(m.received)} 件</title></rect>` +
        `<rect x="${(x + bar).toFixed(1)}" y="${y(m.published).toFixed(1)}" width="${bar.toFixed(1)}" height="${(h - 30 - y(m.published)).toFixed(1)}" fill="#b35900"><title>${m.month} 主动公开 ${m.published} 条</title></rect>` +
        `<text x="${(x + bar).toFixed(1)}" y="${h - 12}" font-size="12" text-anchor="middle" fill="#222">${Number(m.month.slice(5))}月</text>`,
    );
  });
  return html`<svg role="img" aria-labelledby="${id}-t ${id}-d" viewBox="0 0 ${w} ${h}" width="100%" style="max-width:${w}px" xmlns="http://www.w3.org/2000/svg">
<title id="${id}-t">各月收到申请与主动公开数量</title><desc id="${id}-d">柱状图：蓝色为收到的政府信息公开申请件数，橙色为主动公开的政府信息条数；数值见右侧（下方）表格。</desc>
<line x1="28" y1="${h - 30}" x2="${w - 8}" y2="${h - 30}" stroke="#222"/>${bars}
<rect x="${w - 200}" y="6" width="12" height="12" fill="#1f5fa8"/><text x="${w - 184}" y="16" font-size="12" fill="#222">收到申请</text>
<rect x="${w - 110}" y="6" width="12" height="12" fill="#b35900"/><text x="${w - 94}" y="16" font-size="12" fill="#222">主动公开</text></svg>`;
}

function monthlyTable(f: TransparencyFigures): Html {
  return html`<table><caption>各月数量（${f.thisYear.year}年）</caption><thead><tr><th scope="col">月份</th><th scope="col">收到申请（件）</th><th scope="col">主动公开（条）</th></tr></thead>
<tbody>${f.months.map((m) => html`<tr><th scope="row">${m.month}</th><td>${shown(m.received)}</td><td>${m.published}</td></tr>`)}</tbody></table>`;
}

const groupLabels: Record<string, string> = { "1": "予以公开", "2": "部分公开", "3": "不予公开", "4": "无法提供", "5": "不予处理", "6": "其他处理" };

/** The result mix by the report's groups (（一）…（六）) for the chart; the table lists every cell. */
function resultGroups(y: YearFigures): Array<{ label: string; count: number; suppressed: boolean }> {
  return Object.entries(groupLabels).map(([g, label]) => {
    const cells = y.results.filter((r) => r.cell.split(".")[0] === g);
    return { label, count: cells.reduce((n, r) => n + (r.count === "<5" ? 0 : r.count), 0), suppressed: cells.some((r) => r.count === "<5") };
  });
}

function resultChart(y: YearFigures, id: string): Html {
  const groups = resultGroups(y);
  const w = 640;
  const rowH = 28;
  const h = groups.length * rowH + 10;
  const max = Math.max(1, ...groups.map((g) => g.count + (g.suppressed ? 2.5 : 0)));
  const rows = groups.map((g, i) => {
    const v = g.count + (g.suppressed ? 2.5 : 0);
    const len = (v / max) * (w - 260);
    const text = `${g.count}${g.suppressed ? "（另有少于5件的小项）" : ""}`;
    return raw(
      `<text x="0" y="${i * rowH + 20}" font-size="13" fill="#222">${g.label}</text>` +
        `<rect x="90" y="${i * rowH + 6}" width="${len.toFixed(1)}" height="18" fill="#1f5fa8"><title>${g.label} ${text}</title></rect>` +
        `<text x="${(96 + len).toFixed(1)}" y="${i * rowH + 20}" font-size="12" fill="#222">${text}</text>`,
    );
  });
  return html`<svg role="img" aria-labelledby="${id}-t ${id}-d" viewBox="0 0 ${w} ${h}" width="100%" style="max-width:${w}px" xmlns="http://www.w3.org/2000/svg">
<title id="${id}-t">${y.year}年办理结果构成</title><desc id="${id}-d">横向条形图：按年度报告的办理结果分类统计已办结的申请；各小项数值见下方表格。</desc>${rows}</svg>`;
}

function resultTable(y: YearFigures): Html {
  return html`<table><caption>${y.year}年办理结果（按年度报告分类，已办结 ${y.answered} 件）</caption><thead><tr><th scope="col">办理结果</th><th scope="col">件数</th></tr></thead>
<tbody>${y.results.map((r) => html`<tr><th scope="row">${resultCellLabel(r.cell)}</th><td>${shown(r.count)}</td></tr>`)}<tr><th scope="row">（七）总计</th><td>${y.answered}</td></tr></tbody></table>`;
}

function headline(f: TransparencyFigures): Html {
  const row = (y: YearFigures) =>
    html`<tr><th scope="row">${y.year}年</th><td>${y.received}</td><td>${y.answered}</td><td>${y.onTime}</td><td>${y.onTimeExtended}</td><td>${pct(y.onTime + y.onTimeExtended, y.answered)}</td><td>${days(y.medianWorkingDays)}</td><td>${days(y.p90WorkingDays)}</td></tr>`;
  return html`<table><caption>依申请公开办理情况</caption><thead><tr><th scope="col">年度</th><th scope="col">收到申请（件）</th><th scope="col">已答复（件）</th><th scope="col">法定期限内答复（件，未延期）</th><th scope="col">延期后期限内答复（件）</th><th scope="col">按期答复率</th><th scope="col">答复用时中位数</th><th scope="col">90%的申请在此时间内答复</th></tr></thead>
<tbody>${row(f.thisYear)}${row(f.lastYear)}</tbody></table>
<p>目前正在办理 <strong>${f.openNow}</strong> 件，其中已超过法定答复期限 <strong>${f.overdueNow}</strong> 件。</p>
<p>征求意见：正在征求意见 ${f.consultations.open} 件（已收到意见 ${f.consultations.commentsOnOpen} 条），已结束 ${f.consultations.closed} 件（共收到意见 ${f.consultations.commentsOnClosed} 条）。</p>`;
}

const ruleNote = html`<section aria-labelledby="t-rule"><h2 id="t-rule">统计口径</h2><ul>
<li>答复用时按工作日计算：起算日不计入，遇法定节假日顺延，调休上班日计入；依法暂停计时的期间（如征求第三方意见、补正、缴费）不计入。</li>
<li>“收到申请”按收到申请之日计入年度和月份，“已答复”和办理结果按办结之日计入年度，与政府信息公开工作年度报告的口径一致。</li>
<li>保护个人信息：本页不显示申请人、申请编号或任何申请内容。办理结果小项和各月收到申请数为 1 至 4 件的，显示为“少于5”；合计数（收到、已答复、按期答复、正在办理、超期）不作处理，与年度报告一致。</li>
<li>数据随每件申请的办理进展实时更新，可能有数秒的延迟。</li></ul></section>`;

function downloads(hrefs: { json: string; csv: string }): Html {
  return html`<p>下载数据：<a href="${hrefs.json}">JSON</a> · <a href="${hrefs.csv}">CSV（表格）</a></p>`;
}

function body(f: TransparencyFigures, hrefs: { json: string; csv: string }): Html {
  return html`${headline(f)}
<section aria-labelledby="t-months"><h2 id="t-months">各月收到申请与主动公开</h2><div class="chart">${monthlyChart(f, "chart-months")}${monthlyTable(f)}</div></section>
<section aria-labelledby="t-results"><h2 id="t-results">办理结果构成</h2><div class="chart">${resultChart(f.thisYear, "chart-results")}${resultTable(f.thisYear)}</div>
${resultTable(f.lastYear)}</section>
${downloads(hrefs)}${ruleNote}`;
}

export function renderAgencyTransparency(o: AgencyTransparency & { agencyRecord: AgencyRecord }): string {
  const main = html`<h1>${o.agency.name}公开透明度</h1><p class="lead">截至 <time datetime="${o.asOf}">${o.asOf}</time>（北京时间）的实时统计。<a href="/transparency">查看全部机关的合计</a></p>${body(o.figures, { json: `${transparencyHref(o.agency.code)}.json`, csv: `${transparencyHref(o.agency.code)}.csv` })}`;
  return renderPortalPage({ title: `${o.agency.name}公开透明度`, main, current: "transparency", agency: o.agencyRecord });
}

export function renderDeploymentTransparency(o: DeploymentTransparency): string {
  const year = o.figures.thisYear.year;
  const list = html`<section aria-labelledby="t-agencies"><h2 id="t-agencies">各机关（${o.agencies} 个）</h2><table><caption>${year}年各机关办理情况</caption>
<thead><tr><th scope="col">机关代码</th><th scope="col">收到申请</th><th scope="col">已答复</th><th scope="col">期限内答复</th><th scope="col">正在办理</th><th scope="col">超期</th></tr></thead>
<tbody>${o.byAgency.map((a) => html`<tr><th scope="row"><a href="${transparencyHref(a.agencyCode)}">${a.agencyCode}</a></th><td>${a.received}</td><td>${a.answered}</td><td>${a.onTime}</td><td>${a.openNow}</td><td>${a.overdueNow}</td></tr>`)}</tbody></table></section>`;
  const main = html`<h1>公开透明度（全部机关）</h1><p class="lead">截至 <time datetime="${o.asOf}">${o.asOf}</time>（北京时间）全部 ${o.agencies} 个机关的实时合计。</p>${body(o.figures, { json: "/transparency?format=json", csv: "/transparency?format=csv" })}${list}`;
  return renderPortalPage({ title: "公开透明度", main, current: "transparency" });
}

export function renderTransparencyNotFound(): string {
  return renderPortalPage({ title: "未找到该机关", main: html`<h1>未找到该机关</h1><p>请检查机关代码，或<a href="/transparency">查看全部机关</a>。</p>`, current: "transparency" });
}

const csvCell = (v: string | number) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));

/** The figures as CSV (UTF-8 with BOM, so spreadsheet programs read the Chinese): one line per figure. */
export function transparencyCsv(f: TransparencyFigures): string {
  const lines: Array<Array<string | number>> = [["指标", "年度或月份", "数值"]];
  for (const y of [f.thisYear, f.lastYear]) {
    lines.push(["收到申请", y.year, y.received], ["已答复", y.year, y.answered], ["法定期限内答复（未延期）", y.year, y.onTime], ["延期后期限内答复", y.year, y.onTimeExtended]);
    lines.push(["答复用时中位数（工作日）", y.year, y.medianWorkingDays ?? ""], ["答复用时90百分位（工作日）", y.year, y.p90WorkingDays ?? ""]);
    for (const r of y.results) lines.push([`办理结果 ${resultCellLabel(r.cell)}`, y.year, r.count]);
  }
  lines.push(["正在办理", "现在", f.openNow], ["超过法定期限", "现在", f.overdueNow]);
  for (const m of f.months) lines.push(["收到申请", m.month, m.received], ["主动公开", m.month, m.published]);
  lines.push(["正在征求意见", "现在", f.consultations.open], ["正在征求意见的意见数", "现在", f.consultations.commentsOnOpen]);
  lines.push(["已结束征求意见", "累计", f.consultations.closed], ["已结束征求意见的意见数", "累计", f.consultations.commentsOnClosed]);
  return `\ufeff${lines.map((l) => l.map(csvCell).join(",")).join("\r\n")}\r\n`;
}
