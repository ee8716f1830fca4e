import { judge } from '../../rules/core/judge';
import rule from '../../rules/rest-stage-data-trace-disabled';
import { describeRuleCases } from '../support/rule-cases';
import { restStage } from '../support/snapshots';
import { cases } from './fixtures/rest-stage-data-trace-disabled';

describeRuleCases(rule, cases);

describe('rest-stage-data-trace-disabled', () => {
  it('names the stage default and every override that traces data in the observed value', () => {
    const stage = restStage({
      methodSettings: {
        '*/*': { dataTraceEnabled: true },
        '~1payments/POST': { dataTraceEnabled: true },
        '~1orders/GET': { dataTraceEnabled: false },
      },
    });

    const finding = judge(rule, stage);

    expect(finding.observed).toEqual({
      dataTraceEnabled: ['all methods (stage default)', 'POST /payments'],
    });
  });
});
