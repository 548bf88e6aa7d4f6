import { afterAll } from "vitest";
import { consultationWorkflowCases, CONSULTATION_CLOCK_START } from "../../cases/consultation-workflow";
import { connectedHarness } from "../../support/harness";
import { startTestStack, type TestStack } from "../../support/stack";

/** The same normative-document cases as tests/unit/app, against DynamoDB Local and the SQS, Scheduler and S3 stand-ins. */
const stacks: TestStack[] = [];
afterAll(async () => {
  for (const s of stacks) await s.stop();
});

consultationWorkflowCases("DynamoDB Local and the stand-ins", async () => {
  const stack = await startTestStack({ clockStart: CONSULTATION_CLOCK_START, setEnv: stacks.length === 0 });
  stacks.push(stack);
  return connectedHarness(stack);
});
