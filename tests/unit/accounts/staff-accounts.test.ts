import { staffAccountCases } from "../../cases/staff-accounts";
import { memoryHarness } from "../../support/harness";

staffAccountCases("in-memory ports", () => memoryHarness("2026-12-02T01:30:00.000Z"));
