import { appDeps } from "../../shared/adapters/aws/app-deps";
import { queueConsumer } from "../../shared/adapters/aws/queue-consumer";
import { timerMessage } from "../../shared/schemas/messages";
import { handleCaseTimer, handleTaskTimer } from "../../shared/app/engine/timers";

export const handler = queueConsumer("deadline-timer", timerMessage, (message) =>
  message.type === "task.timer" ? handleTaskTimer(appDeps(), message) : handleCaseTimer(appDeps(), message),
);
