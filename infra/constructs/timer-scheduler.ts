import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as scheduler from "aws-cdk-lib/aws-scheduler";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Stack } from "aws-cdk-lib";
import { Construct } from "constructs";
import { scheduleGroupName } from "../../shared/manifest";

/**
 * The Scheduler group that holds task timers and the role Scheduler assumes to
 * deliver them. The role can do one thing: put a message on the timers queue.
 * (Timers are re-derivable from the table, so the group may live in the stateless stack.)
 */
export class TimerScheduler extends Construct {
  readonly group: scheduler.ScheduleGroup;
  readonly role: iam.Role;
  /** `arn:...:schedule/<group>/*`: the only schedules functions may manage */
  readonly schedulesArn: string;

  constructor(scope: Construct, id: string, props: { timersQueue: sqs.IQueue; key: kms.IKey }) {
    super(scope, id);
    const stack = Stack.of(this);
    this.group = new scheduler.ScheduleGroup(this, "Group", { scheduleGroupName });
    this.role = new iam.Role(this, "Role", {
      description: "EventBridge Scheduler delivering Gongkai task timers to the timers queue",
      // Confused-deputy guard: only schedules of this account may use the role.
      assumedBy: new iam.ServicePrincipal("scheduler.amazonaws.com", {
        conditions: { StringEquals: { "aws:SourceAccount": stack.account } },
      }),
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ["sqs:SendMessage"], resources: [props.timersQueue.queueArn] }),
    );
    // SSE-KMS queue: the sender needs a data key.
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ["kms:GenerateDataKey", "kms:Decrypt"], resources: [props.key.keyArn] }),
    );
    this.schedulesArn = stack.formatArn({ service: "scheduler", resource: "schedule", resourceName: `${scheduleGroupName}/*` });
  }
}
