import { createHook } from "node:async_hooks";
import type { ScheduledEvent, SQSEvent } from "aws-lambda";
import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { describe, expect, inject, it, vi } from "vitest";
import { startHost } from "../../../shared/adapters/local/host";
import { parseRate, startSchedule } from "../../../shared/adapters/local/host-schedule";
import { fixedClock } from "../../../shared/domain/clock";
import type { FunctionSpec } from "../../../shared/manifest";
import { gate } from "../../fixtures/handlers/gated";
import { recorded } from "../../fixtures/handlers/recorder";

// the run's shared fauxqs (tests/support/global-setup.ts), in another process
function sqsClient(): SQSClient {
  return new SQSClient({ region: "us-east-1", endpoint: inject("sqsEndpoint"), credentials: { accessKeyId: "test", secretAccessKey: "test" } });
}

async function createQueue(sqs: SQSClient, name: string): Promise<string> {
  return (await sqs.send(new CreateQueueCommand({ QueueName: `${name}-${Date.now().toString(36)}` }))).QueueUrl ?? "";
}

async function messagesLeft(sqs: SQSClient, queueUrl: string): Promise<number> {
  const res = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }),
  );
  return Number(res.Attributes?.ApproximateNumberOfMessages ?? NaN) + Number(res.Attributes?.ApproximateNumberOfMessagesNotVisible ?? NaN);
}

const noQueues = { registration: "", mail: "", timers: "" };

describe("local host: schedules", () => {
  it("fires a rate() schedule at start-up with the injected clock's time, and skips what it cannot run (at())", async () => {
    // Prepare
    const logs: Record<string, unknown>[] = [];
    const functions: FunctionSpec[] = [
      { name: "ticker", entry: "tests/fixtures/handlers/tick.ts", description: "", trigger: { kind: "schedule", expression: "rate(1 minute)" }, grants: {} },
      { name: "one-off", entry: "tests/fixtures/handlers/tick.ts", description: "", trigger: { kind: "schedule", expression: "at(2026-01-05T09:00:00)" }, grants: {} },
    ];
    const sqs = sqsClient();
    const before = recorded("schedule").length;

    // Act
    const host = await startHost({ functions, port: 0, queueUrls: noQueues, sqs, clock: fixedClock("2026-01-05T08:00:00.000Z"), log: (e) => logs.push(e) });
    try {
      await vi.waitFor(() => expect(recorded("schedule").length).toBe(before + 1), { timeout: 3000, interval: 10 });

      // Assess
      const event = recorded<ScheduledEvent>("schedule").at(-1);
      expect(event).toMatchObject({
        version: "0",
        "detail-type": "Scheduled Event",
        source: "aws.scheduler",
        time: "2026-01-05T08:00:00Z",
        resources: ["arn:aws:scheduler:us-east-1:000000000000:schedule/default/ticker"],
        detail: {},
      });
      expect(logs).toContainEqual(expect.objectContaining({ level: "WARN", function: "one-off" }));
    } finally {
      await host.stop();
      sqs.destroy();
    }
  });

  it("repeats every period and stops repeating after stop()", async () => {
    // Prepare
    let fired = 0;

    // Act
    const runner = startSchedule(25, async () => {
      fired++;
    });
    await vi.waitFor(() => expect(fired).toBeGreaterThanOrEqual(3), { timeout: 2000, interval: 10 });
    await runner.stop(1000);
    const atStop = fired;
    await new Promise((r) => setTimeout(r, 100));

    // Assess
    expect(fired).toBe(atStop);
  });

  it("understands EventBridge rate expressions only", () => {
    expect(parseRate("rate(1 minute)")).toBe(60_000);
    expect(parseRate("rate(5 minutes)")).toBe(300_000);
    expect(parseRate("rate(2 hours)")).toBe(7_200_000);
    expect(parseRate("rate(1 day)")).toBe(86_400_000);
    expect(parseRate("rate(1 minutes)")).toBeUndefined();
    expect(parseRate("rate(0 minutes)")).toBeUndefined();
    expect(parseRate("cron(0 8 * * ? *)")).toBeUndefined();
    expect(parseRate("at(2026-01-01T00:00:00)")).toBeUndefined();
  });
});

describe("local host: stop()", () => {
  it("waits for the batch in flight, then acknowledges it", async () => {
    // Prepare
    const sqs = sqsClient();
    const queueUrl = await createQueue(sqs, "host-stop");
    const host = await startHost({
      functions: [
        { name: "gated", entry: "tests/fixtures/handlers/gated.ts", description: "", trigger: { kind: "queue", queue: "mail", batchSize: 5 }, grants: {} },
      ],
      port: 0,
      queueUrls: { ...noQueues, mail: queueUrl },
      sqs,
      clock: fixedClock("2026-01-05T08:00:00Z"),
      pollIntervalMs: 20,
      log: () => undefined,
    });
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "held" }));
    await vi.waitFor(() => expect(recorded<SQSEvent>("gated").some((e) => e.Records[0]?.body === "held")).toBe(true), { timeout: 3000, interval: 10 });

    // Act
    let stopped = false;
    const stopping = host.stop().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 200));
    const stoppedWhileHeld = stopped;
    gate().open();
    await stopping;

    // Assess
    expect(stoppedWhileHeld).toBe(false);
    expect(recorded<SQSEvent>("gated-done").some((e) => e.Records[0]?.body === "held")).toBe(true);
    expect(await messagesLeft(sqs, queueUrl)).toBe(0);
    await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
    sqs.destroy();
  });

  it("leaves no server, socket or timer behind", async () => {
    // Prepare: watch every timer, server and socket created while the host lives
    const alive = new Map<number, string>();
    let watching = true;
    const hook = createHook({
      init(id, type) {
        if (!watching) return;
        if (type === "Timeout" || type === "TCPSERVERWRAP" || type === "TCPWRAP") alive.set(id, type);
      },
      destroy(id) {
        alive.delete(id);
      },
    }).enable();
    const setupClient = sqsClient();
    const queueUrl = await createQueue(setupClient, "host-handles");
    setupClient.destroy();
    const sqs = sqsClient();
    const host = await startHost({
      functions: [
        { name: "web", entry: "tests/fixtures/handlers/echo.ts", description: "", trigger: { kind: "http", paths: ["/fixture/object"] }, grants: {} },
        { name: "worker", entry: "tests/fixtures/handlers/batch.ts", description: "", trigger: { kind: "queue", queue: "timers", batchSize: 10 }, grants: {} },
        { name: "ticker", entry: "tests/fixtures/handlers/tick.ts", description: "", trigger: { kind: "schedule", expression: "rate(1 minute)" }, grants: {} },
      ],
      port: 0,
      queueUrls: { ...noQueues, timers: queueUrl },
      sqs,
      clock: fixedClock("2026-01-05T08:00:00Z"),
      log: () => undefined,
    });
    // a keep-alive connection the server must cut
    const res = await fetch(`${host.url}/fixture/object`);
    await res.text();
    const whileRunning = [...alive.values()];

    // Act
    await host.stop();
    sqs.destroy();
    watching = false;

    // Assess (destroy hooks arrive a little later, hence the bounded wait)
    for (let i = 0; i < 60 && alive.size > 0; i++) await new Promise((r) => setTimeout(r, 50));
    hook.disable();
    expect(whileRunning).toContain("TCPSERVERWRAP");
    expect(whileRunning).toContain("Timeout");
    expect([...alive.values()]).toEqual([]);
    const cleanup = sqsClient();
    await cleanup.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
    cleanup.destroy();
    await expect(fetch(`${host.url}/fixture/object`)).rejects.toThrow();
  });
});
