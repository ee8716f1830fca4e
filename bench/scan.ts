// Benchmark: how many AWS calls a scan makes, how long it takes under API Gateway's quotas,
// and how fast judging is. The real collector and the real SDK clients run against synthetic
// estates answered in-process (aws-sdk-client-mock), on a virtual clock: the rate limiter's
// waits cost no real time, and the fake side checks every request against the documented quota.
// Run: npx tsx bench/scan.ts   (prints Markdown; exits non-zero on a throttling violation or
// when calls stop growing linearly with APIs).
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  type Authorizer,
  type Deployment,
  GetAccountCommand,
  GetAuthorizersCommand,
  GetDeploymentCommand,
  type GetDeploymentRequest,
  GetRequestValidatorsCommand,
  GetResourcesCommand,
  type GetResourcesRequest,
  GetRestApisCommand,
  type GetRestApisRequest,
  GetStagesCommand,
  type GetStagesRequest,
  type Method,
  type RequestValidator,
  type Resource,
  type RestApi,
  type Stage,
} from '@aws-sdk/client-api-gateway';
import {
  type Api,
  type ApiMapping,
  type DomainName,
  GetApiMappingsCommand,
  type GetApiMappingsRequest,
  GetApisCommand,
  type GetApisRequest,
  GetDomainNamesCommand,
  type GetDomainNamesRequest,
  GetIntegrationsCommand,
  type GetIntegrationsRequest,
  GetRoutesCommand,
  type GetRoutesRequest,
  GetAuthorizersCommand as GetV2AuthorizersCommand,
  type GetAuthorizersRequest as GetV2AuthorizersRequest,
  GetStagesCommand as GetV2StagesCommand,
  type GetStagesRequest as GetV2StagesRequest,
  type Integration,
  type Route,
  type Authorizer as V2Authorizer,
  type Stage as V2Stage,
} from '@aws-sdk/client-apigatewayv2';
import {
  GetMetricDataCommand,
  type GetMetricDataInput,
  type GetMetricDataOutput,
} from '@aws-sdk/client-cloudwatch';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { GetWebACLCommand, type GetWebACLRequest, type WebACL } from '@aws-sdk/client-wafv2';
import { type Bucket, defaultRates, Pacer, type RegionClients, regionClients } from '../aws/clients';
import type { Clock, Rate } from '../aws/rate-limit';
import { collect } from '../aws/read/collect';
import type { Inventory } from '../aws/read/schema';
import { scanInventory } from '../pipeline/scan/scan';
import { catalog } from '../rules/index';
import { mockClient } from '../test/support/sdk';

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const NOW = new Date('2026-11-23T10:15:00.000Z');
const CREATED = new Date('2024-03-01T09:00:00.000Z');
const LOG_GROUP = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/gatewatch/access-logs`;
const LOG_FORMAT =
  '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","status":"$context.status"}';

/** The documented quotas (AWS-NOTES.md), as the Pacer paces the clients and as the fake side enforces them. */
const documented = {
  apigateway: { perSecond: 10, burst: 40 },
  getResources: { perSecond: 2.5, burst: 5 },
  wafv2: { perSecond: 5, burst: 5 },
  cloudwatch: { perSecond: 50, burst: 50 },
} satisfies Partial<Record<Bucket, Rate>>;
type Quota = keyof typeof documented;

// ─── Virtual time ───────────────────────────────────────────────────────────────────────

/**
 * A discrete-event clock: `sleep` parks the caller; once every runnable promise has settled
 * (a macrotask later), time jumps to the earliest wake-up. Waits cost no real time, and
 * concurrent sleepers overlap as they would on a real clock.
 */
class VirtualClock implements Clock {
  private time = 0;
  private readonly sleepers: { at: number; wake: () => void }[] = [];
  private pending = false;

  now(): number {
    return this.time;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((wake) => {
      this.sleepers.push({ at: this.time + Math.max(0, ms), wake });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.pending) return;
    this.pending = true;
    setImmediate(this.advance);
  }

  private readonly advance = (): void => {
    this.pending = false;
    let first = 0;
    for (let i = 1; i < this.sleepers.length; i++) {
      if ((this.sleepers[i] as { at: number }).at < (this.sleepers[first] as { at: number }).at) first = i;
    }
    const [sleeper] = this.sleepers.splice(first, 1);
    if (!sleeper) return;
    this.time = Math.max(this.time, sleeper.at);
    sleeper.wake();
    if (this.sleepers.length > 0) this.schedule();
  };
}

/** The fake service's side of a quota: a token bucket as AWS applies it, plus requests per virtual second. */
class QuotaMeter {
  requests = 0;
  violations = 0;
  peakPerSecond = 0;
  private tokens: number;
  private last = 0;
  private second = -1;
  private inSecond = 0;

  constructor(
    private readonly rate: Rate,
    private readonly clock: Clock,
  ) {
    this.tokens = rate.burst;
  }

  hit(): void {
    const now = this.clock.now();
    this.requests++;
    this.tokens = Math.min(this.rate.burst, this.tokens + ((now - this.last) / 1000) * this.rate.perSecond);
    this.last = now;
    if (this.tokens < 1 - 1e-9) this.violations++;
    this.tokens -= 1;
    const second = Math.floor(now / 1000);
    if (second !== this.second) {
      this.second = second;
      this.inSecond = 0;
    }
    this.inSecond++;
    this.peakPerSecond = Math.max(this.peakPerSecond, this.inSecond);
    // A second can hold at most the full bucket plus one second's refill.
    if (this.inSecond > this.rate.burst + this.rate.perSecond) this.violations++;
  }
}

// ─── Synthetic estate, answered lazily in SDK shapes ───────────────────────────────────

interface Shape {
  readonly rest: number;
  readonly http: number;
  readonly websocket: number;
  readonly restStages: number;
  readonly restDeployments: number;
  readonly resources: number;
  readonly v2Stages: number;
}

const typical = { restStages: 3, restDeployments: 2, resources: 20, v2Stages: 2 };
const METHODS_PER_RESOURCE = 2;
const HTTP_ROUTES = 10;
const HTTP_INTEGRATIONS = 3;
const WS_ROUTES = 6;
const WS_INTEGRATIONS = 2;
/** REST APIs per shared web ACL; stages other than `dev` are protected. */
const APIS_PER_WEB_ACL = 20;
/** APIs per custom domain name (each with one API mapping). */
const APIS_PER_DOMAIN = 50;

function mix(apis: number): Shape {
  const rest = Math.round(apis * 0.6);
  const http = Math.round(apis * 0.3);
  return { rest, http, websocket: apis - rest - http, ...typical };
}

const id = (prefix: string, index: number) => prefix + index.toString(36).padStart(9, '0');
const indexOf = (apiId: string) => Number.parseInt(apiId.slice(1), 36);
const webAclArn = (k: number) =>
  `arn:aws:wafv2:${REGION}:${ACCOUNT}:regional/webacl/shared-${k}/${k.toString(16).padStart(8, '0')}-5678-90ab-cdef-000000000000`;

function page<T>(total: number, item: (i: number) => T, limit: number, token: string | undefined) {
  const start = token ? Number(token) : 0;
  const end = Math.min(total, start + limit);
  const items = Array.from({ length: end - start }, (_, k) => item(start + k));
  return { items, next: end < total ? String(end) : undefined };
}

const lambdaUri = (fn: string) =>
  `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/arn:aws:lambda:${REGION}:${ACCOUNT}:function:${fn}/invocations`;

function restTemplates(shape: Shape) {
  const getMethod: Method = {
    httpMethod: 'GET',
    authorizationType: 'COGNITO_USER_POOLS',
    authorizerId: 'auth01',
    apiKeyRequired: false,
    requestValidatorId: 'val001',
    authorizationScopes: ['items/read'],
    methodResponses: { '200': { statusCode: '200' } },
    methodIntegration: {
      type: 'AWS_PROXY',
      httpMethod: 'POST',
      uri: lambdaUri('items'),
      connectionType: 'INTERNET',
      passthroughBehavior: 'WHEN_NO_MATCH',
      timeoutInMillis: 29000,
      cacheKeyParameters: [],
    },
  };
  const options: Method = {
    httpMethod: 'OPTIONS',
    authorizationType: 'NONE',
    apiKeyRequired: false,
    methodResponses: { '200': { statusCode: '200' } },
    methodIntegration: {
      type: 'MOCK',
      requestTemplates: { 'application/json': '{"statusCode": 200}' },
      passthroughBehavior: 'WHEN_NO_MATCH',
      timeoutInMillis: 29000,
      cacheKeyParameters: [],
    },
  };
  const resources: Resource[] = Array.from({ length: shape.resources }, (_, k) => ({
    id: `res${k.toString().padStart(3, '0')}`,
    ...(k === 0 ? { path: '/' } : { parentId: 'res000', pathPart: `items${k}`, path: `/items${k}` }),
    resourceMethods: { GET: getMethod, OPTIONS: options },
  }));
  const apiSummary = Object.fromEntries(
    resources.map((r) => [
      r.path as string,
      {
        GET: { authorizationType: 'COGNITO_USER_POOLS', apiKeyRequired: false },
        OPTIONS: { authorizationType: 'NONE', apiKeyRequired: false },
      },
    ]),
  );
  const deployments = new Map<string, Deployment>(
    Array.from({ length: shape.restDeployments }, (_, k) => [
      `dep${k}`,
      { id: `dep${k}`, description: `release ${k + 1}`, createdDate: CREATED, apiSummary },
    ]),
  );
  const stageNames = ['prod', 'staging', 'dev', 'qa', 'perf', 'canary', 'sandbox', 'demo', 'eu', 'us'];
  const stagesByAcl = new Map<number, { item: Stage[] }>();
  const stages = (acl: number) => {
    let cached = stagesByAcl.get(acl);
    if (!cached) {
      cached = {
        item: Array.from({ length: shape.restStages }, (_, k): Stage => {
          const stageName = stageNames[k] ?? `stage${k}`;
          return {
            stageName,
            deploymentId: `dep${Math.min(k, shape.restDeployments - 1)}`,
            cacheClusterEnabled: false,
            cacheClusterStatus: 'NOT_AVAILABLE',
            methodSettings: {
              '*/*': {
                metricsEnabled: true,
                loggingLevel: stageName === 'dev' ? 'OFF' : 'ERROR',
                dataTraceEnabled: false,
                throttlingBurstLimit: 1000,
                throttlingRateLimit: 500,
                cachingEnabled: false,
                cacheTtlInSeconds: 300,
                cacheDataEncrypted: false,
              },
            },
            accessLogSettings: { format: LOG_FORMAT, destinationArn: LOG_GROUP },
            tracingEnabled: stageName !== 'dev',
            ...(stageName === 'dev' ? {} : { webAclArn: webAclArn(acl) }),
            createdDate: CREATED,
            lastUpdatedDate: CREATED,
          };
        }),
      };
      stagesByAcl.set(acl, cached);
    }
    return cached;
  };
  const authorizers: { items: Authorizer[] } = {
    items: [
      {
        id: 'auth01',
        name: 'cognito',
        type: 'COGNITO_USER_POOLS',
        providerARNs: [`arn:aws:cognito-idp:${REGION}:${ACCOUNT}:userpool/${REGION}_Example1`],
        identitySource: 'method.request.header.Authorization',
      },
    ],
  };
  const validators: { items: RequestValidator[] } = {
    items: [
      { id: 'val001', name: 'body-and-params', validateRequestBody: true, validateRequestParameters: true },
    ],
  };
  return { resources, deployments, stages, authorizers, validators };
}

function v2Templates(shape: Shape) {
  const v2Stage = (StageName: string): V2Stage => ({
    StageName,
    AutoDeploy: true,
    CreatedDate: CREATED,
    LastUpdatedDate: CREATED,
    AccessLogSettings: { DestinationArn: LOG_GROUP, Format: LOG_FORMAT },
    DefaultRouteSettings: {
      DataTraceEnabled: false,
      DetailedMetricsEnabled: true,
      LoggingLevel: 'ERROR',
      ThrottlingBurstLimit: 500,
      ThrottlingRateLimit: 1000,
    },
    RouteSettings: {},
    StageVariables: {},
  });
  const stages = {
    Items: Array.from({ length: shape.v2Stages }, (_, k) => v2Stage(['prod', 'dev'][k] ?? `stage${k}`)),
  };
  const httpRoutes: { Items: Route[] } = {
    Items: Array.from({ length: HTTP_ROUTES }, (_, k) => ({
      RouteId: `rt${k.toString().padStart(5, '0')}`,
      RouteKey: k === 0 ? 'GET /health' : `${k % 2 ? 'GET' : 'POST'} /items${k}`,
      AuthorizationType: k === 0 ? 'NONE' : 'JWT',
      ...(k === 0 ? {} : { AuthorizerId: 'jwt001', AuthorizationScopes: ['items/read'] }),
      ApiKeyRequired: false,
      Target: `integrations/in${k % HTTP_INTEGRATIONS}`,
    })),
  };
  const httpIntegrations: { Items: Integration[] } = {
    Items: Array.from({ length: HTTP_INTEGRATIONS }, (_, k) =>
      k === 2
        ? {
            IntegrationId: `in${k}`,
            IntegrationType: 'HTTP_PROXY',
            ConnectionType: 'VPC_LINK',
            ConnectionId: 'vpclnk',
            IntegrationMethod: 'ANY',
            IntegrationUri: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:listener/app/internal/50dc6c495c0c9188/0467ef3c8400ae65`,
            PayloadFormatVersion: '1.0',
            TlsConfig: { ServerNameToVerify: 'internal.example.com' },
          }
        : {
            IntegrationId: `in${k}`,
            IntegrationType: 'AWS_PROXY',
            ConnectionType: 'INTERNET',
            IntegrationMethod: 'POST',
            IntegrationUri: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:items${k}`,
            PayloadFormatVersion: '2.0',
          },
    ),
  };
  const httpAuthorizers: { Items: V2Authorizer[] } = {
    Items: [
      {
        AuthorizerId: 'jwt001',
        Name: 'cognito-jwt',
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: {
          Audience: ['example-client'],
          Issuer: `https://cognito-idp.${REGION}.amazonaws.com/${REGION}_Example1`,
        },
      },
    ],
  };
  const wsRouteKeys = ['$connect', '$disconnect', '$default', 'sendMessage', 'joinRoom', 'leaveRoom'];
  const wsRoutes: { Items: Route[] } = {
    Items: Array.from({ length: WS_ROUTES }, (_, k) => ({
      RouteId: `ws${k.toString().padStart(5, '0')}`,
      RouteKey: wsRouteKeys[k] ?? `action${k}`,
      AuthorizationType: k === 0 ? 'CUSTOM' : 'NONE',
      ...(k === 0 ? { AuthorizerId: 'req001' } : {}),
      ApiKeyRequired: false,
      Target: `integrations/in${k % WS_INTEGRATIONS}`,
    })),
  };
  const wsIntegrations: { Items: Integration[] } = {
    Items: Array.from({ length: WS_INTEGRATIONS }, (_, k) => ({
      IntegrationId: `in${k}`,
      IntegrationType: 'AWS_PROXY',
      ConnectionType: 'INTERNET',
      IntegrationMethod: 'POST',
      IntegrationUri: lambdaUri(`socket${k}`),
    })),
  };
  const wsAuthorizers: { Items: V2Authorizer[] } = {
    Items: [
      {
        AuthorizerId: 'req001',
        Name: 'connect-auth',
        AuthorizerType: 'REQUEST',
        AuthorizerUri: lambdaUri('connect-auth'),
        IdentitySource: ['route.request.header.Authorization'],
      },
    ],
  };
  return { stages, httpRoutes, httpIntegrations, httpAuthorizers, wsRoutes, wsIntegrations, wsAuthorizers };
}

/** Real SDK clients, paced at `rates`, whose requests are answered for `shape`, each checked against the quotas. */
function fakeRegion(shape: Shape, clock: Clock, rates: Partial<Record<Bucket, Rate>>) {
  const clients = regionClients({ region: REGION, maxAttempts: 1, pacer: new Pacer(rates, clock) });
  const meters = Object.fromEntries(
    Object.entries(documented).map(([quota, rate]) => [quota, new QuotaMeter(rate, clock)]),
  ) as Record<Quota, QuotaMeter>;
  const rest = restTemplates(shape);
  const v2 = v2Templates(shape);
  const v2Count = shape.http + shape.websocket;
  const domains = Math.ceil((shape.rest + v2Count) / APIS_PER_DOMAIN);
  const apigw = <T>(answer: T): T => {
    meters.apigateway.hit();
    return answer;
  };
  const isHttp = (apiId: string) => apiId.startsWith('h');

  const v1 = mockClient(clients.apigateway);
  v1.on(GetAccountCommand).callsFake(() =>
    apigw({
      cloudwatchRoleArn: `arn:aws:iam::${ACCOUNT}:role/apigateway-cloudwatch`,
      features: ['UsagePlans'],
    }),
  );
  v1.on(GetRestApisCommand).callsFake((input: GetRestApisRequest) => {
    const { items, next } = page(
      shape.rest,
      (i): RestApi => ({
        id: id('r', i),
        name: `rest-${i}`,
        createdDate: CREATED,
        apiKeySource: 'HEADER',
        endpointConfiguration: { types: ['REGIONAL'], ipAddressType: 'ipv4' },
        disableExecuteApiEndpoint: false,
        rootResourceId: 'res000',
        tags: { team: `team-${i % 40}` },
      }),
      input.limit ?? 25,
      input.position,
    );
    return apigw({ items, position: next });
  });
  v1.on(GetStagesCommand).callsFake((input: GetStagesRequest) =>
    apigw(rest.stages(Math.floor(indexOf(input.restApiId as string) / APIS_PER_WEB_ACL))),
  );
  v1.on(GetResourcesCommand).callsFake((input: GetResourcesRequest) => {
    meters.getResources.hit();
    const { items, next } = page(
      shape.resources,
      (i) => rest.resources[i],
      input.limit ?? 25,
      input.position,
    );
    return apigw({ items, position: next });
  });
  v1.on(GetAuthorizersCommand).callsFake(() => apigw(rest.authorizers));
  v1.on(GetRequestValidatorsCommand).callsFake(() => apigw(rest.validators));
  v1.on(GetDeploymentCommand).callsFake((input: GetDeploymentRequest) =>
    apigw(rest.deployments.get(input.deploymentId as string)),
  );

  const v2Mock = mockClient(clients.apigatewayv2);
  v2Mock.on(GetApisCommand).callsFake((input: GetApisRequest) => {
    const { items, next } = page(
      v2Count,
      (i): Api => {
        const http = i < shape.http;
        return {
          ApiId: http ? id('h', i) : id('w', i),
          Name: `${http ? 'http' : 'ws'}-${i}`,
          ProtocolType: http ? 'HTTP' : 'WEBSOCKET',
          ApiEndpoint: `https://${id(http ? 'h' : 'w', i)}.execute-api.${REGION}.amazonaws.com`,
          ApiKeySelectionExpression: '$request.header.x-api-key',
          RouteSelectionExpression: http ? '$request.method $request.path' : '$request.body.action',
          CreatedDate: CREATED,
          DisableExecuteApiEndpoint: false,
          Tags: { team: `team-${i % 40}` },
        };
      },
      Number(input.MaxResults ?? 25),
      input.NextToken,
    );
    return apigw({ Items: items, NextToken: next });
  });
  v2Mock.on(GetV2StagesCommand).callsFake((_input: GetV2StagesRequest) => apigw(v2.stages));
  v2Mock
    .on(GetRoutesCommand)
    .callsFake((input: GetRoutesRequest) =>
      apigw(isHttp(input.ApiId as string) ? v2.httpRoutes : v2.wsRoutes),
    );
  v2Mock
    .on(GetIntegrationsCommand)
    .callsFake((input: GetIntegrationsRequest) =>
      apigw(isHttp(input.ApiId as string) ? v2.httpIntegrations : v2.wsIntegrations),
    );
  v2Mock
    .on(GetV2AuthorizersCommand)
    .callsFake((input: GetV2AuthorizersRequest) =>
      apigw(isHttp(input.ApiId as string) ? v2.httpAuthorizers : v2.wsAuthorizers),
    );
  v2Mock.on(GetDomainNamesCommand).callsFake((input: GetDomainNamesRequest) => {
    const { items, next } = page(
      domains,
      (k): DomainName => ({
        DomainName: `api${k}.example.com`,
        DomainNameArn: `arn:aws:apigateway:${REGION}::/domainnames/api${k}.example.com`,
        ApiMappingSelectionExpression: '$request.basepath',
        DomainNameConfigurations: [
          {
            EndpointType: 'REGIONAL',
            SecurityPolicy: 'TLS_1_2',
            DomainNameStatus: 'AVAILABLE',
            CertificateArn: `arn:aws:acm:${REGION}:${ACCOUNT}:certificate/example-${k}`,
          },
        ],
      }),
      Number(input.MaxResults ?? 25),
      input.NextToken,
    );
    return apigw({ Items: items, NextToken: next });
  });
  v2Mock.on(GetApiMappingsCommand).callsFake((input: GetApiMappingsRequest) => {
    const k = Number((input.DomainName as string).slice(3).split('.')[0]);
    const mapping: ApiMapping = {
      ApiId: shape.rest > 0 ? id('r', k % shape.rest) : id('h', k % Math.max(1, v2Count)),
      ApiMappingId: `map${k}`,
      ApiMappingKey: '',
      Stage: 'prod',
    };
    return apigw({ Items: [mapping] });
  });

  mockClient(clients.wafv2)
    .on(GetWebACLCommand)
    .callsFake((input: GetWebACLRequest) => {
      meters.wafv2.hit();
      const k = Number((input.Name as string).slice('shared-'.length));
      const WebACL: WebACL = {
        Name: input.Name as string,
        Id: input.Id as string,
        ARN: webAclArn(k),
        DefaultAction: { Allow: {} },
        Rules: [
          {
            Name: 'AWS-AWSManagedRulesCommonRuleSet',
            Priority: 0,
            Statement: {
              ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' },
            },
            OverrideAction: { None: {} },
            VisibilityConfig: {
              SampledRequestsEnabled: true,
              CloudWatchMetricsEnabled: true,
              MetricName: 'common',
            },
          },
        ],
        VisibilityConfig: {
          SampledRequestsEnabled: true,
          CloudWatchMetricsEnabled: true,
          MetricName: 'shared',
        },
        Capacity: 700,
      };
      return { WebACL, LockToken: 'lock-token' };
    });

  mockClient(clients.cloudwatch)
    .on(GetMetricDataCommand)
    .callsFake((input: GetMetricDataInput): GetMetricDataOutput => {
      meters.cloudwatch.hit();
      return {
        MetricDataResults: (input.MetricDataQueries ?? []).map((query) => ({
          Id: query.Id,
          Label: query.MetricStat?.Metric?.MetricName,
          StatusCode: 'Complete',
          Timestamps: [input.StartTime as Date],
          // One API in seven had no traffic in the window.
          Values: [Number(query.Id?.slice(1)) % 7 === 0 ? 0 : 1234],
        })),
        Messages: [],
      };
    });

  mockClient(clients.sts)
    .on(GetCallerIdentityCommand)
    .callsFake(() => ({
      Account: ACCOUNT,
      Arn: `arn:aws:iam::${ACCOUNT}:role/gatewatch`,
      UserId: 'AROAEXAMPLE',
    }));

  return { clients, meters, domains };
}

// ─── Running the collector ──────────────────────────────────────────────────────────────

interface Run {
  readonly shape: Shape;
  readonly inventory: Inventory;
  readonly calls: number;
  readonly stages: number;
  readonly cpuMs: number;
  readonly virtualMs: number;
  readonly violations: number;
  readonly meters: Record<Quota, QuotaMeter>;
  readonly domains: number;
}

async function run(shape: Shape, rates: Partial<Record<Bucket, Rate>> = documented): Promise<Run> {
  const clock = new VirtualClock();
  const { clients, meters, domains } = fakeRegion(shape, clock, rates);
  const started = performance.now();
  const inventory = await collect([REGION], (): RegionClients => clients, {
    metricsDays: 30,
    now: () => NOW,
  });
  const cpuMs = performance.now() - started;
  const region = inventory.regions[0];
  if (!region || region.errors.length > 0) {
    throw new Error(`Collection reported errors: ${JSON.stringify(region?.errors.slice(0, 3))}`);
  }
  const stages =
    region.restApis.reduce((sum, api) => sum + api.stages.length, 0) +
    region.v2Apis.reduce((sum, api) => sum + api.stages.length, 0);
  return {
    shape,
    inventory,
    calls: Object.values(inventory.calls).reduce((sum, n) => sum + n, 0),
    stages,
    cpuMs,
    virtualMs: clock.now(),
    violations: Object.values(meters).reduce((sum, m) => sum + m.violations, 0),
    meters,
    domains,
  };
}

const apisOf = (shape: Shape) => shape.rest + shape.http + shape.websocket;

/** Calls added per unit: the difference between two runs, by operation. */
function marginal(a: Run, b: Run, units: number) {
  const ops = new Set([...Object.keys(a.inventory.calls), ...Object.keys(b.inventory.calls)]);
  const byOp: [string, number][] = [];
  for (const op of ops) {
    const delta = ((b.inventory.calls[op] ?? 0) - (a.inventory.calls[op] ?? 0)) / units;
    if (Math.abs(delta) > 1e-9) byOp.push([op, delta]);
  }
  return { total: (b.calls - a.calls) / units, byOp };
}

/**
 * The naive approach for the same estate: GetStage per stage, GetMethod per method, GetResources
 * per 25 resources, authorizers and validators per API, GetWebACLForResource per REST stage (1/s),
 * at the documented quotas, those three used in parallel (its best case).
 */
function naiveFor(r: Run) {
  const s = r.shape;
  const pages = (n: number, size: number) => Math.ceil(n / size);
  const methods = s.resources * METHODS_PER_RESOURCE;
  const apigateway =
    1 + // GetAccount
    pages(s.rest, 25) +
    pages(s.http + s.websocket, 25) +
    pages(r.domains, 25) +
    r.domains + // GetApiMappings
    s.rest * (s.restStages + pages(s.resources, 25) + methods + 2) + // GetStage, GetResources, GetMethod, authorizers, validators
    (s.http + s.websocket) * (s.v2Stages + 3); // GetStage, routes, integrations, authorizers
  const getResources = s.rest * pages(s.resources, 25);
  const webAclForResource = s.rest * s.restStages;
  const ms =
    Math.max(
      apigateway / documented.apigateway.perSecond,
      getResources / documented.getResources.perSecond,
      webAclForResource / 1,
    ) * 1000;
  return { apigateway, getResources, webAclForResource, calls: apigateway + webAclForResource, ms };
}

// ─── Formatting ─────────────────────────────────────────────────────────────────────────

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const dec = (n: number, digits = 2) => n.toFixed(digits);
const fmtOps = (byOp: [string, number][]) =>
  byOp.map(([op, n]) => `${op} ${Number.isInteger(n) ? n : n.toFixed(3)}`).join(', ');

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

// ─── The benchmark ──────────────────────────────────────────────────────────────────────

async function main(): Promise<void> {
  let failed = false;
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  const memory = `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`;
  console.log(
    `Machine: ${cpu}, ${os.cpus().length} cores, ${memory} memory, Node ${process.version}, ${os.platform()} ${os.arch()}, ${new Date().toISOString().slice(0, 10)}\n`,
  );

  // 1. Calls per unit, from the difference between two otherwise identical estates.
  const none = { rest: 0, http: 0, websocket: 0, ...typical };
  const N = 500;
  const restA = await run({ ...none, rest: N });
  const restB = await run({ ...none, rest: 2 * N });
  const httpA = await run({ ...none, http: N });
  const httpB = await run({ ...none, http: 2 * N });
  const wsA = await run({ ...none, websocket: N });
  const wsB = await run({ ...none, websocket: 2 * N });
  const restMoreStages = await run({ ...none, rest: N, restStages: 2 * typical.restStages });
  const restMoreDeployments = await run({
    ...none,
    rest: N,
    restStages: 2 * typical.restStages,
    restDeployments: 2 * typical.restStages,
  });
  const httpMoreStages = await run({ ...none, http: N, v2Stages: 2 * typical.v2Stages });
  const perRest = marginal(restA, restB, N);
  const perHttp = marginal(httpA, httpB, N);
  const perWs = marginal(wsA, wsB, N);
  const perRestStage = marginal(restA, restMoreStages, N * typical.restStages);
  const perDeployment = marginal(
    restMoreStages,
    restMoreDeployments,
    N * (2 * typical.restStages - typical.restDeployments),
  );
  const perV2Stage = marginal(httpA, httpMoreStages, N * typical.v2Stages);
  const perUnit = [restA, restB, httpA, httpB, wsA, wsB, restMoreStages, restMoreDeployments, httpMoreStages];
  const unitViolations = perUnit.reduce((sum, r) => sum + r.violations, 0);

  console.log('### AWS calls per API and per stage\n');
  console.log(
    table(
      ['Unit', 'AWS calls', 'Of which'],
      [
        [
          `REST API (${typical.restStages} stages on ${typical.restDeployments} deployments, ${typical.resources} resources with ${typical.resources * METHODS_PER_RESOURCE} methods, 1 authorizer, 1 validator)`,
          dec(perRest.total),
          fmtOps(perRest.byOp),
        ],
        [
          `HTTP API (${typical.v2Stages} stages, ${HTTP_ROUTES} routes, ${HTTP_INTEGRATIONS} integrations, 1 authorizer)`,
          dec(perHttp.total),
          fmtOps(perHttp.byOp),
        ],
        [
          `WebSocket API (${typical.v2Stages} stages, ${WS_ROUTES} routes, ${WS_INTEGRATIONS} integrations, 1 authorizer)`,
          dec(perWs.total),
          fmtOps(perWs.byOp),
        ],
        [
          'Extra REST stage on an existing deployment',
          dec(perRestStage.total),
          fmtOps(perRestStage.byOp) || '—',
        ],
        [
          'Extra REST deployment served by a stage',
          dec(perDeployment.total),
          fmtOps(perDeployment.byOp) || '—',
        ],
        ['Extra HTTP/WebSocket stage', dec(perV2Stage.total), fmtOps(perV2Stage.byOp) || '—'],
      ],
    ),
  );
  console.log(
    `\nMarginal calls between ${int(N)} and ${int(2 * N)} APIs of one kind (list pages, shared web ACLs (1 per ${APIS_PER_WEB_ACL} REST APIs), custom domains (1 per ${APIS_PER_DOMAIN} APIs) and GetMetricData batches of 500 included). Throttling violations: ${unitViolations}.\n`,
  );
  if (unitViolations > 0) failed = true;

  // 2. Collection and judging at scale, under the documented quota.
  const sizes = [10, 100, 1_000, 10_000];
  const runs: Run[] = [];
  const judged: { ms: number; evaluations: number; resources: number }[] = [];
  for (const apis of sizes) {
    const result = await run(mix(apis));
    runs.push(result);
    const started = performance.now();
    const scan = scanInventory(result.inventory, { rules: catalog });
    const ms = performance.now() - started;
    judged.push({ ms, evaluations: scan.summary.evaluations, resources: scan.summary.resources });
    if (result.violations > 0) failed = true;
  }
  console.log(
    `### Collecting and judging (60% REST, 30% HTTP, 10% WebSocket; quota ${documented.apigateway.perSecond} req/s, burst ${documented.apigateway.burst})\n`,
  );
  console.log(
    table(
      [
        'APIs',
        'Stages',
        'AWS calls',
        'Calls/API',
        'Collect (CPU, real)',
        'Collect (projected wall time)',
        'Throttling violations',
        'Judge',
        'Evaluations',
        'Evaluations/s',
        'Naive: calls',
        'Naive: projected wall time',
        'Naive ÷ gatewatch (time)',
      ],
      runs.map((r, i) => {
        const j = judged[i] as (typeof judged)[number];
        const naive = naiveFor(r);
        return [
          int(apisOf(r.shape)),
          int(r.stages),
          int(r.calls),
          dec(r.calls / apisOf(r.shape)),
          `${int(r.cpuMs)} ms`,
          duration(r.virtualMs),
          String(r.violations),
          `${int(j.ms)} ms`,
          int(j.evaluations),
          int(j.evaluations / (j.ms / 1000)),
          int(naive.calls),
          duration(naive.ms),
          `${dec(naive.ms / r.virtualMs, 1)}×`,
        ];
      }),
    ),
  );
  const largest = runs.at(-1) as Run;
  const peaks = (Object.entries(largest.meters) as [Quota, QuotaMeter][])
    .map(
      ([quota, m]) =>
        `${quota} ${int(m.requests)} requests, peak ${m.peakPerSecond}/s (limit ${documented[quota].perSecond}/s, burst ${documented[quota].burst})`,
    )
    .join('; ');
  console.log(
    `\nCollect (CPU, real): real time spent by the collector and the in-process fake. Projected wall time: virtual time under the quota, i.e. the projected real duration. At ${int(apisOf(largest.shape))} APIs, the fake side saw: ${peaks}.\n`,
  );

  // 3. 10,000 APIs: documented quota, gatewatch's default share, and the naive approach.
  const atDefault = await run(mix(10_000), {});
  if (atDefault.violations > 0) failed = true;
  const s = largest.shape;
  const naive = naiveFor(largest);
  const naiveMs = naive.ms;
  const apigwCalls = (r: Run) =>
    Object.entries(r.inventory.calls)
      .filter(([op]) => !['GetWebACL', 'GetMetricData', 'GetCallerIdentity'].includes(op))
      .reduce((sum, [, n]) => sum + n, 0);
  console.log(
    `### ${int(apisOf(s))} APIs (${int(s.rest)} REST, ${int(s.http)} HTTP, ${int(s.websocket)} WebSocket)\n`,
  );
  console.log(
    table(
      ['Approach', 'API Gateway calls', 'WAF calls', 'Projected wall time', 'vs gatewatch'],
      [
        [
          `gatewatch at the documented quota (${documented.apigateway.perSecond} req/s)`,
          int(apigwCalls(largest)),
          int(largest.inventory.calls.GetWebACL ?? 0),
          duration(largest.virtualMs),
          '1×',
        ],
        [
          `gatewatch at its default share (${defaultRates.apigateway.perSecond} req/s)`,
          int(apigwCalls(atDefault)),
          int(atDefault.inventory.calls.GetWebACL ?? 0),
          duration(atDefault.virtualMs),
          `${dec(atDefault.virtualMs / largest.virtualMs)}×`,
        ],
        [
          `Naive, ${documented.apigateway.perSecond} req/s: GetStage per stage, GetMethod per method, GetResources per 25 resources, GetWebACLForResource per stage (1/s)`,
          int(naive.apigateway),
          int(naive.webAclForResource),
          duration(naiveMs),
          `${dec(naiveMs / largest.virtualMs, 1)}×`,
        ],
      ],
    ),
  );
  console.log(
    '\nNaive wall time assumes its three quotas are used in parallel (its best case); gatewatch reads web ACLs once each via GetWebACL (5/s) and never calls GetWebACLForResource.\n',
  );

  // 4. Linear growth: calls per API, and calls added per API from one size to the next.
  const perApi = runs.map((r) => r.calls / apisOf(r.shape));
  const slopes = runs
    .slice(1)
    .map((r, i) => (r.calls - (runs[i] as Run).calls) / (apisOf(r.shape) - apisOf((runs[i] as Run).shape)));
  const spread = (values: number[]) => (Math.max(...values) - Math.min(...values)) / Math.min(...values);
  console.log(
    `Linearity: calls/API ${perApi.map((n, i) => `${int(sizes[i] as number)}: ${dec(n, 3)}`).join(', ')} (spread ${dec(spread(perApi) * 100, 1)}%, the fixed per-region calls weigh on the smallest estate); calls added per API between sizes ${slopes.map((n) => dec(n, 3)).join(', ')} (spread ${dec(spread(slopes) * 100, 1)}%, limit 5%).`,
  );
  if (spread(slopes) > 0.05) {
    console.error('Calls do not grow linearly with APIs.');
    failed = true;
  }
  if (failed) {
    console.error('Benchmark failed: throttling violations or non-linear growth (see above).');
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
