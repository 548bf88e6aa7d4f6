import { afterAll } from "vitest";
import { applicationWorkflowCases } from "../../cases/application-workflow";
import { connectedHarness } from "../../support/harness";
import { startTestStack, type TestStack } from "../../support/stack";

/**
 * The workflow cases of tests/unit/app that tests/e2e/workflow-paths does not walk over HTTP,
 * against DynamoDB Local and the SQS, Scheduler and S3 stand-ins (every path once on the real
 * store is enough; each connected case costs a stack of its own).
 */
const stacks: TestStack[] = [];
afterAll(async () => {
  for (const s of stacks) await s.stop();
});

applicationWorkflowCases("DynamoDB Local and the stand-ins", async () => {
  const stack = await startTestStack({ clockStart: "2026-03-02T01:30:00.000Z", setEnv: stacks.length === 0 });
  stacks.push(stack);
  return connectedHarness(stack);
}, { only: ["refuses by role", "secrecy review", "the staff case view explains"] });
