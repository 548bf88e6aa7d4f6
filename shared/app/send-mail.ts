import { randomUUID } from "node:crypto";
import type { AppDeps } from "./deps";
import type { MailTransport } from "../adapters/mail-transport";
import type { MailBody } from "./mail";
import type { MailClaim } from "./ports/store";

/** How long a claim that names no delivery (an older sender's, or a caller outside a queue) is presumed alive. */
const LEASE_MS = 60_000;
/** Slack on a holder's end: the invocation that ends then may have been timed on another host's clock. */
const CLOCK_SLACK_MS = 2_000;

export type MailResult = "sent" | "already_sent" | "in_progress";

/** The queue delivery doing the sending (the consumer's Delivery): who holds the claim, and until when at most. */
export interface MailDelivery {
  sqsMessageId: string;
  receiveCount: number;
  /** wall-clock moment by which this delivery's invocation is over: Lambda stops it at its timeout */
  endsBy: Date;
}

/**
 * Whether the holder of a "sending" claim may still be at work. A claim names its delivery
 * and the moment its invocation ends at the latest; after that it is dead, whatever it was
 * doing (a kill, a timeout, a lost machine). A later delivery of the same SQS message
 * arrives only once the holder's visibility window has passed, but that alone proves
 * nothing: an invocation that Lambda started late (throttled) may still be running then.
 * The end of the invocation does.
 */
export function holderMayBeRunning(claim: MailClaim, wallNow: number, domainNow: Date): boolean {
  if (claim.holder) return wallNow < Date.parse(claim.holder.endsBy) + CLOCK_SLACK_MS;
  return domainNow.getTime() - Date.parse(claim.claimedAt) < LEASE_MS;
}

/**
 * Sends one queued mail at most once per message id: claim the id, send, then mark it
 * sent. A redelivered message finds the mark and stops. The claim records which delivery
 * holds it and when that delivery's invocation ends, so the next delivery after a kill
 * sends at once instead of waiting out a lease; a send that fails gives its claim up, so
 * the next delivery need not wait either. While a live sender holds the claim, nobody
 * else sends. (What stays at-least-once: a kill between the mail server's acceptance and
 * the "sent" mark sends that mail again.) Letters named as attachments are read from the
 * files bucket.
 */
export async function sendQueuedMail(
  deps: Pick<AppDeps, "store" | "files" | "clock" | "config">,
  transport: MailTransport,
  messageId: string,
  body: MailBody,
  delivery?: MailDelivery,
): Promise<MailResult> {
  const now = deps.clock.now();
  const existing = await deps.store.mail.get(messageId);
  if (existing?.state === "sent") return "already_sent";
  if (existing?.state === "sending" && holderMayBeRunning(existing, Date.now(), now)) return "in_progress";
  const claimId = randomUUID();
  const holder = delivery && { sqsMessageId: delivery.sqsMessageId, receiveCount: delivery.receiveCount, endsBy: delivery.endsBy.toISOString() };
  if (!(await deps.store.mail.claim(messageId, { claimId, at: now.toISOString(), ...(holder ? { holder } : {}) }, existing))) return "in_progress";
  try {
    const attachments = [];
    for (const a of body.attachments ?? []) {
      const file = await deps.files.get(a.key);
      // a letter that is not there (yet) is retried, never silently left out
      if (!file) throw new Error(`attachment ${a.key} missing`);
      attachments.push({ filename: a.filename, content: file.body, contentType: a.contentType });
    }
    await transport.send({ from: deps.config.mail.from, to: body.to, subject: body.subject, text: body.text, messageId, attachments });
  } catch (error) {
    // this delivery stops here: the next one may try at once (best effort; else the claim's end frees it)
    await deps.store.mail.release(messageId, claimId).catch(() => undefined);
    throw error;
  }
  await deps.store.mail.markSent(messageId, deps.clock.now().toISOString());
  return "sent";
}
