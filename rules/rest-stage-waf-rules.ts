import * as z from 'zod/mini';
import { parameters, withDefault } from './core/params';
import { describeResource } from './core/resources';
import { CannotJudge, compliant, defineRule, nonCompliant, notApplicable } from './core/rule';
import { listSome, sentence } from './core/text';

export default defineRule({
  id: 'rest-stage-waf-rules',
  title: 'Web ACLs on REST API stages include the required AWS managed rule groups',
  severity: 'MEDIUM',
  resource: 'rest-stage',
  reads: ['web-acl'],
  rationale:
    'An attached web ACL protects only as much as its rules do: one without the core rule set and the known bad ' +
    'inputs rule group lets SQL injection, cross-site scripting and exploits such as Log4Shell through. A rule ' +
    'group switched to count only logs those requests and lets them reach the backend.',
  parameters: parameters({
    requiredRuleGroups: withDefault(
      z.array(z.string().check(z.regex(/^[^:\s]+:[^:\s]+$/, 'expected "Vendor:Name"'))),
      ['AWS:AWSManagedRulesCommonRuleSet', 'AWS:AWSManagedRulesKnownBadInputsRuleSet'],
      'Managed rule groups the web ACL must contain, as "Vendor:Name" (e.g. "AWS:AWSManagedRulesSQLiRuleSet").',
    ),
    allowCountOnly: withDefault(
      z.boolean(),
      false,
      'Accept a required rule group whose action is overridden to count (it logs matches but blocks nothing).',
    ),
  }),
  evaluate(stage, { requiredRuleGroups, allowCountOnly }) {
    const what = sentence(describeResource(stage));
    if (!stage.webAclArn) {
      return notApplicable(
        `${what} has no web ACL attached, so there are no rule groups to judge (rule rest-stage-waf-attached reports the missing web ACL).`,
      );
    }
    const webAcl = stage.webAcl;
    if (!webAcl) throw new CannotJudge(`the contents of web ACL ${stage.webAclArn} could not be read`);

    const present = (name: string) => webAcl.managedRuleGroups.find((group) => group.name === name);
    const missing = requiredRuleGroups.filter((name) => !present(name));
    const countOnly = requiredRuleGroups.filter((name) => present(name)?.countOnly && !allowCountOnly);
    const observed = {
      webAclArn: webAcl.arn,
      managedRuleGroups: webAcl.managedRuleGroups.map((group) =>
        group.countOnly ? `${group.name} (count only)` : group.name,
      ),
    };
    const expected = { requiredRuleGroups, countOnlyAccepted: allowCountOnly };

    if (missing.length > 0 || countOnly.length > 0) {
      const problems = [
        missing.length > 0 ? `lacks ${listSome(missing, 2)}` : '',
        countOnly.length > 0 ? `only counts with ${listSome(countOnly, 2)}` : '',
      ].filter(Boolean);
      return nonCompliant(
        `${what} has web ACL ${webAcl.name}, which ${problems.join(' and ')}; the required managed rule groups must block.`,
        { observed, expected },
      );
    }
    return compliant(
      `${what} has web ACL ${webAcl.name} with all ${requiredRuleGroups.length} required managed rule groups${allowCountOnly ? '' : ' blocking'}.`,
      { observed, expected },
    );
  },
  references: {
    docs: [
      'https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-baseline.html',
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-aws-waf.html',
    ],
  },
});
