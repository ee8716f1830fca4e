// What a region read fetches, derived from the rules it is for: each rule's resource kind, the
// parts of it the rule declares (`reads`) and the data beyond the configuration (`needs`). A
// failed read is tagged with the read it was, so it keeps from being judged only the rules whose
// plan holds that read.

import type { ResourceKind } from '../../rules/core/resources';
import type { AnyRule, CollectedData, ResourcePart } from '../../rules/core/rule';

/** One kind of read the collector makes; a collection problem names the one that failed. */
export const reads = [
  /** GetAccount. */
  'account',
  /** GetRestApis. */
  'rest-apis',
  /** GetStages per REST API. */
  'rest-stages',
  /** GetResources (methods embedded), GetAuthorizers, GetRequestValidators, GetDeployment. */
  'rest-methods',
  /** GetWebACL per distinct web ACL attached. */
  'web-acls',
  /** GetApis. */
  'v2-apis',
  /** GetStages per HTTP/WebSocket API. */
  'v2-stages',
  /** GetRoutes per HTTP/WebSocket API. */
  'v2-routes',
  /** GetIntegrations per HTTP/WebSocket API. */
  'v2-integrations',
  /** GetAuthorizers per HTTP/WebSocket API. */
  'v2-authorizers',
  /** GetDomainNames and GetApiMappings per domain. */
  'domain-names',
  /** CloudWatch GetMetricData. */
  'invocation-metrics',
] as const;
export type Read = (typeof reads)[number];
export type ReadPlan = ReadonlySet<Read>;

/** Everything: what a scan of every rule reads. */
export const FULL_PLAN: ReadPlan = new Set(reads);

const ofKind: Record<ResourceKind, readonly Read[]> = {
  'rest-api': ['rest-apis'],
  'rest-stage': ['rest-apis', 'rest-stages'],
  'v2-api': ['v2-apis'],
  'v2-stage': ['v2-apis', 'v2-stages'],
  'v2-route': ['v2-apis', 'v2-routes'],
  api: ['rest-apis', 'v2-apis'],
  stage: ['rest-apis', 'rest-stages', 'v2-apis', 'v2-stages'],
  'domain-name': ['domain-names'],
  account: ['account'],
};

const ofPart: Record<ResourcePart, readonly Read[]> = {
  'rest-methods': ['rest-stages', 'rest-methods'],
  'web-acl': ['rest-stages', 'web-acls'],
  'v2-integrations': ['v2-integrations'],
  'v2-authorizers': ['v2-routes', 'v2-authorizers'],
  'custom-domains': ['domain-names'],
};

const ofNeed: Record<CollectedData, readonly Read[]> = {
  'invocation-metrics': ['invocation-metrics'],
  'cloudwatch-role': ['account'],
  'cloudtrail-trails': ['account'],
  // The log groups HTTP API stages write to are judged against the policies.
  'log-resource-policies': ['account', 'v2-apis', 'v2-stages'],
};

/** The reads `rule` is judged on. */
export function readsOf(rule: AnyRule): ReadPlan {
  return new Set([
    ...ofKind[rule.resource as ResourceKind],
    ...(rule.reads ?? []).flatMap((part: ResourcePart) => ofPart[part]),
    ...(rule.needs ?? []).flatMap((data: CollectedData) => ofNeed[data]),
  ]);
}

/** The reads judging `rules` takes. */
export const planFor = (rules: readonly AnyRule[]): ReadPlan =>
  new Set(rules.flatMap((rule) => [...readsOf(rule)]));

/** A collection problem as far as the plan looks at it (aws/read/schema.ts CollectionError). */
interface TaggedProblem {
  readonly resource: string;
  readonly kind: string;
  readonly read?: Read;
}

/** Whether `arn` is `resource` or lies under it (a stage under its API, an API under the region). */
export const isUnder = (arn: string, resource: string) =>
  arn === resource || arn.startsWith(resource.endsWith('/') ? resource : `${resource}/`);

/**
 * The failed read that keeps `rule` from being judged on the resource `arn`, if any: a read
 * tagged with what it was concerns only the rules whose plan holds it.
 */
export function blockedBy<P extends TaggedProblem>(
  problems: readonly P[],
  rule: AnyRule,
  arn: string,
): P | undefined {
  return problems.find(
    (problem) =>
      problem.read !== undefined &&
      problem.kind !== 'gone' &&
      readsOf(rule).has(problem.read) &&
      isUnder(arn, problem.resource),
  );
}

/** The ids of the rules a failed read kept from being judged (every rule, when it is not tagged). */
export const rulesBlockedBy = (problem: TaggedProblem, rules: readonly AnyRule[]): readonly string[] =>
  rules
    .filter((rule) => problem.read === undefined || readsOf(rule).has(problem.read))
    .map((rule) => rule.id);

/** What a failed read left unread of a resource that is still judged, for the reads that have parts. */
const partLabel: Partial<Record<Read, string>> = {
  'rest-stages': 'its stages',
  'rest-methods': 'its methods',
  'v2-stages': 'its stages',
  'v2-routes': 'its routes',
  'v2-integrations': 'its integrations',
  'v2-authorizers': 'its authorizers',
};

/** The end of a could-not-evaluate reason: which rules a failed read kept from being judged. */
export function notEvaluated(problem: TaggedProblem): string {
  const part = problem.read && partLabel[problem.read];
  return part ? `the rules that need ${part} were not evaluated` : 'the rules for it were not evaluated';
}
