import { judge } from '../../rules/core/judge';
import rule from '../../rules/domain-tls-policy';
import { describeRuleCases } from '../support/rule-cases';
import { domainName } from '../support/snapshots';
import { cases } from './fixtures/domain-tls-policy';

describeRuleCases(rule, cases);

describe('domain-tls-policy', () => {
  it('allows TLS_1_2 and every enhanced policy by default, and never TLS_1_0', () => {
    const { allowedSecurityPolicies } = rule.parameters.parse({});

    expect(allowedSecurityPolicies).toContain('TLS_1_2');
    expect(allowedSecurityPolicies).not.toContain('TLS_1_0');
    for (const policy of allowedSecurityPolicies.filter((p) => p !== 'TLS_1_2')) {
      expect(policy).toMatch(/^SecurityPolicy_TLS1[23]_/);
    }
  });

  it('reports the policy in use against the allowed list', () => {
    const finding = judge(rule, domainName({ securityPolicy: 'TLS_1_0' }), {
      allowedSecurityPolicies: ['TLS_1_2'],
    });

    expect(finding).toMatchObject({ observed: 'TLS_1_0', expected: { oneOf: ['TLS_1_2'] } });
  });

  it('cannot judge a domain whose security policy was not read', () => {
    const finding = judge(rule, domainName({ securityPolicy: '' }));

    expect(finding.status).toBe('ERROR');
  });
});
