import { describe, expect, it } from "vitest";
import {
  EXCESSIVE_APPLICATIONS_PER_MONTH,
  applicantMonthKey,
  assessSignals,
  informationFingerprint,
  informationKey,
  normaliseForComparison,
  signalLines,
  signalSummary,
  type SameInformationCase,
} from "../../../shared/domain/signals";

describe("information fingerprint (art. 44, 36(6))", () => {
  it("ignores full-width/half-width, punctuation, whitespace and case", () => {
    const a = informationFingerprint({ description: "2025年度 行政服务中心窗口服务满意度调查结果（ABC）。" });
    const b = informationFingerprint({ description: "２０２５年度行政服务中心、窗口服务满意度调查结果(abc)" });
    const c = informationFingerprint({ description: "  2025年度行政服务中心窗口服务满意度调查结果 abc\n" });
    expect(a).toBe(b);
    expect(a).toBe(c);
    expect(a).toMatch(/^[0-9a-f]{32}$/);
  });

  it("different information differs", () => {
    expect(informationFingerprint({ description: "2025年度满意度调查结果" })).not.toBe(informationFingerprint({ description: "2024年度满意度调查结果" }));
  });

  it("takes the document number when given, whatever brackets it is typed with", () => {
    const base = { description: "关于窗口服务的通知" };
    expect(informationFingerprint({ ...base, documentNumber: "黄行服〔2025〕3号" })).toBe(informationFingerprint({ ...base, documentNumber: "黄行服[2025]3号" }));
    expect(informationFingerprint({ ...base, documentNumber: "黄行服〔2025〕3号" })).not.toBe(informationFingerprint({ ...base, documentNumber: "黄行服〔2025〕4号" }));
    expect(informationFingerprint({ ...base, documentNumber: "" })).toBe(informationFingerprint(base));
    // the number is not simply appended to the description
    expect(informationFingerprint({ description: "通知3号" })).not.toBe(informationFingerprint({ description: "通知", documentNumber: "3号" }));
  });

  it("normalises the ideographic space and full-width letters", () => {
    expect(normaliseForComparison("Ａ　ｂ，Ｃ！")).toBe("abc");
  });

  it("index keys", () => {
    expect(applicantMonthKey("001", "k", "2026-03")).toBe("applicant#001#k#2026-03");
    expect(informationKey("001", "f")).toBe("info#001#f");
  });
});

describe("assessSignals", () => {
  const me = { caseId: "c9", applicantKey: "me", at: "2026-03-10T02:00:00.000Z" };
  const other = (o: Partial<SameInformationCase>): SameInformationCase => ({ caseId: "c1", reference: "R-1", applicantKey: "you", at: "2026-03-01T02:00:00.000Z", ...o });

  it("flags more than the monthly threshold, not the threshold itself", () => {
    expect(assessSignals({ ...me, applicationsThisMonth: EXCESSIVE_APPLICATIONS_PER_MONTH, sameFingerprint: [] }).flags).toEqual([]);
    const a = assessSignals({ ...me, applicationsThisMonth: EXCESSIVE_APPLICATIONS_PER_MONTH + 1, sameFingerprint: [] });
    expect(a.flags).toEqual(["excessive_requests"]);
    expect(signalLines(a, "2026-03")[0]).toContain("第三十五条");
    expect(signalLines(a, "2026-03")[0]).toContain("说明理由");
  });

  it("same information from other applicants within 12 months; older ones and the case itself do not count", () => {
    const a = assessSignals({
      ...me,
      applicationsThisMonth: 1,
      sameFingerprint: [other({ caseId: "c9", reference: "SELF" }), other({ reference: "R-2" }), other({ caseId: "c0", reference: "R-OLD", at: "2025-03-01T00:00:00.000Z" })],
    });
    expect(a).toMatchObject({ sameInformation: ["R-2"], possibleRepeatOf: [], flags: ["same_information"] });
    expect(signalLines(a, "2026-03")[0]).toContain("主动公开");
  });

  it("a repeat needs the same applicant and an answer on the substance given before this application", () => {
    const a = assessSignals({
      ...me,
      applicationsThisMonth: 2,
      sameFingerprint: [
        other({ reference: "R-ANSWERED", applicantKey: "me", replyType: "disclosed", answeredAt: "2026-03-09T00:00:00.000Z" }),
        other({ caseId: "c2", reference: "R-OPEN", applicantKey: "me" }),
        other({ caseId: "c3", reference: "R-WITHDRAWN", applicantKey: "me", replyType: "withdrawn", answeredAt: "2026-03-09T00:00:00.000Z" }),
        // answered only after this application came in: the office answers both, no repeat
        other({ caseId: "c4", reference: "R-LATER", applicantKey: "me", replyType: "disclosed", answeredAt: "2026-03-20T00:00:00.000Z" }),
      ],
    });
    expect(a).toMatchObject({ sameInformation: [], possibleRepeatOf: ["R-ANSWERED"], flags: ["possible_repeat"] });
    expect(signalSummary(a, "2026-03")).toContain("疑似重复申请");
  });

  it("nothing found: a plain summary", () => {
    const a = assessSignals({ ...me, applicationsThisMonth: 3, sameFingerprint: [] });
    expect(signalLines(a, "2026-03")).toEqual([]);
    expect(signalSummary(a, "2026-03")).toContain("3 件");
  });
});
