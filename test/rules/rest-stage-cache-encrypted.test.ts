import { judge } from '../../rules/core/judge';
import rule from '../../rules/rest-stage-cache-encrypted';
import { describeRuleCases } from '../support/rule-cases';
import { restStage } from '../support/snapshots';
import { cases } from './fixtures/rest-stage-cache-encrypted';

describeRuleCases(rule, cases);

describe('rest-stage-cache-encrypted', () => {
  it('lists the methods that cache and those that cache unencrypted, ignoring overrides that do not cache', () => {
    const stage = restStage({
      cacheClusterEnabled: true,
      methodSettings: {
        '*/*': { cachingEnabled: true, cacheDataEncrypted: false },
        '~1orders/POST': { cachingEnabled: false },
        '~1catalog/GET': { cacheDataEncrypted: true },
      },
    });

    const finding = judge(rule, stage);

    expect(finding.observed).toEqual({
      caching: ['all methods (stage default)', 'GET /catalog'],
      unencrypted: ['all methods (stage default)'],
    });
  });
});
