import { BatchWriteCommand } from "@aws-sdk/lib-dynamodb";
import type { TestStack } from "../support/stack";

/** Writes items straight into the stack's table, 25 a batch, eight batches at a time, retrying what DynamoDB left unprocessed. */
export async function seedItems(stack: TestStack, items: Iterable<Record<string, unknown>>): Promise<void> {
  const batch: Record<string, unknown>[][] = [[]];
  for (const item of items) {
    if (batch[batch.length - 1]!.length === 25) batch.push([]);
    batch[batch.length - 1]!.push(item);
  }
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < batch.length) {
        let requests = batch[next++]!.map((Item) => ({ PutRequest: { Item } }));
        while (requests.length) {
          const out = await stack.doc.send(new BatchWriteCommand({ RequestItems: { [stack.tableName]: requests } }));
          requests = (out.UnprocessedItems?.[stack.tableName] ?? []) as typeof requests;
        }
      }
    }),
  );
}
