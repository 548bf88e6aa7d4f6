import { SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, describe, expect, inject, it } from "vitest";
import { startHost } from "../../../shared/adapters/local/host";
import { isLoopback, listenHost } from "../../../shared/adapters/local/listen";
import { startMailCatcher } from "../../../shared/adapters/local/mail-catcher";
import { startSchedulerLocal } from "../../../shared/adapters/local/scheduler-local";
import { startSqsLocal } from "../../../shared/adapters/local/sqs-local";
import { fixedClock } from "../../../shared/domain/clock";
import { listeningAddresses } from "../../support/local-process";

/**
 * Nothing of the local stack may be reachable from the network by default: the stand-ins
 * have no authentication (DynamoDB Local holds every application; the SQS stand-in takes
 * any message, including forged mail). Checked the way `ss -ltn` sees it, from /proc/net.
 */
const portOf = (url: string) => Number(new URL(url).port);
const clock = fixedClock("2026-03-12T01:00:00.000Z");
const stops: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const stop of stops.reverse()) await stop();
});

function expectLoopbackOnly(what: string, port: number) {
  const addresses = listeningAddresses(port);
  expect(addresses, `${what} on port ${port} should be listening`).not.toEqual([]);
  expect(addresses.filter((a) => !isLoopback(a)), `${what} must listen on loopback only`).toEqual([]);
}

describe("what the local stack listens on", () => {
  it("DynamoDB Local (Java, no option of its own for the address) listens on 127.0.0.1 only", () => {
    const endpoint = inject("dynamoEndpoint");
    expect(endpoint, inject("dynamoUnavailable")).not.toBe("");
    expect(listeningAddresses(portOf(endpoint))).toEqual(["127.0.0.1"]);
  });

  it("the SQS and S3 stand-ins, the Scheduler stand-in, the mail catcher (SMTP and page) and the host listen on loopback only", async () => {
    // Prepare: the run's SQS and S3 stand-ins are up; start the rest as npm start does
    const sqs = new SQSClient({ region: "us-east-1", endpoint: inject("sqsEndpoint"), credentials: { accessKeyId: "x", secretAccessKey: "x" } });
    const scheduler = await startSchedulerLocal({ clock, sqs, resolveQueueUrl: () => undefined, tickMs: 0, log: () => undefined });
    stops.push(() => scheduler.stop());
    const mail = await startMailCatcher();
    stops.push(() => mail.stop());
    const host = await startHost({ functions: [], port: 0, queueUrls: {}, sqs, clock, log: () => undefined });
    stops.push(() => host.stop(), async () => sqs.destroy());

    // Assess
    expectLoopbackOnly("SQS stand-in", portOf(inject("sqsEndpoint")));
    expectLoopbackOnly("S3 stand-in", portOf(inject("s3Endpoint")));
    expectLoopbackOnly("Scheduler stand-in", scheduler.port);
    expectLoopbackOnly("SMTP catcher", mail.smtpPort);
    expectLoopbackOnly("mail page", portOf(mail.webUrl));
    expectLoopbackOnly("host", portOf(host.url));
  });

  it("opens only when asked to, with GONGKAI_LISTEN=0.0.0.0, and takes nothing but loopback or a wildcard", async () => {
    // Act
    const opened = await startSqsLocal({ port: 0, host: listenHost({ GONGKAI_LISTEN: "0.0.0.0" }) });
    stops.push(() => opened.stop());

    // Assess
    expect(listenHost({})).toBe("127.0.0.1");
    expect(listeningAddresses(opened.port)).toEqual(["0.0.0.0"]);
    expect(() => listenHost({ GONGKAI_LISTEN: "192.168.1.20" })).toThrow(/GONGKAI_LISTEN/);
    expect(() => listenHost({ GONGKAI_LISTEN: "localhost" })).toThrow(/GONGKAI_LISTEN/);
  });
});
