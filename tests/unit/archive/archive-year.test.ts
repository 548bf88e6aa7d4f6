import { describe, expect, it } from "vitest";
import { unzipSync } from "fflate";
import { memoryHarness, type Harness } from "../../support/harness";
import { validApplication, otherAgency } from "../../support/app";
import { submitApplication } from "../../../shared/app/applications/intake";
import { archivePreviousYear, caseArchiveKey, manifestKey, buildCaseZip, type Manifest } from "../../../shared/app/archive";
import { verifyChain } from "../../../shared/domain/audit";
import { shanghaiInstant } from "../../../shared/domain/calendar";
import type { MemoryStore } from "../../../shared/adapters/memory/store";
import type { CaseRecord } from "../../../shared/domain/records";

const PDF = Buffer.from("%PDF-1.4\n% 身份证复印件\n%%EOF\n");
const json = (bytes: Uint8Array | undefined) => JSON.parse(new TextDecoder().decode(bytes));

async function replied(h: Harness, overrides: Record<string, unknown> = {}) {
  const s = await submitApplication(h.deps, validApplication(overrides));
  await h.settle();
  await h.complete("office", s.caseId, "register", { outcome: "registered" });
  await h.complete("office", s.caseId, "review", { outcome: "complete" });
  await h.complete("office", s.caseId, "handle", { outcome: "propose_reply", replyType: "disclosed", reasons: "属于可以公开的政府信息" });
  await h.complete("deputy", s.caseId, "sign_off", { outcome: "signed" });
  return s;
}

async function withdrawn(h: Harness) {
  const s = await submitApplication(h.deps, validApplication({ description: "某项不明确的信息" }));
  await h.settle();
  await h.complete("office", s.caseId, "register", { outcome: "registered" });
  await h.complete("office", s.caseId, "review", { outcome: "needs_correction", items: ["请说明所需信息的具体内容"], correctionWorkingDays: 3 });
  await h.complete("deputy", s.caseId, "approve_correction", { outcome: "approved" });
  await h.advanceWorkingDays(4);
  return s;
}

/** Every object of the files bucket with its bytes, to show a run wrote nothing. */
async function snapshot(h: Harness): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const key of await h.deps.files.list("")) out.set(key, Buffer.from((await h.deps.files.get(key))!.body).toString("base64"));
  return out;
}

describe("yearly archive (seed 六、归档)", () => {
  it("archives the year's closed applications: one zip each with record, timeline, audit check, letters; a second run changes nothing", async () => {
    // Prepare: two cases closed in 2026, one still open
    const h = await memoryHarness();
    const a = await replied(h, { attachments: [{ name: "身份证复印件.pdf", data: PDF.toString("base64") }] });
    const b = await withdrawn(h);
    const open = await submitApplication(h.deps, validApplication({ description: "仍在办理的申请" }));
    await h.settle();
    const before = new Map<string, CaseRecord>();
    for (const s of [a, b]) before.set(s.caseId, (await h.deps.store.cases.get(s.caseId))!);
    const eventsBefore = (await h.deps.store.cases.events(a.caseId)).length;
    h.clock.set(shanghaiInstant("2027-01-10", "10:00"));

    // Act
    const first = await archivePreviousYear(h.deps);

    // Assess: the previous year of the clock, both closed cases, not the open one
    expect(first.year).toBe(2026);
    expect(first.failed).toBe(0);
    const center = first.agencies.find((x) => x.agencyCode === before.get(a.caseId)!.agencyCode)!;
    expect(center.archived.sort()).toEqual([a.trackingNumber, b.trackingNumber].sort());
    expect(center.manifestWritten).toBe(true);

    const caseA = before.get(a.caseId)!;
    const zip = (await h.deps.files.get(caseArchiveKey(2026, caseA.agencyCode, a.trackingNumber)))!;
    expect(zip.contentType).toBe("application/zip");
    const entries = unzipSync(zip.body);
    expect(Object.keys(entries)).toEqual([
      "record.json",
      "timeline.json",
      "audit-check.json",
      "letters/01-registration_receipt.docx",
      "letters/01-registration_receipt.html",
      "letters/02-reply_disclosed.docx",
      "letters/02-reply_disclosed.html",
      "attachments/01.pdf",
    ]);
    // the case as stored when archived (no access code anywhere), its full timeline, an intact chain
    expect(json(entries["record.json"])).toEqual(JSON.parse(JSON.stringify(caseA)));
    expect(new TextDecoder().decode(entries["record.json"])).not.toMatch(/accessCode/i);
    const timeline = json(entries["timeline.json"]);
    expect(timeline).toHaveLength(eventsBefore);
    expect(verifyChain(timeline)).toBeUndefined();
    expect(json(entries["audit-check.json"])).toEqual({ intact: true, firstBrokenSeq: null, eventCount: eventsBefore, lastHash: caseA.lastEventHash, matchesRecord: true });
    const reply = caseA.letters.find((l) => l.kind === "reply_disclosed")!;
    expect(Buffer.from(entries["letters/02-reply_disclosed.docx"]!).equals(Buffer.from((await h.deps.files.get(reply.files.docx))!.body))).toBe(true);
    expect(new TextDecoder().decode(entries["letters/02-reply_disclosed.html"])).toContain("<");
    expect(Buffer.from(entries["attachments/01.pdf"]!).equals(PDF)).toBe(true);

    // the cases are archived, with an audit event on the chain, and still counted among 2026's closed cases
    for (const s of [a, b]) {
      const c = (await h.deps.store.cases.get(s.caseId))!;
      expect(c).toMatchObject({ status: "archived", archivedAt: "2027-01-10T02:00:00.000Z", result: before.get(s.caseId)!.result });
      const events = await h.deps.store.cases.events(s.caseId);
      expect(events.at(-1)).toMatchObject({ type: "case.archived", summary: expect.stringContaining("归档") });
      expect(verifyChain(events)).toBeUndefined();
    }
    expect((await h.deps.store.cases.listClosed(caseA.agencyCode, 2026)).map((c) => c.caseId).sort()).toEqual([a.caseId, b.caseId].sort());
    expect((await h.deps.store.cases.get(open.caseId))!.archivedAt).toBeUndefined();

    // the agency's manifest
    const manifest = json((await h.deps.files.get(manifestKey(2026, caseA.agencyCode)))!.body) as Manifest;
    expect(manifest).toMatchObject({ year: 2026, agencyCode: caseA.agencyCode, count: 2 });
    expect(manifest.cases.map((c) => c.trackingNumber)).toEqual([a.trackingNumber, b.trackingNumber].sort());
    const mA = manifest.cases.find((c) => c.trackingNumber === a.trackingNumber)!;
    expect(mA).toMatchObject({ resultCell: "1", resultLabel: "（一）予以公开", replyType: "disclosed", archive: caseArchiveKey(2026, caseA.agencyCode, a.trackingNumber) });
    expect(mA.files.map((f) => f.name)).toEqual(Object.keys(entries));
    expect(manifest.cases.find((c) => c.trackingNumber === b.trackingNumber)).toMatchObject({ resultCell: "6.1", replyType: "withdrawn" });
    // an agency with nothing closed gets an empty manifest: the archive says so rather than nothing
    expect(json((await h.deps.files.get(manifestKey(2026, otherAgency)))!.body)).toMatchObject({ count: 0, cases: [] });

    // Act again: nothing written, no event, no commit
    const files = await snapshot(h);
    const store = h.deps.store as MemoryStore;
    const commits = store.commits();
    const events = (await h.deps.store.cases.events(a.caseId)).length;
    h.clock.set(shanghaiInstant("2027-01-20", "10:00"));
    const second = await archivePreviousYear(h.deps, 2026);
    expect(second.archived).toBe(0);
    expect(second.agencies.every((x) => !x.manifestWritten)).toBe(true);
    expect(second.agencies.find((x) => x.agencyCode === caseA.agencyCode)!.alreadyArchived).toBe(2);
    expect(store.commits()).toBe(commits);
    expect((await h.deps.store.cases.events(a.caseId)).length).toBe(events);
    expect(await snapshot(h)).toEqual(files);
  });

  it("the zip's bytes depend only on the case: not on attribute order, event order or the time zone", async () => {
    const h = await memoryHarness();
    const a = await replied(h);
    const c = (await h.deps.store.cases.get(a.caseId))!;
    const events = await h.deps.store.cases.events(a.caseId);
    const one = buildCaseZip(c, events, [{ name: "letters/x.html", body: new TextEncoder().encode("<p>x</p>") }]);
    // attribute order differs as a store might return it
    const reordered = Object.fromEntries(Object.entries(c).reverse()) as unknown as CaseRecord;
    // and in another time zone (a UTC Lambda against a Beijing laptop)
    const tz = process.env.TZ;
    process.env.TZ = tz === "Asia/Shanghai" ? "UTC" : "Asia/Shanghai";
    try {
      const two = buildCaseZip(reordered, [...events].reverse(), [{ name: "letters/x.html", body: new TextEncoder().encode("<p>x</p>") }]);
      expect(Buffer.from(one).equals(Buffer.from(two))).toBe(true);
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
  });

  it("a case whose letter file is missing is not archived and is reported; the others are, and the next run completes it", async () => {
    const h = await memoryHarness();
    const a = await replied(h);
    const b = await replied(h, { description: "2025年度政务公开工作年度报告" });
    const lost = (await h.deps.store.cases.get(b.caseId))!.letters[0]!.files.docx;
    h.clock.set(shanghaiInstant("2027-01-10", "10:00"));
    const files = { ...h.deps.files, get: (key: string) => (key === lost ? Promise.resolve(undefined) : h.deps.files.get(key)) };
    const run = await archivePreviousYear({ ...h.deps, files }, 2026);
    expect(run.failed).toBe(1);
    const center = run.agencies.find((x) => x.failed.length)!;
    expect(center.failed[0]).toMatchObject({ trackingNumber: b.trackingNumber, error: expect.stringContaining("missing") });
    expect(center.archived).toEqual([a.trackingNumber]);
    expect((await h.deps.store.cases.get(b.caseId))!.archivedAt).toBeUndefined();
    expect(await h.deps.files.get(caseArchiveKey(2026, center.agencyCode, b.trackingNumber))).toBeUndefined();
    expect((json((await h.deps.files.get(manifestKey(2026, center.agencyCode)))!.body) as Manifest).cases.map((c) => c.trackingNumber)).toEqual([a.trackingNumber]);

    const next = await archivePreviousYear(h.deps, 2026);
    expect(next.failed).toBe(0);
    expect(next.agencies.find((x) => x.agencyCode === center.agencyCode)!.archived).toEqual([b.trackingNumber]);
    expect((json((await h.deps.files.get(manifestKey(2026, center.agencyCode)))!.body) as Manifest).count).toBe(2);
  });

  it("cases closed in another year are left alone", async () => {
    const h = await memoryHarness();
    const a = await replied(h);
    h.clock.set(shanghaiInstant("2028-01-10", "10:00"));
    const run = await archivePreviousYear(h.deps);
    expect(run).toMatchObject({ year: 2027, archived: 0 });
    expect((await h.deps.store.cases.get(a.caseId))!.status).toBe("replied");
  });
});
