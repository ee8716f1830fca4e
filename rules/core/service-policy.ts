// Whether an IAM policy document lets an AWS service principal do something: a role's trust
// policy (API Gateway assuming the CloudWatch Logs role) and CloudWatch Logs resource policies
// (log delivery writing HTTP API access logs). Conditions are judged where gatewatch can see
// what the request would carry (`aws:SourceAccount`); the others are named, not guessed.
import { asList, restrictingConditions } from './policy';
import type { PolicyDocument, PolicyStatement } from './resources';

/** IAM's wildcard match: `*` any run of characters (`/` included), `?` one. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, ignoreCase ? 'i' : '').test(value);
}

const names = (statement: PolicyStatement, service: string): boolean => {
  const principal = statement.Principal;
  if (principal === '*') return true;
  if (principal === undefined) return false;
  return asList(principal.Service).includes(service) || asList(principal.AWS).includes('*');
};

const coversAction = (statement: PolicyStatement, action: string): boolean =>
  statement.NotAction !== undefined
    ? !asList(statement.NotAction).some((pattern) => wildcardMatch(pattern, action, true))
    : asList(statement.Action).some((pattern) => wildcardMatch(pattern, action, true));

const coversResource = (statement: PolicyStatement, resources: readonly string[] | undefined): boolean => {
  if (resources === undefined) return true;
  if (statement.NotResource !== undefined) {
    return resources.some(
      (resource) => !asList(statement.NotResource).some((pattern) => wildcardMatch(pattern, resource)),
    );
  }
  return resources.some((resource) =>
    asList(statement.Resource).some((pattern) => wildcardMatch(pattern, resource)),
  );
};

export interface ServiceGrant {
  /** An Allow statement grants it and no unconditional Deny takes it away. */
  readonly allowed: boolean;
  /** Why not, in words, when not allowed. */
  readonly why?: string;
  /** Condition keys of the granting statement gatewatch cannot evaluate. */
  readonly unchecked: readonly string[];
}

/**
 * Whether `document` lets `service` perform `action` (on one of `resources`, when given), for a
 * request from `accountId`.
 */
export function grantsService(
  document: PolicyDocument | null,
  service: string,
  action: string,
  accountId: string,
  resources?: readonly string[],
): ServiceGrant {
  if (document === null) return { allowed: false, why: 'the policy is not valid JSON', unchecked: [] };
  const applies = (statement: PolicyStatement) =>
    names(statement, service) && coversAction(statement, action) && coversResource(statement, resources);
  const denied = document.Statement.find(
    (statement) => statement.Effect === 'Deny' && applies(statement) && statement.Condition === undefined,
  );
  if (denied) {
    return { allowed: false, why: `statement ${denied.Sid ?? '(no Sid)'} denies it`, unchecked: [] };
  }
  let excluded: string | undefined;
  for (const statement of document.Statement) {
    if (statement.Effect !== 'Allow' || !applies(statement)) continue;
    const conditions = restrictingConditions(statement, false);
    const account = conditions.find((condition) => condition.key === 'aws:sourceaccount');
    if (account && !account.values.some((value) => wildcardMatch(value, accountId))) {
      excluded = `aws:SourceAccount ${account.values.join(', ')} excludes ${accountId}`;
      continue;
    }
    return {
      allowed: true,
      unchecked: conditions.filter((condition) => condition.key !== 'aws:sourceaccount').map((c) => c.key),
    };
  }
  return {
    allowed: false,
    why: excluded ?? `no statement allows ${action}`,
    unchecked: [],
  };
}
