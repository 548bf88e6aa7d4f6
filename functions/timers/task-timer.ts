import { appDeps } from "../../shared/adapters/aws/app-deps";
import { queueConsumer } from "../../shared/adapters/aws/queue-consumer";
import { taskTimerMessage } from "../../shared/schemas/messages";
import { handleTaskTimer } from "../../shared/app/handle-task-timer";

export const handler = queueConsumer("task-timer", taskTimerMessage, (message) =>
  handleTaskTimer(appDeps(), { ...message, type: "task.timer" }),
);
