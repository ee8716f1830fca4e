// Raw inventory → the snapshots rules read. Pure: the same function serves a live scan, a
// saved inventory file and the embedded demo, so all three judge exactly alike.

import { accountArn, restApiArn, restStageArn, v2ApiArn, v2RouteArn, v2StageArn } from '../../model/identity';
import type {
  AuthorizationType,
  AuthorizerSnapshot,
  EndpointType,
  Estate,
  IntegrationType,
  LoggingLevel,
  MethodSetting,
  RestApiSnapshot,
  RestMethod,
  RestStageSnapshot,
  RouteSetting,
  V2ApiSnapshot,
  V2RouteSnapshot,
  V2StageSnapshot,
  WebAclSnapshot,
} from '../../rules/core/resources';
import { parseOrThrow } from '../../rules/core/validation';
import { mappedDomains, normaliseDomain } from './normalise-domains';
import { loggingPathFields } from './normalise-logging';
import { parsePolicy } from './policy-text';
import {
  type CollectionError,
  type Inventory,
  type RegionInventory,
  type RestApiEntry,
  regionInventorySchema,
  type V2ApiEntry,
  type WebAcl,
} from './schema';

export interface Normalised {
  readonly estate: Estate;
  /**
   * REST stages as they would be if the API's working copy were deployed now, for the stages
   * where that differs from what they serve: changes waiting for a deployment ("pending drift").
   */
  readonly pendingRestStages: readonly RestStageSnapshot[];
  readonly problems: readonly (CollectionError & { readonly accountId: string; readonly region: string })[];
}

/** A method as a deployment serves it: where, and how it is authorised (its API summary's entry). */
export type ServedMethod = Pick<RestMethod, 'resourcePath' | 'httpMethod'> & {
  readonly authorizationType?: string;
  readonly apiKeyRequired?: boolean;
};

/**
 * What a targeted read knows beyond the responses: the methods each deployment was seen serving
 * (a deployment never changes), for the stages serving one that was not read again.
 */
export interface KnownServed {
  readonly served?: ReadonlyMap<string, readonly ServedMethod[]>;
}

export function normalise(inventory: Inventory): Normalised {
  const parts = inventory.regions.map((region) => normaliseRegion(region));
  return {
    estate: {
      restApis: parts.flatMap((p) => p.estate.restApis),
      restStages: parts.flatMap((p) => p.estate.restStages),
      v2Apis: parts.flatMap((p) => p.estate.v2Apis),
      v2Stages: parts.flatMap((p) => p.estate.v2Stages),
      v2Routes: parts.flatMap((p) => p.estate.v2Routes),
      domainNames: parts.flatMap((p) => p.estate.domainNames),
      accounts: parts.flatMap((p) => p.estate.accounts),
    },
    pendingRestStages: parts.flatMap((p) => p.pendingRestStages),
    problems: parts.flatMap((p) => p.problems),
  };
}

export function normaliseRegion(inventory: RegionInventory, known: KnownServed = {}): Normalised {
  const { accountId, region } = inventory;
  const located = { accountId, region };
  const domainsByApi = mappedDomains(inventory.domainNames);
  const restStages: RestStageSnapshot[] = [];
  const pendingRestStages: RestStageSnapshot[] = [];

  const restApis = inventory.restApis.map((entry): RestApiSnapshot => {
    const api = entry.api;
    for (const stage of restStagesOf(entry, inventory, known)) {
      restStages.push(stage.served);
      if (stage.pending) pendingRestStages.push(stage.pending);
    }
    return {
      kind: 'rest-api',
      protocol: 'REST',
      ...located,
      arn: restApiArn(region, api.id),
      tags: api.tags ?? {},
      apiId: api.id,
      name: api.name,
      endpointTypes: (api.endpointConfiguration?.types ?? ['EDGE']) as EndpointType[],
      vpcEndpointIds: api.endpointConfiguration?.vpcEndpointIds ?? [],
      policy: parsePolicy(api.policy),
      disableExecuteApiEndpoint: api.disableExecuteApiEndpoint ?? false,
      customDomainNames: domainsByApi.get(api.id) ?? [],
      createdDate: api.createdDate ?? null,
      invocations: inventory.invocations[api.id] ?? null,
    };
  });

  const v2 = inventory.v2Apis.map((entry) => normaliseV2Api(entry, inventory, domainsByApi));

  return {
    estate: {
      restApis,
      restStages,
      v2Apis: v2.map((part) => part.api),
      v2Stages: v2.flatMap((part) => part.stages),
      v2Routes: v2.flatMap((part) => part.routes),
      domainNames: inventory.domainNames.map((entry) => normaliseDomain(entry, inventory)),
      accounts: inventory.account
        ? [
            {
              kind: 'account',
              ...located,
              arn: accountArn(region),
              tags: {},
              cloudwatchRoleArn: inventory.account.cloudwatchRoleArn || null,
              ...loggingPathFields(inventory, inventory.account.cloudwatchRoleArn || null),
            },
          ]
        : [],
    },
    pendingRestStages,
    problems: inventory.errors.map((error) => ({ ...error, ...located })),
  };
}

// ─── REST ───────────────────────────────────────────────────────────────────────────────

function restStagesOf(entry: RestApiEntry, inventory: RegionInventory, known: KnownServed) {
  const { api } = entry;
  const workingCopy = workingCopyMethods(entry);
  return entry.stages.map((stage) => {
    const deployment = stage.deploymentId ? entry.deployments[stage.deploymentId] : undefined;
    const summary = deployment?.apiSummary
      ? summaryMethods(deployment.apiSummary)
      : stage.deploymentId
        ? known.served?.get(stage.deploymentId)
        : undefined;
    const served = summary ? servedMethods(summary, workingCopy) : null;
    const base: Omit<RestStageSnapshot, 'methods'> = {
      kind: 'rest-stage',
      protocol: 'REST',
      accountId: inventory.accountId,
      region: inventory.region,
      arn: restStageArn(inventory.region, api.id, stage.stageName),
      tags: stage.tags ?? {},
      apiId: api.id,
      apiName: api.name,
      stageName: stage.stageName,
      deploymentId: stage.deploymentId ?? null,
      webAclArn: stage.webAclArn || null,
      webAcl: stage.webAclArn ? webAclSnapshot(inventory.webAcls[stage.webAclArn]) : null,
      methodSettings: Object.fromEntries(
        Object.entries(stage.methodSettings ?? {}).map(([key, setting]) => [key, methodSetting(setting)]),
      ),
      accessLog: stage.accessLogSettings?.destinationArn
        ? {
            destinationArn: stage.accessLogSettings.destinationArn,
            format: stage.accessLogSettings.format ?? '',
          }
        : null,
      tracingEnabled: stage.tracingEnabled ?? false,
      clientCertificateId: stage.clientCertificateId || null,
      cacheClusterEnabled: stage.cacheClusterEnabled ?? false,
      variables: stage.variables ?? {},
    };
    const asWorkingCopy: RestStageSnapshot = {
      ...base,
      methods: { source: 'working-copy', served: workingCopy },
    };
    if (!served) return { served: asWorkingCopy, pending: null };
    return {
      served: { ...base, methods: { source: 'deployment' as const, served } },
      pending: sameAuthorization(served, workingCopy)
        ? null
        : { ...base, methods: { source: 'undeployed' as const, served: workingCopy } },
    };
  });
}

function workingCopyMethods(entry: RestApiEntry): RestMethod[] {
  const authorizers = new Map(entry.authorizers.map((a) => [a.id, a]));
  const validators = new Map(entry.requestValidators.map((v) => [v.id, v]));
  return entry.resources.flatMap((resource) =>
    Object.values(resource.resourceMethods ?? {}).map((method): RestMethod => {
      const authorizer = method.authorizerId ? authorizers.get(method.authorizerId) : undefined;
      const validator = method.requestValidatorId ? validators.get(method.requestValidatorId) : undefined;
      const integration = method.methodIntegration;
      return {
        resourcePath: resource.path,
        httpMethod: method.httpMethod,
        authorizationType: (method.authorizationType ?? 'NONE') as AuthorizationType,
        // Without the authorizer's details (not read, or gone), its id still says which it was.
        authorizer: authorizer
          ? { authorizerId: authorizer.id, name: authorizer.name, type: authorizer.type ?? 'UNKNOWN' }
          : method.authorizerId
            ? { authorizerId: method.authorizerId, name: method.authorizerId, type: 'UNKNOWN' }
            : null,
        apiKeyRequired: method.apiKeyRequired ?? false,
        requestValidator: validator
          ? {
              validateRequestBody: validator.validateRequestBody ?? false,
              validateRequestParameters: validator.validateRequestParameters ?? false,
            }
          : null,
        integration: integration?.type
          ? {
              type: integration.type as IntegrationType,
              connectionType: integration.connectionType === 'VPC_LINK' ? 'VPC_LINK' : 'INTERNET',
              uri: integration.uri ?? null,
            }
          : null,
      };
    }),
  );
}

/** A deployment's API summary (path → method → authorization) as the methods it serves. */
const summaryMethods = (
  summary: Record<string, Record<string, { authorizationType?: string; apiKeyRequired?: boolean }>>,
): ServedMethod[] =>
  Object.entries(summary).flatMap(([resourcePath, methods]) =>
    Object.entries(methods).map(([httpMethod, method]) => ({ ...method, resourcePath, httpMethod })),
  );

/**
 * The deployment says how each served method is authorised; the working copy fills in what it
 * lacks (authorizer, validator, integration) where the method still exists.
 */
function servedMethods(served: readonly ServedMethod[], workingCopy: readonly RestMethod[]): RestMethod[] {
  const current = new Map(
    workingCopy.map((method) => [`${method.httpMethod} ${method.resourcePath}`, method]),
  );
  return served.map(({ resourcePath, httpMethod, ...snapshot }): RestMethod => {
    const now = current.get(`${httpMethod} ${resourcePath}`);
    const authorizationType = (snapshot.authorizationType ?? 'NONE') as AuthorizationType;
    return {
      resourcePath,
      httpMethod,
      authorizationType,
      authorizer: now && now.authorizationType === authorizationType ? now.authorizer : null,
      apiKeyRequired: snapshot.apiKeyRequired ?? false,
      requestValidator: now?.requestValidator ?? null,
      integration: now?.integration ?? null,
    };
  });
}

function sameAuthorization(served: readonly RestMethod[], workingCopy: readonly RestMethod[]): boolean {
  const key = (m: RestMethod) =>
    `${m.httpMethod} ${m.resourcePath} ${m.authorizationType} ${m.apiKeyRequired}`;
  const a = served.map(key).sort();
  const b = workingCopy.map(key).sort();
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

function methodSetting(raw: Record<string, unknown> & { loggingLevel?: string }): MethodSetting {
  const { loggingLevel, ...rest } = raw;
  const pick = <T>(value: unknown, type: string) => (typeof value === type ? (value as T) : undefined);
  const setting: Record<string, unknown> = {
    loggingLevel: loggingLevel ? (loggingLevel.toUpperCase() as LoggingLevel) : undefined,
    dataTraceEnabled: pick<boolean>(rest.dataTraceEnabled, 'boolean'),
    metricsEnabled: pick<boolean>(rest.metricsEnabled, 'boolean'),
    throttlingRateLimit: pick<number>(rest.throttlingRateLimit, 'number'),
    throttlingBurstLimit: pick<number>(rest.throttlingBurstLimit, 'number'),
    cachingEnabled: pick<boolean>(rest.cachingEnabled, 'boolean'),
    cacheDataEncrypted: pick<boolean>(rest.cacheDataEncrypted, 'boolean'),
    cacheTtlInSeconds: pick<number>(rest.cacheTtlInSeconds, 'number'),
  };
  return Object.fromEntries(
    Object.entries(setting).filter(([, value]) => value !== undefined),
  ) as MethodSetting;
}

function webAclSnapshot(webAcl: WebAcl | undefined): WebAclSnapshot | null {
  if (!webAcl) return null;
  return {
    arn: webAcl.ARN,
    name: webAcl.Name,
    defaultAction: webAcl.DefaultAction?.Block ? 'BLOCK' : 'ALLOW',
    managedRuleGroups: (webAcl.Rules ?? []).flatMap((rule) => {
      const group = rule.Statement?.ManagedRuleGroupStatement;
      return group
        ? [{ name: `${group.VendorName}:${group.Name}`, countOnly: rule.OverrideAction?.Count !== undefined }]
        : [];
    }),
  };
}

// ─── HTTP and WebSocket ─────────────────────────────────────────────────────────────────

function normaliseV2Api(entry: V2ApiEntry, inventory: RegionInventory, domainsByApi: Map<string, string[]>) {
  const { api } = entry;
  const { accountId, region } = inventory;
  const protocol = api.ProtocolType;
  const apiTags = api.Tags ?? {};
  const authorizers = new Map(entry.authorizers.map((a) => [a.AuthorizerId, a]));

  const snapshot: V2ApiSnapshot = {
    kind: 'v2-api',
    protocol,
    accountId,
    region,
    arn: v2ApiArn(region, api.ApiId),
    tags: apiTags,
    apiId: api.ApiId,
    name: api.Name,
    disableExecuteApiEndpoint: api.DisableExecuteApiEndpoint ?? false,
    customDomainNames: domainsByApi.get(api.ApiId) ?? [],
    integrations: entry.integrations.map((integration) => ({
      integrationId: integration.IntegrationId,
      integrationType: (integration.IntegrationType ?? 'AWS_PROXY') as IntegrationType,
      connectionType: integration.ConnectionType === 'VPC_LINK' ? 'VPC_LINK' : 'INTERNET',
      integrationUri: integration.IntegrationUri ?? null,
      tlsConfig: integration.TlsConfig
        ? { serverNameToVerify: integration.TlsConfig.ServerNameToVerify ?? null }
        : null,
    })),
    createdDate: api.CreatedDate ?? null,
    invocations: inventory.invocations[api.ApiId] ?? null,
  };

  const stages = entry.stages.map(
    (stage): V2StageSnapshot => ({
      kind: 'v2-stage',
      protocol,
      accountId,
      region,
      arn: v2StageArn(region, api.ApiId, stage.StageName),
      tags: stage.Tags ?? {},
      apiId: api.ApiId,
      apiName: api.Name,
      stageName: stage.StageName,
      accessLog: stage.AccessLogSettings?.DestinationArn
        ? {
            destinationArn: stage.AccessLogSettings.DestinationArn,
            format: stage.AccessLogSettings.Format ?? '',
          }
        : null,
      defaultRouteSettings: routeSetting(stage.DefaultRouteSettings),
      routeSettings: Object.fromEntries(
        Object.entries(stage.RouteSettings ?? {}).map(([key, setting]) => [key, routeSetting(setting)]),
      ),
      variables: stage.StageVariables ?? {},
      autoDeploy: stage.AutoDeploy ?? false,
    }),
  );

  const routes = entry.routes.map((route): V2RouteSnapshot => {
    const authorizer = route.AuthorizerId ? authorizers.get(route.AuthorizerId) : undefined;
    return {
      kind: 'v2-route',
      protocol,
      accountId,
      region,
      arn: v2RouteArn(region, api.ApiId, route.RouteId),
      // Routes cannot be tagged: the API's tags (opt-out, ownership) apply to them.
      tags: apiTags,
      apiId: api.ApiId,
      apiName: api.Name,
      routeId: route.RouteId,
      routeKey: route.RouteKey,
      authorizationType: (route.AuthorizationType ?? 'NONE') as AuthorizationType,
      authorizer: authorizer ? v2Authorizer(authorizer) : null,
      apiKeyRequired: route.ApiKeyRequired ?? false,
    };
  });
  return { api: snapshot, stages, routes };
}

const v2Authorizer = (a: {
  AuthorizerId: string;
  Name: string;
  AuthorizerType?: string;
}): AuthorizerSnapshot => ({
  authorizerId: a.AuthorizerId,
  name: a.Name,
  type: a.AuthorizerType ?? 'UNKNOWN',
});

function routeSetting(raw: V2ApiEntry['stages'][number]['DefaultRouteSettings']): RouteSetting {
  if (!raw) return {};
  const setting: Record<string, unknown> = {
    loggingLevel: raw.LoggingLevel ? (raw.LoggingLevel.toUpperCase() as LoggingLevel) : undefined,
    dataTraceEnabled: raw.DataTraceEnabled,
    detailedMetricsEnabled: raw.DetailedMetricsEnabled,
    throttlingRateLimit: raw.ThrottlingRateLimit,
    throttlingBurstLimit: raw.ThrottlingBurstLimit,
  };
  return Object.fromEntries(
    Object.entries(setting).filter(([, value]) => value !== undefined),
  ) as RouteSetting;
}

/**
 * Normalises a few pieces of one region's inventory (one API's responses, one configuration
 * item's shapes), validated as a whole inventory would be: partial reads become exactly the
 * snapshots a scan builds.
 */
export function normalisePieces(
  located: { readonly accountId: string; readonly region: string },
  pieces: Partial<Record<keyof RegionInventory, unknown>>,
  what: string,
  known: KnownServed = {},
): Normalised {
  const empty = {
    account: null,
    restApis: [],
    v2Apis: [],
    domainNames: [],
    webAcls: {},
    invocations: {},
    errors: [],
  };
  return normaliseRegion(
    parseOrThrow(regionInventorySchema, { ...located, ...empty, ...pieces }, what),
    known,
  );
}
