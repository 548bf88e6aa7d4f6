import { afterAll } from "vitest";
import { dutyWorkflowCases } from "../../cases/duty-workflows";
import { connectedHarness } from "../../support/harness";
import { startTestStack, type TestStack } from "../../support/stack";

/** The duty cases of tests/unit/app that tests/e2e/duty-paths does not walk over HTTP, against DynamoDB Local and the SQS, Scheduler and S3 stand-ins. */
const stacks: TestStack[] = [];
afterAll(async () => {
  for (const s of stacks) await s.stop();
});

dutyWorkflowCases("DynamoDB Local and the stand-ins", async () => {
  const stack = await startTestStack({ clockStart: "2026-12-02T00:00:00.000Z", setEnv: stacks.length === 0 });
  stacks.push(stack);
  return connectedHarness(stack);
}, { only: ["an incident is reported", "configures the pages", "mails the month's summary"] });
