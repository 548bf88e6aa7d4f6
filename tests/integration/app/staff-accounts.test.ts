import { afterAll } from "vitest";
import { staffAccountCases } from "../../cases/staff-accounts";
import { connectedHarness } from "../../support/harness";
import { startTestStack, type TestStack } from "../../support/stack";

/** The same account cases as tests/unit/accounts, against DynamoDB Local (versioned user writes, the security trail, the mail outbox). */
const stacks: TestStack[] = [];
afterAll(async () => {
  for (const s of stacks) await s.stop();
});

staffAccountCases("DynamoDB Local and the stand-ins", async () => {
  const stack = await startTestStack({ clockStart: "2026-12-02T01:30:00.000Z", setEnv: stacks.length === 0 });
  stacks.push(stack);
  return connectedHarness(stack);
});
