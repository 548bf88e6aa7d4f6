import { describe, expect, it } from "vitest";
import type { Harness } from "../support/harness";
import { validApplication } from "../support/app";
import { submitApplication } from "../../shared/app/applications/intake";
import { annualReport } from "../../shared/app/reports/annual";
import { countCaseChange } from "../../shared/app/transparency/counters";
import { agencyTransparency, deploymentTransparency } from "../../shared/app/transparency/counters";
import { serviceCenter } from "../support/app";
import { shanghaiDate } from "../../shared/domain/calendar";

/**
 * A scripted month of applications at one agency (the clock moved, never slept), then the
 * transparency figures compared with counts worked out here and with the annual report.
 * Shared by the offline use-case tests and the end-to-end ones.
 */

export interface Script {
  caseIds: string[];
  /** working days each answered case took, as the test counts them (receipt day not counted) */
  answeredDays: number[];
  cells: Record<string, number>;
  openCaseId: string;
}

/** Five applications from March 2026: four answered after different spans (one after an extension), one left open. */
export async function scriptedMonth(h: Harness): Promise<Script> {
  const cal = await h.deps.calendar();
  const proposals: Array<Record<string, unknown>> = [
    { replyType: "disclosed", reasons: "属于可以公开的政府信息" },
    { replyType: "disclosed", reasons: "属于可以公开的政府信息" },
    { replyType: "not_processed", ground: "repeated", reasons: "重复申请" },
    { extend: true, replyType: "partly_disclosed", reasons: "合同主体部分可以公开", withheld: "第3页供应商报价：涉及商业秘密", publicInterestReason: "合同金额涉及公共资金使用" },
  ];
  // the last one is extended and answered after its 20 working days, within the 30 of the extension
  const waits = [0, 3, 6, 22];
  const caseIds: string[] = [];
  const answeredDays: number[] = [];
  const cells: Record<string, number> = {};
  for (const [i, wait] of waits.entries()) {
    const { extend, ...proposal } = proposals[i]!;
    const s = await submitApplication(h.deps, validApplication({ name: `申请人${i}`, description: `2025年度统计资料第${i + 1}项` }));
    await h.settle();
    caseIds.push(s.caseId);
    await h.complete("office", s.caseId, "register", { outcome: "registered" });
    const receivedOn = (await h.deps.store.cases.get(s.caseId))!.deadlines["answer"]!.deadline.events[0]!.on;
    await h.complete("office", s.caseId, "review", { outcome: "complete" });
    if (extend) {
      await h.complete("office", s.caseId, "handle", { outcome: "request_extension", reason: "需会同多个科室检索", workingDays: "10" });
      await h.complete("deputy", s.caseId, "approve_extension", { outcome: "approved" });
    }
    if (wait > 0) await h.advanceWorkingDays(wait);
    await h.complete("office", s.caseId, "handle", { outcome: "propose_reply", ...proposal });
    await h.complete("deputy", s.caseId, "sign_off", { outcome: "signed" });
    answeredDays.push(cal.workingDaysBetween(receivedOn, shanghaiDate(h.clock.now())));
    const cell = proposal.replyType === "disclosed" ? "1" : proposal.replyType === "partly_disclosed" ? "2" : "5.2";
    cells[cell] = (cells[cell] ?? 0) + 1;
  }
  const open = await submitApplication(h.deps, validApplication({ name: "申请人9", description: "尚在办理的申请" }));
  await h.settle();
  return { caseIds: [...caseIds, open.caseId], answeredDays, cells, openCaseId: open.caseId };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(0.5 * xs.length) - 1];
const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(0.9 * xs.length) - 1];

export function transparencyCases(name: string, makeHarness: () => Promise<Harness>): void {
  describe(`transparency figures (${name})`, () => {
    it("after a scripted month match the counts worked out here and the annual report", async () => {
      // Prepare
      const h = await makeHarness();
      const script = await scriptedMonth(h);

      // Act
      const page = await agencyTransparency(h.deps, serviceCenter);
      const raw = (await h.deps.store.transparency.counters(serviceCenter))!.counts;
      const report = await annualReport(h.deps, serviceCenter, 2026);

      // Assess: the figures as worked out
      const y = page.figures.thisYear;
      expect(y.received).toBe(5);
      expect(y.answered).toBe(4);
      expect(y.onTime).toBe(3);
      expect(y.onTimeExtended).toBe(1);
      expect(y.medianWorkingDays).toBe(median(script.answeredDays));
      expect(y.p90WorkingDays).toBe(p90(script.answeredDays));
      expect(page.figures.openNow).toBe(1);
      expect(page.figures.overdueNow).toBe(0);
      // small counts in the result mix are shown as <5, the counters keep them exact
      expect(y.results.find((r) => r.cell === "1")!.count).toBe("<5");
      for (const [cell, n] of Object.entries(script.cells)) expect(raw[`cell:2026:${cell}`]).toBe(n);
      // Assess: the annual report of the same year says the same
      const row = (key: string) => report.applications.rows.find((r) => r.key === key)!.values[6];
      expect(row("new")).toBe(y.received);
      expect(row("total")).toBe(y.answered);
      for (const cell of ["1", "2", "3.1", "4.1", "5.2", "6.1"]) expect(raw[`cell:2026:${cell}`] ?? 0).toBe(row(cell));
      // the deployment's figures add the agencies up
      const all = await deploymentTransparency(h.deps);
      expect(all.figures.thisYear.received).toBe(5);
      expect(all.byAgency.find((a) => a.agencyCode === serviceCenter)).toMatchObject({ received: 5, answered: 4, openNow: 1 });
      // nothing personal in what the page is made of
      const json = JSON.stringify(page) + JSON.stringify(all);
      expect(json).not.toMatch(/申请人\d/);
      expect(json).not.toContain("2025年度统计资料");
      for (const id of script.caseIds) expect(json).not.toContain(id);
    });

    it("counts a change delivered twice once, and a late message of an older version not at all", async () => {
      // Prepare
      const h = await makeHarness();
      const s = await submitApplication(h.deps, validApplication());
      await h.settle();
      const before = (await h.deps.store.transparency.counters(serviceCenter))!;

      // Act: the same change delivered again, twice
      const again = [await countCaseChange(h.deps, s.caseId), await countCaseChange(h.deps, s.caseId)];

      // Assess
      expect(again).toEqual(["unchanged", "unchanged"]);
      const after = (await h.deps.store.transparency.counters(serviceCenter))!;
      expect(after).toEqual(before);
      expect(after.counts["received:2026"]).toBe(1);
      expect(after.counts["open"]).toBe(1);
    });

    it("loses nothing when the counter's update fails midway: the redelivery counts it", async () => {
      // Prepare: the store fails the next transaction that moves the counters (a crash before commit)
      const h = await makeHarness();
      const commit = h.deps.store.commit.bind(h.deps.store);
      let fail = true;
      h.deps.store.commit = async (writes) => {
        if (fail && writes.some((w) => w.kind === "transparency")) {
          fail = false;
          throw new Error("Lambda stopped");
        }
        return commit(writes);
      };
      const s = await submitApplication(h.deps, validApplication());

      // Act: the first delivery dies; the message stays unacknowledged and comes again
      await expect(h.settle()).rejects.toThrow("Lambda stopped");
      const between = await h.deps.store.transparency.counters(serviceCenter);
      const redelivered = await countCaseChange(h.deps, s.caseId);
      await h.settle();

      // Assess
      expect(between?.counts["received:2026"] ?? 0).toBe(0);
      expect(redelivered).toBe("counted");
      expect((await h.deps.store.transparency.counters(serviceCenter))!.counts["received:2026"]).toBe(1);
      expect(await h.deps.store.transparency.contribution(s.caseId)).toMatchObject({ agencyCode: serviceCenter });
    });
  });
}
