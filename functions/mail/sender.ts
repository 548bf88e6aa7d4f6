import { appDeps } from "../../shared/adapters/aws/app-deps";
import { queueConsumer } from "../../shared/adapters/aws/queue-consumer";
import { createMailTransport, type MailTransport } from "../../shared/adapters/mail-transport";
import { mailSendMessage } from "../../shared/schemas/messages";
import { sendQueuedMail } from "../../shared/app/send-mail";

let transport: MailTransport | undefined;

export const handler = queueConsumer("mail-sender", mailSendMessage, async (message, _record, delivery) => {
  const deps = appDeps();
  transport ??= createMailTransport(deps.config.mail);
  const result = await sendQueuedMail(deps, transport, message.messageId, message, delivery);
  // another delivery holds the claim: retry later, when it has either sent or given up
  if (result === "in_progress") throw new Error("mail is being sent by another delivery");
  return result;
}, (messageId) => appDeps().outbox.acknowledge(messageId));
