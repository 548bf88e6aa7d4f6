import { appDeps } from "../../shared/adapters/aws/app-deps";
import { queueConsumer } from "../../shared/adapters/aws/queue-consumer";
import { timerMessage } from "../../shared/schemas/messages";
import { handleTaskTimer } from "../../shared/app/handle-task-timer";
import { handleCaseTimer } from "../../shared/app/handle-case-timer";

export const handler = queueConsumer("deadline-timer", timerMessage, (message) =>
  message.type === "task.timer" ? handleTaskTimer(appDeps(), message) : handleCaseTimer(appDeps(), message),
);
