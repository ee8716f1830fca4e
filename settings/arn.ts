// ARNs and ARN patterns in a settings document, read as AWS reads them:
// `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`. An ARN that cannot name anything (an unknown
// partition or region, a region of another partition, an account that is not 12 digits, no
// resource) is refused at load, naming the field, instead of never matching at run time.
import { isPartition, type Partition, partitionOfRegion } from './regions';

export interface Arn {
  readonly partition: Partition;
  readonly service: string;
  /** Empty for global services (IAM, and API Gateway's account-less resource paths keep the region). */
  readonly region: string;
  /** Empty where the resource has no account (API Gateway), `aws` for AWS managed policies. */
  readonly account: string;
  readonly resource: string;
}

export interface ArnExpectation {
  /** The services the ARN may belong to. */
  readonly services?: readonly string[];
  /** The resource must match (e.g. /^secret:/). */
  readonly resource?: RegExp;
  /** What the ARN names, for the message ("a Secrets Manager secret ARN"). */
  readonly what?: string;
}

const SERVICE = /^[a-z0-9][a-z0-9-]*$/;
const ACCOUNT = /^(\d{12}|aws)$/;

/** The parts of `text`, or the reason it is not an ARN. */
export function parseArn(text: string): Arn | string {
  const parts = text.split(':');
  if (parts.length < 6 || parts[0] !== 'arn')
    return 'expected an ARN (arn:partition:service:region:account:resource)';
  const [, partition = '', service = '', region = '', account = ''] = parts;
  const resource = parts.slice(5).join(':');
  const problem =
    fieldProblem('partition', partition) ??
    fieldProblem('service', service) ??
    fieldProblem('region', region, partition) ??
    fieldProblem('account', account) ??
    (resource === '' ? 'the ARN names no resource' : undefined);
  if (problem) return problem;
  return { partition: partition as Partition, service, region, account, resource };
}

/** Why `text` is not an ARN as `expected` says, or undefined when it is one. */
export function arnProblem(text: string, expected: ArnExpectation = {}): string | undefined {
  const arn = parseArn(text);
  if (typeof arn === 'string') return arn;
  const what = expected.what ?? 'an ARN';
  if (expected.services && !expected.services.includes(arn.service))
    return `expected ${what}, not an ARN of ${arn.service}`;
  if (expected.resource && !expected.resource.test(arn.resource)) return `expected ${what}`;
  return undefined;
}

/**
 * Why `pattern` is not a pattern of an ARN, or undefined when it is one. `*` matches any run
 * of characters, colons included (pipeline/remediate/guards.ts matchesPattern): `*` alone
 * matches every ARN; otherwise the pattern is an ARN whose fields may hold `*`, and whose
 * last field may stand for the rest of the ARN (`arn:aws:iam::*`). Every field without `*`
 * must be valid as it is in an ARN.
 */
export function arnPatternProblem(pattern: string, expected: ArnExpectation = {}): string | undefined {
  if (pattern === '*') return undefined;
  if (!pattern.includes('*')) return arnProblem(pattern, expected);
  const parts = pattern.split(':');
  if (parts[0] !== 'arn' && parts[0] !== 'arn*')
    return 'expected an ARN pattern starting with arn: (or * alone for every resource)';
  const last = parts.length - 1;
  if (parts.length < 6 && !parts[last]?.includes('*'))
    return 'expected an ARN pattern (arn:partition:service:region:account:resource, * for any run of characters)';
  const [, partition = '*', service = '*', region = '*', account = '*'] = parts;
  const literal = (index: number) => index <= last && !parts[index]?.includes('*');
  const problem =
    (literal(1) ? fieldProblem('partition', partition) : undefined) ??
    (literal(2) ? fieldProblem('service', service) : undefined) ??
    (literal(3) ? fieldProblem('region', region, literal(1) ? partition : undefined) : undefined) ??
    (literal(4) ? fieldProblem('account', account) : undefined) ??
    (parts.length >= 6 && parts.slice(5).join(':') === '' ? 'the ARN pattern names no resource' : undefined);
  if (problem) return problem;
  if (expected.services && literal(2) && !expected.services.includes(service))
    return `expected ${expected.what ?? 'an ARN'} pattern, not one of ${service}`;
  return undefined;
}

function fieldProblem(
  field: 'partition' | 'service' | 'region' | 'account',
  value: string,
  partition?: string,
) {
  switch (field) {
    case 'partition':
      return isPartition(value)
        ? undefined
        : `"${value}" is not an AWS partition (aws, aws-cn, aws-us-gov, …)`;
    case 'service':
      return SERVICE.test(value) ? undefined : `"${value}" is not an AWS service namespace`;
    case 'region': {
      if (value === '') return undefined;
      const owner = partitionOfRegion(value);
      if (!owner) return `"${value}" is not an AWS region`;
      return partition !== undefined && isPartition(partition) && owner !== partition
        ? `region ${value} is in partition ${owner}, not ${partition}`
        : undefined;
    }
    case 'account':
      return value === '' || ACCOUNT.test(value) ? undefined : `"${value}" is not a 12-digit account id`;
  }
}
