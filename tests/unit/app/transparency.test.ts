import { transparencyCases } from "../../cases/transparency";
import { memoryHarness } from "../../support/harness";

/** The transparency counters and figures on the in-memory ports. */
transparencyCases("in memory", () => memoryHarness());
