import { noParameters } from './core/params';
import { describeResource, type HttpAccessLogGroup, type LogResourcePolicy } from './core/resources';
import { CannotJudge, compliant, defineRule, nonCompliant, notApplicable } from './core/rule';
import { grantsService } from './core/service-policy';
import { listSome, sentence } from './core/text';

const LOG_DELIVERY = 'delivery.logs.amazonaws.com';

/** Log delivery creates a stream in the group and puts events in it; both must be allowed. */
function allowsDelivery(policies: readonly LogResourcePolicy[], group: string, accountId: string): boolean {
  const probes = [group, `${group}:*`, `${group}:log-stream:gatewatch-probe`];
  return ['logs:CreateLogStream', 'logs:PutLogEvents'].every((action) =>
    policies.some(
      (policy) => grantsService(policy.document, LOG_DELIVERY, action, accountId, probes).allowed,
    ),
  );
}

const groupName = (arn: string) => /:log-group:(.+)$/.exec(arn)?.[1] ?? arn;

export default defineRule({
  id: 'account-http-access-log-policy',
  title: 'Log delivery may write HTTP API access logs (CloudWatch Logs resource policy)',
  severity: 'MEDIUM',
  resource: 'account',
  rationale:
    'HTTP APIs deliver access logs through CloudWatch Logs log delivery, which writes to a log group only where an ' +
    'account-level CloudWatch Logs resource policy lets delivery.logs.amazonaws.com create log streams and put log ' +
    'events. Deleting that policy (logs:DeleteResourcePolicy) or overwriting it stops every HTTP API access log of the ' +
    'region while the stages still say they log.',
  parameters: noParameters,
  evaluate(account) {
    const what = sentence(describeResource(account));
    const groups = (account.httpAccessLogGroups ?? []).filter((group: HttpAccessLogGroup) =>
      group.logGroupArn.includes(`:logs:${account.region}:${account.accountId}:log-group:`),
    );
    if (groups.length === 0) {
      return notApplicable(
        `${what} have no HTTP API stage writing access logs to a CloudWatch Logs log group of this account and region.`,
      );
    }
    const policies = account.logResourcePolicies;
    if (!policies) {
      throw new CannotJudge(
        `${what} could not be checked for log delivery: the CloudWatch Logs resource policies could not be read (logs:DescribeResourcePolicies).`,
      );
    }
    const expected = `a resource policy letting ${LOG_DELIVERY} call logs:CreateLogStream and logs:PutLogEvents on each log group`;
    const blocked = groups.filter((group) => !allowsDelivery(policies, group.logGroupArn, account.accountId));
    if (blocked.length > 0) {
      const stages = blocked.flatMap((group) => group.stages);
      return nonCompliant(
        `${what} let no log delivery into ${listSome(
          blocked.map((group) => groupName(group.logGroupArn)),
          2,
        )}: the access logs of ${stages.length} HTTP API stage(s) are not written (no CloudWatch Logs resource policy allows ${LOG_DELIVERY}).`,
        { observed: blocked.map((group) => group.logGroupArn), expected },
      );
    }
    return compliant(
      `${what} let log delivery write the access logs of HTTP API stages into ${listSome(
        groups.map((group) => groupName(group.logGroupArn)),
        2,
      )}.`,
      { observed: policies.map((policy) => policy.name), expected },
    );
  },
  references: {
    docs: [
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging.html',
      'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-and-resource-policy.html',
      'https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DescribeResourcePolicies.html',
    ],
  },
  // CloudWatch Logs resource policies are not a type AWS Config records.
  periodic: true,
  needs: ['log-resource-policies'],
});
