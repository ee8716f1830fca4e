// How AWS names each resource gatewatch judges: identity ⇄ ARN, and snapshot → identity. The one
// place an API Gateway ARN is written or read. The partition is never typed in: a region belongs
// to exactly one partition, so an estate in AWS GovCloud (US) or China gets `arn:aws-us-gov:` or
// `arn:aws-cn:` ARNs, as AWS Config and WAF name its resources there.
//
// A REST method is judged as its stage serves it: its findings are the stage's, so it has no
// identity of its own here.

import type { Snapshot } from '../rules/core/resources';
import { parseRoleArn } from '../rules/core/role-arn';
import { type Partition, partitionOfRegion } from './partitions';

/** A resource gatewatch judges, by the ids AWS names it with. */
export type ResourceIdentity =
  | { readonly kind: 'rest-api'; readonly region: string; readonly apiId: string }
  | {
      readonly kind: 'rest-stage';
      readonly region: string;
      readonly apiId: string;
      readonly stageName: string;
    }
  | { readonly kind: 'v2-api'; readonly region: string; readonly apiId: string }
  | { readonly kind: 'v2-stage'; readonly region: string; readonly apiId: string; readonly stageName: string }
  | { readonly kind: 'v2-route'; readonly region: string; readonly apiId: string; readonly routeId: string }
  | { readonly kind: 'domain-name'; readonly region: string; readonly domainName: string }
  | { readonly kind: 'account'; readonly region: string };

export type IdentityKind = ResourceIdentity['kind'];

/**
 * The partition of a region. A region gatewatch's list lacks (a fixture's `local-1`, a region
 * newer than the list) is taken to be in the commercial partition, as AWS's own SDKs do.
 */
export const partitionOf = (region: string): Partition => partitionOfRegion(region) ?? 'aws';

/** `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`, the partition from the region (or `home` for a global service). */
export const arnIn = (service: string, region: string, accountId: string, resource: string, home = region) =>
  `arn:${partitionOf(home)}:${service}:${region}:${accountId}:${resource}`;

/** API Gateway's ARN of a path (`/restapis/ID`, `/` for the region itself). */
export const apiGatewayArn = (region: string, path: string) => arnIn('apigateway', region, '', path);

export const restApiArn = (region: string, apiId: string) => apiGatewayArn(region, `/restapis/${apiId}`);
export const restStageArn = (region: string, apiId: string, stage: string) =>
  `${restApiArn(region, apiId)}/stages/${stage}`;
export const v2ApiArn = (region: string, apiId: string) => apiGatewayArn(region, `/apis/${apiId}`);
export const v2StageArn = (region: string, apiId: string, stage: string) =>
  `${v2ApiArn(region, apiId)}/stages/${stage}`;
export const v2RouteArn = (region: string, apiId: string, routeId: string) =>
  `${v2ApiArn(region, apiId)}/routes/${routeId}`;
export const domainNameArn = (region: string, domain: string) =>
  apiGatewayArn(region, `/domainnames/${domain}`);
export const accountArn = (region: string) => apiGatewayArn(region, '/account');

/** A regional WAFv2 web ACL's ARN (CloudFront-scoped ones cannot protect a stage). */
export const regionalWebAclArn = (region: string, accountId: string, name: string, id: string) =>
  arnIn('wafv2', region, accountId, `regional/webacl/${name}/${id}`);

/** A CloudWatch Logs log group's ARN, as API Gateway names an access log destination (no `:*`). */
export const logGroupArn = (region: string, accountId: string, name: string) =>
  arnIn('logs', region, accountId, `log-group:${name}`);

/** One log group's key: its ARN appears with (CloudWatch Logs) and without (API Gateway) the trailing `:*`. */
export const logGroupKey = (arn: string) => arn.replace(/:\*$/, '');

/** An IAM role's ARN: its partition, account, path and name (parsed in rules/core, where a rule reads one too). */
export { parseRoleArn };

/** The ARN of a session of an assumed role (STS drops the role's path). */
export const assumedRoleArn = (partition: string, accountId: string, roleName: string, session: string) =>
  `arn:${partition}:sts::${accountId}:assumed-role/${roleName}/${session}`;

/** An assumed role's session ARN's parts, or undefined for any other string. */
export function parseAssumedRoleArn(arn: string):
  | {
      readonly partition: string;
      readonly accountId: string;
      readonly roleName: string;
      readonly session: string;
    }
  | undefined {
  const match = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/.exec(arn);
  if (match === null) return undefined;
  const [, partition = '', accountId = '', roleName = '', session = ''] = match;
  return { partition, accountId, roleName, session };
}

/** The role a principal ARN names, itself or through a session of it; undefined for other principals. */
export function roleOfPrincipal(
  arn: string,
): { readonly accountId: string; readonly roleName: string } | undefined {
  const role = parseRoleArn(arn) ?? parseAssumedRoleArn(arn);
  return role && { accountId: role.accountId, roleName: role.roleName };
}

/** The ARN AWS names the resource by. */
export function arnOf(identity: ResourceIdentity): string {
  const { region } = identity;
  switch (identity.kind) {
    case 'rest-api':
      return restApiArn(region, identity.apiId);
    case 'rest-stage':
      return restStageArn(region, identity.apiId, identity.stageName);
    case 'v2-api':
      return v2ApiArn(region, identity.apiId);
    case 'v2-stage':
      return v2StageArn(region, identity.apiId, identity.stageName);
    case 'v2-route':
      return v2RouteArn(region, identity.apiId, identity.routeId);
    case 'domain-name':
      return domainNameArn(region, identity.domainName);
    case 'account':
      return accountArn(region);
  }
}

/** What an API Gateway ARN says: the resource, and where the ARN places it. */
export interface ParsedArn {
  readonly partition: string;
  readonly region: string;
  /** Empty for most API Gateway ARNs; a private custom domain's ARN names its owner. */
  readonly accountId: string;
  readonly identity: ResourceIdentity;
}

const APIGATEWAY_ARN = /^arn:([\w-]+):apigateway:([a-z0-9-]+):(\d{12})?:(\/.*)$/;
/** A path segment: anything but `/` (stage names may hold `$`, domain names `*` and `+`). */
const SEGMENT = '([^/]+)';
const paths: readonly [RegExp, (region: string, ids: readonly string[]) => ResourceIdentity][] = [
  [
    new RegExp(`^/restapis/${SEGMENT}/stages/${SEGMENT}$`),
    (region, [apiId = '', stageName = '']) => ({ kind: 'rest-stage', region, apiId, stageName }),
  ],
  [new RegExp(`^/restapis/${SEGMENT}$`), (region, [apiId = '']) => ({ kind: 'rest-api', region, apiId })],
  [
    new RegExp(`^/apis/${SEGMENT}/stages/${SEGMENT}$`),
    (region, [apiId = '', stageName = '']) => ({ kind: 'v2-stage', region, apiId, stageName }),
  ],
  [
    new RegExp(`^/apis/${SEGMENT}/routes/${SEGMENT}$`),
    (region, [apiId = '', routeId = '']) => ({ kind: 'v2-route', region, apiId, routeId }),
  ],
  [new RegExp(`^/apis/${SEGMENT}$`), (region, [apiId = '']) => ({ kind: 'v2-api', region, apiId })],
  [
    new RegExp(`^/domainnames/${SEGMENT}$`),
    (region, [domainName = '']) => ({ kind: 'domain-name', region, domainName }),
  ],
  [/^\/account$/, (region) => ({ kind: 'account', region })],
];

/** An API Gateway ARN's parts, its resource path (`/restapis/ID/stages/NAME`, …) as it came. */
export function parseApiGatewayArn(
  arn: string,
):
  | { readonly partition: string; readonly region: string; readonly accountId: string; readonly path: string }
  | undefined {
  const match = APIGATEWAY_ARN.exec(arn);
  if (match === null) return undefined;
  const [, partition = '', region = '', accountId = '', path = ''] = match;
  return { partition, region, accountId, path };
}

/** The resource an API Gateway ARN names, or undefined for an ARN of anything gatewatch does not judge. */
export function parseArn(arn: string): ParsedArn | undefined {
  const parts = parseApiGatewayArn(arn);
  if (parts === undefined) return undefined;
  const { partition, region, accountId, path } = parts;
  for (const [pattern, build] of paths) {
    const ids = pattern.exec(path);
    if (ids !== null) return { partition, region, accountId, identity: build(region, ids.slice(1)) };
  }
  return undefined;
}

/** The identity of the resource a snapshot describes. */
export function identityOf(snapshot: Snapshot): ResourceIdentity {
  const { region } = snapshot;
  switch (snapshot.kind) {
    case 'rest-stage':
      return { kind: 'rest-stage', region, apiId: snapshot.apiId, stageName: snapshot.stageName };
    case 'rest-api':
      return { kind: 'rest-api', region, apiId: snapshot.apiId };
    case 'v2-api':
      return { kind: 'v2-api', region, apiId: snapshot.apiId };
    case 'v2-stage':
      return { kind: 'v2-stage', region, apiId: snapshot.apiId, stageName: snapshot.stageName };
    case 'v2-route':
      return { kind: 'v2-route', region, apiId: snapshot.apiId, routeId: snapshot.routeId };
    case 'domain-name':
      return { kind: 'domain-name', region, domainName: snapshot.domainName };
    case 'account':
      return { kind: 'account', region };
  }
}

/** The API a stage or route belongs to (an API is its own); undefined for domains and the account. */
export function apiOf(identity: ResourceIdentity): ResourceIdentity | undefined {
  const { region } = identity;
  switch (identity.kind) {
    case 'rest-api':
    case 'rest-stage':
      return { kind: 'rest-api', region, apiId: identity.apiId };
    case 'v2-api':
    case 'v2-stage':
    case 'v2-route':
      return { kind: 'v2-api', region, apiId: identity.apiId };
    default:
      return undefined;
  }
}

/** The ARNs a resource's judgement may use: its own and, for a stage or route, its API's. */
export function arnsWithApi(identity: ResourceIdentity): string[] {
  const api = apiOf(identity);
  const own = arnOf(identity);
  return api === undefined || api.kind === identity.kind ? [own] : [own, arnOf(api)];
}

/**
 * The ARN of the API a resource's ARN belongs to (`…/restapis/ID`, `…/apis/ID`, anything under
 * them), in the ARN's own partition; undefined for an ARN of a domain, the account, or anything else.
 */
export const apiArnOf = (arn: string): string | undefined =>
  /^(arn:[^:]+:apigateway:[^:]*:[^:]*:\/(?:restapis|apis)\/[^/]+)/.exec(arn)?.[1];
