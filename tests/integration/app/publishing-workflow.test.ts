import { afterAll } from "vitest";
import { publishingWorkflowCases } from "../../cases/publishing-workflow";
import { connectedHarness } from "../../support/harness";
import { startTestStack, type TestStack } from "../../support/stack";

/**
 * The publishing cases of tests/unit/app that need the real store and queues (concurrent index
 * numbers, redelivery) or that tests/e2e/publishing-paths does not walk over HTTP, against
 * DynamoDB Local and the SQS, Scheduler and S3 stand-ins.
 */
const stacks: TestStack[] = [];
afterAll(async () => {
  for (const s of stacks) await s.stop();
});

publishingWorkflowCases("DynamoDB Local and the stand-ins", async () => {
  const stack = await startTestStack({ clockStart: "2026-12-02T01:30:00.000Z", setEnv: stacks.length === 0 });
  stacks.push(stack);
  return connectedHarness(stack);
}, { only: ["corrects a published item", "secrecy review chain", "50 items published at once", "the monthly report counts", "delivered again"] });
