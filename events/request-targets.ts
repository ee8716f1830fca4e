// The resources a CloudTrail request names, per kind of call: the `targets` of the event table
// (events/catalog.ts). Ids come from the path parameters, a Create call's body or its response;
// ARNs are read and written by model/identity.ts.

import { logGroupArn, parseArn, regionalWebAclArn } from '../model/identity';
import { accountOf, bodyField, pathParam, responseField } from './request';
import type { CloudTrailRecord } from './schema';
import type { Target } from './targets';

export type Targets = (record: CloudTrailRecord) => readonly Target[];

const restApiIdOf = (record: CloudTrailRecord) =>
  pathParam(record, 'restApiId') ?? responseField(record, 'id');
const v2ApiIdOf = (record: CloudTrailRecord) => pathParam(record, 'apiId') ?? responseField(record, 'apiId');
/** Path parameter (Update/Delete), v1 wrapped body or v2 flat body (Create), or the response. */
const stageNameOf = (record: CloudTrailRecord) =>
  pathParam(record, 'stageName') ?? bodyField(record, 'stageName') ?? responseField(record, 'stageName');
const domainNameOf = (record: CloudTrailRecord) =>
  pathParam(record, 'domainName') ?? bodyField(record, 'domainName') ?? responseField(record, 'domainName');

export const restApi: Targets = (record) => {
  const apiId = restApiIdOf(record);
  return apiId === undefined ? [] : [{ kind: 'rest-api', region: record.awsRegion, apiId }];
};

export const restStages: Targets = (record) => {
  const apiId = restApiIdOf(record);
  return apiId === undefined ? [] : [{ kind: 'rest-stages', region: record.awsRegion, apiId }];
};

export const restApiAndStages: Targets = (record) => [...restApi(record), ...restStages(record)];

export const restStage: Targets = (record) => {
  const apiId = restApiIdOf(record);
  const stageName = stageNameOf(record);
  if (apiId === undefined || stageName === undefined) return [];
  return [{ kind: 'rest-stage', region: record.awsRegion, apiId, stageName }];
};

/** Deploys to the named stage, or (console "new stage" flow, `stageName: ""`) to a stage created next. */
export const restDeployment: Targets = (record) => {
  const apiId = restApiIdOf(record);
  if (apiId === undefined) return [];
  const stageName = bodyField(record, 'stageName');
  return stageName === undefined
    ? [{ kind: 'rest-stages', region: record.awsRegion, apiId }]
    : [{ kind: 'rest-stage', region: record.awsRegion, apiId, stageName }];
};

export const v2Api: Targets = (record) => {
  const apiId = v2ApiIdOf(record);
  return apiId === undefined ? [] : [{ kind: 'v2-api', region: record.awsRegion, apiId }];
};

export const v2Routes: Targets = (record) => {
  const apiId = v2ApiIdOf(record);
  return apiId === undefined ? [] : [{ kind: 'v2-routes', region: record.awsRegion, apiId }];
};

export const v2ApiAndRoutes: Targets = (record) => [...v2Api(record), ...v2Routes(record)];

export const v2Stage: Targets = (record) => {
  const apiId = v2ApiIdOf(record);
  const stageName = stageNameOf(record);
  if (apiId === undefined || stageName === undefined) return [];
  return [{ kind: 'v2-stage', region: record.awsRegion, apiId, stageName }];
};

/** A v2 deployment changes what a stage serves only when it names the stage. */
export const v2Deployment: Targets = (record) => {
  const apiId = v2ApiIdOf(record);
  const stageName = pathParam(record, 'stageName');
  if (apiId === undefined || stageName === undefined) return [];
  return [{ kind: 'v2-stage', region: record.awsRegion, apiId, stageName }];
};

export const v2Route: Targets = (record) => {
  const apiId = v2ApiIdOf(record);
  const routeId = pathParam(record, 'routeId') ?? responseField(record, 'routeId');
  if (apiId === undefined || routeId === undefined) return [];
  return [{ kind: 'v2-route', region: record.awsRegion, apiId, routeId }];
};

export const domainName: Targets = (record) => {
  const name = domainNameOf(record);
  return name === undefined ? [] : [{ kind: 'domain-name', region: record.awsRegion, domainName: name }];
};

/** The domain, and the REST API mapped to it when the request or response names it. */
export const basePathMapping: Targets = (record) => {
  const apiId = bodyField(record, 'restApiId') ?? responseField(record, 'restApiId');
  return [
    ...domainName(record),
    ...(apiId === undefined ? [] : [{ kind: 'rest-api', region: record.awsRegion, apiId } as const]),
  ];
};

/** The domain, and the HTTP/WebSocket API mapped to it when the request or response names it. */
export const apiMapping: Targets = (record) => {
  const apiId = v2ApiIdOf(record);
  return [
    ...domainName(record),
    ...(apiId === undefined ? [] : [{ kind: 'v2-api', region: record.awsRegion, apiId } as const]),
  ];
};

/** The account settings, with the role they name read afresh (UpdateAccount can name another). */
export const account: Targets = (record) => [
  { kind: 'account', region: record.awsRegion, reads: 'cloudwatch-role' },
];

/** A trail, by the name or ARN the request gives: it may log every region (multi-region, organization). */
export const trail: Targets = (record) => {
  const name = pathParam(record, 'name', 'trailName', 'Name', 'TrailName');
  return name === undefined ? [] : [{ kind: 'trail', region: record.awsRegion, trail: name }];
};

/** An account-level CloudWatch Logs resource policy: HTTP API access log delivery depends on one. */
export const logResourcePolicies: Targets = (record) => [
  { kind: 'account', region: record.awsRegion, reads: 'log-resource-policies' },
];

/** An IAM role, by name (a path-qualified ARN's last segment is the name IAM's calls take). */
export const iamRole: Targets = (record) => {
  const roleName = pathParam(record, 'roleName', 'RoleName');
  return roleName === undefined ? [] : [{ kind: 'iam-role', region: record.awsRegion, roleName }];
};

/** TagResource/UntagResource: the tagged resource (the opt-out tag lives there). */
export const taggedResource: Targets = (record) => {
  const arn = pathParam(record, 'resourceArn', 'resource-arn');
  const target = arn === undefined ? undefined : parseArn(arn)?.identity;
  return target === undefined ? [] : [target];
};

/** WAF association: only REST stages take a web ACL; load balancers, AppSync, Cognito… are not ours. */
export const wafProtectedStage: Targets = (record) => {
  const arn = pathParam(record, 'resourceArn', 'ResourceArn');
  const target = arn === undefined ? undefined : parseArn(arn)?.identity;
  return target?.kind === 'rest-stage' ? [target] : [];
};

/**
 * A WAFv2 web ACL changed or was deleted: its ARN, built from the request's `name`, `id` and
 * `scope` (recorded in wafv2-DeleteWebACL-1.json). CloudFront-scoped ACLs cannot protect a stage.
 */
export const webAcl: Targets = (record) => {
  const region = record.awsRegion;
  const given = pathParam(record, 'webACLArn', 'webAclArn', 'WebACLArn');
  if (given !== undefined) return [{ kind: 'web-acl', region, webAclArn: given }];
  const scope = pathParam(record, 'scope', 'Scope');
  const name = pathParam(record, 'name', 'Name');
  const id = pathParam(record, 'id', 'Id');
  const accountId = accountOf(record);
  if (scope !== 'REGIONAL' || name === undefined || id === undefined || accountId === undefined) return [];
  return [{ kind: 'web-acl', region, webAclArn: regionalWebAclArn(region, accountId, name, id) }];
};

/** A deleted log group: the stages whose access logs it received. */
export const logGroup: Targets = (record) => {
  const region = record.awsRegion;
  const name = pathParam(record, 'logGroupName');
  const accountId = accountOf(record);
  if (name === undefined || accountId === undefined) return [];
  return [{ kind: 'log-group', region, logGroupArn: logGroupArn(region, accountId, name) }];
};
