import { trustPolicyOf } from '../../aws/read/normalise-logging';
import rule from '../../rules/account-cloudwatch-role';
import { judge } from '../../rules/core/judge';
import { describeRuleCases } from '../support/rule-cases';
import { account } from '../support/snapshots';
import { apiGatewayTrust, cases } from './fixtures/account-cloudwatch-role';

describeRuleCases(rule, cases);

describe('account-cloudwatch-role', () => {
  it('expects the configured role when one is given', () => {
    const roleArn = 'arn:aws:iam::123456789012:role/gatewatch-apigateway-logs';

    const finding = judge(rule, account({ cloudwatchRoleArn: null }), { roleArn });

    expect(finding).toMatchObject({ status: 'NON_COMPLIANT', observed: null, expected: roleArn });
  });

  it('says it could not check the role, rather than passing, when iam:GetRole was denied', () => {
    const finding = judge(rule, account({ cloudwatchRole: { state: 'unreadable' } }), {});

    expect(finding.status).toBe('ERROR');
    expect(finding.reason).toContain('could not read it (iam:GetRole)');
  });

  it('reads the trust policy as IAM returns it: URL-encoded JSON', () => {
    const encoded = encodeURIComponent(JSON.stringify(apiGatewayTrust()));

    expect(trustPolicyOf(encoded)).toEqual(apiGatewayTrust());
    expect(trustPolicyOf(JSON.stringify(apiGatewayTrust()))).toEqual(apiGatewayTrust());
  });

  it('names the role with its IAM path, as the console does', () => {
    const finding = judge(
      rule,
      account({
        cloudwatchRoleArn: 'arn:aws-us-gov:iam::123456789012:role/logs/apigw',
        cloudwatchRole: { state: 'missing' },
      }),
      {},
    );

    expect(finding.reason).toContain('CloudWatch Logs role logs/apigw, which no longer exists');
  });

  it('rejects a roleArn that is not an IAM role ARN', () => {
    const finding = judge(rule, account(), { roleArn: 'apigateway-cloudwatch-logs' });

    expect(finding.status).toBe('ERROR');
    expect(finding.reason).toContain('roleArn');
  });
});
