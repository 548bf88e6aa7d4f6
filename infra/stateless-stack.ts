import type { StackProps } from "aws-cdk-lib";
import { Stack } from "aws-cdk-lib";
import type * as logs from "aws-cdk-lib/aws-logs";
import type { Construct } from "constructs";
import type { FunctionSpec } from "../shared/manifest";
import type { AppFunction } from "./constructs/app-function";
import { DeadLetterAlarms } from "./constructs/dead-letter-alarms";
import { GongkaiHttpApi } from "./constructs/http-api";
import { TimerScheduler } from "./constructs/timer-scheduler";
import type { EntryBundles } from "./entry-bundles";
import type { FunctionContext } from "./function-wiring";
import { deployFunction } from "./function-wiring";
import type { GrantTargets } from "./grants";
import type { AgencySettings } from "./settings";
import type { StatefulStack } from "./stateful-stack";

export interface StatelessStackProps extends StackProps {
  stateful: StatefulStack;
  settings: AgencySettings;
  logRetention: logs.RetentionDays;
  bundles: EntryBundles;
  /** the functions this stack deploys: every deployable one that is not a workflow step */
  functions: FunctionSpec[];
}

/**
 * Code and wiring shared by all workflows, safe to replace on every deploy: the HTTP
 * API and its functions, the timer, sweeper, mail, relay and archiver functions, the
 * Scheduler group and role, and one alarm per dead-letter queue. Workflow steps'
 * consumers live in their own stacks (infra/workflow-stack.ts).
 */
export class StatelessStack extends Stack {
  readonly functions: Record<string, AppFunction> = {};
  readonly httpApi: GongkaiHttpApi;
  readonly timers: TimerScheduler;
  readonly alarms: DeadLetterAlarms;
  /** base URL for links in email: the agency's setting, else the API endpoint */
  readonly publicBaseUrl: string;
  readonly grantTargets: GrantTargets;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { stateful, settings, logRetention } = props;

    this.httpApi = new GongkaiHttpApi(this, "Http", { rateLimit: settings.apiRateLimit, burstLimit: settings.apiBurstLimit, logRetention });
    this.timers = new TimerScheduler(this, "Timers", { timersQueue: stateful.queues.queue("timers"), key: stateful.key });
    this.alarms = new DeadLetterAlarms(this, "Alarms", { queues: stateful.queues, key: stateful.key, alarmEmail: settings.alarmEmail });
    this.publicBaseUrl = settings.publicBaseUrl ?? this.httpApi.api.apiEndpoint;
    this.grantTargets = { table: stateful.table, queues: stateful.queues, filesBucket: stateful.filesBucket, timers: this.timers, settings };

    const context: FunctionContext = {
      targets: this.grantTargets,
      bundles: props.bundles,
      settings,
      logRetention,
      publicBaseUrl: this.publicBaseUrl,
      httpApi: this.httpApi,
    };
    for (const spec of props.functions) this.functions[spec.name] = deployFunction(this, spec, context);
  }
}
