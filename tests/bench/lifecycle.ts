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
  stepFunctionsTransition: 0.025 / 1000,
};

interface Counts {
  calls: Record<string, number>;
  wcu: number;
  rcu: number;
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
            if (c.WriteCapacityUnits !== undefined || c.ReadCapacityUnits !== undefined) {
              counts.wcu += c.WriteCapacityUnits ?? 0;
              counts.rcu += c.ReadCapacityUnits ?? 0;
            } else if (isWrite) counts.wcu += c.CapacityUnits ?? 0;
            else counts.rcu += c.CapacityUnits ?? 0;
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
  const counts: Counts = { calls: {}, wcu: 0, rcu: 0 };
  const stack = await startTestStack({ endpoints: { dynamo: ddb.endpoint, sqs: sqs.endpoint, s3: s3.endpoint }, clockStart: "2026-03-02T01:30:00.000Z", setEnv: false, instrument: counter(counts) });
  try {
    const h = await connectedHarness(stack);
    await h.settle();
    // count from here: set-up (table, queues, seed) is not part of a lifecycle
    counts.calls = {};
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
    const gbSeconds = (lambdaMs / 1000) * 0.5; // 512 MB functions
    const cost =
      counts.wcu * prices.dynamoWriteUnit +
      counts.rcu * prices.dynamoReadUnit +
      sqsCalls * prices.sqsRequest +
      scheduled * prices.schedulerInvocation +
      invocations * prices.lambdaRequest +
      gbSeconds * prices.lambdaGbSecond +
      s3Puts * prices.s3Put +
      s3Gets * prices.s3Get +
      mails * prices.email;
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
      orchestrationPer1000: ((counts.wcu * prices.dynamoWriteUnit + counts.rcu * prices.dynamoReadUnit + sqsCalls * prices.sqsRequest + scheduled * prices.schedulerInvocation + invocations * prices.lambdaRequest + gbSeconds * prices.lambdaGbSecond) / applications) * 1000,
      costPer1000: (cost / applications) * 1000,
      stepFunctionsPer1000: sfnTransitions * prices.stepFunctionsTransition * 1000,
      stepFunctionsTransitions: sfnTransitions,
    };
  } finally {
    await stack.stop();
    await Promise.all([ddb.stop(), sqs.stop(), s3.stop()]);
    rmSync(s3Dir, { recursive: true, force: true });
  }
}
