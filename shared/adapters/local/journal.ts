import { closeSync, existsSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { readJson, writeJsonAtomic } from "./json-file";

/**
 * Snapshot + append-only journal (JSON Lines) so that persisting a change costs O(1)
 * instead of rewriting the whole state.
 *
 * - `commit(entry)` appends one line synchronously, then applies the entry in memory: once
 *   it returns, the change is in the kernel's page cache and survives a SIGKILL of the
 *   process. No fsync by default: it would only add protection against power loss / an OS
 *   crash (which the local stack does not promise) at the price of a disk flush per change.
 * - On open: load the snapshot, replay the journal in order (a torn final line from a kill
 *   mid-write is ignored), then compact (snapshot written atomically, journal truncated).
 * - While running, the journal is compacted once it holds more lines than
 *   max(`compactAfter`, `size(state)`), in a `setImmediate` so the change that triggered it is
 *   answered first; tying the threshold to the state size keeps the cost amortized O(1).
 *
 * Entries must be idempotent (upsert / delete by key, "clear"): a kill between writing the
 * snapshot and truncating the journal replays entries already contained in the snapshot.
 */

export interface JournalOptions<S, E> {
  /** snapshot file; the journal lives at `${file}.journal`. Memory only when absent. */
  file?: string;
  /** state when there is no snapshot yet */
  initial: () => S;
  /** applies one entry to the state in place (used live and on replay: one code path) */
  apply: (state: S, entry: E) => void;
  /** minimum journal lines before a background compaction. Default 2000. */
  compactAfter?: number;
  /** rough entry count of the state, so compaction happens at most once per `size` changes */
  size?: (state: S) => number;
  /** fsync after every line (survives power loss too, costs a disk flush per change). Default false. */
  fsync?: boolean;
}

export interface Journal<S> {
  readonly state: S;
  /** lines in the journal since the last compaction */
  readonly pending: number;
  compact(): void;
  close(): void;
}

export interface JournalOf<S, E> extends Journal<S> {
  /** durably records the entry (synchronously), then applies it */
  commit(entry: E): void;
}

export const journalFile = (file: string) => `${file}.journal`;

export class JournalCorruptError extends Error {}

/** Parses journal text: every line but a torn (unparseable) final one must be valid JSON. */
export function parseJournal<E>(text: string, file = "journal"): { entries: E[]; torn: boolean } {
  const lines = text.split("\n");
  const entries: E[] = [];
  let torn = false;
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    try {
      entries.push(JSON.parse(line) as E);
    } catch {
      const last = lines.slice(i + 1).every((l) => !l.trim());
      if (!last) throw new JournalCorruptError(`${file}: line ${i + 1} is not valid JSON`);
      torn = true; // a kill mid-append: that change was never acknowledged
    }
  });
  return { entries, torn };
}

export function openJournal<S, E>(opts: JournalOptions<S, E>): JournalOf<S, E> {
  const { file, apply } = opts;
  const state: S = file ? readJson<S>(file, opts.initial()) : opts.initial();
  const jfile = file ? journalFile(file) : undefined;
  let pending = 0;
  let fd: number | undefined;
  let closed = false;
  let scheduled: NodeJS.Immediate | undefined;

  const compact = () => {
    if (!file || fd === undefined) return;
    writeJsonAtomic(file, state);
    // truncate only after the rename: a kill in between just replays idempotent entries
    ftruncateSync(fd, 0);
    pending = 0;
  };

  if (file && jfile) {
    const hadSnapshot = existsSync(file);
    const { entries, torn } = existsSync(jfile) ? parseJournal<E>(readFileSync(jfile, "utf8"), jfile) : { entries: [], torn: false };
    for (const e of entries) apply(state, e);
    mkdirSync(dirname(jfile), { recursive: true });
    fd = openSync(jfile, "a"); // O_APPEND: every write lands at the end, also after ftruncate
    // also drops a torn tail, which the next append would otherwise glue onto
    if (entries.length || torn || !hadSnapshot) compact();
  }

  const threshold = () => Math.max(opts.compactAfter ?? 2000, opts.size?.(state) ?? 0);

  return {
    get state() {
      return state;
    },
    get pending() {
      return pending;
    },
    commit(entry: E) {
      if (closed) throw new Error(`journal ${jfile ?? "(memory)"} is closed`);
      if (fd !== undefined) {
        const buf = Buffer.from(`${JSON.stringify(entry)}\n`, "utf8");
        let off = 0;
        while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
        if (opts.fsync) fsyncSync(fd);
        pending++;
        if (pending > threshold() && !scheduled) {
          scheduled = setImmediate(() => {
            scheduled = undefined;
            if (!closed && pending > threshold()) compact();
          });
        }
      }
      apply(state, entry);
    },
    compact,
    close() {
      if (closed) return;
      closed = true;
      if (scheduled) clearImmediate(scheduled);
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}
