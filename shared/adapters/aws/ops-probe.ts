import { DescribeContinuousBackupsCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetQueueAttributesCommand, GetQueueUrlCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { AppConfig } from "../../config";
import type { OpsProbe } from "../../app/ports/ops";
import { formatShanghaiTime } from "../../domain/calendar";

/** How old the latest restorable moment may be before the inspection reports it. */
const MAX_RESTORE_LAG_MS = 24 * 3600_000;

/**
 * The inspection's view of the deployment: DescribeContinuousBackups on the table and
 * GetQueueAttributes on the dead-letter queue behind each queue the function may send to
 * (found from its redrive policy; grants `deadLetterDepths`, `backupStatus`). On the local stack DynamoDB Local keeps no backups: it says so.
 */
export function createOpsProbe(parts: { ddb?: DynamoDBClient; sqs: SQSClient; config: AppConfig; now: () => Date }): OpsProbe {
  const { ddb, sqs, config } = parts;
  return {
    async backup() {
      if (config.localMode || !ddb) {
        return { status: "not_applicable", detail: "本地运行环境使用 DynamoDB Local，不提供时间点恢复（PITR）备份；部署到 AWS 后在此显示表的备份状态" };
      }
      try {
        const out = await ddb.send(new DescribeContinuousBackupsCommand({ TableName: config.tableName }));
        const pitr = out.ContinuousBackupsDescription?.PointInTimeRecoveryDescription;
        if (pitr?.PointInTimeRecoveryStatus !== "ENABLED") return { status: "finding", detail: `数据表 ${config.tableName} 未开启时间点恢复（PITR）` };
        const latest = pitr.LatestRestorableDateTime;
        if (!latest) return { status: "unknown", detail: "时间点恢复已开启，但未取得最近可恢复时间" };
        const lag = parts.now().getTime() - latest.getTime();
        return lag > MAX_RESTORE_LAG_MS
          ? { status: "finding", detail: `最近可恢复时间 ${formatShanghaiTime(latest.toISOString())}，已超过 24 小时` }
          : { status: "ok", detail: `时间点恢复已开启，最近可恢复时间 ${formatShanghaiTime(latest.toISOString())}` };
      } catch (error) {
        return { status: "unknown", detail: `无法读取备份状态：${error instanceof Error ? error.name : String(error)}` };
      }
    },
    async deadLetterDepths() {
      const out = [];
      for (const [queue, url] of Object.entries(config.queueUrls)) {
        if (!url) continue;
        try {
          // the dead-letter queue is the one the queue's redrive policy names
          const q = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["RedrivePolicy"] }));
          const target = (JSON.parse(q.Attributes?.RedrivePolicy ?? "{}") as { deadLetterTargetArn?: string }).deadLetterTargetArn;
          if (!target) continue;
          const [, , , , account, name] = target.split(":");
          const dlq = (await sqs.send(new GetQueueUrlCommand({ QueueName: name!, QueueOwnerAWSAccountId: account }))).QueueUrl!;
          const a = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }));
          const depth = Number(a.Attributes?.ApproximateNumberOfMessages ?? 0) + Number(a.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
          out.push({ queue, depth });
        } catch (error) {
          out.push({ queue, error: error instanceof Error ? error.name : String(error) });
        }
      }
      return out;
    },
  };
}
