// The baseline: what gatewatch last knew of each resource (and which events it already
// handled), so a verdict can say what changed. Items expire through `expiresAt`.
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

/** The attribute DynamoDB's TTL reads (epoch seconds). */
export const BASELINE_TTL_ATTRIBUTE = 'expiresAt';

export class BaselineTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: BASELINE_TTL_ATTRIBUTE,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      // The last known good values are what a `restore` remediation puts back: never delete them with the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
