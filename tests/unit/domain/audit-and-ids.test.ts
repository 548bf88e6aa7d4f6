import { describe, expect, it } from "vitest";
import { chainEvent, GENESIS_HASH, verifyChain, type AuditEvent } from "../../../shared/domain/audit";
import { formatTrackingNumber, hashAccessCode, newAccessCode, newId, trackingNumberPattern } from "../../../shared/domain/ids";

function trail(n: number): AuditEvent[] {
  const events: AuditEvent[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const e = chainEvent({ caseId: "C", seq, at: `2026-01-0${seq}T00:00:00Z`, actor: { kind: "system" }, type: "t", summary: `第${seq}步`, data: { b: 1, a: [seq] } }, prev);
    events.push(e);
    prev = e.hash;
  }
  return events;
}

describe("audit hash chain", () => {
  it("verifies an intact trail in any order", () => {
    expect(verifyChain(trail(4))).toBeUndefined();
    expect(verifyChain(trail(4).reverse())).toBeUndefined();
  });

  it("names the first event that was altered, removed or reordered", () => {
    const altered = trail(4).map((e) => (e.seq === 2 ? { ...e, summary: "改过" } : e));
    expect(verifyChain(altered)).toBe(2);
    const removed = trail(4).filter((e) => e.seq !== 3);
    expect(verifyChain(removed)).toBe(4);
    const reHashed = trail(4).map((e) => (e.seq === 1 ? { ...e, data: { a: [1], b: 2 } } : e));
    expect(verifyChain(reHashed)).toBe(1);
  });

  it("hashes content independently of key order", () => {
    const a = chainEvent({ caseId: "C", seq: 1, at: "x", actor: { kind: "system" }, type: "t", summary: "s", data: { a: 1, b: 2 } }, GENESIS_HASH);
    const b = chainEvent({ caseId: "C", seq: 1, at: "x", actor: { kind: "system" }, type: "t", summary: "s", data: { b: 2, a: 1 } }, GENESIS_HASH);
    expect(a.hash).toBe(b.hash);
  });
});

describe("ids and codes", () => {
  it("makes time-ordered 26-character ids", () => {
    const early = newId(new Date("2026-01-01T00:00:00Z"));
    const late = newId(new Date("2026-06-01T00:00:00Z"));
    expect(early).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(early < late).toBe(true);
  });

  it("formats tracking numbers like catalogue index numbers", () => {
    expect(formatTrackingNumber("001008010002002", 2026, 7)).toBe("001008010002002-2026-00007");
    expect(trackingNumberPattern.test("001008010002002-2026-00007")).toBe(true);
  });

  it("makes readable access codes and compares them forgivingly", () => {
    const code = newAccessCode();
    expect(code).toMatch(/^[2-9A-HJ-NP-Z]{10}$/);
    const spaced = `${code.slice(0, 5).toLowerCase()} ${code.slice(5)}`;
    expect(hashAccessCode("T", spaced)).toBe(hashAccessCode("T", code));
    expect(hashAccessCode("T", code)).not.toBe(hashAccessCode("U", code));
  });
});
