import { Duration } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import type { QueueName } from "../../shared/manifest";
import { pascalCase } from "../names";

/** One alarm per dead-letter queue: any message there means a hand-off failed for good. */
export class DeadLetterAlarms extends Construct {
  readonly alarms = {} as Record<QueueName, cloudwatch.Alarm>;

  constructor(scope: Construct, id: string, props: { deadLetterQueues: Record<QueueName, sqs.IQueue> }) {
    super(scope, id);
    for (const [name, queue] of Object.entries(props.deadLetterQueues) as [QueueName, sqs.IQueue][]) {
      this.alarms[name] = new cloudwatch.Alarm(this, `${pascalCase(name)}DeadLetters`, {
        alarmDescription: `死信队列（${name}）中有未能处理的消息，请排查原因后重新投递。`,
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: "Maximum" }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }
  }
}
