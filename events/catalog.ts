// THE table of CloudTrail management events that can weaken API Gateway security (or remove a
// judged resource, so its findings close), and what each one points at. The EventBridge rule
// patterns are generated from it (infra/event-patterns.ts), never typed again. An event is a
// trigger, not the truth: targets come from the request's path parameters (events/request-targets.ts),
// and the drift path reads the resources afresh. Read-only calls are not delivered by EventBridge
// and are not listed.

import type { ApiGeneration } from './request';
import {
  account,
  apiMapping,
  basePathMapping,
  domainName,
  iamRole,
  logGroup,
  logResourcePolicies,
  restApi,
  restApiAndStages,
  restDeployment,
  restStage,
  restStages,
  type Targets,
  taggedResource,
  trail,
  v2Api,
  v2ApiAndRoutes,
  v2Deployment,
  v2Route,
  v2Routes,
  v2Stage,
  wafProtectedStage,
  webAcl,
} from './request-targets';

export type EventSource =
  | 'apigateway.amazonaws.com'
  | 'wafv2.amazonaws.com'
  | 'waf-regional.amazonaws.com'
  | 'logs.amazonaws.com'
  | 'cloudtrail.amazonaws.com'
  | 'iam.amazonaws.com';

export interface CatalogEntry {
  readonly eventSource: EventSource;
  readonly eventName: string;
  /** `any`: the event means the same for both generations (domains, tags) or is not API Gateway's. */
  readonly api: ApiGeneration | 'any';
  /** What the call can weaken, in one line, for docs and notifications. */
  readonly weakens: string;
  /** The resources to read afresh. */
  readonly targets: Targets;
  /** Why an event of this kind can point at nothing gatewatch judges (reported when targets is empty). */
  readonly noTarget?: string;
}

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
