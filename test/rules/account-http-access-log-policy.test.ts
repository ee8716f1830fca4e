import rule from '../../rules/account-http-access-log-policy';
import { judge } from '../../rules/core/judge';
import { describeRuleCases } from '../support/rule-cases';
import { account } from '../support/snapshots';
import { cases, logDelivery } from './fixtures/account-http-access-log-policy';

describeRuleCases(rule, cases);

describe('account-http-access-log-policy', () => {
  const groups = [
    { logGroupArn: 'arn:aws:logs:eu-west-1:123456789012:log-group:http-access', stages: ['stage-arn'] },
  ];

  it('says it could not check, rather than passing, when the resource policies could not be read', () => {
    const finding = judge(rule, account({ httpAccessLogGroups: groups, logResourcePolicies: null }), {});

    expect(finding.status).toBe('ERROR');
    expect(finding.reason).toContain('logs:DescribeResourcePolicies');
  });

  it('leaves log groups of other accounts to their own account', () => {
    const elsewhere = [
      { logGroupArn: 'arn:aws:logs:eu-west-1:999988887777:log-group:central', stages: ['stage-arn'] },
    ];

    const finding = judge(rule, account({ httpAccessLogGroups: elsewhere, logResourcePolicies: [] }), {});

    expect(finding.status).toBe('NOT_APPLICABLE');
  });

  it('accepts a grant of the log group with the :* suffix CloudWatch Logs documents', () => {
    const policy = logDelivery(['arn:aws:logs:eu-west-1:123456789012:log-group:http-access:*']);

    const finding = judge(rule, account({ httpAccessLogGroups: groups, logResourcePolicies: [policy] }), {});

    expect(finding.status).toBe('COMPLIANT');
  });
});
