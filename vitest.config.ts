import { defineConfig } from "vitest/config";

/**
 * Two projects so that pure tests never wait for Java: vitest runs a project's globalSetup
 * only when that project has test files in the run. `stand-ins` gets ONE DynamoDB Local
 * (-inMemory) and ONE fauxqs per run (tests/support/global-setup.ts); files isolate
 * themselves with unique table names and queue prefixes (tests/support/stack.ts).
 */
const shared = {
  // Lambda runs Node 22; on this machine's Node 20 the SDK's upgrade notice would repeat in every worker
  env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  exclude: ["node_modules/**", "tests/bench/**", ".data/**", "cdk.out/**"],
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  test: {
    // 2 shared cores: Java + fauxqs + workers; more forks only thrash
    maxWorkers: 2,
    projects: [
      // pure files share one module cache per worker (no per-file re-import: ~50 s of a run)
      { test: { ...shared, name: "pure", isolate: false, include: ["tests/unit/**/*.test.ts", "tests/infra/**/*.test.ts"] } },
      {
        test: {
          ...shared,
          name: "stand-ins",
          include: ["tests/integration/**/*.test.ts", "tests/e2e/**/*.test.ts"],
          globalSetup: ["tests/support/global-setup.ts"],
        },
      },
    ],
  },
});
