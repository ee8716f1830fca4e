// An in-process stand-in for an AWS-compatible endpoint (what LocalStack offers), speaking the
// wire protocols of the AWS SDK v3 clients for exactly the calls the live collector makes:
//   STS GetCallerIdentity         awsQuery    POST / (form body Action=…)      → XML
//   API Gateway v1                restJson    GET /account, /restapis/…        → lists under `item`
//   API Gateway v2                restJson    GET /v2/apis/…, /v2/domainnames/… → lists under `items`
//   WAFv2 GetWebACL               awsJson1_1  POST / (x-amz-target AWSWAF_20190729.GetWebACL)
//   AWS Config PutEvaluations     awsJson1_1  POST / (x-amz-target StarlingDoveService.PutEvaluations)
//   the logging path (CloudTrail, CloudWatch Logs resource policies, IAM GetRole): fake-logging-path.ts
// Anything else is answered 404 UnknownOperationException and listed in `unhandled`, so a call
// the fake does not know shows up in the test instead of passing silently.
//
// The estate is described in API Gateway's own wire shapes (lower camel case, as in the REST
// API reference), minus the envelopes, pagination and timestamps, which the fake adds.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  FakeAwsError as AwsError,
  type FakeLoggingPath,
  getRoleXml,
  type LoggingPathOperation,
  loggingPathJson,
} from './fake-logging-path';

// ─── The estate ─────────────────────────────────────────────────────────────────────────

export interface FakeMethodSetting {
  loggingLevel?: string;
  dataTraceEnabled?: boolean;
  metricsEnabled?: boolean;
  throttlingRateLimit?: number;
  throttlingBurstLimit?: number;
  cachingEnabled?: boolean;
  cacheTtlInSeconds?: number;
  cacheDataEncrypted?: boolean;
}

export interface FakeRestStage {
  stageName: string;
  /** Defaults to `dep-<stage>`; a deployment not declared on the API snapshots the current methods. */
  deploymentId?: string;
  webAclArn?: string;
  /** Keyed `*\/*` for the stage default, `{resource path without leading /}/{METHOD}` per method. */
  methodSettings?: Record<string, FakeMethodSetting>;
  accessLogSettings?: { destinationArn?: string; format?: string };
  tracingEnabled?: boolean;
  cacheClusterEnabled?: boolean;
  clientCertificateId?: string;
  variables?: Record<string, string>;
  tags?: Record<string, string>;
}

export interface FakeMethod {
  authorizationType?: string;
  authorizerId?: string;
  apiKeyRequired?: boolean;
  requestValidatorId?: string;
  requestModels?: Record<string, string>;
  methodIntegration?: { type: string; uri?: string; httpMethod?: string; connectionType?: string };
}

export interface FakeResource {
  path: string;
  /** By HTTP verb. */
  methods?: Record<string, FakeMethod>;
}

export interface FakeRestApi {
  id: string;
  name: string;
  /** Defaults to ['EDGE'], as AWS does. */
  endpointTypes?: string[];
  vpcEndpointIds?: string[];
  policy?: string;
  disableExecuteApiEndpoint?: boolean;
  createdDate?: Date;
  tags?: Record<string, string>;
  stages?: FakeRestStage[];
  /** The root `/` is added when absent, as every REST API has one. */
  resources?: FakeResource[];
  authorizers?: { id: string; name: string; type: string; authorizerUri?: string }[];
  requestValidators?: {
    id: string;
    name: string;
    validateRequestBody?: boolean;
    validateRequestParameters?: boolean;
  }[];
  /** Deployments whose methods differ from the working copy, by id: path → verb → method. */
  deployments?: Record<
    string,
    { methods: Record<string, Record<string, { authorizationType: string; apiKeyRequired?: boolean }>> }
  >;
}

export interface FakeV2Api {
  apiId: string;
  name: string;
  protocolType: 'HTTP' | 'WEBSOCKET';
  createdDate?: Date;
  disableExecuteApiEndpoint?: boolean;
  tags?: Record<string, string>;
  stages?: Record<string, unknown>[];
  routes?: Record<string, unknown>[];
  integrations?: Record<string, unknown>[];
  authorizers?: Record<string, unknown>[];
}

export interface FakeDomainName {
  domainName: string;
  domainNameConfigurations?: Record<string, unknown>[];
  mutualTlsAuthentication?: { truststoreUri?: string; truststoreVersion?: string };
  tags?: Record<string, string>;
  apiMappings?: { apiId: string; stage: string; apiMappingKey?: string; apiMappingId?: string }[];
}

/** Operations the fake answers, named as the SDK commands are. */
export type FakeOperation =
  | 'GetCallerIdentity'
  | 'GetAccount'
  | 'GetRestApis'
  | 'GetStages'
  | 'GetResources'
  | 'GetAuthorizers'
  | 'GetRequestValidators'
  | 'GetDeployment'
  | 'GetApis'
  | 'GetV2Stages'
  | 'GetRoutes'
  | 'GetIntegrations'
  | 'GetV2Authorizers'
  | 'GetDomainNames'
  | 'GetApiMappings'
  | 'GetWebACL'
  | 'PutEvaluations'
  | LoggingPathOperation;

export interface FakeFailure {
  status: number;
  /** The AWS error code, e.g. AccessDeniedException. */
  code: string;
  message?: string;
}

export interface FakeEstate {
  accountId?: string;
  /** GetAccount's body; null answers GetAccount with nothing configured. */
  account?: { cloudwatchRoleArn?: string } | null;
  restApis?: FakeRestApi[];
  v2Apis?: FakeV2Api[];
  domainNames?: FakeDomainName[];
  /** WAFv2 web ACLs in GetWebACL's `WebACL` shape (Name, Id, ARN, DefaultAction, Rules…). */
  webAcls?: ({ Name: string; Id: string; ARN: string } & Record<string, unknown>)[];
  /** Answer these operations with an error instead. */
  failures?: Partial<Record<FakeOperation, FakeFailure>>;
  /** Largest page returned, whatever the caller asks for, to exercise pagination. */
  pageSize?: number;
  /** Trails, CloudWatch Logs resource policies and IAM roles; a working logging path by default. */
  loggingPath?: FakeLoggingPath;
}

// ─── The server ─────────────────────────────────────────────────────────────────────────

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The operation the fake recognised, or null when it answered 404 UnknownOperationException. */
  operation: FakeOperation | null;
  /** Service and region from the SigV4 credential scope. */
  service: string | null;
  region: string | null;
  status: number;
  /** The parsed body of an awsJson request (Config's PutEvaluations), for asserting what was sent. */
  body?: unknown;
}

export interface FakeAwsEndpoint {
  readonly url: string;
  readonly requests: readonly RecordedRequest[];
  /** Requests the fake did not recognise. */
  readonly unhandled: readonly RecordedRequest[];
  close(): Promise<void>;
}

type Protocol = 'query' | 'json' | 'rest';
interface Answer {
  operation: FakeOperation | null;
  protocol: Protocol;
  status: number;
  body: unknown;
}

const epochSeconds = (date: Date) => Math.floor(date.getTime() / 1000);
const CREATED = new Date('2024-01-15T09:30:00Z');

export async function startFakeAwsEndpoint(estate: FakeEstate): Promise<FakeAwsEndpoint> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const body = Buffer.concat(chunks).toString('utf8');
      const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(
        String(req.headers.authorization ?? ''),
      );
      const answer = handle(estate, req, url, body);
      requests.push({
        method: req.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        operation: answer.operation,
        service: scope?.[2] ?? null,
        region: scope?.[1] ?? null,
        status: answer.status,
        ...(answer.protocol === 'json' && answer.operation === 'PutEvaluations'
          ? { body: JSON.parse(body) }
          : {}),
      });
      send(res, answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get unhandled() {
      return requests.filter((request) => request.operation === null);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function handle(estate: FakeEstate, req: IncomingMessage, url: URL, body: string): Answer {
  const target = req.headers['x-amz-target'];
  const contentType = String(req.headers['content-type'] ?? '');
  let protocol: Protocol = 'rest';
  let operation: FakeOperation | null = null;
  try {
    if (req.method === 'POST' && typeof target === 'string') {
      protocol = 'json';
      if (target === 'StarlingDoveService.PutEvaluations') {
        operation = 'PutEvaluations';
        failIfAsked(estate, operation);
        return { operation, protocol, status: 200, body: { FailedEvaluations: [] } };
      }
      const where = { accountId: estate.accountId ?? '123456789012', region: regionOf(req) };
      const logging = loggingPathJson(estate.loggingPath ?? {}, where, target, JSON.parse(body || '{}'));
      if (logging) {
        operation = logging.operation;
        failIfAsked(estate, operation);
        return { operation, protocol, status: 200, body: logging.body };
      }
      if (target !== 'AWSWAF_20190729.GetWebACL') throw unknown(req, url, target);
      operation = 'GetWebACL';
      return { operation, protocol, status: 200, body: getWebAcl(estate, JSON.parse(body || '{}')) };
    }
    if (req.method === 'POST' && contentType.startsWith('application/x-www-form-urlencoded')) {
      protocol = 'query';
      const form = new URLSearchParams(body);
      const action = form.get('Action');
      if (action === 'GetRole') {
        operation = 'GetRole';
        failIfAsked(estate, operation);
        const account = estate.accountId ?? '123456789012';
        const named = estate.account === null ? undefined : estate.account?.cloudwatchRoleArn;
        return {
          operation,
          protocol,
          status: 200,
          body: getRoleXml(estate.loggingPath ?? {}, account, named, form.get('RoleName')),
        };
      }
      if (action !== 'GetCallerIdentity') throw unknown(req, url, `Action=${action}`);
      operation = 'GetCallerIdentity';
      failIfAsked(estate, operation);
      return { operation, protocol, status: 200, body: callerIdentityXml(estate) };
    }
    const route = req.method === 'GET' ? restRoute(url.pathname) : null;
    if (!route) throw unknown(req, url);
    operation = route.operation;
    failIfAsked(estate, operation);
    return { operation, protocol, status: 200, body: route.answer(estate, url.searchParams) };
  } catch (error) {
    if (!(error instanceof AwsError)) throw error;
    return {
      operation: error.code === 'UnknownOperationException' ? null : operation,
      protocol,
      status: error.status,
      body: error,
    };
  }
}

/** The region of a SigV4-signed request's credential scope. */
const regionOf = (req: IncomingMessage) =>
  /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(String(req.headers.authorization ?? ''))?.[1] ?? 'us-east-1';

function send(res: ServerResponse, answer: Answer): void {
  const requestId = `fake-${Math.random().toString(16).slice(2, 10)}`;
  const error = answer.body instanceof AwsError ? answer.body : null;
  let text: string;
  const headers: Record<string, string> = { 'x-amzn-requestid': requestId };
  if (answer.protocol === 'query') {
    headers['content-type'] = 'text/xml';
    text = error
      ? `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>` +
        `<Code>${xml(error.code)}</Code><Message>${xml(error.message)}</Message></Error>` +
        `<RequestId>${requestId}</RequestId></ErrorResponse>`
      : String(answer.body).replace('REQUEST_ID', requestId);
  } else if (answer.protocol === 'json') {
    headers['content-type'] = 'application/x-amz-json-1.1';
    text = JSON.stringify(error ? { __type: error.code, Message: error.message } : answer.body);
  } else {
    headers['content-type'] = 'application/json';
    if (error) {
      // API Gateway names the error in this header, with its Coral namespace after a colon.
      headers['x-amzn-errortype'] =
        `${error.code}:http://internal.amazon.com/coral/com.amazonaws.backplane.controlplane/`;
    }
    text = JSON.stringify(error ? { message: error.message } : answer.body);
  }
  res.writeHead(answer.status, headers);
  res.end(text);
}

function unknown(req: IncomingMessage, url: URL, detail = ''): AwsError {
  return new AwsError(
    404,
    'UnknownOperationException',
    `fake-aws-endpoint has no handler for ${req.method} ${url.pathname}${url.search} ${detail}`.trim(),
  );
}

function failIfAsked(estate: FakeEstate, operation: FakeOperation): void {
  const failure = estate.failures?.[operation];
  if (failure) {
    throw new AwsError(failure.status, failure.code, failure.message ?? `${operation} failed (fake).`);
  }
}

const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

// ─── STS ────────────────────────────────────────────────────────────────────────────────

function callerIdentityXml(estate: FakeEstate): string {
  const account = estate.accountId ?? '123456789012';
  return (
    '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">' +
    '<GetCallerIdentityResult>' +
    `<Arn>arn:aws:iam::${account}:user/gatewatch-test</Arn>` +
    '<UserId>AIDAFAKEFAKEFAKEFAKE0</UserId>' +
    `<Account>${account}</Account>` +
    '</GetCallerIdentityResult>' +
    '<ResponseMetadata><RequestId>REQUEST_ID</RequestId></ResponseMetadata>' +
    '</GetCallerIdentityResponse>'
  );
}

// ─── WAFv2 ──────────────────────────────────────────────────────────────────────────────

function getWebAcl(estate: FakeEstate, input: { Name?: string; Id?: string; Scope?: string }) {
  failIfAsked(estate, 'GetWebACL');
  const scope = input.Scope === 'CLOUDFRONT' ? ':global/' : ':regional/';
  const webAcl = (estate.webAcls ?? []).find(
    (acl) => acl.Name === input.Name && acl.Id === input.Id && acl.ARN.includes(scope),
  );
  if (!webAcl) {
    throw new AwsError(
      400,
      'WAFNonexistentItemException',
      "AWS WAF couldn't perform the operation because your resource doesn't exist.",
    );
  }
  return { WebACL: webAcl, LockToken: '00000000-0000-0000-0000-000000000000' };
}

// ─── API Gateway ────────────────────────────────────────────────────────────────────────

type RestAnswer = (estate: FakeEstate, query: URLSearchParams) => unknown;

function restRoute(pathname: string): { operation: FakeOperation; answer: RestAnswer } | null {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const [a, b, c, d] = parts;
  const n = parts.length;
  if (a === 'account' && n === 1) return { operation: 'GetAccount', answer: getAccount };
  if (a === 'restapis') {
    if (n === 1) return { operation: 'GetRestApis', answer: getRestApis };
    const api = (estate: FakeEstate) => restApi(estate, b as string);
    if (n === 3 && c === 'stages') return { operation: 'GetStages', answer: (s) => getStages(api(s)) };
    if (n === 3 && c === 'resources') {
      return { operation: 'GetResources', answer: (s, q) => pageV1(s, q, resourcesOf(api(s), q)) };
    }
    if (n === 3 && c === 'authorizers') {
      return { operation: 'GetAuthorizers', answer: (s, q) => pageV1(s, q, api(s).authorizers ?? []) };
    }
    if (n === 3 && c === 'requestvalidators') {
      return {
        operation: 'GetRequestValidators',
        answer: (s, q) => pageV1(s, q, api(s).requestValidators ?? []),
      };
    }
    if (n === 4 && c === 'deployments') {
      return { operation: 'GetDeployment', answer: (s, q) => getDeployment(api(s), d as string, q) };
    }
  }
  if (a === 'v2' && b === 'apis') {
    if (n === 2) return { operation: 'GetApis', answer: getApis };
    const api = (estate: FakeEstate) => v2Api(estate, c as string);
    const list = (operation: FakeOperation, key: 'stages' | 'routes' | 'integrations' | 'authorizers') => ({
      operation,
      answer: (s: FakeEstate, q: URLSearchParams) => pageV2(s, q, api(s)[key] ?? []),
    });
    if (n === 4 && d === 'stages') return list('GetV2Stages', 'stages');
    if (n === 4 && d === 'routes') return list('GetRoutes', 'routes');
    if (n === 4 && d === 'integrations') return list('GetIntegrations', 'integrations');
    if (n === 4 && d === 'authorizers') return list('GetV2Authorizers', 'authorizers');
  }
  if (a === 'v2' && b === 'domainnames') {
    if (n === 2) return { operation: 'GetDomainNames', answer: getDomainNames };
    if (n === 4 && d === 'apimappings') {
      return { operation: 'GetApiMappings', answer: (s, q) => getApiMappings(s, c as string, q) };
    }
  }
  return null;
}

function getAccount(estate: FakeEstate) {
  return {
    ...(estate.account?.cloudwatchRoleArn ? { cloudwatchRoleArn: estate.account.cloudwatchRoleArn } : {}),
    throttleSettings: { burstLimit: 5000, rateLimit: 10000 },
    features: ['UsagePlans'],
    apiKeyVersion: '4',
  };
}

function restApi(estate: FakeEstate, id: string): FakeRestApi {
  const api = (estate.restApis ?? []).find((candidate) => candidate.id === id);
  if (!api) throw new AwsError(404, 'NotFoundException', 'Invalid API identifier specified');
  return api;
}

function getRestApis(estate: FakeEstate, query: URLSearchParams) {
  return pageV1(
    estate,
    query,
    (estate.restApis ?? []).map((api) => ({
      id: api.id,
      name: api.name,
      createdDate: epochSeconds(api.createdDate ?? CREATED),
      apiKeySource: 'HEADER',
      endpointConfiguration: {
        types: api.endpointTypes ?? ['EDGE'],
        ipAddressType: 'ipv4',
        ...(api.vpcEndpointIds ? { vpcEndpointIds: api.vpcEndpointIds } : {}),
      },
      ...(api.policy ? { policy: api.policy } : {}),
      disableExecuteApiEndpoint: api.disableExecuteApiEndpoint ?? false,
      rootResourceId: resourceIds(api).get('/'),
      ...(api.tags ? { tags: api.tags } : {}),
    })),
  );
}

/** GetStages is not paginated: `{item: [...]}` and no position. */
function getStages(api: FakeRestApi) {
  return {
    item: (api.stages ?? []).map((stage) => ({
      deploymentId: stage.deploymentId ?? `dep-${stage.stageName}`,
      stageName: stage.stageName,
      cacheClusterEnabled: stage.cacheClusterEnabled ?? false,
      cacheClusterStatus: stage.cacheClusterEnabled ? 'AVAILABLE' : 'NOT_AVAILABLE',
      methodSettings: stage.methodSettings ?? {},
      tracingEnabled: stage.tracingEnabled ?? false,
      ...(stage.webAclArn ? { webAclArn: stage.webAclArn } : {}),
      ...(stage.accessLogSettings ? { accessLogSettings: stage.accessLogSettings } : {}),
      ...(stage.clientCertificateId ? { clientCertificateId: stage.clientCertificateId } : {}),
      ...(stage.variables ? { variables: stage.variables } : {}),
      ...(stage.tags ? { tags: stage.tags } : {}),
      createdDate: epochSeconds(CREATED),
      lastUpdatedDate: epochSeconds(CREATED),
    })),
  };
}

function withRoot(api: FakeRestApi): FakeResource[] {
  const resources = api.resources ?? [];
  return resources.some((resource) => resource.path === '/') ? resources : [{ path: '/' }, ...resources];
}

function resourceIds(api: FakeRestApi): Map<string, string> {
  return new Map(withRoot(api).map((resource, index) => [resource.path, `r${index}${api.id.slice(0, 4)}`]));
}

function resourcesOf(api: FakeRestApi, query: URLSearchParams) {
  const ids = resourceIds(api);
  const embedMethods = query.getAll('embed').some((value) => value.split(',').includes('methods'));
  return withRoot(api).map((resource) => {
    const parentPath = resource.path === '/' ? null : resource.path.replace(/\/[^/]+$/, '') || '/';
    const methods = Object.entries(resource.methods ?? {});
    return {
      id: ids.get(resource.path),
      ...(parentPath ? { parentId: ids.get(parentPath), pathPart: resource.path.split('/').pop() } : {}),
      path: resource.path,
      ...(embedMethods && methods.length > 0
        ? {
            resourceMethods: Object.fromEntries(
              methods.map(([verb, method]) => [
                verb,
                {
                  httpMethod: verb,
                  authorizationType: method.authorizationType ?? 'NONE',
                  apiKeyRequired: method.apiKeyRequired ?? false,
                  ...method,
                  ...(method.methodIntegration
                    ? {
                        methodIntegration: {
                          connectionType: 'INTERNET',
                          passthroughBehavior: 'WHEN_NO_MATCH',
                          timeoutInMillis: 29000,
                          cacheNamespace: ids.get(resource.path),
                          cacheKeyParameters: [],
                          ...method.methodIntegration,
                        },
                      }
                    : {}),
                },
              ]),
            ),
          }
        : {}),
    };
  });
}

function getDeployment(api: FakeRestApi, deploymentId: string, query: URLSearchParams) {
  const known = new Set((api.stages ?? []).map((stage) => stage.deploymentId ?? `dep-${stage.stageName}`));
  const declared = api.deployments?.[deploymentId];
  if (!declared && !known.has(deploymentId)) {
    throw new AwsError(404, 'NotFoundException', 'Invalid Deployment identifier specified');
  }
  const summary =
    declared?.methods ??
    Object.fromEntries(
      withRoot(api)
        .filter((resource) => Object.keys(resource.methods ?? {}).length > 0)
        .map((resource) => [
          resource.path,
          Object.fromEntries(
            Object.entries(resource.methods ?? {}).map(([verb, method]) => [
              verb,
              {
                authorizationType: method.authorizationType ?? 'NONE',
                apiKeyRequired: method.apiKeyRequired ?? false,
              },
            ]),
          ),
        ]),
    );
  const embedSummary = query.getAll('embed').some((value) => value.split(',').includes('apisummary'));
  return {
    id: deploymentId,
    createdDate: epochSeconds(CREATED),
    ...(embedSummary ? { apiSummary: summary } : {}),
  };
}

function v2Api(estate: FakeEstate, apiId: string): FakeV2Api {
  const api = (estate.v2Apis ?? []).find((candidate) => candidate.apiId === apiId);
  if (!api) throw new AwsError(404, 'NotFoundException', `Invalid API identifier specified ${apiId}`);
  return api;
}

function getApis(estate: FakeEstate, query: URLSearchParams) {
  return pageV2(
    estate,
    query,
    (estate.v2Apis ?? []).map((api) => ({
      apiId: api.apiId,
      name: api.name,
      protocolType: api.protocolType,
      apiEndpoint: `https://${api.apiId}.execute-api.eu-west-1.amazonaws.com`,
      apiKeySelectionExpression: '$request.header.x-api-key',
      routeSelectionExpression:
        api.protocolType === 'HTTP' ? '$request.method $request.path' : '$request.body.action',
      createdDate: (api.createdDate ?? CREATED).toISOString(),
      disableExecuteApiEndpoint: api.disableExecuteApiEndpoint ?? false,
      ipAddressType: 'ipv4',
      tags: api.tags ?? {},
    })),
  );
}

function getDomainNames(estate: FakeEstate, query: URLSearchParams) {
  return pageV2(
    estate,
    query,
    (estate.domainNames ?? []).map(({ apiMappings: _mappings, ...domain }) => ({
      apiMappingSelectionExpression: '$request.basepath',
      domainNameArn: `arn:aws:apigateway:eu-west-1::/domainnames/${domain.domainName}`,
      tags: {},
      ...domain,
    })),
  );
}

function getApiMappings(estate: FakeEstate, domainName: string, query: URLSearchParams) {
  const domain = (estate.domainNames ?? []).find((candidate) => candidate.domainName === domainName);
  if (!domain) throw new AwsError(404, 'NotFoundException', `Invalid domain name identifier specified`);
  return pageV2(
    estate,
    query,
    (domain.apiMappings ?? []).map((mapping, index) => ({
      apiMappingId: mapping.apiMappingId ?? `map${index}`,
      ...mapping,
    })),
  );
}

/** API Gateway v1 pages: `limit` and `position` in, `{item, position}` out (default limit 25). */
function pageV1(estate: FakeEstate, query: URLSearchParams, all: readonly unknown[]) {
  const start = Number(query.get('position') ?? 0);
  const size = Math.min(Number(query.get('limit') ?? 25), estate.pageSize ?? Number.POSITIVE_INFINITY);
  const end = start + size;
  return { item: all.slice(start, end), ...(end < all.length ? { position: String(end) } : {}) };
}

/** API Gateway v2 pages: `maxResults` and `nextToken` in, `{items, nextToken}` out. */
function pageV2(estate: FakeEstate, query: URLSearchParams, all: readonly unknown[]) {
  const start = Number(query.get('nextToken') ?? 0);
  const size = Math.min(Number(query.get('maxResults') ?? 100), estate.pageSize ?? Number.POSITIVE_INFINITY);
  const end = start + size;
  return { items: all.slice(start, end), ...(end < all.length ? { nextToken: String(end) } : {}) };
}
