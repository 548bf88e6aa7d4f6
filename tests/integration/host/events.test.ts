import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { APIGatewayProxyEventV2, SQSEvent } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { buildRouteTable, fromHandlerResult, isTextContentType } from "../../../shared/adapters/local/host-http";
import { failedMessageIds } from "../../../shared/adapters/local/host-sqs";
import { functions } from "../../../shared/manifest";

const fixtures = join(import.meta.dirname, "../../fixtures/events");
const load = <T>(dir: string) =>
  readdirSync(join(fixtures, dir)).map((f) => [f, JSON.parse(readFileSync(join(fixtures, dir, f), "utf8")) as T] as const);

describe("saved fixture events", () => {
  it.each(load<APIGatewayProxyEventV2>("apigw"))("%s still routes to its route key under the real manifest", (_name, event) => {
    // Prepare
    const routes = buildRouteTable(functions);

    // Act
    const match = routes.match(event.rawPath);

    // Assess
    expect(event.version).toBe("2.0");
    expect(match?.route.routeKey).toBe(event.routeKey);
    expect(match?.pathParameters).toEqual(event.pathParameters);
  });

  it.each(load<SQSEvent>("sqs"))("%s has Lambda's SQS record shape", (_name, event) => {
    for (const r of event.Records) {
      expect(r).toMatchObject({ eventSource: "aws:sqs", awsRegion: "us-east-1" });
      expect(Object.keys(r.attributes).sort()).toEqual(["ApproximateFirstReceiveTimestamp", "ApproximateReceiveCount", "SenderId", "SentTimestamp"]);
      expect(() => JSON.parse(r.body)).not.toThrow();
    }
  });
});

describe("host rules without a server", () => {
  it("treats an unknown or missing itemIdentifier as failure of the whole batch (Lambda's rule)", () => {
    const ids = ["a", "b", "c"];
    expect([...failedMessageIds(ids, { threw: false, result: { batchItemFailures: [{ itemIdentifier: "b" }] } })]).toEqual(["b"]);
    expect(failedMessageIds(ids, { threw: false, result: { batchItemFailures: [{ itemIdentifier: "zzz" }] } }).size).toBe(3);
    expect(failedMessageIds(ids, { threw: false, result: { batchItemFailures: [{}] } }).size).toBe(3);
    expect(failedMessageIds(ids, { threw: false, result: { batchItemFailures: [] } }).size).toBe(0);
    expect(failedMessageIds(ids, { threw: false, result: undefined }).size).toBe(0);
    expect(failedMessageIds(ids, { threw: true }).size).toBe(3);
  });

  it("sends multi-value headers and cookies as repeated headers", () => {
    const reply = fromHandlerResult({
      statusCode: 302,
      headers: { Location: "/console" },
      multiValueHeaders: { Vary: ["Accept", "Cookie"] },
      cookies: ["a=1", "b=2"],
    });
    expect(reply.statusCode).toBe(302);
    expect(reply.headers).toEqual({ location: "/console", vary: ["Accept", "Cookie"], "set-cookie": ["a=1", "b=2"] });
    expect(reply.body.length).toBe(0);
  });

  it("classifies text and binary content types like API Gateway", () => {
    expect(isTextContentType("application/json; charset=utf-8")).toBe(true);
    expect(isTextContentType("application/problem+json")).toBe(true);
    expect(isTextContentType("application/x-www-form-urlencoded")).toBe(true);
    expect(isTextContentType("text/html")).toBe(true);
    expect(isTextContentType("multipart/form-data; boundary=x")).toBe(false);
    expect(isTextContentType("application/pdf")).toBe(false);
    expect(isTextContentType(undefined)).toBe(false);
  });
});
