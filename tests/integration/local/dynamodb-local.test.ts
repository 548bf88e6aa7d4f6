import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureTable, startDynamoDbLocal } from "../../../shared/adapters/local/dynamodb-local";
import { startTestStack } from "../../support/stack";
import { eventually } from "../../support/local-process";
import type { TestStack } from "../../support/stack";

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

const credentials = { accessKeyId: "test", secretAccessKey: "test" };

/** Live DynamoDB Local processes started for `port` (zombies excluded), from /proc. */
function javasOnPort(port: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (cmdline.includes("DynamoDBLocal") && cmdline.includes(`\0-port\0${port}\0`)) found.push(Number(entry));
    } catch {
      // ended while we looked
    }
  }
  return found;
}

describe("DynamoDB Local launcher and table", () => {
  it("builds the table from the manifest keys (pk/sk, gsi1, gsi2 with ALL projection), idempotently", async () => {
    // Act
    await ensureTable(stack.ddb, stack.tableName);
    const table = await stack.ddb.send(new DescribeTableCommand({ TableName: stack.tableName }));

    // Assess
    expect(table.Table?.KeySchema).toEqual([
      { AttributeName: "pk", KeyType: "HASH" },
      { AttributeName: "sk", KeyType: "RANGE" },
    ]);
    expect(table.Table?.GlobalSecondaryIndexes?.map((g) => [g.IndexName, g.Projection?.ProjectionType]).sort()).toEqual([
      ["gsi1", "ALL"],
      ["gsi2", "ALL"],
    ]);
    expect(table.Table?.BillingModeSummary?.BillingMode).toBe("PAY_PER_REQUEST");
  });

  it("runs transactions with conditions (what the outbox relies on)", async () => {
    // Prepare
    await stack.doc.send(new PutCommand({ TableName: stack.tableName, Item: { pk: "CASE#1", sk: "STATE", status: "received" } }));

    // Act: the second write's condition fails, so neither item may change
    const failing = stack.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: stack.tableName, Item: { pk: "CASE#1", sk: "OUTBOX#1", body: "x" } } },
          { Update: { TableName: stack.tableName, Key: { pk: "CASE#1", sk: "STATE" }, UpdateExpression: "SET #s = :n", ConditionExpression: "#s = :o", ExpressionAttributeNames: { "#s": "status" }, ExpressionAttributeValues: { ":n": "registered", ":o": "closed" } } },
        ],
      }),
    );

    // Assess
    await expect(failing).rejects.toThrow(/cancel/i);
    const outbox = await stack.doc.send(new GetCommand({ TableName: stack.tableName, Key: { pk: "CASE#1", sk: "OUTBOX#1" } }));
    expect(outbox.Item).toBeUndefined();
  });

  it("keeps data on disk, and a new start kills the java a SIGKILLed run left behind", async () => {
    // Prepare: a first instance whose owner "died" without stopping it
    const dataDir = mkdtempSync(join(tmpdir(), "ddb-"));
    const leftover = await startDynamoDbLocal({ dataDir });
    const pidFile = join(dataDir, "dynamodb-local.pid");
    const client1 = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: leftover.endpoint, region: "us-east-1", credentials }));
    await ensureTable(client1, "gongkai");
    await client1.send(new PutCommand({ TableName: "gongkai", Item: { pk: "A", sk: "B", kept: true } }));
    const leftoverPid = Number(readFileSync(pidFile, "utf8"));

    // Act
    const next = await startDynamoDbLocal({ dataDir });
    const client2 = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: next.endpoint, region: "us-east-1", credentials }));
    const got = await client2.send(new GetCommand({ TableName: "gongkai", Key: { pk: "A", sk: "B" } }));

    // Assess
    expect(leftoverPid).toBe(leftover.pid);
    expect(existsSync(`/proc/${leftoverPid}/cmdline`) && readFileSync(`/proc/${leftoverPid}/cmdline`, "utf8").includes("DynamoDBLocal")).toBe(false);
    expect(got.Item).toEqual({ pk: "A", sk: "B", kept: true });
    expect(Number(readFileSync(pidFile, "utf8"))).toBe(next.pid);
    await next.stop();
    expect(existsSync(pidFile)).toBe(false);
    client1.destroy();
    client2.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  }, 90_000);

  it("when watched, restarts a killed DynamoDB Local on the same port with its data, and says when a stopped one answers again", async () => {
    // Prepare
    const dataDir = mkdtempSync(join(tmpdir(), "ddb-watch-"));
    const lines: string[] = [];
    const ddb = await startDynamoDbLocal({ dataDir, supervise: true, probeIntervalMs: 300, log: (l) => lines.push(l) });
    const client = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: ddb.endpoint, region: "us-east-1", credentials }));
    await ensureTable(client, "gongkai");
    await client.send(new PutCommand({ TableName: "gongkai", Item: { pk: "A", sk: "B", kept: true } }));
    const firstPid = ddb.pid;

    try {
      // a report that comes after `from` (on a loaded machine a slow probe may report a stall of its own before)
      const reported = (from: number, text: string) => lines.slice(from).some((l) => l.includes(text));
      // Act: killed
      const beforeKill = lines.length;
      process.kill(firstPid, "SIGKILL");
      await eventually(async () => (ddb.restarts === 1 ? true : undefined), 60_000, "the restart");
      const afterRestart = await client.send(new GetCommand({ TableName: "gongkai", Key: { pk: "A", sk: "B" } }));
      const killReports = lines.slice(beforeKill).join("\n");
      // answering again after the restart, before it is stopped
      await eventually(async () => {
        await client.send(new GetCommand({ TableName: "gongkai", Key: { pk: "A", sk: "B" } }));
        const last = lines.filter((l) => l.includes("无响应") || l.includes("已恢复响应")).at(-1);
        return last === undefined || last.includes("已恢复响应") ? true : undefined;
      }, 20_000, "a quiet store");
      // Act: stopped, then continued
      const beforeStop = lines.length;
      process.kill(ddb.pid, "SIGSTOP");
      await eventually(async () => (reported(beforeStop, "无响应") ? true : undefined), 10_000, "the stall report");
      const beforeContinue = lines.length;
      process.kill(ddb.pid, "SIGCONT");
      await eventually(async () => (reported(beforeContinue, "已恢复响应") ? true : undefined), 10_000, "the recovery report");

      // Assess
      expect(ddb.pid).not.toBe(firstPid);
      expect(ddb.endpoint).toBe(`http://127.0.0.1:${ddb.port}`);
      expect(afterRestart.Item).toEqual({ pk: "A", sk: "B", kept: true });
      expect(Number(readFileSync(join(dataDir, "dynamodb-local.pid"), "utf8"))).toBe(ddb.pid);
      expect(killReports).toMatch(/意外退出（signal SIGKILL）[\s\S]*已重启/);
    } finally {
      const pid = ddb.pid;
      await ddb.stop();
      client.destroy();
      expect(existsSync(`/proc/${pid}/cmdline`) && readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("DynamoDBLocal")).toBe(false);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  it("stops a stopped (SIGSTOP) DynamoDB Local, and does not take that exit for a crash to restart", async () => {
    // Prepare
    const lines: string[] = [];
    const ddb = await startDynamoDbLocal({ inMemory: true, supervise: true, log: (l) => lines.push(l) });
    process.kill(ddb.pid, "SIGSTOP");

    // Act
    const pid = ddb.pid;
    await ddb.stop();

    // Assess
    expect(existsSync(`/proc/${pid}/cmdline`) && readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("DynamoDBLocal")).toBe(false);
    expect(ddb.restarts).toBe(0);
    expect(lines.filter((l) => l.includes("重启"))).toEqual([]);
  }, 60_000);

  it("leaves no Java behind when stopped while it is restarting one", async () => {
    // Prepare: killed, and the watcher has begun bringing up the next one
    const lines: string[] = [];
    const ddb = await startDynamoDbLocal({ inMemory: true, supervise: true, log: (l) => lines.push(l) });
    process.kill(ddb.pid, "SIGKILL");
    await eventually(async () => (lines.some((l) => l.includes("正在重启")) && javasOnPort(ddb.port).length > 0 ? true : undefined), 20_000, "the restart to begin");

    // Act
    await ddb.stop();

    // Assess
    await eventually(async () => (javasOnPort(ddb.port).length === 0 ? true : undefined), 10_000, "every Java on the port to be gone");
    expect(ddb.restarts).toBe(0);
  }, 60_000);

  it("tells how to install Java when it is missing", async () => {
    // Prepare
    const path = process.env.PATH;
    process.env.PATH = "/nonexistent";
    try {
      // Act + Assess
      await expect(startDynamoDbLocal({ inMemory: true })).rejects.toThrow(/apt-get install -y openjdk-17-jre-headless/);
    } finally {
      process.env.PATH = path;
    }
  });
});
