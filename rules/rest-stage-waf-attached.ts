import * as z from 'zod/mini';
import { optional, parameters, withDefault } from './core/params';
import { planCalls, refuse, stageName } from './core/plans';
import { plannedCall } from './core/remediation-calls';
import { describeResource } from './core/resources';
import { compliant, defineRule, nonCompliant } from './core/rule';
import { sentence } from './core/text';

export default defineRule({
  id: 'rest-stage-waf-attached',
  title: 'REST API stages have an AWS WAF web ACL attached',
  severity: 'HIGH',
  resource: 'rest-stage',
  rationale:
    'A web ACL filters SQL injection, cross-site scripting, known bad inputs and floods before they reach the ' +
    'backend. Detaching it, even for a minute, leaves the stage open to everything the web ACL was blocking.',
  parameters: parameters({
    allowedWebAclArns: withDefault(
      z.array(z.string()),
      [],
      'When not empty, the attached web ACL must be one of these web ACL ARNs.',
    ),
    defaultWebAclArn: optional(
      z.string(),
      'The web ACL remediation attaches when the baseline knows of no previous one.',
    ),
  }),
  evaluate(stage, { allowedWebAclArns }) {
    const expected = allowedWebAclArns.length > 0 ? { oneOf: allowedWebAclArns } : 'a WAFv2 web ACL';
    if (!stage.webAclArn) {
      return nonCompliant(`${sentence(describeResource(stage))} has no AWS WAF web ACL attached.`, {
        observed: null,
        expected,
      });
    }
    if (allowedWebAclArns.length > 0 && !allowedWebAclArns.includes(stage.webAclArn)) {
      return nonCompliant(
        `${sentence(describeResource(stage))} has web ACL ${stage.webAclArn} attached, which is not one of the ${allowedWebAclArns.length} allowed web ACLs.`,
        { observed: stage.webAclArn, expected },
      );
    }
    return compliant(`${sentence(describeResource(stage))} has web ACL ${stage.webAclArn} attached.`, {
      observed: stage.webAclArn,
      expected,
    });
  },
  remediation: {
    kind: 'restore',
    summary:
      'Re-associates the web ACL that was attached before the drift (from the baseline), or the configured default web ACL.',
    calls: [
      {
        service: 'wafv2',
        operation: 'AssociateWebACL',
        iamActions: ['wafv2:AssociateWebACL', 'wafv2:GetWebACL', 'apigateway:SetWebACL'],
        effect: 'Associates the web ACL with the stage ARN.',
      },
    ],
    canBreakClients: true,
    breakage: 'Requests the web ACL blocks are rejected again, as they were before the drift.',
    async plan(stage, { allowedWebAclArns, defaultWebAclArn }, context) {
      const before = context.knownGood?.webAclArn ?? null;
      const usable = (arn: string | null | undefined): arn is string =>
        Boolean(arn) && (allowedWebAclArns.length === 0 || allowedWebAclArns.includes(arn as string));
      const [webAclArn, source] = usable(before)
        ? [before, 'the web ACL attached before the drift']
        : usable(defaultWebAclArn)
          ? [defaultWebAclArn, 'the configured defaultWebAclArn']
          : [undefined, ''];
      if (!webAclArn) {
        return refuse(
          `gatewatch knows no web ACL that was attached to ${stageName(stage)} before, and the rule's defaultWebAclArn is not set; it does not guess.`,
        );
      }
      return planCalls([
        plannedCall(
          'wafv2:AssociateWebACL',
          { WebACLArn: webAclArn, ResourceArn: stage.arn },
          `${stageName(stage)}: associate ${webAclArn} (${source})`,
        ),
      ]);
    },
  },
  references: {
    securityHub: ['APIGateway.4'],
    configManagedRule: 'api-gw-associated-with-waf',
    docs: [
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-aws-waf.html',
    ],
  },
});
