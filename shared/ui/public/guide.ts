import { html, safeHref, type Html } from "../html";
import { renderPortalPage } from "../layout";
import type { AgencyRecord } from "../../domain/records";
import type { Guide } from "../../app/catalogue/read";

/**
 * The 政府信息公开指南 page: the agency's edited guide or the one built from its profile
 * (shared/app/catalogue/read.ts). Sections are plain text, one paragraph a line; web
 * addresses and the site's own paths (/apply, /track, /catalogue, /guide) in the text
 * become links.
 */

const LINKABLE = /(https?:\/\/[^\s<>"'，。；、）)】]+|(?<![\w./])\/(?:apply|track|catalogue|guide)(?:\?[\w=&%.-]*)?(?![\w/]))/g;

function linkify(text: string): Html[] {
  const out: Html[] = [];
  let last = 0;
  for (const m of text.matchAll(LINKABLE)) {
    out.push(html`${text.slice(last, m.index)}`);
    out.push(html`<a href="${safeHref(m[0])}">${m[0]}</a>`);
    last = m.index + m[0].length;
  }
  out.push(html`${text.slice(last)}`);
  return out;
}

export function renderGuidePage(o: { agency: AgencyRecord; guide: Guide }): string {
  const { agency, guide } = o;
  const main = html`<nav class="crumbs" aria-label="当前位置"><ol><li><a href="/">首页</a></li><li>政府信息公开指南</li></ol></nav>
<article class="guide" aria-labelledby="g-title">
<h1 id="g-title">${agency.name}政府信息公开指南</h1>
${guide.updatedOn ? html`<p class="updated">更新日期：<time datetime="${guide.updatedOn}">${guide.updatedOn}</time></p>` : ""}
${guide.sections.map(
  (s) => html`<section>
<h2>${s.heading}</h2>
${s.body
  .split(/\r?\n/)
  .map((line) => line.trim())
  .filter(Boolean)
  .map((line) => html`<p>${linkify(line)}</p>`)}
${s.links?.length ? html`<ul>${s.links.map((l) => html`<li><a href="${safeHref(l.href)}">${l.label}</a></li>`)}</ul>` : ""}
</section>`,
)}
</article>`;
  return renderPortalPage({ title: "政府信息公开指南", main, current: "guide", agency });
}
