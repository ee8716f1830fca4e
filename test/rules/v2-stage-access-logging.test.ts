import { judge } from '../../rules/core/judge';
import rule from '../../rules/v2-stage-access-logging';
import { describeRuleCases } from '../support/rule-cases';
import { v2Stage } from '../support/snapshots';
import { cases } from './fixtures/v2-stage-access-logging';

describeRuleCases(rule, cases);

describe('v2-stage-access-logging', () => {
  it('reports missing access logs as observed null against the expected format', () => {
    const finding = judge(rule, v2Stage({ accessLog: null }));

    expect(finding).toMatchObject({
      status: 'NON_COMPLIANT',
      observed: null,
      expected: { json: true, variables: ['$context.requestId', '$context.identity.sourceIp'] },
    });
  });

  it('accepts a remediation destination without it changing the verdict', () => {
    const finding = judge(rule, v2Stage({ accessLog: null }), {
      defaultDestinationArn: 'arn:aws:logs:eu-west-1:123456789012:log-group:/gatewatch/fallback',
    });

    expect(finding.status).toBe('NON_COMPLIANT');
  });

  it('rejects required variables that are not a list', () => {
    const finding = judge(rule, v2Stage(), { requiredVariables: '$context.requestId' });

    expect(finding.status).toBe('ERROR');
    expect(finding.reason).toContain('requiredVariables');
  });
});
