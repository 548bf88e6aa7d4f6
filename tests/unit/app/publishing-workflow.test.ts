import { publishingWorkflowCases } from "../../cases/publishing-workflow";
import { memoryHarness } from "../../support/harness";

publishingWorkflowCases("in-memory ports", () => memoryHarness("2026-12-02T01:30:00.000Z"));
