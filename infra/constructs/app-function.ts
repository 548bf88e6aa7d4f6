import type { CfnElement } from "aws-cdk-lib";
import { Duration, Stack, Validations } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import type { IConstruct } from "constructs";
import { Construct } from "constructs";
import { DEFAULT_MEMORY_MB, type FunctionSpec } from "../../shared/manifest";

export interface AppFunctionProps {
  spec: FunctionSpec;
  /** the bundle of `spec.entry`, shared by every function of the stack with that entry (infra/entry-bundles.ts) */
  code: lambda.Code;
  environment: Record<string, string>;
  logLevel: string;
  logRetention: logs.RetentionDays;
}

/** Metadata key on each CfnFunction; scripts/list-synth.mjs reads it back. */
export const functionMetadataKey = "gongkai:function";

/** Lambda's hard limit; a manifest timeout above it would only fail at deploy time. */
const maxTimeoutSeconds = 900;

/** `application/register` for a step function: how its logs, metrics and the synth listing name the step. */
export function stepLabel(spec: FunctionSpec): string | undefined {
  return spec.step ? `${spec.step.workflow}/${spec.step.step}` : undefined;
}

/**
 * The house Lambda: Node 22 on ARM64, an ESM bundle (one per entry, see
 * infra/entry-bundles.ts), its own log group, X-Ray, Powertools settings, and a role
 * that starts empty — grants are added only from the manifest entry (infra/grants.ts).
 */
export class AppFunction extends Construct {
  readonly fn: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    super(scope, id);
    const { spec } = props;
    const timeoutSeconds = spec.timeoutSeconds ?? 30;
    if (timeoutSeconds < 1 || timeoutSeconds > maxTimeoutSeconds) {
      throw new Error(`${spec.name}: timeoutSeconds ${timeoutSeconds} is outside Lambda's 1–${maxTimeoutSeconds} s`);
    }
    const step = stepLabel(spec);
    this.logGroup = new logs.LogGroup(this, "Logs", { retention: props.logRetention });
    // Our own role, so no AWS managed policy (AWSLambdaBasicExecutionRole) sneaks in.
    this.role = new iam.Role(this, "Role", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      description: `Gongkai ${spec.name}: only the grants named in shared/manifest.ts`,
    });
    this.fn = new lambda.Function(this, "Function", {
      code: props.code,
      handler: "index.handler",
      description: spec.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: spec.memoryMb ?? DEFAULT_MEMORY_MB,
      timeout: Duration.seconds(timeoutSeconds),
      role: this.role,
      logGroup: this.logGroup,
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        POWERTOOLS_SERVICE_NAME: spec.name,
        LOG_LEVEL: props.logLevel,
        ...props.environment,
      },
    });
    this.logGroup.grantWrite(this.role);

    const cfn = this.fn.node.defaultChild as lambda.CfnFunction;
    cfn.addMetadata(functionMetadataKey, { name: spec.name, entry: spec.entry, trigger: spec.trigger.kind, ...(step ? { step } : {}) });

    Validations.of(this.fn).acknowledge({
      id: "AwsSolutions-L1",
      reason: "The project targets nodejs22.x on purpose (the runtime the handlers are tested on); nodejs24.x is adopted deliberately, not by drift.",
    });
    Validations.of(this.role).acknowledge({
      id: "AwsSolutions-IAM5[Resource::*]",
      reason: "X-Ray PutTraceSegments/PutTelemetryRecords (active tracing) support no resource-level permissions; '*' is the only valid resource.",
    });
  }
}

/** Logical id as cdk-nag prints it inside `<...>`. */
export function logicalIdOf(construct: IConstruct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}
