import { afterAll } from "vitest";
import { annualReportCases } from "../../cases/annual-report";
import { connectedHarness } from "../../support/harness";
import { startTestStack, type TestStack } from "../../support/stack";

/** The same report cases as tests/unit/app, on DynamoDB Local (the per-year index reads). */
const stacks: TestStack[] = [];
afterAll(async () => {
  for (const s of stacks) await s.stop();
});

annualReportCases("DynamoDB Local and the stand-ins", async () => {
  const stack = await startTestStack({ clockStart: "2027-01-15T02:00:00.000Z", setEnv: stacks.length === 0 });
  stacks.push(stack);
  return connectedHarness(stack);
});
