// The live collector against the real SDK v3 clients, with aws-sdk-client-mock answering in
// the shapes the SDK returns (v1: lower camel case, `items`/`position`, GetStages' `item`;
// v2: PascalCase, `Items`/`NextToken`; dates as Date objects).
import {
  type Account,
  APIGatewayServiceException,
  type Authorizers,
  type Deployment,
  GetAccountCommand,
  GetAuthorizersCommand,
  GetDeploymentCommand,
  GetRequestValidatorsCommand,
  GetResourcesCommand,
  GetRestApisCommand,
  GetStagesCommand,
  type Method,
  NotFoundException,
  type RequestValidators,
  type Resources,
  type RestApi,
  type RestApis,
  type Stage,
  type Stages,
} from '@aws-sdk/client-api-gateway';
import {
  type Api,
  GetApiMappingsCommand,
  type GetApiMappingsResponse,
  GetApisCommand,
  type GetApisResponse,
  type GetAuthorizersResponse,
  GetDomainNamesCommand,
  type GetDomainNamesResponse,
  GetIntegrationsCommand,
  type GetIntegrationsResponse,
  GetRoutesCommand,
  type GetRoutesResponse,
  type GetStagesResponse,
  GetAuthorizersCommand as GetV2AuthorizersCommand,
  GetStagesCommand as GetV2StagesCommand,
} from '@aws-sdk/client-apigatewayv2';
import {
  GetMetricDataCommand,
  type GetMetricDataInput,
  type GetMetricDataOutput,
  type MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import {
  GetCallerIdentityCommand,
  type GetCallerIdentityResponse,
  STSServiceException,
} from '@aws-sdk/client-sts';
import { GetWebACLCommand, type GetWebACLResponse } from '@aws-sdk/client-wafv2';
import 'aws-sdk-client-mock-jest';
import { classifyError, type RegionClients, regionClients } from '../../../aws/clients';
import { type CollectOptions, CredentialsError, collect, collectRegion } from '../../../aws/read/collect';
import { normalise } from '../../../aws/read/normalise';
import type { Inventory, RegionInventory } from '../../../aws/read/schema';
import { parseWebAclArn } from '../../../aws/read/waf';
import { COULD_NOT_EVALUATE } from '../../../model/finding';
import { scanInventory } from '../../../pipeline/scan/scan';
import { catalog } from '../../../rules/index';
import { fastPacer, managedRuleGroup, mockClient } from '../../support/sdk';

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const NOW = new Date('2026-11-23T10:15:00.000Z');
const WEB_ACL_ARN = `arn:aws:wafv2:${REGION}:${ACCOUNT}:regional/webacl/orders-protection/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111`;
const LOG_GROUP_ARN = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/gatewatch/access-logs`;
const LOG_FORMAT =
  '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","status":"$context.status"}';
const ORDERS = 'a1b2c3d4e5';
const BILLING = 'b2c3d4e5f6';
const CATALOG_HTTP = 'h7t7p9a1b2';
const LIVE_WS = 'w5s0ck3t01';

const options: CollectOptions = { metricsDays: 30, now: () => NOW };

// ─── SDK-shaped answers ─────────────────────────────────────────────────────────────────

const restApi = (id: string, name: string, extra: Partial<RestApi> = {}): RestApi => ({
  id,
  name,
  createdDate: new Date('2024-03-01T09:00:00.000Z'),
  apiKeySource: 'HEADER',
  endpointConfiguration: { types: ['REGIONAL'], ipAddressType: 'ipv4' },
  disableExecuteApiEndpoint: false,
  rootResourceId: `${id.slice(0, 4)}r00t`,
  tags: { team: name.replace(/-api$/, '') },
  ...extra,
});

const restStage = (stageName: string, deploymentId: string, extra: Partial<Stage> = {}): Stage => ({
  stageName,
  deploymentId,
  cacheClusterEnabled: false,
  cacheClusterStatus: 'NOT_AVAILABLE',
  methodSettings: {
    '*/*': {
      metricsEnabled: true,
      loggingLevel: 'ERROR',
      dataTraceEnabled: false,
      throttlingBurstLimit: 1000,
      throttlingRateLimit: 500,
      cachingEnabled: false,
      cacheTtlInSeconds: 300,
      cacheDataEncrypted: false,
      requireAuthorizationForCacheControl: true,
      unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
    },
  },
  accessLogSettings: { format: LOG_FORMAT, destinationArn: LOG_GROUP_ARN },
  tracingEnabled: true,
  createdDate: new Date('2024-03-01T09:05:00.000Z'),
  lastUpdatedDate: new Date('2026-11-02T16:40:00.000Z'),
  ...extra,
});

const lambdaIntegration = (fn: string): Method['methodIntegration'] => ({
  type: 'AWS_PROXY',
  httpMethod: 'POST',
  uri: `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/arn:aws:lambda:${REGION}:${ACCOUNT}:function:${fn}/invocations`,
  connectionType: 'INTERNET',
  passthroughBehavior: 'WHEN_NO_MATCH',
  timeoutInMillis: 29000,
  cacheNamespace: 'res0rd',
  cacheKeyParameters: [],
});

const cognitoMethod = (httpMethod: string): Method => ({
  httpMethod,
  authorizationType: 'COGNITO_USER_POOLS',
  authorizerId: 'auth01',
  apiKeyRequired: false,
  requestValidatorId: 'val001',
  authorizationScopes: ['orders/read'],
  methodResponses: { '200': { statusCode: '200' } },
  methodIntegration: lambdaIntegration('orders'),
});

const corsPreflight: Method = {
  httpMethod: 'OPTIONS',
  authorizationType: 'NONE',
  apiKeyRequired: false,
  methodResponses: { '200': { statusCode: '200' } },
  methodIntegration: {
    type: 'MOCK',
    requestTemplates: { 'application/json': '{"statusCode": 200}' },
    passthroughBehavior: 'WHEN_NO_MATCH',
    timeoutInMillis: 29000,
    cacheNamespace: 'res0rd',
    cacheKeyParameters: [],
  },
};

/** GetResources with embed=methods, in two pages. */
const ordersResources = (getOrders: Method = cognitoMethod('GET')): Record<string, Resources> => ({
  '': {
    items: [
      { id: 'a1b2r00t', path: '/' },
      {
        id: 'res0rd',
        parentId: 'a1b2r00t',
        pathPart: 'orders',
        path: '/orders',
        resourceMethods: { GET: getOrders, OPTIONS: corsPreflight },
      },
    ],
    position: 'res-page-2',
  },
  'res-page-2': {
    items: [
      {
        id: 'res0id',
        parentId: 'res0rd',
        pathPart: '{orderId}',
        path: '/orders/{orderId}',
        resourceMethods: { GET: cognitoMethod('GET') },
      },
    ],
  },
});

const ordersDeployment: Deployment = {
  id: 'dep123',
  description: 'release 42',
  createdDate: new Date('2026-11-02T16:38:00.000Z'),
  apiSummary: {
    '/orders': {
      GET: { authorizationType: 'COGNITO_USER_POOLS', apiKeyRequired: false },
      OPTIONS: { authorizationType: 'NONE', apiKeyRequired: false },
    },
    '/orders/{orderId}': { GET: { authorizationType: 'COGNITO_USER_POOLS', apiKeyRequired: false } },
  },
};

const billingResources: Resources = {
  items: [
    { id: 'b2c3r00t', path: '/' },
    {
      id: 'resinv',
      parentId: 'b2c3r00t',
      pathPart: 'invoices',
      path: '/invoices',
      resourceMethods: {
        GET: {
          httpMethod: 'GET',
          authorizationType: 'AWS_IAM',
          apiKeyRequired: false,
          methodIntegration: lambdaIntegration('billing'),
        },
      },
    },
  ],
};

const billingDeployment: Deployment = {
  id: 'dep900',
  createdDate: new Date('2025-01-15T12:00:00.000Z'),
  apiSummary: { '/invoices': { GET: { authorizationType: 'AWS_IAM', apiKeyRequired: false } } },
};

const v2Api = (ApiId: string, Name: string, ProtocolType: 'HTTP' | 'WEBSOCKET'): Api => ({
  ApiEndpoint:
    ProtocolType === 'HTTP'
      ? `https://${ApiId}.execute-api.${REGION}.amazonaws.com`
      : `wss://${ApiId}.execute-api.${REGION}.amazonaws.com`,
  ApiId,
  ApiKeySelectionExpression: '$request.header.x-api-key',
  CreatedDate: new Date('2025-06-12T14:30:00.000Z'),
  DisableExecuteApiEndpoint: false,
  Name,
  ProtocolType,
  RouteSelectionExpression:
    ProtocolType === 'HTTP' ? '$request.method $request.path' : '$request.body.action',
  Tags: { team: 'catalog' },
});

const v2Stages: Record<string, GetStagesResponse> = {
  [CATALOG_HTTP]: {
    Items: [
      {
        StageName: '$default',
        AutoDeploy: true,
        DeploymentId: 'x1y2z3',
        LastDeploymentStatusMessage: "Successfully deployed stage with deployment ID 'x1y2z3'",
        AccessLogSettings: { DestinationArn: LOG_GROUP_ARN, Format: LOG_FORMAT },
        DefaultRouteSettings: {
          DetailedMetricsEnabled: false,
          ThrottlingBurstLimit: 1000,
          ThrottlingRateLimit: 500,
        },
        RouteSettings: {},
        StageVariables: {},
        CreatedDate: new Date('2025-06-12T14:31:00.000Z'),
        LastUpdatedDate: new Date('2026-10-01T08:00:00.000Z'),
        Tags: {},
      },
    ],
  },
  [LIVE_WS]: {
    Items: [
      {
        StageName: 'prod',
        DeploymentId: 'w1s2d3',
        AccessLogSettings: { DestinationArn: LOG_GROUP_ARN, Format: LOG_FORMAT },
        DefaultRouteSettings: {
          DataTraceEnabled: false,
          DetailedMetricsEnabled: false,
          LoggingLevel: 'ERROR',
          ThrottlingBurstLimit: 500,
          ThrottlingRateLimit: 1000,
        },
        RouteSettings: {},
        StageVariables: {},
        CreatedDate: new Date('2025-07-01T10:00:00.000Z'),
        LastUpdatedDate: new Date('2025-07-01T10:00:00.000Z'),
        Tags: {},
      },
    ],
  },
};

/** GetRoutes by API id, then by the NextToken asked for. */
const v2Routes: Record<string, Record<string, GetRoutesResponse>> = {
  [CATALOG_HTTP]: {
    '': {
      Items: [
        {
          ApiKeyRequired: false,
          AuthorizationScopes: [],
          AuthorizationType: 'JWT',
          AuthorizerId: 'jwt001',
          RouteId: 'r0ute01',
          RouteKey: 'GET /items',
          Target: 'integrations/int0001',
        },
      ],
      NextToken: 'routes-page-2',
    },
    'routes-page-2': {
      Items: [
        {
          ApiKeyRequired: false,
          AuthorizationType: 'JWT',
          AuthorizerId: 'jwt001',
          RouteId: 'r0ute02',
          RouteKey: 'POST /items',
          Target: 'integrations/int0001',
        },
      ],
    },
  },
  [LIVE_WS]: {
    '': {
      Items: [
        { ApiKeyRequired: false, AuthorizationType: 'AWS_IAM', RouteId: 'ws0001', RouteKey: '$connect' },
        { ApiKeyRequired: false, AuthorizationType: 'NONE', RouteId: 'ws0002', RouteKey: '$default' },
        { ApiKeyRequired: false, AuthorizationType: 'NONE', RouteId: 'ws0003', RouteKey: '$disconnect' },
      ],
    },
  },
};

const v2Integrations: Record<string, GetIntegrationsResponse> = {
  [CATALOG_HTTP]: {
    Items: [
      {
        ConnectionType: 'INTERNET',
        IntegrationId: 'int0001',
        IntegrationMethod: 'POST',
        IntegrationType: 'AWS_PROXY',
        IntegrationUri: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:catalog`,
        PayloadFormatVersion: '2.0',
        TimeoutInMillis: 30000,
      },
    ],
  },
  [LIVE_WS]: {
    Items: [
      {
        ConnectionType: 'INTERNET',
        IntegrationId: 'wsint01',
        IntegrationMethod: 'POST',
        IntegrationType: 'AWS_PROXY',
        IntegrationUri: `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/arn:aws:lambda:${REGION}:${ACCOUNT}:function:live/invocations`,
        PassthroughBehavior: 'WHEN_NO_MATCH',
        TimeoutInMillis: 29000,
      },
    ],
  },
};

const v2Authorizers: Record<string, GetAuthorizersResponse> = {
  [CATALOG_HTTP]: {
    Items: [
      {
        AuthorizerId: 'jwt001',
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: {
          Audience: ['catalog'],
          Issuer: `https://cognito-idp.${REGION}.amazonaws.com/${REGION}_EXAMPLE`,
        },
        Name: 'catalog-jwt',
      },
    ],
  },
  [LIVE_WS]: { Items: [] },
};

const webAclResponse: GetWebACLResponse = {
  WebACL: {
    Name: 'orders-protection',
    Id: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
    ARN: WEB_ACL_ARN,
    DefaultAction: { Allow: {} },
    Description: '',
    Rules: [
      managedRuleGroup('AWSManagedRulesCommonRuleSet', 0, false),
      managedRuleGroup('AWSManagedRulesKnownBadInputsRuleSet', 1, true),
    ],
    VisibilityConfig: {
      SampledRequestsEnabled: true,
      CloudWatchMetricsEnabled: true,
      MetricName: 'orders-protection',
    },
    Capacity: 900,
    ManagedByFirewallManager: false,
    LabelNamespace: `awswaf:${ACCOUNT}:webacl:orders-protection:`,
  },
  LockToken: 'e3b0c442-98fc-1c14-9afb-f4c8996fb924',
};

/** Invocations by metric and dimension value; two data points where the window spans two periods. */
const metricValues: Record<string, number[]> = {
  'Count ApiName=orders-api': [700, 500],
  'Count ApiName=billing-api': [],
  [`Count ApiId=${CATALOG_HTTP}`]: [5000],
  [`ConnectCount ApiId=${LIVE_WS}`]: [40],
  [`MessageCount ApiId=${LIVE_WS}`]: [960],
};

function answerMetrics(input: GetMetricDataInput): GetMetricDataOutput {
  return {
    MetricDataResults: (input.MetricDataQueries ?? []).map((query): MetricDataResult => {
      const metric = query.MetricStat?.Metric;
      const dimension = metric?.Dimensions?.[0];
      const values = metricValues[`${metric?.MetricName} ${dimension?.Name}=${dimension?.Value}`] ?? [];
      return {
        Id: query.Id,
        Label: metric?.MetricName,
        Timestamps: values.map((_, i) => new Date(Date.UTC(2026, 9, 24 + i * 30, 10))),
        Values: values,
        StatusCode: 'Complete',
      };
    }),
    Messages: [],
  };
}

// ─── The estate, mocked ─────────────────────────────────────────────────────────────────

interface EstateOptions {
  /** The working copy's GET /orders (what the deployment serves is in its API summary). */
  readonly getOrders?: Method;
}

/** One account in eu-west-1: two REST APIs (two list pages), an HTTP and a WebSocket API, a custom domain. */
function givenEstate(
  clients: RegionClients = regionClients({ region: REGION, pacer: fastPacer() }),
  estate: EstateOptions = {},
) {
  const apigateway = mockClient(clients.apigateway);
  const apigatewayv2 = mockClient(clients.apigatewayv2);
  const wafv2 = mockClient(clients.wafv2);
  const cloudwatch = mockClient(clients.cloudwatch);
  const sts = mockClient(clients.sts);

  const account: Account = {
    cloudwatchRoleArn: `arn:aws:iam::${ACCOUNT}:role/apigateway-cloudwatch-logs`,
    throttleSettings: { burstLimit: 5000, rateLimit: 10000 },
    features: ['UsagePlans'],
    apiKeyVersion: '4',
  };
  apigateway.on(GetAccountCommand).resolves(account);
  const restApiPages: Record<string, RestApis> = {
    '': { items: [restApi(ORDERS, 'orders-api')], position: 'apis-page-2' },
    'apis-page-2': {
      items: [
        restApi(BILLING, 'billing-api', {
          endpointConfiguration: { types: ['PRIVATE'], vpcEndpointIds: ['vpce-0a1b2c3d4e5f67890'] },
        }),
      ],
    },
  };
  apigateway
    .on(GetRestApisCommand)
    .callsFake((input: { position?: string }) => restApiPages[input.position ?? '']);
  const stages: Record<string, Stages> = {
    [ORDERS]: {
      item: [
        restStage('prod', 'dep123', { webAclArn: WEB_ACL_ARN }),
        restStage('staging', 'dep123', { webAclArn: WEB_ACL_ARN }),
      ],
    },
    [BILLING]: { item: [restStage('prod', 'dep900')] },
  };
  apigateway.on(GetStagesCommand).callsFake((input: { restApiId: string }) => stages[input.restApiId]);
  const resources: Record<string, Record<string, Resources>> = {
    [ORDERS]: ordersResources(estate.getOrders),
    [BILLING]: { '': billingResources },
  };
  apigateway
    .on(GetResourcesCommand)
    .callsFake(
      (input: { restApiId: string; position?: string }) => resources[input.restApiId]?.[input.position ?? ''],
    );
  const authorizers: Authorizers = {
    items: [
      {
        id: 'auth01',
        name: 'orders-users',
        type: 'COGNITO_USER_POOLS',
        providerARNs: [`arn:aws:cognito-idp:${REGION}:${ACCOUNT}:userpool/${REGION}_EXAMPLE`],
        identitySource: 'method.request.header.Authorization',
        authorizerResultTtlInSeconds: 300,
      },
    ],
  };
  apigateway
    .on(GetAuthorizersCommand)
    .callsFake((input: { restApiId: string }) => (input.restApiId === ORDERS ? authorizers : { items: [] }));
  const validators: RequestValidators = {
    items: [
      { id: 'val001', name: 'body-and-params', validateRequestBody: true, validateRequestParameters: true },
    ],
  };
  apigateway
    .on(GetRequestValidatorsCommand)
    .callsFake((input: { restApiId: string }) => (input.restApiId === ORDERS ? validators : { items: [] }));
  const deployments: Record<string, Deployment> = { dep123: ordersDeployment, dep900: billingDeployment };
  apigateway
    .on(GetDeploymentCommand)
    .callsFake((input: { deploymentId: string }) => deployments[input.deploymentId]);

  const apiPages: Record<string, GetApisResponse> = {
    '': { Items: [v2Api(CATALOG_HTTP, 'catalog-http', 'HTTP')], NextToken: 'apis-token-2' },
    'apis-token-2': { Items: [v2Api(LIVE_WS, 'live-updates', 'WEBSOCKET')] },
  };
  apigatewayv2
    .on(GetApisCommand)
    .callsFake((input: { NextToken?: string }) => apiPages[input.NextToken ?? '']);
  apigatewayv2.on(GetV2StagesCommand).callsFake((input: { ApiId: string }) => v2Stages[input.ApiId]);
  apigatewayv2
    .on(GetRoutesCommand)
    .callsFake(
      (input: { ApiId: string; NextToken?: string }) => v2Routes[input.ApiId]?.[input.NextToken ?? ''],
    );
  apigatewayv2
    .on(GetIntegrationsCommand)
    .callsFake((input: { ApiId: string }) => v2Integrations[input.ApiId]);
  apigatewayv2
    .on(GetV2AuthorizersCommand)
    .callsFake((input: { ApiId: string }) => v2Authorizers[input.ApiId]);
  const domains: GetDomainNamesResponse = {
    Items: [
      {
        ApiMappingSelectionExpression: '$request.basepath',
        DomainName: 'api.example.com',
        DomainNameArn: `arn:aws:apigateway:${REGION}::/domainnames/api.example.com`,
        DomainNameConfigurations: [
          {
            ApiGatewayDomainName: `d-abcdef1234.execute-api.${REGION}.amazonaws.com`,
            CertificateArn: `arn:aws:acm:${REGION}:${ACCOUNT}:certificate/12345678-1234-1234-1234-123456789012`,
            DomainNameStatus: 'AVAILABLE',
            EndpointType: 'REGIONAL',
            HostedZoneId: 'Z2FDTNDATAQYW2',
            SecurityPolicy: 'TLS_1_2',
          },
        ],
        Tags: {},
      },
    ],
  };
  apigatewayv2.on(GetDomainNamesCommand).resolves(domains);
  const mappings: GetApiMappingsResponse = {
    Items: [
      { ApiId: ORDERS, ApiMappingId: 'map001', ApiMappingKey: 'orders', Stage: 'prod' },
      { ApiId: CATALOG_HTTP, ApiMappingId: 'map002', ApiMappingKey: 'catalog', Stage: '$default' },
    ],
  };
  apigatewayv2.on(GetApiMappingsCommand).resolves(mappings);

  wafv2.on(GetWebACLCommand).resolves(webAclResponse);
  cloudwatch.on(GetMetricDataCommand).callsFake(answerMetrics);
  const identity: GetCallerIdentityResponse = {
    UserId: 'AROAEXAMPLEID:gatewatch',
    Account: ACCOUNT,
    Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/gatewatch-readonly/gatewatch`,
  };
  sts.on(GetCallerIdentityCommand).resolves(identity);

  return { clients, apigateway, apigatewayv2, wafv2, cloudwatch, sts };
}

function asInventory(region: RegionInventory): Inventory {
  return { version: 1, collectedAt: NOW.toISOString(), calls: {}, regions: [region] };
}

/** What AWS answers when IAM denies a call (API Gateway v1 does not model this error). */
function accessDenied(action: string, resource: string) {
  return new APIGatewayServiceException({
    name: 'AccessDeniedException',
    $fault: 'client',
    $metadata: { httpStatusCode: 403, requestId: 'c0ffee00-0000-4000-8000-000000000403' },
    message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/gatewatch-readonly/gatewatch is not authorized to perform: ${action} on resource: ${resource}`,
  });
}

// ─── Tests ──────────────────────────────────────────────────────────────────────────────

describe('collectRegion', () => {
  it('reads a deployment shared by two stages once, with its API summary embedded', async () => {
    // Prepare
    const { clients, apigateway } = givenEstate();

    // Act
    const inventory = await collectRegion(clients, ACCOUNT, REGION, options);

    // Assess
    const orders = inventory.restApis.find((entry) => entry.api.id === ORDERS);
    expect(orders?.stages.map((stage) => stage.stageName)).toEqual(['prod', 'staging']);
    expect(apigateway.commandCalls(GetDeploymentCommand, { restApiId: ORDERS })).toHaveLength(1);
    expect(apigateway).toHaveReceivedCommandWith(GetDeploymentCommand, {
      restApiId: ORDERS,
      deploymentId: 'dep123',
      embed: ['apisummary'],
    });
    expect(orders?.deployments.dep123?.apiSummary?.['/orders']?.GET).toEqual({
      authorizationType: 'COGNITO_USER_POOLS',
      apiKeyRequired: false,
    });
    const stages = normalise(asInventory(inventory)).estate.restStages.filter(
      (stage) => stage.apiId === ORDERS,
    );
    expect(stages.map((stage) => stage.methods.source)).toEqual(['deployment', 'deployment']);
  });

  it('reads resources with their methods inline and follows every page of every list', async () => {
    // Prepare
    const { clients, apigateway, apigatewayv2 } = givenEstate();

    // Act
    const inventory = await collectRegion(clients, ACCOUNT, REGION, options);

    // Assess
    expect(apigateway).toHaveReceivedNthSpecificCommandWith(2, GetRestApisCommand, {
      position: 'apis-page-2',
    });
    expect(apigateway).toHaveReceivedCommandWith(GetResourcesCommand, {
      restApiId: ORDERS,
      embed: ['methods'],
    });
    expect(apigateway).toHaveReceivedCommandWith(GetResourcesCommand, {
      restApiId: ORDERS,
      embed: ['methods'],
      position: 'res-page-2',
    });
    expect(apigatewayv2).toHaveReceivedNthSpecificCommandWith(2, GetApisCommand, {
      NextToken: 'apis-token-2',
    });
    expect(apigatewayv2).toHaveReceivedCommandWith(GetRoutesCommand, {
      ApiId: CATALOG_HTTP,
      NextToken: 'routes-page-2',
    });
    expect(inventory.restApis.map((entry) => entry.api.name)).toEqual(['orders-api', 'billing-api']);
    expect(inventory.v2Apis.map((entry) => entry.api.Name)).toEqual(['catalog-http', 'live-updates']);
    const orders = inventory.restApis[0];
    expect(orders?.resources.map((resource) => resource.path)).toEqual(['/', '/orders', '/orders/{orderId}']);
    expect(Object.keys(orders?.resources[1]?.resourceMethods ?? {})).toEqual(['GET', 'OPTIONS']);
    expect(inventory.v2Apis[0]?.routes.map((route) => route.RouteKey)).toEqual(['GET /items', 'POST /items']);
  });

  it('reads REST, HTTP and WebSocket APIs each through their own API and keeps what sets them apart', async () => {
    // Prepare
    const { clients, apigateway, apigatewayv2 } = givenEstate();

    // Act
    const inventory = await collectRegion(clients, ACCOUNT, REGION, options);

    // Assess
    expect(apigateway).toHaveReceivedCommandWith(GetStagesCommand, { restApiId: ORDERS });
    expect(apigateway).toHaveReceivedCommandWith(GetStagesCommand, { restApiId: BILLING });
    for (const ApiId of [CATALOG_HTTP, LIVE_WS]) {
      expect(apigatewayv2).toHaveReceivedCommandWith(GetV2StagesCommand, { ApiId });
      expect(apigatewayv2).toHaveReceivedCommandWith(GetIntegrationsCommand, { ApiId });
      expect(apigatewayv2).toHaveReceivedCommandWith(GetV2AuthorizersCommand, { ApiId });
    }
    const { estate } = normalise(asInventory(inventory));
    expect(estate.restStages.map((s) => [s.apiName, s.stageName, s.webAclArn])).toEqual([
      ['orders-api', 'prod', WEB_ACL_ARN],
      ['orders-api', 'staging', WEB_ACL_ARN],
      ['billing-api', 'prod', null],
    ]);
    expect(estate.restApis.find((api) => api.apiId === BILLING)).toMatchObject({
      endpointTypes: ['PRIVATE'],
      vpcEndpointIds: ['vpce-0a1b2c3d4e5f67890'],
      createdDate: '2024-03-01T09:00:00.000Z',
    });
    expect(
      estate.v2Stages.map((s) => [s.protocol, s.apiName, s.stageName, s.defaultRouteSettings.loggingLevel]),
    ).toEqual([
      ['HTTP', 'catalog-http', '$default', undefined],
      ['WEBSOCKET', 'live-updates', 'prod', 'ERROR'],
    ]);
    expect(
      estate.v2Routes.filter((r) => r.protocol === 'WEBSOCKET').map((r) => [r.routeKey, r.authorizationType]),
    ).toEqual([
      ['$connect', 'AWS_IAM'],
      ['$default', 'NONE'],
      ['$disconnect', 'NONE'],
    ]);
    expect(estate.v2Routes.find((r) => r.routeKey === 'GET /items')?.authorizer).toEqual({
      authorizerId: 'jwt001',
      name: 'catalog-jwt',
      type: 'JWT',
    });
    expect(estate.v2Apis.find((api) => api.apiId === CATALOG_HTTP)?.customDomainNames).toEqual([
      'api.example.com',
    ]);
  });

  it('reads a web ACL once for the two stages that share it', async () => {
    // Prepare
    const { clients, wafv2 } = givenEstate();

    // Act
    const inventory = await collectRegion(clients, ACCOUNT, REGION, options);

    // Assess
    expect(wafv2).toHaveReceivedCommandTimes(GetWebACLCommand, 1);
    expect(wafv2).toHaveReceivedCommandWith(GetWebACLCommand, {
      Name: 'orders-protection',
      Id: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
      Scope: 'REGIONAL',
    });
    const stages = normalise(asInventory(inventory)).estate.restStages.filter(
      (stage) => stage.apiId === ORDERS,
    );
    for (const stage of stages) {
      expect(stage.webAcl).toEqual({
        arn: WEB_ACL_ARN,
        name: 'orders-protection',
        defaultAction: 'ALLOW',
        managedRuleGroups: [
          { name: 'AWS:AWSManagedRulesCommonRuleSet', countOnly: false },
          { name: 'AWS:AWSManagedRulesKnownBadInputsRuleSet', countOnly: true },
        ],
      });
    }
  });

  it('counts invocations: REST Count by API name, HTTP Count by API id, WebSocket connections plus messages', async () => {
    // Prepare
    const { clients, cloudwatch } = givenEstate();

    // Act
    const inventory = await collectRegion(clients, ACCOUNT, REGION, options);

    // Assess
    expect(cloudwatch).toHaveReceivedCommandTimes(GetMetricDataCommand, 1);
    const input = cloudwatch.commandCalls(GetMetricDataCommand)[0]?.args[0].input;
    expect(input?.StartTime).toEqual(new Date('2026-10-24T10:00:00.000Z'));
    expect(input?.EndTime).toEqual(NOW);
    expect(
      input?.MetricDataQueries?.map((q) => [
        q.MetricStat?.Metric?.Namespace,
        q.MetricStat?.Metric?.MetricName,
        q.MetricStat?.Metric?.Dimensions,
        q.MetricStat?.Stat,
        q.MetricStat?.Period,
      ]),
    ).toEqual([
      ['AWS/ApiGateway', 'Count', [{ Name: 'ApiName', Value: 'orders-api' }], 'Sum', 30 * 86_400],
      ['AWS/ApiGateway', 'Count', [{ Name: 'ApiName', Value: 'billing-api' }], 'Sum', 30 * 86_400],
      ['AWS/ApiGateway', 'Count', [{ Name: 'ApiId', Value: CATALOG_HTTP }], 'Sum', 30 * 86_400],
      ['AWS/ApiGateway', 'ConnectCount', [{ Name: 'ApiId', Value: LIVE_WS }], 'Sum', 30 * 86_400],
      ['AWS/ApiGateway', 'MessageCount', [{ Name: 'ApiId', Value: LIVE_WS }], 'Sum', 30 * 86_400],
    ]);
    const window = { days: 30, windowStart: '2026-10-24T10:00:00.000Z' };
    expect(inventory.invocations).toEqual({
      [ORDERS]: { count: 1200, ...window },
      [BILLING]: { count: 0, ...window },
      [CATALOG_HTTP]: { count: 5000, ...window },
      [LIVE_WS]: { count: 1000, ...window },
    });
  });

  it('skips CloudWatch when no metric window is asked for', async () => {
    // Prepare
    const { clients, cloudwatch } = givenEstate();

    // Act
    const inventory = await collectRegion(clients, ACCOUNT, REGION, { metricsDays: 0 });

    // Assess
    expect(cloudwatch).not.toHaveReceivedCommand(GetMetricDataCommand);
    expect(inventory.invocations).toEqual({});
  });

  it('asks CloudWatch for at most 500 queries a call and follows its NextToken', async () => {
    // Prepare: 251 WebSocket APIs, two queries each.
    const clients = regionClients({ region: REGION, pacer: fastPacer() });
    const apigateway = mockClient(clients.apigateway);
    const apigatewayv2 = mockClient(clients.apigatewayv2);
    const cloudwatch = mockClient(clients.cloudwatch);
    apigateway.on(GetAccountCommand).resolves({});
    apigateway.on(GetRestApisCommand).resolves({ items: [] });
    const apis = Array.from({ length: 251 }, (_, i) =>
      v2Api(`ws${String(i).padStart(8, '0')}`, `ws-${i}`, 'WEBSOCKET'),
    );
    apigatewayv2.on(GetApisCommand).resolves({ Items: apis });
    apigatewayv2.on(GetV2StagesCommand).resolves({ Items: [] });
    apigatewayv2.on(GetRoutesCommand).resolves({ Items: [] });
    apigatewayv2.on(GetIntegrationsCommand).resolves({ Items: [] });
    apigatewayv2.on(GetV2AuthorizersCommand).resolves({ Items: [] });
    apigatewayv2.on(GetDomainNamesCommand).resolves({ Items: [] });
    // Each input as it was sent: the SDK's paginators send one input object, updated page by page.
    const sent: GetMetricDataInput[] = [];
    cloudwatch.on(GetMetricDataCommand).callsFake((input: GetMetricDataInput): GetMetricDataOutput => {
      sent.push({ ...input });
      const queries = input.MetricDataQueries ?? [];
      // A long batch comes back in two pages, as CloudWatch does when a reply would be too large.
      const paged = queries.length === 500;
      const answered = !paged ? queries : input.NextToken ? queries.slice(250) : queries.slice(0, 250);
      return {
        MetricDataResults: answered.map((q) => ({
          Id: q.Id,
          Label: q.MetricStat?.Metric?.MetricName,
          StatusCode: 'Complete',
          Values: [q.MetricStat?.Metric?.MetricName === 'ConnectCount' ? 1 : 2],
          Timestamps: [new Date('2026-10-24T10:00:00.000Z')],
        })),
        ...(paged && !input.NextToken ? { NextToken: 'metrics-page-2' } : {}),
      };
    });

    // Act
    const inventory = await collectRegion(clients, ACCOUNT, REGION, options);

    // Assess
    const calls = sent;
    expect(calls.map((input) => [input.MetricDataQueries?.length, input.NextToken])).toEqual([
      [500, undefined],
      [500, 'metrics-page-2'],
      [2, undefined],
    ]);
    expect(Object.keys(inventory.invocations)).toHaveLength(251);
    expect(Object.values(inventory.invocations).every((invocations) => invocations.count === 3)).toBe(true);
  });

  it('counts every request by operation and reports progress per API', async () => {
    // Prepare
    const { clients } = givenEstate();
    const progress: { done: number; total: number }[] = [];

    // Act
    await collectRegion(clients, ACCOUNT, REGION, {
      ...options,
      onProgress: (p) => progress.push(p),
    });

    // Assess: v1 and v2 share operation names (GetStages, GetAuthorizers) and the same quota.
    // Authorizers and request validators are read only for the REST API whose methods use them.
    expect(clients.pacer.stats).toEqual({
      calls: {
        GetAccount: 1,
        GetRestApis: 2,
        GetApis: 2,
        GetStages: 2 + 2,
        GetResources: 2 + 1,
        GetAuthorizers: 1 + 2,
        GetRequestValidators: 1,
        GetDeployment: 2,
        GetRoutes: 2 + 1,
        GetIntegrations: 2,
        GetDomainNames: 1,
        GetApiMappings: 1,
        GetWebACL: 1,
        GetMetricData: 1,
      },
      throttled: 0,
    });
    expect(progress).toEqual([
      { done: 1, total: 4 },
      { done: 2, total: 4 },
      { done: 3, total: 4 },
      { done: 4, total: 4 },
    ]);
  });
});

describe('collectRegion when a read fails', () => {
  it('records access denied on one API’s GetStages and goes on with the other APIs', async () => {
    // Prepare
    const { clients, apigateway } = givenEstate();
    apigateway
      .on(GetStagesCommand, { restApiId: ORDERS })
      .rejects(accessDenied('apigateway:GET', `arn:aws:apigateway:${REGION}::/restapis/${ORDERS}/stages`));

    // Act
    const inventory = await collectRegion(clients, ACCOUNT, REGION, options);

    // Assess
    expect(inventory.errors).toEqual([
      {
        operation: 'GetStages',
        resource: `arn:aws:apigateway:${REGION}::/restapis/${ORDERS}`,
        code: 'AccessDeniedException',
        kind: 'denied',
        message: expect.stringContaining('is not authorized to perform: apigateway:GET'),
        read: 'rest-stages',
      },
    ]);
    // The API itself was listed: it is judged without stages; the other APIs are read in full.
    expect(inventory.restApis.map((entry) => entry.api.id)).toEqual([ORDERS, BILLING]);
    expect(inventory.restApis[0]?.stages).toEqual([]);
    expect(inventory.v2Apis).toHaveLength(2);
    const problem = scanInventory(asInventory(inventory), { rules: catalog }).findings.filter(
      (finding) => finding.ruleId === COULD_NOT_EVALUATE,
    );
    expect(problem).toEqual([
      expect.objectContaining({
        status: 'ERROR',
        resourceType: 'rest-api',
        reason: `gatewatch could not read arn:aws:apigateway:${REGION}::/restapis/${ORDERS} (GetStages: AccessDeniedException, access denied); the rules that need its stages were not evaluated.`,
      }),
    ]);
  });

  it('reports an API deleted mid-scan as gone, which scanInventory turns into NOT_APPLICABLE', async () => {
    // Prepare
    const { clients, apigateway } = givenEstate();
    apigateway.on(GetResourcesCommand, { restApiId: BILLING }).rejects(
      new NotFoundException({
        message: `Invalid API identifier specified ${ACCOUNT}:${BILLING}`,
        $metadata: { httpStatusCode: 404, requestId: 'c0ffee00-0000-4000-8000-000000000404' },
      }),
    );

    // Act
    const inventory = await collectRegion(clients, ACCOUNT, REGION, options);

    // Assess
    expect(inventory.errors).toEqual([
      expect.objectContaining({ operation: 'GetResources', code: 'NotFoundException', kind: 'gone' }),
    ]);
    expect(inventory.restApis.map((entry) => entry.api.id)).toEqual([ORDERS]);
    const { findings } = scanInventory(asInventory(inventory), { rules: catalog });
    expect(findings.filter((finding) => finding.resourceArn.includes(BILLING))).toEqual([
      expect.objectContaining({
        ruleId: COULD_NOT_EVALUATE,
        status: 'NOT_APPLICABLE',
        severity: 'INFO',
        reason: `arn:aws:apigateway:${REGION}::/restapis/${BILLING} was deleted while gatewatch was reading it (GetResources: NotFoundException).`,
      }),
    ]);
  });

  it('judges stages on the working copy when their deployment cannot be read, and says so', async () => {
    // Prepare
    const { clients, apigateway } = givenEstate();
    apigateway.on(GetDeploymentCommand, { restApiId: ORDERS }).rejects(
      new NotFoundException({
        message: 'Invalid Deployment identifier specified',
        $metadata: { httpStatusCode: 404 },
      }),
    );

    // Act
    const inventory = await collectRegion(clients, ACCOUNT, REGION, options);

    // Assess
    expect(inventory.errors).toEqual([]);
    const { estate } = normalise(asInventory(inventory));
    const ordersStages = estate.restStages.filter((stage) => stage.apiId === ORDERS);
    expect(ordersStages.map((stage) => stage.methods.source)).toEqual(['working-copy', 'working-copy']);
    expect(ordersStages[0]?.methods.served.map((m) => `${m.httpMethod} ${m.resourcePath}`)).toEqual([
      'GET /orders',
      'OPTIONS /orders',
      'GET /orders/{orderId}',
    ]);
    const authorization = scanInventory(asInventory(inventory), { rules: catalog }).findings.find(
      (f) =>
        f.ruleId === 'rest-method-authorization' && f.resourceArn.endsWith(`/restapis/${ORDERS}/stages/prod`),
    );
    expect(authorization?.status).toBe('COMPLIANT');
    expect(authorization?.reason).toContain('judged on the working copy');
  });

  it('reports a working-copy change waiting for a deployment as a pending finding', async () => {
    // Prepare: GET /orders lost its authorizer in the working copy; the deployment still has it.
    const { clients } = givenEstate(undefined, {
      getOrders: { ...cognitoMethod('GET'), authorizationType: 'NONE', authorizerId: undefined },
    });

    // Act
    const inventory = await collectRegion(clients, ACCOUNT, REGION, options);
    const { findings, summary } = scanInventory(asInventory(inventory), { rules: catalog });

    // Assess
    const forProd = findings.filter(
      (f) =>
        f.ruleId === 'rest-method-authorization' && f.resourceArn.endsWith(`/restapis/${ORDERS}/stages/prod`),
    );
    expect(forProd.map((f) => [f.status, f.pending ?? false, f.severity])).toEqual([
      ['COMPLIANT', false, 'HIGH'],
      ['NON_COMPLIANT', true, 'MEDIUM'],
    ]);
    expect(forProd[1]?.reason).toMatch(
      /^Pending deployment: Stage prod of REST API orders-api \(a1b2c3d4e5\)/,
    );
    expect(forProd[1]?.reason).toContain('GET /orders');
    expect(forProd[1]?.reason).not.toContain('could not be read');
    expect(summary.pending).toBe(findings.filter((f) => f.pending).length);
    expect(findings.filter((f) => f.pending && f.ruleId === 'rest-method-authorization')).toHaveLength(2);
  });

  it('stops with a CredentialsError when the credentials are refused mid-scan', async () => {
    // Prepare
    const { clients, apigateway, wafv2 } = givenEstate();
    apigateway.on(GetResourcesCommand).rejects(
      new APIGatewayServiceException({
        name: 'ExpiredTokenException',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
        message: 'The security token included in the request is expired',
      }),
    );

    // Act
    const scan = collectRegion(clients, ACCOUNT, REGION, options);

    // Assess
    await expect(scan).rejects.toThrow(CredentialsError);
    await expect(scan).rejects.toThrow('The security token included in the request is expired');
    expect(wafv2).not.toHaveReceivedCommand(GetWebACLCommand);
  });

  it('stops with a CredentialsError when no credentials can be found', async () => {
    // Prepare
    const { clients, apigateway } = givenEstate();
    apigateway.on(GetAccountCommand).rejects(
      Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      }),
    );

    // Act
    const scan = collectRegion(clients, ACCOUNT, REGION, options);

    // Assess
    await expect(scan).rejects.toThrow(CredentialsError);
    expect(apigateway).not.toHaveReceivedCommand(GetRestApisCommand);
  });
});

describe('collect', () => {
  it('identifies the account, collects each region in turn and adds up the calls', async () => {
    // Prepare
    const ireland = givenEstate(regionClients({ region: REGION, pacer: fastPacer() }));
    const virginia = regionClients({ region: 'us-east-1', pacer: fastPacer() });
    const empty = {
      apigateway: mockClient(virginia.apigateway),
      apigatewayv2: mockClient(virginia.apigatewayv2),
    };
    empty.apigateway.on(GetAccountCommand).resolves({});
    empty.apigateway.on(GetRestApisCommand).resolves({ items: [] });
    empty.apigatewayv2.on(GetApisCommand).resolves({ Items: [] });
    empty.apigatewayv2.on(GetDomainNamesCommand).resolves({ Items: [] });
    const clientsByRegion: Record<string, RegionClients> = {
      [REGION]: ireland.clients,
      'us-east-1': virginia,
    };

    // Act
    const inventory = await collect(
      [REGION, 'us-east-1'],
      (region) => clientsByRegion[region] as RegionClients,
      options,
    );

    // Assess
    expect(inventory).toMatchObject({ version: 2, collectedAt: NOW.toISOString() });
    expect(inventory.regions.map((r) => [r.region, r.accountId, r.restApis.length])).toEqual([
      [REGION, ACCOUNT, 2],
      ['us-east-1', ACCOUNT, 0],
    ]);
    expect(ireland.sts).toHaveReceivedCommandTimes(GetCallerIdentityCommand, 1);
    expect(inventory.calls).toMatchObject({
      GetCallerIdentity: 1,
      GetAccount: 2,
      GetRestApis: 3,
      GetApis: 3,
    });
  });

  it('stops with a CredentialsError when STS refuses the credentials', async () => {
    // Prepare
    const { clients, sts, apigateway } = givenEstate();
    sts.on(GetCallerIdentityCommand).rejects(
      new STSServiceException({
        name: 'InvalidClientTokenId',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
        message: 'The security token included in the request is invalid.',
      }),
    );

    // Act
    const scan = collect([REGION], () => clients, options);

    // Assess
    await expect(scan).rejects.toThrow(CredentialsError);
    await expect(scan).rejects.toThrow('Could not identify the AWS account: The security token included');
    expect(apigateway).not.toHaveReceivedAnyCommand();
  });
});

describe('parseWebAclArn', () => {
  it('reads name, id and scope from regional and CloudFront web ACL ARNs', () => {
    expect(parseWebAclArn(WEB_ACL_ARN)).toEqual({
      Name: 'orders-protection',
      Id: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
      Scope: 'REGIONAL',
    });
    expect(parseWebAclArn(`arn:aws:wafv2:us-east-1:${ACCOUNT}:global/webacl/edge_acl/1234abcd`)).toEqual({
      Name: 'edge_acl',
      Id: '1234abcd',
      Scope: 'CLOUDFRONT',
    });
  });

  it('rejects what is not a WAFv2 web ACL ARN, naming it', () => {
    const classic = `arn:aws:waf-regional:${REGION}:${ACCOUNT}:webacl/1234abcd`;

    expect(() => parseWebAclArn(classic)).toThrow(`Not a WAFv2 web ACL ARN: ${classic}`);
  });
});

describe('classifyError', () => {
  it.each([
    ['NotFoundException', 'gone'],
    ['WAFNonexistentItemException', 'gone'],
    ['AccessDeniedException', 'denied'],
    ['UnauthorizedException', 'denied'],
    ['TooManyRequestsException', 'failed'],
    ['ServiceUnavailableException', 'failed'],
  ])('sorts %s as %s', (name, kind) => {
    const error = Object.assign(new Error('message from AWS'), { name });

    expect(classifyError(error)).toEqual({ kind, code: name, message: 'message from AWS' });
  });
});
