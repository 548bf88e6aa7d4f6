import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GetScheduleCommand } from "@aws-sdk/client-scheduler";
import { startTestStack, type TestStack } from "../../support/stack";
import { connectedHarness, type Harness } from "../../support/harness";
import { validApplication } from "../../support/app";
import { submitApplication } from "../../../shared/app/applications/intake";
import { viewCaseAsStaff } from "../../../shared/app/views/case";
import { enterYearSchedule } from "../../../shared/app/calendar/enter-year-schedule";
import { recomputeOpenDeadlines } from "../../../shared/app/engine/recompute";
import { timerName } from "../../../shared/domain/workflows/timers";
import type { YearSchedule } from "../../../shared/domain/calendar";

/** A made-up 2027 schedule for the test: New Year's Day off (Fri 1 – Sun 3 January), nothing else. */
const test2027: YearSchedule = {
  year: 2027,
  notice: { documentNumber: "测试〔2026〕1号", issuedOn: "2026-12-01", title: "测试用2027年节假日安排" },
  holidays: [{ name: "元旦", from: "2027-01-01", to: "2027-01-03" }],
  makeUpWorkdays: [],
};

let stack: TestStack;
let h: Harness;

beforeAll(async () => {
  // Monday 2026-12-21, 10:00 in Shanghai: the answer period reaches into 2027, which has no official schedule
  stack = await startTestStack({ clockStart: "2026-12-21T02:00:00.000Z" });
  h = await connectedHarness(stack);
});
afterAll(async () => stack?.stop());

describe("entering a new year's schedule", () => {
  it("turns provisional deadlines final, records it in each case's history, moves timers and tells the assignees", async () => {
    const deps = h.deps;
    const office = await h.signIn("office");
    // Prepare: case A registered on 2026-12-21 → answer due 2027-01-18 on weekends alone (provisional)
    const a = await submitApplication(deps, validApplication());
    await h.settle();
    await h.complete("office", a.caseId, "register", { outcome: "registered" });
    const beforeA = await viewCaseAsStaff(deps, office, a.caseId);
    expect(beforeA.deadlines.find((d) => d.name === "answer")).toMatchObject({ dueOn: "2027-01-18", provisional: true });

    // case B submitted on Thu 2026-12-31: its register task is due Fri 2027-01-01 — provisional
    await h.advanceTo(new Date("2026-12-31T02:00:00.000Z"));
    const b = await submitApplication(deps, validApplication());
    await h.settle();
    const taskB = (await h.openTask(b.caseId, "register"))!;
    expect(taskB).toMatchObject({ dueOn: "2027-01-01", dueIsProvisional: true });
    const mailsBefore = h.sent.length;

    // Act: the administrator enters 2027
    const recompute = { store: deps.calendars, clock: stack.clock, recomputeOpenDeadlines: recomputeOpenDeadlines(deps) };
    const result = await enterYearSchedule(recompute, test2027, "admin");
    await h.settle();

    // Assess: both moved, both final
    expect(result.changed).toBeGreaterThanOrEqual(2);
    const afterA = await viewCaseAsStaff(deps, office, a.caseId);
    expect(afterA.deadlines.find((d) => d.name === "answer")).toMatchObject({ dueOn: "2027-01-19", provisional: false });
    expect(afterA.case.dueOn).toBe("2027-01-19");
    expect(afterA.timeline.find((e) => e.type === "deadline.recomputed" && e.summary.includes("2027-01-19"))).toMatchObject({ actor: { username: "admin" } });
    expect(afterA.auditTrailIntact).toBe(true);

    const afterB = await viewCaseAsStaff(deps, office, b.caseId);
    expect(afterB.tasks.find((t) => t.taskId === taskB.taskId)).toMatchObject({ dueOn: "2027-01-04", dueIsProvisional: false });
    expect(afterB.timeline.at(-1)).toMatchObject({ type: "task.due_changed" });

    // the answer deadline's timers moved with it
    const answerOverdue = await stack.scheduler.send(new GetScheduleCommand({ Name: timerName(`${a.caseId}-answer`, "overdue"), GroupName: stack.config.scheduleGroup }));
    expect(answerOverdue.ScheduleExpression).toBe("at(2027-01-19T15:59:59)");
    // the task's overdue timer now fires at the end of the new due day
    const timer = await stack.scheduler.send(new GetScheduleCommand({ Name: timerName(taskB.taskId, "overdue"), GroupName: stack.config.scheduleGroup }));
    expect(timer.ScheduleExpression).toBe("at(2027-01-04T15:59:59)");

    // the people working both are told
    expect(h.sent.slice(mailsBefore).map((m) => m.subject)).toEqual(expect.arrayContaining([expect.stringContaining("2027-01-19"), expect.stringContaining("2027-01-04")]));

    // entering the same schedule again changes nothing
    const again = await enterYearSchedule(recompute, test2027, "admin");
    expect(again.changed).toBe(0);
    expect((await deps.calendars.history(2027)).map((x) => x.revision)).toEqual([1, 2]);
  });
});
