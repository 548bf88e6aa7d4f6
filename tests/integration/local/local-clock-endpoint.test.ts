import { readFileSync } from "node:fs";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { CreateScheduleCommand } from "@aws-sdk/client-scheduler";
import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handler } from "../../../functions/http/local-clock";
import { setLocalControls } from "../../../shared/adapters/local/controls";
import { createCalendarStore } from "../../../shared/adapters/aws/calendar-store";
import type { YearSchedule } from "../../../shared/domain/calendar";
import { startTestStack } from "../../support/stack";
import type { TestStack } from "../../support/stack";

const fixture = JSON.parse(readFileSync(new URL("../../fixtures/events/apigw/post-local-clock.json", import.meta.url), "utf8")) as APIGatewayProxyEventV2;

/** `contentType` null: no Content-Type header at all */
function event(method: string, path: string, body?: string, contentType: string | null = "application/json", cookies?: string[]): APIGatewayProxyEventV2 {
  const headers: Record<string, string | undefined> = { ...fixture.headers };
  if (contentType === null) delete headers["content-type"];
  else headers["content-type"] = contentType;
  return {
    ...fixture,
    rawPath: path,
    body,
    headers,
    ...(cookies ? { cookies } : {}),
    requestContext: { ...fixture.requestContext, http: { ...fixture.requestContext.http, method, path } },
  };
}

/** The page's CSRF cookie (name=value) and the token its forms carry. */
function csrfOf(page: { body?: string; cookies?: string[] }): { cookie: string; token: string } {
  const cookie = (page.cookies ?? []).find((c) => c.startsWith("gk_local_csrf="))?.split(";")[0] ?? "";
  const token = /name="csrfToken" value="([^"]+)"/.exec(page.body ?? "")?.[1] ?? "";
  return { cookie, token };
}

let stack: TestStack;
beforeAll(async () => {
  // Monday 2026-03-02 09:00 Asia/Shanghai
  stack = await startTestStack({ clockStart: "2026-03-02T01:00:00Z" });
});
afterAll(async () => {
  await stack?.stop();
});

describe("local clock endpoint", () => {
  it("advances working days (skipping the weekend), keeps the time of day and fires due schedules", async () => {
    // Prepare: a reminder due Friday 09:30 Shanghai
    await stack.scheduler.send(
      new CreateScheduleCommand({
        Name: "reminder",
        GroupName: stack.config.scheduleGroup,
        ScheduleExpression: "at(2026-03-06T09:30:00)",
        ScheduleExpressionTimezone: "Asia/Shanghai",
        FlexibleTimeWindow: { Mode: "OFF" },
        ActionAfterCompletion: "DELETE",
        Target: { Arn: stack.config.timersQueueArn, RoleArn: stack.config.schedulerRoleArn, Input: '{"taskId":"t1"}' },
      }),
    );

    // Act: Monday + 5 working days = next Monday
    const res = await handler(fixture);
    const body = JSON.parse(res.body ?? "{}") as { now: string; firedSchedules: number };
    const msgs = await stack.sqs.send(new ReceiveMessageCommand({ QueueUrl: stack.queues.urls.timers, MaxNumberOfMessages: 10 }));
    const res5 = await handler(event("POST", "/api/v1/local/clock", JSON.stringify({ advanceWorkingDays: 5 })));

    // Assess
    expect(res.statusCode).toBe(200);
    expect(body).toEqual({ now: "2026-03-03T01:00:00.000Z", firedSchedules: 0 });
    expect(msgs.Messages).toBeUndefined();
    expect(res5.statusCode).toBe(200);
    expect(JSON.parse(res5.body ?? "{}")).toEqual({ now: "2026-03-10T01:00:00.000Z", firedSchedules: 1 });
    const fired = await stack.sqs.send(new ReceiveMessageCommand({ QueueUrl: stack.queues.urls.timers, MaxNumberOfMessages: 10 }));
    expect(fired.Messages?.map((m) => m.Body)).toEqual(['{"taskId":"t1"}']);
  });

  it("moves to a given Shanghai time, refuses to go back (409) and rejects bad input (400, Chinese, fields)", async () => {
    // Act
    const to = await handler(event("POST", "/api/v1/local/clock", JSON.stringify({ to: "2026-03-20T14:30" })));
    const back = await handler(event("POST", "/api/v1/local/clock", JSON.stringify({ to: "2026-03-01T08:00" })));
    const bad = await handler(event("POST", "/api/v1/local/clock", JSON.stringify({ advanceWorkingDays: 0 })));
    const both = await handler(event("POST", "/api/v1/local/clock", JSON.stringify({ advanceWorkingDays: 1, to: "2026-03-21T08:00" })));
    const badDate = await handler(event("POST", "/api/v1/local/clock", JSON.stringify({ to: "2026-02-30T08:00" })));

    // Assess
    expect(to.statusCode).toBe(200);
    expect(JSON.parse(to.body ?? "{}")).toMatchObject({ now: "2026-03-20T06:30:00.000Z" });
    expect(back.statusCode).toBe(409);
    expect(JSON.parse(back.body ?? "{}").error.message).toContain("只能向前");
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body ?? "{}").error).toMatchObject({ code: "VALIDATION_FAILED", fields: [{ path: "advanceWorkingDays" }] });
    expect(JSON.parse(bad.body ?? "{}").error.fields[0].message).toMatch(/工作日/);
    expect(both.statusCode).toBe(400);
    expect(badDate.statusCode).toBe(400);
    expect(stack.clock.now().toISOString()).toBe("2026-03-20T06:30:00.000Z");
  });

  it("serves the zh-CN page and handles its form posts with a redirect back", async () => {
    // Act
    const page = await handler(event("GET", "/local/clock"));
    const { cookie, token } = csrfOf(page);
    const form = await handler(event("POST", "/local/clock", `csrfToken=${token}&advanceWorkingDays=1`, "application/x-www-form-urlencoded", [cookie]));
    const badForm = await handler(event("POST", "/local/clock", `csrfToken=${token}&advanceWorkingDays=abc`, "application/x-www-form-urlencoded", [cookie]));

    // Assess
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("前进 1 个工作日");
    expect(page.body).toContain("前进 N 个工作日");
    expect(page.body).toContain('type="datetime-local"');
    expect(form.statusCode).toBe(303);
    expect(form.headers?.location).toBe("/local/clock?fired=0");
    // Friday 2026-03-20 14:30 + 1 working day = Monday 2026-03-23 14:30 Shanghai
    expect(stack.clock.now().toISOString()).toBe("2026-03-23T06:30:00.000Z");
    expect(badForm.statusCode).toBe(400);
    expect(badForm.body).toContain("前进的工作日数必须是数字");
    expect(csrfOf(badForm).token).toBe(token);
  });

  it("refuses a form post without the page's CSRF token (a page on another site), and JSON in any other type (415)", async () => {
    // Prepare
    const before = stack.clock.now().toISOString();
    const { cookie, token } = csrfOf(await handler(event("GET", "/local/clock")));

    // Act: what another site can make a browser send — a form without the token (no strict cookie either), or with a guess
    const crossSite = await handler(event("POST", "/local/clock", "advanceWorkingDays=5", "application/x-www-form-urlencoded"));
    const guessed = await handler(event("POST", "/local/clock", `csrfToken=${"x".repeat(32)}&advanceWorkingDays=5`, "application/x-www-form-urlencoded", [cookie]));
    const tokenWithoutCookie = await handler(event("POST", "/local/clock", `csrfToken=${token}&advanceWorkingDays=5`, "application/x-www-form-urlencoded"));
    const textPlain = await handler(event("POST", "/api/v1/local/clock", JSON.stringify({ advanceWorkingDays: 5 }), "text/plain"));
    const untyped = await handler(event("POST", "/api/v1/local/clock", JSON.stringify({ advanceWorkingDays: 5 }), null));
    const formToApi = await handler(event("POST", "/api/v1/local/clock", "advanceWorkingDays=5", "application/x-www-form-urlencoded"));

    // Assess
    for (const res of [crossSite, guessed, tokenWithoutCookie]) {
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain("页面已过期或请求来源无效");
    }
    for (const res of [textPlain, untyped, formToApi]) {
      expect(res.statusCode).toBe(415);
      expect(JSON.parse(res.body ?? "{}").error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    }
    expect(stack.clock.now().toISOString()).toBe(before);
  });

  it("counts working days with the schedules an administrator entered, not the official data alone", async () => {
    // Prepare: Thursday 31 December 2026, 09:00 Beijing; 2027 has no official schedule, so one is entered
    // (元旦 1–3 January off; Saturday 9 January a make-up working day)
    const schedule = JSON.parse(readFileSync(new URL("../../fixtures/calendar/2027-test.json", import.meta.url), "utf8")) as YearSchedule;
    await handler(event("POST", "/api/v1/local/clock", JSON.stringify({ to: "2026-12-31T09:00" })));
    await createCalendarStore({ doc: stack.doc, tableName: stack.tableName }).put(schedule, "admin", stack.clock.now());

    // Act: weekends alone would make Friday 1 January the next working day
    const overHoliday = await handler(event("POST", "/api/v1/local/clock", JSON.stringify({ advanceWorkingDays: 1 })));
    const toFriday = await handler(event("POST", "/api/v1/local/clock", JSON.stringify({ advanceWorkingDays: 4 })));
    const ontoMakeUpDay = await handler(event("POST", "/api/v1/local/clock", JSON.stringify({ advanceWorkingDays: 1 })));
    const page = await handler(event("GET", "/local/clock"));

    // Assess
    expect(JSON.parse(overHoliday.body ?? "{}").now).toBe("2027-01-04T01:00:00.000Z"); // Monday 4 January
    expect(JSON.parse(toFriday.body ?? "{}").now).toBe("2027-01-08T01:00:00.000Z");
    expect(JSON.parse(ontoMakeUpDay.body ?? "{}").now).toBe("2027-01-09T01:00:00.000Z"); // the make-up Saturday
    expect(page.body).toContain("（工作日）");
  });

  it("answers 503 when not running on the local stack", async () => {
    // Prepare
    setLocalControls(undefined);

    // Act
    const res = await handler(fixture);

    // Assess
    expect(res.statusCode).toBe(503);
    expect(JSON.parse(res.body ?? "{}").error.message).toContain("本地");
  });
});
