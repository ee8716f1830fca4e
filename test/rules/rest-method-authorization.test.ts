import { judge } from '../../rules/core/judge';
import rule from '../../rules/rest-method-authorization';
import { describeRuleCases } from '../support/rule-cases';
import { restMethod, restStage } from '../support/snapshots';
import { cases } from './fixtures/rest-method-authorization';

describeRuleCases(rule, cases);

describe('rest-method-authorization', () => {
  it('lists every open and API-key-only method in observed, and only some in the reason', () => {
    const paths = ['/a', '/b', '/c', '/d', '/e'];
    const stage = restStage({
      apiName: 'orders-api-production',
      methods: {
        source: 'working-copy',
        served: [
          ...paths.map((resourcePath) =>
            restMethod({ resourcePath, httpMethod: 'GET', authorizationType: 'NONE', authorizer: null }),
          ),
          ...paths.map((resourcePath) =>
            restMethod({
              resourcePath: `/keyed${resourcePath}/{proxy+}`,
              httpMethod: 'POST',
              authorizationType: 'NONE',
              authorizer: null,
              apiKeyRequired: true,
            }),
          ),
        ],
      },
    });

    const finding = judge(rule, stage);

    expect(finding.status).toBe('NON_COMPLIANT');
    expect(finding.observed).toEqual({
      source: 'working-copy',
      open: ['GET /a', 'GET /b', 'GET /c', 'GET /d', 'GET /e'],
      apiKeyOnly: paths.map((path) => `POST /keyed${path}/{proxy+}`),
    });
    expect(finding.reason.length).toBeLessThanOrEqual(256);
    expect(finding.reason).toContain(
      '5 methods with no authorization and 5 methods protected only by an API key',
    );
  });

  it('names the first few open methods when the reason has room', () => {
    const stage = restStage({
      methods: {
        source: 'deployment',
        served: ['/a', '/b', '/c', '/d', '/e'].map((resourcePath) =>
          restMethod({ resourcePath, authorizationType: 'NONE', authorizer: null }),
        ),
      },
    });

    const finding = judge(rule, stage);

    expect(finding.reason).toContain('5 methods with no authorization (GET /a, GET /b, GET /c and 2 more)');
  });

  it('rejects a public method pattern that is not "METHOD /path"', () => {
    const finding = judge(rule, restStage(), { publicMethods: ['/health'] });

    expect(finding.status).toBe('ERROR');
    expect(finding.reason).toContain('publicMethods');
  });
});
