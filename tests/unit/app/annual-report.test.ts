import { annualReportCases } from "../../cases/annual-report";
import { memoryHarness } from "../../support/harness";

annualReportCases("in-memory ports", () => memoryHarness("2027-01-15T02:00:00.000Z"));
