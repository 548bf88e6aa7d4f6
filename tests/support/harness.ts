import type { AppDeps } from "../../shared/app/deps";
import type { StaffPrincipal } from "../../shared/app/auth";
import { signIn } from "../../shared/app/auth";
import { DEMO_PASSWORD, seedDemo, demoAgencies } from "../../shared/app/seed-demo";
import { handleStepMessage } from "../../shared/app/engine/step";
import { handleCaseTimer, handleTaskTimer } from "../../shared/app/engine/timers";
import { sendQueuedMail } from "../../shared/app/send-mail";
import { completeTask } from "../../shared/app/engine/complete-task";
import type { MailTransport, OutgoingMail } from "../../shared/adapters/mail-transport";
import { memoryDeps } from "../../shared/adapters/memory/deps";
import { fixedClock, type Clock } from "../../shared/domain/clock";
import { shanghaiDate, shanghaiInstant } from "../../shared/domain/calendar";
import type { TaskRecord } from "../../shared/domain/records";
import { stepQueueNames } from "../../shared/manifest";
import { caseChangedMessage, mailSendMessage, stepMessage, timerMessage } from "../../shared/schemas/messages";
import { countCaseChange } from "../../shared/app/transparency/counters";
import "../../shared/app/workflow-hooks";
import { ListSchedulesCommand } from "@aws-sdk/client-scheduler";
import type { TestStack } from "./stack";
import { drainQueue } from "./queues";
import { appDepsFor } from "./app";

/**
 * Drives use cases the way the deployed system does — step hand-offs, timers and
 * mail delivered by their consumers — over either the in-memory ports or the real
 * stand-ins, so the same workflow cases run offline and connected.
 */
export interface Transport {
  /** messages now waiting on a queue (taken off it) */
  take(queue: string): Promise<Array<Record<string, unknown>>>;
  /** moves the clock forward and makes the Scheduler put every schedule due by then on the timers queue */
  moveTo(instant: Date): Promise<void>;
  /** live schedules (names), to check nothing is left behind */
  scheduleNames(): Promise<string[]>;
}

export interface Harness {
  deps: AppDeps;
  clock: Clock;
  sent: OutgoingMail[];
  /** every message consumed so far, by queue (for replaying them all) */
  consumed: Array<{ queue: string; body: Record<string, unknown> }>;
  signIn(username: string, agencyCode?: string): Promise<StaffPrincipal>;
  /** delivers step hand-offs, timers and mail until every queue is empty */
  settle(): Promise<void>;
  /** consumes one message as its consumer would */
  consume(queue: string, body: Record<string, unknown>): Promise<string>;
  /** moves the clock to 09:30 Beijing time `n` working days later, firing what falls due, and settles */
  advanceWorkingDays(n: number): Promise<void>;
  advanceTo(instant: Date): Promise<void>;
  openTask(caseId: string, step: string): Promise<TaskRecord | undefined>;
  complete(username: string, caseId: string, step: string, input: Record<string, unknown>): Promise<{ caseId: string; status: string }>;
  scheduleNames(): Promise<string[]>;
}

const capture = (sent: OutgoingMail[]): MailTransport => ({ send: async (m) => void sent.push(m) });

export async function buildHarness(deps: AppDeps, transport: Transport): Promise<Harness> {
  await seedDemo({ store: deps.store });
  const sent: OutgoingMail[] = [];
  const consumed: Harness["consumed"] = [];
  const principals = new Map<string, StaffPrincipal>();
  const mailer = capture(sent);
  const clock = deps.clock;

  async function consume(queue: string, body: Record<string, unknown>): Promise<string> {
    if (queue === "mail") {
      const m = mailSendMessage.parse(body);
      const r = await sendQueuedMail(deps, mailer, m.messageId, m);
      await deps.outbox.acknowledge(m.messageId);
      return r;
    }
    if (queue === "timers") {
      const m = timerMessage.parse(body);
      return m.type === "task.timer" ? handleTaskTimer(deps, m) : handleCaseTimer(deps, m);
    }
    if (queue === "transparency") {
      const m = caseChangedMessage.parse(body);
      const r = await countCaseChange(deps, m.caseId);
      await deps.outbox.acknowledge(m.messageId);
      return r;
    }
    const m = stepMessage.parse(body);
    const r = await handleStepMessage(deps, m);
    await deps.outbox.acknowledge(m.messageId);
    return r;
  }

  async function settle(): Promise<void> {
    for (let round = 0; round < 50; round++) {
      let busy = false;
      for (const queue of [...stepQueueNames, "timers", "mail", "transparency"]) {
        for (const body of await transport.take(queue)) {
          busy = true;
          consumed.push({ queue, body });
          // through the harness, so a caller may wrap it (the bench times each delivery)
          await h.consume(queue, body);
        }
      }
      if (!busy) return;
    }
    throw new Error("queues did not settle");
  }

  const h: Harness = {
    deps,
    clock,
    sent,
    consumed,
    async signIn(username, agencyCode = demoAgencies[0]!.code) {
      const key = `${agencyCode}/${username}`;
      if (!principals.has(key)) principals.set(key, (await signIn(deps, { agencyCode, username, password: DEMO_PASSWORD })).principal);
      return principals.get(key)!;
    },
    settle,
    consume,
    async advanceTo(instant) {
      await transport.moveTo(instant);
      await settle();
    },
    async advanceWorkingDays(n) {
      const calendar = await deps.calendar();
      const day = calendar.addWorkingDays(shanghaiDate(clock.now()), n).date;
      await h.advanceTo(shanghaiInstant(day, "09:30"));
    },
    async openTask(caseId, step) {
      return (await deps.store.tasks.ofCase(caseId)).find((t) => t.step === step && t.status === "open");
    },
    async complete(username, caseId, step, input) {
      const task = await h.openTask(caseId, step);
      if (!task) throw new Error(`no open ${step} task on ${caseId}: ${(await deps.store.tasks.ofCase(caseId)).map((t) => `${t.step}:${t.status}`).join(", ")}`);
      const result = await completeTask(deps, await h.signIn(username), task.taskId, input);
      await settle();
      return result;
    },
    scheduleNames: () => transport.scheduleNames(),
  };
  return h;
}

export type MemoryHarness = Harness & { clock: ReturnType<typeof fixedClock> };

/** The in-memory harness: no DynamoDB, no queues, the Scheduler as a map of schedules. */
export async function memoryHarness(start = "2026-03-02T01:30:00.000Z"): Promise<MemoryHarness> {
  const clock = fixedClock(start);
  const deps = memoryDeps(clock);
  const timers: Array<Record<string, unknown>> = [];
  const transport: Transport = {
    async take(queue) {
      if (queue === "timers") return timers.splice(0);
      return deps.outbox.take(queue);
    },
    async moveTo(now) {
      clock.set(now);
      // one-time schedules delete themselves after firing (ActionAfterCompletion: DELETE)
      for (const [name, s] of [...deps.outbox.schedules].sort((a, b) => a[1].at.localeCompare(b[1].at))) {
        if (Date.parse(s.at) <= now.getTime()) {
          deps.outbox.schedules.delete(name);
          timers.push(s.input);
        }
      }
    },
    scheduleNames: async () => [...deps.outbox.schedules.keys()],
  };
  return { ...(await buildHarness(deps, transport)), clock };
}

/** The connected harness: DynamoDB Local, the SQS, Scheduler and S3 stand-ins of a test stack. */
export async function connectedHarness(stack: TestStack): Promise<Harness> {
  const transport: Transport = {
    take: (queue) => drainQueue(stack, queue),
    // the stand-in fires what falls due as the clock moves
    moveTo: async (instant) => void (await stack.clock.advanceTo(instant)),
    async scheduleNames() {
      const out = await stack.scheduler.send(new ListSchedulesCommand({ GroupName: stack.config.scheduleGroup }));
      return (out.Schedules ?? []).map((x) => x.Name ?? "");
    },
  };
  return buildHarness(appDepsFor(stack), transport);
}
