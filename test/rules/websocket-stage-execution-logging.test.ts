import { judge } from '../../rules/core/judge';
import rule from '../../rules/websocket-stage-execution-logging';
import { describeRuleCases } from '../support/rule-cases';
import { v2Stage, webSocketStage } from '../support/snapshots';
import { cases } from './fixtures/websocket-stage-execution-logging';

describeRuleCases(rule, cases);

describe('websocket-stage-execution-logging', () => {
  it('names every route override that weakens logging in the observed value', () => {
    const stage = webSocketStage({
      routeSettings: {
        $connect: { loggingLevel: 'OFF' },
        $default: { loggingLevel: 'INFO' },
        sendMessage: { loggingLevel: 'OFF' },
      },
    });

    const finding = judge(rule, stage);

    expect(finding).toMatchObject({
      status: 'NON_COMPLIANT',
      observed: { stageLevel: 'ERROR', weakOverrides: ['$connect (OFF)', 'sendMessage (OFF)'] },
      expected: 'ERROR or more verbose for all routes',
    });
  });

  it('does not judge an HTTP API stage even when asked for INFO', () => {
    const finding = judge(rule, v2Stage(), { minimumLevel: 'INFO' });

    expect(finding.status).toBe('NOT_APPLICABLE');
    expect(finding.observed).toBeUndefined();
  });

  it('rejects a logging level that is not ERROR or INFO', () => {
    const finding = judge(rule, webSocketStage(), { minimumLevel: 'OFF' });

    expect(finding.status).toBe('ERROR');
    expect(finding.reason).toContain('minimumLevel');
  });
});
