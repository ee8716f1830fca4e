import { judge } from '../../rules/core/judge';
import rule from '../../rules/rest-stage-access-logging';
import { describeRuleCases } from '../support/rule-cases';
import { restStage } from '../support/snapshots';
import { cases } from './fixtures/rest-stage-access-logging';

describeRuleCases(rule, cases);

describe('rest-stage-access-logging', () => {
  it('reports missing access logs as observed null against the expected destination, format and variables', () => {
    const finding = judge(rule, restStage({ accessLog: null }));

    expect(finding).toMatchObject({
      status: 'NON_COMPLIANT',
      observed: null,
      expected: {
        format: 'a JSON object',
        requiredVariables: ['$context.requestId', '$context.identity.sourceIp'],
      },
    });
  });

  it('rejects required variables that are not a list of strings', () => {
    const finding = judge(rule, restStage(), { requiredVariables: '$context.requestId' });

    expect(finding.status).toBe('ERROR');
    expect(finding.reason).toContain('requiredVariables');
  });
});
