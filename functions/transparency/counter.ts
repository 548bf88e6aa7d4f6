import { appDeps } from "../../shared/adapters/aws/app-deps";
import { queueConsumer } from "../../shared/adapters/aws/queue-consumer";
import { caseChangedMessage } from "../../shared/schemas/messages";
import { countCaseChange } from "../../shared/app/transparency/counters";

/** The transparency counters' consumer: a changed case's figures into its agency's counters, once per case version. */
export const handler = queueConsumer(
  "transparency-counter",
  caseChangedMessage,
  (message) => countCaseChange(appDeps(), message.caseId),
  (messageId) => appDeps().outbox.acknowledge(messageId),
);
