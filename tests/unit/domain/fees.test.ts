import { describe, expect, it } from "vitest";
import { computeFee, feeTotals, perApplicationFee, perApplicationRate, perVolumeFee, withExemption } from "../../../shared/domain/fees";

/** 国办函〔2020〕109号 第三条–第五条, as pure functions. */
describe("processing fee (信息处理费)", () => {
  it("per application: 1–10 free, 11–30 100元, then 100元 more for every further band of 10", () => {
    const rates = [1, 10, 11, 12, 30, 31, 40, 41, 45, 50, 51, 61].map((n) => perApplicationRate(n).rate);
    expect(rates).toEqual([0, 0, 100, 100, 100, 200, 200, 300, 300, 300, 400, 500]);
  });

  it("counts the applicant's applications of the month by submission and explains which counted and which tier", () => {
    const month = Array.from({ length: 12 }, (_, i) => ({ caseId: `c${i + 1}`, reference: `HY-${i + 1}`, at: `2026-03-0${Math.min(9, 1 + Math.floor(i / 2))}T0${i % 10}:00:00.000Z` }));
    const c = perApplicationFee({ caseId: "c12", month: "2026-03", monthApplications: [...month].reverse() });
    expect(c.amountYuan).toBe(100);
    expect(c.ordinals).toEqual({ from: 12, to: 12 });
    expect(c.counted!.map((x) => x.reference)).toEqual(month.slice(0, 11).map((x) => x.reference));
    expect(c.explanation[0]).toContain("本件之前已有 11 件");
    expect(c.explanation).toContain("第12件：第四条第（二）项：累计申请11—30件（含30件）的部分，100元/件，1 件 × 100 元 = 100 元。");
  });

  it("一事一申请: a split application counts as several in a row, across tiers", () => {
    const month = Array.from({ length: 28 }, (_, i) => ({ caseId: `c${i}`, reference: `R${i}`, at: `2026-03-01T00:00:${String(i).padStart(2, "0")}.000Z` }));
    const c = perApplicationFee({ caseId: "c27", month: "2026-03", monthApplications: month, units: 4 });
    expect(c.ordinals).toEqual({ from: 28, to: 31 });
    expect(c.lines.map((l) => [l.item, l.amount])).toEqual([["第28—30件", 300], ["第31件", 200]]);
    expect(c.amountYuan).toBe(500);
  });

  it("by volume: 30 pages free, 31–100 10元, 101–200 20元, beyond 40元 a page", () => {
    expect(perVolumeFee(30).amountYuan).toBe(0);
    expect(perVolumeFee(31).amountYuan).toBe(10);
    expect(perVolumeFee(100).amountYuan).toBe(700);
    expect(perVolumeFee(200).amountYuan).toBe(2700);
    expect(perVolumeFee(201).amountYuan).toBe(2740);
  });

  it("an exemption lowers or waives the fee with its reason, never raises it", () => {
    const c = withExemption(perVolumeFee(150), { reason: "特困人员", toYuan: 0 });
    expect([c.standardYuan, c.amountYuan]).toEqual([1700, 0]);
    expect(c.explanation.at(-1)).toContain("特困人员");
    expect(() => withExemption(perVolumeFee(150), { reason: "x", toYuan: 1700 })).toThrow(RangeError);
    expect(computeFee("per_volume", { pages: 150, exemption: { reason: "低保", toYuan: 500 } }).amountYuan).toBe(500);
  });

  it("the year's totals count notices by their day and payments by theirs", () => {
    const t = feeTotals(
      [
        { amountYuan: 100, noticeIssuedOn: "2026-12-28", paid: { amountYuan: 100, paidOn: "2027-01-05" } },
        { amountYuan: 300, noticeIssuedOn: "2026-05-06" },
        { amountYuan: 200 },
      ],
      2026,
    );
    expect(t).toEqual({ notices: 2, noticedYuan: 400, collected: 0, collectedYuan: 0 });
    expect(feeTotals([{ amountYuan: 100, noticeIssuedOn: "2026-12-28", paid: { amountYuan: 100, paidOn: "2027-01-05" } }], 2027)).toEqual({ notices: 0, noticedYuan: 0, collected: 1, collectedYuan: 100 });
  });
});
