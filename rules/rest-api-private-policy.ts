import * as z from 'zod/mini';
import { parameters, withDefault } from './core/params';
import { coversWholeApi, isEveryone, restrictingConditions, statementLabel } from './core/policy';
import { describeResource, type PolicyStatement } from './core/resources';
import { compliant, defineRule, nonCompliant, notApplicable } from './core/rule';
import { listSome, sentence } from './core/text';

// Condition keys are case-insensitive (AWS's own examples write `aws:sourceVpce`).
const NETWORK_KEYS = ['aws:sourcevpc', 'aws:sourcevpce'];

/**
 * The VPC and VPC endpoint ids a statement's condition limits requests to, or null when it sets no
 * such limit. A wildcard value (`vpce-*`) admits every endpoint, so it limits nothing.
 */
function networkLimit(statement: PolicyStatement, negated: boolean): string[] | null {
  const limits = restrictingConditions(statement, negated).filter(
    ({ key, values }) => NETWORK_KEYS.includes(key) && !values.some((value) => value.includes('*')),
  );
  return limits.length === 0 ? null : limits.flatMap(({ values }) => values);
}

export default defineRule({
  id: 'rest-api-private-policy',
  title: 'Private REST APIs have a resource policy that limits callers to known VPCs',
  severity: 'HIGH',
  resource: 'rest-api',
  rationale:
    'A private API is reachable from any interface VPC endpoint for execute-api that its resource policy lets in, ' +
    'including endpoints in other AWS accounts. Only a policy conditioned on aws:SourceVpc or aws:SourceVpce keeps ' +
    'it to the networks it was built for.',
  parameters: parameters({
    allowedVpcEndpointIds: withDefault(
      z.array(z.string()),
      [],
      'When not empty, every VPC endpoint id (vpce-…) the resource policy names must be one of these; VPC ids are not checked.',
    ),
  }),
  evaluate(api, { allowedVpcEndpointIds }) {
    const what = sentence(describeResource(api));
    if (!api.endpointTypes.includes('PRIVATE')) {
      return notApplicable(
        `${what} is not a private API; its network access is not governed by VPC endpoints.`,
      );
    }
    const expected = 'a resource policy limiting callers by aws:SourceVpc or aws:SourceVpce';
    if (!api.policy) {
      return nonCompliant(
        `${what} is private but has no resource policy, so nobody can invoke it yet; ${expected} is expected.`,
        { observed: null, expected },
      );
    }
    const statements = api.policy.Statement;
    const allows = statements.map((s, index) => ({ s, index })).filter(({ s }) => s.Effect === 'Allow');
    if (allows.length === 0) {
      return nonCompliant(
        `${what} is private and its resource policy allows nobody to invoke it; ${expected} is expected.`,
        { observed: { allows: 0 }, expected },
      );
    }
    const allowIds = allows.map(({ s }) => networkLimit(s, false));
    const denyIds = statements
      .filter((s) => s.Effect === 'Deny' && isEveryone(s) && coversWholeApi(s))
      .map((s) => networkLimit(s, true))
      .filter((ids) => ids !== null);
    const open = allows
      .filter((_, i) => allowIds[i] === null)
      .map(({ s, index }) => statementLabel(s, index));
    if (denyIds.length === 0 && open.length > 0) {
      return nonCompliant(
        `${what} has ${open.length === 1 ? 'an Allow statement' : 'Allow statements'} (${listSome(open)}) not limited to a VPC or VPC endpoint, and no Deny for other networks.`,
        { observed: { unrestrictedAllows: open }, expected },
      );
    }
    // With a Deny for other networks, its ids bound access; otherwise every Allow's ids do.
    const admitted = [...new Set((denyIds.length > 0 ? denyIds : allowIds).flatMap((ids) => ids ?? []))];
    const vpceIds = admitted.filter((id) => id.startsWith('vpce-'));
    const unknown = vpceIds.filter((id) => !allowedVpcEndpointIds.includes(id));
    if (allowedVpcEndpointIds.length > 0 && unknown.length > 0) {
      return nonCompliant(
        `${what} lets in VPC endpoints ${listSome(unknown)}, which are not among the ${allowedVpcEndpointIds.length} allowed VPC endpoints.`,
        { observed: { admitted }, expected: { vpcEndpointIdsOneOf: allowedVpcEndpointIds } },
      );
    }
    return compliant(`${what} has a resource policy limiting callers to ${listSome(admitted)}.`, {
      observed: { admitted },
      expected,
    });
  },
  references: {
    docs: [
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-private-apis.html',
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-examples.html',
    ],
  },
});
