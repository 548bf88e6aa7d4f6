/**
 * A full application lifecycle (submit → register → review → handle → sign-off → reply),
 * driven through the use cases and their consumers exactly as Lambda would run them, on
 * DynamoDB Local and the SQS, Scheduler and S3 stand-ins, counting every AWS call and its
 * consumed capacity; priced per 1,000 applications at list prices beside the same workflow
 * on Step Functions Standard.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDynamoDbLocal } from "../../shared/adapters/local/dynamodb-local";
import { startSqsLocal } from "../../shared/adapters/local/sqs-local";
import { startS3Local } from "../../shared/adapters/local/s3-local";
import { submitApplication } from "../../shared/app/applications/intake";
import { completeTask } from "../../shared/app/engine/complete-task";
import { startTestStack } from "../support/stack";
import { connectedHarness } from "../support/harness";
import { validApplication } from "../support/app";
import { DEFAULT_MEMORY_MB } from "../../shared/manifest";

/** us-east-1 list prices (USD), December 2026. */
export const prices = {
  dynamoWriteUnit: 0.625 / 1e6,
  dynamoReadUnit: 0.125 / 1e6,
  sqsRequest: 0.4 / 1e6,
  schedulerInvocation: 1.0 / 1e6,
  lambdaRequest: 0.2 / 1e6,
  /** arm64, per GB-second */
  lambdaGbSecond: 0.0000133334,
  s3Put: 0.005 / 1000,
  s3Get: 0.0004 / 1000,
  email: 0.1 / 1000,
  /** HTTP API, per request (first 300 million a month) */
  apiRequest: 1.0 / 1e6,
  stepFunctionsTransition: 0.025 / 1000,
};

/** The goals of issue 12 item 5, printed beside the figures. */
export const costGoals = { orchestrationPer1000: 0.05, cheaperThanStepFunctions: 5 };

/**
 * HTTP requests one lifecycle takes at the edge: the submission, and per staff step the
 * inbox, the case page and the completion (what a reviewer clicks; the use cases are
 * driven directly here, so these are counted, not sent).
 */
const HTTP_PER_STAFF_STEP = 3;

interface Counts {
  calls: Record<string, number>;
  wcu: number;
  rcu: number;
  /** write units by call, to see where the writes go */
  wcuBy: Record<string, number>;
}

type Middleware = { middlewareStack: { add: (mw: unknown, opts: unknown) => void } };

function counter(counts: Counts) {
  return (client: unknown) => {
    (client as Middleware).middlewareStack.add(
      (next: (args: { input: Record<string, unknown> }) => Promise<{ output: Record<string, unknown> }>, context: { clientName?: string; commandName?: string }) =>
        async (args: { input: Record<string, unknown> }) => {
          const name = `${(context.clientName ?? "").replace(/Client$/, "")}.${(context.commandName ?? "").replace(/Command$/, "")}`;
          counts.calls[name] = (counts.calls[name] ?? 0) + 1;
          if (name.startsWith("DynamoDB.") && !/^DynamoDB\.(CreateTable|DescribeTable|DeleteTable)$/.test(name)) args.input.ReturnConsumedCapacity = "TOTAL";
          const result = await next(args);
          const consumed = result.output.ConsumedCapacity as { ReadCapacityUnits?: number; WriteCapacityUnits?: number; CapacityUnits?: number } | Array<{ ReadCapacityUnits?: number; WriteCapacityUnits?: number; CapacityUnits?: number }> | undefined;
          for (const c of Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) {
            const isWrite = /Put|Update|Delete|TransactWrite|BatchWrite/.test(name);
            const w = c.WriteCapacityUnits !== undefined || c.ReadCapacityUnits !== undefined ? (c.WriteCapacityUnits ?? 0) : isWrite ? (c.CapacityUnits ?? 0) : 0;
            counts.wcu += w;
            counts.wcuBy[name] = (counts.wcuBy[name] ?? 0) + w;
            counts.rcu += c.WriteCapacityUnits !== undefined || c.ReadCapacityUnits !== undefined ? (c.ReadCapacityUnits ?? 0) : isWrite ? 0 : (c.CapacityUnits ?? 0);
          }
          return result;
        },
      { step: "initialize", name: `count-${Math.random()}` },
    );
  };
}

export async function lifecycleFigures(applications = 10) {
  const s3Dir = mkdtempSync(join(tmpdir(), "gongkai-bench-s3-"));
  const [ddb, sqs, s3] = await Promise.all([startDynamoDbLocal({ inMemory: true }), startSqsLocal({ port: 0 }), startS3Local({ dataDir: s3Dir })]);
  const counts: Counts = { calls: {}, wcu: 0, rcu: 0, wcuBy: {} };
  const stack = await startTestStack({ endpoints: { dynamo: ddb.endpoint, sqs: sqs.endpoint, s3: s3.endpoint }, clockStart: "2026-03-02T01:30:00.000Z", setEnv: false, instrument: counter(counts) });
  try {
    const h = await connectedHarness(stack);
    await h.settle();
    // staff sign in once a day, not per case: outside the count
    for (const user of ["office", "deputy"]) await h.signIn(user);
    // count from here: set-up (table, queues, seed) is not part of a lifecycle
    counts.calls = {};
    counts.wcuBy = {};
    counts.wcu = 0;
    counts.rcu = 0;
    let lambdaMs = 0;
    let invocations = 0;
    const timed = async <T>(fn: () => Promise<T>): Promise<T> => {
      const t0 = performance.now();
      try {
        return await fn();
      } finally {
        lambdaMs += performance.now() - t0;
        invocations++;
      }
    };
    const consume = h.consume;
    let delivered = 0;
    h.consume = (queue, body) => {
      delivered++;
      return timed(() => consume(queue, body));
    };
    let transitions = 0;
    for (let i = 0; i < applications; i++) {
      const s = await timed(() => submitApplication(h.deps, validApplication()));
      await h.settle();
      for (const [user, step, input] of [
        ["office", "register", { outcome: "registered" }],
        ["office", "review", { outcome: "complete" }],
        ["office", "handle", { outcome: "propose_reply", replyType: "disclosed", reasons: "可以公开" }],
        ["deputy", "sign_off", { outcome: "signed" }],
      ] as const) {
        const task = (await h.openTask(s.caseId, step))!;
        const principal = await h.signIn(user);
        await timed(() => completeTask(h.deps, principal, task.taskId, input));
        await h.settle();
        transitions++;
      }
    }
    const mails = h.sent.length;
    const per = (n: number) => n / applications;
    const sum = (prefix: string) => Object.entries(counts.calls).filter(([k]) => k.startsWith(prefix)).reduce((a, [, v]) => a + v, 0);
    const dynamo = sum("DynamoDB.");
    // the harness polls every queue to drain it; Lambda's event source receives each message once (batched on AWS)
    const sqsCalls = (counts.calls["SQS.SendMessage"] ?? 0) + (counts.calls["SQS.DeleteMessage"] ?? 0) + delivered;
    const schedulerCalls = sum("Scheduler.");
    const s3Puts = counts.calls["S3.PutObject"] ?? 0;
    const s3Gets = counts.calls["S3.GetObject"] ?? 0;
    // every schedule created is one Scheduler invocation when it fires (or none when deleted first): count the creations as the bound
    const scheduled = counts.calls["Scheduler.CreateSchedule"] ?? 0;
    const gbSeconds = (lambdaMs / 1000) * (DEFAULT_MEMORY_MB / 1024);
    const httpRequests = applications + transitions * HTTP_PER_STAFF_STEP;
    // per 1,000 applications, by service; orchestration is what the engine itself costs
    const per1000 = (usd: number) => (usd / applications) * 1000;
    const costs = {
      dynamodb: per1000(counts.wcu * prices.dynamoWriteUnit + counts.rcu * prices.dynamoReadUnit),
      sqs: per1000(sqsCalls * prices.sqsRequest),
      scheduler: per1000(scheduled * prices.schedulerInvocation),
      lambda: per1000(invocations * prices.lambdaRequest + gbSeconds * prices.lambdaGbSecond),
      apiGateway: per1000(httpRequests * prices.apiRequest),
      s3: per1000(s3Puts * prices.s3Put + s3Gets * prices.s3Get),
      mail: per1000(mails * prices.email),
    };
    const orchestration = costs.dynamodb + costs.sqs + costs.scheduler + costs.lambda;
    // the same workflow on Step Functions Standard: per human step a waitForTaskToken Task, a Choice on
    // its outcome and a Pass recording it, plus start and end; timers would be Wait states in a Parallel branch
    const sfnTransitions = per(transitions) * 3 + 2 + per(scheduled);
    return {
      applications,
      perApplication: {
        dynamoCalls: per(dynamo),
        writeUnits: per(counts.wcu),
        readUnits: per(counts.rcu),
        sqsCalls: per(sqsCalls),
        schedulerCalls: per(schedulerCalls),
        schedulesCreated: per(scheduled),
        lambdaInvocations: per(invocations),
        lambdaMs: per(lambdaMs),
        s3Calls: per(s3Puts + s3Gets),
        mails: per(mails),
        transitions: per(transitions),
      },
      calls: Object.fromEntries(Object.entries(counts.calls).filter(([k]) => k !== "SQS.ReceiveMessage").map(([k, v]) => [k, per(v)])),
      writeUnitsBy: Object.fromEntries(Object.entries(counts.wcuBy).map(([k, v]) => [k, per(v)])),
      httpRequests: per(httpRequests),
      costs,
      orchestrationPer1000: orchestration,
      costPer1000: Object.values(costs).reduce((a, b) => a + b, 0),
      stepFunctionsPer1000: sfnTransitions * prices.stepFunctionsTransition * 1000,
      stepFunctionsTransitions: sfnTransitions,
    };
  } finally {
    await stack.stop();
    await Promise.all([ddb.stop(), sqs.stop(), s3.stop()]);
    rmSync(s3Dir, { recursive: true, force: true });
  }
}

const usd = (n: number) => `$${n.toFixed(4)}`;
const met = (ok: boolean) => (ok ? "met" : "NOT met");

export function printLifecycle(f: Awaited<ReturnType<typeof lifecycleFigures>>): void {
  const p = f.perApplication;
  const top = (by: Record<string, number>) =>
    Object.entries(by)
      .sort(([, a], [, b]) => b - a)
      .map(([k, v]) => `${k} ${v.toFixed(1)}`)
      .join(", ");
  console.log("");
  console.log(`full lifecycle submit → reply (${f.applications} applications, ${p.transitions} transitions each), per application:`);
  console.log(`  DynamoDB ${p.dynamoCalls.toFixed(1)} calls (${p.writeUnits.toFixed(1)} WCU, ${p.readUnits.toFixed(1)} RCU) · SQS ${p.sqsCalls.toFixed(1)} requests · Scheduler ${p.schedulerCalls.toFixed(1)} calls (${p.schedulesCreated.toFixed(1)} schedules) · Lambda ${p.lambdaInvocations.toFixed(1)} invocations (${p.lambdaMs.toFixed(0)} ms) · HTTP ${f.httpRequests.toFixed(1)} requests · S3 ${p.s3Calls.toFixed(1)} · mail ${p.mails.toFixed(1)}`);
  console.log(`  calls: ${top(f.calls)}`);
  console.log(`  write units by call: ${top(f.writeUnitsBy)}`);
  console.log(`  lower bound: one transaction per transition = ${p.transitions + 1} (intake + ${p.transitions}); measured TransactWriteItems ${(f.calls["DynamoDB.TransactWriteItems"] ?? 0).toFixed(1)}`);
  console.log(`  cost per 1,000 applications at list prices (us-east-1): ${Object.entries(f.costs).map(([k, v]) => `${k} ${usd(v)}`).join(" · ")} = ${usd(f.costPer1000)}`);
  const ratio = f.stepFunctionsPer1000 / f.orchestrationPer1000;
  console.log(
    `  orchestration (DynamoDB, SQS, Scheduler, Lambda) ${usd(f.orchestrationPer1000)} (goal ≤ ${usd(costGoals.orchestrationPer1000)}: ${met(f.orchestrationPer1000 <= costGoals.orchestrationPer1000)}) ` +
      `vs Step Functions Standard state transitions alone ${usd(f.stepFunctionsPer1000)} (${f.stepFunctionsTransitions.toFixed(0)} transitions × $0.025/1,000): ${ratio.toFixed(2)}× cheaper (goal ≥ ${costGoals.cheaperThanStepFunctions}×: ${met(ratio >= costGoals.cheaperThanStepFunctions)})`,
  );
}
