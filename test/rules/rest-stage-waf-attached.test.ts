import { judge } from '../../rules/core/judge';
import rule from '../../rules/rest-stage-waf-attached';
import { describeRuleCases } from '../support/rule-cases';
import { restStage } from '../support/snapshots';
import { cases } from './fixtures/rest-stage-waf-attached';

describeRuleCases(rule, cases);

describe('rest-stage-waf-attached', () => {
  it('reports the missing web ACL as observed null against any web ACL expected', () => {
    const finding = judge(rule, restStage({ webAclArn: null, webAcl: null }));

    expect(finding).toMatchObject({ status: 'NON_COMPLIANT', observed: null, expected: 'a WAFv2 web ACL' });
  });

  it('rejects an allowed list that is not a list of strings', () => {
    const finding = judge(rule, restStage(), { allowedWebAclArns: 'arn:aws:wafv2:x' });

    expect(finding.status).toBe('ERROR');
    expect(finding.reason).toContain('allowedWebAclArns');
  });
});
