import { Validations } from "aws-cdk-lib";
import * as apigw from "aws-cdk-lib/aws-apigateway";
import * as apigwv2 from "aws-cdk-lib/aws-apigatewayv2";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { pascalCase } from "../names";

export interface HttpApiProps {
  rateLimit: number;
  burstLimit: number;
  logRetention: logs.RetentionDays;
}

/** The HTTP API in front of the portal and console functions, with access logs and throttling. */
export class GongkaiHttpApi extends Construct {
  readonly api: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;

  constructor(scope: Construct, id: string, props: HttpApiProps) {
    super(scope, id);
    const accessLogs = new logs.LogGroup(this, "AccessLogs", { retention: props.logRetention });
    this.api = new apigwv2.HttpApi(this, "Api", {
      description: "Gongkai portal, console and JSON API",
      createDefaultStage: false,
    });
    this.stage = this.api.addStage("DefaultStage", {
      stageName: "$default",
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit, burstLimit: props.burstLimit },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(accessLogs),
        // No query strings or bodies: they may carry personal data.
        format: apigw.AccessLogFormat.custom(
          JSON.stringify({
            requestId: "$context.requestId",
            time: "$context.requestTime",
            routeKey: "$context.routeKey",
            status: "$context.status",
            latency: "$context.responseLatency",
            integrationError: "$context.integrationErrorMessage",
          }),
        ),
      },
    });
  }

  /** Routes every path to `fn` with method ANY (the function's router answers 405); `$default` catches the rest. */
  route(name: string, fn: lambda.IFunction, paths: string[]): void {
    const integration = new HttpLambdaIntegration(`${pascalCase(name)}Integration`, fn);
    for (const path of paths) {
      const routes =
        path === "$default"
          ? [new apigwv2.HttpRoute(this, `${pascalCase(name)}DefaultRoute`, { httpApi: this.api, routeKey: apigwv2.HttpRouteKey.DEFAULT, integration })]
          : this.api.addRoutes({ path, methods: [apigwv2.HttpMethod.ANY], integration });
      for (const route of routes) {
        Validations.of(route).acknowledge({
          id: "AwsSolutions-APIG4",
          reason:
            "Citizens use the portal without an account (申请人凭查询码访问), and staff sign in through /api/v1/auth/login; the functions check the access code or the session token themselves.",
        });
      }
    }
  }
}
