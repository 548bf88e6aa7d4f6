import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GetScheduleCommand, ListSchedulesCommand } from "@aws-sdk/client-scheduler";
import { startTestStack, type TestStack } from "../../support/stack";
import { drainQueue } from "../../support/queues";
import { seededDeps, signInAs, validApplication, otherAgency } from "../../support/app";
import type { AppDeps } from "../../../shared/app/deps";
import type { QueueName } from "../../../shared/manifest";
import { submitApplication } from "../../../shared/app/applications/intake";
import { handleStepMessage } from "../../../shared/app/engine/step";
import { sendQueuedMail } from "../../../shared/app/send-mail";
import { createMailTransport } from "../../../shared/adapters/mail-transport";
import { completeTask } from "../../../shared/app/engine/complete-task";
import { listMyOpenTasks } from "../../../shared/app/views/tasks";
import { viewCaseAsStaff } from "../../../shared/app/views/case";
import { viewCaseAsApplicant } from "../../../shared/app/applications/applicant";
import { handleCaseTimer, handleTaskTimer } from "../../../shared/app/engine/timers";
import { sweepOverdue } from "../../../shared/app/engine/sweep";
import { createTable } from "../../../shared/adapters/aws/table";
import { ValidationError, NotFoundError, ConflictError, ForbiddenError } from "../../../shared/app/errors";
import { createOutboxDispatcher, outboxKey, pendingPartitions, pendingShard, OUTBOX_PENDING_SHARDS } from "../../../shared/adapters/aws/outbox";

const openRegistrationTask = (deps: AppDeps, caseId: string) => handleStepMessage(deps, { caseId, workflow: "application", step: "register" });
const getCase = (deps: AppDeps, caseId: string) => deps.store.cases.get(caseId);
const listEvents = (deps: AppDeps, caseId: string) => deps.store.cases.events(caseId);
import { verifyChain } from "../../../shared/domain/audit";

let stack: TestStack;
let deps: AppDeps;

beforeAll(async () => {
  // Monday 2026-03-02, 10:00 in Shanghai
  stack = await startTestStack({ clockStart: "2026-03-02T02:00:00.000Z" });
  deps = await seededDeps(stack);
});
afterAll(async () => stack?.stop());

const receiveAll = (queue: QueueName) => drainQueue(stack, queue);

async function deliverMail(): Promise<number> {
  const transport = createMailTransport(deps.config.mail);
  let sent = 0;
  for (const m of await receiveAll("mail")) {
    const result = await sendQueuedMail(deps, transport, m.messageId as string, m as never);
    if (result === "sent") sent++;
  }
  return sent;
}

describe("online application intake → registration task", () => {
  it("stores the case, hands it to registration, opens a 1-working-day task with timers and mails the office", async () => {
    // Act: submit
    const submitted = await submitApplication(deps, validApplication());

    // Assess: tracking number in the catalogue style and a private access code
    expect(submitted.trackingNumber).toMatch(/^001008010002002-2026-\d{5}$/);
    expect(submitted.accessCode).toMatch(/^[2-9A-HJ-NP-Z]{10}$/);
    expect(submitted.status).toBe("received");
    const stored = await getCase(deps, submitted.caseId);
    expect(JSON.stringify(stored)).not.toContain(submitted.accessCode);

    // the hand-off message is on the registration queue
    const handoffs = await receiveAll("application-register");
    expect(handoffs).toEqual([expect.objectContaining({ type: "task.opened", step: "register", caseId: submitted.caseId })]);

    // Act: the registration step consumes it (twice: at-least-once delivery)
    expect(await openRegistrationTask(deps, submitted.caseId)).toBe("opened");
    expect(await openRegistrationTask(deps, submitted.caseId)).toBe("already_done");

    // Assess: exactly one task, due the next working day (Tue 2026-03-03)
    const office = await signInAs(deps, "office");
    const tasks = await listMyOpenTasks(deps, office);
    const task = tasks.find((t) => t.caseId === submitted.caseId);
    expect(task).toMatchObject({ step: "register", role: "office_staff", dueIsProvisional: false });
    expect(task?.dueAt).toBe("2026-03-03T15:59:59.999Z");
    expect(task?.allowedOutcomes.map((o) => o.outcome)).toEqual(["registered"]);
    expect(tasks.filter((t) => t.caseId === submitted.caseId)).toHaveLength(1);

    // reminder timers exist in the Scheduler
    const schedules = await stack.scheduler.send(new ListSchedulesCommand({ GroupName: stack.config.scheduleGroup }));
    const names = (schedules.Schedules ?? []).map((s) => s.Name);
    expect(names).toEqual(expect.arrayContaining([expect.stringContaining(`${task!.taskId}-overdue`)]));

    // the applicant's receipt and the office's email go out once each; the office's without personal data
    expect(await deliverMail()).toBe(2);
    const caught = await stack.mail.waitFor((m) => m.subject.includes(submitted.trackingNumber), 5000);
    expect(caught.to).toContain("office.002@demo.gongkai.local");
    expect(caught.text).not.toContain("张三");
    expect(caught.text).not.toContain("13800138000");
  });

  it("rejects bad input with field errors in Chinese and stores nothing", async () => {
    const before = await receiveAll("application-register");
    expect(before).toEqual([]);
    const error = await submitApplication(deps, validApplication({ idNumber: "110101199003074510", phone: "12345" })).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    const paths = (error as ValidationError).fields.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(["idNumber", "phone"]));
    expect((error as ValidationError).fields.every((f) => /[\u4e00-\u9fff]/.test(f.message))).toBe(true);
    expect(await receiveAll("application-register")).toEqual([]);

    const unknown = await submitApplication(deps, validApplication({ agencyCode: "999999999999999" })).catch((e) => e);
    expect(unknown).toBeInstanceOf(ValidationError);
    expect((unknown as ValidationError).fields[0]?.path).toBe("agencyCode");
  });

  it("lets the applicant track with number + code, and hides the case behind a wrong code", async () => {
    const submitted = await submitApplication(deps, validApplication());
    const view = await viewCaseAsApplicant(deps, submitted.trackingNumber, submitted.accessCode.toLowerCase());
    expect(view).toMatchObject({ trackingNumber: submitted.trackingNumber, status: "received", receivedOn: null, dueOn: null });
    expect(view.events.map((e) => e.type)).toEqual(["application.submitted"]);
    const wrongCode = await viewCaseAsApplicant(deps, submitted.trackingNumber, "AAAAAAAAAA").catch((e) => e);
    const wrongNumber = await viewCaseAsApplicant(deps, "001008010002002-2026-99999", submitted.accessCode).catch((e) => e);
    expect(wrongCode).toBeInstanceOf(NotFoundError);
    expect(wrongNumber).toBeInstanceOf(NotFoundError);
    expect(wrongCode.message).toBe(wrongNumber.message);
  });

  it("registering starts the 20-working-day answer period and closes the task once", async () => {
    const submitted = await submitApplication(deps, validApplication());
    await openRegistrationTask(deps, submitted.caseId);
    const office = await signInAs(deps, "office");
    const task = (await listMyOpenTasks(deps, office)).find((t) => t.caseId === submitted.caseId)!;

    // a section head may not register; the other agency does not even see the task
    await expect(completeTask(deps, await signInAs(deps, "section"), task.taskId, { outcome: "registered" })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(completeTask(deps, await signInAs(deps, "office", otherAgency), task.taskId, { outcome: "registered" })).rejects.toBeInstanceOf(NotFoundError);
    await expect(completeTask(deps, office, task.taskId, { outcome: "nonsense" })).rejects.toBeInstanceOf(ValidationError);
    await expect(completeTask(deps, office, task.taskId, { outcome: "registered", receivedOn: "2026-02-30" })).rejects.toBeInstanceOf(ValidationError);

    const result = await completeTask(deps, office, task.taskId, { outcome: "registered" });
    expect(result).toEqual({ caseId: submitted.caseId, status: "registered" });
    await expect(completeTask(deps, office, task.taskId, { outcome: "registered" })).rejects.toBeInstanceOf(ConflictError);

    // received Mon 2026-03-02 → 20 working days → Mon 2026-03-30
    const view = await viewCaseAsStaff(deps, office, submitted.caseId);
    expect(view.case.receivedOn).toBe("2026-03-02");
    expect(view.deadlines).toEqual(expect.arrayContaining([expect.objectContaining({ name: "answer", dueOn: "2026-03-30", provisional: false })]));
    expect(view.deadlines.find((d) => d.name === "answer")?.explanation.length).toBeGreaterThan(0);
    expect(view.auditTrailIntact).toBe(true);
    expect(view.showPersonalData).toBe(true);

    // the answer deadline got its own warnings: 5 and 2 working days before, the last day, and when it passes
    const schedules = await stack.scheduler.send(new ListSchedulesCommand({ GroupName: stack.config.scheduleGroup, NamePrefix: `gk-${submitted.caseId}-answer-` }));
    expect((schedules.Schedules ?? []).map((s) => s.Name).sort()).toEqual(
      ["halfway", "last_day", "overdue", "warning", "warning-1"].map((k) => `gk-${submitted.caseId}-answer-${k}`).sort(),
    );
    const lastDay = await stack.scheduler.send(new GetScheduleCommand({ Name: `gk-${submitted.caseId}-answer-last_day`, GroupName: stack.config.scheduleGroup }));
    // 09:00 in Shanghai on Mon 2026-03-30
    expect(lastDay.ScheduleExpression).toBe("at(2026-03-30T01:00:00)");
    expect((await listMyOpenTasks(deps, office)).some((t) => t.taskId === task.taskId)).toBe(false);

    // an auditor sees the case with personal data masked
    const auditorView = await viewCaseAsStaff(deps, await signInAs(deps, "auditor"), submitted.caseId);
    expect(auditorView.showPersonalData).toBe(false);
    expect((auditorView.case.application as { name: string }).name).not.toBe("张三");

    // a duty officer has no business with applications
    await expect(viewCaseAsStaff(deps, await signInAs(deps, "duty"), submitted.caseId)).rejects.toBeInstanceOf(ForbiddenError);
    // the other agency cannot read it
    await expect(viewCaseAsStaff(deps, await signInAs(deps, "office", otherAgency), submitted.caseId)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("escalates an overdue task to the office director and flags the case; a stale timer does nothing", async () => {
    const submitted = await submitApplication(deps, validApplication());
    await openRegistrationTask(deps, submitted.caseId);
    const office = await signInAs(deps, "office");
    const task = (await listMyOpenTasks(deps, office)).find((t) => t.caseId === submitted.caseId)!;
    await receiveAll("mail");

    const stale = await handleTaskTimer(deps, { type: "task.timer", taskId: task.taskId, caseId: task.caseId, kind: "overdue", dueAt: "2020-01-01T00:00:00.000Z" });
    expect(stale).toBe("stale");
    const overdue = { type: "task.timer" as const, taskId: task.taskId, caseId: task.caseId, kind: "overdue" as const, dueAt: task.dueAt, level: 0 };
    // delivered ahead of its moment (a message replayed by hand) it does nothing
    expect(await handleTaskTimer(deps, overdue)).toBe("stale");
    const fired = { ...deps, clock: { now: () => new Date(Date.parse(task.dueAt) + 1) } };
    expect(await handleTaskTimer(fired, overdue)).toBe("escalated");
    // the same timer delivered again (SQS is at-least-once) escalates nothing more
    expect(await handleTaskTimer(fired, overdue)).toBe("stale");

    const director = await signInAs(deps, "director");
    expect((await listMyOpenTasks(deps, director)).map((t) => t.taskId)).toContain(task.taskId);
    expect((await listMyOpenTasks(deps, await signInAs(deps, "deputy"))).map((t) => t.taskId)).not.toContain(task.taskId);
    expect((await getCase(deps, submitted.caseId))?.flags).toContain("overdue");
    const mails = await receiveAll("mail");
    expect(mails.some((m) => (m.to as string[]).includes("director.002@demo.gongkai.local"))).toBe(true);
  });

  it("warns the office as the answer deadline nears and escalates when it passes; stale warnings do nothing", async () => {
    const submitted = await submitApplication(deps, validApplication());
    await openRegistrationTask(deps, submitted.caseId);
    const office = await signInAs(deps, "office");
    const task = (await listMyOpenTasks(deps, office)).find((t) => t.caseId === submitted.caseId)!;
    await completeTask(deps, office, task.taskId, { outcome: "registered" });
    const dueOn = (await getCase(deps, submitted.caseId))!.deadlines.answer!.dueOn;
    await receiveAll("mail");

    const timer = { type: "case.timer" as const, caseId: submitted.caseId, deadline: "answer" as const, dueOn };
    expect(await handleCaseTimer(deps, { ...timer, kind: "warning", workingDaysLeft: 5 })).toBe("reminded");
    expect(await handleCaseTimer(deps, { ...timer, kind: "warning", workingDaysLeft: 5 })).toBe("stale");
    const warned = await receiveAll("mail");
    expect(warned).toEqual([expect.objectContaining({ subject: expect.stringContaining("还剩 5 个工作日"), to: ["office.002@demo.gongkai.local"] })]);

    // the moment the due day ends; an overdue timer never fires early, and one that did would change nothing
    expect(await handleCaseTimer(deps, { ...timer, kind: "overdue" })).toBe("stale");
    const after = { ...deps, clock: { now: () => new Date(Date.parse(`${dueOn}T16:00:00.000Z`)) } };
    expect(await handleCaseTimer(after, { ...timer, dueOn: "2020-01-01", kind: "overdue" })).toBe("stale");
    expect(await handleCaseTimer(after, { ...timer, kind: "overdue" })).toBe("escalated");
    expect(await handleCaseTimer(after, { ...timer, kind: "overdue" })).toBe("stale");
    const escalated = await receiveAll("mail");
    expect(escalated[0]?.to).toEqual(expect.arrayContaining(["director.002@demo.gongkai.local", "deputy.002@demo.gongkai.local"]));
    const record = await getCase(deps, submitted.caseId);
    expect(record?.flags).toContain("answer_overdue");
    expect((await listEvents(deps, submitted.caseId)).map((e) => e.type)).toEqual(expect.arrayContaining(["deadline.overdue"]));
  });

  it("the sweep escalates an overdue task whose timer was lost, once, and leaves the rest alone", async () => {
    const submitted = await submitApplication(deps, validApplication());
    await openRegistrationTask(deps, submitted.caseId);
    const office = await signInAs(deps, "office");
    const task = (await listMyOpenTasks(deps, office)).find((t) => t.caseId === submitted.caseId)!;
    // nothing is overdue yet
    expect(await sweepOverdue(deps)).toMatchObject({ tasks: expect.any(Number) });
    expect((await getCase(deps, submitted.caseId))?.flags).not.toContain("overdue");

    // a day after the due moment, with the timer lost (the clock moved without the Scheduler firing)
    const later = { now: () => new Date(Date.parse(task.dueAt) + 24 * 3600_000) };
    const swept = await sweepOverdue({ ...deps, clock: later });
    expect(swept.tasks).toBeGreaterThanOrEqual(1);
    expect((await getCase(deps, submitted.caseId))?.flags).toContain("overdue");
    const events = (await listEvents(deps, submitted.caseId)).filter((e) => e.type === "task.escalated");
    expect(events).toHaveLength(1);
    // the timer arriving late, or the next sweep, escalates nothing more
    expect(await handleTaskTimer({ ...deps, clock: later }, { type: "task.timer", taskId: task.taskId, caseId: task.caseId, kind: "overdue", dueAt: task.dueAt, level: 0 })).toBe("stale");
    await sweepOverdue({ ...deps, clock: later });
    expect((await listEvents(deps, submitted.caseId)).filter((e) => e.type === "task.escalated")).toHaveLength(1);
  });

  it("keeps the audit trail tamper-evident", async () => {
    const submitted = await submitApplication(deps, validApplication());
    await openRegistrationTask(deps, submitted.caseId);
    const events = await listEvents(deps, submitted.caseId);
    expect(events.map((e) => e.seq)).toEqual([1, 2]);
    expect(verifyChain(events)).toBeUndefined();
    const tampered = events.map((e, i) => (i === 0 ? { ...e, summary: "篡改" } : e));
    expect(verifyChain(tampered)).toBe(1);
  });

  it("loses nothing when the writer dies between commit and hand-off: the relay sends it", async () => {
    await receiveAll("application-register");
    // a dispatcher that never sends stands for a process killed right after the commit
    const dead = { ...deps, outbox: { dispatch: async () => undefined, relayPending: async () => 0, acknowledge: async () => undefined } };
    const submitted = await submitApplication(dead, validApplication());
    expect(await receiveAll("application-register")).toEqual([]);
    const table = createTable(stack.doc, stack.tableName);
    const relay = createOutboxDispatcher({ table, sqs: stack.sqs, scheduler: stack.scheduler, config: stack.config });
    const minutesLater = (m: number) => new Date(stack.clock.now().getTime() + m * 60_000);
    const relayedCaseIds = async (at: Date) => {
      await relay.relayPending(at);
      return (await receiveAll("application-register")).map((m) => m.caseId);
    };

    // while its consumer could still be working on it, the relay leaves it alone...
    expect(await relayedCaseIds(minutesLater(1))).not.toContain(submitted.caseId);
    // ...once the acknowledgement is overdue, it is sent
    expect(await relayedCaseIds(minutesLater(16))).toContain(submitted.caseId);
    expect(await relayedCaseIds(minutesLater(17))).not.toContain(submitted.caseId);
    // still not acknowledged (the queue lost it): sent again
    expect(await relayedCaseIds(minutesLater(31))).toContain(submitted.caseId);

    // once the consumer acknowledges, it is never sent again
    const record = (await Promise.all(pendingPartitions().map((pk) => table.query<Record<string, unknown>>({ index: "gsi1", pk })))).flat();
    const ours = record.find((r) => {
      const m = r.message as { queue?: string; body?: { caseId?: string } };
      return m.queue === "application-register" && m.body?.caseId === submitted.caseId;
    })!;
    await relay.acknowledge(ours.messageId as string);
    expect(await relayedCaseIds(minutesLater(24 * 60))).not.toContain(submitted.caseId);
    const stored = await table.get<Record<string, unknown>>(outboxKey(ours.messageId as string).pk, "OUTBOX");
    expect(stored).toMatchObject({ ackedAt: expect.any(String) });
    expect(stored?.gsi1pk).toBeUndefined();
  });

  it("sets a transition's timers with one outbox record; when the writer dies after the commit, the relay sets them all", async () => {
    const submitted = await submitApplication(deps, validApplication());
    await openRegistrationTask(deps, submitted.caseId);
    const office = await signInAs(deps, "office");
    const task = (await listMyOpenTasks(deps, office)).find((t) => t.caseId === submitted.caseId)!;
    const dead = { ...deps, outbox: { dispatch: async () => undefined, relayPending: async () => 0, acknowledge: async () => undefined } };
    const answerTimers = async () =>
      ((await stack.scheduler.send(new ListSchedulesCommand({ GroupName: stack.config.scheduleGroup, NamePrefix: `gk-${submitted.caseId}-answer-` }))).Schedules ?? []).map((s) => s.Name).sort();

    await completeTask(dead, office, task.taskId, { outcome: "registered" });

    // the registration's Scheduler calls (the answer period's five timers, the task's own cleared) are one record
    const table = createTable(stack.doc, stack.tableName);
    const pending = (await Promise.all(pendingPartitions().map((pk) => table.query<Record<string, unknown>>({ index: "gsi1", pk })))).flat();
    const batches = pending.filter((r) => JSON.stringify(r.message).includes(submitted.caseId) && (r.message as { kind: string }).kind !== "queue");
    expect(batches).toHaveLength(1);
    const calls = (batches[0]!.message as { kind: string; calls: Array<{ kind: string; name: string }> }).calls;
    expect(calls.filter((c) => c.kind === "schedule" && c.name.includes("-answer-")).map((c) => c.name).sort()).toEqual(
      ["halfway", "last_day", "overdue", "warning", "warning-1"].map((k) => `gk-${submitted.caseId}-answer-${k}`).sort(),
    );
    expect(calls.some((c) => c.kind === "unschedule" && c.name.includes("-register-1-"))).toBe(true);
    expect(await answerTimers()).toEqual([]);

    // past the writer's grace the relay makes every call of the batch, once
    const relay = createOutboxDispatcher({ table, sqs: stack.sqs, scheduler: stack.scheduler, config: stack.config });
    await relay.relayPending(new Date(stack.clock.now().getTime() + 60_000));
    expect(await answerTimers()).toEqual(["halfway", "last_day", "overdue", "warning", "warning-1"].map((k) => `gk-${submitted.caseId}-answer-${k}`).sort());
    expect(await table.get<Record<string, unknown>>(outboxKey(batches[0]!.messageId as string).pk, "OUTBOX")).toMatchObject({ sentAt: expect.any(String) });
    expect((await table.get<Record<string, unknown>>(outboxKey(batches[0]!.messageId as string).pk, "OUTBOX"))?.gsi1pk).toBeUndefined();
  });

  it("lists records awaiting their ack under sixteen shard keys, not one key for every agency; the relay reads each, and the old single key too", async () => {
    // Prepare: a writer that dies after each commit, four applications, and a record stored under the key used before the shards
    const dead = { ...deps, outbox: { dispatch: async () => undefined, relayPending: async () => 0, acknowledge: async () => undefined } };
    await receiveAll("application-register");
    const submitted = [];
    for (let i = 0; i < 4; i++) submitted.push(await submitApplication(dead, validApplication()));
    const table = createTable(stack.doc, stack.tableName);
    const legacyCaseId = "01KLEGACYOUTBOXRECORD00000";
    await table.put({
      ...outboxKey("legacy-message"),
      gsi1pk: "OUTBOX#PENDING",
      gsi1sk: `${stack.clock.now().toISOString()}#legacy-message`,
      messageId: "legacy-message",
      createdAt: stack.clock.now().toISOString(),
      message: { kind: "queue", queue: "application-register", body: { caseId: legacyCaseId, workflow: "application", step: "register" } },
    });
    // Act
    const pending = (await Promise.all(pendingPartitions().map((pk) => table.query<Record<string, unknown>>({ index: "gsi1", pk })))).flat();
    const relay = createOutboxDispatcher({ table, sqs: stack.sqs, scheduler: stack.scheduler, config: stack.config });
    await relay.relayPending(new Date(stack.clock.now().getTime() + 16 * 60_000));
    const relayed = (await receiveAll("application-register")).map((m) => m.caseId);
    // Assess: each record under its own message's shard, the records of one commit spread over several
    const fresh = pending.filter((r) => r.messageId !== "legacy-message");
    expect(fresh.length).toBeGreaterThan(4);
    for (const r of fresh) expect(r.gsi1pk).toBe(`OUTBOX#PENDING#${pendingShard(String(r.messageId))}`);
    expect(new Set(fresh.map((r) => r.gsi1pk)).size).toBeGreaterThan(1);
    expect(pendingPartitions()).toHaveLength(OUTBOX_PENDING_SHARDS + 1);
    expect(relayed).toEqual(expect.arrayContaining([...submitted.map((x) => x.caseId), legacyCaseId]));
  });
});
