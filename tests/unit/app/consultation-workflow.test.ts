import { consultationWorkflowCases, CONSULTATION_CLOCK_START } from "../../cases/consultation-workflow";
import { memoryHarness } from "../../support/harness";

consultationWorkflowCases("in-memory ports", () => memoryHarness(CONSULTATION_CLOCK_START));
