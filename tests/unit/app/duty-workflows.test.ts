import { dutyWorkflowCases } from "../../cases/duty-workflows";
import { memoryHarness } from "../../support/harness";

dutyWorkflowCases("in-memory ports", () => memoryHarness("2026-12-02T00:00:00.000Z"));
