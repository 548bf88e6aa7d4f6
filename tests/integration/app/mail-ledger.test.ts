import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import type { MailTransport, OutgoingMail } from "../../../shared/adapters/mail-transport";
import type { AppDeps } from "../../../shared/app/deps";
import { sendQueuedMail, type MailDelivery } from "../../../shared/app/send-mail";
import { startTestStack, type TestStack } from "../../support/stack";
import { appDepsFor } from "../../support/app";

/**
 * The mail ledger on DynamoDB Local: who holds a claim, take-over of a dead holder's claim,
 * release after a failed send, and one winner when two deliveries race for a stale claim,
 * even on a clock that stands still (so both would write the same claimedAt).
 */
let stack: TestStack;
let deps: AppDeps;

beforeAll(async () => {
  stack = await startTestStack();
  deps = appDepsFor(stack);
});
afterAll(async () => stack?.stop());

const body = { to: ["office@example.gov.cn"], subject: "【待办】依申请公开·登记：001-2026-00001", text: "请登记。" };
let n = 0;
const freshId = () => `mail-ledger-${Date.now()}-${n++}`;
const delivery = (sqsMessageId: string, receiveCount: number, endsInMs: number): MailDelivery => ({ sqsMessageId, receiveCount, endsBy: new Date(Date.now() + endsInMs) });

function capture(): MailTransport & { sent: OutgoingMail[] } {
  const sent: OutgoingMail[] = [];
  return { sent, send: async (m) => void sent.push(m) };
}

/** Takes the mail and never answers: its sender is killed mid-send. */
function hangs(): MailTransport & { entered: Promise<void> } {
  let enter!: () => void;
  const entered = new Promise<void>((r) => (enter = r));
  return { entered, send: () => (enter(), new Promise<void>(() => undefined)) };
}

describe("mail ledger (DynamoDB)", () => {
  it("stores the holding delivery with the claim, and the next delivery after a kill sends at once", async () => {
    const id = freshId();
    const killed = hangs();
    const first = delivery("sqs-1", 1, -5_000);
    void sendQueuedMail(deps, killed, id, body, first);
    await killed.entered;
    expect(await deps.store.mail.get(id)).toMatchObject({
      state: "sending",
      claimId: expect.any(String),
      holder: { sqsMessageId: "sqs-1", receiveCount: 1, endsBy: first.endsBy.toISOString() },
    });

    const transport = capture();
    expect(await sendQueuedMail(deps, transport, id, body, delivery("sqs-1", 2, 30_000))).toBe("sent");
    expect(await sendQueuedMail(deps, transport, id, body, delivery("sqs-1", 3, 30_000))).toBe("already_sent");
    expect(transport.sent).toHaveLength(1);
  });

  it("leaves a live holder alone", async () => {
    const id = freshId();
    const slow = hangs();
    void sendQueuedMail(deps, slow, id, body, delivery("sqs-1", 1, 30_000));
    await slow.entered;

    const transport = capture();
    expect(await sendQueuedMail(deps, transport, id, body, delivery("sqs-2", 1, 30_000))).toBe("in_progress");
    expect(transport.sent).toEqual([]);
  });

  it("a failed send releases the claim; the next delivery claims it afresh and sends", async () => {
    const id = freshId();
    await expect(sendQueuedMail(deps, { send: async () => Promise.reject(new Error("421 try later")) }, id, body, delivery("sqs-1", 1, 30_000))).rejects.toThrow(
      "421",
    );
    expect(await deps.store.mail.get(id)).toBeUndefined();

    const transport = capture();
    expect(await sendQueuedMail(deps, transport, id, body, delivery("sqs-1", 2, 30_000))).toBe("sent");
    expect(transport.sent).toHaveLength(1);
  });

  it("two deliveries racing for one dead claim on a clock that stands still: one sends", async () => {
    // Prepare: the test stack's clock is frozen, so every claim has the same claimedAt
    const id = freshId();
    const killed = hangs();
    void sendQueuedMail(deps, killed, id, body, delivery("sqs-1", 1, -5_000));
    await killed.entered;

    // Act
    const transport = capture();
    const results = await Promise.all(
      Array.from({ length: 4 }, (_, i) => sendQueuedMail(deps, transport, id, body, delivery(i === 0 ? "sqs-1" : `sqs-copy-${i}`, i === 0 ? 2 : 1, 30_000))),
    );

    // Assess
    expect(results.filter((r) => r === "sent")).toHaveLength(1);
    expect(transport.sent).toHaveLength(1);
  });

  it("an older sender's claim (no id, no holder) keeps its lease, then is taken over", async () => {
    const id = freshId();
    await stack.doc.send(
      new PutCommand({ TableName: stack.tableName, Item: { pk: `MAIL#${id}`, sk: "MAIL", state: "sending", claimedAt: stack.clock.now().toISOString() } }),
    );
    const transport = capture();

    expect(await sendQueuedMail(deps, transport, id, body, delivery("sqs-1", 2, 30_000))).toBe("in_progress");
    await stack.clock.advanceTo(new Date(stack.clock.now().getTime() + 60_000));
    expect(await sendQueuedMail(deps, transport, id, body, delivery("sqs-1", 3, 30_000))).toBe("sent");
    expect(transport.sent).toHaveLength(1);
  });
});
