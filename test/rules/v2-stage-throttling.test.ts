import { judge } from '../../rules/core/judge';
import rule from '../../rules/v2-stage-throttling';
import { describeRuleCases } from '../support/rule-cases';
import { v2Stage } from '../support/snapshots';
import { cases } from './fixtures/v2-stage-throttling';

describeRuleCases(rule, cases);

describe('v2-stage-throttling', () => {
  it('reports unset limits as null and lists every route above the bounds', () => {
    const stage = v2Stage({
      defaultRouteSettings: {},
      routeSettings: {
        'GET /items': { throttlingRateLimit: 12000 },
        'POST /items': { throttlingRateLimit: 50, throttlingBurstLimit: 6000 },
        'DELETE /items/{id}': { throttlingRateLimit: 5 },
      },
    });

    const finding = judge(rule, stage);

    expect(finding).toMatchObject({
      status: 'NON_COMPLIANT',
      observed: {
        rateLimit: null,
        burstLimit: null,
        routesAboveBounds: ['GET /items (rate 12000)', 'POST /items (burst 6000)'],
      },
      expected: { maxRateLimit: 10000, maxBurstLimit: 5000 },
    });
  });

  it('rejects a negative bound', () => {
    const finding = judge(rule, v2Stage(), { maxRateLimit: -1 });

    expect(finding.status).toBe('ERROR');
    expect(finding.reason).toContain('maxRateLimit');
  });
});
