import * as z from 'zod/mini';
import { parameters, withDefault } from './core/params';
import { planCalls, refuse } from './core/plans';
import { plannedCall } from './core/remediation-calls';
import { describeResource } from './core/resources';
import { CannotJudge, compliant, defineRule, nonCompliant } from './core/rule';
import { sentence } from './core/text';

/** Every security policy API Gateway offers for custom domains that refuses TLS 1.0 and 1.1. */
const TLS_1_2_OR_NEWER = [
  'TLS_1_2',
  'SecurityPolicy_TLS13_1_3_2025_09',
  'SecurityPolicy_TLS13_1_3_FIPS_2025_09',
  'SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09',
  'SecurityPolicy_TLS13_1_2_FIPS_PQ_2025_09',
  'SecurityPolicy_TLS13_1_2_FIPS_PFS_PQ_2025_09',
  'SecurityPolicy_TLS13_1_2_PQ_2025_09',
  'SecurityPolicy_TLS13_1_2_2021_06',
  'SecurityPolicy_TLS13_2025_EDGE',
  'SecurityPolicy_TLS12_PFS_2025_EDGE',
  'SecurityPolicy_TLS12_2018_EDGE',
];

export default defineRule({
  id: 'domain-tls-policy',
  title: 'Custom domains use a security policy that requires TLS 1.2 or newer',
  severity: 'HIGH',
  resource: 'domain-name',
  rationale:
    'The security policy of a custom domain sets the oldest TLS version and the ciphers API Gateway accepts. ' +
    'TLS_1_0 still accepts TLS 1.0 and 1.1 with CBC and 3DES ciphers, which are deprecated (RFC 8996) and open ' +
    'to downgrade attacks.',
  parameters: parameters({
    allowedSecurityPolicies: withDefault(
      z.array(z.string()).check(z.minLength(1)),
      TLS_1_2_OR_NEWER,
      'The security policies a custom domain may use: TLS_1_2 and the enhanced SecurityPolicy_ policies.',
    ),
  }),
  evaluate(domain, { allowedSecurityPolicies }) {
    if (!domain.securityPolicy) {
      throw new CannotJudge('the snapshot does not name the security policy of the custom domain');
    }
    const what = sentence(describeResource(domain));
    const observed = domain.securityPolicy;
    const expected = { oneOf: allowedSecurityPolicies };
    if (!allowedSecurityPolicies.includes(domain.securityPolicy)) {
      const why =
        domain.securityPolicy === 'TLS_1_0'
          ? 'which accepts TLS 1.0 and 1.1; a policy requiring TLS 1.2 or newer is expected'
          : `which is not one of the ${allowedSecurityPolicies.length} allowed security policies`;
      return nonCompliant(`${what} uses security policy ${domain.securityPolicy}, ${why}.`, {
        observed,
        expected,
      });
    }
    return compliant(`${what} uses security policy ${domain.securityPolicy}.`, { observed, expected });
  },
  remediation: {
    kind: 'safe',
    summary: 'Sets the security policy of the custom domain to TLS_1_2.',
    calls: [
      {
        service: 'apigateway',
        operation: 'UpdateDomainName',
        iamActions: ['apigateway:PATCH'],
        effect: 'replace /securityPolicy with TLS_1_2.',
      },
    ],
    canBreakClients: true,
    breakage: 'Clients that can only speak TLS 1.0 or 1.1 can no longer connect through the custom domain.',
    async plan(domain, { allowedSecurityPolicies }) {
      if (!allowedSecurityPolicies.includes('TLS_1_2')) {
        return refuse(
          `The rule's allowedSecurityPolicies do not allow TLS_1_2, the policy remediation sets, so custom domain ${domain.domainName} is left for a person to change.`,
        );
      }
      return planCalls([
        plannedCall(
          'apigateway:UpdateDomainName',
          {
            domainName: domain.domainName,
            patchOperations: [{ op: 'replace', path: '/securityPolicy', value: 'TLS_1_2' }],
          },
          `custom domain ${domain.domainName}: /securityPolicy ${domain.securityPolicy} → TLS_1_2`,
        ),
      ]);
    },
  },
  references: {
    configManagedRule: 'apigateway-domain-name-tls-check',
    docs: [
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-custom-domain-tls-version.html',
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-security-policies-list.html',
      'https://docs.aws.amazon.com/config/latest/developerguide/apigateway-domain-name-tls-check.html',
    ],
  },
});
