import { DeleteMessageCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import type { TestStack } from "./stack";
import type { QueueName } from "../../shared/manifest";

/** Takes every message now on a queue of the test stack (and deletes it), bodies parsed. */
export async function drainQueue(stack: TestStack, queue: QueueName): Promise<Array<Record<string, unknown>>> {
  const out: Array<Record<string, unknown>> = [];
  for (;;) {
    const res = await stack.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: stack.queues.urls[queue], MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (!res.Messages?.length) return out;
    for (const m of res.Messages) {
      out.push(JSON.parse(m.Body!));
      await stack.sqs.send(new DeleteMessageCommand({ QueueUrl: stack.queues.urls[queue], ReceiptHandle: m.ReceiptHandle! }));
    }
  }
}
