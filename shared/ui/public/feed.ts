import type { AgencyRecord } from "../../domain/records";
import type { CatalogueEntry } from "../../domain/catalogue/entry";
import { columnLabel } from "../../domain/catalogue/columns";
import { catalogueHref, entryHref, feedHref } from "./catalogue";

/**
 * An Atom 1.0 feed (RFC 4287) of a column's latest entries, or of the whole catalogue:
 * absolute links from the configured public base URL, instants in RFC 3339 Beijing time
 * (+08:00), everything XML-escaped and characters XML 1.0 cannot carry dropped.
 */

export const FEED_SIZE = 50;

/** Characters XML 1.0 does not allow (C0 controls but tab, LF and CR; lone surrogates; U+FFFE/U+FFFF). */
// eslint-disable-next-line no-control-regex -- these are exactly what XML forbids
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function escapeXml(value: string): string {
  return value.replace(NOT_XML, "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);
}

const BEIJING_MS = 8 * 3600 * 1000;

/** `2024-03-05T09:30:00+08:00` (RFC 3339, Beijing time, whole seconds). */
export function rfc3339Beijing(instant: Date | string): string {
  const t = typeof instant === "string" ? new Date(instant) : instant;
  const ms = Number.isNaN(t.getTime()) ? 0 : t.getTime();
  return `${new Date(ms + BEIJING_MS).toISOString().slice(0, 19)}+08:00`;
}

/** When the entry last changed: its publication, or its latest correction or withdrawal. */
export function entryUpdatedAt(e: CatalogueEntry): string {
  let latest = e.publishedAt;
  for (const at of [...e.corrections.map((c) => c.at), e.withdrawn?.at]) if (at && at > latest) latest = at;
  return latest;
}

const SUMMARY_CHARS = 200;

function summary(e: CatalogueEntry): string {
  const text = e.text.replace(/\s+/g, " ").trim();
  const head = [`索引号：${e.indexNumber}`, e.documentNumber ? `文件编号：${e.documentNumber}` : "", `发布机构：${e.publisher}`].filter(Boolean).join("；");
  return `${head}。${text.length > SUMMARY_CHARS ? `${text.slice(0, SUMMARY_CHARS)}……` : text}`;
}

export interface FeedInput {
  agency: AgencyRecord;
  column?: string;
  /** published entries, newest first (the feed takes the first FEED_SIZE) */
  entries: readonly CatalogueEntry[];
  /** the public base URL, e.g. https://xxgk.example.gov.cn */
  baseUrl: string;
  /** the feed's `updated` when it has no entries */
  now: Date;
}

export function renderCatalogueFeed(o: FeedInput): string {
  const base = o.baseUrl.replace(/\/+$/, "");
  const abs = (path: string) => escapeXml(`${base}${path}`);
  const entries = o.entries.slice(0, FEED_SIZE);
  const updated = entries.reduce<string | undefined>((m, e) => {
    const u = entryUpdatedAt(e);
    return !m || u > m ? u : m;
  }, undefined);
  const label = o.column ? columnLabel(o.column) : "全部栏目";
  const self = feedHref(o.agency.code, o.column);
  const author = o.agency.site?.organiser ?? o.agency.name;
  const items = entries.map(
    (e) => `<entry>
<title>${escapeXml(e.title)}</title>
<id>${abs(entryHref(e.indexNumber))}</id>
<link rel="alternate" type="text/html" href="${abs(entryHref(e.indexNumber))}"/>
<published>${rfc3339Beijing(e.publishedAt)}</published>
<updated>${rfc3339Beijing(entryUpdatedAt(e))}</updated>
<author><name>${escapeXml(e.publisher || author)}</name></author>
<category term="${escapeXml(e.column)}" label="${escapeXml(columnLabel(e.column))}"/>
<summary type="text">${escapeXml(summary(e))}</summary>
</entry>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">
<title>${escapeXml(`${o.agency.name}政府信息公开目录 · ${label}`)}</title>
<subtitle>${escapeXml(`${o.agency.name}主动公开的政府信息（${label}），最新 ${FEED_SIZE} 条`)}</subtitle>
<id>${abs(self)}</id>
<link rel="self" type="application/atom+xml" href="${abs(self)}"/>
<link rel="alternate" type="text/html" href="${abs(catalogueHref(o.agency.code, o.column ? { column: o.column } : {}))}"/>
<updated>${rfc3339Beijing(updated ?? o.now)}</updated>
<author><name>${escapeXml(author)}</name></author>
<generator>Gongkai</generator>
${items.join("\n")}
</feed>
`;
}
