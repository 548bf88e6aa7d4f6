import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import { SchedulerClient } from "@aws-sdk/client-scheduler";

/**
 * SDK clients, created once per process (outside any handler) and reused across
 * invocations. Endpoints come from AWS_ENDPOINT_URL_* when the local stack sets them.
 */
let cached: AwsClients | undefined;

export interface AwsClients {
  ddb: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  sqs: SQSClient;
  scheduler: SchedulerClient;
  s3: S3Client;
}

export function createDocumentClient(ddb: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(ddb, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

export function awsClients(): AwsClients {
  if (!cached) {
    const ddb = new DynamoDBClient({});
    cached = {
      ddb,
      doc: createDocumentClient(ddb),
      // the configured endpoint wins over the queue URL's host (the local stand-in's URLs name a host that may not resolve)
      sqs: new SQSClient({ useQueueUrlAsEndpoint: false }),
      scheduler: new SchedulerClient({}),
      // the local stand-in serves buckets as paths (127.0.0.1 has no bucket sub-domains); AWS keeps virtual-hosted style
      s3: new S3Client({ forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3) }),
    };
  }
  return cached;
}
