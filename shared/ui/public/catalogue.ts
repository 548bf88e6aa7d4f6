import { html, raw, type Html } from "../html";
import { renderPortalPage } from "../layout";
import type { AgencyRecord } from "../../domain/records";
import type { CatalogueEntry } from "../../domain/catalogue/entry";
import type { CatalogueSearchResult } from "../../domain/catalogue/search";
import { columnLabel } from "../../domain/catalogue/columns";
import type { FieldError } from "../../app/errors";

/**
 * The catalogue home (政府信息公开目录): columns with counts, years, a GET search form, the
 * results with their index numbers and dates, pagination and each column's Atom feed.
 * Every control is a link or a GET form: nothing needs JavaScript.
 */

export interface CatalogueFilters {
  column?: string;
  year?: number;
  q?: string;
  page?: number;
}

/** Longest query a search takes (the API refuses longer ones). */
export const CATALOGUE_QUERY_MAX = 100;

/** `/catalogue?agency=…&column=…&year=…&q=…&page=…`, without what is unset (page 1 is the default). */
export function catalogueHref(agencyCode: string, f: CatalogueFilters = {}): string {
  const p = new URLSearchParams({ agency: agencyCode });
  if (f.column) p.set("column", f.column);
  if (f.year !== undefined) p.set("year", String(f.year));
  if (f.q) p.set("q", f.q);
  if (f.page !== undefined && f.page > 1) p.set("page", String(f.page));
  return `/catalogue?${p.toString()}`;
}

/** An entry's own page: the index number is already URL-safe (`agencyCode/YYYY-NNNNNN`). */
export const entryHref = (indexNumber: string) => `/catalogue/${indexNumber}`;

export const feedHref = (agencyCode: string, column?: string) =>
  `/catalogue/feed.xml?${new URLSearchParams({ agency: agencyCode, ...(column ? { column } : {}) }).toString()}`;

export interface CataloguePageInput {
  agency: AgencyRecord;
  /** the filters as applied (invalid ones dropped) */
  filters: CatalogueFilters;
  result: CatalogueSearchResult;
  /** parameters that could not be applied, shown above the results */
  errors?: FieldError[];
}

const current = (on: boolean) => (on ? raw(' aria-current="true"') : "");

function resultItem(e: CatalogueEntry, showColumn: boolean): Html {
  return html`<li><a href="${entryHref(e.indexNumber)}">${e.title}</a>
<div class="meta"><span>索引号：${e.indexNumber}</span>${e.documentNumber ? html`<span>文件编号：${e.documentNumber}</span>` : ""}${
    showColumn ? html`<span>栏目：${columnLabel(e.column)}</span>` : ""
  }<span>发布日期：<time datetime="${e.publishedOn}">${e.publishedOn}</time></span></div></li>`;
}

/** Page links: first, last and a window around the current page. */
function pagination(agencyCode: string, f: CatalogueFilters, page: number, pages: number): Html | "" {
  if (pages <= 1) return "";
  const shown = new Set([1, pages]);
  for (let p = Math.max(1, page - 3); p <= Math.min(pages, page + 3); p++) shown.add(p);
  const list = [...shown].sort((a, b) => a - b);
  const items: Html[] = [];
  if (page > 1) items.push(html`<li><a href="${catalogueHref(agencyCode, { ...f, page: page - 1 })}" rel="prev">上一页</a></li>`);
  list.forEach((p, i) => {
    if (i > 0 && p - list[i - 1]! > 1) items.push(html`<li aria-hidden="true">…</li>`);
    items.push(
      p === page
        ? html`<li><a href="${catalogueHref(agencyCode, { ...f, page: p })}" aria-current="page">第 ${p} 页</a></li>`
        : html`<li><a href="${catalogueHref(agencyCode, { ...f, page: p })}">第 ${p} 页</a></li>`,
    );
  });
  if (page < pages) items.push(html`<li><a href="${catalogueHref(agencyCode, { ...f, page: page + 1 })}" rel="next">下一页</a></li>`);
  return html`<nav class="pages" aria-label="分页"><p>第 ${page} 页，共 ${pages} 页</p><ul>${items}</ul></nav>`;
}

const inputIds: Record<string, string> = { q: "c-q", column: "c-column", year: "c-year" };

export function renderCataloguePage(o: CataloguePageInput): string {
  const { agency, filters: f, result } = o;
  const code = agency.code;
  const errors = o.errors ?? [];
  const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
  const all = result.facets.columns.reduce((n, c) => n + c.count, 0);
  const allYears = result.facets.years.reduce((n, y) => n + y.count, 0);
  const heading = f.column ? columnLabel(f.column) : "全部栏目";
  const first = (result.page - 1) * result.pageSize + 1;

  const main = html`<nav class="crumbs" aria-label="当前位置"><ol><li><a href="/">首页</a></li><li><a href="${catalogueHref(code)}">政府信息公开目录</a></li>${
    f.column ? html`<li>${columnLabel(f.column)}</li>` : ""
  }</ol></nav>
<h1>${agency.name}政府信息公开目录</h1>
${
  errors.length
    ? html`<div class="error-summary" role="alert" aria-labelledby="c-errors"><h2 id="c-errors">检索条件有误</h2><ul>${errors.map((e) =>
        inputIds[e.path] ? html`<li><a href="#${inputIds[e.path]!}">${e.message}</a></li>` : html`<li>${e.message}</li>`,
      )}</ul><p>已按其余条件列出结果。</p></div>`
    : ""
}
<form class="search" method="get" action="/catalogue" role="search" aria-label="检索政府信息">
<input type="hidden" name="agency" value="${code}">
<div class="field"><label for="c-q">检索词</label><input type="search" id="c-q" name="q" value="${f.q ?? ""}" maxlength="${CATALOGUE_QUERY_MAX}" aria-describedby="c-q-hint"></div>
<div class="field"><label for="c-column">栏目</label><select id="c-column" name="column"><option value="">全部栏目</option>${result.facets.columns.map(
    (c) => html`<option value="${c.code}"${f.column === c.code ? raw(" selected") : ""}>${c.label}</option>`,
  )}</select></div>
<div class="field"><label for="c-year">年份</label><select id="c-year" name="year"><option value="">全部年份</option>${result.facets.years.map(
    (y) => html`<option value="${y.year}"${f.year === y.year ? raw(" selected") : ""}>${y.year}年</option>`,
  )}${f.year !== undefined && !result.facets.years.some((y) => y.year === f.year) ? html`<option value="${f.year}" selected>${f.year}年</option>` : ""}</select></div>
<button type="submit">检索</button>
<p class="hint" id="c-q-hint">可检索标题、文件编号、索引号和正文；多个词之间用空格分开，须全部包含。</p>
</form>
<h2 id="c-columns">栏目</h2>
<ul class="facets" aria-labelledby="c-columns">
<li><a href="${catalogueHref(code, { ...f, column: undefined, page: 1 })}"${current(!f.column)}>全部栏目</a> <span class="count">(${all})</span></li>
${result.facets.columns.map(
  (c) => html`<li><a href="${catalogueHref(code, { ...f, column: c.code, page: 1 })}"${current(f.column === c.code)}>${c.label}</a> <span class="count">(${c.count})</span></li>`,
)}
</ul>
<h2 id="c-years">年份</h2>
<ul class="facets" aria-labelledby="c-years">
<li><a href="${catalogueHref(code, { ...f, year: undefined, page: 1 })}"${current(f.year === undefined)}>全部年份</a> <span class="count">(${allYears})</span></li>
${result.facets.years.map(
  (y) => html`<li><a href="${catalogueHref(code, { ...f, year: y.year, page: 1 })}"${current(f.year === y.year)}>${y.year}年</a> <span class="count">(${y.count})</span></li>`,
)}
</ul>
<h2 id="c-results">${heading}${f.year !== undefined ? html` · ${f.year}年` : ""}${f.q ? html` · 检索“${f.q}”` : ""}</h2>
<p>共 <strong>${result.total}</strong> 条${result.total > 0 && result.entries.length > 0 ? html`，显示第 ${first}–${first + result.entries.length - 1} 条` : ""}${
    f.q ? html` <a class="clear" href="${catalogueHref(code, { column: f.column, year: f.year })}">清除检索词</a>` : ""
  }</p>
${
  result.entries.length
    ? html`<ol class="results" start="${first}" aria-labelledby="c-results">${result.entries.map((e) => resultItem(e, !f.column))}</ol>`
    : html`<p class="note">${result.total > 0 ? "没有这一页。" : f.q ? "没有找到符合条件的政府信息，请换用其他检索词，或减少检索词。" : "该栏目暂无政府信息。"}</p>`
}
${pagination(code, f, result.page, pages)}
<h2 id="c-feeds">订阅更新</h2>
<p>以下链接为 Atom 格式的订阅源，可在阅读器中订阅各栏目最新发布的政府信息。</p>
<ul class="facets" aria-labelledby="c-feeds">
<li><a href="${feedHref(code)}" type="application/atom+xml">全部栏目</a></li>
${result.facets.columns.map((c) => html`<li><a href="${feedHref(code, c.code)}" type="application/atom+xml">${c.label}</a></li>`)}
</ul>`;
  return renderPortalPage({ title: f.column ? `${columnLabel(f.column)} - 政府信息公开目录` : "政府信息公开目录", main, current: "catalogue", agency, hasErrors: errors.length > 0 });
}
