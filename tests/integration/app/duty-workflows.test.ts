import { afterAll } from "vitest";
import { dutyWorkflowCases } from "../../cases/duty-workflows";
import { connectedHarness } from "../../support/harness";
import { startTestStack, type TestStack } from "../../support/stack";

/** The same duty cases as tests/unit/app, against DynamoDB Local and the SQS, Scheduler and S3 stand-ins. */
const stacks: TestStack[] = [];
afterAll(async () => {
  for (const s of stacks) await s.stop();
});

dutyWorkflowCases("DynamoDB Local and the stand-ins", async () => {
  const stack = await startTestStack({ clockStart: "2026-12-02T00:00:00.000Z", setEnv: stacks.length === 0 });
  stacks.push(stack);
  return connectedHarness(stack);
});
