// What each remediation does, as the exact SDK calls, built from the resource as read just
// before acting, the last known good state (for `restore`) and the rule's parameters. One
// planner per rule id with a declared remediation; plans.test.ts checks that the two lists
// agree and that a plan only issues the operations its rule declares.
import type { Finding } from '../../rules/core/judge';
import type {
  AccountSnapshot,
  AuthorizationType,
  RestApiSnapshot,
  RestMethod,
  RestStageSnapshot,
  RouteSetting,
  Snapshot,
  V2ApiSnapshot,
  V2RouteSnapshot,
  V2StageSnapshot,
} from '../../rules/core/resources';
import type { AnyRule } from '../../rules/core/rule';
import { methodLabel } from '../../rules/core/text';
import { type PlannedCall, plannedCall } from './calls';

/** Finds the id of a REST API resource by its path in the working copy (a read, made only to apply). */
export interface ResourceIds {
  resourceId(region: string, apiId: string, path: string): Promise<string | undefined>;
}

export interface PlanContext {
  readonly rule: AnyRule;
  /** The resource as read just before acting. */
  readonly snapshot: Snapshot;
  /** The rule's verdict on that read. */
  readonly finding: Finding;
  // biome-ignore lint/suspicious/noExplicitAny: each planner knows its own rule's parameter shape.
  readonly params: any;
  /** The last snapshot of the resource the rule judged compliant, for `restore`; never guessed. */
  readonly knownGood?: Snapshot;
  /** The account settings of the region, read with the resource for rules that need the CloudWatch role. */
  readonly account?: AccountSnapshot;
  /** Every stage of the REST API, read with its working copy, for rules that deploy. */
  readonly stages?: readonly RestStageSnapshot[];
  /** ARNs of REST stages whose working copy holds changes they do not serve yet. */
  readonly undeployed?: readonly string[];
  /** The CloudWatch Logs role gatewatch deploys for API Gateway, when the settings name none. */
  readonly cloudwatchRoleArn?: string;
  readonly resourceIds: ResourceIds;
}

export type Plan =
  | { readonly kind: 'calls'; readonly calls: readonly PlannedCall[]; readonly notes: readonly string[] }
  /** Nothing can be done safely: the reason is what the notification says instead. */
  | { readonly kind: 'refused'; readonly reason: string };

export interface Planner {
  /** Reads the plan needs beside the resource: the account settings, every stage of a REST API. */
  readonly needs: { readonly account?: boolean; readonly apiStages?: boolean };
  plan(context: PlanContext): Promise<Plan>;
}

const calls = (list: readonly PlannedCall[], notes: readonly string[] = []): Plan => ({
  kind: 'calls',
  calls: list,
  notes,
});
const refuse = (reason: string): Plan => ({ kind: 'refused', reason });

const rank = { OFF: 0, ERROR: 1, INFO: 2 } as const;
const weaker = (level: keyof typeof rank | undefined, minimum: keyof typeof rank) =>
  rank[level ?? 'OFF'] < rank[minimum];

/** "stage prod of API k3x9p2a7qd" */
const stageName = (stage: { stageName: string; apiId: string }) =>
  `stage ${stage.stageName} of API ${stage.apiId}`;

function expect<K extends Snapshot['kind']>(snapshot: Snapshot, kind: K): Extract<Snapshot, { kind: K }> {
  if (snapshot.kind !== kind) throw new Error(`expected a ${kind} snapshot, got ${snapshot.kind}`);
  return snapshot as Extract<Snapshot, { kind: K }>;
}

// ─── The account's CloudWatch Logs role: logging does nothing without it ─────────────────

/** The role remediation sets: the rule's roleArn parameter, else the one gatewatch deploys. */
const roleToSet = (context: Pick<PlanContext, 'cloudwatchRoleArn'>, configured?: string) =>
  configured ?? context.cloudwatchRoleArn;

const updateAccount = (roleArn: string, region: string) =>
  plannedCall(
    'apigateway:UpdateAccount',
    { patchOperations: [{ op: 'replace', path: '/cloudwatchRoleArn', value: roleArn }] },
    `account settings in ${region}: /cloudwatchRoleArn → ${roleArn}`,
  );

/**
 * Logging fixes on REST and WebSocket stages first set the account's CloudWatch Logs role when
 * it is missing (API Gateway refuses to turn execution logging on without it).
 */
function withAccountRole(
  context: PlanContext,
  region: string,
  plan: () => Plan,
  configuredRole?: string,
): Plan {
  const { account } = context;
  if (!account) {
    return refuse(
      `The account settings of ${region} could not be read, so gatewatch cannot tell whether API Gateway may write logs; nothing was changed.`,
    );
  }
  const inner = plan();
  if (inner.kind === 'refused' || account.cloudwatchRoleArn) return inner;
  const role = roleToSet(context, configuredRole);
  if (!role) {
    return refuse(
      `The API Gateway account settings of ${region} name no CloudWatch Logs role, so logs would not be written; ` +
        'set the roleArn parameter of account-cloudwatch-role (or deploy gatewatch, which creates one).',
    );
  }
  return calls(
    [updateAccount(role, region), ...inner.calls],
    [
      `The account settings named no CloudWatch Logs role; ${role} is set first, since logging does nothing without it.`,
      ...inner.notes,
    ],
  );
}

// ─── Access log formats ─────────────────────────────────────────────────────────────────

const REST_FIELDS: Record<string, string> = {
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  caller: '$context.identity.caller',
  user: '$context.identity.user',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
};

const V2_FIELDS: Record<string, string> = {
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  routeKey: '$context.routeKey',
  status: '$context.status',
  responseLength: '$context.responseLength',
};

const WEBSOCKET_FIELDS: Record<string, string> = {
  ...V2_FIELDS,
  eventType: '$context.eventType',
  connectionId: '$context.connectionId',
};

/** A JSON access log format with the usual fields and every required variable. */
export function jsonAccessLogFormat(fields: Record<string, string>, required: readonly string[]): string {
  const all = { ...fields };
  const present = new Set(Object.values(all));
  for (const variable of required) {
    if (present.has(variable)) continue;
    all[variable.replace(/^\$context\./, '').replace(/[^A-Za-z0-9]+/g, '_')] = variable;
    present.add(variable);
  }
  return JSON.stringify(all);
}

/** The stage's destination when it still exists, else the configured one. */
function destinationOf(
  accessLog: { destinationArn: string; destinationMissing?: boolean } | null,
  configured: string | undefined,
) {
  if (accessLog?.destinationArn && !accessLog.destinationMissing) return accessLog.destinationArn;
  return configured;
}

// ─── REST stages ────────────────────────────────────────────────────────────────────────

const restStageUpdate = (stage: RestStageSnapshot, ops: { path: string; value: string }[], what: string) =>
  plannedCall(
    'apigateway:UpdateStage',
    {
      restApiId: stage.apiId,
      stageName: stage.stageName,
      patchOperations: ops.map((op) => ({ op: 'replace', path: op.path, value: op.value })),
    },
    `${stageName(stage)}: ${what}`,
  );

const opsLine = (ops: { path: string; value: string }[]) =>
  ops.map((op) => `${op.path} → ${op.value}`).join(', ');

const restExecutionLogging: Planner = {
  needs: { account: true },
  async plan(context) {
    const stage = expect(context.snapshot, 'rest-stage');
    const minimum = context.params.minimumLevel as 'ERROR' | 'INFO';
    return withAccountRole(context, stage.region, () => {
      // The stage default (OFF when unset) and every override that sets a weaker level.
      const ops = Object.entries({ '*/*': stage.methodSettings['*/*'] ?? {}, ...stage.methodSettings })
        .filter(([key, setting]) =>
          key === '*/*'
            ? weaker(setting.loggingLevel, minimum)
            : setting.loggingLevel !== undefined && weaker(setting.loggingLevel, minimum),
        )
        .map(([key]) => ({ path: `/${key}/logging/loglevel`, value: minimum }));
      if (ops.length === 0)
        return refuse(`${stageName(stage)} already logs at ${minimum} or more for every method.`);
      return calls([restStageUpdate(stage, ops, opsLine(ops))]);
    });
  },
};

const restAccessLogging: Planner = {
  needs: { account: true },
  async plan(context) {
    const stage = expect(context.snapshot, 'rest-stage');
    const destination = destinationOf(stage.accessLog, context.params.defaultDestinationArn);
    const build = () => {
      if (!destination) {
        return refuse(
          `${stageName(stage)} has no access log destination and the rule's defaultDestinationArn is not set; gatewatch never picks a log group on its own.`,
        );
      }
      const format = jsonAccessLogFormat(REST_FIELDS, context.params.requiredVariables);
      const ops = [
        { path: '/accessLogSettings/destinationArn', value: destination },
        { path: '/accessLogSettings/format', value: format },
      ];
      return calls([
        restStageUpdate(
          stage,
          ops,
          `access logs in JSON (${Object.keys(JSON.parse(format)).length} fields) to ${destination}`,
        ),
      ]);
    };
    // Only CloudWatch Logs destinations need the account's role; a Firehose stream does not.
    if (destination && !/:logs:/.test(destination)) return build();
    return withAccountRole(context, stage.region, build);
  },
};

const restDataTrace: Planner = {
  needs: {},
  async plan(context) {
    const stage = expect(context.snapshot, 'rest-stage');
    const ops = Object.entries(stage.methodSettings)
      .filter(([, setting]) => setting.dataTraceEnabled === true)
      .map(([key]) => ({ path: `/${key}/logging/dataTrace`, value: 'false' }));
    if (ops.length === 0) return refuse(`${stageName(stage)} has data tracing off already.`);
    return calls([restStageUpdate(stage, ops, opsLine(ops))]);
  },
};

const restXray: Planner = {
  needs: {},
  async plan(context) {
    const stage = expect(context.snapshot, 'rest-stage');
    const ops = [{ path: '/tracingEnabled', value: 'true' }];
    return calls([restStageUpdate(stage, ops, opsLine(ops))]);
  },
};

const restCacheEncrypted: Planner = {
  needs: {},
  async plan(context) {
    const stage = expect(context.snapshot, 'rest-stage');
    const stageDefault = stage.methodSettings['*/*'] ?? {};
    // The stage default first; an override inherits it unless it says false itself.
    const ops = [{ path: '/*/*/caching/dataEncrypted', value: 'true' }];
    for (const [key, setting] of Object.entries(stage.methodSettings)) {
      if (key === '*/*') continue;
      const caching = setting.cachingEnabled ?? stageDefault.cachingEnabled ?? false;
      if (caching && setting.cacheDataEncrypted === false) {
        ops.push({ path: `/${key}/caching/dataEncrypted`, value: 'true' });
      }
    }
    return calls([restStageUpdate(stage, ops, opsLine(ops))]);
  },
};

const restWafAttached: Planner = {
  needs: {},
  async plan(context) {
    const stage = expect(context.snapshot, 'rest-stage');
    const allowed = context.params.allowedWebAclArns as string[];
    const before = context.knownGood?.kind === 'rest-stage' ? context.knownGood.webAclArn : null;
    const usable = (arn: string | null | undefined): arn is string =>
      Boolean(arn) && (allowed.length === 0 || allowed.includes(arn as string));
    const [webAclArn, source] = usable(before)
      ? [before, 'the web ACL attached before the drift']
      : usable(context.params.defaultWebAclArn)
        ? [context.params.defaultWebAclArn as string, 'the configured defaultWebAclArn']
        : [undefined, ''];
    if (!webAclArn) {
      return refuse(
        `gatewatch knows no web ACL that was attached to ${stageName(stage)} before, and the rule's defaultWebAclArn is not set; it does not guess.`,
      );
    }
    return calls([
      plannedCall(
        'wafv2:AssociateWebACL',
        { WebACLArn: webAclArn, ResourceArn: stage.arn },
        `${stageName(stage)}: associate ${webAclArn} (${source})`,
      ),
    ]);
  },
};

// ─── REST method authorization: restore, then deploy ────────────────────────────────────

const AUTHORIZING: readonly AuthorizationType[] = ['AWS_IAM', 'CUSTOM', 'COGNITO_USER_POOLS'];

/** Refuses when deploying would also ship changes the stage does not serve yet. */
function undeployedGuard(context: PlanContext, stage: RestStageSnapshot): string | undefined {
  if (!context.stages) return `the working copy of API ${stage.apiId} could not be read`;
  if (context.undeployed?.includes(stage.arn)) {
    return `the working copy of API ${stage.apiId} holds changes ${stageName(stage)} does not serve yet, and a deployment would ship them too`;
  }
  return undefined;
}

const restMethodAuthorization: Planner = {
  needs: { apiStages: true },
  async plan(context) {
    const stage = expect(context.snapshot, 'rest-stage');
    const good = context.knownGood?.kind === 'rest-stage' ? context.knownGood : undefined;
    if (!good) {
      return refuse(
        `gatewatch has no record of ${stageName(stage)} serving its methods with authorization, so it does not know which authorizer to put back; it does not guess.`,
      );
    }
    const observed = (context.finding.observed ?? {}) as { open?: string[]; apiKeyOnly?: string[] };
    const failing = new Set([...(observed.open ?? []), ...(observed.apiKeyOnly ?? [])]);
    const open = stage.methods.served.filter((method) => failing.has(methodLabel(method)));
    const restorable: { method: RestMethod; before: RestMethod }[] = [];
    const unknown: string[] = [];
    for (const method of open) {
      const before = good.methods.served.find(
        (candidate) =>
          candidate.httpMethod === method.httpMethod && candidate.resourcePath === method.resourcePath,
      );
      const usable =
        before &&
        AUTHORIZING.includes(before.authorizationType) &&
        (before.authorizationType === 'AWS_IAM' || before.authorizer !== null);
      if (before && usable) restorable.push({ method, before });
      else unknown.push(methodLabel(method));
    }
    if (restorable.length === 0) {
      return refuse(
        `gatewatch knows no earlier authorizer for ${[...failing].join(', ')} on ${stageName(stage)}; it does not guess.`,
      );
    }
    const blocked = undeployedGuard(context, stage);
    if (blocked)
      return refuse(`Restoring authorization needs a deployment, but ${blocked}; nothing was changed.`);

    const updates: PlannedCall[] = [];
    for (const { method, before } of restorable) {
      const resourceId = await context.resourceIds.resourceId(stage.region, stage.apiId, method.resourcePath);
      if (!resourceId) {
        return refuse(
          `${method.resourcePath} is no longer in the working copy of API ${stage.apiId}; nothing was changed.`,
        );
      }
      const authorizerId =
        before.authorizationType === 'AWS_IAM' ? undefined : before.authorizer?.authorizerId;
      updates.push(
        plannedCall(
          'apigateway:UpdateMethod',
          {
            restApiId: stage.apiId,
            resourceId,
            httpMethod: method.httpMethod,
            patchOperations: [
              { op: 'replace', path: '/authorizationType', value: before.authorizationType },
              ...(authorizerId
                ? [{ op: 'replace' as const, path: '/authorizerId', value: authorizerId }]
                : []),
            ],
          },
          `${methodLabel(method)} of API ${stage.apiId}: authorization ${method.authorizationType} → ${before.authorizationType}${
            before.authorizer
              ? ` (authorizer ${before.authorizer.name}, ${before.authorizer.authorizerId})`
              : ''
          }`,
        ),
      );
    }
    const labels = restorable.map(({ method }) => methodLabel(method)).join(', ');
    return calls(
      [
        ...updates,
        plannedCall(
          'apigateway:CreateDeployment',
          {
            restApiId: stage.apiId,
            stageName: stage.stageName,
            description: `gatewatch: restore authorization on ${labels}`.slice(0, 1024),
          },
          `${stageName(stage)}: deploy the working copy, which differs from what the stage serves only by the restored authorization`,
        ),
      ],
      unknown.length > 0
        ? [
            `gatewatch knows no earlier authorizer for ${unknown.join(', ')}: left as they are, for a person to decide.`,
          ]
        : [],
    );
  },
};

// ─── HTTP and WebSocket ─────────────────────────────────────────────────────────────────

/** The SDK shape of a route setting: everything the stage has, so nothing else changes. */
function routeSettingsInput(setting: RouteSetting, change: Partial<RouteSetting>) {
  const merged = { ...setting, ...change };
  return {
    ...(merged.dataTraceEnabled === undefined ? {} : { DataTraceEnabled: merged.dataTraceEnabled }),
    ...(merged.detailedMetricsEnabled === undefined
      ? {}
      : { DetailedMetricsEnabled: merged.detailedMetricsEnabled }),
    ...(merged.loggingLevel === undefined ? {} : { LoggingLevel: merged.loggingLevel }),
    ...(merged.throttlingBurstLimit === undefined
      ? {}
      : { ThrottlingBurstLimit: merged.throttlingBurstLimit }),
    ...(merged.throttlingRateLimit === undefined ? {} : { ThrottlingRateLimit: merged.throttlingRateLimit }),
  };
}

function v2RouteSettingsUpdate(
  stage: V2StageSnapshot,
  change: Partial<RouteSetting>,
  needsChange: { readonly stageDefault: boolean; readonly route: (setting: RouteSetting) => boolean },
  what: string,
): PlannedCall | undefined {
  const routes = Object.entries(stage.routeSettings).filter(([, setting]) => needsChange.route(setting));
  const stageDefault = needsChange.stageDefault;
  if (!stageDefault && routes.length === 0) return undefined;
  const parts = [
    ...(stageDefault ? ['stage default'] : []),
    ...routes.map(([routeKey]) => `route ${routeKey}`),
  ];
  return plannedCall(
    'apigatewayv2:UpdateStage',
    {
      ApiId: stage.apiId,
      StageName: stage.stageName,
      ...(stageDefault
        ? { DefaultRouteSettings: routeSettingsInput(stage.defaultRouteSettings, change) }
        : {}),
      ...(routes.length > 0
        ? {
            RouteSettings: Object.fromEntries(
              routes.map(([routeKey, setting]) => [routeKey, routeSettingsInput(setting, change)]),
            ),
          }
        : {}),
    },
    `${stageName(stage)}: ${what} for ${parts.join(', ')}`,
  );
}

const websocketExecutionLogging: Planner = {
  needs: { account: true },
  async plan(context) {
    const stage = expect(context.snapshot, 'v2-stage');
    const minimum = context.params.minimumLevel as 'ERROR' | 'INFO';
    return withAccountRole(context, stage.region, () => {
      const call = v2RouteSettingsUpdate(
        stage,
        { loggingLevel: minimum },
        {
          stageDefault: weaker(stage.defaultRouteSettings.loggingLevel, minimum),
          route: (setting) => setting.loggingLevel !== undefined && weaker(setting.loggingLevel, minimum),
        },
        `LoggingLevel → ${minimum}`,
      );
      return call ? calls([call]) : refuse(`${stageName(stage)} already logs at ${minimum} or more.`);
    });
  },
};

const v2DataTrace: Planner = {
  needs: {},
  async plan(context) {
    const stage = expect(context.snapshot, 'v2-stage');
    const call = v2RouteSettingsUpdate(
      stage,
      { dataTraceEnabled: false },
      {
        stageDefault: stage.defaultRouteSettings.dataTraceEnabled === true,
        route: (setting) => setting.dataTraceEnabled === true,
      },
      'DataTraceEnabled → false',
    );
    return call ? calls([call]) : refuse(`${stageName(stage)} has data tracing off already.`);
  },
};

const v2AccessLogging: Planner = {
  needs: { account: true },
  async plan(context) {
    const stage = expect(context.snapshot, 'v2-stage');
    const destination = destinationOf(stage.accessLog, context.params.defaultDestinationArn);
    const build = () => {
      if (!destination) {
        return refuse(
          `${stageName(stage)} has no access log destination and the rule's defaultDestinationArn is not set; gatewatch never picks a log group on its own.`,
        );
      }
      const fields = stage.protocol === 'WEBSOCKET' ? WEBSOCKET_FIELDS : V2_FIELDS;
      const format = jsonAccessLogFormat(fields, context.params.requiredVariables);
      return calls([
        plannedCall(
          'apigatewayv2:UpdateStage',
          {
            ApiId: stage.apiId,
            StageName: stage.stageName,
            AccessLogSettings: { DestinationArn: destination, Format: format },
          },
          `${stageName(stage)}: access logs in JSON (${Object.keys(JSON.parse(format)).length} fields) to ${destination}`,
        ),
      ]);
    };
    // HTTP APIs write access logs without the account's role; WebSocket APIs need it.
    if (stage.protocol === 'HTTP') return build();
    return withAccountRole(context, stage.region, build);
  },
};

const v2RouteAuthorization: Planner = {
  needs: {},
  async plan(context) {
    const route = expect(context.snapshot, 'v2-route');
    const good = context.knownGood?.kind === 'v2-route' ? (context.knownGood as V2RouteSnapshot) : undefined;
    if (!good || good.authorizationType === 'NONE') {
      return refuse(
        `gatewatch has no record of route ${route.routeKey} of API ${route.apiId} with authorization, so it does not know what to put back; it does not guess.`,
      );
    }
    if (good.authorizationType !== 'AWS_IAM' && !good.authorizer) {
      return refuse(
        `The earlier ${good.authorizationType} authorization of route ${route.routeKey} named no authorizer gatewatch could read; it does not guess.`,
      );
    }
    return calls(
      [
        plannedCall(
          'apigatewayv2:UpdateRoute',
          {
            ApiId: route.apiId,
            RouteId: route.routeId,
            AuthorizationType: good.authorizationType as 'AWS_IAM' | 'CUSTOM' | 'JWT',
            ...(good.authorizer && good.authorizationType !== 'AWS_IAM'
              ? { AuthorizerId: good.authorizer.authorizerId }
              : {}),
          },
          `route ${route.routeKey} of API ${route.apiId}: authorization ${route.authorizationType} → ${good.authorizationType}${
            good.authorizer ? ` (authorizer ${good.authorizer.name}, ${good.authorizer.authorizerId})` : ''
          }`,
        ),
      ],
      [
        'Stages with automatic deployment serve the restored authorization at once; others at their next deployment, which gatewatch does not make. JWT authorization scopes are not part of the baseline: check them.',
      ],
    );
  },
};

// ─── APIs, custom domains and the account ───────────────────────────────────────────────

const apiDefaultEndpoint: Planner = {
  needs: { apiStages: true },
  async plan(context) {
    const api = context.snapshot as RestApiSnapshot | V2ApiSnapshot;
    if (api.kind === 'v2-api') {
      return calls(
        [
          plannedCall(
            'apigatewayv2:UpdateApi',
            { ApiId: api.apiId, DisableExecuteApiEndpoint: true },
            `API ${api.apiId}: DisableExecuteApiEndpoint → true`,
          ),
        ],
        [
          'Stages with automatic deployment apply it at once; others at their next deployment, which gatewatch does not make.',
        ],
      );
    }
    const update = plannedCall(
      'apigateway:UpdateRestApi',
      {
        restApiId: api.apiId,
        patchOperations: [{ op: 'replace', path: '/disableExecuteApiEndpoint', value: 'true' }],
      },
      `API ${api.apiId}: /disableExecuteApiEndpoint → true`,
    );
    if (!context.stages)
      return refuse(`The stages of API ${api.apiId} could not be read; nothing was changed.`);
    if (context.stages.length === 0)
      return calls([update], ['The API has no stage, so nothing serves it yet.']);
    // The setting takes effect when a stage is updated; a deployment to a stage that serves
    // exactly the working copy changes nothing else.
    const clean = [...context.stages]
      .sort((a, b) => a.stageName.localeCompare(b.stageName))
      .find((stage) => !undeployedGuard(context, stage));
    if (!clean) {
      return refuse(
        `Turning the default endpoint off takes effect at a deployment, but the working copy of API ${api.apiId} holds changes that no stage serves yet, and a deployment would ship them; nothing was changed.`,
      );
    }
    return calls([
      update,
      plannedCall(
        'apigateway:CreateDeployment',
        {
          restApiId: api.apiId,
          stageName: clean.stageName,
          description: 'gatewatch: apply disableExecuteApiEndpoint',
        },
        `${stageName(clean)}: deploy the working copy it already serves, so the setting takes effect`,
      ),
    ]);
  },
};

const domainTlsPolicy: Planner = {
  needs: {},
  async plan(context) {
    const domain = expect(context.snapshot, 'domain-name');
    const allowed = context.params.allowedSecurityPolicies as string[];
    if (!allowed.includes('TLS_1_2')) {
      return refuse(
        `The rule's allowedSecurityPolicies do not allow TLS_1_2, the policy remediation sets, so custom domain ${domain.domainName} is left for a person to change.`,
      );
    }
    return calls([
      plannedCall(
        'apigateway:UpdateDomainName',
        {
          domainName: domain.domainName,
          patchOperations: [{ op: 'replace', path: '/securityPolicy', value: 'TLS_1_2' }],
        },
        `custom domain ${domain.domainName}: /securityPolicy ${domain.securityPolicy} → TLS_1_2`,
      ),
    ]);
  },
};

const accountCloudwatchRole: Planner = {
  needs: {},
  async plan(context) {
    const account = expect(context.snapshot, 'account');
    const role = roleToSet(context, context.params.roleArn);
    if (!role) {
      return refuse(
        `The rule's roleArn parameter is not set and gatewatch's own CloudWatch Logs role is not known here, so the account settings of ${account.region} are left for a person to change.`,
      );
    }
    if (account.cloudwatchRoleArn === role) {
      // The named role is the one that is deleted or no longer trusts API Gateway: naming it
      // again changes nothing (and API Gateway refuses a role it cannot assume).
      return refuse(
        `The account settings of ${account.region} already name ${role}, which is missing or not trusted by API Gateway; recreate the role or fix its trust policy.`,
      );
    }
    return calls([updateAccount(role, account.region)]);
  },
};

/** Every remediation, by rule id. */
export const planners: Readonly<Record<string, Planner>> = {
  'rest-stage-waf-attached': restWafAttached,
  'rest-method-authorization': restMethodAuthorization,
  'rest-stage-execution-logging': restExecutionLogging,
  'rest-stage-access-logging': restAccessLogging,
  'rest-stage-data-trace-disabled': restDataTrace,
  'rest-stage-xray-tracing': restXray,
  'rest-stage-cache-encrypted': restCacheEncrypted,
  'v2-route-authorization': v2RouteAuthorization,
  'v2-stage-access-logging': v2AccessLogging,
  'websocket-stage-execution-logging': websocketExecutionLogging,
  'v2-stage-data-trace-disabled': v2DataTrace,
  'api-default-endpoint-disabled': apiDefaultEndpoint,
  'domain-tls-policy': domainTlsPolicy,
  'account-cloudwatch-role': accountCloudwatchRole,
};
