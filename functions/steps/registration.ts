import { appDeps } from "../../shared/adapters/aws/app-deps";
import { queueConsumer } from "../../shared/adapters/aws/queue-consumer";
import { applicationReceivedMessage } from "../../shared/schemas/messages";
import { openRegistrationTask } from "../../shared/app/open-registration-task";

export const handler = queueConsumer("registration-step", applicationReceivedMessage, (message) =>
  openRegistrationTask(appDeps(), message.caseId),
  (messageId) => appDeps().outbox.acknowledge(messageId),
);
