import { judge } from '../../rules/core/judge';
import rule from '../../rules/v2-stage-data-trace-disabled';
import { describeRuleCases } from '../support/rule-cases';
import { webSocketStage } from '../support/snapshots';
import { cases } from './fixtures/v2-stage-data-trace-disabled';

describeRuleCases(rule, cases);

describe('v2-stage-data-trace-disabled', () => {
  it('lists the routes that trace data in the observed value, ignoring those that turn it off', () => {
    const stage = webSocketStage({
      routeSettings: {
        $connect: { dataTraceEnabled: true },
        $default: { dataTraceEnabled: false },
        sendMessage: { dataTraceEnabled: true },
      },
    });

    const finding = judge(rule, stage);

    expect(finding).toMatchObject({
      status: 'NON_COMPLIANT',
      observed: { stageDataTrace: false, routesWithDataTrace: ['$connect', 'sendMessage'] },
      expected: 'data tracing off for all routes',
    });
  });

  it('takes no parameters', () => {
    const finding = judge(rule, webSocketStage(), { enabled: false });

    expect(finding.status).toBe('ERROR');
  });
});
