import { catalogueColumns, columnLabel } from "./columns";
import type { CatalogueEntry } from "./entry";

/**
 * Browsing and searching an agency's catalogue (政府信息公开目录), in memory.
 *
 * Chinese has no spaces between words, and a word splitter (jieba and the like) brings a
 * dictionary of megabytes, misses the agency's own terms (place names, 文号) and still needs
 * tuning. So the search is plain substring matching on normalised text instead: NFKC (full-
 * width letters and digits become ASCII, compatibility forms fold), lower case, and no
 * whitespace, punctuation or invisible format characters, on both sides. Every whitespace-
 * separated term of the query must occur in the title, the document number (文号), the index
 * number (索引号) or the full text; a term typed with or without 〔〕, spaces or dashes finds
 * the same numbers. It never misses a hit a splitter would find; what it gives up is
 * word-boundary precision (「公开」 also matches inside 「公开目录」), which for the short
 * queries people type on a government site is what they expect anyway.
 *
 * It is acceptable at this size: an agency publishes a few thousand entries a year, tens of
 * thousands over its lifetime; scanning them is one `String.prototype.includes` per entry and
 * term over ~2,000 characters, some milliseconds per query (tests/bench/catalogue.ts), with no
 * index to build, store or keep in step with corrections and withdrawals. Each entry's
 * normalised key is computed once and kept beside the entry object (a WeakMap, so it goes
 * when the entries do); shared/app/catalogue/read.ts keeps the same entry objects for a
 * while, so repeated searches only scan.
 */

export interface CatalogueQuery {
  /** a column code (columns.ts) */
  column?: string;
  /** the index number's year */
  year?: number;
  /** whitespace-separated terms, all of which must match */
  q?: string;
  /** 1-based */
  page?: number;
  pageSize?: number;
}

export interface CatalogueFacets {
  /** every known column in site order (and any other column entries carry), with what matches q and the year */
  columns: Array<{ code: string; label: string; count: number }>;
  /** years that have matches for q and the column, newest first */
  years: Array<{ year: number; count: number }>;
}

export interface CatalogueSearchResult {
  /** matching entries (all pages) */
  total: number;
  page: number;
  pageSize: number;
  /** this page's entries, best first */
  entries: CatalogueEntry[];
  facets: CatalogueFacets;
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** Whitespace, punctuation and format characters (zero-width spaces, BOM): none of them carries meaning in a search. */
const IGNORED = /[\s\p{P}\p{Z}\p{Cf}]/u;
const IGNORED_CHAR = /^[\s\p{P}\p{Z}\p{Cf}]$/u;

/**
 * Flags of every UTF-16 unit of the BMP, built on first use (a few milliseconds): IGNORED_UNIT
 * when it is dropped, NEEDS_NFKC unless leaving NFKC out cannot change the key. A table
 * lookup per character is several times faster than a Unicode-property regex replace, and
 * most of a Chinese text (ASCII, CJK ideographs, CJK punctuation) needs no NFKC at all:
 * together they made building the keys of a large catalogue twice as fast.
 */
const IGNORED_UNIT = 1;
const NEEDS_NFKC = 2;
let unitFlags: Uint8Array | undefined;

/** Starters NFKC never changes nor composes with each other (each checked when the table is built), and whose only case is ASCII's. */
const STABLE_RANGES: Array<[number, number]> = [
  [0x09, 0x0d],
  [0x20, 0x7e],
  [0x2010, 0x2027],
  [0x3001, 0x303f],
  [0x4e00, 0x9fff],
];

function flags(): Uint8Array {
  if (!unitFlags) {
    const table = new Uint8Array(0x10000).fill(NEEDS_NFKC);
    const ignored = (s: string) => [...s].every((ch) => IGNORED.test(ch));
    for (let c = 0; c < 0x10000; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const ch = String.fromCharCode(c);
      const drop = IGNORED.test(ch);
      const stable = STABLE_RANGES.some(([from, to]) => c >= from && c <= to) && ch.normalize("NFKC") === ch && !/\p{M}/u.test(ch);
      // a dropped character whose NFKC form is dropped as well is dropped the same without NFKC
      const plain = stable || (drop && ignored(ch.normalize("NFKC")) && !/\p{M}/u.test(ch));
      table[c] = (drop ? IGNORED_UNIT : 0) | (plain ? 0 : NEEDS_NFKC);
    }
    unitFlags = table;
  }
  return unitFlags;
}

/** The text without IGNORED characters (astral ones, which are rare, by the regex). */
function stripIgnored(text: string, table: Uint8Array): string {
  // joined at the end: one flat string, which \`includes\` scans fastest (appending with += would build a rope)
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    let width = 1;
    let drop: boolean;
    const next = text.charCodeAt(i + 1);
    if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      width = 2;
      drop = IGNORED_CHAR.test(text.slice(i, i + 2));
    } else drop = (table[unit]! & IGNORED_UNIT) !== 0;
    if (drop) {
      if (i > start) out.push(text.slice(start, i));
      start = i + width;
    }
    i += width - 1;
  }
  if (start === 0) return text;
  out.push(text.slice(start));
  return out.join("");
}

/** The text as searches compare it: NFKC, lower case, without whitespace and punctuation. */
export function normaliseForSearch(text: string): string {
  const table = flags();
  let plain = true;
  for (let i = 0; i < text.length; i++) {
    if ((table[text.charCodeAt(i)]! & NEEDS_NFKC) !== 0) {
      plain = false;
      break;
    }
  }
  const folded = plain ? text.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : text.normalize("NFKC").toLowerCase();
  return stripIgnored(folded, table);
}

/** The query's terms, each normalised; terms that normalise to nothing (a lone 「，」) are dropped. */
export function searchTerms(q: string | undefined): string[] {
  if (!q) return [];
  return q
    .normalize("NFKC")
    .split(/[\s\p{Z}]+/u)
    .map(normaliseForSearch)
    .filter((t) => t.length > 0);
}

interface SearchKey {
  title: string;
  /** document number and index number */
  numbers: string;
  text: string;
}

const keys = new WeakMap<CatalogueEntry, SearchKey>();

function keyOf(entry: CatalogueEntry): SearchKey {
  let key = keys.get(entry);
  if (!key) {
    key = {
      title: normaliseForSearch(entry.title),
      numbers: `${normaliseForSearch(entry.documentNumber ?? "")}\u0000${normaliseForSearch(entry.indexNumber)}`,
      text: normaliseForSearch(entry.text),
    };
    keys.set(entry, key);
  }
  return key;
}

/** Where a term hits: a title hit outweighs any number of number hits, which outweigh any number of text hits. */
const TITLE = 10_000;
const NUMBER = 100;
const TEXT = 1;

/** The entry's score for the terms: 0 when a term matches nowhere. */
function score(entry: CatalogueEntry, terms: string[]): number {
  const key = keyOf(entry);
  let total = 0;
  for (const term of terms) {
    if (key.title.includes(term)) total += TITLE;
    else if (key.numbers.includes(term)) total += NUMBER;
    else if (key.text.includes(term)) total += TEXT;
    else return 0;
  }
  return total;
}

/** Newest first: publication instant, then index number. */
function newer(a: CatalogueEntry, b: CatalogueEntry): number {
  if (a.publishedAt !== b.publishedAt) return a.publishedAt < b.publishedAt ? 1 : -1;
  return b.year - a.year || b.sequence - a.sequence;
}

/**
 * Browses or searches the entries: withdrawn ones are never listed (their own page stays
 * reachable by index number). Facets count what matches the query with the other filter
 * applied, so each column link shows what choosing it would list.
 */
export function searchCatalogue(entries: readonly CatalogueEntry[], query: CatalogueQuery = {}): CatalogueSearchResult {
  const terms = searchTerms(query.q);
  const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(query.pageSize ?? DEFAULT_PAGE_SIZE)));
  const page = Math.max(1, Math.floor(query.page ?? 1));

  const columnCounts = new Map<string, number>();
  const yearCounts = new Map<number, number>();
  const hits: Array<{ entry: CatalogueEntry; score: number }> = [];
  for (const entry of entries) {
    if (entry.status !== "published") continue;
    const s = terms.length === 0 ? 1 : score(entry, terms);
    if (s === 0) continue;
    const inColumn = query.column === undefined || entry.column === query.column;
    const inYear = query.year === undefined || entry.year === query.year;
    if (inYear) columnCounts.set(entry.column, (columnCounts.get(entry.column) ?? 0) + 1);
    if (inColumn) yearCounts.set(entry.year, (yearCounts.get(entry.year) ?? 0) + 1);
    if (inColumn && inYear) hits.push({ entry, score: s });
  }
  hits.sort((a, b) => b.score - a.score || newer(a.entry, b.entry));

  const known = new Set<string>(catalogueColumns.map((c) => c.code));
  const columns = [
    ...catalogueColumns.map((c) => ({ code: c.code as string, label: c.label as string, count: columnCounts.get(c.code) ?? 0 })),
    ...[...columnCounts]
      .filter(([code]) => !known.has(code))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([code, count]) => ({ code, label: columnLabel(code), count })),
  ];
  const years = [...yearCounts].sort(([a], [b]) => b - a).map(([year, count]) => ({ year, count }));

  return {
    total: hits.length,
    page,
    pageSize,
    entries: hits.slice((page - 1) * pageSize, page * pageSize).map((h) => h.entry),
    facets: { columns, years },
  };
}
