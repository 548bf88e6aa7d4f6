import { describe, expect, it } from "vitest";
import { memoryHarness } from "../../support/harness";
import { validApplication } from "../../support/app";
import { submitApplication } from "../../../shared/app/applications/intake";
import { replyGrounds, resultCellOf, type ReplyType } from "../../../shared/domain/report/cells";

/** Every reply an office can sign, to its letter and its one annual-report cell (SPEC §7.1 table). */
const paths: Array<{ replyType: ReplyType; ground?: string; extra?: Record<string, string>; cell: string }> = [
  { replyType: "already_published", extra: { where: "本机关门户网站“政府信息公开”栏目" }, cell: "1" },
  { replyType: "disclosed", cell: "1" },
  { replyType: "partly_disclosed", extra: { withheld: "第三页涉及个人隐私的内容" }, cell: "2" },
  ...replyGrounds.not_disclosed.map((ground, i) => ({ replyType: "not_disclosed" as const, ground, cell: `3.${i + 1}` })),
  { replyType: "cannot_provide", ground: "not_held", cell: "4.1" },
  { replyType: "cannot_provide", ground: "needs_creation", cell: "4.2" },
  { replyType: "other_agency", extra: { agencyName: "黄岩区教育局", agencyContact: "0576-12345678" }, cell: "4.1" },
  ...replyGrounds.not_processed.map((ground, i) => ({ replyType: "not_processed" as const, ground, cell: `5.${i + 1}` })),
  { replyType: "special_law", cell: "6.3" },
];

describe("every reply type and ground closes the case in its one report cell, with its own letter", () => {
  it("signs each path to its letter and cell", async () => {
    const h = await memoryHarness();
    for (const p of paths) {
      const s = await submitApplication(h.deps, validApplication());
      await h.settle();
      await h.complete("office", s.caseId, "register", { outcome: "registered" });
      await h.complete("office", s.caseId, "review", { outcome: "complete" });
      await h.complete("office", s.caseId, "handle", { outcome: "propose_reply", replyType: p.replyType, ...(p.ground ? { ground: p.ground } : {}), reasons: "依法答复", ...p.extra });
      await h.complete("deputy", s.caseId, "sign_off", { outcome: "signed" });
      const c = (await h.deps.store.cases.get(s.caseId))!;
      expect(c.result, `${p.replyType}/${p.ground}`).toMatchObject({ cell: p.cell, replyType: p.replyType });
      expect(resultCellOf(p.replyType, p.ground)).toBe(p.cell);
      const reply = c.letters.find((l) => l.kind === `reply_${p.replyType}`)!;
      expect(reply, `${p.replyType} letter`).toBeDefined();
      const text = new TextDecoder().decode((await h.deps.files.get(reply.files.html))!.body);
      expect(text).toContain("行政复议");
    }
  });

  it("refuses a ground of another reply type, a missing ground, and the reply types only the system sets", async () => {
    const h = await memoryHarness();
    const s = await submitApplication(h.deps, validApplication());
    await h.settle();
    await h.complete("office", s.caseId, "register", { outcome: "registered" });
    await h.complete("office", s.caseId, "review", { outcome: "complete" });
    const attempt = (input: Record<string, unknown>) =>
      h.complete("office", s.caseId, "handle", { outcome: "propose_reply", reasons: "x", ...input }).then(
        () => ({ fields: [] as Array<{ path: string; code: string }> }),
        (e: { fields: Array<{ path: string; code: string }> }) => e,
      );
    expect((await attempt({ replyType: "not_disclosed" })).fields).toEqual([expect.objectContaining({ path: "ground", code: "required" })]);
    expect((await attempt({ replyType: "not_disclosed", ground: "not_held" })).fields).toEqual([expect.objectContaining({ path: "ground", code: "invalid_choice" })]);
    expect((await attempt({ replyType: "withdrawn" })).fields).toEqual([expect.objectContaining({ path: "replyType", code: "invalid_choice" })]);
    expect((await attempt({ replyType: "partly_disclosed" })).fields).toEqual([expect.objectContaining({ path: "withheld", code: "required" })]);
    expect((await attempt({ replyType: "cannot_provide", ground: "unclear_after_correction" })).fields).toEqual([expect.objectContaining({ path: "ground", code: "not_applicable" })]);
  });
});
