/**
 * The annual report of an agency with N applications in the year (BENCH_REPORT_APPLICATIONS,
 * default 100,000 in `npm run bench`), on DynamoDB Local: the cases are written straight into the table (a
 * spread over every result cell and applicant column, some open, some carried over), then
 * the report is produced as the API produces it — per-period index reads of the report's
 * attributes only, no Scan.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDynamoDbLocal } from "../../shared/adapters/local/dynamodb-local";
import { startSqsLocal } from "../../shared/adapters/local/sqs-local";
import { startS3Local } from "../../shared/adapters/local/s3-local";
import { startTestStack } from "../support/stack";
import { connectedHarness } from "../support/harness";
import { caseItem } from "../../shared/adapters/aws/entities/case";
import { newCaseRecord } from "../../shared/domain/workflows/engine";
import { applicationWorkflow } from "../../shared/domain/workflows";
import { resultCells, type ResultCell } from "../../shared/domain/report/cells";
import { annualReport } from "../../shared/app/reports/annual";
import { seedItems } from "./seed";

const columns = ["natural_person", "commercial", "research", "public_welfare", "legal_service", "other"];
const cells = Object.keys(resultCells) as ResultCell[];

export async function annualReportFigures(applications = 100_000): Promise<{ applications: number; seedSeconds: number; reportMs: number; checksOk: number; checks: number }> {
  const s3Dir = mkdtempSync(join(tmpdir(), "gongkai-bench-s3-"));
  const [ddb, sqs, s3] = await Promise.all([startDynamoDbLocal({ inMemory: true }), startSqsLocal({ port: 0 }), startS3Local({ dataDir: s3Dir })]);
  const stack = await startTestStack({ endpoints: { dynamo: ddb.endpoint, sqs: sqs.endpoint, s3: s3.endpoint }, clockStart: "2027-01-20T02:00:00.000Z", setEnv: false });
  try {
    const h = await connectedHarness(stack);
    const agency = "001008010002002";
    const t0 = performance.now();
    const items = function* () {
      for (let i = 0; i < applications; i++) {
        const receivedOn = i % 20 === 0 ? `2025-12-${String(1 + (i % 28)).padStart(2, "0")}` : `2026-${String(1 + (i % 12)).padStart(2, "0")}-${String(1 + (i % 28)).padStart(2, "0")}`;
        const c = newCaseRecord(applicationWorkflow, {
          caseId: `01KBENCH${String(i).padStart(18, "0")}`,
          agencyCode: agency,
          reference: `${agency}-2026-${String(i + 1).padStart(6, "0")}`,
          now: new Date(`${receivedOn}T02:00:00.000Z`),
          createdOn: receivedOn,
          data: { receivedOn, submittedOn: receivedOn, applicantColumn: columns[i % columns.length], application: { applicantType: "natural_person", name: `申请人${i}`, description: "基准测试用申请，内容描述约一百字。".repeat(4) } },
        });
        const open = i % 17 === 0;
        // closed within the month after receipt, as the 20-working-day period has most of them
        const closedOn = receivedOn < "2026-01-01" ? `2026-01-${String(1 + (i % 28)).padStart(2, "0")}` : `${receivedOn.slice(0, 8)}${String(Math.min(28, Number(receivedOn.slice(8)) + (i % 20))).padStart(2, "0")}`;
        const record = open ? { ...c, version: 1 } : { ...c, version: 1, status: "replied", result: { cell: cells[i % cells.length]!, replyType: "disclosed", closedOn }, closedAt: `${closedOn}T08:00:00.000Z` };
        yield caseItem(record, "");
      }
    };
    await seedItems(stack, items());
    const seedSeconds = (performance.now() - t0) / 1000;
    await annualReport(h.deps, agency, 2026); // warm-up: module loading, connections
    const t1 = performance.now();
    const report = await annualReport(h.deps, agency, 2026);
    const reportMs = performance.now() - t1;
    return { applications, seedSeconds, reportMs, checksOk: report.checks.filter((c) => c.ok).length, checks: report.checks.length };
  } finally {
    await stack.stop();
    await Promise.all([ddb.stop(), sqs.stop(), s3.stop()]);
    rmSync(s3Dir, { recursive: true, force: true });
  }
}
