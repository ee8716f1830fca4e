// The normalised resource snapshots every rule reads. Collectors (live AWS reads, saved
// inventories, AWS Config items, CloudFormation templates) all build these same shapes, so
// a rule never knows where its input came from.

export type Protocol = 'REST' | 'HTTP' | 'WEBSOCKET';
export type LoggingLevel = 'OFF' | 'ERROR' | 'INFO';
export type EndpointType = 'EDGE' | 'REGIONAL' | 'PRIVATE';
export type Tags = Readonly<Record<string, string>>;

/** Where a resource lives and how AWS names it. */
interface Located {
  /** The ARN API Gateway, WAF and AWS Config use for this resource. */
  readonly arn: string;
  readonly region: string;
  readonly accountId: string;
  readonly tags: Tags;
}

/** Invocations counted over a recent window, for clean-up rules. `null` when not read. */
export interface InvocationCount {
  readonly count: number;
  /** The length of the window, in days. */
  readonly days: number;
  /** When the window starts (ISO 8601): an API created after it has not been observed for the whole window. */
  readonly windowStart: string;
}

/** An IAM policy document, parsed. Statements are kept loose: policies in the wild vary. */
export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: readonly PolicyStatement[];
}
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: '*' | Readonly<Record<string, string | readonly string[]>>;
  readonly NotPrincipal?: unknown;
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

// ─── REST APIs (API Gateway v1) ─────────────────────────────────────────────────────────

export interface RestApiSnapshot extends Located {
  readonly kind: 'rest-api';
  readonly protocol: 'REST';
  readonly apiId: string;
  readonly name: string;
  readonly endpointTypes: readonly EndpointType[];
  readonly vpcEndpointIds: readonly string[];
  /** The resource policy, or `null` when the API has none. */
  readonly policy: PolicyDocument | null;
  readonly disableExecuteApiEndpoint: boolean;
  /** Custom domain names with a base path mapping to this API. */
  readonly customDomainNames: readonly string[];
  /** ISO 8601, or `null` when unknown. */
  readonly createdDate: string | null;
  readonly invocations: InvocationCount | null;
}

export type AuthorizationType = 'NONE' | 'AWS_IAM' | 'CUSTOM' | 'COGNITO_USER_POOLS' | 'JWT';

export interface AuthorizerSnapshot {
  readonly authorizerId: string;
  readonly name: string;
  /** REST: TOKEN, REQUEST, COGNITO_USER_POOLS. HTTP/WebSocket: REQUEST, JWT. */
  readonly type: string;
}

export type IntegrationType = 'HTTP' | 'HTTP_PROXY' | 'AWS' | 'AWS_PROXY' | 'MOCK';

export interface RestIntegration {
  readonly type: IntegrationType;
  readonly connectionType: 'INTERNET' | 'VPC_LINK';
  readonly uri: string | null;
}

/** A method as a stage serves it (from the stage's deployment) or as the working copy holds it. */
export interface RestMethod {
  readonly resourcePath: string;
  readonly httpMethod: string;
  readonly authorizationType: AuthorizationType;
  /** The authorizer a CUSTOM or COGNITO_USER_POOLS method uses, when known. */
  readonly authorizer: AuthorizerSnapshot | null;
  readonly apiKeyRequired: boolean;
  /** The request validator in force, or `null` when the method validates nothing. */
  readonly requestValidator: {
    readonly validateRequestBody: boolean;
    readonly validateRequestParameters: boolean;
  } | null;
  readonly integration: RestIntegration | null;
}

/** The settings API Gateway applies per method, keyed like AWS keys them: `*\/*` or `~1pets/GET`. */
export interface MethodSetting {
  readonly loggingLevel?: LoggingLevel;
  readonly dataTraceEnabled?: boolean;
  readonly metricsEnabled?: boolean;
  readonly throttlingRateLimit?: number;
  readonly throttlingBurstLimit?: number;
  readonly cachingEnabled?: boolean;
  readonly cacheDataEncrypted?: boolean;
  readonly cacheTtlInSeconds?: number;
}

export interface AccessLogSettings {
  readonly destinationArn: string;
  readonly format: string;
  /** The destination log group was seen deleted (the stage still points at it, so its logs go nowhere). */
  readonly destinationMissing?: boolean;
}

/** The managed rule groups and rules of a WAFv2 web ACL, as far as rules need them. */
export interface WebAclSnapshot {
  readonly arn: string;
  readonly name: string;
  readonly defaultAction: 'ALLOW' | 'BLOCK';
  /** Managed rule groups as `Vendor:Name` (e.g. `AWS:AWSManagedRulesCommonRuleSet`), with whether they only count. */
  readonly managedRuleGroups: readonly { readonly name: string; readonly countOnly: boolean }[];
}

export interface RestStageSnapshot extends Located {
  readonly kind: 'rest-stage';
  readonly protocol: 'REST';
  readonly apiId: string;
  readonly apiName: string;
  readonly stageName: string;
  readonly deploymentId: string | null;
  /** The associated WAFv2 web ACL's ARN, or `null` when none is attached. */
  readonly webAclArn: string | null;
  /** The web ACL's contents, or `null` when none is attached or it could not be read. */
  readonly webAcl: WebAclSnapshot | null;
  readonly methodSettings: Readonly<Record<string, MethodSetting>>;
  readonly accessLog: AccessLogSettings | null;
  readonly tracingEnabled: boolean;
  readonly clientCertificateId: string | null;
  readonly cacheClusterEnabled: boolean;
  readonly variables: Readonly<Record<string, string>>;
  /**
   * What the stage serves. `deployment`: read from the stage's deployment. `working-copy`: only
   * the API's current definition could be read, and it stands in for the deployment.
   * `undeployed`: the working copy judged as if deployed, to report changes waiting for a
   * deployment (pending drift).
   */
  readonly methods: {
    readonly source: 'deployment' | 'working-copy' | 'undeployed';
    readonly served: readonly RestMethod[];
  };
}

// ─── HTTP and WebSocket APIs (API Gateway v2) ───────────────────────────────────────────

export interface V2Integration {
  readonly integrationId: string;
  readonly integrationType: IntegrationType;
  readonly connectionType: 'INTERNET' | 'VPC_LINK';
  readonly integrationUri: string | null;
  /** A private integration's TLS configuration (HTTP APIs): with one, API Gateway talks HTTPS to the target. */
  readonly tlsConfig: { readonly serverNameToVerify: string | null } | null;
}

export interface V2ApiSnapshot extends Located {
  readonly kind: 'v2-api';
  readonly protocol: 'HTTP' | 'WEBSOCKET';
  readonly apiId: string;
  readonly name: string;
  readonly disableExecuteApiEndpoint: boolean;
  readonly customDomainNames: readonly string[];
  readonly integrations: readonly V2Integration[];
  /** ISO 8601, or `null` when unknown. */
  readonly createdDate: string | null;
  readonly invocations: InvocationCount | null;
}

export interface RouteSetting {
  readonly loggingLevel?: LoggingLevel;
  readonly dataTraceEnabled?: boolean;
  readonly detailedMetricsEnabled?: boolean;
  readonly throttlingRateLimit?: number;
  readonly throttlingBurstLimit?: number;
}

export interface V2StageSnapshot extends Located {
  readonly kind: 'v2-stage';
  readonly protocol: 'HTTP' | 'WEBSOCKET';
  readonly apiId: string;
  readonly apiName: string;
  readonly stageName: string;
  readonly accessLog: AccessLogSettings | null;
  readonly defaultRouteSettings: RouteSetting;
  /** Per-route overrides, keyed by route key (`$connect`, `GET /pets`). */
  readonly routeSettings: Readonly<Record<string, RouteSetting>>;
  readonly variables: Readonly<Record<string, string>>;
  readonly autoDeploy: boolean;
}

export interface V2RouteSnapshot extends Located {
  readonly kind: 'v2-route';
  readonly protocol: 'HTTP' | 'WEBSOCKET';
  readonly apiId: string;
  readonly apiName: string;
  readonly routeId: string;
  readonly routeKey: string;
  readonly authorizationType: AuthorizationType;
  readonly authorizer: AuthorizerSnapshot | null;
  readonly apiKeyRequired: boolean;
}

// ─── Custom domains and the account ─────────────────────────────────────────────────────

export interface DomainNameSnapshot extends Located {
  readonly kind: 'domain-name';
  readonly domainName: string;
  /** e.g. `TLS_1_2`, `SecurityPolicy_TLS13_1_3_2025_09`. */
  readonly securityPolicy: string;
  readonly endpointType: EndpointType;
  readonly mutualTls: { readonly truststoreUri: string; readonly truststoreVersion: string | null } | null;
  readonly mappings: readonly { readonly apiId: string; readonly stage: string; readonly basePath: string }[];
}

export interface AccountSnapshot extends Located {
  readonly kind: 'account';
  /** The IAM role API Gateway uses to write execution logs, or `null` when none is set. */
  readonly cloudwatchRoleArn: string | null;
  // The logging path of this account and region. Each field is declared data: absent when the
  // collection did not read it (an older inventory, a read for an event that cannot change it).
  /** The role `cloudwatchRoleArn` names, as IAM has it. */
  readonly cloudwatchRole?: CloudwatchRoleCheck;
  /** The CloudTrail trails that log this region (its own, multi-region and organization trails); `null`: not readable. */
  readonly trails?: readonly TrailSnapshot[] | null;
  /** The account's CloudWatch Logs resource policies in this region; `null`: not readable. */
  readonly logResourcePolicies?: readonly LogResourcePolicy[] | null;
  /** The log groups (ARN without `:*`) HTTP API stages of this region write access logs to, with those stages. */
  readonly httpAccessLogGroups?: readonly HttpAccessLogGroup[];
}

/** What IAM says of the CloudWatch Logs role the account settings name. */
export type CloudwatchRoleCheck =
  | { readonly state: 'none-named' }
  | { readonly state: 'found'; readonly arn: string; readonly trustPolicy: PolicyDocument | null }
  /** IAM answered NoSuchEntity: the role was deleted (often with the stack that made it). */
  | { readonly state: 'missing' }
  /** `iam:GetRole` was denied or failed: the role's existence and trust are unknown. */
  | { readonly state: 'unreadable' };

export interface TrailSnapshot {
  readonly name: string;
  readonly arn: string;
  readonly homeRegion: string;
  readonly multiRegion: boolean;
  readonly organization: boolean;
  /** `GetTrailStatus.IsLogging`; `null` when the status could not be read. */
  readonly logging: boolean | null;
  /** `GetEventSelectors`; `null` when they could not be read. */
  readonly selectors: TrailSelectors | null;
}

/** A trail has basic event selectors or advanced ones, never both. */
export type TrailSelectors =
  | { readonly kind: 'basic'; readonly selectors: readonly BasicEventSelector[] }
  | { readonly kind: 'advanced'; readonly selectors: readonly AdvancedEventSelector[] };

export interface BasicEventSelector {
  readonly readWriteType: 'ReadOnly' | 'WriteOnly' | 'All';
  readonly includeManagementEvents: boolean;
  readonly excludeManagementEventSources: readonly string[];
}

export interface AdvancedEventSelector {
  readonly name: string | null;
  readonly fieldSelectors: readonly AdvancedFieldSelector[];
}

/** One condition of an advanced event selector, with CloudTrail's operators. */
export interface AdvancedFieldSelector {
  readonly field: string;
  readonly equals?: readonly string[];
  readonly startsWith?: readonly string[];
  readonly endsWith?: readonly string[];
  readonly notEquals?: readonly string[];
  readonly notStartsWith?: readonly string[];
  readonly notEndsWith?: readonly string[];
}

export interface LogResourcePolicy {
  readonly name: string;
  /** `null` when the document is not JSON. */
  readonly document: PolicyDocument | null;
}

export interface HttpAccessLogGroup {
  readonly logGroupArn: string;
  /** ARNs of the HTTP API stages that write access logs to it. */
  readonly stages: readonly string[];
}

// ─── Kinds ──────────────────────────────────────────────────────────────────────────────

export type Snapshot =
  | RestApiSnapshot
  | RestStageSnapshot
  | V2ApiSnapshot
  | V2StageSnapshot
  | V2RouteSnapshot
  | DomainNameSnapshot
  | AccountSnapshot;

/** Everything collected from one account and region (or several), normalised. */
export interface Estate {
  readonly restApis: readonly RestApiSnapshot[];
  readonly restStages: readonly RestStageSnapshot[];
  readonly v2Apis: readonly V2ApiSnapshot[];
  readonly v2Stages: readonly V2StageSnapshot[];
  readonly v2Routes: readonly V2RouteSnapshot[];
  readonly domainNames: readonly DomainNameSnapshot[];
  readonly accounts: readonly AccountSnapshot[];
}

export const emptyEstate: Estate = {
  restApis: [],
  restStages: [],
  v2Apis: [],
  v2Stages: [],
  v2Routes: [],
  domainNames: [],
  accounts: [],
};

/** Where each snapshot kind lives in an estate. */
const estateField = {
  'rest-api': 'restApis',
  'rest-stage': 'restStages',
  'v2-api': 'v2Apis',
  'v2-stage': 'v2Stages',
  'v2-route': 'v2Routes',
  'domain-name': 'domainNames',
  account: 'accounts',
} as const satisfies Record<Snapshot['kind'], keyof Estate>;

/**
 * The kinds of resource a rule can judge. `api` and `stage` span REST and HTTP/WebSocket
 * for the rules that apply to both; the others are one snapshot kind each.
 */
export const resourceKinds = {
  'rest-api': { label: 'REST API', configResourceTypes: ['AWS::ApiGateway::RestApi'], covers: ['rest-api'] },
  'rest-stage': {
    label: 'REST API stage',
    configResourceTypes: ['AWS::ApiGateway::Stage'],
    covers: ['rest-stage'],
  },
  'v2-api': {
    label: 'HTTP or WebSocket API',
    configResourceTypes: ['AWS::ApiGatewayV2::Api'],
    covers: ['v2-api'],
  },
  'v2-stage': {
    label: 'HTTP or WebSocket API stage',
    configResourceTypes: ['AWS::ApiGatewayV2::Stage'],
    covers: ['v2-stage'],
  },
  'v2-route': {
    label: 'HTTP or WebSocket API route',
    configResourceTypes: ['AWS::ApiGatewayV2::Route'],
    covers: ['v2-route'],
  },
  api: {
    label: 'REST, HTTP or WebSocket API',
    configResourceTypes: ['AWS::ApiGateway::RestApi', 'AWS::ApiGatewayV2::Api'],
    covers: ['rest-api', 'v2-api'],
  },
  stage: {
    label: 'REST, HTTP or WebSocket API stage',
    configResourceTypes: ['AWS::ApiGateway::Stage', 'AWS::ApiGatewayV2::Stage'],
    covers: ['rest-stage', 'v2-stage'],
  },
  'domain-name': {
    label: 'custom domain name',
    configResourceTypes: ['AWS::ApiGateway::DomainName'],
    covers: ['domain-name'],
  },
  account: {
    label: 'API Gateway account settings',
    // AWS Config does not record API Gateway's account settings: periodic evaluation only.
    configResourceTypes: [],
    covers: ['account'],
  },
} as const satisfies Record<string, ResourceKindInfo>;

interface ResourceKindInfo {
  readonly label: string;
  readonly configResourceTypes: readonly string[];
  /** The snapshot kinds a rule of this kind judges. */
  readonly covers: readonly Snapshot['kind'][];
}

export type ResourceKind = keyof typeof resourceKinds;
export type SnapshotOf<K extends ResourceKind> = Extract<
  Snapshot,
  { kind: (typeof resourceKinds)[K]['covers'][number] }
>;

/** Whether a rule of this kind judges this snapshot. */
export const kindCovers = (kind: ResourceKind, snapshot: Snapshot) =>
  (resourceKinds[kind].covers as readonly string[]).includes(snapshot.kind);

/** The snapshots of an estate that rules of this kind judge. */
export const snapshotsOf = (kind: ResourceKind, estate: Estate): readonly Snapshot[] =>
  (resourceKinds[kind].covers as readonly Snapshot['kind'][]).flatMap(
    (covered): readonly Snapshot[] => estate[estateField[covered]],
  );

/** A short name a person recognises: "stage prod of orders-api (a1b2c3)". */
export function describeResource(snapshot: Snapshot): string {
  switch (snapshot.kind) {
    case 'rest-api':
      return `REST API ${snapshot.name} (${snapshot.apiId})`;
    case 'v2-api':
      return `${snapshot.protocol === 'HTTP' ? 'HTTP' : 'WebSocket'} API ${snapshot.name} (${snapshot.apiId})`;
    case 'rest-stage':
      return `stage ${snapshot.stageName} of REST API ${snapshot.apiName} (${snapshot.apiId})`;
    case 'v2-stage':
      return `stage ${snapshot.stageName} of ${snapshot.protocol === 'HTTP' ? 'HTTP' : 'WebSocket'} API ${snapshot.apiName} (${snapshot.apiId})`;
    case 'v2-route':
      return `route ${snapshot.routeKey} of ${snapshot.protocol === 'HTTP' ? 'HTTP' : 'WebSocket'} API ${snapshot.apiName} (${snapshot.apiId})`;
    case 'domain-name':
      return `custom domain ${snapshot.domainName}`;
    case 'account':
      return `the API Gateway account settings of ${snapshot.accountId} in ${snapshot.region}`;
  }
}
