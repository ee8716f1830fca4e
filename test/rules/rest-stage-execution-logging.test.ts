import { judge } from '../../rules/core/judge';
import rule from '../../rules/rest-stage-execution-logging';
import { describeRuleCases } from '../support/rule-cases';
import { restStage } from '../support/snapshots';
import { cases } from './fixtures/rest-stage-execution-logging';

describeRuleCases(rule, cases);

describe('rest-stage-execution-logging', () => {
  it('names every override that weakens logging in the observed value', () => {
    const stage = restStage({
      methodSettings: {
        '*/*': { loggingLevel: 'ERROR' },
        '~1orders/GET': { loggingLevel: 'OFF' },
        '~1orders~1{id}/DELETE': { loggingLevel: 'OFF' },
      },
    });

    const finding = judge(rule, stage);

    expect(finding.observed).toEqual({
      stageLevel: 'ERROR',
      weakOverrides: ['GET /orders (OFF)', 'DELETE /orders/{id} (OFF)'],
    });
  });
});
