// THE table of CloudTrail management events that can weaken API Gateway security (or remove a
// judged resource, so its findings close), and what each one points at. The EventBridge rule
// patterns are generated from it (eventPatterns), never typed again. An event is a trigger,
// not the truth: targets come from the request's path parameters, and the drift path reads
// the resources afresh. Read-only calls are not delivered by EventBridge and are not listed.

import { arnIn, parseArn } from '../model/identity';
import type { Actor } from '../model/verdict';
import type { CloudTrailRecord, ParsedEvent } from './schema';
import { CLOUDTRAIL_DETAIL_TYPE } from './schema';
import { type Target, targetKey } from './targets';

export type EventSource =
  | 'apigateway.amazonaws.com'
  | 'wafv2.amazonaws.com'
  | 'waf-regional.amazonaws.com'
  | 'logs.amazonaws.com'
  | 'cloudtrail.amazonaws.com'
  | 'iam.amazonaws.com';

/** The EventBridge `source` of each CloudTrail event source. */
export const eventBridgeSources: Readonly<Record<EventSource, string>> = {
  'apigateway.amazonaws.com': 'aws.apigateway',
  'wafv2.amazonaws.com': 'aws.wafv2',
  'waf-regional.amazonaws.com': 'aws.waf-regional',
  'logs.amazonaws.com': 'aws.logs',
  'cloudtrail.amazonaws.com': 'aws.cloudtrail',
  'iam.amazonaws.com': 'aws.iam',
};

/**
 * IAM is a global service: CloudTrail records its calls, and EventBridge delivers them, in
 * us-east-1 only (aws partition). The deployment forwards them from there to the home region
 * even when us-east-1 is not watched, with CloudTrail's own (a multi-region trail is changed in
 * its home region, most often us-east-1).
 */
export const GLOBAL_EVENTS_REGION = 'us-east-1';
export const GLOBAL_REGION_EVENT_SOURCES: readonly EventSource[] = [
  'iam.amazonaws.com',
  'cloudtrail.amazonaws.com',
];

/** REST APIs (API Gateway v1) or HTTP/WebSocket APIs (v2): same event source, overlapping names. */
export type ApiGeneration = 'v1' | 'v2';

export interface CatalogEntry {
  readonly eventSource: EventSource;
  readonly eventName: string;
  /** `any`: the event means the same for both generations (domains, tags) or is not API Gateway's. */
  readonly api: ApiGeneration | 'any';
  /** What the call can weaken, in one line, for docs and notifications. */
  readonly weakens: string;
  /** The resources to read afresh. */
  readonly targets: (record: CloudTrailRecord) => readonly Target[];
  /** Why an event of this kind can point at nothing gatewatch judges (reported when targets is empty). */
  readonly noTarget?: string;
}

// ─── Reading the request ────────────────────────────────────────────────────────────────

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const nonEmpty = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

const paramsOf = (record: CloudTrailRecord): Record<string, unknown> => record.requestParameters ?? {};

/** A path parameter: always at the top level of `requestParameters`. The first key present wins. */
function pathParam(record: CloudTrailRecord, ...keys: string[]): string | undefined {
  const params = paramsOf(record);
  for (const key of keys) {
    const value = nonEmpty(params[key]);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** A body field: at the top level (v2 bodies are flat) or inside a v1 wrapper (`createStageInput`). */
function bodyField(record: CloudTrailRecord, key: string): string | undefined {
  const params = paramsOf(record);
  const top = nonEmpty(params[key]);
  if (top !== undefined) return top;
  for (const [name, value] of Object.entries(params)) {
    if (name.endsWith('Input') && isObject(value)) {
      const wrapped = nonEmpty(value[key]);
      if (wrapped !== undefined) return wrapped;
    }
  }
  return undefined;
}

/** A field of the response: the id of what a Create or Import call made. */
const responseField = (record: CloudTrailRecord, key: string): string | undefined =>
  isObject(record.responseElements) ? nonEmpty(record.responseElements[key]) : undefined;

const accountOf = (record: CloudTrailRecord): string | undefined =>
  nonEmpty(record.recipientAccountId) ?? nonEmpty(record.userIdentity.accountId);

/**
 * Tells a REST API call from an HTTP/WebSocket API call (same event source, shared names):
 * by the request's shape first (`restApiId`, v1's `template` flag and `*Input` wrappers vs
 * `apiId`), then by the SDK or CLI named in the user agent.
 */
export function generationOf(record: CloudTrailRecord): ApiGeneration | 'unknown' {
  if (record.eventSource !== 'apigateway.amazonaws.com') return 'unknown';
  const params = paramsOf(record);
  if ('restApiId' in params) return 'v1';
  if ('apiId' in params) return 'v2';
  if ('template' in params || Object.keys(params).some((key) => key.endsWith('Input'))) return 'v1';
  const userAgent = record.userAgent ?? '';
  if (/apigatewayv2/i.test(userAgent)) return 'v2';
  if (/api\/api-?gateway#|command#apigateway\./i.test(userAgent)) return 'v1';
  return 'unknown';
}

// ─── Targets ────────────────────────────────────────────────────────────────────────────

type Targets = (record: CloudTrailRecord) => readonly Target[];

const restApiIdOf = (record: CloudTrailRecord) =>
  pathParam(record, 'restApiId') ?? responseField(record, 'id');
const v2ApiIdOf = (record: CloudTrailRecord) => pathParam(record, 'apiId') ?? responseField(record, 'apiId');
/** Path parameter (Update/Delete), v1 wrapped body or v2 flat body (Create), or the response. */
const stageNameOf = (record: CloudTrailRecord) =>
  pathParam(record, 'stageName') ?? bodyField(record, 'stageName') ?? responseField(record, 'stageName');
const domainNameOf = (record: CloudTrailRecord) =>
  pathParam(record, 'domainName') ?? bodyField(record, 'domainName') ?? responseField(record, 'domainName');

const restApi: Targets = (record) => {
  const apiId = restApiIdOf(record);
  return apiId === undefined ? [] : [{ kind: 'rest-api', region: record.awsRegion, apiId }];
};

const restStages: Targets = (record) => {
  const apiId = restApiIdOf(record);
  return apiId === undefined ? [] : [{ kind: 'rest-stages', region: record.awsRegion, apiId }];
};

const restApiAndStages: Targets = (record) => [...restApi(record), ...restStages(record)];

const restStage: Targets = (record) => {
  const apiId = restApiIdOf(record);
  const stageName = stageNameOf(record);
  if (apiId === undefined || stageName === undefined) return [];
  return [{ kind: 'rest-stage', region: record.awsRegion, apiId, stageName }];
};

/** Deploys to the named stage, or (console "new stage" flow, `stageName: ""`) to a stage created next. */
const restDeployment: Targets = (record) => {
  const apiId = restApiIdOf(record);
  if (apiId === undefined) return [];
  const stageName = bodyField(record, 'stageName');
  return stageName === undefined
    ? [{ kind: 'rest-stages', region: record.awsRegion, apiId }]
    : [{ kind: 'rest-stage', region: record.awsRegion, apiId, stageName }];
};

const v2Api: Targets = (record) => {
  const apiId = v2ApiIdOf(record);
  return apiId === undefined ? [] : [{ kind: 'v2-api', region: record.awsRegion, apiId }];
};

const v2Routes: Targets = (record) => {
  const apiId = v2ApiIdOf(record);
  return apiId === undefined ? [] : [{ kind: 'v2-routes', region: record.awsRegion, apiId }];
};

const v2ApiAndRoutes: Targets = (record) => [...v2Api(record), ...v2Routes(record)];

const v2Stage: Targets = (record) => {
  const apiId = v2ApiIdOf(record);
  const stageName = stageNameOf(record);
  if (apiId === undefined || stageName === undefined) return [];
  return [{ kind: 'v2-stage', region: record.awsRegion, apiId, stageName }];
};

/** A v2 deployment changes what a stage serves only when it names the stage. */
const v2Deployment: Targets = (record) => {
  const apiId = v2ApiIdOf(record);
  const stageName = pathParam(record, 'stageName');
  if (apiId === undefined || stageName === undefined) return [];
  return [{ kind: 'v2-stage', region: record.awsRegion, apiId, stageName }];
};

const v2Route: Targets = (record) => {
  const apiId = v2ApiIdOf(record);
  const routeId = pathParam(record, 'routeId') ?? responseField(record, 'routeId');
  if (apiId === undefined || routeId === undefined) return [];
  return [{ kind: 'v2-route', region: record.awsRegion, apiId, routeId }];
};

const domainName: Targets = (record) => {
  const name = domainNameOf(record);
  return name === undefined ? [] : [{ kind: 'domain-name', region: record.awsRegion, domainName: name }];
};

/** The domain, and the REST API mapped to it when the request or response names it. */
const basePathMapping: Targets = (record) => {
  const apiId = bodyField(record, 'restApiId') ?? responseField(record, 'restApiId');
  return [
    ...domainName(record),
    ...(apiId === undefined ? [] : [{ kind: 'rest-api', region: record.awsRegion, apiId } as const]),
  ];
};

/** The domain, and the HTTP/WebSocket API mapped to it when the request or response names it. */
const apiMapping: Targets = (record) => {
  const apiId = v2ApiIdOf(record);
  return [
    ...domainName(record),
    ...(apiId === undefined ? [] : [{ kind: 'v2-api', region: record.awsRegion, apiId } as const]),
  ];
};

/** The account settings, with the role they name read afresh (UpdateAccount can name another). */
const account: Targets = (record) => [
  { kind: 'account', region: record.awsRegion, reads: 'cloudwatch-role' },
];

/** A trail, by the name or ARN the request gives: it may log every region (multi-region, organization). */
const trail: Targets = (record) => {
  const name = pathParam(record, 'name', 'trailName', 'Name', 'TrailName');
  return name === undefined ? [] : [{ kind: 'trail', region: record.awsRegion, trail: name }];
};

/** An account-level CloudWatch Logs resource policy: HTTP API access log delivery depends on one. */
const logResourcePolicies: Targets = (record) => [
  { kind: 'account', region: record.awsRegion, reads: 'log-resource-policies' },
];

/** An IAM role, by name (a path-qualified ARN's last segment is the name IAM's calls take). */
const iamRole: Targets = (record) => {
  const roleName = pathParam(record, 'roleName', 'RoleName');
  return roleName === undefined ? [] : [{ kind: 'iam-role', region: record.awsRegion, roleName }];
};

/** TagResource/UntagResource: the tagged resource (the opt-out tag lives there). */
const taggedResource: Targets = (record) => {
  const arn = pathParam(record, 'resourceArn', 'resource-arn');
  const target = arn === undefined ? undefined : parseArn(arn)?.identity;
  return target === undefined ? [] : [target];
};

/** WAF association: only REST stages take a web ACL; load balancers, AppSync, Cognito… are not ours. */
const wafProtectedStage: Targets = (record) => {
  const arn = pathParam(record, 'resourceArn', 'ResourceArn');
  const target = arn === undefined ? undefined : parseArn(arn)?.identity;
  return target?.kind === 'rest-stage' ? [target] : [];
};

/**
 * A WAFv2 web ACL changed or was deleted: its ARN, built from the request's `name`, `id` and
 * `scope` (recorded in wafv2-DeleteWebACL-1.json). CloudFront-scoped ACLs cannot protect a stage.
 */
const webAcl: Targets = (record) => {
  const region = record.awsRegion;
  const given = pathParam(record, 'webACLArn', 'webAclArn', 'WebACLArn');
  if (given !== undefined) return [{ kind: 'web-acl', region, webAclArn: given }];
  const scope = pathParam(record, 'scope', 'Scope');
  const name = pathParam(record, 'name', 'Name');
  const id = pathParam(record, 'id', 'Id');
  const accountId = accountOf(record);
  if (scope !== 'REGIONAL' || name === undefined || id === undefined || accountId === undefined) return [];
  const webAclArn = arnIn('wafv2', region, accountId, `regional/webacl/${name}/${id}`);
  return [{ kind: 'web-acl', region, webAclArn }];
};

/** A deleted log group: the stages whose access logs it received (API Gateway's ARN form, no `:*`). */
const logGroup: Targets = (record) => {
  const region = record.awsRegion;
  const name = pathParam(record, 'logGroupName');
  const accountId = accountOf(record);
  if (name === undefined || accountId === undefined) return [];
  const logGroupArn = arnIn('logs', region, accountId, `log-group:${name}`);
  return [{ kind: 'log-group', region, logGroupArn }];
};

// ─── The table ──────────────────────────────────────────────────────────────────────────

const APIGATEWAY = 'apigateway.amazonaws.com';

const rest = (eventName: string, weakens: string, targets: Targets, noTarget?: string): CatalogEntry => ({
  eventSource: APIGATEWAY,
  eventName,
  api: 'v1',
  weakens,
  targets,
  ...(noTarget === undefined ? {} : { noTarget }),
});

const v2 = (eventName: string, weakens: string, targets: Targets, noTarget?: string): CatalogEntry => ({
  eventSource: APIGATEWAY,
  eventName,
  api: 'v2',
  weakens,
  targets,
  ...(noTarget === undefined ? {} : { noTarget }),
});

const NOT_JUDGED = 'not an API Gateway resource gatewatch judges';
const NOT_API_GATEWAY = 'not an API Gateway resource';
const PENDING = 'takes effect on stages at their next deployment (pending drift)';

export const eventCatalog: readonly CatalogEntry[] = [
  // ── REST APIs (v1): the API ──
  rest(
    'CreateRestApi',
    "A new REST API's resource policy, endpoint type and default execute-api endpoint.",
    restApi,
  ),
  rest(
    'UpdateRestApi',
    'The resource policy, endpoint type or default execute-api endpoint of a REST API, for every stage.',
    restApiAndStages,
  ),
  rest(
    'PutRestApi',
    `Replaces a REST API's definition (methods, authorizers, validators, policy); method changes ${PENDING}.`,
    restApiAndStages,
  ),
  rest(
    'ImportRestApi',
    "A REST API created from an OpenAPI file: its policy, endpoint type and methods' authorization.",
    restApiAndStages,
  ),
  rest('DeleteRestApi', 'Removes a REST API and its stages: their findings close.', restApiAndStages),
  // ── REST: stages and deployments ──
  rest(
    'CreateStage',
    'A new REST stage: logging, tracing, caching, throttling, client certificate and the deployment it serves.',
    restStage,
  ),
  rest(
    'UpdateStage',
    "A REST stage's execution and access logging, data trace, tracing, cache encryption, throttling, client certificate, variables or deployment.",
    restStage,
  ),
  rest('DeleteStage', 'Removes a REST stage (and its web ACL association): its findings close.', restStage),
  rest(
    'CreateDeployment',
    'Puts the working copy live on a stage: any undeployed method, authorizer or validator change.',
    restDeployment,
  ),
  // ── REST: methods, integrations, authorizers, validators (pending until deployed) ──
  rest(
    'PutMethod',
    `A method's authorization type, authorizer, API key or validator; ${PENDING}.`,
    restStages,
  ),
  rest(
    'UpdateMethod',
    `A method's authorization type, authorizer, API key or validator; ${PENDING}.`,
    restStages,
  ),
  rest('DeleteMethod', `Removes a method from the working copy; ${PENDING}.`, restStages),
  rest(
    'PutIntegration',
    `A method's backend (an HTTP backend over the internet needs a client certificate); ${PENDING}.`,
    restStages,
  ),
  rest(
    'UpdateIntegration',
    `A method's backend (an HTTP backend over the internet needs a client certificate); ${PENDING}.`,
    restStages,
  ),
  rest('UpdateAuthorizer', `An authorizer's type, identity source or function; ${PENDING}.`, restStages),
  rest('DeleteAuthorizer', `Removes an authorizer methods relied on; ${PENDING}.`, restStages),
  rest('UpdateRequestValidator', `Whether a validator checks bodies and parameters; ${PENDING}.`, restStages),
  rest('DeleteRequestValidator', `Removes a request validator methods relied on; ${PENDING}.`, restStages),
  // ── REST: account and custom domains ──
  rest(
    'UpdateAccount',
    'The CloudWatch role API Gateway uses to write execution logs, for every stage.',
    account,
  ),
  rest(
    'CreateBasePathMapping',
    "Maps a REST API to a custom domain: the domain's TLS and mTLS now front it.",
    basePathMapping,
  ),
  rest('UpdateBasePathMapping', 'Which REST API and stage a custom domain path serves.', basePathMapping),
  rest('DeleteBasePathMapping', 'Unmaps a REST API from a custom domain.', basePathMapping),
  // ── Both generations ──
  {
    eventSource: APIGATEWAY,
    eventName: 'CreateDomainName',
    api: 'any',
    weakens: "A new custom domain's TLS security policy, endpoint type and mutual TLS.",
    targets: domainName,
  },
  {
    eventSource: APIGATEWAY,
    eventName: 'UpdateDomainName',
    api: 'any',
    weakens: "A custom domain's TLS security policy, endpoint type or mutual TLS truststore.",
    targets: domainName,
  },
  {
    eventSource: APIGATEWAY,
    eventName: 'DeleteDomainName',
    api: 'any',
    weakens: 'Removes a custom domain: its findings close.',
    targets: domainName,
  },
  {
    eventSource: APIGATEWAY,
    eventName: 'TagResource',
    api: 'any',
    weakens: "A resource's tags, including gatewatch's opt-out tag.",
    targets: taggedResource,
    noTarget: NOT_JUDGED,
  },
  {
    eventSource: APIGATEWAY,
    eventName: 'UntagResource',
    api: 'any',
    weakens: "A resource's tags, including gatewatch's opt-out tag.",
    targets: taggedResource,
    noTarget: NOT_JUDGED,
  },
  // ── HTTP and WebSocket APIs (v2) ──
  v2(
    'CreateApi',
    'A new HTTP/WebSocket API (quick create adds an open $default route and an auto-deployed stage).',
    v2ApiAndRoutes,
  ),
  v2('UpdateApi', "An HTTP/WebSocket API's default execute-api endpoint and API-wide settings.", v2Api),
  v2(
    'ImportApi',
    "An HTTP API created from an OpenAPI file: its routes' authorization and integrations.",
    v2ApiAndRoutes,
  ),
  v2('ReimportApi', "Replaces an HTTP API's routes, authorizers and integrations.", v2ApiAndRoutes),
  v2('DeleteApi', 'Removes an HTTP/WebSocket API: its findings close.', v2ApiAndRoutes),
  v2(
    'CreateStage',
    'A new HTTP/WebSocket stage: access logging, throttling, execution logging (WebSocket).',
    v2Stage,
  ),
  v2(
    'UpdateStage',
    "An HTTP/WebSocket stage's access logging, throttling, execution logging, data trace or variables.",
    v2Stage,
  ),
  v2('DeleteStage', 'Removes an HTTP/WebSocket stage: its findings close.', v2Stage),
  v2('DeleteAccessLogSettings', "Turns an HTTP/WebSocket stage's access logging off.", v2Stage),
  v2('DeleteRouteSettings', "Removes a route's throttling and logging overrides on a stage.", v2Stage),
  v2(
    'CreateDeployment',
    'Puts route changes live on a stage that does not deploy automatically.',
    v2Deployment,
    'a deployment that names no stage changes nothing served',
  ),
  v2('CreateRoute', "A new route's authorization (NONE makes it open).", v2Route),
  v2('UpdateRoute', "A route's authorization type, authorizer or API key requirement.", v2Route),
  v2('DeleteRoute', 'Removes a route: its findings close.', v2Route),
  v2(
    'UpdateAuthorizer',
    "An authorizer's identity source, JWT issuer or audience, or function, for every route.",
    v2Routes,
  ),
  v2('DeleteAuthorizer', 'Removes an authorizer routes relied on.', v2Routes),
  v2('CreateIntegration', 'A private integration without TLS to its backend.', v2Api),
  v2('UpdateIntegration', "A private integration's TLS configuration.", v2Api),
  v2(
    'CreateApiMapping',
    "Maps an HTTP/WebSocket API to a custom domain: the domain's TLS now fronts it.",
    apiMapping,
  ),
  v2('UpdateApiMapping', 'Which HTTP/WebSocket API and stage a custom domain path serves.', apiMapping),
  v2('DeleteApiMapping', 'Unmaps an HTTP/WebSocket API from a custom domain.', apiMapping),
  // ── WAFv2 ──
  {
    eventSource: 'wafv2.amazonaws.com',
    eventName: 'AssociateWebACL',
    api: 'any',
    weakens: 'Replaces the web ACL protecting a REST stage.',
    targets: wafProtectedStage,
    noTarget: NOT_API_GATEWAY,
  },
  {
    eventSource: 'wafv2.amazonaws.com',
    eventName: 'DisassociateWebACL',
    api: 'any',
    weakens: 'Removes the web ACL protecting a REST stage.',
    targets: wafProtectedStage,
    noTarget: NOT_API_GATEWAY,
  },
  {
    eventSource: 'wafv2.amazonaws.com',
    eventName: 'UpdateWebACL',
    api: 'any',
    weakens: 'The rules and default action of a web ACL, on every stage it protects.',
    targets: webAcl,
    noTarget: 'not a regional web ACL (a CloudFront web ACL cannot protect a stage)',
  },
  {
    eventSource: 'wafv2.amazonaws.com',
    eventName: 'DeleteWebACL',
    api: 'any',
    weakens: 'Deletes a web ACL: the stages it protected lose it.',
    targets: webAcl,
    noTarget: 'not a regional web ACL (a CloudFront web ACL cannot protect a stage)',
  },
  // ── WAF Classic (regional) ──
  {
    eventSource: 'waf-regional.amazonaws.com',
    eventName: 'AssociateWebACL',
    api: 'any',
    weakens:
      'Replaces the WAF Classic web ACL of a REST stage (WAF Classic support ended on 30 September 2025).',
    targets: wafProtectedStage,
    noTarget: NOT_API_GATEWAY,
  },
  {
    eventSource: 'waf-regional.amazonaws.com',
    eventName: 'DisassociateWebACL',
    api: 'any',
    weakens:
      'Removes the WAF Classic web ACL of a REST stage (WAF Classic support ended on 30 September 2025).',
    targets: wafProtectedStage,
    noTarget: NOT_API_GATEWAY,
  },
  // ── CloudWatch Logs ──
  {
    eventSource: 'logs.amazonaws.com',
    eventName: 'DeleteLogGroup',
    api: 'any',
    weakens: 'Deletes a log group: stages writing access logs to it log nothing.',
    targets: logGroup,
  },
  ...(
    [
      [
        'DeleteResourcePolicy',
        'Deletes a CloudWatch Logs resource policy: HTTP API access logs may no longer be delivered.',
      ],
      [
        'PutResourcePolicy',
        'Replaces a CloudWatch Logs resource policy: HTTP API access log delivery may lose its grant.',
      ],
    ] as const
  ).map(
    ([eventName, weakens]): CatalogEntry => ({
      eventSource: 'logs.amazonaws.com',
      eventName,
      api: 'any',
      weakens,
      targets: logResourcePolicies,
    }),
  ),
  // ── The real-time path itself: CloudTrail ──
  ...(
    [
      ['StopLogging', 'Stops a trail: without a logging trail no change reaches gatewatch in real time.'],
      ['DeleteTrail', 'Deletes a trail: without a logging trail no change reaches gatewatch in real time.'],
      ['UpdateTrail', 'Can make a trail single-region or move it: regions it no longer logs go unwatched.'],
      [
        'PutEventSelectors',
        'Can stop a trail selecting management write events: the changes gatewatch judges.',
      ],
      ['StartLogging', 'Starts a trail again (resolves a stopped trail).'],
      ['CreateTrail', 'A new trail (resolves a region no trail logged).'],
    ] as const
  ).map(
    ([eventName, weakens]): CatalogEntry => ({
      eventSource: 'cloudtrail.amazonaws.com',
      eventName,
      api: 'any',
      weakens,
      targets: trail,
    }),
  ),
  // ── The CloudWatch Logs role: IAM (global; its events arrive in us-east-1) ──
  ...(
    [
      ['DeleteRole', 'Deletes a role: if the account settings name it, execution and access logs stop.'],
      [
        'UpdateAssumeRolePolicy',
        "Replaces a role's trust policy: if API Gateway can no longer assume the logs role, logging stops.",
      ],
      [
        'CreateRole',
        'A role created again under the name the account settings hold (resolves a deleted role).',
      ],
    ] as const
  ).map(
    ([eventName, weakens]): CatalogEntry => ({
      eventSource: 'iam.amazonaws.com',
      eventName,
      api: 'any',
      weakens,
      targets: iamRole,
    }),
  ),
];

// ─── Resolving an event ─────────────────────────────────────────────────────────────────

export type Resolution =
  | { readonly targets: readonly Target[]; readonly entry: CatalogEntry }
  | { readonly ignored: string };

const entriesByEvent = new Map<string, CatalogEntry[]>();
for (const entry of eventCatalog) {
  const key = `${entry.eventSource} ${entry.eventName}`;
  entriesByEvent.set(key, [...(entriesByEvent.get(key) ?? []), entry]);
}

function entryFor(record: CloudTrailRecord): CatalogEntry | { readonly ignored: string } {
  const candidates = entriesByEvent.get(`${record.eventSource} ${record.eventName}`) ?? [];
  if (candidates.length === 0) return { ignored: 'not catalogued' };
  const any = candidates.find((entry) => entry.api === 'any');
  if (any !== undefined) return any;
  const generation = generationOf(record);
  const matching = candidates.find((entry) => entry.api === generation);
  if (matching !== undefined) return matching;
  // Names used by one generation only (RestApi, Method, Route, ApiMapping…) need no telling apart.
  if (generation === 'unknown' && candidates.length === 1 && candidates[0] !== undefined)
    return candidates[0];
  return generation === 'unknown'
    ? { ignored: 'cannot tell a REST API call from an HTTP/WebSocket API call' }
    : { ignored: `not catalogued for ${generation === 'v1' ? 'REST APIs' : 'HTTP/WebSocket APIs'}` };
}

/** The resources an event points at, or why it is ignored. */
export function resolveEvent(record: CloudTrailRecord): Resolution {
  if (record.errorCode !== undefined && record.errorCode !== '') {
    return { ignored: `failed call (errorCode ${record.errorCode})` };
  }
  if (record.readOnly === true) return { ignored: 'read-only' };
  const entry = entryFor(record);
  if ('ignored' in entry) return entry;
  const seen = new Set<string>();
  const targets = entry.targets(record).filter((target) => {
    const key = targetKey(target);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (targets.length === 0) return { ignored: entry.noTarget ?? 'no resource identified in the request' };
  return { targets, entry };
}

// ─── EventBridge patterns ───────────────────────────────────────────────────────────────

/** EventBridge's default limit on an event pattern's length (adjustable up to 4096 on request). */
export const EVENT_PATTERN_MAX_CHARS = 2048;

/** Mutable arrays, as aws-cdk-lib's `events.EventPattern` takes them (each call builds new ones). */
export interface EventPattern {
  source: string[];
  'detail-type': string[];
  detail: {
    eventSource: string[];
    eventName: string[];
    errorCode: { exists: false }[];
  };
}

const patternFor = (eventSource: EventSource, eventNames: string[]): EventPattern => ({
  source: [eventBridgeSources[eventSource]],
  'detail-type': [CLOUDTRAIL_DETAIL_TYPE],
  detail: { eventSource: [eventSource], eventName: eventNames, errorCode: [{ exists: false }] },
});

/**
 * The EventBridge rule patterns, from the table: one per event source, split where one would
 * exceed EVENT_PATTERN_MAX_CHARS. Failed calls are filtered out by the pattern itself.
 */
export function eventPatterns(
  catalog: readonly CatalogEntry[] = eventCatalog,
  maxChars: number = EVENT_PATTERN_MAX_CHARS,
  sources: readonly EventSource[] = Object.keys(eventBridgeSources) as EventSource[],
): EventPattern[] {
  const patterns: EventPattern[] = [];
  for (const eventSource of sources) {
    const names = [
      ...new Set(catalog.filter((e) => e.eventSource === eventSource).map((e) => e.eventName)),
    ].sort();
    let chunk: string[] = [];
    for (const name of names) {
      if (chunk.length > 0 && JSON.stringify(patternFor(eventSource, [...chunk, name])).length > maxChars) {
        patterns.push(patternFor(eventSource, chunk));
        chunk = [];
      }
      chunk.push(name);
    }
    if (chunk.length > 0) patterns.push(patternFor(eventSource, chunk));
  }
  const tooLong = patterns.find((pattern) => JSON.stringify(pattern).length > maxChars);
  if (tooLong !== undefined) {
    throw new Error(
      `An EventBridge pattern for ${tooLong.detail.eventName.join(', ')} exceeds ${maxChars} characters.`,
    );
  }
  return patterns;
}

/** What GLOBAL_EVENTS_REGION forwards when it is not watched itself: IAM's and CloudTrail's events. */
export const globalRegionEventPatterns = (): EventPattern[] =>
  eventPatterns(eventCatalog, EVENT_PATTERN_MAX_CHARS, GLOBAL_REGION_EVENT_SOURCES);

// ─── Who did it, and what they asked for ────────────────────────────────────────────────

/** An assumed role's session ARN from its issuer's role ARN (STS drops the role's path). */
function sessionArn(issuerArn: string, session: string | undefined): string {
  const role = /^arn:([\w-]+):iam::(\d+):role\/(?:.*\/)?([^/]+)$/.exec(issuerArn);
  if (session === undefined) return issuerArn;
  if (role === null) return `${issuerArn}/${session}`;
  const [, partition, accountId, roleName] = role;
  return `arn:${partition}:sts::${accountId}:assumed-role/${roleName}/${session}`;
}

/**
 * The principal behind a call, never empty: its ARN; else the session ARN rebuilt from the
 * session issuer; else `type:principalId`; else the invoking service.
 */
export function actorOf(record: CloudTrailRecord): Actor {
  const identity = record.userIdentity;
  const issuerArn = nonEmpty(identity.sessionContext?.sessionIssuer?.arn);
  const principalId = nonEmpty(identity.principalId);
  const session = principalId?.includes(':') ? principalId.slice(principalId.indexOf(':') + 1) : undefined;
  const invokedBy = nonEmpty(identity.invokedBy);
  const principal =
    nonEmpty(identity.arn) ??
    (issuerArn === undefined ? undefined : sessionArn(issuerArn, session)) ??
    (principalId === undefined ? undefined : `${identity.type}:${principalId}`) ??
    (invokedBy === undefined ? undefined : `${identity.type}:${invokedBy}`) ??
    nonEmpty(identity.type) ??
    'unknown principal';
  return {
    principal,
    sourceIp: nonEmpty(record.sourceIPAddress) ?? null,
    userAgent: nonEmpty(record.userAgent) ?? null,
    invokedBy: invokedBy ?? null,
  };
}

export interface PatchOperation {
  readonly op: string;
  /** A JSON Pointer; `/` inside a segment is written `~1`. */
  readonly path: string;
  readonly value?: string;
  readonly from?: string;
}

function findPatchOperations(value: unknown, depth: number): unknown[] | undefined {
  if (depth > 4 || !isObject(value)) return undefined;
  if (Array.isArray(value.patchOperations)) return value.patchOperations;
  for (const child of Object.values(value)) {
    const found = findPatchOperations(child, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * The patch operations of a v1 Update* call, wherever CloudTrail puts them inside
 * `requestParameters` (unconfirmed), or [] when absent. Detail for messages only: the
 * resource is read afresh before it is judged.
 */
export function patchOperations(record: CloudTrailRecord): PatchOperation[] {
  const found = findPatchOperations(record.requestParameters, 0) ?? [];
  return found.flatMap((item): PatchOperation[] => {
    if (!isObject(item) || typeof item.op !== 'string' || typeof item.path !== 'string') return [];
    const asText = (v: unknown) =>
      v === undefined || v === null ? undefined : typeof v === 'string' ? v : JSON.stringify(v);
    const value = asText(item.value);
    const from = asText(item.from);
    return [
      {
        op: item.op,
        path: item.path,
        ...(value === undefined ? {} : { value }),
        ...(from === undefined ? {} : { from }),
      },
    ];
  });
}

/** The account an event happened in: the EventBridge envelope's, else the CloudTrail record's. */
export const eventAccount = (event: ParsedEvent): string =>
  event.envelope?.account ?? accountOf(event.record) ?? '';
