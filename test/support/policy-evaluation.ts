// A small IAM evaluator for synthesized templates, enough to read queue policies as AWS does:
// intrinsic values resolved to ARNs in one made-up account, statements matched on principal,
// action and resource, conditions evaluated (a missing key fails a condition, except for the
// negated and IfExists operators), and an explicit Deny anywhere beating every Allow.
import { asList, type Resource, type Statement, statementsOf } from './infra';

export const ACCOUNT = '111111111111';
export const REGION = 'eu-west-1';
type Template = { Resources: Record<string, Resource> };

/** A template value as CloudFormation would resolve it in ACCOUNT and REGION. */
export function resolve(template: Template, value: unknown): string {
  if (typeof value === 'string') return value;
  const object = value as Record<string, unknown>;
  if ('Ref' in object) {
    const ref = object.Ref as string;
    if (ref === 'AWS::Partition') return 'aws';
    if (ref === 'AWS::AccountId') return ACCOUNT;
    if (ref === 'AWS::Region') return REGION;
    return `ref:${ref}`;
  }
  if ('Fn::GetAtt' in object) {
    const [id, attribute] = object['Fn::GetAtt'] as [string, string];
    const type = template.Resources[id]?.Type;
    if (attribute === 'Arn' && type === 'AWS::IAM::Role') return roleArn(id);
    if (attribute === 'Arn' && type === 'AWS::SQS::Queue') return `arn:aws:sqs:${REGION}:${ACCOUNT}:${id}`;
    return `arn:aws:${type}:${REGION}:${ACCOUNT}:${id}`;
  }
  if ('Fn::Join' in object) {
    const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => resolve(template, part)).join(separator);
  }
  throw new Error(`cannot resolve ${JSON.stringify(value)}`);
}

export const roleArn = (logicalId: string) => `arn:aws:iam::${ACCOUNT}:role/${logicalId}`;
export const ROOT = `arn:aws:iam::${ACCOUNT}:root`;

/** Who asks: a principal of the account (by ARN), or an AWS service on behalf of a resource. */
export type Caller =
  | { readonly principalArn: string }
  | { readonly service: string; readonly sourceArn: string };

const glob = (pattern: string, value: string) =>
  new RegExp(
    `^${pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('')}$`,
    'i',
  ).test(value);

function conditionHolds(operator: string, expected: string[], actual: string | undefined): boolean {
  const ifExists = operator.endsWith('IfExists');
  const base = ifExists ? operator.slice(0, -'IfExists'.length) : operator;
  const negated = /Not/.test(base);
  if (actual === undefined) return ifExists || negated;
  const positive = base.replace('Not', '');
  const match = (value: string) =>
    positive === 'StringLike' || positive === 'ArnLike'
      ? glob(value, actual)
      : positive === 'Bool'
        ? value.toLowerCase() === actual.toLowerCase()
        : positive === 'StringEquals' || positive === 'ArnEquals'
          ? value === actual
          : (() => {
              throw new Error(`operator ${operator} is not evaluated here`);
            })();
  const any = expected.some(match);
  return negated ? !any : any;
}

function principalMatches(statement: Statement, caller: Caller, template: Template): boolean {
  const principal = statement.Principal as string | Record<string, unknown> | undefined;
  if (principal === '*') return true;
  if (!principal || typeof principal !== 'object') return false;
  if ('AWS' in principal) {
    const arns = asList(principal.AWS as unknown).map((value) => resolve(template, value));
    if (arns.includes('*')) return true;
    return 'principalArn' in caller && arns.some((arn) => arn === caller.principalArn || arn === ACCOUNT);
  }
  if ('Service' in principal) {
    return 'service' in caller && asList(principal.Service as string).includes(caller.service);
  }
  return false;
}

function applies(
  statement: Statement,
  template: Template,
  request: { caller: Caller; action: string; resourceArn: string; secure?: boolean },
): boolean {
  const { caller } = request;
  if (!asList(statement.Action).some((action) => glob(action, request.action))) return false;
  const resources = asList(statement.Resource as unknown).map((value) => resolve(template, value));
  if (!resources.some((resource) => glob(resource, request.resourceArn))) return false;
  const context: Record<string, string | undefined> = {
    'aws:PrincipalArn': 'principalArn' in caller ? caller.principalArn : undefined,
    'aws:PrincipalIsAWSService': 'service' in caller ? 'true' : 'false',
    'aws:SourceArn': 'service' in caller ? caller.sourceArn : undefined,
    'aws:SecureTransport': request.secure === false ? 'false' : 'true',
  };
  return Object.entries(statement.Condition ?? {}).every(([operator, keys]) =>
    Object.entries(keys).every(([key, values]) =>
      conditionHolds(
        operator,
        asList(values as unknown).map((value) => resolve(template, value)),
        context[key],
      ),
    ),
  );
}

export type Decision = 'allowed' | 'explicitly denied' | 'not allowed';

/**
 * What AWS decides for `caller` doing `action` on the queue `queueId`: its queue policy's
 * statements, and — for a principal of the account — the identity policies of the role with
 * that ARN in the template, or `identity` statements (say, a role someone else made with sqs:*).
 */
export function decide(
  template: Template,
  queueId: string,
  request: { caller: Caller; action: string; secure?: boolean; identity?: Statement[] },
): Decision {
  const resourceArn = resolve(template, { 'Fn::GetAtt': [queueId, 'Arn'] });
  const queuePolicy = Object.values(template.Resources)
    .filter(
      (resource) =>
        resource.Type === 'AWS::SQS::QueuePolicy' &&
        asList(resource.Properties.Queues as unknown[]).some(
          (queue) => JSON.stringify(queue) === JSON.stringify({ Ref: queueId }),
        ),
    )
    .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
  const { caller } = request;
  const roleId =
    'principalArn' in caller && caller.principalArn.startsWith(roleArn(''))
      ? caller.principalArn.slice(roleArn('').length)
      : undefined;
  const identity = [
    ...(request.identity ?? []),
    ...(roleId && template.Resources[roleId] ? statementsOf(template, roleId) : []),
  ].map((statement) => ({ ...statement, Principal: '*' }));
  const full = { ...request, resourceArn };
  const matching = [
    ...queuePolicy.filter((statement) => principalMatches(statement, caller, template)),
    ...identity,
  ].filter((statement) => applies(statement, template, full));
  if (matching.some((statement) => statement.Effect === 'Deny')) return 'explicitly denied';
  return matching.some((statement) => statement.Effect === 'Allow') ? 'allowed' : 'not allowed';
}
