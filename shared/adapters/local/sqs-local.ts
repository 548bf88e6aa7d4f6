import { CreateQueueCommand, GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { buildApp } from "fauxqs";
import type { QueueName } from "../../manifest";
import { queues } from "../../manifest";
import { portIsFree } from "./dynamodb-local";
import { listenHost } from "./listen";

export interface SqsLocal {
  /** SDK endpoint for SQS (fauxqs also serves an S3, in memory; files go to s3-local.ts instead) */
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * Starts fauxqs (SQS emulator, memory only) in this process, on 127.0.0.1 unless
 * GONGKAI_LISTEN opens it (listen.ts): `startFauxqs` would listen on every interface, so its
 * app is built and bound here.
 */
export async function startSqsLocal(opts: { port?: number; host?: string } = {}): Promise<SqsLocal> {
  const port = opts.port ?? 0;
  if (port && !(await portIsFree(port))) {
    throw new Error(`Port ${port} for the SQS stand-in (fauxqs) is already in use (set SQS_PORT to another port).`);
  }
  const app = buildApp({ logger: false });
  const address = await app.listen({ port, host: opts.host ?? listenHost() });
  const bound = Number(new URL(address).port);
  return {
    endpoint: `http://127.0.0.1:${bound}`,
    port: bound,
    stop: () => app.close(),
  };
}

export interface LocalQueues {
  urls: Record<QueueName, string>;
  arns: Record<QueueName, string>;
  dlqUrls: Record<QueueName, string>;
  dlqArns: Record<QueueName, string>;
}

async function createQueue(sqs: SQSClient, name: string, attributes: Record<string, string>): Promise<{ url: string; arn: string }> {
  const created = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const url = created.QueueUrl;
  if (!url) throw new Error(`CreateQueue ${name} returned no URL`);
  const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }));
  const arn = attrs.Attributes?.QueueArn;
  if (!arn) throw new Error(`Queue ${name} has no QueueArn`);
  return { url, arn };
}

/**
 * Creates every manifest queue as `<prefix><name>` with a `<prefix><name>-dlq` dead-letter queue,
 * the manifest's maxReceiveCount and visibility timeout. Idempotent (CreateQueue with equal attributes).
 */
export async function ensureQueues(sqs: SQSClient, prefix = ""): Promise<LocalQueues> {
  const out = { urls: {}, arns: {}, dlqUrls: {}, dlqArns: {} } as LocalQueues;
  // all queues at once: 54 pairs one after another were ~0.9 s of every test stack's start
  await Promise.all(
    Object.entries(queues).map(async ([name, spec]) => {
      const dlq = await createQueue(sqs, `${prefix}${name}-dlq`, { MessageRetentionPeriod: "1209600" });
      const main = await createQueue(sqs, `${prefix}${name}`, {
        VisibilityTimeout: String(spec.visibilityTimeoutSeconds),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: spec.maxReceiveCount }),
      });
      out.urls[name] = main.url;
      out.arns[name] = main.arn;
      out.dlqUrls[name] = dlq.url;
      out.dlqArns[name] = dlq.arn;
    }),
  );
  return out;
}
