import { afterAll, beforeAll } from "vitest";
import { processingFeeCases } from "../../cases/processing-fees";
import { connectedHarness } from "../../support/harness";
import { startTestStack, type TestStack } from "../../support/stack";

/** The processing-fee cases of tests/unit/app that tests/e2e/workflow-paths does not walk over HTTP (it pays one notice and leaves one unpaid), against DynamoDB Local and the SQS, Scheduler and S3 stand-ins. */
const stacks: TestStack[] = [];
beforeAll(() => undefined);
afterAll(async () => {
  for (const s of stacks) await s.stop();
});

processingFeeCases("DynamoDB Local and the stand-ins", async () => {
  const stack = await startTestStack({ clockStart: "2026-03-02T01:30:00.000Z", setEnv: stacks.length === 0 });
  stacks.push(stack);
  return connectedHarness(stack);
}, { only: ["per application", "within the answer period", "by volume"] });
