import { spawn } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { JournalCorruptError, journalFile, openJournal } from "../../../shared/adapters/local/journal";

type Entry = { op: "put"; key: string; value: number } | { op: "del"; key: string };
type State = { items: { key: string; value: number }[] };

const apply = (s: State, e: Entry) => {
  const i = s.items.findIndex((x) => x.key === e.key);
  if (e.op === "del") {
    if (i >= 0) s.items.splice(i, 1);
  } else if (i >= 0) s.items[i] = { key: e.key, value: e.value };
  else s.items.push({ key: e.key, value: e.value });
};
const open = (file: string, extra: { compactAfter?: number; size?: (s: State) => number } = {}) =>
  openJournal<State, Entry>({ file, initial: () => ({ items: [] }), apply, ...extra });
const lines = (file: string) => readFileSync(journalFile(file), "utf8").split("\n").filter(Boolean);
const nextTurn = () => new Promise<void>((ok) => setImmediate(ok));

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "journal-"));
  file = join(dir, "state.json");
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("journal (snapshot + JSON Lines)", () => {
  it("appends one line per change and replays them in order on the next open", async () => {
    // Prepare
    const first = open(file);
    first.commit({ op: "put", key: "a", value: 1 });
    first.commit({ op: "put", key: "b", value: 2 });
    first.commit({ op: "del", key: "a" });
    first.commit({ op: "put", key: "a", value: 3 });
    first.commit({ op: "put", key: "b", value: 4 });
    await nextTurn();
    const snapshotBefore = readFileSync(file, "utf8");
    const journalBefore = lines(file);
    first.close(); // like a kill: no compaction

    // Act
    const second = open(file);

    // Assess
    expect(JSON.parse(snapshotBefore)).toEqual({ items: [] }); // state lived only in the journal
    expect(journalBefore).toHaveLength(5);
    expect(second.state.items).toEqual([
      { key: "b", value: 4 },
      { key: "a", value: 3 },
    ]);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(second.state); // compacted on open
    expect(readFileSync(journalFile(file), "utf8")).toBe("");
    second.close();
  });

  it("ignores a torn final line and keeps appending cleanly after it", () => {
    // Prepare
    const first = open(file);
    first.commit({ op: "put", key: "a", value: 1 });
    first.close();
    appendFileSync(journalFile(file), '{"op":"put","key":"torn","val');

    // Act
    const second = open(file);
    second.commit({ op: "put", key: "b", value: 2 });
    second.close();
    const third = open(file);

    // Assess
    expect(second.state.items.map((x) => x.key)).toEqual(["a", "b"]);
    expect(third.state.items).toEqual([
      { key: "a", value: 1 },
      { key: "b", value: 2 },
    ]);
    third.close();
  });

  it("refuses a journal whose middle line is corrupt", () => {
    // Prepare
    writeFileSync(journalFile(file), '{"op":"put","key":"a","value":1}\nnot json\n{"op":"put","key":"b","value":2}\n');

    // Act / Assess
    expect(() => open(file)).toThrow(JournalCorruptError);
  });

  it("compacts in the background once the journal outgrows the threshold", async () => {
    // Prepare
    const j = open(file, { compactAfter: 3 });

    // Act
    for (let i = 0; i < 4; i++) j.commit({ op: "put", key: `k${i}`, value: i });
    const pendingInTurn = j.pending;
    await nextTurn();

    // Assess
    expect(pendingInTurn).toBe(4); // the commit itself never pays for the snapshot
    expect(j.pending).toBe(0);
    expect(lines(file)).toEqual([]);
    expect((JSON.parse(readFileSync(file, "utf8")) as State).items).toHaveLength(4);
    j.close();
  });

  it("waits for at least size(state) lines before compacting, so compaction stays amortized O(1)", async () => {
    // Prepare
    const j = open(file, { compactAfter: 2, size: (s) => s.items.length });
    for (let i = 0; i < 10; i++) j.commit({ op: "put", key: `k${i}`, value: i });
    await nextTurn();
    j.compact();

    // Act: 10 items, so 10 updates may pile up before the next compaction
    for (let i = 0; i < 10; i++) j.commit({ op: "put", key: "k0", value: 100 + i });
    await nextTurn();
    const after10 = j.pending;
    j.commit({ op: "put", key: "k0", value: 200 });
    await nextTurn();

    // Assess
    expect(after10).toBe(10);
    expect(j.pending).toBe(0);
    j.close();
  });

  it("survives a kill between writing the snapshot and truncating the journal (idempotent replay)", () => {
    // Prepare: the snapshot already holds the journal's changes
    const first = open(file);
    first.commit({ op: "put", key: "a", value: 1 });
    first.commit({ op: "del", key: "a" });
    first.commit({ op: "put", key: "b", value: 2 });
    const journalText = readFileSync(journalFile(file), "utf8");
    first.compact();
    first.close();
    writeFileSync(journalFile(file), journalText);

    // Act
    const second = open(file);

    // Assess
    expect(second.state.items).toEqual([{ key: "b", value: 2 }]);
    second.close();
  });

  it("keeps every acknowledged change of a process killed with SIGKILL", async () => {
    // Prepare: a child commits as fast as it can and prints each key after commit() returned
    const mod = new URL("../../../shared/adapters/local/journal.ts", import.meta.url).pathname;
    const script = `
      const { openJournal } = await import(${JSON.stringify(mod)});
      const j = openJournal({ file: ${JSON.stringify(file)}, initial: () => ({ items: [] }), compactAfter: 50,
        apply: (s, e) => { s.items.push({ key: e.key, value: e.value }); } });
      let i = 0;
      const pad = "x".repeat(2000); // longer lines make a torn write more likely
      const loop = () => { for (let k = 0; k < 20; k++) { j.commit({ op: "put", key: "k" + i, value: i, pad }); process.stdout.write("k" + i + "\\n"); i++; } setImmediate(loop); };
      loop();`;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    const acked: string[] = [];
    let buf = "";

    // Act
    await new Promise<void>((ok, fail) => {
      child.on("error", fail);
      child.on("exit", () => ok());
      child.stdout.on("data", (d: Buffer) => {
        buf += d.toString("utf8");
        const parts = buf.split("\n");
        buf = parts.pop() ?? "";
        acked.push(...parts);
        if (acked.length >= 500 && !child.killed) child.kill("SIGKILL");
      });
    });
    const reopened = open(file);

    // Assess
    expect(child.signalCode).toBe("SIGKILL");
    expect(existsSync(file)).toBe(true);
    const keys = new Set(reopened.state.items.map((x) => x.key));
    expect(acked.filter((k) => !keys.has(k))).toEqual([]);
    reopened.close();
  });
});
