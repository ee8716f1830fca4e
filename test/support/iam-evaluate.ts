// IAM's evaluation of identity policies, small enough to trust and tested on its own
// (iam-evaluate.test.ts), for asking a synthesized template "may this role make this request?":
// - `*` matches any run of characters, `/` and `:` included, `?` exactly one character; actions
//   match case-insensitively, resources case-sensitively; the first five ARN segments (arn,
//   partition, service, region, account) are matched each on its own, the resource part as a whole;
// - an explicit Deny wins over any Allow; nothing allowed is denied;
// - conditions conservatively: a condition key the request does not state is the caller's choice,
//   so an Allow's condition on it is taken as met and a Deny's as not met. Operators gatewatch does
//   not use are refused rather than guessed.
// CloudFormation values are resolved first (resolvePolicyValue): pseudo parameters to the given
// account and region, a template parameter to "anything" in an Allow and "nothing" in a Deny, and a
// reference to a resource of the template to a placeholder naming it.

export interface Request {
  readonly action: string;
  readonly resource: string;
  /** Condition keys the request carries; each value is the key's set of values. */
  readonly context?: Readonly<Record<string, readonly string[]>>;
}

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: unknown;
  readonly NotResource?: unknown;
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export type Decision = 'allow' | 'deny' | 'implicit-deny';

/** Stands for a template parameter's value: anything in an Allow, nothing in a Deny. */
export const ANY_VALUE = '\u0000';

const list = <T>(value: T | readonly T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? [...(value as T[])] : [value as T];

/** IAM's glob: `*` any run (`/` included), `?` one character, everything else literal. */
export function globMatches(pattern: string, value: string, caseInsensitive = false): boolean {
  const source = [...pattern]
    .map((char) =>
      char === '*' ? '[\\s\\S]*' : char === '?' ? '[\\s\\S]' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${source}$`, caseInsensitive ? 'i' : '').test(value);
}

/** A resource pattern against an ARN: the first five segments one by one, then the resource part. */
export function resourceMatches(pattern: string, arn: string): boolean {
  if (pattern === '*') return true;
  const patternParts = splitArn(pattern);
  const arnParts = splitArn(arn);
  if (!patternParts || !arnParts) return globMatches(pattern, arn);
  return patternParts.every((part, index) => globMatches(part, arnParts[index] as string));
}

function splitArn(arn: string): string[] | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

export const actionMatches = (pattern: string, action: string) => globMatches(pattern, action, true);

/** Whether a statement applies to a request, conditions read as `effect` needs them read. */
export function statementApplies(statement: PolicyStatement, request: Request): boolean {
  const allow = statement.Effect === 'Allow';
  const usable = (value: string) => allow || !value.includes(ANY_VALUE);
  const asGlob = (value: string) => value.split(ANY_VALUE).join('*');
  const matchesAny = (values: unknown, match: (pattern: string) => boolean) =>
    list(values as string | string[])
      .filter((value) => typeof value === 'string' && usable(value))
      .some((value) => match(asGlob(value)));

  if (statement.Action !== undefined) {
    if (!matchesAny(statement.Action, (pattern) => actionMatches(pattern, request.action))) return false;
  } else if (statement.NotAction !== undefined) {
    if (list(statement.NotAction).some((pattern) => actionMatches(asGlob(pattern), request.action)))
      return false;
  } else return false;

  if (statement.Resource !== undefined) {
    if (!matchesAny(statement.Resource, (pattern) => resourceMatches(pattern, request.resource)))
      return false;
  } else if (statement.NotResource !== undefined) {
    // In an Allow, an unknown excluded pattern excludes nothing; in a Deny, it could exclude anything.
    const excluded = list(statement.NotResource as string | string[]).some((pattern) =>
      pattern.includes(ANY_VALUE) ? !allow : resourceMatches(pattern, request.resource),
    );
    if (excluded) return false;
  } else return false;

  return conditionsHold(statement.Condition ?? {}, request.context ?? {}, allow);
}

/** The decision for a request under a set of identity-policy statements. */
export function evaluate(statements: readonly PolicyStatement[], request: Request): Decision {
  const applying = statements.filter((statement) => statementApplies(statement, request));
  if (applying.some((statement) => statement.Effect === 'Deny')) return 'deny';
  if (applying.some((statement) => statement.Effect === 'Allow')) return 'allow';
  return 'implicit-deny';
}

const STRING_OPERATORS: Record<string, (pattern: string, value: string) => boolean> = {
  StringEquals: (pattern, value) => pattern === value,
  StringLike: (pattern, value) => globMatches(pattern, value),
  ArnEquals: (pattern, value) => pattern === value,
  ArnLike: (pattern, value) => resourceMatches(pattern, value),
  Bool: (pattern, value) => pattern.toLowerCase() === value.toLowerCase(),
};
const NEGATED: Record<string, string> = {
  StringNotEquals: 'StringEquals',
  StringNotLike: 'StringLike',
  ArnNotEquals: 'ArnEquals',
  ArnNotLike: 'ArnLike',
};

/**
 * Every operator and key must hold (AND); a key's values are alternatives (OR). A key the request
 * does not mention is the caller's choice: an Allow's condition on it is met, a Deny's is not. A
 * key the request carries with no value (`[]`) is absent, and decided as IAM decides: `Null`,
 * `…IfExists`, `ForAllValues` and the negated operators hold, the others do not.
 */
export function conditionsHold(
  condition: Readonly<Record<string, Readonly<Record<string, unknown>>>>,
  context: Readonly<Record<string, readonly string[]>>,
  allow: boolean,
): boolean {
  return Object.entries(condition).every(([fullOperator, keys]) =>
    Object.entries(keys).every(([key, expected]) => {
      const wanted = list(expected as string | string[]).map(String);
      const given = context[key];
      if (given === undefined) return allow;
      if (fullOperator === 'Null') return wanted.some((value) => (value === 'true') === (given.length === 0));
      const ifExists = fullOperator.endsWith('IfExists');
      const [qualifier, base] = splitOperator(fullOperator.replace(/IfExists$/, ''));
      const negated = NEGATED[base];
      const compare = STRING_OPERATORS[negated ?? base];
      if (!compare) throw new Error(`condition operator ${fullOperator} is not modelled`);
      if (given.length === 0) return ifExists || qualifier === 'ForAllValues' || negated !== undefined;
      const matches = (pattern: string, value: string) =>
        pattern.includes(ANY_VALUE)
          ? allow && globMatches(pattern.split(ANY_VALUE).join('*'), value)
          : compare(pattern, value);
      const holdsFor = (value: string) => {
        const matched = wanted.some((pattern) => matches(pattern, value));
        return negated ? !matched : matched;
      };
      if (qualifier === 'ForAllValues') return given.every(holdsFor);
      if (qualifier === 'ForAnyValue') return given.some(holdsFor);
      // A single-valued operator on a request with several values: every one must match.
      return given.every(holdsFor);
    }),
  );
}

function splitOperator(operator: string): [string | undefined, string] {
  const [first, second] = operator.split(':');
  return second === undefined ? [undefined, first as string] : [first, second];
}

export interface TemplateEnvironment {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  /** The template's parameters: a reference to one is ANY_VALUE. */
  readonly parameters: ReadonlySet<string>;
}

/**
 * A CloudFormation value as a string: `Fn::Sub`, `Fn::Join`, `Ref`, `Fn::GetAtt`. A resource of
 * the template becomes `⟨LogicalId⟩` / `⟨LogicalId.Attribute⟩`, which matches only itself.
 */
export function resolvePolicyValue(value: unknown, env: TemplateEnvironment): unknown {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((item) => resolvePolicyValue(item, env));
  if (typeof value !== 'object' || value === null) return value;
  const node = value as Record<string, unknown>;
  const pseudo = (name: string): string => {
    if (name === 'AWS::Partition') return env.partition;
    if (name === 'AWS::Region') return env.region;
    if (name === 'AWS::AccountId') return env.account;
    if (name === 'AWS::URLSuffix') return 'amazonaws.com';
    if (env.parameters.has(name) || name.startsWith('AWS::')) return ANY_VALUE;
    return `⟨${name}⟩`;
  };
  if ('Ref' in node) return pseudo(String(node.Ref));
  if ('Fn::GetAtt' in node) {
    const [id, attribute] = node['Fn::GetAtt'] as [string, string];
    return `⟨${id}.${attribute}⟩`;
  }
  if ('Fn::Join' in node) {
    const [separator, items] = node['Fn::Join'] as [string, unknown[]];
    return items.map((item) => String(resolvePolicyValue(item, env))).join(separator);
  }
  if ('Fn::Sub' in node) {
    const body = node['Fn::Sub'];
    const [text, variables] = (Array.isArray(body) ? body : [body, {}]) as [string, Record<string, unknown>];
    return text.replace(/\$\{([^}!]+)\}/g, (_match, name: string) =>
      name in variables ? String(resolvePolicyValue(variables[name], env)) : pseudo(name),
    );
  }
  return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, resolvePolicyValue(item, env)]));
}
