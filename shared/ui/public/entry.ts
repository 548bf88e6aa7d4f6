import { html, raw, type Html } from "../html";
import type { EntryRelations } from "../../app/interpretations/links";
import { renderPortalPage } from "../layout";
import type { AgencyRecord } from "../../domain/records";
import type { CatalogueAttachment, CatalogueEntry } from "../../domain/catalogue/entry";
import { columnLabel } from "../../domain/catalogue/columns";
import { catalogueHref, entryHref } from "./catalogue";

/**
 * An entry's public page: the metadata block (索引号, 文件编号, 发布机构, 成文日期, 公开方式,
 * 公开范围, 发布日期), every correction's public note, the body and the attachments. A
 * withdrawn entry keeps its page (links and citations keep working) with a prominent
 * notice instead of its body and attachments.
 */

/** `/catalogue/{agencyCode}/{YYYY-NNNNNN}/attachments/{n}`, n from 1. */
export const attachmentHref = (indexNumber: string, n: number) => `${entryHref(indexNumber)}/attachments/${n}`;

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const typeNames: Record<string, string> = {
  "application/pdf": "PDF",
  "image/jpeg": "JPEG",
  "image/png": "PNG",
  "application/msword": "Word",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
  "application/vnd.ms-excel": "Excel",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
  "application/zip": "ZIP",
  "application/ofd": "OFD",
};

function attachmentItem(e: CatalogueEntry, a: CatalogueAttachment, n: number) {
  const type = typeNames[a.contentType.split(";")[0]!.trim().toLowerCase()];
  return html`<li><a href="${attachmentHref(e.indexNumber, n)}">${a.name}</a> <span class="count">（${type ? `${type}，` : ""}${size(a.size)}）</span></li>`;
}

/** A normative document's interpretation and consultation record, an interpretation's document (shared/app/interpretations/links.ts). */
function relationsSection(r: EntryRelations | undefined): Html | "" {
  if (!r || (!r.document && !r.consultation && r.interpretations.length === 0)) return "";
  return html`<section class="relations" aria-labelledby="e-relations"><h2 id="e-relations">相关信息</h2><ul>${
    r.document ? html`<li>解读的文件：<a href="${entryHref(r.document.indexNumber)}">${r.document.title}</a>${r.document.documentNumber ? `（${r.document.documentNumber}）` : ""}</li>` : ""
  }${r.interpretations.map((i) => html`<li>政策解读：<a href="${entryHref(i.indexNumber)}">${i.title}</a></li>`)}${
    r.consultation
      ? html`<li>草案公开征求意见：<a href="${r.consultation.href}">${r.consultation.title}（征求意见稿）</a>，${r.consultation.opensOn} 至 ${r.consultation.closesOn}，收到意见 ${r.consultation.comments} 条${r.consultation.summaryPublished ? "，意见采纳情况已公开" : ""}</li>`
      : ""
  }</ul></section>`;
}

export function renderEntryPage(o: { agency: AgencyRecord; entry: CatalogueEntry; related?: EntryRelations }): string {
  const { agency, entry: e } = o;
  const withdrawn = e.status === "withdrawn";
  const rows: Array<[string, string]> = [
    ["索引号", e.indexNumber],
    ["文件编号", e.documentNumber ?? "—"],
    ["发布机构", e.publisher],
    ["成文日期", e.writtenOn],
    ["公开方式", e.disclosureMode],
    ["公开范围", e.scope],
    ["发布日期", e.publishedOn],
    ["所属栏目", columnLabel(e.column)],
  ];
  const main = html`<nav class="crumbs" aria-label="当前位置"><ol><li><a href="/">首页</a></li><li><a href="${catalogueHref(agency.code)}">政府信息公开目录</a></li><li><a href="${catalogueHref(agency.code, { column: e.column })}">${columnLabel(e.column)}</a></li></ol></nav>
<h1>${e.title}</h1>
${
  withdrawn
    ? html`<div class="withdrawn" role="note" aria-labelledby="e-withdrawn"><h2 id="e-withdrawn">已撤回</h2><p>${e.withdrawn?.on ? html`本信息已于 <strong><time datetime="${e.withdrawn.on}">${e.withdrawn.on}</time></strong> 撤回` : "本信息已撤回"}，不再公开其内容。</p>${
        e.withdrawn?.note ? html`<p>撤回说明：${e.withdrawn.note}</p>` : ""
      }</div>`
    : ""
}
<table class="meta">
<caption class="vh">信息属性</caption>
<tbody>${rows.map(([k, v]) => html`<tr><th scope="row">${k}</th><td>${v}</td></tr>`)}</tbody>
</table>
${
  e.corrections.length
    ? html`<section class="corrections" aria-labelledby="e-corrections"><h2 id="e-corrections">更正说明</h2><ul>${e.corrections.map(
        (c) => html`<li><strong><time datetime="${c.on}">${c.on}</time></strong> 更正：${c.note}</li>`,
      )}</ul></section>`
    : ""
}
${
  withdrawn
    ? ""
    : html`<div class="article">${raw(e.bodyHtml)}</div>
${
  e.attachments.length
    ? html`<h2 id="e-attachments">附件</h2><ul aria-labelledby="e-attachments">${e.attachments.map((a, i) => attachmentItem(e, a, i + 1))}</ul>`
    : ""
}`
}
${relationsSection(o.related)}
<p class="no-print"><a href="${catalogueHref(agency.code, { column: e.column })}">返回“${columnLabel(e.column)}”栏目</a></p>`;
  return renderPortalPage({ title: e.title, main, current: "catalogue", agency });
}

/** 404 for an index number that is malformed or names no entry of the agency. */
export function renderEntryNotFound(o: { agency?: AgencyRecord }): string {
  const back = o.agency ? catalogueHref(o.agency.code) : "/catalogue";
  const main = html`<h1>未找到该政府信息</h1>
<p>您访问的政府信息不存在，或者索引号有误。索引号的格式为“机关代码/年份-序号”，如 001008010002002/2024-000001。</p>
<p><a href="${back}">返回政府信息公开目录</a>检索，或返回<a href="/">首页</a>。</p>`;
  return renderPortalPage({ title: "未找到该政府信息", main, current: "catalogue", ...(o.agency ? { agency: o.agency } : {}) });
}
