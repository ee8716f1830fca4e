import { judge } from '../../rules/core/judge';
import rule from '../../rules/v2-route-authorization';
import { describeRuleCases } from '../support/rule-cases';
import { v2Route } from '../support/snapshots';
import { cases } from './fixtures/v2-route-authorization';

describeRuleCases(rule, cases);

describe('v2-route-authorization', () => {
  it('reports an open HTTP route with what was observed and the accepted types', () => {
    const route = v2Route({ authorizationType: 'NONE', authorizer: null });

    const finding = judge(rule, route);

    expect(finding).toMatchObject({
      status: 'NON_COMPLIANT',
      observed: { authorizationType: 'NONE', authorizerId: null, apiKeyRequired: false },
      expected: { oneOf: ['AWS_IAM', 'JWT', 'CUSTOM'] },
    });
  });

  it('judges an authorized OPTIONS route like any other', () => {
    const finding = judge(rule, v2Route({ routeKey: 'OPTIONS /items' }));

    expect(finding.status).toBe('COMPLIANT');
  });

  it('does not take a route whose path merely starts with OPTIONS for a preflight route', () => {
    const finding = judge(
      rule,
      v2Route({ routeKey: 'GET /OPTIONS', authorizationType: 'NONE', authorizer: null }),
    );

    expect(finding.status).toBe('NON_COMPLIANT');
  });

  it('rejects a non-boolean acceptApiKeyOnly', () => {
    const finding = judge(rule, v2Route(), { acceptApiKeyOnly: 'yes' });

    expect(finding.status).toBe('ERROR');
    expect(finding.reason).toContain('acceptApiKeyOnly');
  });
});
