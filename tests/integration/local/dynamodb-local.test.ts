import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureTable, startDynamoDbLocal } from "../../../shared/adapters/local/dynamodb-local";
import { startTestStack } from "../../support/stack";
import type { TestStack } from "../../support/stack";

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

const credentials = { accessKeyId: "test", secretAccessKey: "test" };

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
