import rule from '../../rules/api-unused';
import { judge } from '../../rules/core/judge';
import { describeRuleCases } from '../support/rule-cases';
import { restApi, v2Api } from '../support/snapshots';
import { cases } from './fixtures/api-unused';

describeRuleCases(rule, cases);

describe('api-unused', () => {
  it('cannot judge an API whose invocations were not read', () => {
    const finding = judge(rule, v2Api({ invocations: null }));

    expect(finding.status).toBe('ERROR');
    expect(finding.reason).toContain('could not evaluate HTTP API catalog-http');
  });

  it('reports the invocation count and window as observed', () => {
    const windowStart = '2026-10-24T00:00:00.000Z';

    const finding = judge(rule, restApi({ invocations: { count: 0, days: 30, windowStart } }));

    expect(finding).toMatchObject({
      status: 'NON_COMPLIANT',
      observed: { invocations: 0, days: 30, since: windowStart },
      expected: 'at least one invocation in 30 days',
    });
  });

  it('is run periodically, since invocations change without a configuration change', () => {
    expect(rule.periodic).toBe(true);
  });
});
