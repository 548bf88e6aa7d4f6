import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, runCli } from "../../../shared/cli/main";
import { queueUrlEnvName } from "../../../shared/config";
import { queueNames } from "../../../shared/manifest";
import { ensureQueues, startSqsLocal, type LocalQueues, type SqsLocal } from "../../../shared/adapters/local/sqs-local";


/**
 * `gongkai dlq list|replay` against an SQS stand-in of its own (fauxqs in this process):
 * the queues as `npm start` creates them, found through the environment a running local
 * stack leaves (QUEUE_URL_*), a `cdk deploy --outputs-file` file, or --queue-url.
 */
let fauxqs: SqsLocal;
let sqs: SQSClient;
let queues: LocalQueues;
let dir: string;

beforeAll(async () => {
  fauxqs = await startSqsLocal({ port: 0 });
  sqs = new SQSClient({ endpoint: fauxqs.endpoint, region: "us-east-1", credentials: { accessKeyId: "t", secretAccessKey: "t" } });
  dir = mkdtempSync(join(tmpdir(), "gongkai-dlq-"));
});
afterAll(async () => {
  sqs?.destroy();
  await fauxqs?.stop();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  // a fresh set of queues per test, as ensureQueues makes them for npm start
  queues = await ensureQueues(sqs, `c${randomBytes(3).toString("hex")}-`);
});

/** What a running local stack's local-env.json gives the CLI: every queue's URL. */
const localEnv = () => Object.fromEntries(queueNames.map((q) => [queueUrlEnvName(q), queues.urls[q]!]));

async function cli(argv: string[], env: Record<string, string | undefined> = localEnv()) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env, cwd: dir });
  return { code, out, err };
}

const mailBody = (i: number) => ({ type: "mail.send", messageId: `01OUTBOX${i}`, to: ["zhangsan@example.com"], subject: "答复", text: "张三您好", caseId: `CASE${i}` });

async function put(url: string, bodies: object[]): Promise<void> {
  for (let i = 0; i < bodies.length; i += 10) {
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: bodies.slice(i, i + 10).map((b, j) => ({ Id: String(j), MessageBody: JSON.stringify(b), MessageAttributes: { origin: { DataType: "String", StringValue: "test" } } })),
      }),
    );
  }
}

async function count(url: string): Promise<{ visible: number; hidden: number }> {
  const a = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }))).Attributes;
  return { visible: Number(a?.ApproximateNumberOfMessages), hidden: Number(a?.ApproximateNumberOfMessagesNotVisible) };
}

async function takeAll(url: string) {
  const out = [];
  for (;;) {
    const res = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, MessageAttributeNames: ["All"] }));
    if (!res.Messages?.length) return out;
    out.push(...res.Messages);
  }
}

describe("gongkai dlq list", () => {
  it("counts each queue's waiting, in-flight and dead-lettered messages", async () => {
    await put(queues.dlqUrls.mail!, [mailBody(1), mailBody(2)]);
    await put(queues.dlqUrls.timers!, [{ type: "task.timer" }]);
    await sqs.send(new SendMessageCommand({ QueueUrl: queues.urls.mail!, MessageBody: "{}" }));

    const r = await cli(["dlq", "list"]);

    expect(r.code).toBe(EXIT_OK);
    expect(r.out).toContain("mail  1  0  2");
    expect(r.out).toContain("timers  0  0  1");
    expect(r.out.filter((l) => / 0 {2}0 {2}0$/.test(l))).toHaveLength(queueNames.length - 2);
    expect(r.out.at(-1)).toBe("死信合计 / dead letters in total: 3");
  });

  it("says so when no queue can be found (no local stack, no --outputs)", async () => {
    const r = await cli(["dlq", "list"], {});
    expect(r.code).toBe(EXIT_FAILED);
    expect(r.err.join("\n")).toMatch(/本地系统未在运行.*--outputs/);
  });
});

describe("gongkai dlq replay", () => {
  it("moves every dead letter back onto its queue in batches, bodies and attributes intact, until the DLQ is empty", async () => {
    // Prepare: 23 dead letters (three batches)
    const bodies = Array.from({ length: 23 }, (_, i) => mailBody(i));
    await put(queues.dlqUrls.mail!, bodies);

    // Act
    const r = await cli(["dlq", "replay", "mail"]);

    // Assess
    expect(r).toMatchObject({ code: EXIT_OK, err: [] });
    expect(r.out).toEqual(["已将 23 条死信移回 mail。/ Moved 23 dead letter(s) back to mail."]);
    expect(await count(queues.dlqUrls.mail!)).toEqual({ visible: 0, hidden: 0 });
    const moved = await takeAll(queues.urls.mail!);
    expect(moved.map((m) => JSON.parse(m.Body!)).sort((a, b) => a.messageId.localeCompare(b.messageId))).toEqual(
      [...bodies].sort((a, b) => a.messageId.localeCompare(b.messageId)),
    );
    expect(moved.every((m) => m.MessageAttributes?.origin?.StringValue === "test")).toBe(true);
  });

  it("--dry-run lists the dead letters by kind and ids (no addresses, no text) and leaves them in place", async () => {
    await put(queues.dlqUrls.mail!, [mailBody(1), mailBody(2)]);

    const r = await cli(["dlq", "replay", "mail", "--dry-run"]);

    expect(r.code).toBe(EXIT_OK);
    expect(r.out).toHaveLength(3);
    expect(r.out.slice(0, 2).join("\n")).toMatch(/mail\.send {2}messageId=01OUTBOX1 {2}caseId=CASE1/);
    expect(r.out.join("\n")).not.toMatch(/zhangsan|张三/);
    expect(r.out.at(-1)).toMatch(/共有 2 条消息（演练，未移动）/);
    // visible again at once, nothing on the queue
    expect(await count(queues.dlqUrls.mail!)).toEqual({ visible: 2, hidden: 0 });
    expect(await count(queues.urls.mail!)).toEqual({ visible: 0, hidden: 0 });
  });

  it("an empty dead-letter queue moves nothing", async () => {
    const r = await cli(["dlq", "replay", "timers"]);
    expect(r.out).toEqual(["已将 0 条死信移回 timers。/ Moved 0 dead letter(s) back to timers."]);
    expect(r.code).toBe(EXIT_OK);
  });

  it("finds the queue in a `cdk deploy --outputs-file` file (AWS) and its DLQ through the RedrivePolicy", async () => {
    await put(queues.dlqUrls.mail!, [mailBody(1)]);
    const file = join(dir, "outputs.json");
    writeFileSync(file, JSON.stringify({ GongkaiStateful: { QueueUrls1: `timers=${queues.urls.timers} mail=${queues.urls.mail}`, Other: 1 }, GongkaiStateless: {} }));

    const r = await cli(["dlq", "replay", "mail", "--outputs", "outputs.json"], {});

    expect(r.out).toEqual(["已将 1 条死信移回 mail。/ Moved 1 dead letter(s) back to mail."]);
    expect(await count(queues.urls.mail!)).toEqual({ visible: 1, hidden: 0 });
  });

  it("takes --queue-url for a queue of any name", async () => {
    await put(queues.dlqUrls.timers!, [{ type: "case.timer" }]);

    const r = await cli(["dlq", "replay", "old-timers", "--queue-url", queues.urls.timers!], {});

    expect(r.code).toBe(EXIT_OK);
    expect(await count(queues.urls.timers!)).toEqual({ visible: 1, hidden: 0 });
  });

  it("when the queue cannot take the messages, fails and leaves them in the dead-letter queue", async () => {
    await put(queues.dlqUrls.mail!, [mailBody(1)]);
    const gone = queues.urls.mail!.replace(/[^/]+$/, "no-such-queue");

    const r = await cli(["dlq", "replay", "mail", "--queue-url", gone, "--dlq-url", queues.dlqUrls.mail!], {});

    expect(r.code).toBe(EXIT_FAILED);
    expect(r.err.join("\n")).toMatch(/无法重放 mail 的死信/);
    const left = await count(queues.dlqUrls.mail!);
    expect(left.visible + left.hidden).toBe(1);
  });

  it.each([
    [["dlq", "replay"], /需要且只需要一个队列名/],
    [["dlq", "replay", "nope"], /未知的队列：nope/],
    [["dlq", "purge"], /未知的 dlq 子命令/],
    [["dlq", "list", "--bogus"], /bogus/],
  ])("usage error %j exits 2", async (argv, message) => {
    const r = await cli(argv);
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.err.join("\n")).toMatch(message);
  });
});
