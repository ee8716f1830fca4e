// Reading IAM resource policies of REST APIs, shared by the policy rules.
import type { PolicyStatement } from './resources';

/** Policy fields may hold one string or a list of them. */
export const asList = (value: string | readonly string[] | undefined): readonly string[] =>
  value === undefined ? [] : typeof value === 'string' ? [value] : value;

/** `Principal: "*"` or `Principal: {"AWS": "*"}`: every caller. */
export const isEveryone = (statement: PolicyStatement) =>
  statement.Principal === '*' || asList(statement.Principal?.AWS).includes('*');

/** A statement's Sid, or its position, for reasons. */
export const statementLabel = (statement: PolicyStatement, index: number) =>
  statement.Sid ?? `statement ${index + 1}`;

/**
 * Condition operators that restrict on the given keys: a matching operator (`StringEquals`) on an
 * Allow, a negated one (`StringNotEquals`) on a Deny. `…IfExists` lets a request without the key
 * through, so on an Allow it restricts nothing.
 */
export function restrictingConditions(
  statement: PolicyStatement,
  negated: boolean,
): { readonly key: string; readonly values: readonly string[] }[] {
  const found: { key: string; values: readonly string[] }[] = [];
  for (const [operator, keys] of Object.entries(statement.Condition ?? {})) {
    if (operator === 'Null' || operator.includes('Not') !== negated) continue;
    if (!negated && operator.endsWith('IfExists')) continue;
    for (const [key, values] of Object.entries(keys))
      found.push({ key: key.toLowerCase(), values: asList(values) });
  }
  return found;
}

/** A Deny only bounds the API if it covers invoking every stage, method and path. */
export function coversWholeApi(statement: PolicyStatement): boolean {
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
