import { describe, expect, it } from "vitest";
import { memoryDeps } from "../../../shared/adapters/memory/deps";
import type { MailTransport, OutgoingMail } from "../../../shared/adapters/mail-transport";
import { sendQueuedMail, type MailDelivery } from "../../../shared/app/send-mail";
import { fixedClock } from "../../../shared/domain/clock";

/**
 * Exactly one email per queued mail, on the in-memory ports: a redelivery after a kill sends
 * at once (no lease to wait out), a live sender is never doubled, a failed send frees its claim.
 */
const body = { to: ["office@example.gov.cn"], subject: "【待办】依申请公开·登记：001-2026-00001", text: "请登记。" };
const SECOND = 1000;

function setup() {
  const clock = fixedClock("2026-03-02T02:00:00.000Z");
  const deps = memoryDeps(clock);
  const sent: OutgoingMail[] = [];
  const transport: MailTransport = { send: async (m) => void sent.push(m) };
  return { clock, deps, sent, transport };
}

/** A delivery of SQS message `sqsMessageId`, its invocation ending `endsInMs` from now (wall clock). */
const delivery = (sqsMessageId: string, receiveCount: number, endsInMs: number): MailDelivery => ({
  sqsMessageId,
  receiveCount,
  endsBy: new Date(Date.now() + endsInMs),
});

/** A transport that takes the mail and never answers: the sender is killed mid-send. */
const hangs = (): MailTransport & { entered: Promise<void> } => {
  let enter!: () => void;
  const entered = new Promise<void>((r) => (enter = r));
  return { entered, send: () => (enter(), new Promise<void>(() => undefined)) };
};

describe("sendQueuedMail", () => {
  it("sends once, and a redelivery finds it sent", async () => {
    const { deps, sent, transport } = setup();

    expect(await sendQueuedMail(deps, transport, "m-1", body, delivery("sqs-1", 1, 30 * SECOND))).toBe("sent");
    expect(await sendQueuedMail(deps, transport, "m-1", body, delivery("sqs-1", 2, 30 * SECOND))).toBe("already_sent");

    expect(sent.map((m) => m.messageId)).toEqual(["m-1"]);
    expect(await deps.store.mail.get("m-1")).toMatchObject({ state: "sent" });
  });

  it("records which delivery holds the claim and until when", async () => {
    const { deps } = setup();
    const killed = hangs();
    const first = delivery("sqs-1", 1, 30 * SECOND);

    void sendQueuedMail(deps, killed, "m-1", body, first);
    await killed.entered;

    expect(await deps.store.mail.get("m-1")).toMatchObject({
      state: "sending",
      claimId: expect.any(String),
      holder: { sqsMessageId: "sqs-1", receiveCount: 1, endsBy: first.endsBy.toISOString() },
    });
  });

  it("after a kill mid-send, the next delivery of the message sends at once: no lease is waited out", async () => {
    // Prepare: delivery 1 claimed and died in the send; its invocation is over (its end has passed)
    const { deps, sent, transport } = setup();
    const killed = hangs();
    void sendQueuedMail(deps, killed, "m-1", body, delivery("sqs-1", 1, -5 * SECOND));
    await killed.entered;

    // Act: SQS redelivers it (visibility window passed: receive count 2); the clock has not moved
    const result = await sendQueuedMail(deps, transport, "m-1", body, delivery("sqs-1", 2, 30 * SECOND));

    // Assess
    expect(result).toBe("sent");
    expect(sent).toHaveLength(1);
    expect(await deps.store.mail.get("m-1")).toMatchObject({ state: "sent" });
  });

  it("after a restart, the relay's new copy (another SQS message) takes over the dead claim too", async () => {
    const { deps, sent, transport } = setup();
    const killed = hangs();
    void sendQueuedMail(deps, killed, "m-1", body, delivery("sqs-1", 1, -5 * SECOND));
    await killed.entered;

    expect(await sendQueuedMail(deps, transport, "m-1", body, delivery("sqs-relayed", 1, 30 * SECOND))).toBe("sent");
    expect(sent).toHaveLength(1);
  });

  it("never sends beside a live sender: neither a second copy nor a late redelivery while its invocation may still run", async () => {
    // Prepare: delivery 1 is sending right now, its invocation has 25 s left
    const { deps, sent, transport } = setup();
    const slow = hangs();
    void sendQueuedMail(deps, slow, "m-1", body, delivery("sqs-1", 1, 25 * SECOND));
    await slow.entered;

    // Act: a duplicate copy, and the same message redelivered (a throttled invocation can start late,
    // so a later receive count alone does not prove the holder dead)
    const copy = await sendQueuedMail(deps, transport, "m-1", body, delivery("sqs-2", 1, 30 * SECOND));
    const redelivered = await sendQueuedMail(deps, transport, "m-1", body, delivery("sqs-1", 2, 30 * SECOND));

    // Assess
    expect([copy, redelivered]).toEqual(["in_progress", "in_progress"]);
    expect(sent).toEqual([]);
    expect(await deps.store.mail.get("m-1")).toMatchObject({ state: "sending", holder: { sqsMessageId: "sqs-1", receiveCount: 1 } });
  });

  it("a failed send gives its claim up, so the next delivery tries at once", async () => {
    const { deps, sent, transport } = setup();
    const down: MailTransport = { send: async () => Promise.reject(new Error("ECONNREFUSED")) };

    await expect(sendQueuedMail(deps, down, "m-1", body, delivery("sqs-1", 1, 30 * SECOND))).rejects.toThrow("ECONNREFUSED");
    expect(await deps.store.mail.get("m-1")).toBeUndefined();

    // the 10-s backoff later, well inside the failed invocation's 30 s
    expect(await sendQueuedMail(deps, transport, "m-1", body, delivery("sqs-1", 2, 30 * SECOND))).toBe("sent");
    expect(sent).toHaveLength(1);
  });

  it("a missing attachment is retried, and frees the claim as well", async () => {
    const { deps, transport } = setup();
    const withLetter = { ...body, attachments: [{ key: "letters/x.docx", filename: "答复书.docx", contentType: "application/octet-stream" }] };

    await expect(sendQueuedMail(deps, transport, "m-1", withLetter, delivery("sqs-1", 1, 30 * SECOND))).rejects.toThrow("attachment letters/x.docx missing");

    expect(await deps.store.mail.get("m-1")).toBeUndefined();
  });

  it("two deliveries that find the same dead claim: exactly one takes it over and sends", async () => {
    const { deps, sent, transport } = setup();
    const killed = hangs();
    void sendQueuedMail(deps, killed, "m-1", body, delivery("sqs-1", 1, -5 * SECOND));
    await killed.entered;

    const results = await Promise.all([
      sendQueuedMail(deps, transport, "m-1", body, delivery("sqs-1", 2, 30 * SECOND)),
      sendQueuedMail(deps, transport, "m-1", body, delivery("sqs-relayed", 1, 30 * SECOND)),
    ]);

    expect(results.sort()).toEqual(["in_progress", "sent"]);
    expect(sent).toHaveLength(1);
  });

  it("a claim that names no delivery (an older sender's, or a caller outside a queue) keeps its 60-s lease", async () => {
    const { clock, deps, sent, transport } = setup();
    const killed = hangs();
    void sendQueuedMail(deps, killed, "m-1", body);
    await killed.entered;

    expect(await sendQueuedMail(deps, transport, "m-1", body, delivery("sqs-1", 2, 30 * SECOND))).toBe("in_progress");
    clock.advance(60 * SECOND);
    expect(await sendQueuedMail(deps, transport, "m-1", body, delivery("sqs-1", 3, 30 * SECOND))).toBe("sent");
    expect(sent).toHaveLength(1);
  });
});
