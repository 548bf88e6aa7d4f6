import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { SQSEvent, SQSRecord, Context, SQSBatchResponse } from "aws-lambda";
import type { z } from "zod";
import { logger } from "../logger";

/**
 * A queue consumer: validates each message with its schema and reports partial batch
 * failures. A message that can never be processed (bad shape) is final: logged and
 * acknowledged. Anything thrown by `handle` is retryable: the message returns to the
 * queue and, after maxReceiveCount tries, lands in the dead-letter queue.
 */
export function queueConsumer<S extends z.ZodType>(
  name: string,
  schema: S,
  handle: (message: z.output<S>, record: SQSRecord) => Promise<string>,
  /** tells the outbox the message was processed, so it is not re-sent */
  acknowledge?: (messageId: string) => Promise<void>,
) {
  const processor = new BatchProcessor(EventType.SQS);
  const recordHandler = async (record: SQSRecord): Promise<void> => {
    let body: unknown;
    try {
      body = JSON.parse(record.body);
    } catch {
      body = undefined;
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      logger.error("unprocessable message dropped", { consumer: name, correlationId: record.messageId, messageId: record.messageId });
      return;
    }
    const outcome = await handle(parsed.data, record);
    const outboxId = (parsed.data as { messageId?: string }).messageId;
    if (acknowledge && outboxId) await acknowledge(outboxId);
    logger.info("message processed", {
      consumer: name,
      correlationId: (parsed.data as { messageId?: string }).messageId ?? record.messageId,
      messageId: record.messageId,
      outcome,
      caseId: (parsed.data as { caseId?: string }).caseId,
      receiveCount: record.attributes?.ApproximateReceiveCount,
    });
  };
  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
    processPartialResponse(event, recordHandler, processor, { context });
}
