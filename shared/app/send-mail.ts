import type { AppDeps } from "./deps";
import type { MailTransport } from "../adapters/mail-transport";
import type { MailBody } from "./mail";

const LEASE_MS = 60_000;

export type MailResult = "sent" | "already_sent" | "in_progress";

/**
 * Sends one queued mail at most once per message id: claim the id, send, then mark
 * it sent. A redelivered message finds the mark and stops; a claim whose sender died
 * is taken over once its lease has run out. Letters named as attachments are read
 * from the files bucket.
 */
export async function sendQueuedMail(
  deps: Pick<AppDeps, "store" | "files" | "clock" | "config">,
  transport: MailTransport,
  messageId: string,
  body: MailBody,
): Promise<MailResult> {
  const now = deps.clock.now();
  const existing = await deps.store.mail.get(messageId);
  if (existing?.state === "sent") return "already_sent";
  if (existing?.state === "sending" && now.getTime() - Date.parse(existing.claimedAt) < LEASE_MS) return "in_progress";
  if (!(await deps.store.mail.claim(messageId, now.toISOString(), existing?.claimedAt))) return "in_progress";
  const attachments = [];
  for (const a of body.attachments ?? []) {
    const file = await deps.files.get(a.key);
    // a letter that is not there (yet) is retried, never silently left out
    if (!file) throw new Error(`attachment ${a.key} missing`);
    attachments.push({ filename: a.filename, content: file.body, contentType: a.contentType });
  }
  await transport.send({ from: deps.config.mail.from, to: body.to, subject: body.subject, text: body.text, messageId, attachments });
  await deps.store.mail.markSent(messageId, deps.clock.now().toISOString());
  return "sent";
}
