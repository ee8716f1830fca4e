import { judge } from '../../rules/core/judge';
import rule from '../../rules/rest-stage-throttling';
import { describeRuleCases } from '../support/rule-cases';
import { restStage } from '../support/snapshots';
import { cases } from './fixtures/rest-stage-throttling';

describeRuleCases(rule, cases);

describe('rest-stage-throttling', () => {
  it('reports the stage limits and each override above the bounds with its own limits', () => {
    const stage = restStage({
      methodSettings: {
        '*/*': { throttlingRateLimit: 500, throttlingBurstLimit: 1000 },
        '~1search/GET': { throttlingRateLimit: 50, throttlingBurstLimit: 9000 },
        '~1orders/GET': { throttlingRateLimit: 50 },
      },
    });

    const finding = judge(rule, stage);

    expect(finding).toMatchObject({
      status: 'NON_COMPLIANT',
      observed: {
        rateLimit: 500,
        burstLimit: 1000,
        overridesAboveBounds: [{ method: 'GET /search', rateLimit: 50, burstLimit: 9000 }],
      },
      expected: { maxRateLimit: 10000, maxBurstLimit: 5000 },
    });
  });

  it('rejects a maximum rate that is not positive', () => {
    const finding = judge(rule, restStage(), { maxRateLimit: 0 });

    expect(finding.status).toBe('ERROR');
    expect(finding.reason).toContain('maxRateLimit');
  });

  it('rejects a maximum burst that is not a whole number', () => {
    const finding = judge(rule, restStage(), { maxBurstLimit: 12.5 });

    expect(finding.status).toBe('ERROR');
    expect(finding.reason).toContain('maxBurstLimit');
  });
});
