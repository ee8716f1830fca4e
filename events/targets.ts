// What a CloudTrail event points at: the resources to read afresh and judge. An event is a
// trigger, not the truth; these references are all the drift path takes from it.

import type { IdentityKind, ResourceIdentity } from '../model/identity';

/**
 * A resource gatewatch judges, named as model/identity.ts names it; the account settings carry,
 * in `reads`, the parts of the logging path to read afresh (the others are taken from the
 * previous state when it knows them).
 */
type JudgedTarget =
  | Exclude<ResourceIdentity, { readonly kind: 'account' }>
  | (Extract<ResourceIdentity, { readonly kind: 'account' }> & { readonly reads?: AccountReads });

export type Target =
  | JudgedTarget
  /** Every stage of a REST API: a method, authorizer or deployment change may affect each. */
  | { readonly kind: 'rest-stages'; readonly region: string; readonly apiId: string }
  /** Every route of an HTTP/WebSocket API: an authorizer change may affect each. */
  | { readonly kind: 'v2-routes'; readonly region: string; readonly apiId: string }
  /** A trail changed: the account settings of every region it may log, its trails read afresh. */
  | { readonly kind: 'trail'; readonly region: string; readonly trail: string }
  /** An IAM role changed: the account settings of every region that names it, the role read afresh. */
  | { readonly kind: 'iam-role'; readonly region: string; readonly roleName: string }
  /** The stages a web ACL is attached to (its rules changed, or it was deleted). */
  | { readonly kind: 'web-acl'; readonly region: string; readonly webAclArn: string }
  /** The stages whose access logs go to a log group that was deleted. */
  | { readonly kind: 'log-group'; readonly region: string; readonly logGroupArn: string };

export type TargetKind = Target['kind'];

const judgedKinds: ReadonlySet<TargetKind> = new Set<IdentityKind>([
  'rest-api',
  'rest-stage',
  'v2-api',
  'v2-stage',
  'v2-route',
  'domain-name',
  'account',
]);

/** The one resource a target names, or undefined for a target that stands for several (a trail, every stage…). */
export const judgedResource = (target: Target): ResourceIdentity | undefined =>
  judgedKinds.has(target.kind) ? (target as JudgedTarget) : undefined;

/** What of the logging path an account read can include beside `GetAccount`. */
export const loggingPathParts = ['cloudwatch-role', 'trails', 'log-resource-policies'] as const;
export type LoggingPathPart = (typeof loggingPathParts)[number];
/** One part, or `logging-path` for all of them (a reference is made of strings only). */
export type AccountReads = LoggingPathPart | 'logging-path';

export const partsOf = (reads: AccountReads | undefined): readonly LoggingPathPart[] =>
  reads === undefined ? [] : reads === 'logging-path' ? loggingPathParts : [reads];

/** A stable key for de-duplicating targets of one event or a batch. */
export function targetKey(target: Target): string {
  return Object.entries(target)
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}
