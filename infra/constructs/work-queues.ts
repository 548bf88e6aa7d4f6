import { Duration, RemovalPolicy } from "aws-cdk-lib";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import type { QueueName } from "../../shared/manifest";
import { queueNames, queues } from "../../shared/manifest";
import { pascalCase } from "../names";

/** Metadata key on each CfnQueue: `{ name, kind: "queue" | "deadLetters" }`. */
export const queueMetadataKey = "gongkai:queue";

/** Every manifest queue with its dead-letter queue, encrypted with the data key. */
export class WorkQueues extends Construct {
  readonly queues = {} as Record<QueueName, sqs.Queue>;
  readonly deadLetterQueues = {} as Record<QueueName, sqs.Queue>;

  constructor(scope: Construct, id: string, props: { key: kms.IKey }) {
    super(scope, id);
    for (const name of queueNames) {
      const spec = queues[name];
      const common = {
        encryption: sqs.QueueEncryption.KMS,
        encryptionMasterKey: props.key,
        // One data key per 5 minutes keeps KMS calls (and cost) low.
        dataKeyReuse: Duration.minutes(5),
        enforceSSL: true,
        removalPolicy: RemovalPolicy.DESTROY,
      };
      const deadLetters = new sqs.Queue(this, `${pascalCase(name)}DeadLetters`, {
        ...common,
        // Maximum retention: failed hand-offs wait for someone to look and replay them.
        retentionPeriod: Duration.days(14),
      });
      this.deadLetterQueues[name] = deadLetters;
      this.queues[name] = new sqs.Queue(this, pascalCase(name), {
        ...common,
        visibilityTimeout: Duration.seconds(spec.visibilityTimeoutSeconds),
        retentionPeriod: Duration.days(4),
        deadLetterQueue: { queue: deadLetters, maxReceiveCount: spec.maxReceiveCount },
      });
      // Read back by scripts/list-synth.mjs to match template queues to the manifest.
      for (const [queue, kind] of [[this.queues[name], "queue"], [deadLetters, "deadLetters"]] as const) {
        (queue.node.defaultChild as sqs.CfnQueue).addMetadata(queueMetadataKey, { name, kind });
      }
    }
  }
}
