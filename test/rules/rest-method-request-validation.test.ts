import { judge } from '../../rules/core/judge';
import rule from '../../rules/rest-method-request-validation';
import { describeRuleCases } from '../support/rule-cases';
import { restMethod, restStage } from '../support/snapshots';
import { cases } from './fixtures/rest-method-request-validation';

describeRuleCases(rule, cases);

describe('rest-method-request-validation', () => {
  it('lists every method without body validation in observed', () => {
    const stage = restStage({
      methods: {
        source: 'deployment',
        served: ['/a', '/b', '/c', '/d'].map((resourcePath) =>
          restMethod({ httpMethod: 'PUT', resourcePath }),
        ),
      },
    });

    const finding = judge(rule, stage);

    expect(finding.observed).toEqual({
      source: 'deployment',
      unvalidated: ['PUT /a', 'PUT /b', 'PUT /c', 'PUT /d'],
    });
    expect(finding.reason).toContain('PUT /a, PUT /b, PUT /c and 1 more');
  });

  it('rejects an ignored method pattern without a path', () => {
    const finding = judge(rule, restStage(), { ignoreMethods: ['POST'] });

    expect(finding.status).toBe('ERROR');
    expect(finding.reason).toContain('ignoreMethods');
  });
});
