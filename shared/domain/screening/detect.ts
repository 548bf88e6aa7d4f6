/**
 * Content screening (seed 第七条): finds personal data, classification marks and the
 * office's listed words in a text, with UTF-16 offsets into the ORIGINAL text so a UI
 * can mark the passage and partial disclosure can black it out.
 *
 * Pure: no I/O, no clock. Everything is matched on one folded copy of the text (NFKC,
 * lower case) so that full-width digits, letters and punctuation (１３８…, ＡＢＣ, ＠, （）)
 * are found too; a map from folded to original offsets is kept only when folding changed
 * the length somewhere (…… → ......, ﬁ → fi), so plain text costs no map at all.
 */
import { isValidCreditCode, isValidResidentId, luhnValid, residentIdCheckChar } from "../identity";
import {
  prohibitedCategories,
  type Finding,
  type FindingKind,
  type ProhibitedCategory,
  type ScreeningReport,
  type ScreeningSettings,
} from "./types";

/** zh-CN label of each kind; word findings add their category (see `wordLabel`). */
export const findingKindLabels: Record<FindingKind, string> = {
  resident_id: "居民身份证号码",
  mobile: "手机号码",
  landline: "固定电话号码",
  bank_card: "银行卡号",
  email: "电子邮箱地址",
  credit_code: "个体工商户统一社会信用代码",
  classification_mark: "密级或内部资料标志",
  word: "敏感词",
};

const categoryLabels = new Map<string, string>(prohibitedCategories.map((c) => [c.code, c.label]));

function wordLabel(category: ProhibitedCategory): string {
  return `敏感词（${categoryLabels.get(category) ?? category}）`;
}

// ---------------------------------------------------------------------------
// Folding: NFKC + lower case, with a map back to the original offsets

interface Folded {
  text: string;
  /** folded index → original [start, end) of the segment it came from; absent when folding kept every offset */
  starts?: number[];
  ends?: number[];
}

const STABLE = 1;
const MARK = 2;
const CHANGES = 3;
/** Per BMP code unit: 0 not yet known, STABLE (NFKC and lower case keep it), MARK (combines with what precedes), CHANGES. */
const unitClass = new Uint8Array(0x10000);
// combining marks, and Hangul medial/final jamo, compose with the character before them
const combining = /^[\p{M}\u1160-\u11FF]$/u;

function classOf(unit: number): number {
  let c = unitClass[unit]!;
  if (c === 0) {
    if (unit >= 0xd800 && unit <= 0xdfff) c = CHANGES; // surrogates: handled as whole code points on the slow path
    else {
      const ch = String.fromCharCode(unit);
      c = combining.test(ch) ? MARK : ch.normalize("NFKC").toLowerCase() === ch ? STABLE : CHANGES;
    }
    unitClass[unit] = c;
  }
  return c;
}

const segmentCache = new Map<string, string>();

function foldSegment(segment: string): string {
  let folded = segmentCache.get(segment);
  if (folded === undefined) {
    folded = segment.normalize("NFKC").toLowerCase();
    // combining sequences are unbounded in number; single characters are not
    if (segmentCache.size > 20_000) segmentCache.clear();
    segmentCache.set(segment, folded);
  }
  return folded;
}

/**
 * The text folded for matching. Folding is per segment (a code point and the combining
 * marks after it), which is NFKC everywhere except for compositions across segments
 * that no word list or number pattern needs.
 */
function foldText(text: string): Folded {
  const n = text.length;
  const parts: string[] = [];
  let runStart = 0; // start of the pending run of unchanged units
  let starts: number[] | undefined;
  let ends: number[] | undefined;
  let i = 0;
  while (i < n) {
    const unit = text.charCodeAt(i);
    if (classOf(unit) === STABLE && (i + 1 >= n || classOf(text.charCodeAt(i + 1)) !== MARK)) {
      i++;
      continue;
    }
    let j = i + 1;
    if (unit >= 0xd800 && unit <= 0xdbff && j < n) {
      const low = text.charCodeAt(j);
      if (low >= 0xdc00 && low <= 0xdfff) j++;
    }
    while (j < n && classOf(text.charCodeAt(j)) === MARK) j++;
    const segment = text.slice(i, j);
    const folded = foldSegment(segment);
    if (folded === segment) {
      i = j;
      continue;
    }
    if (!starts && folded.length !== segment.length) {
      // first change of length: until here folded and original offsets were equal
      starts = new Array<number>(i);
      ends = new Array<number>(i);
      for (let k = 0; k < i; k++) {
        starts[k] = k;
        ends[k] = k + 1;
      }
    } else if (starts) {
      for (let k = runStart; k < i; k++) {
        starts.push(k);
        ends!.push(k + 1);
      }
    }
    if (runStart < i) parts.push(text.slice(runStart, i));
    parts.push(folded);
    if (starts) {
      for (let k = 0; k < folded.length; k++) {
        starts.push(i);
        ends!.push(j);
      }
    }
    runStart = j;
    i = j;
  }
  if (parts.length === 0) return { text };
  if (starts) {
    for (let k = runStart; k < n; k++) {
      starts.push(k);
      ends!.push(k + 1);
    }
  }
  parts.push(text.slice(runStart));
  return starts ? { text: parts.join(""), starts, ends: ends! } : { text: parts.join("") };
}

function originalSpan(folded: Folded, fs: number, fe: number): [number, number] {
  if (!folded.starts) return [fs, fe];
  return [folded.starts[fs]!, folded.ends![fe - 1]!];
}

// ---------------------------------------------------------------------------
// Finding ids

/** 64-bit non-cryptographic hash (cyrb53 mixing) as 16 hex digits: ids only need to be stable and rarely collide. */
function shortHash(s: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 >>> 0).toString(16).padStart(8, "0") + (h1 >>> 0).toString(16).padStart(8, "0");
}

export function findingId(kind: FindingKind, source: string, start: number, passage: string): string {
  return shortHash(`${kind}\u0000${source}\u0000${start}\u0000${passage}`);
}

// ---------------------------------------------------------------------------
// Patterns. All run on the folded (lower-case, half-width) text.

// 18-digit form or the old 15-digit form; never a piece of a longer digit run
const residentIdPattern = /(?<!\d)(?:\d{17}[\dx]|[1-8]\d{14})(?!\d)/g;
// unified social credit codes: 18 characters of the GB 32100 charset, not inside a longer code
const creditCodePattern = /(?<![0-9a-z])[0-9a-hj-npqrtuwxy]{18}(?![0-9a-z])/g;
// plain 16–19 digits, or groups of four with one consistent separator (4-4-4-4 and 4-4-4-4-1..3)
const bankCardPattern = /(?<!\d)\d{16,19}(?!\d)|(?<!\d[ -]?)\d{4}([ -])\d{4}(?:\1\d{4}){2}(?:\1\d{1,3})?(?![ -]?\d)/g;
// 1[3-9]x xxxx xxxx with an optional +86 / 0086 / 86 prefix and spaces or hyphens between the groups
const mobilePattern = /(?<![\d+])(?:(?:\+|00)?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)/g;
// area code 0xx/0xxx (bare or in brackets), optional separator, 7–8 digit number not starting 0/1, optional extension
const landlinePattern = /(?<![\d+])(?:\(0[1-9]\d{1,2}\)[ -]?|0[1-9]\d{1,2}[ -]?)[2-9]\d{6,7}(?:(?:-|转|分机|#|ext\.?|x)\d{1,6})?(?!\d)/g;
const emailPattern = /(?<![a-z0-9._%+-])[a-z0-9_%+-][a-z0-9._%+-]*@(?:[a-z0-9-]+\.)+[a-z]{2,}(?![a-z0-9-])/g;

/**
 * Classification and handling marks. Where an office would find a flag silly is decided
 * here, not in the pattern:
 * - always flagged: a level with ★ (`秘密★`, `机密★1年`, `★绝密`, `绝密★启用前`),
 *   `不得外传`, `仅供内部使用` / `仅限内部使用`;
 * - flagged only when standing alone — on a line of their own (with other marks at most),
 *   in brackets (`【内部】`, `（秘密）`) or after `密级：` — the bare levels 绝密/机密/秘密 and
 *   内部, 内部资料, 内部使用, 注意保存. Running text says 国家秘密, 商业秘密,
 *   《保守国家秘密法》, “密级分为绝密、机密、秘密三级”, 内部管理 and 注意保存好收据
 *   all the time, and published replies quote exactly those sentences.
 */
const markPattern =
  /(?:★[ \t]*)?(绝密|机密|秘密)(?:[ \t]*★(?:[ \t]*(?:(?:\d{1,3}|[一二三四五六七八九十]{1,3})[ \t]*(?:年|个月)|长期|启用前))?)?|(仅供|仅限)?内部(资料|使用)?|不得外传|注意保存/g;
// what may share a line with a standalone mark
const markLineFiller =
  /★|绝密|机密|秘密|内部资料|内部使用|内部|注意保存|不得外传|仅供|仅限|密级|启用前|长期|(?:\d{1,3}|[一二三四五六七八九十]{1,3})[ \t]*(?:年|个月)|[\s,.;:!·・/|、，。；：[\]【】〔〕()<>《》-]/g;
const markOpeners = "【〔[(";
const markClosers = "】〕])";
/** A mark line is short; looking further would make screening quadratic on one-line texts. */
const markLineReach = 40;

function standaloneMark(ft: string, s: number, e: number): boolean {
  let b = s - 1;
  while (b >= 0 && (ft[b] === " " || ft[b] === "\t")) b--;
  let a = e;
  while (a < ft.length && (ft[a] === " " || ft[a] === "\t")) a++;
  const before = b >= 0 ? ft[b]! : "";
  const after = a < ft.length ? ft[a]! : "";
  if (before !== "" && markOpeners.includes(before) && after !== "" && markClosers.includes(after)) return true;
  if (/密级[ \t]*:?[ \t]*$/.test(ft.slice(Math.max(0, s - 8), s))) return true;
  let ls = s;
  while (ls > 0 && ft[ls - 1] !== "\n") if (s - --ls > markLineReach) return false;
  let le = e;
  while (le < ft.length && ft[le] !== "\n") if (++le - e > markLineReach) return false;
  return ft.slice(ls, le).replace(markLineFiller, "") === "";
}

function isOldResidentId(digits15: string): boolean {
  // the 15-digit form is the 18-digit one without the century (always 19) and the check character
  const first17 = `${digits15.slice(0, 6)}19${digits15.slice(6)}`;
  return isValidResidentId(first17 + residentIdCheckChar(first17));
}

// ---------------------------------------------------------------------------
// Word lists: one Aho–Corasick automaton per settings, built once

interface WordEntry {
  category: ProhibitedCategory;
  length: number;
  /** words starting/ending with a Latin letter or digit must not match inside a longer Latin word (sb in usb) */
  boundedStart: boolean;
  boundedEnd: boolean;
}

const isLatinOrDigit = (unit: number) => (unit >= 0x61 && unit <= 0x7a) || (unit >= 0x30 && unit <= 0x39);

class WordMatcher {
  private readonly next: Array<Map<number, number>> = [new Map()];
  private readonly word: number[] = [-1];
  private readonly fail: number[] = [0];
  /** nearest proper suffix state that ends a word, or -1 */
  private readonly output: number[] = [-1];
  readonly entries: WordEntry[] = [];

  constructor(words: Array<{ folded: string; category: ProhibitedCategory }>) {
    for (const { folded, category } of words) {
      let state = 0;
      for (let i = 0; i < folded.length; i++) {
        const unit = folded.charCodeAt(i);
        let to = this.next[state]!.get(unit);
        if (to === undefined) {
          to = this.next.length;
          this.next.push(new Map());
          this.word.push(-1);
          this.fail.push(0);
          this.output.push(-1);
          this.next[state]!.set(unit, to);
        }
        state = to;
      }
      if (this.word[state] !== -1) continue; // same word in two lists: the first category (seed order) keeps it
      this.word[state] = this.entries.length;
      this.entries.push({
        category,
        length: folded.length,
        boundedStart: isLatinOrDigit(folded.charCodeAt(0)),
        boundedEnd: isLatinOrDigit(folded.charCodeAt(folded.length - 1)),
      });
    }
    const queue: number[] = [];
    for (const to of this.next[0]!.values()) queue.push(to);
    for (let q = 0; q < queue.length; q++) {
      const state = queue[q]!;
      for (const [unit, to] of this.next[state]!) {
        let f = this.fail[state]!;
        while (f !== 0 && !this.next[f]!.has(unit)) f = this.fail[f]!;
        const target = this.next[f]!.get(unit);
        this.fail[to] = target !== undefined && target !== to ? target : 0;
        const ft = this.fail[to]!;
        this.output[to] = this.word[ft] !== -1 ? ft : this.output[ft]!;
        queue.push(to);
      }
    }
  }

  /** Leftmost-longest, non-overlapping matches as [start, end, entry] in folded offsets. */
  find(text: string): Array<[number, number, number]> {
    const hits: Array<[number, number, number]> = [];
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      let to = this.next[state]!.get(unit);
      while (to === undefined && state !== 0) {
        state = this.fail[state]!;
        to = this.next[state]!.get(unit);
      }
      state = to ?? 0;
      for (let s = this.word[state] !== -1 ? state : this.output[state]!; s !== -1; s = this.output[s]!) {
        const index = this.word[s]!;
        const entry = this.entries[index]!;
        const end = i + 1;
        const start = end - entry.length;
        if (entry.boundedStart && start > 0 && isLatinOrDigit(text.charCodeAt(start - 1))) continue;
        if (entry.boundedEnd && end < text.length && isLatinOrDigit(text.charCodeAt(end))) continue;
        hits.push([start, end, index]);
      }
    }
    if (hits.length < 2) return hits;
    hits.sort((x, y) => x[0] - y[0] || y[1] - x[1]);
    const kept: Array<[number, number, number]> = [];
    let reached = 0;
    for (const hit of hits) {
      if (hit[0] < reached) continue;
      kept.push(hit);
      reached = hit[1];
    }
    return kept;
  }
}

const matcherCache = new WeakMap<object, { signature: string; matcher: WordMatcher | undefined }>();

/** Settings are edited in place by no one, but a signature check keeps a mutated list from being served stale. */
function wordMatcher(wordLists: ScreeningSettings["wordLists"] | undefined): WordMatcher | undefined {
  if (!wordLists) return undefined;
  const signature = JSON.stringify(wordLists);
  const cached = matcherCache.get(wordLists);
  if (cached && cached.signature === signature) return cached.matcher;
  const words: Array<{ folded: string; category: ProhibitedCategory }> = [];
  for (const { code } of prohibitedCategories) {
    for (const word of wordLists[code] ?? []) {
      const folded = typeof word === "string" ? foldText(word.trim()).text : "";
      if (folded.length > 0) words.push({ folded, category: code });
    }
  }
  const matcher = words.length > 0 ? new WordMatcher(words) : undefined;
  matcherCache.set(wordLists, { signature, matcher });
  return matcher;
}

// ---------------------------------------------------------------------------
// Screening

export interface ScreeningPart {
  /** `title`, `body` or `attachment:<file name>` */
  source: string;
  text?: string;
  /** why the part's text could not be read (then it is listed as unscreened, never passed) */
  unreadable?: string;
}

const kindOrder: Record<FindingKind, number> = {
  resident_id: 0,
  bank_card: 1,
  credit_code: 2,
  mobile: 3,
  landline: 4,
  email: 5,
  classification_mark: 6,
  word: 7,
};

function byPlace(a: Finding, b: Finding): number {
  if (a.source !== b.source) return a.source < b.source ? -1 : 1;
  return a.start - b.start || b.end - a.end || kindOrder[a.kind] - kindOrder[b.kind];
}

/**
 * Everything found in one text. A passage is reported as one kind of personal data only:
 * an email address before the digits inside it, an ID number before a card number, a
 * valid credit code (of any organisation, reported only for individual businesses)
 * before a card or phone number.
 */
export function screenText(text: string, source: string, settings: ScreeningSettings): Finding[] {
  const findings: Finding[] = [];
  if (text.length === 0) return findings;
  const folded = foldText(text);
  const ft = folded.text;

  const add = (kind: FindingKind, category: ProhibitedCategory, label: string, fs: number, fe: number) => {
    const [start, end] = originalSpan(folded, fs, fe);
    const passage = text.slice(start, end);
    findings.push({ id: findingId(kind, source, start, passage), kind, category, label, source, start, end, passage });
  };

  // personal data: claimed spans keep lower-priority kinds off the same characters
  let taken: Uint8Array | undefined;
  const claim = (fs: number, fe: number): boolean => {
    taken ??= new Uint8Array(ft.length);
    for (let k = fs; k < fe; k++) if (taken[k]) return false;
    taken.fill(1, fs, fe);
    return true;
  };
  const privacy = (kind: FindingKind, fs: number, fe: number) => add(kind, "privacy", findingKindLabels[kind], fs, fe);

  if (ft.includes("@")) {
    for (const m of ft.matchAll(emailPattern)) if (claim(m.index, m.index + m[0].length)) privacy("email", m.index, m.index + m[0].length);
  }
  if (/\d/.test(ft)) {
    for (const m of ft.matchAll(residentIdPattern)) {
      const valid = m[0].length === 18 ? isValidResidentId(m[0]) : isOldResidentId(m[0]);
      if (valid && claim(m.index, m.index + m[0].length)) privacy("resident_id", m.index, m.index + m[0].length);
    }
    for (const m of ft.matchAll(creditCodePattern)) {
      const code = m[0].toUpperCase();
      if (!isValidCreditCode(code) || !claim(m.index, m.index + 18)) continue;
      if (settings.flagIndividualCreditCodes && code.startsWith("92")) privacy("credit_code", m.index, m.index + 18);
    }
    for (const m of ft.matchAll(bankCardPattern)) {
      const digits = m[0].replace(/[ -]/g, "");
      if (luhnValid(digits) && claim(m.index, m.index + m[0].length)) privacy("bank_card", m.index, m.index + m[0].length);
    }
    for (const m of ft.matchAll(mobilePattern)) if (claim(m.index, m.index + m[0].length)) privacy("mobile", m.index, m.index + m[0].length);
    for (const m of ft.matchAll(landlinePattern)) if (claim(m.index, m.index + m[0].length)) privacy("landline", m.index, m.index + m[0].length);
  }

  for (const m of ft.matchAll(markPattern)) {
    const fs = m.index;
    const fe = fs + m[0].length;
    const level = m[1];
    const flagged = level !== undefined ? m[0].includes("★") || standaloneMark(ft, fs, fe) : m[0] === "不得外传" || (m[2] !== undefined && m[3] === "使用") || standaloneMark(ft, fs, fe);
    if (flagged) add("classification_mark", "state_security", level !== undefined ? "密级标志" : "内部资料标志", fs, fe);
  }

  const matcher = wordMatcher(settings.wordLists);
  if (matcher) {
    for (const [fs, fe, index] of matcher.find(ft)) {
      const category = matcher.entries[index]!.category;
      add("word", category, wordLabel(category), fs, fe);
    }
  }

  return findings.sort(byPlace);
}

/** Screens the parts of one item (title, body, attachments); unreadable parts are listed as unscreened. */
export function screen(parts: ReadonlyArray<ScreeningPart>, settings: ScreeningSettings): ScreeningReport {
  const findings: Finding[] = [];
  const unscreened: ScreeningReport["unscreened"] = [];
  const seen = new Set<string>();
  let chars = 0;
  for (const part of parts) {
    if (part.unreadable !== undefined) {
      unscreened.push({ source: part.source, reason: part.unreadable });
      continue;
    }
    const text = part.text ?? "";
    chars += text.length;
    for (const finding of screenText(text, part.source, settings)) {
      // the same source given twice must not report its passages twice
      if (seen.has(finding.id)) continue;
      seen.add(finding.id);
      findings.push(finding);
    }
  }
  return { findings: findings.sort(byPlace), unscreened, chars };
}

// ---------------------------------------------------------------------------
// Rendering and redaction

/**
 * The text split into plain and marked runs (for `<mark>`); the runs' texts join back to
 * `text`. Pass the findings of this text's source. Findings whose passage is no longer at
 * their offsets (the text was edited) are skipped; a finding overlapping an earlier one
 * marks only what is left of it.
 */
export function markPassages(text: string, findings: ReadonlyArray<Finding>): Array<{ text: string; finding?: Finding }> {
  const current = findings
    .filter((f) => f.start >= 0 && f.end <= text.length && f.start < f.end && text.slice(f.start, f.end) === f.passage)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const runs: Array<{ text: string; finding?: Finding }> = [];
  let cursor = 0;
  for (const finding of current) {
    const start = Math.max(finding.start, cursor);
    if (finding.end <= start) continue;
    if (start > cursor) runs.push({ text: text.slice(cursor, start) });
    runs.push({ text: text.slice(start, finding.end), finding });
    cursor = finding.end;
  }
  if (cursor < text.length || runs.length === 0) runs.push({ text: text.slice(cursor) });
  return runs;
}

const isHigh = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
const isLow = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;

/**
 * The text with each passage replaced by as many `replacement` characters as it has
 * characters (partial disclosure keeps the layout). Overlapping passages are merged;
 * offsets are clamped and widened so no surrogate pair is cut in half.
 */
export function redactText(text: string, passages: ReadonlyArray<{ start: number; end: number }>, replacement = "■"): string {
  const spans = passages
    .map(({ start, end }): [number, number] => {
      let s = Math.max(0, Math.min(text.length, Math.floor(start)));
      let e = Math.max(0, Math.min(text.length, Math.ceil(end)));
      if (s > 0 && s < text.length && isLow(text.charCodeAt(s)) && isHigh(text.charCodeAt(s - 1))) s--;
      if (e > 0 && e < text.length && isLow(text.charCodeAt(e)) && isHigh(text.charCodeAt(e - 1))) e++;
      return [s, e];
    })
    .filter(([s, e]) => s < e)
    .sort((a, b) => a[0] - b[0]);
  let out = "";
  let cursor = 0;
  for (let k = 0; k < spans.length; k++) {
    const s = Math.max(spans[k]![0], cursor);
    let e = spans[k]![1];
    while (k + 1 < spans.length && spans[k + 1]![0] <= e) e = Math.max(e, spans[++k]![1]);
    if (e <= s) continue;
    out += text.slice(cursor, s) + replacement.repeat(Array.from(text.slice(s, e)).length);
    cursor = e;
  }
  return out + text.slice(cursor);
}
