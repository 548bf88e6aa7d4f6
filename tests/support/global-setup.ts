import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { javaAvailable, JAVA_INSTALL_HINT, startDynamoDbLocal } from "../../shared/adapters/local/dynamodb-local";
import { startS3Local } from "../../shared/adapters/local/s3-local";
import { startSqsLocal } from "../../shared/adapters/local/sqs-local";

declare module "vitest" {
  export interface ProvidedContext {
    /** DynamoDB Local (-inMemory) shared by the whole run; "" when Java is missing */
    dynamoEndpoint: string;
    /** why dynamoEndpoint is empty */
    dynamoUnavailable: string;
    /** fauxqs (SQS) shared by the whole run */
    sqsEndpoint: string;
    /** the S3 stand-in (shared/adapters/local/s3-local.ts) shared by the whole run, on a temp folder */
    s3Endpoint: string;
  }
}

/**
 * Starts ONE DynamoDB Local, ONE fauxqs and ONE S3 stand-in per test run. Files isolate
 * themselves by unique table names, queue prefixes and bucket names (see stack.ts). Without
 * Java, DynamoDB Local is skipped so unit tests still run; integration tests then fail with
 * the install hint.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const s3Dir = mkdtempSync(join(tmpdir(), "gongkai-s3-"));
  const [sqs, s3] = await Promise.all([startSqsLocal({ port: 0 }), startS3Local({ dataDir: s3Dir })]);
  const ddb = javaAvailable() ? await startDynamoDbLocal({ inMemory: true }) : undefined;
  project.provide("sqsEndpoint", sqs.endpoint);
  project.provide("s3Endpoint", s3.endpoint);
  project.provide("dynamoEndpoint", ddb?.endpoint ?? "");
  project.provide("dynamoUnavailable", ddb ? "" : `Java not found: ${JAVA_INSTALL_HINT}`);
  return async () => {
    await Promise.all([sqs.stop(), s3.stop(), ddb?.stop()]);
    rmSync(s3Dir, { recursive: true, force: true });
  };
}
