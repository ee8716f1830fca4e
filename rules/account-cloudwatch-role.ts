import * as z from 'zod/mini';
import { optional, parameters } from './core/params';
import { planCalls, refuse, roleToSet, updateAccount } from './core/plans';
import { describeResource } from './core/resources';
import { parseRoleArn, ROLE_ARN, roleDisplayName } from './core/role-arn';
import { CannotJudge, compliant, defineRule, nonCompliant } from './core/rule';
import { grantsService } from './core/service-policy';
import { sentence } from './core/text';

const API_GATEWAY = 'apigateway.amazonaws.com';

export default defineRule({
  id: 'account-cloudwatch-role',
  title: 'The CloudWatch Logs role of the account settings exists and trusts API Gateway',
  severity: 'MEDIUM',
  resource: 'account',
  rationale:
    'API Gateway writes REST and WebSocket execution logs and access logs to CloudWatch Logs through the role ' +
    'in its account settings, one per region. Without it those logs are not written, whatever the stages say, ' +
    'so every logging rule can pass while nothing is recorded. A role deleted with the stack that made it, or whose ' +
    'trust policy no longer names apigateway.amazonaws.com, stops logging just as silently while the settings still name it.',
  parameters: parameters({
    roleArn: optional(
      z.string().check(z.regex(ROLE_ARN)),
      'The IAM role remediation sets (the one gatewatch deploys); without it remediation only notifies.',
    ),
  }),
  evaluate(account, { roleArn }) {
    const what = sentence(describeResource(account));
    const expected = roleArn ?? 'an IAM role API Gateway can assume to write to CloudWatch Logs';
    const named = account.cloudwatchRoleArn;
    const namedRole = named ? parseRoleArn(named) : undefined;
    const name = namedRole ? roleDisplayName(namedRole) : named;
    if (!named) {
      return nonCompliant(
        `${what} name no CloudWatch Logs role, so execution and access logs are not written.`,
        {
          observed: null,
          expected,
        },
      );
    }
    const role = account.cloudwatchRole;
    if (role === undefined || role.state === 'unreadable' || role.state === 'none-named') {
      throw new CannotJudge(
        `${what} name CloudWatch Logs role ${name}, but gatewatch could not read it (iam:GetRole), so it could not check that the role exists and trusts ${API_GATEWAY}.`,
      );
    }
    if (role.state === 'missing') {
      return nonCompliant(
        `${what} name CloudWatch Logs role ${name}, which no longer exists: execution and access logs are not written.`,
        { observed: `${named} (deleted)`, expected },
      );
    }
    const trust = grantsService(role.trustPolicy, API_GATEWAY, 'sts:AssumeRole', account.accountId);
    if (!trust.allowed) {
      return nonCompliant(
        `${what} name CloudWatch Logs role ${name}, whose trust policy does not let ${API_GATEWAY} assume it (${trust.why}); logs are not written.`,
        { observed: `${named} (not trusted by ${API_GATEWAY})`, expected },
      );
    }
    const unchecked =
      trust.unchecked.length > 0 ? ` (conditions not checked: ${trust.unchecked.join(', ')})` : '';
    return compliant(
      `${what} name CloudWatch Logs role ${name}, which exists and trusts ${API_GATEWAY}${unchecked}.`,
      { observed: named, expected },
    );
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
    async plan(account, { roleArn }, context) {
      const role = roleToSet(context, roleArn);
      if (!role) {
        return refuse(
          `The rule's roleArn parameter is not set and gatewatch's own CloudWatch Logs role is not known here, so the account settings of ${account.region} are left for a person to change.`,
        );
      }
      if (account.cloudwatchRoleArn === role) {
        // The named role is the one that is deleted or no longer trusts API Gateway: naming it
        // again changes nothing (and API Gateway refuses a role it cannot assume).
        return refuse(
          `The account settings of ${account.region} already name ${role}, which is missing or not trusted by API Gateway; recreate the role or fix its trust policy.`,
        );
      }
      return planCalls([updateAccount(role, account.region)]);
    },
  },
  references: {
    docs: [
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html',
      'https://docs.aws.amazon.com/apigateway/latest/api/API_UpdateAccount.html',
      'https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRole.html',
    ],
  },
  // AWS Config does not record the account settings, so only the periodic sweep sees them.
  periodic: true,
  // The role as IAM has it (iam:GetRole): an inventory without it skips the rule.
  needs: ['cloudwatch-role'],
});
