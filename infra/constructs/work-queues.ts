import { Duration, RemovalPolicy } from "aws-cdk-lib";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import type { QueueName, QueueSpec } from "../../shared/manifest";
import { queueNames, queues as queueSpecs } from "../../shared/manifest";
import { lookup } from "../lookup";
import { pascalCase } from "../names";

/** Metadata key on each CfnQueue: `{ name, kind: "queue" | "deadLetters", step? }`. */
export const queueMetadataKey = "gongkai:queue";

/** What grants, triggers and alarms need from the queues: a lookup by manifest name. */
export interface QueueLookup {
  readonly names: readonly QueueName[];
  queue(name: QueueName): sqs.IQueue;
  deadLetters(name: QueueName): sqs.IQueue;
}

interface QueuePair {
  queue: sqs.Queue;
  deadLetters: sqs.Queue;
}

/**
 * Every manifest queue (mail, timers and one per workflow step) with its dead-letter
 * queue, encrypted with the data key. The list is derived from the manifest, so a new
 * workflow step gets its queue here without a line of CDK.
 */
export class WorkQueues extends Construct implements QueueLookup {
  readonly names: readonly QueueName[] = queueNames;
  private readonly pairs: Record<QueueName, QueuePair> = {};

  constructor(scope: Construct, id: string, props: { key: kms.IKey }) {
    super(scope, id);
    for (const name of this.names) {
      const spec: QueueSpec = lookup(queueSpecs, name, "queue");
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
      const queue = new sqs.Queue(this, pascalCase(name), {
        ...common,
        visibilityTimeout: Duration.seconds(spec.visibilityTimeoutSeconds),
        retentionPeriod: Duration.days(4),
        deadLetterQueue: { queue: deadLetters, maxReceiveCount: spec.maxReceiveCount },
      });
      this.pairs[name] = { queue, deadLetters };
      // Read back by scripts/list-synth.mjs to match template queues to the manifest.
      const step = spec.step ? `${spec.step.workflow}/${spec.step.step}` : undefined;
      for (const [q, kind] of [[queue, "queue"], [deadLetters, "deadLetters"]] as const) {
        (q.node.defaultChild as sqs.CfnQueue).addMetadata(queueMetadataKey, { name, kind, ...(step ? { step } : {}) });
      }
    }
  }

  queue(name: QueueName): sqs.Queue {
    return lookup(this.pairs, name, "queue").queue;
  }

  deadLetters(name: QueueName): sqs.Queue {
    return lookup(this.pairs, name, "queue").deadLetters;
  }
}
