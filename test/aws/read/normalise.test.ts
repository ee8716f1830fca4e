// Raw inventory (the SDK's shapes) → the snapshots rules read.
import { parseInventory } from '../../../aws/read/inventory-file';
import { normalise } from '../../../aws/read/normalise';
import { parsePolicy } from '../../../aws/read/policy-text';
import type { CollectionError } from '../../../aws/read/schema';

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const ORDERS = 'a1b2c3d4e5';
const CATALOG_HTTP = 'h7t7p9a1b2';
const LIVE_WS = 'w5s0ck3t01';
const WEB_ACL_ARN = `arn:aws:wafv2:${REGION}:${ACCOUNT}:regional/webacl/orders-protection/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111`;

// Builders of raw entries, shaped as the collector saves them (SDK field names, ISO dates).

function restEntry(overrides: Record<string, unknown> = {}) {
  return {
    api: {
      id: ORDERS,
      name: 'orders-api',
      createdDate: '2024-03-01T09:00:00.000Z',
      tags: { team: 'orders' },
    },
    stages: [{ stageName: 'prod', deploymentId: 'dep123', tracingEnabled: true }],
    resources: [{ id: 'a1b2r00t', path: '/' }],
    authorizers: [],
    requestValidators: [],
    deployments: {},
    ...overrides,
  };
}

function v2Entry(ApiId: string, ProtocolType: 'HTTP' | 'WEBSOCKET', overrides: Record<string, unknown> = {}) {
  return {
    api: {
      ApiId,
      Name: ProtocolType === 'HTTP' ? 'catalog-http' : 'live-updates',
      ProtocolType,
      RouteSelectionExpression:
        ProtocolType === 'HTTP' ? '$request.method $request.path' : '$request.body.action',
      CreatedDate: '2025-06-12T14:30:00.000Z',
    },
    stages: [],
    routes: [],
    integrations: [],
    authorizers: [],
    ...overrides,
  };
}

function estateOf(region: Record<string, unknown>) {
  return normalise(
    parseInventory({
      version: 1,
      collectedAt: '2026-11-23T10:15:00.000Z',
      calls: {},
      regions: [
        {
          accountId: ACCOUNT,
          region: REGION,
          account: null,
          restApis: [],
          v2Apis: [],
          domainNames: [],
          webAcls: {},
          invocations: {},
          errors: [],
          ...region,
        },
      ],
    }),
  );
}

const cognitoGet = {
  httpMethod: 'GET',
  authorizationType: 'COGNITO_USER_POOLS',
  authorizerId: 'auth01',
  apiKeyRequired: false,
  requestValidatorId: 'val001',
  methodIntegration: {
    type: 'AWS_PROXY',
    httpMethod: 'POST',
    connectionType: 'INTERNET',
    uri: `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/arn:aws:lambda:${REGION}:${ACCOUNT}:function:orders/invocations`,
  },
};
const ordersAuthorizer = { id: 'auth01', name: 'orders-users', type: 'COGNITO_USER_POOLS' };
const validator = {
  id: 'val001',
  name: 'body-and-params',
  validateRequestBody: true,
  validateRequestParameters: false,
};

describe('parsePolicy', () => {
  it('parses a resource policy returned with backslash-escaped quotes and slashes, as API Gateway returns it', () => {
    // Prepare: the string the SDK hands over, backslashes and all.
    const policy =
      '{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[{\\"Effect\\":\\"Allow\\",\\"Principal\\":\\"*\\",' +
      '\\"Action\\":\\"execute-api:Invoke\\",\\"Resource\\":\\"arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5\\/*\\",' +
      '\\"Condition\\":{\\"StringEquals\\":{\\"aws:SourceVpce\\":\\"vpce-0a1b2c3d4e5f67890\\"}}}]}';

    // Act
    const parsed = parsePolicy(policy);

    // Assess
    expect(parsed).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 'execute-api:Invoke',
          Resource: 'arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/*',
          Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-0a1b2c3d4e5f67890' } },
        },
      ],
    });
  });

  it('parses plain JSON too and always gives a list of statements', () => {
    const parsed = parsePolicy(
      '{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"*"}}',
    );

    expect(parsed?.Statement).toEqual([
      { Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', Resource: '*' },
    ]);
  });

  it('gives null when the API has no policy', () => {
    expect(parsePolicy(undefined)).toBeNull();
    expect(parsePolicy('')).toBeNull();
  });

  it('reaches the REST API snapshot', () => {
    const { estate } = estateOf({
      restApis: [
        restEntry({
          api: {
            id: ORDERS,
            name: 'orders-api',
            policy: '{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[]}',
          },
        }),
      ],
    });

    expect(estate.restApis[0]?.policy).toEqual({ Version: '2012-10-17', Statement: [] });
  });
});

describe('normalise: REST stages', () => {
  it('keeps method settings keyed as AWS keys them, with the logging level in capitals', () => {
    // Prepare
    const stage = {
      stageName: 'prod',
      deploymentId: 'dep123',
      methodSettings: {
        '*/*': {
          metricsEnabled: true,
          loggingLevel: 'info',
          dataTraceEnabled: false,
          throttlingBurstLimit: 1000,
          throttlingRateLimit: 500,
          cachingEnabled: false,
          cacheTtlInSeconds: 300,
          cacheDataEncrypted: false,
          requireAuthorizationForCacheControl: true,
          unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
        },
        '~1orders/GET': { loggingLevel: 'OFF', cachingEnabled: true, cacheDataEncrypted: true },
      },
    };

    // Act
    const { estate } = estateOf({ restApis: [restEntry({ stages: [stage] })] });

    // Assess
    expect(estate.restStages[0]?.methodSettings).toEqual({
      '*/*': {
        metricsEnabled: true,
        loggingLevel: 'INFO',
        dataTraceEnabled: false,
        throttlingBurstLimit: 1000,
        throttlingRateLimit: 500,
        cachingEnabled: false,
        cacheTtlInSeconds: 300,
        cacheDataEncrypted: false,
      },
      '~1orders/GET': { loggingLevel: 'OFF', cachingEnabled: true, cacheDataEncrypted: true },
    });
  });

  it('treats an empty web ACL ARN as none, and keeps an ARN whose web ACL could not be read', () => {
    const { estate } = estateOf({
      restApis: [
        restEntry({
          stages: [
            { stageName: 'prod', deploymentId: 'dep123', webAclArn: '' },
            { stageName: 'staging', deploymentId: 'dep123', webAclArn: WEB_ACL_ARN },
          ],
        }),
      ],
    });

    expect(estate.restStages.map((s) => [s.stageName, s.webAclArn, s.webAcl])).toEqual([
      ['prod', null, null],
      ['staging', WEB_ACL_ARN, null],
    ]);
  });

  it('merges the methods a deployment serves with the details the working copy holds', () => {
    // Prepare: the deployment serves GET and DELETE /orders; DELETE has since left the working copy.
    const entry = restEntry({
      resources: [
        { id: 'a1b2r00t', path: '/' },
        { id: 'res0rd', path: '/orders', resourceMethods: { GET: cognitoGet } },
      ],
      authorizers: [ordersAuthorizer],
      requestValidators: [validator],
      deployments: {
        dep123: {
          id: 'dep123',
          createdDate: '2026-11-02T16:38:00.000Z',
          apiSummary: {
            '/orders': {
              GET: { authorizationType: 'COGNITO_USER_POOLS', apiKeyRequired: false },
              DELETE: { authorizationType: 'AWS_IAM', apiKeyRequired: false },
            },
          },
        },
      },
    });

    // Act
    const { estate, pendingRestStages } = estateOf({ restApis: [entry] });

    // Assess
    expect(estate.restStages[0]?.methods).toEqual({
      source: 'deployment',
      served: [
        {
          resourcePath: '/orders',
          httpMethod: 'GET',
          authorizationType: 'COGNITO_USER_POOLS',
          authorizer: { authorizerId: 'auth01', name: 'orders-users', type: 'COGNITO_USER_POOLS' },
          apiKeyRequired: false,
          requestValidator: { validateRequestBody: true, validateRequestParameters: false },
          integration: {
            type: 'AWS_PROXY',
            connectionType: 'INTERNET',
            uri: cognitoGet.methodIntegration.uri,
          },
        },
        {
          resourcePath: '/orders',
          httpMethod: 'DELETE',
          authorizationType: 'AWS_IAM',
          authorizer: null,
          apiKeyRequired: false,
          requestValidator: null,
          integration: null,
        },
      ],
    });
    expect(pendingRestStages.map((s) => [s.stageName, s.methods.source, s.methods.served.length])).toEqual([
      ['prod', 'undeployed', 1],
    ]);
  });

  it('does not lend the working copy’s authorizer to a served method whose authorization differs', () => {
    const entry = restEntry({
      resources: [{ id: 'res0rd', path: '/orders', resourceMethods: { GET: cognitoGet } }],
      authorizers: [ordersAuthorizer],
      deployments: {
        dep123: {
          id: 'dep123',
          apiSummary: { '/orders': { GET: { authorizationType: 'NONE', apiKeyRequired: true } } },
        },
      },
    });

    const { estate, pendingRestStages } = estateOf({ restApis: [entry] });

    expect(estate.restStages[0]?.methods.served[0]).toMatchObject({
      authorizationType: 'NONE',
      apiKeyRequired: true,
      authorizer: null,
    });
    expect(pendingRestStages[0]?.methods.served[0]).toMatchObject({
      authorizationType: 'COGNITO_USER_POOLS',
      authorizer: { name: 'orders-users' },
    });
  });

  it('uses the working copy, and reports nothing pending, when the deployment could not be read', () => {
    const entry = restEntry({
      resources: [{ id: 'res0rd', path: '/orders', resourceMethods: { GET: cognitoGet } }],
      authorizers: [ordersAuthorizer],
      deployments: {},
    });

    const { estate, pendingRestStages } = estateOf({ restApis: [entry] });

    expect(estate.restStages[0]?.methods.source).toBe('working-copy');
    expect(estate.restStages[0]?.methods.served.map((m) => `${m.httpMethod} ${m.resourcePath}`)).toEqual([
      'GET /orders',
    ]);
    expect(pendingRestStages).toEqual([]);
  });
});

describe('normalise: HTTP and WebSocket APIs', () => {
  it('gives routes the tags of their API, since routes cannot be tagged', () => {
    const { estate } = estateOf({
      v2Apis: [
        v2Entry(CATALOG_HTTP, 'HTTP', {
          api: {
            ...v2Entry(CATALOG_HTTP, 'HTTP').api,
            Tags: { 'gatewatch:exempt': 'v2-route-authorization' },
          },
          routes: [
            { RouteId: 'r0ute01', RouteKey: 'GET /health', AuthorizationType: 'NONE', ApiKeyRequired: false },
          ],
        }),
      ],
    });

    expect(estate.v2Routes[0]).toMatchObject({
      routeKey: 'GET /health',
      authorizationType: 'NONE',
      tags: { 'gatewatch:exempt': 'v2-route-authorization' },
    });
  });

  it('reads WebSocket logging levels in any case, per stage and per route', () => {
    const { estate } = estateOf({
      v2Apis: [
        v2Entry(LIVE_WS, 'WEBSOCKET', {
          stages: [
            {
              StageName: 'prod',
              DefaultRouteSettings: {
                LoggingLevel: 'info',
                DataTraceEnabled: false,
                DetailedMetricsEnabled: false,
              },
              RouteSettings: {
                $connect: { LoggingLevel: 'ERROR', ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
              },
            },
          ],
        }),
      ],
    });

    expect(estate.v2Stages[0]).toMatchObject({
      protocol: 'WEBSOCKET',
      defaultRouteSettings: { loggingLevel: 'INFO', dataTraceEnabled: false, detailedMetricsEnabled: false },
      routeSettings: {
        $connect: { loggingLevel: 'ERROR', throttlingRateLimit: 50, throttlingBurstLimit: 100 },
      },
    });
  });
});

describe('normalise: custom domains', () => {
  it('lists on each API the custom domains mapped to it, each once', () => {
    // Prepare
    const domain = (
      DomainName: string,
      mappings: { ApiId: string; Stage: string; ApiMappingKey?: string }[],
    ) => ({
      domainName: {
        DomainName,
        DomainNameArn: `arn:aws:apigateway:${REGION}::/domainnames/${DomainName}`,
        DomainNameConfigurations: [
          { EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_2', DomainNameStatus: 'AVAILABLE' },
        ],
      },
      apiMappings: mappings.map((m, i) => ({ ApiMappingId: `map00${i}`, ...m })),
    });

    // Act
    const { estate } = estateOf({
      restApis: [restEntry()],
      v2Apis: [v2Entry(CATALOG_HTTP, 'HTTP')],
      domainNames: [
        domain('api.example.com', [
          { ApiId: ORDERS, Stage: 'prod', ApiMappingKey: 'orders' },
          { ApiId: ORDERS, Stage: 'staging', ApiMappingKey: 'orders-staging' },
          { ApiId: CATALOG_HTTP, Stage: '$default', ApiMappingKey: 'catalog' },
        ]),
        domain('orders.example.com', [{ ApiId: ORDERS, Stage: 'prod', ApiMappingKey: '' }]),
      ],
    });

    // Assess
    expect(estate.restApis[0]?.customDomainNames).toEqual(['api.example.com', 'orders.example.com']);
    expect(estate.v2Apis[0]?.customDomainNames).toEqual(['api.example.com']);
    expect(estate.domainNames[1]).toMatchObject({
      domainName: 'orders.example.com',
      securityPolicy: 'TLS_1_2',
      endpointType: 'REGIONAL',
      mappings: [{ apiId: ORDERS, stage: 'prod', basePath: '(none)' }],
    });
  });
});

describe('normalise: collection problems', () => {
  it('keeps each problem with the account and region it happened in', () => {
    const error: CollectionError = {
      operation: 'GetStages',
      resource: `arn:aws:apigateway:${REGION}::/restapis/${ORDERS}`,
      code: 'AccessDeniedException',
      message: 'not authorized',
      kind: 'denied',
    };

    const { problems } = estateOf({ errors: [error] });

    expect(problems).toEqual([{ ...error, accountId: ACCOUNT, region: REGION }]);
  });
});
