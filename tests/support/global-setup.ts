import type { TestProject } from "vitest/node";
import { javaAvailable, JAVA_INSTALL_HINT, startDynamoDbLocal } from "../../shared/adapters/local/dynamodb-local";
import { startSqsLocal } from "../../shared/adapters/local/sqs-local";

declare module "vitest" {
  export interface ProvidedContext {
    /** DynamoDB Local (-inMemory) shared by the whole run; "" when Java is missing */
    dynamoEndpoint: string;
    /** why dynamoEndpoint is empty */
    dynamoUnavailable: string;
    /** fauxqs (SQS + S3) shared by the whole run */
    sqsEndpoint: string;
  }
}

/**
 * Starts ONE DynamoDB Local and ONE fauxqs per test run. Files isolate themselves by
 * unique table names and queue prefixes (see stack.ts). Without Java, DynamoDB Local is
 * skipped so unit tests still run; integration tests then fail with the install hint.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const sqs = await startSqsLocal({ port: 0 });
  const ddb = javaAvailable() ? await startDynamoDbLocal({ inMemory: true }) : undefined;
  project.provide("sqsEndpoint", sqs.endpoint);
  project.provide("dynamoEndpoint", ddb?.endpoint ?? "");
  project.provide("dynamoUnavailable", ddb ? "" : `Java not found: ${JAVA_INSTALL_HINT}`);
  return async () => {
    await Promise.all([sqs.stop(), ddb?.stop()]);
  };
}
