import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GetScheduleCommand } from "@aws-sdk/client-scheduler";
import { startTestStack, type TestStack } from "../../support/stack";
import { drainQueue } from "../../support/queues";
import type { QueueName } from "../../../shared/manifest";
import { seededDeps, signInAs, validApplication } from "../../support/app";
import type { AppDeps } from "../../../shared/app/deps";
import { submitApplication } from "../../../shared/app/submit-application";
import { openRegistrationTask } from "../../../shared/app/open-registration-task";
import { completeTask, listMyOpenTasks } from "../../../shared/app/staff-tasks";
import { viewCaseAsStaff } from "../../../shared/app/view-case";
import { enterYearSchedule } from "../../../shared/app/calendar/enter-year-schedule";
import { recomputeOpenDeadlines } from "../../../shared/app/deadlines/recompute-open-deadlines";
import { createCalendarStore } from "../../../shared/adapters/aws/calendar-store";
import { timerName } from "../../../shared/app/timers";
import type { YearSchedule } from "../../../shared/domain/calendar";

/** A made-up 2027 schedule for the test: New Year's Day off (Fri 1 – Sun 3 January), nothing else. */
const test2027: YearSchedule = {
  year: 2027,
  notice: { documentNumber: "测试〔2026〕1号", issuedOn: "2026-12-01", title: "测试用2027年节假日安排" },
  holidays: [{ name: "元旦", from: "2027-01-01", to: "2027-01-03" }],
  makeUpWorkdays: [],
};

let stack: TestStack;
let deps: AppDeps;

beforeAll(async () => {
  // Monday 2026-12-21, 10:00 in Shanghai: the answer period reaches into 2027, which has no official schedule
  stack = await startTestStack({ clockStart: "2026-12-21T02:00:00.000Z" });
  deps = await seededDeps(stack);
});
afterAll(async () => stack?.stop());

const drain = (queue: QueueName) => drainQueue(stack, queue);

describe("entering a new year's schedule", () => {
  it("turns provisional deadlines final, records it in each case's history, moves timers and tells the assignees", async () => {
    // Prepare: case A registered on 2026-12-21 → answer due 2027-01-18 on weekends alone (provisional)
    const office = await signInAs(deps, "office");
    const a = await submitApplication(deps, validApplication());
    await openRegistrationTask(deps, a.caseId);
    const taskA = (await listMyOpenTasks(deps, office)).find((t) => t.caseId === a.caseId)!;
    await completeTask(deps, office, taskA.taskId, { outcome: "registered" });
    const beforeA = await viewCaseAsStaff(deps, office, a.caseId);
    expect(beforeA.deadlines[0]).toMatchObject({ dueOn: "2027-01-18", provisional: true });

    // case B submitted on Thu 2026-12-31: its register task is due Fri 2027-01-01 — provisional
    stack.clock.advanceTo(new Date("2026-12-31T02:00:00.000Z"));
    const b = await submitApplication(deps, validApplication());
    await openRegistrationTask(deps, b.caseId);
    const taskB = (await listMyOpenTasks(deps, office)).find((t) => t.caseId === b.caseId)!;
    expect(taskB).toMatchObject({ dueOn: "2027-01-01", dueIsProvisional: true });
    await drain("mail");

    // Act: the administrator enters 2027
    const store = createCalendarStore({ doc: stack.doc, tableName: stack.tableName });
    const result = await enterYearSchedule(
      { store, clock: stack.clock, recomputeOpenDeadlines: recomputeOpenDeadlines(deps) },
      test2027,
      "admin",
    );

    // Assess: both moved, both final
    expect(result.changed).toBe(2);
    const afterA = await viewCaseAsStaff(deps, office, a.caseId);
    expect(afterA.deadlines[0]).toMatchObject({ dueOn: "2027-01-19", provisional: false });
    expect(afterA.case.dueOn).toBe("2027-01-19");
    expect(afterA.timeline.at(-1)).toMatchObject({ type: "deadline.recomputed", actor: { username: "admin" } });
    expect(afterA.timeline.at(-1)?.summary).toContain("2027-01-19");
    expect(afterA.auditTrailIntact).toBe(true);

    const afterB = await viewCaseAsStaff(deps, office, b.caseId);
    expect(afterB.tasks[0]).toMatchObject({ dueOn: "2027-01-04", dueIsProvisional: false });
    expect(afterB.timeline.at(-1)).toMatchObject({ type: "task.due_changed" });

    // the answer deadline's timers moved with it
    const answerOverdue = await stack.scheduler.send(new GetScheduleCommand({ Name: timerName(`${a.caseId}-answer`, "overdue"), GroupName: stack.config.scheduleGroup }));
    expect(answerOverdue.ScheduleExpression).toBe("at(2027-01-19T15:59:59)");

    // the task's overdue timer now fires at the end of the new due day
    const timer = await stack.scheduler.send(new GetScheduleCommand({ Name: timerName(taskB.taskId, "overdue"), GroupName: stack.config.scheduleGroup }));
    expect(timer.ScheduleExpression).toBe("at(2027-01-04T15:59:59)");

    // the people working both are told
    const mails = await drain("mail");
    expect(mails.map((m) => m.subject)).toEqual(
      expect.arrayContaining([expect.stringContaining("2027-01-19"), expect.stringContaining("2027-01-04")]),
    );

    // entering the same schedule again changes nothing
    const again = await enterYearSchedule({ store, clock: stack.clock, recomputeOpenDeadlines: recomputeOpenDeadlines(deps) }, test2027, "admin");
    expect(again.changed).toBe(0);
    expect((await store.history(2027)).map((h) => h.revision)).toEqual([1, 2]);
  });
});
