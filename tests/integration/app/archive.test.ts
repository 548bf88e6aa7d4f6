import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unzipSync } from "fflate";
import { GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { startTestStack, type TestStack } from "../../support/stack";
import { drainQueue } from "../../support/queues";
import { appDepsFor, signInAs, validApplication, serviceCenter } from "../../support/app";
import { seedDemo } from "../../../shared/app/seed-demo";
import type { AppDeps } from "../../../shared/app/deps";
import { submitApplication } from "../../../shared/app/applications/intake";
import { handleStepMessage } from "../../../shared/app/engine/step";
import { completeTask } from "../../../shared/app/engine/complete-task";
import { archivePreviousYear, caseArchiveKey, manifestKey } from "../../../shared/app/archive";
import { handler as caseArchiver } from "../../../functions/timers/case-archiver";
import { stepQueueNames } from "../../../shared/manifest";
import { stepMessage } from "../../../shared/schemas/messages";
import { verifyChain } from "../../../shared/domain/audit";
import { shanghaiInstant } from "../../../shared/domain/calendar";
import "../../../shared/app/applications/signals";

/**
 * The yearly archive against DynamoDB Local and the S3 stand-in: the zips land in the
 * files bucket, the archived cases stay in their closing year's gsi2 partition, and the
 * January handler (on the stack's clock) archives the year before.
 */
let stack: TestStack;
let deps: AppDeps;

beforeAll(async () => {
  stack = await startTestStack({ clockStart: "2026-03-02T02:00:00.000Z" });
  deps = appDepsFor(stack);
  await seedDemo({ store: deps.store });
});
afterAll(async () => stack?.stop());

/** Step hand-offs consumed as the step Lambdas would; mail is left undelivered (not what is tested here). */
async function settle(): Promise<void> {
  for (let round = 0; round < 20; round++) {
    let busy = false;
    for (const queue of stepQueueNames) {
      for (const body of await drainQueue(stack, queue)) {
        busy = true;
        const m = stepMessage.parse(body);
        await handleStepMessage(deps, m);
        await deps.outbox.acknowledge(m.messageId);
      }
    }
    if (!busy) break;
  }
  await drainQueue(stack, "mail");
}

async function complete(username: string, caseId: string, step: string, input: Record<string, unknown>) {
  const task = (await deps.store.tasks.ofCase(caseId)).find((t) => t.step === step && t.status === "open");
  if (!task) throw new Error(`no open ${step} task`);
  await completeTask(deps, await signInAs(deps, username), task.taskId, input);
  await settle();
}

async function replied(description: string) {
  const s = await submitApplication(deps, validApplication({ description }));
  await settle();
  await complete("office", s.caseId, "register", { outcome: "registered" });
  await complete("office", s.caseId, "review", { outcome: "complete" });
  await complete("office", s.caseId, "handle", { outcome: "propose_reply", replyType: "disclosed", reasons: "属于可以公开的政府信息" });
  await complete("deputy", s.caseId, "sign_off", { outcome: "signed" });
  return s;
}

const objectKeys = async () =>
  ((await stack.s3.send(new ListObjectsV2Command({ Bucket: stack.filesBucket, Prefix: "archive/" }))).Contents ?? []).map((o) => `${o.Key}@${o.ETag}`).sort();

describe("yearly archive on the stand-ins", () => {
  it("January's run archives the previous year's closed applications into S3 and marks them; a rerun writes nothing", async () => {
    const a = await replied("2025年度行政服务中心窗口服务满意度调查结果");
    const b = await replied("2025年度政务公开工作年度报告");
    expect((await deps.store.cases.get(a.caseId))!.status).toBe("replied");

    // Act: the scheduled handler, on the stack's clock moved into January
    await stack.clock.advanceTo(shanghaiInstant("2027-01-10", "10:00"));
    const run = await caseArchiver();

    // Assess
    expect(run).toMatchObject({ year: 2026, archived: 2, failed: 0 });
    const res = await stack.s3.send(new GetObjectCommand({ Bucket: stack.filesBucket, Key: caseArchiveKey(2026, serviceCenter, a.trackingNumber) }));
    expect(res.ContentType).toBe("application/zip");
    const entries = unzipSync(await res.Body!.transformToByteArray());
    expect(Object.keys(entries)).toEqual(expect.arrayContaining(["record.json", "timeline.json", "audit-check.json", "letters/02-reply_disclosed.docx", "letters/02-reply_disclosed.html"]));
    expect(JSON.parse(new TextDecoder().decode(entries["audit-check.json"]))).toMatchObject({ intact: true, matchesRecord: true });
    expect(JSON.parse(new TextDecoder().decode(entries["record.json"]))).toMatchObject({ caseId: a.caseId, status: "replied" });
    expect(Buffer.from(entries["letters/02-reply_disclosed.docx"]!).subarray(0, 2).toString()).toBe("PK");

    for (const s of [a, b]) {
      const c = (await deps.store.cases.get(s.caseId))!;
      expect(c).toMatchObject({ status: "archived", archivedAt: "2027-01-10T02:00:00.000Z", result: { cell: "1" } });
      const events = await deps.store.cases.events(s.caseId);
      expect(events.at(-1)).toMatchObject({ type: "case.archived" });
      expect(verifyChain(events)).toBeUndefined();
    }
    // still among 2026's closed cases (gsi2 keyed by the closing year), not among open ones
    expect((await deps.store.cases.listClosed(serviceCenter, 2026)).map((c) => c.caseId).sort()).toEqual([a.caseId, b.caseId].sort());
    expect((await deps.store.cases.listOpen(serviceCenter)).map((c) => c.caseId)).not.toContain(a.caseId);
    const manifest = JSON.parse(new TextDecoder().decode((await deps.files.get(manifestKey(2026, serviceCenter)))!.body));
    expect(manifest.cases.map((c: { trackingNumber: string }) => c.trackingNumber)).toEqual([a.trackingNumber, b.trackingNumber].sort());

    // Act again: same objects (same ETags), no new events
    const before = await objectKeys();
    const eventCount = (await deps.store.cases.events(a.caseId)).length;
    const again = await archivePreviousYear(deps, 2026);
    expect(again.archived).toBe(0);
    expect(again.agencies.every((x) => !x.manifestWritten)).toBe(true);
    expect(await objectKeys()).toEqual(before);
    expect((await deps.store.cases.events(a.caseId)).length).toBe(eventCount);
  });
});
