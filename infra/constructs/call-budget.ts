// The account-wide call budget (aws/call-budget.ts): every function that calls API
// Gateway takes each request from one shared bucket per account and region, an item of the
// baseline table. This names the table and the home account in the function's environment and
// lets its role update only the budget's items (keys `budget#…`).
import { Aws } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { budgetEnvironment } from '../../aws/call-budget';

export function shareCallBudget(table: dynamodb.ITable, functions: readonly lambda.Function[]): void {
  for (const fn of functions) {
    fn.addEnvironment(budgetEnvironment.table, table.tableName);
    fn.addEnvironment(budgetEnvironment.account, Aws.ACCOUNT_ID);
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['budget#*'] } },
      }),
    );
  }
}
