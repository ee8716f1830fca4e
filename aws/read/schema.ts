// The raw inventory: what the collectors read from AWS, kept as the API responses' own shapes
// (field names as the AWS SDK v3 returns them), versioned, and validated when read back from a
// file. Only the fields gatewatch uses are checked; the rest is kept as it came.
import * as z from 'zod/mini';
import { reads } from './plan';

/** Version 2 adds `loggingPath`; version 1 files (without it) still load. */
export const INVENTORY_VERSION = 2;
export const READABLE_INVENTORY_VERSIONS = [1, 2] as const;

/** The SDK gives Date objects; a saved file gives ISO strings. Both become ISO strings. */
const timestamp = z.pipe(
  z.union([z.string(), z.date()]),
  z.transform((value) => (typeof value === 'string' ? value : value.toISOString())),
);
const tags = z.optional(z.record(z.string(), z.string()));
const str = z.optional(z.string());
const bool = z.optional(z.boolean());
const num = z.optional(z.number());

// ─── REST APIs: @aws-sdk/client-api-gateway ────────────────────────────────────────────

export const restApiSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  createdDate: z.optional(timestamp),
  endpointConfiguration: z.optional(
    z.looseObject({
      types: z.optional(z.array(z.string())),
      vpcEndpointIds: z.optional(z.array(z.string())),
    }),
  ),
  /** A JSON string; API Gateway returns it with its quotes backslash-escaped. */
  policy: str,
  disableExecuteApiEndpoint: bool,
  tags,
});

const methodSettingSchema = z.looseObject({
  metricsEnabled: bool,
  loggingLevel: str,
  dataTraceEnabled: bool,
  throttlingBurstLimit: num,
  throttlingRateLimit: num,
  cachingEnabled: bool,
  cacheTtlInSeconds: num,
  cacheDataEncrypted: bool,
});

export const restStageSchema = z.looseObject({
  stageName: z.string(),
  deploymentId: str,
  clientCertificateId: str,
  cacheClusterEnabled: bool,
  methodSettings: z.optional(z.record(z.string(), methodSettingSchema)),
  variables: z.optional(z.record(z.string(), z.string())),
  accessLogSettings: z.optional(z.looseObject({ format: str, destinationArn: str })),
  tracingEnabled: bool,
  webAclArn: str,
  tags,
});

const restIntegrationSchema = z.looseObject({ type: str, connectionType: str, uri: str });

export const restMethodSchema = z.looseObject({
  httpMethod: z.string(),
  authorizationType: str,
  authorizerId: str,
  apiKeyRequired: bool,
  requestValidatorId: str,
  requestModels: z.optional(z.record(z.string(), z.string())),
  methodIntegration: z.optional(restIntegrationSchema),
});

export const restResourceSchema = z.looseObject({
  id: z.string(),
  path: z.string(),
  resourceMethods: z.optional(z.record(z.string(), restMethodSchema)),
});

export const restAuthorizerSchema = z.looseObject({ id: z.string(), name: z.string(), type: str });

export const requestValidatorSchema = z.looseObject({
  id: z.string(),
  name: str,
  validateRequestBody: bool,
  validateRequestParameters: bool,
});

/** `GetDeployment` with `embed=apisummary`: what a stage serves, path → method → authorization. */
export const deploymentSchema = z.looseObject({
  id: z.string(),
  createdDate: z.optional(timestamp),
  apiSummary: z.optional(
    z.record(
      z.string(),
      z.record(z.string(), z.looseObject({ authorizationType: str, apiKeyRequired: bool })),
    ),
  ),
});

export const restApiEntrySchema = z.object({
  api: restApiSchema,
  stages: z.array(restStageSchema),
  resources: z.array(restResourceSchema),
  authorizers: z.array(restAuthorizerSchema),
  requestValidators: z.array(requestValidatorSchema),
  /** By deployment id; a deployment that could not be read is absent. */
  deployments: z.record(z.string(), deploymentSchema),
});

// ─── HTTP and WebSocket APIs: @aws-sdk/client-apigatewayv2 ─────────────────────────────

export const v2ApiSchema = z.looseObject({
  ApiId: z.string(),
  Name: z.string(),
  ProtocolType: z.enum(['HTTP', 'WEBSOCKET']),
  CreatedDate: z.optional(timestamp),
  DisableExecuteApiEndpoint: bool,
  Tags: tags,
});

const routeSettingSchema = z.looseObject({
  DataTraceEnabled: bool,
  DetailedMetricsEnabled: bool,
  LoggingLevel: str,
  ThrottlingBurstLimit: num,
  ThrottlingRateLimit: num,
});

export const v2StageSchema = z.looseObject({
  StageName: z.string(),
  AccessLogSettings: z.optional(z.looseObject({ DestinationArn: str, Format: str })),
  AutoDeploy: bool,
  DefaultRouteSettings: z.optional(routeSettingSchema),
  RouteSettings: z.optional(z.record(z.string(), routeSettingSchema)),
  StageVariables: z.optional(z.record(z.string(), z.string())),
  Tags: tags,
});

export const v2RouteSchema = z.looseObject({
  RouteId: z.string(),
  RouteKey: z.string(),
  AuthorizationType: str,
  AuthorizerId: str,
  ApiKeyRequired: bool,
});

export const v2IntegrationSchema = z.looseObject({
  IntegrationId: z.string(),
  IntegrationType: str,
  ConnectionType: str,
  IntegrationUri: str,
  TlsConfig: z.optional(z.looseObject({ ServerNameToVerify: str })),
});

export const v2AuthorizerSchema = z.looseObject({
  AuthorizerId: z.string(),
  Name: z.string(),
  AuthorizerType: str,
});

export const v2ApiEntrySchema = z.object({
  api: v2ApiSchema,
  stages: z.array(v2StageSchema),
  routes: z.array(v2RouteSchema),
  integrations: z.array(v2IntegrationSchema),
  authorizers: z.array(v2AuthorizerSchema),
});

// ─── Custom domains (v2 view: covers REST, HTTP and WebSocket mappings) ─────────────────

export const domainNameSchema = z.looseObject({
  DomainName: z.string(),
  DomainNameArn: str,
  DomainNameConfigurations: z.optional(
    z.array(z.looseObject({ EndpointType: str, SecurityPolicy: str, DomainNameStatus: str })),
  ),
  MutualTlsAuthentication: z.optional(z.looseObject({ TruststoreUri: str, TruststoreVersion: str })),
  Tags: tags,
});

export const apiMappingSchema = z.looseObject({
  ApiId: z.string(),
  ApiMappingId: str,
  ApiMappingKey: str,
  Stage: z.string(),
});

export const domainEntrySchema = z.object({
  domainName: domainNameSchema,
  apiMappings: z.array(apiMappingSchema),
});

// ─── WAFv2 web ACLs ─────────────────────────────────────────────────────────────────────

const managedRuleGroupStatement = z.looseObject({ VendorName: z.string(), Name: z.string() });

export const webAclSchema = z.looseObject({
  Name: z.string(),
  Id: z.string(),
  ARN: z.string(),
  DefaultAction: z.optional(
    z.looseObject({ Allow: z.optional(z.unknown()), Block: z.optional(z.unknown()) }),
  ),
  Rules: z.optional(
    z.array(
      z.looseObject({
        Name: z.string(),
        Statement: z.optional(
          z.looseObject({ ManagedRuleGroupStatement: z.optional(managedRuleGroupStatement) }),
        ),
        OverrideAction: z.optional(
          z.looseObject({ Count: z.optional(z.unknown()), None: z.optional(z.unknown()) }),
        ),
      }),
    ),
  ),
});

// ─── The logging path: CloudTrail, CloudWatch Logs resource policies, IAM ──────────────

const fieldSelectorSchema = z.looseObject({
  Field: z.string(),
  Equals: z.optional(z.array(z.string())),
  StartsWith: z.optional(z.array(z.string())),
  EndsWith: z.optional(z.array(z.string())),
  NotEquals: z.optional(z.array(z.string())),
  NotStartsWith: z.optional(z.array(z.string())),
  NotEndsWith: z.optional(z.array(z.string())),
});

/** `GetEventSelectors`: basic `EventSelectors` or `AdvancedEventSelectors`, never both. */
export const eventSelectorsSchema = z.looseObject({
  TrailARN: str,
  EventSelectors: z.optional(
    z.array(
      z.looseObject({
        ReadWriteType: z.optional(z.enum(['ReadOnly', 'WriteOnly', 'All'])),
        IncludeManagementEvents: bool,
        ExcludeManagementEventSources: z.optional(z.array(z.string())),
      }),
    ),
  ),
  AdvancedEventSelectors: z.optional(
    z.array(z.looseObject({ Name: str, FieldSelectors: z.array(fieldSelectorSchema) })),
  ),
});

/** One trail of `DescribeTrails` (shadow trails included), with its status and selectors; `null`: not readable. */
export const trailEntrySchema = z.object({
  trail: z.looseObject({
    Name: z.string(),
    TrailARN: z.string(),
    HomeRegion: str,
    IsMultiRegionTrail: bool,
    IsOrganizationTrail: bool,
  }),
  status: z.nullable(z.looseObject({ IsLogging: bool })),
  selectors: z.nullable(eventSelectorsSchema),
});

/** `DescribeResourcePolicies`: the policy document is a JSON string. */
export const logResourcePolicySchema = z.looseObject({ policyName: z.string(), policyDocument: str });

/** `GetRole`: the trust policy is URL-encoded JSON (RFC 3986). */
export const roleSchema = z.looseObject({
  RoleName: z.string(),
  Arn: z.string(),
  AssumeRolePolicyDocument: str,
});

export const loggingPathSchema = z.object({
  /** `null`: DescribeTrails failed (the errors say why). */
  trails: z.nullable(z.array(trailEntrySchema)),
  /** `null`: DescribeResourcePolicies failed. */
  logResourcePolicies: z.nullable(z.array(logResourcePolicySchema)),
  /** `found`; `missing` (NoSuchEntity); `not-read`: no role named, or GetRole failed (the errors say why). */
  cloudwatchRole: z.union([
    z.object({ state: z.literal('found'), role: roleSchema }),
    z.object({ state: z.literal('missing') }),
    z.object({ state: z.literal('not-read') }),
  ]),
});

// ─── One account in one region ──────────────────────────────────────────────────────────

export const collectionErrorSchema = z.object({
  /** The API operation that failed, e.g. `GetStages`. */
  operation: z.string(),
  /** The resource it was reading (an ARN), or the region when the call lists resources. */
  resource: z.string(),
  /** The AWS error name, e.g. `AccessDeniedException`, `NotFoundException`. */
  code: z.string(),
  message: z.string(),
  /** `gone`: the resource was deleted while being read; `denied` / `failed`: it could not be read. */
  kind: z.enum(['gone', 'denied', 'failed']),
  /** The read that failed (aws/read/plan.ts): only the rules that need it go unjudged. */
  read: z.optional(z.enum(reads)),
});

export const invocationsSchema = z.object({ count: z.number(), days: z.number(), windowStart: z.string() });

export const regionInventorySchema = z.object({
  accountId: z.string(),
  region: z.string(),
  account: z.nullable(z.looseObject({ cloudwatchRoleArn: str })),
  restApis: z.array(restApiEntrySchema),
  v2Apis: z.array(v2ApiEntrySchema),
  domainNames: z.array(domainEntrySchema),
  /** By web ACL ARN; a web ACL whose contents could not be read is absent. */
  webAcls: z.record(z.string(), webAclSchema),
  /** By API id; absent when metrics were not read. */
  invocations: z.record(z.string(), invocationsSchema),
  /** Days of invocation metrics read; 0 (or absent) when CloudWatch was not asked. */
  metricsDays: z.optional(z.number()),
  errors: z.array(collectionErrorSchema),
  /** What was read of the logging path; absent when it was not read (and in version 1 files). */
  loggingPath: z.optional(loggingPathSchema),
});

export const inventorySchema = z.object({
  /** Written as INVENTORY_VERSION; version 1 (no logging path) is read as it is. */
  version: z.union([z.literal(1), z.literal(2)]),
  collectedAt: z.string(),
  /** AWS calls made to collect it, by operation. */
  calls: z.record(z.string(), z.number()),
  regions: z.array(regionInventorySchema),
});

export type Inventory = z.output<typeof inventorySchema>;
export type RegionInventory = z.output<typeof regionInventorySchema>;
export type RestApiEntry = z.output<typeof restApiEntrySchema>;
export type V2ApiEntry = z.output<typeof v2ApiEntrySchema>;
export type DomainEntry = z.output<typeof domainEntrySchema>;
export type CollectionError = z.output<typeof collectionErrorSchema>;
export type WebAcl = z.output<typeof webAclSchema>;
export type LoggingPath = z.output<typeof loggingPathSchema>;
export type TrailEntry = z.output<typeof trailEntrySchema>;
