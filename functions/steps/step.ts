import { appDeps } from "../../shared/adapters/aws/app-deps";
import { queueConsumer } from "../../shared/adapters/aws/queue-consumer";
import { stepMessage } from "../../shared/schemas/messages";
import { handleStepMessage } from "../../shared/app/engine/step";
import "../../shared/app/workflow-hooks";

/** Every workflow step's Lambda (one per step in the manifest, this one entry): the hand-off to the step's reviewers. */
export const handler = queueConsumer(
  "workflow-step",
  stepMessage,
  (message) => handleStepMessage(appDeps(), message),
  (messageId) => appDeps().outbox.acknowledge(messageId),
);
