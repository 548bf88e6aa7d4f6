import { applicationWorkflowCases } from "../../cases/application-workflow";
import { memoryHarness } from "../../support/harness";

applicationWorkflowCases("in-memory ports", () => memoryHarness());
