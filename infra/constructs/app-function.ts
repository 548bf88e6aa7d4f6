import type { CfnElement } from "aws-cdk-lib";
import { Duration, Stack, Validations } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { NodejsFunction, OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import * as logs from "aws-cdk-lib/aws-logs";
import type { IConstruct } from "constructs";
import { Construct } from "constructs";
import path from "node:path";
import type { FunctionSpec } from "../../shared/manifest";

export interface AppFunctionProps {
  spec: FunctionSpec;
  /** absolute path of the repository root (entries in the manifest are relative to it) */
  repoRoot: string;
  environment: Record<string, string>;
  logLevel: string;
  logRetention: logs.RetentionDays;
}

/** Metadata key on each CfnFunction; scripts/list-synth.mjs reads it back. */
export const functionMetadataKey = "gongkai:function";

/**
 * The house Lambda: Node 22 on ARM64, bundled ESM by local esbuild (no Docker),
 * its own log group, X-Ray, Powertools settings, and a role that starts empty —
 * grants are added only from the manifest entry (see infra/grants.ts).
 */
export class AppFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    super(scope, id);
    const { spec } = props;
    this.logGroup = new logs.LogGroup(this, "Logs", { retention: props.logRetention });
    // Our own role, so no AWS managed policy (AWSLambdaBasicExecutionRole) sneaks in.
    this.role = new iam.Role(this, "Role", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      description: `Gongkai ${spec.name}: only the grants named in shared/manifest.ts`,
    });
    this.fn = new NodejsFunction(this, "Function", {
      entry: path.join(props.repoRoot, spec.entry),
      handler: "handler",
      projectRoot: props.repoRoot,
      depsLockFilePath: path.join(props.repoRoot, "package-lock.json"),
      description: spec.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: spec.memoryMb ?? 512,
      timeout: Duration.seconds(spec.timeoutSeconds ?? 30),
      role: this.role,
      logGroup: this.logGroup,
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        POWERTOOLS_SERVICE_NAME: spec.name,
        LOG_LEVEL: props.logLevel,
        NODE_OPTIONS: "--enable-source-maps",
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: "node22",
        mainFields: ["module", "main"],
        // Some CommonJS dependencies call require(); ESM output has none without this.
        banner: "import { createRequire as __gongkaiCreateRequire } from 'node:module'; const require = __gongkaiCreateRequire(import.meta.url);",
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // Bundle the SDK too: the version we test is the version that runs.
        externalModules: [],
      },
    });
    this.logGroup.grantWrite(this.role);

    const cfn = this.fn.node.defaultChild as lambda.CfnFunction;
    cfn.addMetadata(functionMetadataKey, { name: spec.name, entry: spec.entry, trigger: spec.trigger.kind });

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
