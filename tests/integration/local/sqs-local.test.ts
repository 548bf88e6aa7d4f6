import { ChangeMessageVisibilityCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queueNames, queues } from "../../../shared/manifest";
import { ensureQueues } from "../../../shared/adapters/local/sqs-local";
import { startTestStack } from "../../support/stack";
import type { TestStack } from "../../support/stack";

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe("SQS stand-in (fauxqs) queues from the manifest", () => {
  it("creates every manifest queue with its DLQ, redrive policy and visibility timeout, idempotently", async () => {
    // Act
    const again = await ensureQueues(stack.sqs, new URL(stack.queues.urls.mail!).pathname.split("/").pop()!.replace(/mail$/, ""));
    const attrs = await stack.sqs.send(new GetQueueAttributesCommand({ QueueUrl: stack.queues.urls.timers, AttributeNames: ["All"] }));

    // Assess
    expect(Object.keys(stack.queues.urls).sort()).toEqual([...queueNames].sort());
    expect(again.urls).toEqual(stack.queues.urls);
    expect(attrs.Attributes?.VisibilityTimeout).toBe(String(queues.timers!.visibilityTimeoutSeconds));
    expect(JSON.parse(attrs.Attributes?.RedrivePolicy ?? "{}")).toMatchObject({
      deadLetterTargetArn: stack.queues.dlqArns.timers,
      maxReceiveCount: queues.timers!.maxReceiveCount,
    });
  });

  it("moves a message that keeps failing to the dead-letter queue after maxReceiveCount receives", async () => {
    // Prepare
    const QueueUrl = stack.queues.urls.mail;
    await stack.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "poison" }));

    // Act: receive and "fail" (make visible again at once) as often as the policy allows
    const receives: number[] = [];
    for (let i = 0; i < queues.mail!.maxReceiveCount + 1; i++) {
      const r = await stack.sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 1, WaitTimeSeconds: 0, MessageSystemAttributeNames: ["ApproximateReceiveCount"] }));
      const m = r.Messages?.[0];
      if (!m) break;
      receives.push(Number(m.Attributes?.ApproximateReceiveCount));
      await stack.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 }));
    }
    const dlq = await stack.sqs.send(new ReceiveMessageCommand({ QueueUrl: stack.queues.dlqUrls.mail, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));

    // Assess
    expect(receives).toEqual([1, 2, 3, 4, 5]);
    expect(dlq.Messages?.map((m) => m.Body)).toEqual(["poison"]);
  });
});
