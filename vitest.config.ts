import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    exclude: ["node_modules/**", "tests/bench/**", ".data/**", "cdk.out/**"],
    // one DynamoDB Local + one fauxqs for the whole run; files isolate by unique names
    globalSetup: ["tests/support/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // 2 shared cores: Java + fauxqs + workers; more forks only thrash
    maxWorkers: 2,
  },
});
