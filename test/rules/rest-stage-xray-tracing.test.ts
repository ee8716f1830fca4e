import { judge } from '../../rules/core/judge';
import rule from '../../rules/rest-stage-xray-tracing';
import { describeRuleCases } from '../support/rule-cases';
import { restStage } from '../support/snapshots';
import { cases } from './fixtures/rest-stage-xray-tracing';

describeRuleCases(rule, cases);

describe('rest-stage-xray-tracing', () => {
  it('reports the tracing flag as observed against true expected', () => {
    const finding = judge(rule, restStage({ tracingEnabled: false }));

    expect(finding).toMatchObject({ status: 'NON_COMPLIANT', observed: false, expected: true });
  });

  it('takes no parameters', () => {
    const finding = judge(rule, restStage(), { enabled: true });

    expect(finding.status).toBe('ERROR');
  });
});
