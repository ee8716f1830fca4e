// The live drift reader against the real SDK v3 clients, with aws-sdk-client-mock answering in
// the shapes the SDK returns (v1: lower camel case, `items`/`position`; v2: PascalCase,
// `Items`/`NextToken`; dates as Date objects). Each test pins the calls a target costs.
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
  GetRestApiCommand,
  GetStageCommand,
  GetStagesCommand,
  type Method,
  NotFoundException,
  type RequestValidators,
  type Resources,
  type RestApi,
  type Stage,
} from '@aws-sdk/client-api-gateway';
import {
  type DomainName,
  GetApiCommand,
  GetApiMappingsCommand,
  type GetApiMappingsResponse,
  type GetApiResponse,
  GetAuthorizerCommand,
  GetDomainNameCommand,
  GetDomainNamesCommand,
  GetIntegrationsCommand,
  type GetIntegrationsResponse,
  GetRouteCommand,
  GetRoutesCommand,
  type GetRoutesResponse,
  type GetStageResponse,
  GetAuthorizersCommand as GetV2AuthorizersCommand,
  GetStageCommand as GetV2StageCommand,
  type Route,
  type Authorizer as V2Authorizer,
  NotFoundException as V2NotFoundException,
} from '@aws-sdk/client-apigatewayv2';
import { DescribeLogGroupsCommand, type DescribeLogGroupsResponse } from '@aws-sdk/client-cloudwatch-logs';
import {
  GetWebACLCommand,
  type GetWebACLResponse,
  ListResourcesForWebACLCommand,
  type ListResourcesForWebACLResponse,
  WAFNonexistentItemException,
} from '@aws-sdk/client-wafv2';
import 'aws-sdk-client-mock-jest';
import { type RegionClients, regionClients } from '../../../aws/clients';
import { CredentialsError } from '../../../aws/read/collect';
import { LiveReader } from '../../../aws/read/live';
import type { PreviousState } from '../../../aws/read/reader';
import {
  accountArn,
  domainNameArn,
  restApiArn,
  restStageArn,
  v2ApiArn,
  v2RouteArn,
  v2StageArn,
} from '../../../model/identity';
import { judge } from '../../../rules/core/judge';
import type { RestStageSnapshot, Snapshot } from '../../../rules/core/resources';
import { findRule } from '../../../rules/index';
import { fastPacer, managedRuleGroup, mockClient } from '../../support/sdk';
import {
  ACCESS_LOG_GROUP_ARN,
  ACCOUNT,
  JSON_ACCESS_LOG_FORMAT,
  REGION,
  restApi as restApiSnapshot,
  restMethod,
  restStage as restStageSnapshot,
  v2Api as v2ApiSnapshot,
  v2Stage as v2StageSnapshot,
  WEB_ACL_ARN,
  webAcl as webAclSnapshot,
} from '../../support/snapshots';

const ORDERS = 'a1b2c3d4e5';
const CATALOG_HTTP = 'h7t7p9a1b2';
const LIVE_WS = 'w5s0ck3t01';
const PROD = restStageArn(REGION, ORDERS, 'prod');
const STAGING = restStageArn(REGION, ORDERS, 'staging');
const LOG_GROUP_NAME = '/gatewatch/access-logs';

// ─── SDK-shaped answers ─────────────────────────────────────────────────────────────────

const ordersApi: RestApi = {
  id: ORDERS,
  name: 'orders-api',
  createdDate: new Date('2024-03-01T09:00:00.000Z'),
  apiKeySource: 'HEADER',
  endpointConfiguration: { types: ['REGIONAL'], ipAddressType: 'ipv4' },
  disableExecuteApiEndpoint: false,
  rootResourceId: 'a1b2r00t',
  tags: { team: 'orders' },
  policy:
    '{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[{\\"Effect\\":\\"Allow\\",\\"Principal\\":\\"*\\",\\"Action\\":\\"execute-api:Invoke\\",\\"Resource\\":\\"arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/*\\",\\"Condition\\":{\\"StringEquals\\":{\\"aws:SourceVpce\\":\\"vpce-0a1b2c3d4e5f67890\\"}}}]}',
};

const stage = (stageName: string, extra: Partial<Stage> = {}): Stage => ({
  stageName,
  deploymentId: 'dep123',
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
  accessLogSettings: { format: JSON_ACCESS_LOG_FORMAT, destinationArn: ACCESS_LOG_GROUP_ARN },
  tracingEnabled: true,
  webAclArn: WEB_ACL_ARN,
  createdDate: new Date('2024-03-01T09:05:00.000Z'),
  lastUpdatedDate: new Date('2026-11-02T16:40:00.000Z'),
  tags: {},
  ...extra,
});

const cognitoGet: Method = {
  httpMethod: 'GET',
  authorizationType: 'COGNITO_USER_POOLS',
  authorizerId: 'auth01',
  apiKeyRequired: false,
  requestValidatorId: 'val001',
  authorizationScopes: ['orders/read'],
  methodResponses: { '200': { statusCode: '200' } },
  methodIntegration: {
    type: 'AWS_PROXY',
    httpMethod: 'POST',
    uri: `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/arn:aws:lambda:${REGION}:${ACCOUNT}:function:orders/invocations`,
    connectionType: 'INTERNET',
    passthroughBehavior: 'WHEN_NO_MATCH',
    timeoutInMillis: 29000,
    cacheNamespace: 'res0rd',
    cacheKeyParameters: [],
  },
};

/** GetResources with embed=methods, by the position asked for. */
const resourcePages = (getOrders: Method, paged: boolean): Record<string, Resources> => {
  const root = { id: 'a1b2r00t', path: '/' };
  const orders = {
    id: 'res0rd',
    parentId: 'a1b2r00t',
    pathPart: 'orders',
    path: '/orders',
    resourceMethods: { GET: getOrders },
  };
  return paged
    ? { '': { items: [root], position: 'res-page-2' }, 'res-page-2': { items: [orders] } }
    : { '': { items: [root, orders] } };
};

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

const validators: RequestValidators = {
  items: [
    { id: 'val001', name: 'body-and-params', validateRequestBody: true, validateRequestParameters: true },
  ],
};

const deployment = (id: string): Deployment => ({
  id,
  description: 'release 42',
  createdDate: new Date('2026-11-02T16:38:00.000Z'),
  apiSummary: { '/orders': { GET: { authorizationType: 'COGNITO_USER_POOLS', apiKeyRequired: false } } },
});

/** The web ACL as it is now: its known-bad-inputs group was switched to count only. */
const webAclResponse: GetWebACLResponse = {
  WebACL: {
    Name: 'orders-protection',
    Id: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
    ARN: WEB_ACL_ARN,
    DefaultAction: { Allow: {} },
    Rules: [
      managedRuleGroup('AWSManagedRulesCommonRuleSet', 0, false),
      managedRuleGroup('AWSManagedRulesKnownBadInputsRuleSet', 1, true),
    ],
    VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: 'orders' },
    Capacity: 900,
    ManagedByFirewallManager: false,
    LabelNamespace: `awswaf:${ACCOUNT}:webacl:orders-protection:`,
  },
  LockToken: 'e3b0c442-98fc-1c14-9afb-f4c8996fb924',
};
const freshWebAcl = {
  arn: WEB_ACL_ARN,
  name: 'orders-protection',
  defaultAction: 'ALLOW',
  managedRuleGroups: [
    { name: 'AWS:AWSManagedRulesCommonRuleSet', countOnly: false },
    { name: 'AWS:AWSManagedRulesKnownBadInputsRuleSet', countOnly: true },
  ],
};

const v2Api = (ApiId: string, Name: string, ProtocolType: 'HTTP' | 'WEBSOCKET'): GetApiResponse => ({
  ApiEndpoint: `https://${ApiId}.execute-api.${REGION}.amazonaws.com`,
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

const httpStage: GetStageResponse = {
  StageName: '$default',
  AutoDeploy: true,
  DeploymentId: 'x1y2z3',
  AccessLogSettings: { DestinationArn: ACCESS_LOG_GROUP_ARN, Format: JSON_ACCESS_LOG_FORMAT },
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
};

const wsStage: GetStageResponse = {
  StageName: 'prod',
  DeploymentId: 'w1s2d3',
  DefaultRouteSettings: {
    DataTraceEnabled: false,
    DetailedMetricsEnabled: false,
    LoggingLevel: 'INFO',
    ThrottlingBurstLimit: 500,
    ThrottlingRateLimit: 1000,
  },
  RouteSettings: {},
  StageVariables: {},
  Tags: {},
};

const jwtRoute: Route = {
  ApiKeyRequired: false,
  AuthorizationScopes: [],
  AuthorizationType: 'JWT',
  AuthorizerId: 'jwt001',
  RouteId: 'r0ute01',
  RouteKey: 'GET /items',
  Target: 'integrations/int0001',
};

const jwtAuthorizer: V2Authorizer = {
  AuthorizerId: 'jwt001',
  AuthorizerType: 'JWT',
  IdentitySource: ['$request.header.Authorization'],
  JwtConfiguration: {
    Audience: ['catalog'],
    Issuer: `https://cognito-idp.${REGION}.amazonaws.com/${REGION}_EXAMPLE`,
  },
  Name: 'catalog-jwt',
};

const routePages: Record<string, GetRoutesResponse> = {
  '': { Items: [jwtRoute], NextToken: 'routes-page-2' },
  'routes-page-2': {
    Items: [
      { ApiKeyRequired: false, AuthorizationType: 'NONE', RouteId: 'r0ute02', RouteKey: 'GET /health' },
    ],
  },
};

const integrationPages: Record<string, GetIntegrationsResponse> = {
  '': {
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
    NextToken: 'integrations-page-2',
  },
  'integrations-page-2': {
    Items: [
      {
        ConnectionId: 'vl1nk01',
        ConnectionType: 'VPC_LINK',
        IntegrationId: 'int0002',
        IntegrationMethod: 'ANY',
        IntegrationType: 'HTTP_PROXY',
        IntegrationUri: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:listener/app/catalog/50dc6c495c0c9188/0467ef3c8400ae65`,
        PayloadFormatVersion: '1.0',
        TlsConfig: { ServerNameToVerify: 'catalog.internal.example.com' },
      },
    ],
  },
};

const domain: DomainName = {
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
      SecurityPolicy: 'TLS_1_0',
    },
  ],
  Tags: {},
};

const mappings: GetApiMappingsResponse = {
  Items: [
    { ApiId: ORDERS, ApiMappingId: 'map001', ApiMappingKey: 'orders', Stage: 'prod' },
    { ApiId: CATALOG_HTTP, ApiMappingId: 'map002', ApiMappingKey: 'catalog', Stage: '$default' },
  ],
};

const account: Account = {
  cloudwatchRoleArn: `arn:aws:iam::${ACCOUNT}:role/apigateway-cloudwatch-logs`,
  throttleSettings: { burstLimit: 5000, rateLimit: 10000 },
  features: ['UsagePlans'],
  apiKeyVersion: '4',
};

/** A prefix search finds other groups that share the prefix, not the deleted one. */
const logGroupsAfterDelete: DescribeLogGroupsResponse = {
  logGroups: [
    {
      logGroupName: `${LOG_GROUP_NAME}-archive`,
      creationTime: 1_700_000_000_000,
      retentionInDays: 365,
      metricFilterCount: 0,
      arn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${LOG_GROUP_NAME}-archive:*`,
      storedBytes: 1024,
      logGroupClass: 'STANDARD',
      logGroupArn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${LOG_GROUP_NAME}-archive`,
    },
  ],
};
const logGroupsPresent: DescribeLogGroupsResponse = {
  logGroups: [
    {
      logGroupName: LOG_GROUP_NAME,
      creationTime: 1_700_000_000_000,
      metricFilterCount: 0,
      arn: `${ACCESS_LOG_GROUP_ARN}:*`,
      storedBytes: 2048,
      logGroupClass: 'STANDARD',
      logGroupArn: ACCESS_LOG_GROUP_ARN,
    },
  ],
};

// ─── The account, mocked ────────────────────────────────────────────────────────────────

interface AwsOptions {
  /** The working copy's GET /orders (the deployment's API summary keeps it COGNITO_USER_POOLS). */
  readonly getOrders?: Method;
  readonly pagedResources?: boolean;
}

function givenAws(options: AwsOptions = {}) {
  const clients = regionClients({ region: REGION, pacer: fastPacer(), maxAttempts: 1 });
  const apigateway = mockClient(clients.apigateway);
  const apigatewayv2 = mockClient(clients.apigatewayv2);
  const wafv2 = mockClient(clients.wafv2);
  const logs = mockClient(clients.logs);
  const reader = new LiveReader(() => clients, ACCOUNT);

  apigateway.on(GetRestApiCommand, { restApiId: ORDERS }).resolves(ordersApi);
  apigateway.on(GetStageCommand).callsFake((input: { stageName: string }) => stage(input.stageName));
  apigateway
    .on(GetStagesCommand, { restApiId: ORDERS })
    .resolves({ item: [stage('prod'), stage('staging')] });
  const resources = resourcePages(options.getOrders ?? cognitoGet, options.pagedResources ?? false);
  apigateway
    .on(GetResourcesCommand)
    .callsFake((input: { position?: string }) => resources[input.position ?? '']);
  apigateway.on(GetAuthorizersCommand).resolves(authorizers);
  apigateway.on(GetRequestValidatorsCommand).resolves(validators);
  apigateway
    .on(GetDeploymentCommand)
    .callsFake((input: { deploymentId: string }) => deployment(input.deploymentId));
  apigateway.on(GetAccountCommand).resolves(account);

  apigatewayv2
    .on(GetApiCommand, { ApiId: CATALOG_HTTP })
    .resolves(v2Api(CATALOG_HTTP, 'catalog-http', 'HTTP'));
  apigatewayv2.on(GetApiCommand, { ApiId: LIVE_WS }).resolves(v2Api(LIVE_WS, 'live-updates', 'WEBSOCKET'));
  apigatewayv2.on(GetV2StageCommand, { ApiId: CATALOG_HTTP }).resolves(httpStage);
  apigatewayv2.on(GetV2StageCommand, { ApiId: LIVE_WS }).resolves(wsStage);
  apigatewayv2.on(GetRouteCommand, { ApiId: CATALOG_HTTP, RouteId: 'r0ute01' }).resolves(jwtRoute);
  apigatewayv2
    .on(GetRouteCommand, { ApiId: LIVE_WS, RouteId: 'ws0002' })
    .resolves({ ApiKeyRequired: false, AuthorizationType: 'NONE', RouteId: 'ws0002', RouteKey: '$default' });
  apigatewayv2.on(GetAuthorizerCommand).resolves(jwtAuthorizer);
  apigatewayv2
    .on(GetRoutesCommand)
    .callsFake((input: { NextToken?: string }) => routePages[input.NextToken ?? '']);
  apigatewayv2.on(GetV2AuthorizersCommand).resolves({ Items: [jwtAuthorizer] });
  apigatewayv2
    .on(GetIntegrationsCommand)
    .callsFake((input: { NextToken?: string }) => integrationPages[input.NextToken ?? '']);
  apigatewayv2.on(GetDomainNameCommand, { DomainName: 'api.example.com' }).resolves(domain);
  apigatewayv2.on(GetDomainNamesCommand).resolves({ Items: [domain] });
  apigatewayv2.on(GetApiMappingsCommand).resolves(mappings);

  wafv2.on(GetWebACLCommand).resolves(webAclResponse);
  const listed: ListResourcesForWebACLResponse = { ResourceArns: [PROD] };
  wafv2.on(ListResourcesForWebACLCommand).resolves(listed);
  logs.on(DescribeLogGroupsCommand).resolves(logGroupsPresent);

  return { reader, clients, apigateway, apigatewayv2, wafv2, logs };
}

/** The baseline as the pipeline hands it over: snapshots by ARN, with its two lookups. */
function previousOf(...snapshots: Snapshot[]): PreviousState {
  const byArn = new Map(snapshots.map((snapshot) => [snapshot.arn, snapshot]));
  const sameGroup = (a: string, b: string) => a.replace(/:\*$/, '') === b.replace(/:\*$/, '');
  return {
    snapshot: (arn) => byArn.get(arn),
    stagesWithWebAcl: (arn) =>
      snapshots.filter((s): s is RestStageSnapshot => s.kind === 'rest-stage' && s.webAclArn === arn),
    stagesLoggingTo: (arn) =>
      snapshots.filter(
        (s) =>
          (s.kind === 'rest-stage' || s.kind === 'v2-stage') &&
          s.accessLog !== null &&
          sameGroup(s.accessLog.destinationArn, arn),
      ),
  };
}
const nothingKnown = previousOf();

const totalCalls = (clients: RegionClients) =>
  Object.values(clients.pacer.stats.calls).reduce((sum, n) => sum + n, 0);

/** What the baseline saw: stage prod serving dep123 through an authorizer it named differently, with an older web ACL. */
const prodBefore = restStageSnapshot({
  apiId: ORDERS,
  stageName: 'prod',
  deploymentId: 'dep123',
  tracingEnabled: false,
  methods: {
    source: 'deployment',
    served: [
      restMethod({ authorizer: { authorizerId: 'auth01', name: 'before', type: 'COGNITO_USER_POOLS' } }),
    ],
  },
});
const ordersBefore = restApiSnapshot({ apiId: ORDERS, customDomainNames: ['orders.example.com'] });

const accessDenied = (action: string) =>
  new APIGatewayServiceException({
    name: 'AccessDeniedException',
    $fault: 'client',
    $metadata: { httpStatusCode: 403, requestId: 'c0ffee00-0000-4000-8000-000000000403' },
    message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/gatewatch-drift/gatewatch is not authorized to perform: ${action}`,
  });

// ─── rest-stage ─────────────────────────────────────────────────────────────────────────

describe('LiveReader: rest-stage', () => {
  it('makes 1 call when the baseline saw the API, the same deployment and web ACL, reusing what they serve', async () => {
    // Prepare
    const { reader, clients, wafv2 } = givenAws();

    // Act
    const read = await reader.read(
      { kind: 'rest-stage', region: REGION, apiId: ORDERS, stageName: 'prod' },
      previousOf(prodBefore, ordersBefore),
    );

    // Assess
    expect(clients.pacer.stats.calls).toEqual({ GetStage: 1 });
    expect(wafv2).not.toHaveReceivedAnyCommand();
    const prod = read.snapshots.find((s) => s.arn === PROD) as RestStageSnapshot;
    expect(prod.tracingEnabled).toBe(true);
    expect(prod.methods).toBe(prodBefore.methods);
    expect(prod.webAcl).toBe(prodBefore.webAcl);
    expect(prod.accessLog).toEqual({ destinationArn: ACCESS_LOG_GROUP_ARN, format: JSON_ACCESS_LOG_FORMAT });
    // The API was not read: what the baseline knows of it stands (its own events re-read it).
    expect(read.snapshots.find((s) => s.kind === 'rest-api')).toMatchObject({
      arn: restApiArn(REGION, ORDERS),
      tags: ordersBefore.tags,
      customDomainNames: ['orders.example.com'],
      invocations: ordersBefore.invocations,
      policy: ordersBefore.policy,
    });
    expect(read).toMatchObject({ pending: [], gone: [], problems: [] });
  });

  it('makes 6 calls without a baseline: stage, API, served methods, working copy (no authorizer names) and web ACL', async () => {
    // Prepare
    const { reader, clients, apigateway, wafv2 } = givenAws();

    // Act
    const read = await reader.read(
      { kind: 'rest-stage', region: REGION, apiId: ORDERS, stageName: 'prod' },
      nothingKnown,
    );

    // Assess
    expect(clients.pacer.stats.calls).toEqual({
      GetRestApi: 1,
      GetStage: 1,
      GetResources: 1,
      GetRequestValidators: 1,
      GetDeployment: 1,
      GetWebACL: 1,
    });
    expect(totalCalls(clients)).toBe(6);
    expect(apigateway).toHaveReceivedCommandWith(GetDeploymentCommand, {
      restApiId: ORDERS,
      deploymentId: 'dep123',
      embed: ['apisummary'],
    });
    expect(apigateway).toHaveReceivedCommandWith(GetResourcesCommand, {
      restApiId: ORDERS,
      embed: ['methods'],
    });
    expect(wafv2).toHaveReceivedCommandWith(GetWebACLCommand, {
      Name: 'orders-protection',
      Id: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
      Scope: 'REGIONAL',
    });
    expect(read.snapshots).toHaveLength(1);
    expect(read.snapshots[0]).toMatchObject({
      kind: 'rest-stage',
      arn: PROD,
      apiName: 'orders-api',
      deploymentId: 'dep123',
      webAcl: freshWebAcl,
      methods: {
        source: 'deployment',
        served: [
          {
            resourcePath: '/orders',
            httpMethod: 'GET',
            authorizationType: 'COGNITO_USER_POOLS',
            // Authorizer names are not read for one stage: the id says which authorizer it is.
            authorizer: { authorizerId: 'auth01', name: 'auth01', type: 'UNKNOWN' },
            apiKeyRequired: false,
            requestValidator: { validateRequestBody: true, validateRequestParameters: true },
            integration: expect.objectContaining({ type: 'AWS_PROXY' }),
          },
        ],
      },
    });
    expect(read).toMatchObject({ pending: [], gone: [], problems: [] });
  });

  it('reads what the stage serves when its deployment changed, keeps the web ACL, and reports pending drift', async () => {
    // Prepare: the working copy's GET /orders lost its authorizer; deployment dep124 still has it.
    const { reader, clients, wafv2 } = givenAws({
      getOrders: { ...cognitoGet, authorizationType: 'NONE', authorizerId: undefined },
    });
    const before = { ...prodBefore, deploymentId: 'dep122' };

    // Act
    const read = await reader.read(
      { kind: 'rest-stage', region: REGION, apiId: ORDERS, stageName: 'prod' },
      previousOf(before, ordersBefore),
    );

    // Assess: stage, deployment, resources and the validators a method uses; the API and web ACL are known.
    expect(totalCalls(clients)).toBe(4);
    expect(wafv2).not.toHaveReceivedCommand(GetWebACLCommand);
    const prod = read.snapshots.find((s) => s.arn === PROD) as RestStageSnapshot;
    expect(prod.methods.served.map((m) => [m.httpMethod, m.resourcePath, m.authorizationType])).toEqual([
      ['GET', '/orders', 'COGNITO_USER_POOLS'],
    ]);
    expect(prod.webAcl).toBe(before.webAcl);
    expect(read.pending).toHaveLength(1);
    expect(read.pending[0]?.methods).toEqual({
      source: 'undeployed',
      served: [expect.objectContaining({ httpMethod: 'GET', authorizationType: 'NONE' })],
    });
  });

  it('reads the web ACL when the stage now has a different one', async () => {
    // Prepare
    const { reader, clients, wafv2 } = givenAws();
    const before = { ...prodBefore, webAclArn: null, webAcl: null };

    // Act
    const read = await reader.read(
      { kind: 'rest-stage', region: REGION, apiId: ORDERS, stageName: 'prod' },
      previousOf(before),
    );

    // Assess
    expect(clients.pacer.stats.calls).toEqual({ GetRestApi: 1, GetStage: 1, GetWebACL: 1 });
    expect(wafv2).toHaveReceivedCommandTimes(GetWebACLCommand, 1);
    expect(read.snapshots).toEqual([expect.objectContaining({ arn: PROD, webAcl: freshWebAcl })]);
  });

  it('reports the stage gone when GetStage answers NotFound', async () => {
    // Prepare
    const { reader, apigateway } = givenAws();
    apigateway.on(GetStageCommand).rejects(
      new NotFoundException({
        message: 'Invalid stage identifier specified',
        $metadata: { httpStatusCode: 404 },
      }),
    );

    // Act
    const read = await reader.read(
      { kind: 'rest-stage', region: REGION, apiId: ORDERS, stageName: 'prod' },
      previousOf(prodBefore),
    );

    // Assess
    expect(read).toEqual({ snapshots: [], pending: [], workingCopyCompared: [], gone: [PROD], problems: [] });
  });

  it('reports the stage gone when its API was deleted', async () => {
    // Prepare
    const { reader, apigateway } = givenAws();
    apigateway.on(GetRestApiCommand).rejects(
      new NotFoundException({
        message: `Invalid API identifier specified ${ACCOUNT}:${ORDERS}`,
        $metadata: { httpStatusCode: 404 },
      }),
    );

    // Act
    const read = await reader.read(
      { kind: 'rest-stage', region: REGION, apiId: ORDERS, stageName: 'prod' },
      previousOf(prodBefore),
    );

    // Assess
    expect(read.gone).toEqual([PROD]);
    expect(apigateway).not.toHaveReceivedCommand(GetStageCommand);
  });

  it('reports a problem, not a snapshot, when GetStage is denied', async () => {
    // Prepare
    const { reader, apigateway } = givenAws();
    apigateway.on(GetStageCommand).rejects(accessDenied('apigateway:GET'));

    // Act
    const read = await reader.read(
      { kind: 'rest-stage', region: REGION, apiId: ORDERS, stageName: 'prod' },
      previousOf(prodBefore),
    );

    // Assess
    expect(read).toEqual({
      snapshots: [],
      pending: [],
      workingCopyCompared: [],
      gone: [],
      problems: [
        {
          operation: 'GetStage',
          resource: PROD,
          code: 'AccessDeniedException',
          kind: 'denied',
          message: expect.stringContaining('not authorized to perform: apigateway:GET'),
        },
      ],
    });
  });

  it('keeps the stage when its web ACL cannot be read, so the WAF rules say they could not evaluate', async () => {
    // Prepare
    const { reader, wafv2 } = givenAws();
    wafv2.on(GetWebACLCommand).rejects(
      Object.assign(new Error('User is not authorized to perform: wafv2:GetWebACL'), {
        name: 'AccessDeniedException',
      }),
    );

    // Act
    const read = await reader.read(
      { kind: 'rest-stage', region: REGION, apiId: ORDERS, stageName: 'prod' },
      nothingKnown,
    );

    // Assess
    expect(read.problems).toEqual([
      expect.objectContaining({ operation: 'GetWebACL', resource: WEB_ACL_ARN, kind: 'denied' }),
    ]);
    const prod = read.snapshots[0] as RestStageSnapshot;
    expect(prod).toMatchObject({ webAclArn: WEB_ACL_ARN, webAcl: null });
    expect(
      judge(findRule('rest-stage-waf-rules') as NonNullable<ReturnType<typeof findRule>>, prod).status,
    ).toBe('ERROR');
  });

  it('stops with a CredentialsError when the credentials are refused', async () => {
    // Prepare
    const { reader, apigateway } = givenAws();
    apigateway.on(GetRestApiCommand).rejects(
      new APIGatewayServiceException({
        name: 'ExpiredTokenException',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
        message: 'The security token included in the request is expired',
      }),
    );

    // Act
    const read = reader.read(
      { kind: 'rest-stage', region: REGION, apiId: ORDERS, stageName: 'prod' },
      nothingKnown,
    );

    // Assess
    await expect(read).rejects.toThrow(CredentialsError);
  });
});

// ─── rest-stages and rest-api ───────────────────────────────────────────────────────────

describe('LiveReader: rest-stages', () => {
  it('reads the API, every stage, the working copy (every page), one shared deployment, one web ACL and the custom domains', async () => {
    // Prepare
    const { reader, clients, apigateway } = givenAws({ pagedResources: true });

    // Act
    const read = await reader.read({ kind: 'rest-stages', region: REGION, apiId: ORDERS }, nothingKnown);

    // Assess
    expect(clients.pacer.stats.calls).toEqual({
      GetRestApi: 1,
      GetStages: 1,
      GetResources: 2,
      GetAuthorizers: 1,
      GetRequestValidators: 1,
      GetDeployment: 1,
      GetWebACL: 1,
      GetDomainNames: 1,
      GetApiMappings: 1,
    });
    expect(apigateway).toHaveReceivedCommandWith(GetResourcesCommand, {
      restApiId: ORDERS,
      embed: ['methods'],
      position: 'res-page-2',
    });
    expect(read.snapshots.map((s) => s.arn)).toEqual([restApiArn(REGION, ORDERS), PROD, STAGING]);
    expect(read.snapshots[0]).toMatchObject({ customDomainNames: ['api.example.com'] });
    for (const s of read.snapshots.slice(1)) {
      expect(s).toMatchObject({ webAcl: freshWebAcl, methods: { source: 'deployment' } });
    }
    expect(read).toMatchObject({ pending: [], gone: [], problems: [] });
  });

  it('with a baseline, rebuilds what each stage serves from it and still reads the working copy: 4 calls', async () => {
    // Prepare: a cold read is the baseline; then the working copy drops GET /orders' authorizer.
    const target = { kind: 'rest-stages', region: REGION, apiId: ORDERS } as const;
    const baseline = await givenAws().reader.read(target, nothingKnown);
    const changed = { getOrders: { ...cognitoGet, authorizationType: 'NONE', authorizerId: undefined } };
    const expected = await givenAws(changed).reader.read(target, nothingKnown);
    const { reader, clients } = givenAws(changed);

    // Act
    const read = await reader.read(target, previousOf(...baseline.snapshots));

    // Assess: the same as a cold read, without the deployment, web ACL and domain reads, and
    // without GetAuthorizers: no method of the changed working copy names an authorizer any more.
    expect(clients.pacer.stats.calls).toEqual({
      GetRestApi: 1,
      GetStages: 1,
      GetResources: 1,
      GetRequestValidators: 1,
    });
    expect(read.snapshots).toEqual(expected.snapshots);
    expect(read.pending).toEqual(expected.pending);
    expect(read.pending.map((s) => [s.arn, s.methods.source])).toEqual([
      [PROD, 'undeployed'],
      [STAGING, 'undeployed'],
    ]);
  });

  it('reports the API gone when GetRestApi answers NotFound', async () => {
    // Prepare
    const { reader, apigateway } = givenAws();
    apigateway.on(GetRestApiCommand).rejects(
      new NotFoundException({
        message: 'Invalid API identifier specified',
        $metadata: { httpStatusCode: 404 },
      }),
    );

    // Act
    const read = await reader.read({ kind: 'rest-stages', region: REGION, apiId: ORDERS }, nothingKnown);

    // Assess
    expect(read).toEqual({
      snapshots: [],
      pending: [],
      workingCopyCompared: [],
      gone: [restApiArn(REGION, ORDERS)],
      problems: [],
    });
  });
});

describe('LiveReader: rest-api', () => {
  it('makes 1 call when the baseline knows the custom domains', async () => {
    // Prepare
    const { reader, clients } = givenAws();

    // Act
    const read = await reader.read(
      { kind: 'rest-api', region: REGION, apiId: ORDERS },
      previousOf(ordersBefore),
    );

    // Assess
    expect(clients.pacer.stats.calls).toEqual({ GetRestApi: 1 });
    expect(read.snapshots).toEqual([
      expect.objectContaining({
        kind: 'rest-api',
        name: 'orders-api',
        customDomainNames: ['orders.example.com'],
      }),
    ]);
  });

  it('finds custom domains through GetDomainNames and GetApiMappings when the baseline does not know the API', async () => {
    // Prepare
    const { reader, clients } = givenAws();

    // Act
    const read = await reader.read({ kind: 'rest-api', region: REGION, apiId: ORDERS }, nothingKnown);

    // Assess
    expect(clients.pacer.stats.calls).toEqual({ GetRestApi: 1, GetDomainNames: 1, GetApiMappings: 1 });
    const api = read.snapshots[0] as Snapshot;
    expect(api).toMatchObject({ customDomainNames: ['api.example.com'], disableExecuteApiEndpoint: false });
    const rule = findRule('api-default-endpoint-disabled') as NonNullable<ReturnType<typeof findRule>>;
    expect(judge(rule, api).status).toBe('NON_COMPLIANT');
  });
});

// ─── HTTP and WebSocket ─────────────────────────────────────────────────────────────────

describe('LiveReader: v2 targets', () => {
  it('v2-api: GetApi and every page of GetIntegrations', async () => {
    // Prepare
    const { reader, clients, apigatewayv2 } = givenAws();

    // Act
    const read = await reader.read(
      { kind: 'v2-api', region: REGION, apiId: CATALOG_HTTP },
      previousOf(v2ApiSnapshot({ customDomainNames: ['api.example.com'] })),
    );

    // Assess
    expect(clients.pacer.stats.calls).toEqual({ GetApi: 1, GetIntegrations: 2 });
    expect(apigatewayv2).toHaveReceivedCommandWith(GetIntegrationsCommand, {
      ApiId: CATALOG_HTTP,
      NextToken: 'integrations-page-2',
    });
    expect(read.snapshots).toEqual([
      expect.objectContaining({
        arn: v2ApiArn(REGION, CATALOG_HTTP),
        protocol: 'HTTP',
        customDomainNames: ['api.example.com'],
        integrations: [
          expect.objectContaining({ integrationId: 'int0001', connectionType: 'INTERNET' }),
          expect.objectContaining({
            integrationId: 'int0002',
            connectionType: 'VPC_LINK',
            tlsConfig: { serverNameToVerify: 'catalog.internal.example.com' },
          }),
        ],
      }),
    ]);
  });

  it('v2-stage: GetApi and GetStage, 2 calls', async () => {
    // Prepare
    const { reader, clients } = givenAws();

    // Act
    const read = await reader.read(
      { kind: 'v2-stage', region: REGION, apiId: LIVE_WS, stageName: 'prod' },
      nothingKnown,
    );

    // Assess
    expect(clients.pacer.stats.calls).toEqual({ GetApi: 1, GetStage: 1 });
    expect(read.snapshots).toEqual([
      expect.objectContaining({
        kind: 'v2-stage',
        arn: v2StageArn(REGION, LIVE_WS, 'prod'),
        protocol: 'WEBSOCKET',
        apiName: 'live-updates',
        accessLog: null,
        defaultRouteSettings: expect.objectContaining({ loggingLevel: 'INFO', dataTraceEnabled: false }),
      }),
    ]);
  });

  it('v2-route: GetApi, GetRoute and the route’s authorizer, 3 calls', async () => {
    // Prepare
    const { reader, clients, apigatewayv2 } = givenAws();

    // Act
    const read = await reader.read(
      { kind: 'v2-route', region: REGION, apiId: CATALOG_HTTP, routeId: 'r0ute01' },
      nothingKnown,
    );

    // Assess
    expect(clients.pacer.stats.calls).toEqual({ GetApi: 1, GetRoute: 1, GetAuthorizer: 1 });
    expect(apigatewayv2).toHaveReceivedCommandWith(GetAuthorizerCommand, {
      ApiId: CATALOG_HTTP,
      AuthorizerId: 'jwt001',
    });
    expect(read.snapshots).toEqual([
      expect.objectContaining({
        arn: v2RouteArn(REGION, CATALOG_HTTP, 'r0ute01'),
        routeKey: 'GET /items',
        authorizationType: 'JWT',
        authorizer: { authorizerId: 'jwt001', name: 'catalog-jwt', type: 'JWT' },
        tags: { team: 'catalog' },
      }),
    ]);
  });

  it('v2-route: no authorizer to read on an open route, 2 calls', async () => {
    // Prepare
    const { reader, clients } = givenAws();

    // Act
    const read = await reader.read(
      { kind: 'v2-route', region: REGION, apiId: LIVE_WS, routeId: 'ws0002' },
      nothingKnown,
    );

    // Assess
    expect(clients.pacer.stats.calls).toEqual({ GetApi: 1, GetRoute: 1 });
    expect(read.snapshots).toEqual([
      expect.objectContaining({
        protocol: 'WEBSOCKET',
        routeKey: '$default',
        authorizationType: 'NONE',
        authorizer: null,
      }),
    ]);
  });

  it('v2-route: gone when GetRoute answers NotFound', async () => {
    // Prepare
    const { reader, apigatewayv2 } = givenAws();
    apigatewayv2.on(GetRouteCommand).rejects(
      new V2NotFoundException({
        message: 'Invalid Route identifier specified',
        $metadata: { httpStatusCode: 404 },
      }),
    );

    // Act
    const read = await reader.read(
      { kind: 'v2-route', region: REGION, apiId: CATALOG_HTTP, routeId: 'r0ute01' },
      nothingKnown,
    );

    // Assess
    expect(read).toEqual({
      snapshots: [],
      pending: [],
      workingCopyCompared: [],
      gone: [v2RouteArn(REGION, CATALOG_HTTP, 'r0ute01')],
      problems: [],
    });
  });

  it('v2-routes: GetApi, every page of GetRoutes and GetAuthorizers', async () => {
    // Prepare
    const { reader, clients } = givenAws();

    // Act
    const read = await reader.read({ kind: 'v2-routes', region: REGION, apiId: CATALOG_HTTP }, nothingKnown);

    // Assess
    expect(clients.pacer.stats.calls).toEqual({ GetApi: 1, GetRoutes: 2, GetAuthorizers: 1 });
    expect(
      read.snapshots.map((s) => s.kind === 'v2-route' && [s.routeKey, s.authorizer?.name ?? null]),
    ).toEqual([
      ['GET /items', 'catalog-jwt'],
      ['GET /health', null],
    ]);
  });
});

// ─── Custom domains and the account ─────────────────────────────────────────────────────

describe('LiveReader: domain-name and account', () => {
  it('domain-name: GetDomainName and GetApiMappings, 2 calls', async () => {
    // Prepare
    const { reader, clients } = givenAws();

    // Act
    const read = await reader.read(
      { kind: 'domain-name', region: REGION, domainName: 'api.example.com' },
      nothingKnown,
    );

    // Assess
    expect(clients.pacer.stats.calls).toEqual({ GetDomainName: 1, GetApiMappings: 1 });
    expect(read.snapshots).toEqual([
      expect.objectContaining({
        kind: 'domain-name',
        arn: domainNameArn(REGION, 'api.example.com'),
        securityPolicy: 'TLS_1_0',
        mappings: [
          { apiId: ORDERS, stage: 'prod', basePath: 'orders' },
          { apiId: CATALOG_HTTP, stage: '$default', basePath: 'catalog' },
        ],
      }),
    ]);
  });

  it('domain-name: gone when GetDomainName answers NotFound', async () => {
    // Prepare
    const { reader, apigatewayv2 } = givenAws();
    apigatewayv2
      .on(GetDomainNameCommand)
      .rejects(
        new V2NotFoundException({ message: 'Invalid domain name identifier specified', $metadata: {} }),
      );

    // Act
    const read = await reader.read(
      { kind: 'domain-name', region: REGION, domainName: 'api.example.com' },
      nothingKnown,
    );

    // Assess
    expect(read.gone).toEqual([domainNameArn(REGION, 'api.example.com')]);
    expect(read.snapshots).toEqual([]);
  });

  it('account: GetAccount, 1 call', async () => {
    // Prepare
    const { reader, clients } = givenAws();

    // Act
    const read = await reader.read({ kind: 'account', region: REGION }, nothingKnown);

    // Assess
    expect(clients.pacer.stats.calls).toEqual({ GetAccount: 1 });
    expect(read.snapshots).toEqual([
      expect.objectContaining({
        kind: 'account',
        arn: accountArn(REGION),
        cloudwatchRoleArn: `arn:aws:iam::${ACCOUNT}:role/apigateway-cloudwatch-logs`,
      }),
    ]);
  });

  it('account: a problem when GetAccount is denied', async () => {
    // Prepare
    const { reader, apigateway } = givenAws();
    apigateway.on(GetAccountCommand).rejects(accessDenied('apigateway:GET'));

    // Act
    const read = await reader.read({ kind: 'account', region: REGION }, nothingKnown);

    // Assess
    expect(read.problems).toEqual([
      expect.objectContaining({ operation: 'GetAccount', resource: accountArn(REGION), kind: 'denied' }),
    ]);
  });
});

// ─── Web ACLs ───────────────────────────────────────────────────────────────────────────

describe('LiveReader: web-acl', () => {
  it('reads the stages WAF lists for API Gateway and those the baseline saw, with the web ACL read afresh once', async () => {
    // Prepare: WAF lists prod; the baseline saw staging with the web ACL (an older version of it).
    const { reader, clients, wafv2 } = givenAws();
    const stagingBefore = { ...prodBefore, arn: STAGING, stageName: 'staging', webAcl: webAclSnapshot() };

    // Act
    const read = await reader.read(
      { kind: 'web-acl', region: REGION, webAclArn: WEB_ACL_ARN },
      previousOf(prodBefore, stagingBefore),
    );

    // Assess
    expect(wafv2).toHaveReceivedCommandWith(ListResourcesForWebACLCommand, {
      WebACLArn: WEB_ACL_ARN,
      ResourceType: 'API_GATEWAY',
    });
    expect(clients.pacer.stats.calls).toEqual({
      ListResourcesForWebACL: 1,
      GetWebACL: 1,
      GetRestApi: 1,
      GetStage: 2,
    });
    expect(read.snapshots.map((s) => s.arn).sort()).toEqual([PROD, STAGING]);
    for (const s of read.snapshots) expect(s).toMatchObject({ webAcl: freshWebAcl });
    const rule = findRule('rest-stage-waf-rules') as NonNullable<ReturnType<typeof findRule>>;
    expect(read.snapshots.map((s) => judge(rule, s).status)).toEqual(['NON_COMPLIANT', 'NON_COMPLIANT']);
  });

  it('still reads the stages the baseline saw when the web ACL was deleted', async () => {
    // Prepare
    const { reader, clients, wafv2, apigateway } = givenAws();
    wafv2
      .on(ListResourcesForWebACLCommand)
      .rejects(
        new WAFNonexistentItemException({ message: 'The referenced item does not exist.', $metadata: {} }),
      );
    apigateway.on(GetStageCommand).resolves(stage('prod', { webAclArn: '' }));

    // Act
    const read = await reader.read(
      { kind: 'web-acl', region: REGION, webAclArn: WEB_ACL_ARN },
      previousOf(prodBefore),
    );

    // Assess
    expect(clients.pacer.stats.calls).toEqual({ ListResourcesForWebACL: 1, GetRestApi: 1, GetStage: 1 });
    expect(read).toMatchObject({ gone: [], problems: [] });
    expect(read.snapshots).toEqual([expect.objectContaining({ arn: PROD, webAclArn: null, webAcl: null })]);
  });
});

// ─── Log groups ─────────────────────────────────────────────────────────────────────────

describe('LiveReader: log-group', () => {
  const httpBefore = v2StageSnapshot({ apiId: CATALOG_HTTP });

  it('marks the access logs of the stages logging to a deleted group, so both access logging rules fail', async () => {
    // Prepare
    const { reader, clients, logs } = givenAws();
    logs.on(DescribeLogGroupsCommand).resolves(logGroupsAfterDelete);

    // Act
    const read = await reader.read(
      { kind: 'log-group', region: REGION, logGroupArn: `${ACCESS_LOG_GROUP_ARN}:*` },
      previousOf(prodBefore, httpBefore, ordersBefore),
    );

    // Assess
    expect(logs).toHaveReceivedCommandWith(DescribeLogGroupsCommand, { logGroupNamePrefix: LOG_GROUP_NAME });
    expect(clients.pacer.stats.calls).toEqual({ DescribeLogGroups: 1, GetApi: 1, GetStage: 2 });
    expect(read.snapshots.map((s) => s.arn)).toEqual([PROD, v2StageArn(REGION, CATALOG_HTTP, '$default')]);
    for (const s of read.snapshots) {
      expect(s).toMatchObject({
        accessLog: { destinationArn: ACCESS_LOG_GROUP_ARN, destinationMissing: true },
      });
    }
    const findings = read.snapshots.map((s) =>
      judge(
        findRule(
          s.kind === 'rest-stage' ? 'rest-stage-access-logging' : 'v2-stage-access-logging',
        ) as NonNullable<ReturnType<typeof findRule>>,
        s,
      ),
    );
    expect(findings.map((f) => f.status)).toEqual(['NON_COMPLIANT', 'NON_COMPLIANT']);
    for (const f of findings)
      expect(f.reason).toContain('the access log destination log group no longer exists');
  });

  it('leaves the access logs alone when the group still exists', async () => {
    // Prepare
    const { reader } = givenAws();

    // Act
    const read = await reader.read(
      { kind: 'log-group', region: REGION, logGroupArn: ACCESS_LOG_GROUP_ARN },
      previousOf(prodBefore, httpBefore),
    );

    // Assess
    expect(read.snapshots).toHaveLength(2);
    for (const s of read.snapshots)
      expect(s).toMatchObject({ accessLog: { destinationArn: ACCESS_LOG_GROUP_ARN } });
    for (const s of read.snapshots) expect(s).not.toHaveProperty('accessLog.destinationMissing');
  });

  it('makes no call when the baseline knows no stage logging to the group', async () => {
    // Prepare
    const { reader, clients } = givenAws();

    // Act
    const read = await reader.read(
      { kind: 'log-group', region: REGION, logGroupArn: ACCESS_LOG_GROUP_ARN },
      nothingKnown,
    );

    // Assess
    expect(totalCalls(clients)).toBe(0);
    expect(read).toEqual({ snapshots: [], pending: [], workingCopyCompared: [], gone: [], problems: [] });
  });

  it('reports a problem and marks nothing when DescribeLogGroups is denied', async () => {
    // Prepare
    const { reader, logs } = givenAws();
    logs.on(DescribeLogGroupsCommand).rejects(
      Object.assign(new Error('not authorized to perform: logs:DescribeLogGroups'), {
        name: 'AccessDeniedException',
      }),
    );

    // Act
    const read = await reader.read(
      { kind: 'log-group', region: REGION, logGroupArn: ACCESS_LOG_GROUP_ARN },
      previousOf(prodBefore),
    );

    // Assess
    expect(read.problems).toEqual([
      expect.objectContaining({
        operation: 'DescribeLogGroups',
        resource: ACCESS_LOG_GROUP_ARN,
        kind: 'denied',
      }),
    ]);
    expect(read.snapshots).toEqual([expect.objectContaining({ arn: PROD })]);
    expect(read.snapshots[0]).not.toHaveProperty('accessLog.destinationMissing');
  });

  it('a later stage event checks the group again while the stage still points at it: 3 calls', async () => {
    // Prepare
    const { reader, clients, logs } = givenAws();
    logs.on(DescribeLogGroupsCommand).resolves(logGroupsAfterDelete);
    const before: RestStageSnapshot = {
      ...prodBefore,
      accessLog: {
        destinationArn: ACCESS_LOG_GROUP_ARN,
        format: JSON_ACCESS_LOG_FORMAT,
        destinationMissing: true,
      },
    };

    // Act
    const read = await reader.read(
      { kind: 'rest-stage', region: REGION, apiId: ORDERS, stageName: 'prod' },
      previousOf(before),
    );

    // Assess
    expect(clients.pacer.stats.calls).toEqual({ GetRestApi: 1, GetStage: 1, DescribeLogGroups: 1 });
    expect(read.snapshots[0]).toMatchObject({ accessLog: { destinationMissing: true } });
  });
});
