import { judge } from '../../rules/core/judge';
import rule from '../../rules/rest-stage-waf-rules';
import { describeRuleCases } from '../support/rule-cases';
import { restStage, WEB_ACL_ARN, webAcl } from '../support/snapshots';
import { cases } from './fixtures/rest-stage-waf-rules';

describeRuleCases(rule, cases);

describe('rest-stage-waf-rules', () => {
  it('cannot judge a web ACL whose contents could not be read', () => {
    const finding = judge(rule, restStage({ webAclArn: WEB_ACL_ARN, webAcl: null }));

    expect(finding.status).toBe('ERROR');
    expect(finding.reason).toContain(`the contents of web ACL ${WEB_ACL_ARN} could not be read`);
  });

  it('shows count-only groups in observed and the requirement in expected', () => {
    const stage = restStage({
      webAcl: webAcl({
        managedRuleGroups: [
          { name: 'AWS:AWSManagedRulesCommonRuleSet', countOnly: true },
          { name: 'AWS:AWSManagedRulesKnownBadInputsRuleSet', countOnly: false },
        ],
      }),
    });

    const finding = judge(rule, stage);

    expect(finding.observed).toEqual({
      webAclArn: WEB_ACL_ARN,
      managedRuleGroups: [
        'AWS:AWSManagedRulesCommonRuleSet (count only)',
        'AWS:AWSManagedRulesKnownBadInputsRuleSet',
      ],
    });
    expect(finding.expected).toEqual({
      requiredRuleGroups: ['AWS:AWSManagedRulesCommonRuleSet', 'AWS:AWSManagedRulesKnownBadInputsRuleSet'],
      countOnlyAccepted: false,
    });
  });

  it('rejects a required rule group that is not "Vendor:Name"', () => {
    const finding = judge(rule, restStage(), { requiredRuleGroups: ['AWSManagedRulesCommonRuleSet'] });

    expect(finding.status).toBe('ERROR');
    expect(finding.reason).toContain('requiredRuleGroups');
  });
});
