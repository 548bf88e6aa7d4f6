import { afterAll, describe, expect, it } from "vitest";
import { BatchWriteCommand } from "@aws-sdk/lib-dynamodb";
import { caseItem } from "../../../shared/adapters/aws/entities/case";
import { annualReport } from "../../../shared/app/reports/annual";
import { newCaseRecord } from "../../../shared/domain/workflows/engine";
import { applicationWorkflow } from "../../../shared/domain/workflows";
import { annualReportCases } from "../../cases/annual-report";
import { connectedHarness } from "../../support/harness";
import { startTestStack, type TestStack } from "../../support/stack";

/** The same report cases as tests/unit/app, on DynamoDB Local (the per-year index reads). */
const stacks: TestStack[] = [];
afterAll(async () => {
  for (const s of stacks) await s.stop();
});

annualReportCases("DynamoDB Local and the stand-ins", async () => {
  const stack = await startTestStack({ clockStart: "2027-01-15T02:00:00.000Z", setEnv: stacks.length === 0 });
  stacks.push(stack);
  return connectedHarness(stack);
});

describe("a busy year on DynamoDB Local", () => {
  it("counts every case of a month too large for one page (read day by day) and of the year's open ends", async () => {
    // Prepare: 1,500 closures in March (several pages of gsi2), one on 1 January Beijing time (31 December UTC)
    const stack = await startTestStack({ clockStart: "2027-01-15T02:00:00.000Z", setEnv: false });
    stacks.push(stack);
    const h = await connectedHarness(stack);
    const agency = "001008010002002";
    const items = Array.from({ length: 1_501 }, (_, i) => {
      const receivedOn = i === 1_500 ? "2025-12-29" : `2026-03-${String(1 + (i % 20)).padStart(2, "0")}`;
      const closedOn = i === 1_500 ? "2026-01-01" : `2026-03-${String(5 + (i % 24)).padStart(2, "0")}`;
      const c = newCaseRecord(applicationWorkflow, {
        caseId: `01KBUSY${String(i).padStart(19, "0")}`,
        agencyCode: agency,
        reference: `${agency}-2026-${String(i + 1).padStart(5, "0")}`,
        now: new Date(`${receivedOn}T02:00:00.000Z`),
        createdOn: receivedOn,
        data: { receivedOn, submittedOn: receivedOn, applicantColumn: "commercial", application: { applicantType: "organization", name: `企业${i}`, description: "统计用申请，内容描述约一百字。".repeat(6) } },
      });
      const closedAt = i === 1_500 ? "2025-12-31T16:30:00.000Z" : `${closedOn}T0${i % 10}:00:00.000Z`;
      return caseItem({ ...c, version: 1, status: "replied", result: { cell: "1", replyType: "disclosed", closedOn }, closedAt }, "");
    });
    for (let i = 0; i < items.length; i += 25) {
      let requests = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
      while (requests.length) {
        const out = await stack.doc.send(new BatchWriteCommand({ RequestItems: { [stack.tableName]: requests } }));
        requests = (out.UnprocessedItems?.[stack.tableName] ?? []) as typeof requests;
      }
    }

    // Act
    const rows = await h.deps.store.cases.reportRows(agency, 2026);
    const report = await annualReport(h.deps, agency, 2026);

    // Assess
    expect(rows).toHaveLength(1_501);
    expect(new Set(rows.map((r) => r.caseId)).size).toBe(1_501);
    const total = report.applications.rows.find((r) => r.label === "（七）总计")!.values;
    expect(total).toEqual([0, 1_501, 0, 0, 0, 0, 1_501]);
  }, 120_000);
});
