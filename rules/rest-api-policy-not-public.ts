import { noParameters } from './core/params';
import { coversWholeApi, isEveryone, restrictingConditions, statementLabel } from './core/policy';
import { describeResource, type PolicyStatement } from './core/resources';
import { compliant, defineRule, nonCompliant, notApplicable } from './core/rule';
import { listSome, sentence } from './core/text';

// Condition keys that tie a request to a network, an organization or an account. Keys are case-insensitive.
const SOURCE_KEYS = [
  'aws:sourcevpc',
  'aws:sourcevpce',
  'aws:sourceip',
  'aws:vpcsourceip',
  'aws:principalorgid',
  'aws:principalorgpaths',
  'aws:principalaccount',
  'aws:principalarn',
  'aws:sourceaccount',
  'aws:sourcearn',
  'aws:sourceorgid',
];

// `*`, `vpce-*`, `o-*`, 0.0.0.0/0 and ::/0 match every caller.
const matchesEveryone = (value: string) =>
  /^[a-z]*-?\*$/i.test(value) || ['0.0.0.0/0', '::/0'].includes(value);

/** Whether a statement's condition ties requests to a source that is not everyone. */
const limitsSource = (statement: PolicyStatement, negated: boolean) =>
  restrictingConditions(statement, negated).some(
    ({ key, values }) => SOURCE_KEYS.includes(key) && !values.some(matchesEveryone),
  );

export default defineRule({
  id: 'rest-api-policy-not-public',
  title: 'REST API resource policies grant nobody access without a source condition',
  severity: 'CRITICAL',
  resource: 'rest-api',
  rationale:
    'A resource policy that allows Principal "*" without a condition on the source VPC, IP range, organization ' +
    'or account opens the API to every caller the method authorization lets through: IAM principals of any AWS ' +
    'account for AWS_IAM methods, and any VPC endpoint of any account for a private API.',
  parameters: noParameters,
  evaluate(api) {
    const what = sentence(describeResource(api));
    if (!api.policy) {
      return notApplicable(
        `${what} has no resource policy; who may call it is decided by its methods' authorization.`,
      );
    }
    const statements = api.policy.Statement;
    const expected =
      'no Allow for everyone (*) without a condition on source VPC, IP, organization or account';
    const publicAllows = statements
      .map((statement, index) => ({ statement, index }))
      .filter(({ statement }) => statement.Effect === 'Allow')
      .filter(({ statement }) => isEveryone(statement) || statement.NotPrincipal !== undefined)
      .filter(({ statement }) => !limitsSource(statement, false))
      .map(({ statement, index }) => statementLabel(statement, index));
    if (publicAllows.length === 0) {
      return compliant(`${what} has a resource policy that allows nobody without a source condition.`, {
        observed: { publicAllows },
        expected,
      });
    }
    const fence = statements.findIndex(
      (statement) =>
        statement.Effect === 'Deny' &&
        isEveryone(statement) &&
        coversWholeApi(statement) &&
        limitsSource(statement, true),
    );
    if (fence >= 0) {
      const deny = statementLabel(statements[fence] as PolicyStatement, fence);
      return compliant(
        `${what} allows everyone in ${listSome(publicAllows)}, but its Deny ${deny} limits every caller by source.`,
        { observed: { publicAllows, limitingDeny: deny }, expected },
      );
    }
    return nonCompliant(
      `${what} has a resource policy allowing everyone (*) with no source condition in ${listSome(publicAllows)}.`,
      { observed: { publicAllows }, expected },
    );
  },
  references: {
    docs: [
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies.html',
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-authorization-flow.html',
    ],
  },
});
