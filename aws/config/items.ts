// AWS Config configuration items → the snapshots the collectors produce. An item is turned
// into the raw inventory shapes the live collector reads (the API responses' own field names)
// and normalised by the same normaliseRegion, so a rule cannot tell an item from a live read.
//
// An item does not carry everything: Config does not record the methods a REST stage serves,
// its authorizers, the contents of a web ACL, an API's custom domains or invocation counts,
// nor the protocol of the API an HTTP/WebSocket stage or route belongs to, and not every
// stage item names its web ACL. Each snapshot comes with the fields the item does carry
// (`known`); a rule reads it through `recordedView`, which notes a reach for any other field,
// and such a rule is judged on a live read instead (pipeline/config/evaluator.ts).
import type * as z from 'zod/mini';
import type { ConfigurationItem } from '../../events/config-invocation';
import { domainNameArn } from '../../model/identity';
import type { Snapshot } from '../../rules/core/resources';
import { parseOrThrow } from '../../rules/core/validation';
import { normalisePieces } from '../read/normalise';
import { isoDate } from './history';
import {
  domainNameConfigurationSchema,
  restApiConfigurationSchema,
  restStageConfigurationSchema,
  type V2RouteSettings,
  v2ApiConfigurationSchema,
  v2RouteConfigurationSchema,
  v2StageConfigurationSchema,
} from './item-shapes';

export interface ItemSnapshot {
  readonly snapshot: Snapshot;
  /** The snapshot's top-level fields the item carries; the others are placeholders. */
  readonly known: ReadonlySet<string>;
}

/** The Config resource types gatewatch turns into snapshots. */
export const itemResourceTypes = [
  'AWS::ApiGateway::Stage',
  'AWS::ApiGateway::RestApi',
  'AWS::ApiGatewayV2::Stage',
  'AWS::ApiGatewayV2::Api',
  'AWS::ApiGatewayV2::Route',
  'AWS::ApiGateway::DomainName',
] as const;

/** Evaluations of the account settings (not a type Config records) are reported against the account. */
export const ACCOUNT_RESOURCE_TYPE = 'AWS::::Account';

const configTypeOfKind: Record<Snapshot['kind'], string> = {
  'rest-stage': 'AWS::ApiGateway::Stage',
  'rest-api': 'AWS::ApiGateway::RestApi',
  'v2-stage': 'AWS::ApiGatewayV2::Stage',
  'v2-api': 'AWS::ApiGatewayV2::Api',
  'v2-route': 'AWS::ApiGatewayV2::Route',
  'domain-name': 'AWS::ApiGateway::DomainName',
  account: ACCOUNT_RESOURCE_TYPE,
};

/**
 * How Config names a resource. Stages and APIs are named by their ARN (as the recorded items
 * and their relationships show); routes and custom domains are assumed to follow the same
 * pattern. The account settings are reported as the account itself.
 */
export function configResourceOf(snapshot: Snapshot): { resourceType: string; resourceId: string } {
  return {
    resourceType: configTypeOfKind[snapshot.kind],
    resourceId: snapshot.kind === 'account' ? snapshot.accountId : snapshot.arn,
  };
}

// ─── Items → snapshots ──────────────────────────────────────────────────────────────────

const identity = ['kind', 'protocol', 'arn', 'region', 'accountId', 'tags'];

type Configuration = Readonly<Record<string, unknown>>;
const has = (configuration: Configuration, key: string) =>
  Object.hasOwn(configuration, key) && configuration[key] !== null;

/** Fields the item carries: `always` whatever it says, `ifPresent` when their source key is in it. */
function knownFields(
  configuration: Configuration,
  always: readonly string[],
  ifPresent: Readonly<Record<string, string>>,
): Set<string> {
  return new Set([
    ...always,
    ...Object.entries(ifPresent)
      .filter(([, key]) => has(configuration, key))
      .map(([field]) => field),
  ]);
}

/**
 * The item's snapshot, or throws a ValidationError naming the field when the item does not have
 * the shape AWS Config records.
 */
export function snapshotFromItem(item: ConfigurationItem): ItemSnapshot {
  switch (item.resourceType) {
    case 'AWS::ApiGateway::Stage':
      return restStage(item, configurationOf(item, restStageConfigurationSchema));
    case 'AWS::ApiGateway::RestApi':
      return restApi(item, configurationOf(item, restApiConfigurationSchema));
    case 'AWS::ApiGatewayV2::Stage':
      return v2Stage(item, configurationOf(item, v2StageConfigurationSchema));
    case 'AWS::ApiGatewayV2::Api':
      return v2Api(item, configurationOf(item, v2ApiConfigurationSchema));
    case 'AWS::ApiGatewayV2::Route':
      return v2Route(item, configurationOf(item, v2RouteConfigurationSchema));
    case 'AWS::ApiGateway::DomainName':
      return domainName(item, configurationOf(item, domainNameConfigurationSchema));
    default:
      throw new Error(`gatewatch does not judge resources of type ${item.resourceType}`);
  }
}

/** The item's `configuration` in its resource type's shape (none, for a deleted resource, is empty). */
function configurationOf<S extends z.ZodMiniType>(item: ConfigurationItem, schema: S): z.output<S> {
  return parseOrThrow(
    schema,
    item.configuration ?? {},
    `The configuration of ${item.resourceType} ${item.resourceId}`,
  );
}

function arnOf(item: ConfigurationItem): string {
  return item.ARN ?? item.resourceId;
}

/** The name and id of the API an item "Is contained in", from its relationships. */
function container(item: ConfigurationItem, type: string): { name?: string; arn?: string } {
  const related = (item.relationships ?? []).find((relationship) => relationship.resourceType === type);
  return { name: related?.resourceName ?? undefined, arn: related?.resourceId ?? undefined };
}

function match(pattern: RegExp, ...candidates: (string | undefined)[]): string[] {
  for (const candidate of candidates) {
    const found = candidate ? pattern.exec(candidate) : null;
    if (found) return found.slice(1);
  }
  throw new Error(`the resource id ${candidates.filter(Boolean).join(' / ')} does not match ${pattern}`);
}

function normalised(item: ConfigurationItem, pieces: Record<string, unknown>) {
  return normalisePieces(
    { accountId: item.awsAccountId, region: item.awsRegion },
    pieces,
    `The configuration item of ${item.resourceType} ${item.resourceId}`,
  ).estate;
}

const tagsOf = (item: ConfigurationItem) => item.tags ?? {};

function restStage(
  item: ConfigurationItem,
  configuration: z.output<typeof restStageConfigurationSchema>,
): ItemSnapshot {
  const api = container(item, 'AWS::ApiGateway::RestApi');
  const [apiId, stageFromArn] = match(/\/restapis\/([^/]+)\/stages\/([^/]+)$/, arnOf(item), item.resourceId);
  const stageName = configuration.stageName ?? (stageFromArn as string);
  const estate = normalised(item, {
    restApis: [
      {
        api: { id: apiId, name: api.name ?? apiId },
        stages: [{ ...configuration, stageName, tags: tagsOf(item) }],
        resources: [],
        authorizers: [],
        requestValidators: [],
        deployments: {},
      },
    ],
  });
  const known = knownFields(
    configuration,
    [...identity, 'apiId', 'stageName', 'accessLog', 'clientCertificateId', 'variables'],
    {
      deploymentId: 'deploymentId',
      methodSettings: 'methodSettings',
      tracingEnabled: 'tracingEnabled',
      cacheClusterEnabled: 'cacheClusterEnabled',
      webAclArn: 'webAclArn',
    },
  );
  if (api.name) known.add('apiName');
  // A web ACL's contents are never in the item; with none attached there are none to know.
  if (known.has('webAclArn') && !configuration.webAclArn) known.add('webAcl');
  return { snapshot: estate.restStages[0] as Snapshot, known };
}

function restApi(
  item: ConfigurationItem,
  configuration: z.output<typeof restApiConfigurationSchema>,
): ItemSnapshot {
  const [apiId] = match(/\/restapis\/([^/]+)$/, arnOf(item), item.resourceId);
  const createdDate = isoDate(configuration.createdDate);
  const estate = normalised(item, {
    restApis: [
      {
        api: {
          ...configuration,
          id: configuration.id ?? apiId,
          name: configuration.name ?? item.resourceName ?? apiId,
          ...(createdDate ? { createdDate } : { createdDate: undefined }),
          tags: tagsOf(item),
        },
        stages: [],
        resources: [],
        authorizers: [],
        requestValidators: [],
        deployments: {},
      },
    ],
  });
  const known = knownFields(configuration, [...identity, 'apiId'], {
    name: 'name',
    endpointTypes: 'endpointConfiguration',
    vpcEndpointIds: 'endpointConfiguration',
    policy: 'policy',
    disableExecuteApiEndpoint: 'disableExecuteApiEndpoint',
  });
  if (createdDate) known.add('createdDate');
  return { snapshot: estate.restApis[0] as Snapshot, known };
}

/** A v2 item's camelCase route settings → the SDK's PascalCase. */
function routeSettings(settings: V2RouteSettings | null | undefined) {
  if (!settings) return undefined;
  return {
    DataTraceEnabled: settings.dataTraceEnabled,
    DetailedMetricsEnabled: settings.detailedMetricsEnabled,
    LoggingLevel: settings.loggingLevel,
    ThrottlingBurstLimit: settings.throttlingBurstLimit,
    ThrottlingRateLimit: settings.throttlingRateLimit,
  };
}

/** An API for normalise to hang a v2 stage or route on; its protocol is a placeholder the item does not know. */
const placeholderApi = (apiId: string, name: string | undefined) => ({
  ApiId: apiId,
  Name: name ?? apiId,
  ProtocolType: 'HTTP',
});

function v2Stage(
  item: ConfigurationItem,
  configuration: z.output<typeof v2StageConfigurationSchema>,
): ItemSnapshot {
  const api = container(item, 'AWS::ApiGatewayV2::Api');
  const [apiId, stageFromArn] = match(/\/apis\/([^/]+)\/stages\/([^/]+)$/, arnOf(item), item.resourceId);
  const accessLog = configuration.accessLogSettings;
  const perRoute = configuration.routeSettings;
  const estate = normalised(item, {
    v2Apis: [
      {
        api: placeholderApi(apiId as string, api.name),
        stages: [
          {
            StageName: configuration.stageName ?? stageFromArn,
            AccessLogSettings: accessLog
              ? { DestinationArn: accessLog.destinationArn, Format: accessLog.format }
              : undefined,
            AutoDeploy: configuration.autoDeploy,
            DefaultRouteSettings: routeSettings(configuration.defaultRouteSettings),
            RouteSettings: perRoute
              ? Object.fromEntries(
                  Object.entries(perRoute).map(([key, value]) => [key, routeSettings(value)]),
                )
              : undefined,
            StageVariables: configuration.stageVariables ?? undefined,
            Tags: tagsOf(item),
          },
        ],
        routes: [],
        integrations: [],
        authorizers: [],
      },
    ],
  });
  const known = knownFields(
    configuration,
    ['kind', 'arn', 'region', 'accountId', 'tags', 'apiId', 'stageName', 'accessLog', 'variables'],
    {
      defaultRouteSettings: 'defaultRouteSettings',
      routeSettings: 'routeSettings',
      autoDeploy: 'autoDeploy',
    },
  );
  if (api.name) known.add('apiName');
  return { snapshot: estate.v2Stages[0] as Snapshot, known };
}

function v2Api(
  item: ConfigurationItem,
  configuration: z.output<typeof v2ApiConfigurationSchema>,
): ItemSnapshot {
  const [apiId] = match(/\/apis\/([^/]+)$/, arnOf(item), item.resourceId);
  const protocol = configuration.protocolType ?? undefined;
  const createdDate = isoDate(configuration.createdDate);
  const estate = normalised(item, {
    v2Apis: [
      {
        api: {
          ApiId: configuration.apiId ?? apiId,
          Name: configuration.name ?? item.resourceName ?? apiId,
          ProtocolType: protocol ?? 'HTTP',
          CreatedDate: createdDate,
          DisableExecuteApiEndpoint: configuration.disableExecuteApiEndpoint,
          Tags: tagsOf(item),
        },
        stages: [],
        routes: [],
        integrations: [],
        authorizers: [],
      },
    ],
  });
  const known = knownFields(configuration, ['kind', 'arn', 'region', 'accountId', 'tags', 'apiId'], {
    protocol: 'protocolType',
    name: 'name',
    disableExecuteApiEndpoint: 'disableExecuteApiEndpoint',
  });
  if (createdDate) known.add('createdDate');
  return { snapshot: estate.v2Apis[0] as Snapshot, known };
}

function v2Route(
  item: ConfigurationItem,
  configuration: z.output<typeof v2RouteConfigurationSchema>,
): ItemSnapshot {
  const api = container(item, 'AWS::ApiGatewayV2::Api');
  const [apiId, routeFromArn] = match(
    /\/apis\/([^/]+)\/routes\/([^/]+)$/,
    arnOf(item),
    item.resourceId,
    `${api.arn ?? ''}/routes/${configuration.routeId ?? item.resourceId}`,
  );
  const authorizerId = configuration.authorizerId ?? undefined;
  const estate = normalised(item, {
    v2Apis: [
      {
        api: placeholderApi(apiId as string, api.name),
        stages: [],
        routes: [
          {
            RouteId: configuration.routeId ?? routeFromArn,
            RouteKey: configuration.routeKey ?? item.resourceName ?? '',
            AuthorizationType: configuration.authorizationType,
            AuthorizerId: authorizerId,
            ApiKeyRequired: configuration.apiKeyRequired,
          },
        ],
        integrations: [],
        authorizers: [],
      },
    ],
  });
  // Routes carry their API's tags, which the route's item does not.
  const known = knownFields(configuration, ['kind', 'arn', 'region', 'accountId', 'apiId', 'routeId'], {
    routeKey: 'routeKey',
    authorizationType: 'authorizationType',
    apiKeyRequired: 'apiKeyRequired',
  });
  if (api.name) known.add('apiName');
  // The authorizer's name and type are not in the item; a route without one has none to know.
  if (!authorizerId) known.add('authorizer');
  return { snapshot: estate.v2Routes[0] as Snapshot, known };
}

function domainName(
  item: ConfigurationItem,
  configuration: z.output<typeof domainNameConfigurationSchema>,
): ItemSnapshot {
  const name = configuration.domainName ?? item.resourceName ?? item.resourceId;
  const endpoint = configuration.endpointConfiguration;
  const mtls = configuration.mutualTlsAuthentication;
  const arn = [item.ARN, item.resourceId].find((id) => id?.startsWith('arn:')) ?? undefined;
  const estate = normalised(item, {
    domainNames: [
      {
        domainName: {
          DomainName: name,
          DomainNameArn: arn ?? domainNameArn(item.awsRegion, name),
          DomainNameConfigurations: [
            {
              EndpointType: endpoint?.types?.[0],
              SecurityPolicy: configuration.securityPolicy,
            },
          ],
          MutualTlsAuthentication: mtls
            ? { TruststoreUri: mtls.truststoreUri, TruststoreVersion: mtls.truststoreVersion }
            : undefined,
          Tags: tagsOf(item),
        },
        apiMappings: [],
      },
    ],
  });
  const known = knownFields(configuration, [...identity, 'domainName', 'mutualTls'], {
    securityPolicy: 'securityPolicy',
    endpointType: 'endpointConfiguration',
  });
  return { snapshot: estate.domainNames[0] as Snapshot, known };
}
