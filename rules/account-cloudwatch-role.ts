import * as z from 'zod/mini';
import { optional, parameters } from './core/params';
import { describeResource } from './core/resources';
import { compliant, defineRule, nonCompliant } from './core/rule';
import { sentence } from './core/text';

export default defineRule({
  id: 'account-cloudwatch-role',
  title: 'API Gateway account settings name a CloudWatch Logs role',
  severity: 'MEDIUM',
  resource: 'account',
  rationale:
    'API Gateway writes REST and WebSocket execution logs and access logs to CloudWatch Logs through the role ' +
    'in its account settings, one per region. Without it those logs are not written, whatever the stages say, ' +
    'so every logging rule can pass while nothing is recorded.',
  parameters: parameters({
    roleArn: optional(
      z.string().check(z.regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/)),
      'The IAM role remediation sets (the one gatewatch deploys); without it remediation only notifies.',
    ),
  }),
  evaluate(account, { roleArn }) {
    const what = sentence(describeResource(account));
    const expected = roleArn ?? 'an IAM role API Gateway can assume to write to CloudWatch Logs';
    if (!account.cloudwatchRoleArn) {
      return nonCompliant(
        `${what} name no CloudWatch Logs role, so execution and access logs are not written.`,
        {
          observed: null,
          expected,
        },
      );
    }
    return compliant(`${what} name CloudWatch Logs role ${account.cloudwatchRoleArn}.`, {
      observed: account.cloudwatchRoleArn,
      expected,
    });
  },
  remediation: {
    kind: 'safe',
    summary:
      'Sets the CloudWatch Logs role of the account settings to the configured roleArn; without roleArn it only notifies.',
    calls: [
      {
        service: 'apigateway',
        operation: 'UpdateAccount',
        iamActions: ['apigateway:PATCH', 'iam:PassRole'],
        effect: 'replace /cloudwatchRoleArn with the configured role ARN.',
      },
    ],
    canBreakClients: false,
  },
  references: {
    docs: [
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html',
      'https://docs.aws.amazon.com/apigateway/latest/api/API_UpdateAccount.html',
    ],
  },
  // AWS Config does not record the account settings, so only the periodic sweep sees them.
  periodic: true,
});
