import { RemovalPolicy } from "aws-cdk-lib";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import type * as kms from "aws-cdk-lib/aws-kms";
import { Construct } from "constructs";
import { tableKeys } from "../../shared/manifest";

/** The single table, built from the same key names the code uses (shared/manifest.ts). */
export class AppTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: { key: kms.IKey }) {
    super(scope, id);
    const text = dynamodb.AttributeType.STRING;
    this.table = new dynamodb.Table(this, "Table", {
      partitionKey: { name: tableKeys.partitionKey, type: text },
      sortKey: { name: tableKeys.sortKey, type: text },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.key,
      timeToLiveAttribute: tableKeys.timeToLive,
      // The table is the system of record (存档备查): never dropped with the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of tableKeys.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: text },
        sortKey: { name: index.sortKey, type: text },
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
  }
}
