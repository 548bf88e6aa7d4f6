/**
 * Versions of an item's content (an info officer revises a returned item) and what
 * changed between two of them, for reviewers. Pure: no I/O.
 *
 * How the text is compared, and why. Chinese has no spaces, so `diffWords` /
 * `diffWordsWithSpace` see a whole sentence as one "word" and mark it all as changed.
 * `diffChars` alone finds the shortest edit, which for rewritten Chinese is confetti:
 * common characters (的、了、是、，) happen to line up and the change is shredded into
 * one-character pieces nobody can read. So it is done in two passes:
 *
 * 1. the texts are cut into sentences (after 。！？；!?; and at line breaks, closing
 *    quotes and brackets kept with their sentence) and compared with `diffArrays`:
 *    untouched sentences stay whole, however far they moved down the text;
 * 2. each run of changed sentences is compared with `diffChars`, then cleaned the way
 *    diff-match-patch's semantic cleanup does: a short stretch left "same" between two
 *    edits at least as long as it is folded into them, so `今天下午三点` → `明天上午九点`
 *    reads as one replaced phrase, not three swapped characters. When little of the run
 *    is left in common (under 40 %), it is shown as the old sentences removed and the
 *    new ones added, which is how a person reads a rewrite.
 *
 * The result always adds up: the "same" and "removed" parts, in order, are the old text,
 * the "same" and "added" parts are the new one (line ends normalised to \n).
 */
import { diffArrays, diffChars } from "diff";

export interface ContentVersion {
  /** 1, 2, … in the order saved */
  n: number;
  title: string;
  text: string;
  /** ISO instant it was saved */
  at: string;
  /** display name of who saved it */
  by: string;
}

export interface DiffPart {
  kind: "same" | "added" | "removed";
  text: string;
}

export interface VersionDiff {
  title: DiffPart[];
  text: DiffPart[];
}

/** Beyond these the comparison gives up and shows the old text removed, the new added (bounded work per request). */
const MAX_SENTENCE_EDITS = 2_000;
const MAX_CHAR_EDITS = 1_000;
/** below this share of characters in common, a changed run is shown as a rewrite */
const MIN_COMMON_SHARE = 0.4;

const SENTENCE_END = new Set([..."。！？；!?;"]);
/** closing quotes and brackets stay with the sentence they close */
const CLOSERS = new Set([..."”’」』）)】〕》…"]);

/** Line ends as \n (a textarea posts \r\n). */
export function normaliseText(text: string): string {
  return text.replace(/\r\n?/g, "\n");
}

/** The text cut after each sentence end and line break; joined, the pieces are the text. */
export function sentences(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    i++;
    if (c === "\n") {
      out.push(text.slice(start, i));
      start = i;
    } else if (SENTENCE_END.has(c)) {
      while (i < text.length && (SENTENCE_END.has(text[i]!) || CLOSERS.has(text[i]!))) i++;
      out.push(text.slice(start, i));
      start = i;
    }
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

/** Adjacent parts of one kind become one; empty parts go. */
function merge(parts: DiffPart[]): DiffPart[] {
  const out: DiffPart[] = [];
  for (const p of parts) {
    if (p.text === "") continue;
    const last = out[out.length - 1];
    if (last && last.kind === p.kind) last.text += p.text;
    else out.push({ ...p });
  }
  return out;
}

/** The old text removed, then the new one added. */
function rewrite(removed: string, added: string): DiffPart[] {
  return merge([
    { kind: "removed", text: removed },
    { kind: "added", text: added },
  ]);
}

type Segment = { same: string } | { removed: string; added: string };
const isSame = (s: Segment): s is { same: string } => "same" in s;
const editSize = (s: { removed: string; added: string }) => Math.max(s.removed.length, s.added.length);

/**
 * diff-match-patch's semantic cleanup on a character diff: an equality between two edits,
 * no longer than the larger side of each, is folded into both; repeated until none is.
 */
function semanticCleanup(changes: Array<{ value: string; added: boolean; removed: boolean }>): DiffPart[] {
  const segments: Segment[] = [];
  for (const c of changes) {
    const last = segments[segments.length - 1];
    if (!c.added && !c.removed) {
      segments.push({ same: c.value });
    } else if (last && !isSame(last)) {
      if (c.removed) last.removed += c.value;
      else last.added += c.value;
    } else {
      segments.push(c.removed ? { removed: c.value, added: "" } : { removed: "", added: c.value });
    }
  }
  let changed = true;
  while (changed) {
    changed = false;
    for (let i = 1; i < segments.length - 1; i++) {
      const [before, eq, after] = [segments[i - 1]!, segments[i]!, segments[i + 1]!];
      if (!isSame(eq) || isSame(before) || isSame(after)) continue;
      if (eq.same.length > editSize(before) || eq.same.length > editSize(after)) continue;
      segments.splice(i - 1, 3, { removed: before.removed + eq.same + after.removed, added: before.added + eq.same + after.added });
      changed = true;
      break;
    }
  }
  return merge(
    segments.flatMap((s): DiffPart[] =>
      isSame(s)
        ? [{ kind: "same", text: s.same }]
        : [
            { kind: "removed", text: s.removed },
            { kind: "added", text: s.added },
          ],
    ),
  );
}

/** A changed run, character by character, cleaned; a rewrite when little is left in common. */
function refine(removed: string, added: string): DiffPart[] {
  if (removed === added) return merge([{ kind: "same", text: removed }]);
  if (removed === "" || added === "") return rewrite(removed, added);
  const changes = diffChars(removed, added, { maxEditLength: MAX_CHAR_EDITS });
  if (!changes) return rewrite(removed, added);
  const parts = semanticCleanup(changes);
  const common = parts.reduce((n, p) => n + (p.kind === "same" ? p.text.length : 0), 0);
  if (common < MIN_COMMON_SHARE * Math.max(removed.length, added.length)) return rewrite(removed, added);
  return parts;
}

/** What changed from `before` to `after`: sentences first, then characters within changed sentences. */
export function diffText(before: string, after: string): DiffPart[] {
  const a = normaliseText(before);
  const b = normaliseText(after);
  if (a === b) return merge([{ kind: "same", text: a }]);
  const changes = diffArrays(sentences(a), sentences(b), { maxEditLength: MAX_SENTENCE_EDITS });
  if (!changes) return rewrite(a, b);
  const out: DiffPart[] = [];
  let removed = "";
  let added = "";
  const flush = () => {
    if (removed || added) out.push(...refine(removed, added));
    removed = "";
    added = "";
  };
  for (const c of changes) {
    if (c.removed) removed += c.value.join("");
    else if (c.added) added += c.value.join("");
    else {
      flush();
      out.push({ kind: "same", text: c.value.join("") });
    }
  }
  flush();
  return merge(out);
}

/** What changed between two versions, title and text. */
export function diffVersions(a: ContentVersion, b: ContentVersion): VersionDiff {
  // a title is one line: only the character pass, with its cleanup
  return { title: refine(normaliseText(a.title), normaliseText(b.title)), text: diffText(a.text, b.text) };
}

/** Whether anything changed. */
export function hasChanges(parts: DiffPart[]): boolean {
  return parts.some((p) => p.kind !== "same");
}

/** The number of places changed (a removal with the addition replacing it counts once). */
export function changeCount(parts: DiffPart[]): number {
  let n = 0;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (p.kind === "same") continue;
    n++;
    if (p.kind === "removed" && parts[i + 1]?.kind === "added") i++;
  }
  return n;
}
