/**
 * The transparency pages at province scale: 2,000 agencies' counter items (a year and the one
 * before of applications, results, a working-day histogram, publications, consultations)
 * written straight into DynamoDB Local, then one agency's page and the deployment's page
 * produced as the site produces them (figures from the counters, rendered HTML): one item
 * read, and one Query per counter shard — never the cases.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDynamoDbLocal } from "../../shared/adapters/local/dynamodb-local";
import { startSqsLocal } from "../../shared/adapters/local/sqs-local";
import { startS3Local } from "../../shared/adapters/local/s3-local";
import { seedItems } from "./seed";
import { startTestStack } from "../support/stack";
import { appDepsFor } from "../support/app";
import { agencyItem } from "../../shared/adapters/aws/entities/directory";
import { countersItem } from "../../shared/adapters/aws/entities/transparency";
import { resultCells } from "../../shared/domain/report/cells";
import { agencyTransparency, deploymentTransparency, DEPLOYMENT_TTL_MS } from "../../shared/app/transparency/counters";
import { renderAgencyTransparency, renderDeploymentTransparency } from "../../shared/ui/public/transparency";
import type { Counts } from "../../shared/domain/transparency/figures";

const cells = Object.keys(resultCells);

function countsOf(i: number): Counts {
  const c: Counts = { open: 5 + (i % 40), overdue: i % 3, "consultations:open": i % 2, "comments:open": i % 9, "consultations:closed": i % 5, "comments:closed": (i % 5) * 7 };
  for (const year of [2025, 2026]) {
    c[`received:${year}`] = 200 + (i % 300);
    c[`answered:${year}`] = 190 + (i % 300);
    c[`onTime:${year}`] = 170 + (i % 280);
    c[`onTimeExtended:${year}`] = 10 + (i % 15);
    for (let m = 1; m <= 12; m++) {
      c[`received:${year}-${String(m).padStart(2, "0")}`] = 10 + ((i + m) % 30);
      c[`published:${year}-${String(m).padStart(2, "0")}`] = 20 + ((i * m) % 50);
    }
    for (const [k, cell] of cells.entries()) c[`cell:${year}:${cell}`] = (i + k) % 12;
    for (let d = 0; d <= 60; d++) c[`days:${year}:${d}`] = (i + d) % 7;
  }
  return c;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function transparencyFigures(agencies = 2_000, runs = 10): Promise<{ agencies: number; seedSeconds: number; agencyPageMs: number; deploymentPageMs: number; deploymentColdMs: number; itemBytes: number }> {
  const s3Dir = mkdtempSync(join(tmpdir(), "gongkai-bench-s3-"));
  const [ddb, sqs, s3] = await Promise.all([startDynamoDbLocal({ inMemory: true }), startSqsLocal({ port: 0 }), startS3Local({ dataDir: s3Dir })]);
  const stack = await startTestStack({ endpoints: { dynamo: ddb.endpoint, sqs: sqs.endpoint, s3: s3.endpoint }, clockStart: "2026-11-20T02:00:00.000Z", setEnv: false });
  try {
    const deps = appDepsFor(stack);
    const codes = Array.from({ length: agencies }, (_, i) => `00100801${String(i).padStart(7, "0")}`);
    const items = codes.flatMap((code, i) => [
      agencyItem({ code, name: `基准机关${i}`, reviewAuthority: "某区人民政府", court: "某区人民法院" }),
      countersItem({ agencyCode: code, counts: countsOf(i), version: 1 }),
    ]);
    const t0 = performance.now();
    await seedItems(stack, items);
    const seedSeconds = (performance.now() - t0) / 1000;
    const agencyPage = async (code: string) => {
      const t = await agencyTransparency(deps, code);
      return renderAgencyTransparency({ ...t, agencyRecord: (await deps.store.directory.agency(code))! });
    };
    const deploymentPage = async () => renderDeploymentTransparency(await deploymentTransparency(deps));
    const readTimes: number[] = [];
    await agencyPage(codes[0]!); // warm-up: module loading, connections
    await deploymentPage();
    const agencyTimes: number[] = [];
    const deploymentTimes: number[] = [];
    for (let r = 0; r < runs; r++) {
      const t1 = performance.now();
      await agencyPage(codes[(r * 97) % codes.length]!);
      agencyTimes.push(performance.now() - t1);
      const t2 = performance.now();
      const page = await deploymentPage();
      deploymentTimes.push(performance.now() - t2);
      if (!page.includes(codes[codes.length - 1]!)) throw new Error("the deployment page is missing an agency");
      // a minute later: the instance reads every shard again
      await stack.clock.advanceBy(DEPLOYMENT_TTL_MS);
      const t3 = performance.now();
      await deploymentPage();
      readTimes.push(performance.now() - t3);
    }
    return { agencies, seedSeconds, agencyPageMs: median(agencyTimes), deploymentPageMs: median(deploymentTimes), deploymentColdMs: median(readTimes), itemBytes: JSON.stringify(items[1]).length };
  } finally {
    await stack.stop();
    await Promise.all([ddb.stop(), sqs.stop(), s3.stop()]);
    rmSync(s3Dir, { recursive: true, force: true });
  }
}
