// Builders for well-configured snapshots: each fixture starts from a resource that passes
// every rule and changes only what its case is about.
import type {
  AccountSnapshot,
  DomainNameSnapshot,
  RestApiSnapshot,
  RestMethod,
  RestStageSnapshot,
  V2ApiSnapshot,
  V2Integration,
  V2RouteSnapshot,
  V2StageSnapshot,
  WebAclSnapshot,
} from '../../rules/core/resources';

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';
export const WEB_ACL_ARN = `arn:aws:wafv2:${REGION}:${ACCOUNT}:regional/webacl/orders-protection/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111`;
export const ACCESS_LOG_GROUP_ARN = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/gatewatch/access-logs`;
export const JSON_ACCESS_LOG_FORMAT =
  '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","requestTime":"$context.requestTime","httpMethod":"$context.httpMethod","resourcePath":"$context.resourcePath","status":"$context.status","protocol":"$context.protocol","responseLength":"$context.responseLength"}';

export function webAcl(overrides: Partial<WebAclSnapshot> = {}): WebAclSnapshot {
  return {
    arn: WEB_ACL_ARN,
    name: 'orders-protection',
    defaultAction: 'ALLOW',
    managedRuleGroups: [
      { name: 'AWS:AWSManagedRulesCommonRuleSet', countOnly: false },
      { name: 'AWS:AWSManagedRulesKnownBadInputsRuleSet', countOnly: false },
    ],
    ...overrides,
  };
}

export function restMethod(overrides: Partial<RestMethod> = {}): RestMethod {
  return {
    resourcePath: '/orders',
    httpMethod: 'GET',
    authorizationType: 'COGNITO_USER_POOLS',
    authorizer: { authorizerId: 'auth01', name: 'orders-users', type: 'COGNITO_USER_POOLS' },
    apiKeyRequired: false,
    requestValidator: null,
    integration: { type: 'AWS_PROXY', connectionType: 'INTERNET', uri: null },
    ...overrides,
  };
}

export function restApi(overrides: Partial<RestApiSnapshot> = {}): RestApiSnapshot {
  const apiId = overrides.apiId ?? 'a1b2c3d4e5';
  return {
    kind: 'rest-api',
    protocol: 'REST',
    arn: `arn:aws:apigateway:${REGION}::/restapis/${apiId}`,
    region: REGION,
    accountId: ACCOUNT,
    tags: {},
    apiId,
    name: 'orders-api',
    endpointTypes: ['REGIONAL'],
    vpcEndpointIds: [],
    policy: null,
    disableExecuteApiEndpoint: false,
    customDomainNames: [],
    createdDate: '2024-03-01T09:00:00.000Z',
    invocations: { count: 1200, days: 30, windowStart: '2026-10-24T00:00:00.000Z' },
    ...overrides,
  };
}

export function restStage(overrides: Partial<RestStageSnapshot> = {}): RestStageSnapshot {
  const apiId = overrides.apiId ?? 'a1b2c3d4e5';
  const stageName = overrides.stageName ?? 'prod';
  return {
    kind: 'rest-stage',
    protocol: 'REST',
    arn: `arn:aws:apigateway:${REGION}::/restapis/${apiId}/stages/${stageName}`,
    region: REGION,
    accountId: ACCOUNT,
    tags: {},
    apiId,
    apiName: 'orders-api',
    stageName,
    deploymentId: 'dep123',
    webAclArn: WEB_ACL_ARN,
    webAcl: webAcl(),
    methodSettings: {
      '*/*': {
        loggingLevel: 'ERROR',
        dataTraceEnabled: false,
        metricsEnabled: true,
        throttlingRateLimit: 500,
        throttlingBurstLimit: 1000,
        cachingEnabled: false,
        cacheDataEncrypted: false,
      },
    },
    accessLog: { destinationArn: ACCESS_LOG_GROUP_ARN, format: JSON_ACCESS_LOG_FORMAT },
    tracingEnabled: true,
    clientCertificateId: null,
    cacheClusterEnabled: false,
    variables: {},
    methods: { source: 'deployment', served: [restMethod()] },
    ...overrides,
  };
}

export function v2Api(overrides: Partial<V2ApiSnapshot> = {}): V2ApiSnapshot {
  const apiId = overrides.apiId ?? 'h7t7p9a1b2';
  return {
    kind: 'v2-api',
    protocol: 'HTTP',
    arn: `arn:aws:apigateway:${REGION}::/apis/${apiId}`,
    region: REGION,
    accountId: ACCOUNT,
    tags: {},
    apiId,
    name: 'catalog-http',
    disableExecuteApiEndpoint: false,
    customDomainNames: [],
    integrations: [],
    createdDate: '2025-06-12T14:30:00.000Z',
    invocations: { count: 5000, days: 30, windowStart: '2026-10-24T00:00:00.000Z' },
    ...overrides,
  };
}

export function v2Integration(overrides: Partial<V2Integration> = {}): V2Integration {
  return {
    integrationId: 'int0001',
    integrationType: 'AWS_PROXY',
    connectionType: 'INTERNET',
    integrationUri: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:catalog`,
    tlsConfig: null,
    ...overrides,
  };
}

export function v2Stage(overrides: Partial<V2StageSnapshot> = {}): V2StageSnapshot {
  const apiId = overrides.apiId ?? 'h7t7p9a1b2';
  const stageName = overrides.stageName ?? '$default';
  return {
    kind: 'v2-stage',
    protocol: 'HTTP',
    arn: `arn:aws:apigateway:${REGION}::/apis/${apiId}/stages/${stageName}`,
    region: REGION,
    accountId: ACCOUNT,
    tags: {},
    apiId,
    apiName: 'catalog-http',
    stageName,
    accessLog: { destinationArn: ACCESS_LOG_GROUP_ARN, format: JSON_ACCESS_LOG_FORMAT },
    defaultRouteSettings: {
      throttlingRateLimit: 500,
      throttlingBurstLimit: 1000,
      detailedMetricsEnabled: false,
    },
    routeSettings: {},
    variables: {},
    autoDeploy: true,
    ...overrides,
  };
}

/** A WebSocket stage with execution logging on, as a well-run one has. */
export function webSocketStage(overrides: Partial<V2StageSnapshot> = {}): V2StageSnapshot {
  return v2Stage({
    protocol: 'WEBSOCKET',
    apiId: 'w5s0ck3t01',
    apiName: 'live-updates',
    stageName: 'prod',
    arn: `arn:aws:apigateway:${REGION}::/apis/w5s0ck3t01/stages/prod`,
    defaultRouteSettings: {
      loggingLevel: 'ERROR',
      dataTraceEnabled: false,
      throttlingRateLimit: 500,
      throttlingBurstLimit: 1000,
    },
    ...overrides,
  });
}

export function v2Route(overrides: Partial<V2RouteSnapshot> = {}): V2RouteSnapshot {
  const apiId = overrides.apiId ?? 'h7t7p9a1b2';
  const routeId = overrides.routeId ?? 'r0ute01';
  return {
    kind: 'v2-route',
    protocol: 'HTTP',
    arn: `arn:aws:apigateway:${REGION}::/apis/${apiId}/routes/${routeId}`,
    region: REGION,
    accountId: ACCOUNT,
    tags: {},
    apiId,
    apiName: 'catalog-http',
    routeId,
    routeKey: 'GET /items',
    authorizationType: 'JWT',
    authorizer: { authorizerId: 'jwt001', name: 'catalog-jwt', type: 'JWT' },
    apiKeyRequired: false,
    ...overrides,
  };
}

export function domainName(overrides: Partial<DomainNameSnapshot> = {}): DomainNameSnapshot {
  const name = overrides.domainName ?? 'api.example.com';
  return {
    kind: 'domain-name',
    arn: `arn:aws:apigateway:${REGION}::/domainnames/${name}`,
    region: REGION,
    accountId: ACCOUNT,
    tags: {},
    domainName: name,
    securityPolicy: 'TLS_1_2',
    endpointType: 'REGIONAL',
    mutualTls: null,
    mappings: [{ apiId: 'a1b2c3d4e5', stage: 'prod', basePath: '(none)' }],
    ...overrides,
  };
}

export function account(overrides: Partial<AccountSnapshot> = {}): AccountSnapshot {
  return {
    kind: 'account',
    arn: `arn:aws:apigateway:${REGION}::/account`,
    region: REGION,
    accountId: ACCOUNT,
    tags: {},
    cloudwatchRoleArn: `arn:aws:iam::${ACCOUNT}:role/apigateway-cloudwatch-logs`,
    ...overrides,
  };
}
