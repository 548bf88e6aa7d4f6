import { Duration, Stack, TimeZone, Validations } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as scheduler from "aws-cdk-lib/aws-scheduler";
import { LambdaInvoke } from "aws-cdk-lib/aws-scheduler-targets";
import { Construct } from "constructs";
import type { ScheduleTrigger } from "../../shared/manifest";
import { logicalIdOf } from "./app-function";

/**
 * An EventBridge Scheduler schedule that invokes one function, with a role that may
 * invoke only that function. `rate()` ticks are frequent and re-drive everything, so a
 * missed one is harmless and never retried; a `cron()` run (e.g. the yearly archive)
 * may have no next run for months, so Scheduler keeps retrying it for up to a day.
 */
export class ScheduledInvoke extends Construct {
  readonly schedule: scheduler.Schedule;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: { name: string; fn: lambda.IFunction; trigger: ScheduleTrigger }) {
    super(scope, id);
    const { trigger } = props;
    const isCron = trigger.expression.startsWith("cron(");
    if (trigger.timezone && !isCron) throw new Error(`${props.name}: a time zone applies to cron() expressions only, not ${trigger.expression}`);
    this.role = new iam.Role(this, "Role", {
      description: `EventBridge Scheduler invoking ${props.name}`,
      // Confused-deputy guard: only schedules of this account may use the role.
      assumedBy: new iam.ServicePrincipal("scheduler.amazonaws.com", {
        conditions: { StringEquals: { "aws:SourceAccount": Stack.of(this).account } },
      }),
    });
    this.schedule = new scheduler.Schedule(this, "Schedule", {
      description: `Invokes ${props.name}`,
      // Without a zone a cron() runs in UTC (CDK writes Etc/UTC): 02:00 on 10 January must be Beijing time when the manifest says so.
      schedule: scheduler.ScheduleExpression.expression(trigger.expression, trigger.timezone ? TimeZone.of(trigger.timezone) : undefined),
      target: new LambdaInvoke(
        props.fn,
        isCron
          ? { role: this.role, retryAttempts: 185, maxEventAge: Duration.hours(24) }
          : { role: this.role, retryAttempts: 0, maxEventAge: Duration.minutes(1) },
      ),
    });
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(props.fn)}.Arn>:*]`,
      reason: "CDK's invoke grant also covers the function's versions and aliases (ARN:*); it is still this one function only.",
    });
  }
}
