// Powertools idempotency records live in the baseline table, each function's under its own
// partition (aws/stores/idempotency.ts). A function whose baseline grants do not already cover
// them gets the persistence layer's four item actions on the table, confined by
// dynamodb:LeadingKeys to that partition: it can neither read nor change the baseline, the
// known-good states or another function's records.
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  IDEMPOTENCY_ACTIONS,
  type IdempotencyScope,
  idempotencyPartition,
} from '../../aws/stores/idempotency';

export function grantIdempotency(
  fn: lambda.Function,
  role: iam.IRole,
  table: dynamodb.ITable,
  scope: IdempotencyScope,
): void {
  fn.addEnvironment('BASELINE_TABLE', table.tableName);
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: [...IDEMPOTENCY_ACTIONS],
      resources: [table.tableArn],
      conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [idempotencyPartition(scope)] } },
    }),
  );
}
