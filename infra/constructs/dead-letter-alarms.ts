import { Duration } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as actions from "aws-cdk-lib/aws-cloudwatch-actions";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as sns from "aws-cdk-lib/aws-sns";
import * as subscriptions from "aws-cdk-lib/aws-sns-subscriptions";
import { Construct } from "constructs";
import type { QueueName } from "../../shared/manifest";
import { lookup } from "../lookup";
import { pascalCase } from "../names";
import type { QueueLookup } from "./work-queues";

/** One alarm per dead-letter queue (every step queue's too): any message there means a hand-off failed for good. */
export class DeadLetterAlarms extends Construct {
  private readonly alarms: Record<QueueName, cloudwatch.Alarm> = {};
  /** Every alarm notifies this topic; `alarmEmail` subscribes an operator's mailbox to it. */
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: { queues: QueueLookup; key: kms.IKey; alarmEmail?: string }) {
    super(scope, id);
    this.topic = new sns.Topic(this, "Topic", { displayName: "公开系统告警", masterKey: props.key, enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    const notify = new actions.SnsAction(this.topic);
    for (const name of props.queues.names) {
      const alarm = new cloudwatch.Alarm(this, `${pascalCase(name)}DeadLetters`, {
        alarmDescription: `死信队列（${name}）中有未能处理的消息，请排查原因后重新投递。`,
        metric: props.queues.deadLetters(name).metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: "Maximum" }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(notify);
      this.alarms[name] = alarm;
    }
  }

  alarm(name: QueueName): cloudwatch.Alarm {
    return lookup(this.alarms, name, "queue");
  }
}
