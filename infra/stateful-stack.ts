import type { StackProps } from "aws-cdk-lib";
import { CfnOutput, Stack } from "aws-cdk-lib";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import type * as kms from "aws-cdk-lib/aws-kms";
import type * as s3 from "aws-cdk-lib/aws-s3";
import type { Construct } from "constructs";
import { AppTable } from "./constructs/app-table";
import { DataKey } from "./constructs/data-key";
import { FilesBucket } from "./constructs/files-bucket";
import { WorkQueues } from "./constructs/work-queues";
import { queueUrlOutputKey } from "./names";

/** What outlives deployments: the key, the table, the queues (every step's too) and the files. */
export class StatefulStack extends Stack {
  readonly key: kms.Key;
  readonly table: dynamodb.Table;
  readonly queues: WorkQueues;
  readonly filesBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.key = new DataKey(this, "DataKey").key;
    this.table = new AppTable(this, "Data", { key: this.key }).table;
    this.queues = new WorkQueues(this, "Queues", { key: this.key });
    // for operators: `npx gongkai dlq list|replay --outputs FILE` after `cdk deploy --outputs-file FILE`
    // (each queue's dead-letter queue is found through its RedrivePolicy)
    for (const name of this.queues.names) {
      new CfnOutput(this, queueUrlOutputKey(name), { value: this.queues.queue(name).queueUrl, description: `URL of the ${name} queue` });
    }
    this.filesBucket = new FilesBucket(this, "Files", { key: this.key }).bucket;
  }
}
