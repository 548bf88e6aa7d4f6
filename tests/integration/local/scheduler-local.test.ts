import { appendFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
  ValidationException,
} from "@aws-sdk/client-scheduler";
import type { CreateScheduleCommandInput } from "@aws-sdk/client-scheduler";
import { DeleteMessageCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createLocalClock } from "../../../shared/adapters/local/local-clock";
import { startSchedulerLocal } from "../../../shared/adapters/local/scheduler-local";
import { startTestStack } from "../../support/stack";
import type { TestStack } from "../../support/stack";

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ clockStart: "2026-03-02T09:00:00+08:00" });
});
afterAll(async () => {
  await stack?.stop();
});
afterEach(async () => {
  // each test starts with an empty group and queue
  const GroupName = stack.config.scheduleGroup;
  const left = await stack.scheduler.send(new ListSchedulesCommand({ GroupName }));
  for (const s of left.Schedules ?? []) await stack.scheduler.send(new DeleteScheduleCommand({ Name: s.Name, GroupName }));
  await receiveBodies(stack.queues.urls.timers);
});

const roleArn = "arn:aws:iam::000000000000:role/scheduler";
function timerSchedule(name: string, expression: string, extra: Partial<CreateScheduleCommandInput> = {}): CreateScheduleCommandInput {
  return {
    Name: name,
    GroupName: stack.config.scheduleGroup,
    ScheduleExpression: expression,
    ScheduleExpressionTimezone: "Asia/Shanghai",
    FlexibleTimeWindow: { Mode: "OFF" },
    Target: { Arn: stack.config.timersQueueArn, RoleArn: roleArn, Input: JSON.stringify({ name }) },
    ...extra,
  };
}

async function receiveBodies(queueUrl: string | undefined): Promise<string[]> {
  if (!queueUrl) throw new Error("no such queue");
  const r = await stack.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
  for (const m of r.Messages ?? []) await stack.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
  return (r.Messages ?? []).map((m) => m.Body ?? "");
}


function clientOf(endpoint: string): SchedulerClient {
  return new SchedulerClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } });
}

/** A stand-in persisted to a fresh folder, with a client; `opts` starts another one on the same files. */
async function persistedStandIn() {
  const dir = mkdtempSync(join(tmpdir(), "sched-"));
  const dataFile = join(dir, "scheduler.json");
  const clock = createLocalClock({ start: "2026-03-02T00:00:00Z" });
  const opts = { clock, sqs: stack.sqs, resolveQueueUrl: () => stack.queues.urls.timers, tickMs: 0, dataFile, log: () => undefined };
  const first = await startSchedulerLocal(opts);
  return { dir, dataFile, clock, opts, first, client1: clientOf(first.endpoint) };
}

describe("Scheduler stand-in with the real @aws-sdk/client-scheduler", () => {
  it("creates, gets, lists with filters and deletes schedules", async () => {
    // Prepare
    await stack.scheduler.send(new CreateScheduleCommand(timerSchedule("crud-a", "at(2026-12-01T09:00:00)")));
    await stack.scheduler.send(new CreateScheduleCommand(timerSchedule("crud-b", "cron(0 9 ? * MON-FRI *)")));
    await stack.scheduler.send(new CreateScheduleCommand(timerSchedule("other", "rate(5 minutes)")));

    // Act
    const got = await stack.scheduler.send(new GetScheduleCommand({ Name: "crud-a", GroupName: stack.config.scheduleGroup }));
    const listed = await stack.scheduler.send(new ListSchedulesCommand({ GroupName: stack.config.scheduleGroup, NamePrefix: "crud-" }));
    await stack.scheduler.send(new DeleteScheduleCommand({ Name: "crud-a", GroupName: stack.config.scheduleGroup }));
    const afterDelete = await stack.scheduler.send(new ListSchedulesCommand({ GroupName: stack.config.scheduleGroup }));

    // Assess
    expect(got.ScheduleExpression).toBe("at(2026-12-01T09:00:00)");
    expect(got.ScheduleExpressionTimezone).toBe("Asia/Shanghai");
    expect(got.Target?.Arn).toBe(stack.config.timersQueueArn);
    expect(got.Arn).toBe(`arn:aws:scheduler:us-east-1:000000000000:schedule/${stack.config.scheduleGroup}/crud-a`);
    expect(got.CreationDate).toBeInstanceOf(Date);
    expect(listed.Schedules?.map((s) => s.Name).sort()).toEqual(["crud-a", "crud-b"]);
    expect(afterDelete.Schedules?.map((s) => s.Name).sort()).toEqual(["crud-b", "other"]);
  });

  it("raises ConflictException, ResourceNotFoundException and ValidationException", async () => {
    // Prepare
    await stack.scheduler.send(new CreateScheduleCommand(timerSchedule("dup", "at(2026-12-01T09:00:00)")));
    const group = stack.config.scheduleGroup;

    // Act + Assess
    await expect(stack.scheduler.send(new CreateScheduleCommand(timerSchedule("dup", "at(2026-12-01T09:00:00)")))).rejects.toBeInstanceOf(ConflictException);
    await expect(stack.scheduler.send(new GetScheduleCommand({ Name: "missing", GroupName: group }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(stack.scheduler.send(new DeleteScheduleCommand({ Name: "missing", GroupName: group }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(stack.scheduler.send(new GetScheduleCommand({ Name: "dup", GroupName: "no-such-group" }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(stack.scheduler.send(new CreateScheduleCommand(timerSchedule("bad-cron", "cron(0 9 L * ? *)")))).rejects.toBeInstanceOf(ValidationException);
    await expect(stack.scheduler.send(new CreateScheduleCommand(timerSchedule("bad-at", "at(2026-02-30T09:00:00)")))).rejects.toBeInstanceOf(ValidationException);
    await expect(
      stack.scheduler.send(new CreateScheduleCommand(timerSchedule("bad-tz", "at(2026-12-01T09:00:00)", { ScheduleExpressionTimezone: "Mars/Olympus" }))),
    ).rejects.toBeInstanceOf(ValidationException);
  });

  it("fires an at() schedule in Asia/Shanghai into SQS when the clock passes it, not before, then deletes it", async () => {
    // Prepare: 10:00 Shanghai = 02:00 UTC
    await stack.scheduler.send(new CreateScheduleCommand(timerSchedule("fire-once", "at(2026-03-02T10:00:00)", { ActionAfterCompletion: "DELETE" })));
    await stack.clock.advanceTo(new Date("2026-03-02T01:59:59Z"));
    const early = await receiveBodies(stack.queues.urls.timers);

    // Act
    await stack.clock.advanceTo(new Date("2026-03-02T02:00:00Z"));
    const due = await receiveBodies(stack.queues.urls.timers);

    // Assess
    expect(early).toEqual([]);
    expect(due).toEqual([JSON.stringify({ name: "fire-once" })]);
    await expect(stack.scheduler.send(new GetScheduleCommand({ Name: "fire-once", GroupName: stack.config.scheduleGroup }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    expect(await stack.schedulerStandIn.fireDue()).toBe(0);
  });

  it("never fires a DISABLED schedule, and UpdateSchedule re-arms it", async () => {
    // Prepare
    const start = stack.clock.now();
    const at = new Date(start.getTime() + 3_600_000);
    const shanghai = at.toLocaleString("sv-SE", { timeZone: "Asia/Shanghai" }).replace(" ", "T");
    await stack.scheduler.send(new CreateScheduleCommand(timerSchedule("off", `at(${shanghai})`, { State: "DISABLED" })));

    // Act
    await stack.clock.advanceBy(2 * 3_600_000);
    const whileDisabled = await receiveBodies(stack.queues.urls.timers);
    await stack.scheduler.send(new UpdateScheduleCommand(timerSchedule("off", `at(${shanghai})`, { State: "ENABLED" })));
    const fired = await stack.schedulerStandIn.fireDue();

    // Assess
    expect(whileDisabled).toEqual([]);
    expect(fired).toBe(1);
    expect(await receiveBodies(stack.queues.urls.timers)).toEqual([JSON.stringify({ name: "off" })]);
  });

  it("is reached by a client configured only from the environment (AWS_ENDPOINT_URL_SCHEDULER)", async () => {
    // Prepare: the stack set the same variables the handlers get
    const fromEnv = new SchedulerClient({});

    // Act
    await fromEnv.send(new CreateScheduleCommand(timerSchedule("from-env", "at(2026-12-01T09:00:00)")));
    const got = await stack.scheduler.send(new GetScheduleCommand({ Name: "from-env", GroupName: stack.config.scheduleGroup }));

    // Assess
    expect(got.Name).toBe("from-env");
    fromEnv.destroy();
  });

  it("keeps schedules across a restart when persisted to a file", async () => {
    // Prepare
    const { dir, clock, opts, first, client1 } = await persistedStandIn();
    await client1.send(new CreateScheduleCommand({ ...timerSchedule("kept", "at(2026-03-02T09:00:00)"), GroupName: undefined }));
    await first.stop();

    // Act
    const second = await startSchedulerLocal(opts);
    const client2 = clientOf(second.endpoint);
    const got = await client2.send(new GetScheduleCommand({ Name: "kept" }));
    await clock.advanceTo(new Date("2026-03-02T01:00:00Z"));
    const fired = await second.fireDue();

    // Assess
    expect(got.GroupName).toBe("default");
    expect(fired).toBe(1);
    expect(await receiveBodies(stack.queues.urls.timers)).toEqual([JSON.stringify({ name: "kept" })]);
    await second.stop();
    client1.destroy();
    client2.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it("recovers acknowledged changes from the journal alone, as after a SIGKILL, ignoring a torn last line", async () => {
    // Prepare: changes acknowledged by the first instance live only in the journal (no compaction on stop)
    const { dir, dataFile, opts, first, client1 } = await persistedStandIn();
    await client1.send(new CreateScheduleCommand({ ...timerSchedule("a", "at(2026-03-05T09:00:00)"), GroupName: undefined }));
    await client1.send(new CreateScheduleCommand({ ...timerSchedule("b", "at(2026-03-05T09:00:00)"), GroupName: undefined }));
    await client1.send(new UpdateScheduleCommand({ ...timerSchedule("a", "at(2026-03-06T09:00:00)"), GroupName: undefined }));
    await client1.send(new DeleteScheduleCommand({ Name: "b" }));
    await first.stop();
    const snapshot = readFileSync(dataFile, "utf8");
    appendFileSync(`${dataFile}.journal`, '{"op":"putSchedule","schedule":{"Name":"torn"');

    // Act
    const second = await startSchedulerLocal(opts);
    const client2 = clientOf(second.endpoint);
    const listed = await client2.send(new ListSchedulesCommand({ GroupName: "default" }));
    const a = await client2.send(new GetScheduleCommand({ Name: "a" }));

    // Assess
    expect(snapshot).not.toContain('"a"');
    expect(listed.Schedules?.map((s) => s.Name)).toEqual(["a"]);
    expect(a.ScheduleExpression).toBe("at(2026-03-06T09:00:00)");
    expect(readFileSync(dataFile, "utf8")).toContain("at(2026-03-06T09:00:00)"); // compacted on start
    await second.stop();
    client1.destroy();
    client2.destroy();
    rmSync(dir, { recursive: true, force: true });
  });
});
