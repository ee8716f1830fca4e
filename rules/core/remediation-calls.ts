// Remediation calls more than one rule makes, declared once.
import type { RemediationCall } from './rule';

/**
 * Execution and access logs to CloudWatch Logs need the account's CloudWatch Logs role: logging
 * fixes set it first when the account settings name none (see account-cloudwatch-role).
 */
export const setAccountCloudWatchRole: RemediationCall = {
  service: 'apigateway',
  operation: 'UpdateAccount',
  iamActions: ['apigateway:PATCH', 'iam:PassRole'],
  effect:
    'Only when the account settings name no CloudWatch Logs role: replace /cloudwatchRoleArn with the roleArn of account-cloudwatch-role, or the role gatewatch deploys.',
};
