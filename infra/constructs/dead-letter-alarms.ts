import { Duration } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as actions from "aws-cdk-lib/aws-cloudwatch-actions";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as sns from "aws-cdk-lib/aws-sns";
import * as subscriptions from "aws-cdk-lib/aws-sns-subscriptions";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import type { QueueName } from "../../shared/manifest";
import { pascalCase } from "../names";

/** One alarm per dead-letter queue: any message there means a hand-off failed for good. */
export class DeadLetterAlarms extends Construct {
  readonly alarms = {} as Record<QueueName, cloudwatch.Alarm>;
  /** Every alarm notifies this topic; `alarmEmail` subscribes an operator's mailbox to it. */
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: { deadLetterQueues: Record<QueueName, sqs.IQueue>; key: kms.IKey; alarmEmail?: string }) {
    super(scope, id);
    this.topic = new sns.Topic(this, "Topic", { displayName: "公开系统告警", masterKey: props.key, enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    for (const [name, queue] of Object.entries(props.deadLetterQueues) as [QueueName, sqs.IQueue][]) {
      this.alarms[name] = new cloudwatch.Alarm(this, `${pascalCase(name)}DeadLetters`, {
        alarmDescription: `死信队列（${name}）中有未能处理的消息，请排查原因后重新投递。`,
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: "Maximum" }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      this.alarms[name].addAlarmAction(new actions.SnsAction(this.topic));
    }
  }
}
