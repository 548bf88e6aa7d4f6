import type { AppDeps } from "./deps";
import type { MailTransport } from "../adapters/mail-transport";
import type { MailBody } from "./mail";
import { ConcurrentChangeError } from "./errors";

const LEASE_MS = 60_000;

export type MailResult = "sent" | "already_sent" | "in_progress";

/**
 * Sends one queued mail at most once per message id: claim the id in the table,
 * send, then mark it sent. A redelivered message finds the mark and stops; a claim
 * whose sender died is taken over once its lease has run out.
 */
export async function sendQueuedMail(
  deps: Pick<AppDeps, "table" | "clock" | "config">,
  transport: MailTransport,
  messageId: string,
  body: MailBody,
): Promise<MailResult> {
  const key = { pk: `MAIL#${messageId}`, sk: "MAIL" };
  const now = deps.clock.now();
  const existing = await deps.table.get<{ state: string; claimedAt: string }>(key.pk, key.sk);
  if (existing?.state === "sent") return "already_sent";
  if (existing?.state === "sending" && now.getTime() - Date.parse(existing.claimedAt) < LEASE_MS) return "in_progress";
  try {
    await deps.table.put(
      { ...key, state: "sending", claimedAt: now.toISOString(), caseId: body.caseId, expiresAt: ttl(now, 90) },
      existing
        ? { expression: "claimedAt = :seen", values: { ":seen": existing.claimedAt } }
        : { expression: "attribute_not_exists(pk)" },
    );
  } catch (error) {
    if (error instanceof ConcurrentChangeError) return "in_progress";
    throw error;
  }
  await transport.send({ from: deps.config.mail.from, to: body.to, subject: body.subject, text: body.text, messageId });
  await deps.table.update({
    ...key,
    set: "#state = :sent, sentAt = :at",
    names: { "#state": "state" },
    values: { ":sent": "sent", ":at": deps.clock.now().toISOString() },
  });
  return "sent";
}

function ttl(now: Date, days: number): number {
  return Math.floor(now.getTime() / 1000) + days * 86_400;
}
