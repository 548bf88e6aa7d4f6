import type { StackProps } from "aws-cdk-lib";
import { CfnOutput, Fn, Stack } from "aws-cdk-lib";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import type * as kms from "aws-cdk-lib/aws-kms";
import type * as s3 from "aws-cdk-lib/aws-s3";
import type { Construct } from "constructs";
import { AppTable } from "./constructs/app-table";
import { DataKey } from "./constructs/data-key";
import { FilesBucket } from "./constructs/files-bucket";
import { WorkQueues } from "./constructs/work-queues";
import { QUEUE_URLS_OUTPUT_PREFIX, QUEUES_PER_OUTPUT } from "./names";

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
    for (let i = 0; i * QUEUES_PER_OUTPUT < this.queues.names.length; i++) {
      const names = this.queues.names.slice(i * QUEUES_PER_OUTPUT, (i + 1) * QUEUES_PER_OUTPUT);
      new CfnOutput(this, `${QUEUE_URLS_OUTPUT_PREFIX}${i + 1}`, {
        value: Fn.join(" ", names.map((name) => Fn.join("=", [name, this.queues.queue(name).queueUrl]))),
        description: `URLs of the queues ${names[0]} … ${names[names.length - 1]} (name=url, space-separated)`,
      });
    }
    this.filesBucket = new FilesBucket(this, "Files", { key: this.key }).bucket;
  }
}
