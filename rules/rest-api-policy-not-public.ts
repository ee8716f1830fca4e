import { noParameters } from './core/params';
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

const asList = (value: string | readonly string[] | undefined): readonly string[] =>
  value === undefined ? [] : typeof value === 'string' ? [value] : value;

// `*`, `vpce-*`, `o-*`, 0.0.0.0/0 and ::/0 match every caller.
const matchesEveryone = (value: string) =>
  /^[a-z]*-?\*$/i.test(value) || ['0.0.0.0/0', '::/0'].includes(value);

/**
 * Whether a statement's condition ties requests to a source: on an Allow with a matching operator
 * (`IpAddress`, `StringEquals`), on a Deny with a negated one (`NotIpAddress`, `StringNotEquals`).
 */
function limitsSource(statement: PolicyStatement, negated: boolean): boolean {
  return Object.entries(statement.Condition ?? {}).some(([operator, keys]) => {
    if (operator === 'Null' || operator.includes('Not') !== negated) return false;
    // `…IfExists` lets a request without the key through, so on an Allow it limits nothing.
    if (!negated && operator.endsWith('IfExists')) return false;
    return Object.entries(keys).some(
      ([key, values]) => SOURCE_KEYS.includes(key.toLowerCase()) && !asList(values).some(matchesEveryone),
    );
  });
}

const isEveryone = (statement: PolicyStatement) =>
  statement.Principal === '*' || asList(statement.Principal?.AWS).includes('*');

/** A Deny only bounds the API if it covers invoking every stage, method and path. */
function coversWholeApi(statement: PolicyStatement): boolean {
  const invokes = asList(statement.Action).some((action) =>
    ['*', 'execute-api:*', 'execute-api:invoke'].includes(action.toLowerCase()),
  );
  const everywhere = asList(statement.Resource).some((resource) => {
    // `execute-api:/*`, or an ARN whose part after the account is `*` or `{api id}/*/*/*`.
    const tail = resource.startsWith('execute-api:/') ? resource : resource.split(':').slice(5).join(':');
    const path = tail === '*' ? '*' : tail.slice(tail.indexOf('/') + 1);
    return resource === '*' || ((tail.includes('/') || tail === '*') && /^[*/]+$/.test(path));
  });
  return invokes && everywhere;
}

const label = (statement: PolicyStatement, index: number) => statement.Sid ?? `statement ${index + 1}`;

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
      .map(({ statement, index }) => label(statement, index));
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
      const deny = label(statements[fence] as PolicyStatement, fence);
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
