import { processingFeeCases } from "../../cases/processing-fees";
import { memoryHarness } from "../../support/harness";

processingFeeCases("in-memory ports", () => memoryHarness());
