import type { StackProps } from "aws-cdk-lib";
import { Duration, Stack, Validations } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import * as logs from "aws-cdk-lib/aws-logs";
import * as scheduler from "aws-cdk-lib/aws-scheduler";
import { LambdaInvoke } from "aws-cdk-lib/aws-scheduler-targets";
import type { Construct } from "constructs";
import type { FunctionSpec } from "../shared/manifest";
import { functions, queues } from "../shared/manifest";
import { AppFunction, logicalIdOf } from "./constructs/app-function";
import { DeadLetterAlarms } from "./constructs/dead-letter-alarms";
import { GongkaiHttpApi } from "./constructs/http-api";
import { TimerScheduler } from "./constructs/timer-scheduler";
import type { GrantTargets } from "./grants";
import { applyGrants, functionEnvironment } from "./grants";
import { pascalCase } from "./names";
import type { AgencySettings } from "./settings";
import type { StatefulStack } from "./stateful-stack";

export interface StatelessStackProps extends StackProps {
  stateful: StatefulStack;
  settings: AgencySettings;
  repoRoot: string;
}

/** Functions deployed to AWS: every manifest entry except the local-only ones. */
export const deployableFunctions: FunctionSpec[] = functions.filter((spec) => !spec.localOnly);

/** Code and wiring, safe to replace on every deploy: functions, API, schedules, alarms. */
export class StatelessStack extends Stack {
  readonly functions: Record<string, AppFunction> = {};
  readonly httpApi: GongkaiHttpApi;
  readonly timers: TimerScheduler;
  readonly alarms: DeadLetterAlarms;
  private readonly stateful: StatefulStack;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { stateful, settings } = props;
    this.stateful = stateful;
    const logRetention = toRetention(settings.logRetentionDays);

    this.httpApi = new GongkaiHttpApi(this, "Http", { rateLimit: settings.apiRateLimit, burstLimit: settings.apiBurstLimit, logRetention });
    this.timers = new TimerScheduler(this, "Timers", { timersQueue: stateful.queues.timers, key: stateful.key });
    this.alarms = new DeadLetterAlarms(this, "Alarms", { deadLetterQueues: stateful.deadLetterQueues, key: stateful.key, alarmEmail: settings.alarmEmail });

    const targets: GrantTargets = { table: stateful.table, queues: stateful.queues, filesBucket: stateful.filesBucket, timers: this.timers, settings };
    const publicBaseUrl = settings.publicBaseUrl ?? this.httpApi.api.apiEndpoint;

    for (const spec of deployableFunctions) {
      const fn = new AppFunction(this, pascalCase(spec.name), {
        spec,
        repoRoot: props.repoRoot,
        environment: functionEnvironment(spec, targets, publicBaseUrl),
        logLevel: settings.logLevel,
        logRetention,
      });
      applyGrants(fn, spec, targets);
      this.wireTrigger(fn, spec);
      this.functions[spec.name] = fn;
    }
  }

  private wireTrigger(target: AppFunction, spec: FunctionSpec): void {
    const { trigger } = spec;
    switch (trigger.kind) {
      case "http":
        this.httpApi.route(spec.name, target.fn, trigger.paths);
        return;
      case "queue": {
        const visibility = queues[trigger.queue].visibilityTimeoutSeconds;
        // Lambda rejects a mapping whose queue may redeliver while the function still runs.
        if ((spec.timeoutSeconds ?? 30) > visibility) {
          throw new Error(`${spec.name}: timeout exceeds the ${trigger.queue} queue's visibility timeout (${visibility}s)`);
        }
        target.fn.addEventSource(
          new SqsEventSource(this.stateful.queues[trigger.queue], { batchSize: trigger.batchSize, reportBatchItemFailures: true }),
        );
        return;
      }
      case "schedule": {
        const id = pascalCase(spec.name);
        const role = new iam.Role(this, `${id}ScheduleRole`, {
          description: `EventBridge Scheduler invoking ${spec.name}`,
          assumedBy: new iam.ServicePrincipal("scheduler.amazonaws.com", {
            conditions: { StringEquals: { "aws:SourceAccount": this.account } },
          }),
        });
        new scheduler.Schedule(this, `${id}Schedule`, {
          description: `Invokes ${spec.name}`,
          schedule: scheduler.ScheduleExpression.expression(trigger.expression),
          // A missed tick is harmless (the next one re-drives everything), so no piling up of retries.
          target: new LambdaInvoke(target.fn, { role, retryAttempts: 0, maxEventAge: Duration.minutes(1) }),
        });
        Validations.of(role).acknowledge({
          id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(target.fn)}.Arn>:*]`,
          reason: "CDK's invoke grant also covers the function's versions and aliases (ARN:*); it is still this one function only.",
        });
        return;
      }
    }
  }
}

/** CloudWatch Logs accepts only certain retention periods; refuse anything else at synth. */
function toRetention(days: number): logs.RetentionDays {
  const allowed = Object.values(logs.RetentionDays).filter((v): v is number => typeof v === "number");
  if (!allowed.includes(days)) throw new Error(`logRetentionDays 必须是以下之一：${allowed.join(", ")}`);
  return days as logs.RetentionDays;
}
