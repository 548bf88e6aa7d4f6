import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SQSClient } from "@aws-sdk/client-sqs";
import type { ScheduledEvent } from "aws-lambda";
import { afterAll, describe, expect, inject, it, vi } from "vitest";
import { startHost } from "../../../shared/adapters/local/host";
import type { RunningHost } from "../../../shared/adapters/local/host";
import { cronMarks } from "../../../shared/adapters/local/host-schedule";
import { createLocalClock } from "../../../shared/adapters/local/local-clock";
import type { LocalClock } from "../../../shared/adapters/local/local-clock";
import { currentEnv } from "../../../shared/adapters/runtime-env";
import type { FunctionSpec } from "../../../shared/manifest";

// the archiver's schedule: 10 January, 02:00 Beijing time = 9 January 18:00 UTC
const archiver: FunctionSpec = {
  name: "yearly",
  entry: "inline",
  description: "",
  trigger: { kind: "schedule", expression: "cron(0 2 10 1 ? *)", timezone: "Asia/Shanghai" },
  grants: { files: "readWrite" },
};

const sqs = new SQSClient({ region: "us-east-1", endpoint: inject("sqsEndpoint"), credentials: { accessKeyId: "test", secretAccessKey: "test" } });
const dir = mkdtempSync(join(tmpdir(), "gongkai-cron-"));
const stateFile = join(dir, "schedules.json");
afterAll(() => {
  sqs.destroy();
  rmSync(dir, { recursive: true, force: true });
});

interface Firing {
  time: string;
  bucket: string | undefined;
}

/** A host running only the cron function, whose handler writes down each firing. */
async function hostWith(clock: LocalClock, firings: Firing[]): Promise<RunningHost> {
  return startHost({
    functions: [archiver],
    port: 0,
    queueUrls: {},
    sqs,
    clock,
    environment: () => ({ FILES_BUCKET: "archive-bucket" }),
    scheduleStateFile: stateFile,
    // real time plays no part here: only clock moves fire
    cronTickMs: 3_600_000,
    loadHandler: async () => async (event: ScheduledEvent) => {
      firings.push({ time: event.time, bucket: currentEnv().FILES_BUCKET });
    },
    log: () => undefined,
  });
}

const times = (firings: Firing[]) => firings.map((f) => f.time);

describe("local host: cron() schedules follow the host's clock in their time zone", () => {
  it("fires once when the clock passes the next occurrence, once for a jump over several, and not again after a restart", async () => {
    // Prepare: 1 December 2026, no occurrence passed yet
    const clock = createLocalClock({ start: "2026-12-01T00:00:00Z" });
    const firings: Firing[] = [];
    let host = await hostWith(clock, firings);

    try {
      // Act 1: just before 10 January 02:00 Beijing, then at it
      await clock.advanceTo(new Date("2027-01-09T17:59:59Z"));
      await clock.advanceTo(new Date("2027-01-09T18:00:00Z"));
      await vi.waitFor(() => expect(firings).toHaveLength(1), { timeout: 5000, interval: 10 });

      // Act 2: later the same year, then across three more 10 Januaries at once
      await clock.advanceTo(new Date("2027-06-01T00:00:00Z"));
      await clock.advanceTo(new Date("2030-03-01T00:00:00Z"));
      await vi.waitFor(() => expect(times(firings)).toContain("2030-03-01T00:00:00Z"), { timeout: 5000, interval: 10 });

      // Act 3: restart on the same state file, then reach the next occurrence
      await host.stop();
      host = await hostWith(clock, firings);
      await clock.advanceTo(new Date("2031-01-09T18:00:00Z"));
      await vi.waitFor(() => expect(times(firings)).toContain("2031-01-09T18:00:00Z"), { timeout: 5000, interval: 10 });

      // Assess: the early move, the June move and the restart fired nothing
      expect(times(firings)).toEqual(["2027-01-09T18:00:00Z", "2030-03-01T00:00:00Z", "2031-01-09T18:00:00Z"]);
      expect(firings.every((f) => f.bucket === "archive-bucket")).toBe(true);
      // the mark is written once the run is over
      await vi.waitFor(
        () =>
          expect(cronMarks(stateFile).get("yearly")).toEqual({
            expression: "cron(0 2 10 1 ? *)",
            timezone: "Asia/Shanghai",
            handledThrough: "2031-01-09T18:00:00.000Z",
          }),
        { timeout: 5000, interval: 10 },
      );
    } finally {
      await host.stop();
    }
  });

  it("fires once at start-up for an occurrence that passed while the stack was down", async () => {
    // Prepare: the state file says everything through the 2031 occurrence was handled
    cronMarks(stateFile).set("yearly", { expression: "cron(0 2 10 1 ? *)", timezone: "Asia/Shanghai", handledThrough: "2031-01-09T18:00:00.000Z" });
    const clock = createLocalClock({ start: "2032-02-01T00:00:00Z" });
    const firings: Firing[] = [];

    // Act
    const host = await hostWith(clock, firings);
    try {
      await vi.waitFor(() => expect(firings).toHaveLength(1), { timeout: 5000, interval: 10 });

      // Assess
      expect(times(firings)).toEqual(["2032-02-01T00:00:00Z"]);
      await vi.waitFor(() => expect(cronMarks(stateFile).get("yearly")?.handledThrough).toBe("2032-02-01T00:00:00.000Z"), { timeout: 5000, interval: 10 });
    } finally {
      await host.stop();
    }
  });

  it("counts a first start from now: past occurrences of a new schedule never fire", async () => {
    // Prepare
    const clock = createLocalClock({ start: "2033-06-01T00:00:00Z" });
    const firings: Firing[] = [];
    const fresh = join(dir, "fresh.json");

    // Act
    const host = await startHost({
      functions: [{ ...archiver, name: "fresh" }],
      port: 0,
      queueUrls: {},
      sqs,
      clock,
      scheduleStateFile: fresh,
      loadHandler: async () => async (event: ScheduledEvent) => {
        firings.push({ time: event.time, bucket: undefined });
      },
      log: () => undefined,
    });
    await host.stop();

    // Assess: stop() waits for a run in flight, so a firing would be recorded by now
    expect(firings).toEqual([]);
    expect(cronMarks(fresh).get("fresh")?.handledThrough).toBe("2033-06-01T00:00:00.000Z");
  });
});
