import { afterAll, beforeAll, expect, it } from "vitest";
import { startLocalProcess, removeDataDir, type LocalProcess, eventually } from "../support/local-process";
import { localApi, type LocalApi } from "../support/local-api";
import { addDays, shanghaiDate, weekday } from "../../shared/domain/calendar";
import { demoAgencies } from "../../shared/app/seed-demo";

/**
 * The weekly risk report over the local stack as `npm start` runs it: the clock moved
 * across Monday 09:00 (Beijing time) fires the `weekly-risk-report` schedule, and each
 * agency's office director and deputy leader get the report in the SMTP catcher, once,
 * however often the clock moves on within the week.
 */
let stack: LocalProcess;
let api: LocalApi;

beforeAll(async () => {
  stack = await startLocalProcess();
  api = localApi(stack);
}, 90_000);
afterAll(async () => {
  await stack?.stop();
  if (stack) removeDataDir(stack.dataDir);
});

it("arrives at Monday 09:00 local-stack time, once per agency", async () => {
  const today = shanghaiDate(new Date((await api.call("GET", "/api/v1/local/clock")).body.now as string));
  const monday = addDays(today, ((8 - weekday(today)) % 7) || 7);
  const weekly = async () => (await api.mail()).filter((m) => m.subject.includes(`周报`) && m.subject.includes(`${monday} 起`));

  expect((await api.call("POST", "/api/v1/local/clock", { to: `${monday}T08:55` })).status).toBe(200);
  await api.idle();
  expect(await weekly()).toEqual([]);

  expect((await api.call("POST", "/api/v1/local/clock", { to: `${monday}T09:05` })).status).toBe(200);
  const mails = await eventually(async () => {
    const found = await weekly();
    return found.length >= demoAgencies.length ? found : undefined;
  }, 20_000, "the weekly reports");
  for (const m of mails) {
    expect(m.to.map((t) => t.split(".")[0]).sort()).toEqual(["deputy", "director"]);
    expect(m.attachments?.map((a) => a.filename)).toEqual([`办理风险周报-${monday}.html`]);
  }

  // later that Monday: nothing sent twice
  expect((await api.call("POST", "/api/v1/local/clock", { to: `${monday}T11:00` })).status).toBe(200);
  await api.idle();
  expect(await weekly()).toHaveLength(demoAgencies.length);
}, 120_000);
