import { describe, expect, it } from "vitest";
import { WorkingCalendar } from "../../../shared/domain/calendar";
import type { Deadline } from "../../../shared/domain/deadlines";
import {
  DeadlineRuleError,
  dueMoment,
  evaluateDeadline,
  extendDeadline,
  pauseDeadline,
  receiptRule,
  reminderMoments,
  restartDeadline,
  resumeDeadline,
  startDeadline,
  statutoryPeriods,
} from "../../../shared/domain/deadlines";

const cal = WorkingCalendar.official();
const who = (on: string, reason = "测试") => ({ on, reason, by: "王芳", at: `${on}T02:00:00.000Z` });
const { answer } = statutoryPeriods;
const startAnswer = (on: string): Deadline =>
  startDeadline(answer.kind, answer.periodWorkingDays, who(on, "当面提交"), { maxExtensionDays: answer.maxExtensionDays, maxTotalWorkingDays: answer.maxTotalWorkingDays });

function ruleError(fn: () => unknown): DeadlineRuleError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DeadlineRuleError) return error;
    throw error;
  }
  throw new Error("expected a DeadlineRuleError");
}

describe("receipt date by channel (art. 31)", () => {
  it("in person: the day submitted", () => {
    const r = receiptRule("in_person", { submittedOn: "2024-09-27" });
    expect(r).toMatchObject({ on: "2024-09-27" });
    expect("rule" in r && r.rule).toContain("第三十一条第一项");
  });
  it("registered mail: the day signed for", () => {
    expect(receiptRule("registered_mail", { submittedOn: "2024-09-20", signedForOn: "2024-09-23" })).toMatchObject({ on: "2024-09-23" });
    expect(receiptRule("registered_mail", { submittedOn: "2024-09-20" })).toMatchObject({ pending: true });
  });
  it.each(["ordinary_mail", "online", "fax"] as const)("%s: the day receipt is confirmed with the applicant", (channel) => {
    expect(receiptRule(channel, { submittedOn: "2024-09-20" })).toMatchObject({ pending: true });
    const r = receiptRule(channel, { submittedOn: "2024-09-20", confirmedOn: "2024-09-24" });
    expect(r).toMatchObject({ on: "2024-09-24" });
    expect("rule" in r && r.rule).toMatch(/第三十一条第[二三]项/);
  });
});

describe("deadline model", () => {
  it("20 working days from a receipt before National Day 2024", () => {
    // Prepare: received Fri 2024-09-27 (worked by hand in the reminder test below); Sun 09-29 and Sat 10-12 are make-up days, 10-01..07 off
    const d = startAnswer("2024-09-27");
    // Act
    const e = evaluateDeadline(cal, d);
    // Assess
    expect(e).toMatchObject({ dueOn: "2024-10-30", provisional: false, paused: false, totalWorkingDays: 20, pausedWorkingDays: 0 });
    expect(e.explanation[0]).toBe("法定答复期限：20 个工作日（起算日不计入，遇休息日顺延，调休上班日计入）。");
    expect(e.explanation.at(-1)).toBe("到期日：2024-10-30（自 2024-09-27 次日起第 20 个工作日）。");
    expect(e.steps.filter((s) => s.action === "count").map((s) => s.date)).toEqual(["2024-09-29", "2024-10-12"]);
  });

  it("a pause stops the clock for the working days after it, up to and including the resume day", () => {
    // Prepare: third party consulted on Tue 10-15, answered Tue 10-22 → 10-16..10-22 (5 working days) not counted
    const d = resumeDeadline(pauseDeadline(startAnswer("2024-09-27"), who("2024-10-15", "征求第三方意见（第三十二条）")), who("2024-10-22", "第三方已答复"));
    // Act
    const e = evaluateDeadline(cal, d);
    // Assess
    expect(e.dueOn).toBe("2024-11-06");
    expect(e.pausedWorkingDays).toBe(5);
    expect(e.explanation).toContain("2024-10-22 恢复计时，次日起继续计算；暂停期间 5 个工作日不计入：第三方已答复（王芳，2024-10-22 10:00 北京时间）");
    expect(e.steps.filter((s) => s.action === "paused")).toHaveLength(5);
  });

  it("while paused the due date is what it would be if counting resumed today", () => {
    const d = pauseDeadline(startAnswer("2024-09-27"), who("2024-10-15"));
    expect(evaluateDeadline(cal, d)).toMatchObject({ paused: true, dueOn: "2024-10-30" });
    expect(evaluateDeadline(cal, d, "2024-10-22")).toMatchObject({ paused: true, dueOn: "2024-11-06", pausedWorkingDays: 5, countedWorkingDays: 9 });
    expect(evaluateDeadline(cal, d, "2024-10-22").explanation.join("\n")).toContain("目前处于暂停状态（自 2024-10-15 起）");
  });

  it("refuses a pause while paused and a resume when not paused", () => {
    const paused = pauseDeadline(startAnswer("2024-09-27"), who("2024-10-15"));
    expect(ruleError(() => pauseDeadline(paused, who("2024-10-16"))).code).toBe("ALREADY_PAUSED");
    expect(ruleError(() => resumeDeadline(startAnswer("2024-09-27"), who("2024-10-16"))).code).toBe("NOT_PAUSED");
  });

  it("extends once, by at most 20, never past 40 in total", () => {
    // Prepare
    const d = startAnswer("2024-09-27");
    // Act
    const extended = extendDeadline(d, { ...who("2024-10-25", "需要协调多个部门（第三十三条第二款）"), days: 20 });
    // Assess
    expect(evaluateDeadline(cal, extended)).toMatchObject({ dueOn: "2024-11-27", totalWorkingDays: 40 });
    const second = ruleError(() => extendDeadline(extended, { ...who("2024-10-28"), days: 1 }));
    expect(second.code).toBe("EXTENSION_ALREADY_GRANTED");
    expect(second.message).toMatch(/不得再次延长/);
    expect(ruleError(() => extendDeadline(d, { ...who("2024-10-25"), days: 21 })).code).toBe("EXTENSION_OVER_CAP");
    expect(ruleError(() => extendDeadline(startDeadline("register", 1, who("2024-09-27")), { ...who("2024-09-27"), days: 1 })).code).toBe("EXTENSION_NOT_ALLOWED");
  });

  it("never passes the total cap even when the extension alone is within its cap", () => {
    const d = startDeadline("custom", 25, who("2024-09-27"), { maxExtensionDays: 20, maxTotalWorkingDays: 40 });
    const e = ruleError(() => extendDeadline(d, { ...who("2024-10-08"), days: 16 }));
    expect(e.code).toBe("EXTENSION_OVER_CAP");
    expect(e.message).toContain("超过最长 40 个工作日");
  });

  it("a correction restarts the period from receipt of the corrected application (art. 30)", () => {
    // Prepare
    const d = restartDeadline(startAnswer("2024-09-27"), who("2024-10-16", "收到补正后的申请（第三十条）"));
    // Act
    const e = evaluateDeadline(cal, d);
    // Assess
    expect(e.dueOn).toBe(cal.addWorkingDays("2024-10-16", 20).date);
    expect(e.explanation[1]).toContain("［已因重新起算失效］");
    expect(e.explanation[2]).toContain("2024-10-16 重新起算");
  });

  it("history only grows forward in time", () => {
    expect(ruleError(() => pauseDeadline(startAnswer("2024-09-27"), who("2024-09-20"))).code).toBe("EVENT_BEFORE_PREVIOUS");
    expect(ruleError(() => startDeadline("answer", 0, who("2024-09-27"))).code).toBe("INVALID_PERIOD");
  });

  it("is provisional when the period reaches a year without schedule", () => {
    const e = evaluateDeadline(cal, startAnswer("2026-12-15"));
    expect(e.provisional).toBe(true);
    expect(e.explanation.at(-1)).toContain("临时结果");
  });

  it("the third party's own 15-working-day limit is a deadline of its own", () => {
    const { thirdPartyReply } = statutoryPeriods;
    const d = startDeadline(thirdPartyReply.kind, thirdPartyReply.periodWorkingDays, who("2024-10-15", "书面征求第三方意见"));
    expect(evaluateDeadline(cal, d).dueOn).toBe("2024-11-05");
  });
});

describe("reminder moments", () => {
  it("halfway, warnings 5 and 2 before, last day at 09:00 Shanghai, overdue at the end of the due day", () => {
    // Prepare: counted days 09-29(1), 09-30(2), 10-08..11(3–6), Sat 10-12(7), 10-14..18(8–12), 10-21..25(13–17), 10-28..30(18–20)
    const d = startAnswer("2024-09-27");
    // Act
    const moments = reminderMoments(cal, d);
    // Assess
    expect(moments.map((m) => [m.kind, m.at.toISOString(), m.workingDaysLeft])).toEqual([
      ["halfway", "2024-10-17T01:00:00.000Z", 10],
      ["warning", "2024-10-23T01:00:00.000Z", 5],
      ["warning", "2024-10-28T01:00:00.000Z", 2],
      ["last_day", "2024-10-30T01:00:00.000Z", 1],
      ["overdue", "2024-10-30T15:59:59.999Z", 0],
    ]);
    expect(dueMoment("2024-10-29").toISOString()).toBe("2024-10-29T15:59:59.999Z");
  });

  it("a 1-day period has no halfway; other kinds have no warnings; a paused deadline has none", () => {
    const register = startDeadline("register", 1, who("2024-02-08"));
    expect(reminderMoments(cal, register).map((m) => [m.kind, m.at.toISOString()])).toEqual([
      ["last_day", "2024-02-09T01:00:00.000Z"],
      ["overdue", "2024-02-09T15:59:59.999Z"],
    ]);
    expect(reminderMoments(cal, pauseDeadline(startAnswer("2024-09-27"), who("2024-10-15")))).toEqual([]);
    expect(reminderMoments(cal, register, { warnWorkingDaysBefore: [5] }).some((m) => m.kind === "warning")).toBe(false);
  });
});
