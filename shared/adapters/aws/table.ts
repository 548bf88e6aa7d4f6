import { TransactionCanceledException, ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import type { DynamoDBDocumentClient, TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import { BatchGetCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, DeleteCommand } from "@aws-sdk/lib-dynamodb";
import { ConcurrentChangeError, ServiceUnavailableError } from "../../app/errors";
import { tableAccess } from "../runtime-env";
import { asServiceUnavailable } from "./clients";

export type Item = Record<string, unknown>;
export type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

/**
 * The single table behind every entity. Generic key names (pk/sk/gsi1pk/...) come
 * from the manifest; entity modules name their access patterns on top of this.
 */
export interface Table {
  readonly name: string;
  readonly doc: DynamoDBDocumentClient;
  get<T = Item>(pk: string, sk: string, consistent?: boolean): Promise<T | undefined>;
  /** many items by key (100 per request, unprocessed keys retried); missing ones are left out */
  batchGet(keys: Array<{ pk: string; sk: string }>): Promise<Item[]>;
  put(item: Item, condition?: { expression: string; names?: Record<string, string>; values?: Item }): Promise<void>;
  update(input: {
    pk: string;
    sk: string;
    set?: string;
    expression?: string;
    condition?: string;
    names?: Record<string, string>;
    values?: Item;
  }): Promise<Item | undefined>;
  delete(pk: string, sk: string): Promise<void>;
  query<T = Item>(input: {
    index?: "gsi1" | "gsi2";
    pk: string;
    skBeginsWith?: string;
    skBetween?: [string, string];
    limit?: number;
    forward?: boolean;
    consistent?: boolean;
  }): Promise<T[]>;
  /** All-or-nothing write; a failed condition becomes ConcurrentChangeError. */
  transact(items: TransactItem[]): Promise<void>;
}

/** Locally, a function granted only `table: "read"` is refused writes, as IAM would refuse them on AWS. */
function assertWritable(name: string): void {
  if (tableAccess() === "read") throw new Error(`AccessDeniedException: this function may only read table ${name} (manifest grant table: "read")`);
}

export function createTable(client: DynamoDBDocumentClient, name: string): Table {
  // every call's failure in the app's terms, whichever client was passed in (tests build their own)
  const doc = {
    send: ((command: Parameters<DynamoDBDocumentClient["send"]>[0]) =>
      client.send(command).catch((error: unknown) => {
        throw asConcurrentChange(error);
      })) as DynamoDBDocumentClient["send"],
  };
  return {
    name,
    doc: client,
    async get(pk, sk, consistent = true) {
      const out = await doc.send(new GetCommand({ TableName: name, Key: { pk, sk }, ConsistentRead: consistent }));
      return out.Item as never;
    },
    async batchGet(keys) {
      const out: Item[] = [];
      for (let i = 0; i < keys.length; i += 100) {
        let pending: Array<Record<string, unknown>> | undefined = keys.slice(i, i + 100);
        for (let attempt = 0; pending?.length && attempt < 5; attempt++) {
          const res: { Responses?: Record<string, Item[]>; UnprocessedKeys?: Record<string, { Keys?: Array<Record<string, unknown>> }> } = await doc.send(
            new BatchGetCommand({ RequestItems: { [name]: { Keys: pending, ConsistentRead: true } } }),
          );
          out.push(...(res.Responses?.[name] ?? []));
          pending = res.UnprocessedKeys?.[name]?.Keys;
        }
        // keys still unprocessed after five rounds: the table is throttling, so the caller should try again shortly
        if (pending?.length) throw new ServiceUnavailableError("数据服务繁忙，请稍后再试", 1);
      }
      return out;
    },
    async put(item, condition) {
      assertWritable(name);
      try {
        await doc.send(
          new PutCommand({
            TableName: name,
            Item: item,
            ConditionExpression: condition?.expression,
            ExpressionAttributeNames: condition?.names,
            ExpressionAttributeValues: condition?.values,
            ReturnValuesOnConditionCheckFailure: condition ? "ALL_OLD" : undefined,
          }),
        );
      } catch (error) {
        throw asConcurrentChange(error);
      }
    },
    async update({ pk, sk, expression, set, condition, names, values }) {
      assertWritable(name);
      try {
        const out = await doc.send(
          new UpdateCommand({
            TableName: name,
            Key: { pk, sk },
            UpdateExpression: expression ?? `SET ${set}`,
            ConditionExpression: condition,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ReturnValues: "ALL_NEW",
            ReturnValuesOnConditionCheckFailure: condition ? "ALL_OLD" : undefined,
          }),
        );
        return out.Attributes;
      } catch (error) {
        throw asConcurrentChange(error);
      }
    },
    async delete(pk, sk) {
      assertWritable(name);
      await doc.send(new DeleteCommand({ TableName: name, Key: { pk, sk } }));
    },
    async query({ index, pk, skBeginsWith, skBetween, limit, forward = true, consistent }) {
      const pkName = index ? `${index}pk` : "pk";
      const skName = index ? `${index}sk` : "sk";
      let keyCondition = "#pk = :pk";
      const values: Item = { ":pk": pk };
      if (skBeginsWith !== undefined) {
        keyCondition += " AND begins_with(#sk, :sk)";
        values[":sk"] = skBeginsWith;
      } else if (skBetween) {
        keyCondition += " AND #sk BETWEEN :from AND :to";
        values[":from"] = skBetween[0];
        values[":to"] = skBetween[1];
      }
      const names: Record<string, string> = { "#pk": pkName };
      if (skBeginsWith !== undefined || skBetween) names["#sk"] = skName;
      const items: Item[] = [];
      let startKey: Item | undefined;
      do {
        const out = await doc.send(
          new QueryCommand({
            TableName: name,
            IndexName: index,
            KeyConditionExpression: keyCondition,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ScanIndexForward: forward,
            ExclusiveStartKey: startKey,
            ConsistentRead: index ? undefined : consistent,
            Limit: limit,
          }),
        );
        items.push(...((out.Items ?? []) as Item[]));
        startKey = out.LastEvaluatedKey;
      } while (startKey && (limit === undefined || items.length < limit));
      return (limit === undefined ? items : items.slice(0, limit)) as never;
    },
    async transact(items) {
      assertWritable(name);
      if (items.length === 0) return;
      try {
        await doc.send(new TransactWriteCommand({ TransactItems: items }));
      } catch (error) {
        throw asConcurrentChange(error);
      }
    },
  };
}

/**
 * DynamoDB's answer in the app's terms: a failed condition is ConcurrentChangeError (with
 * the stored item); a store that did not answer in time, refused, throttled or failed is
 * ServiceUnavailableError (503 with Retry-After). A timed-out write may still have been
 * applied: writes that must not be repeated carry a condition (a version, attribute_not_exists)
 * and intake an idempotency key, so the client's retry finds what was stored.
 */
function asConcurrentChange(error: unknown): unknown {
  if (error instanceof ConcurrentChangeError || error instanceof ServiceUnavailableError) return error;
  if (error instanceof ConditionalCheckFailedException) {
    return new ConcurrentChangeError("记录已被修改或已存在", error.Item as Item | undefined, { cause: error });
  }
  if (error instanceof TransactionCanceledException) {
    const reasons = error.CancellationReasons ?? [];
    if (reasons.some((r) => r.Code === "ConditionalCheckFailed")) {
      return new ConcurrentChangeError(
        `事务条件未满足: ${reasons.map((r) => r.Code ?? "None").join(",")}`,
        undefined,
        { cause: error },
      );
    }
    // another transaction held one of the items, or the table throttled: nothing was written, a retry may succeed
    if (reasons.some((r) => r.Code === "TransactionConflict" || r.Code === "ThrottlingError" || r.Code === "ProvisionedThroughputExceeded")) {
      return new ServiceUnavailableError("数据正在被其他操作修改，请稍后再试", 1, { cause: error });
    }
  }
  return asServiceUnavailable(error, "dynamodb");
}

/** Helpers that build transaction items against this table. */
export function putItem(table: Table, item: Item, condition?: string, values?: Item): TransactItem {
  return {
    Put: {
      TableName: table.name,
      Item: item,
      ConditionExpression: condition,
      ExpressionAttributeValues: values,
    },
  };
}

export function updateItem(
  table: Table,
  key: { pk: string; sk: string },
  expression: string,
  values: Item,
  condition?: string,
  names?: Record<string, string>,
): TransactItem {
  return {
    Update: {
      TableName: table.name,
      Key: key,
      UpdateExpression: expression,
      ConditionExpression: condition,
      ExpressionAttributeValues: values,
      ExpressionAttributeNames: names,
    },
  };
}
