// What the remediation plans of several rules share: the plan results, the calls that update a
// stage, the account's CloudWatch Logs role that logging fixes set first, and the check that a
// deployment ships nothing else. Plain data only; each rule's own plan sits beside its evaluate.
import { type PlannedCall, plannedCall } from './remediation-calls';
import type { LoggingLevel, RestStageSnapshot, RouteSetting, V2StageSnapshot } from './resources';
import type { Plan, PlanContext } from './rule';

export const planCalls = <T extends PlannedCall>(
  list: readonly T[],
  notes: readonly string[] = [],
): Plan<T> => ({
  kind: 'calls',
  calls: list,
  notes,
});

export const refuse = (reason: string): Plan<never> => ({ kind: 'refused', reason });

const rank: Record<LoggingLevel, number> = { OFF: 0, ERROR: 1, INFO: 2 };

/** Whether a logging level (OFF when unset) is below the minimum. */
export const weaker = (level: LoggingLevel | undefined, minimum: LoggingLevel) =>
  rank[level ?? 'OFF'] < rank[minimum];

/** "stage prod of API k3x9p2a7qd" */
export const stageName = (stage: { stageName: string; apiId: string }) =>
  `stage ${stage.stageName} of API ${stage.apiId}`;

// ─── The account's CloudWatch Logs role: logging does nothing without it ─────────────────

/** The role remediation sets: the rule's roleArn parameter, else the one gatewatch deploys. */
export const roleToSet = (context: Pick<PlanContext, 'cloudwatchRoleArn'>, configured?: string) =>
  configured ?? context.cloudwatchRoleArn;

export const updateAccount = (roleArn: string, region: string) =>
  plannedCall(
    'apigateway:UpdateAccount',
    { patchOperations: [{ op: 'replace', path: '/cloudwatchRoleArn', value: roleArn }] },
    `account settings in ${region}: /cloudwatchRoleArn → ${roleArn}`,
  );

/**
 * Logging fixes on REST and WebSocket stages first set the account's CloudWatch Logs role when
 * it is missing (API Gateway refuses to turn execution logging on without it).
 */
export function withAccountRole<T extends PlannedCall>(
  context: Pick<PlanContext, 'account' | 'cloudwatchRoleArn'>,
  region: string,
  plan: () => Plan<T>,
  configuredRole?: string,
): Plan<T | PlannedCall<'apigateway:UpdateAccount'>> {
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
  return planCalls<T | PlannedCall<'apigateway:UpdateAccount'>>(
    [updateAccount(role, region), ...inner.calls],
    [
      `The account settings named no CloudWatch Logs role; ${role} is set first, since logging does nothing without it.`,
      ...inner.notes,
    ],
  );
}

// ─── REST stages ────────────────────────────────────────────────────────────────────────

export interface StagePatch {
  readonly path: string;
  readonly value: string;
}

export const restStageUpdate = (stage: RestStageSnapshot, ops: readonly StagePatch[], what: string) =>
  plannedCall(
    'apigateway:UpdateStage',
    {
      restApiId: stage.apiId,
      stageName: stage.stageName,
      patchOperations: ops.map((op) => ({ op: 'replace', path: op.path, value: op.value })),
    },
    `${stageName(stage)}: ${what}`,
  );

export const patchLine = (ops: readonly StagePatch[]) =>
  ops.map((op) => `${op.path} → ${op.value}`).join(', ');

/** Why a deployment to the stage would ship more than the fix, if it would. */
export function undeployedGuard(
  context: Pick<PlanContext, 'stages' | 'undeployed'>,
  stage: RestStageSnapshot,
): string | undefined {
  if (!context.stages) return `the working copy of API ${stage.apiId} could not be read`;
  if (context.undeployed?.includes(stage.arn)) {
    return `the working copy of API ${stage.apiId} holds changes ${stageName(stage)} does not serve yet, and a deployment would ship them too`;
  }
  return undefined;
}

// ─── HTTP and WebSocket stages ──────────────────────────────────────────────────────────

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

/** One UpdateStage of the stage default and the routes that need the change; undefined when none does. */
export function v2RouteSettingsUpdate(
  stage: V2StageSnapshot,
  change: Partial<RouteSetting>,
  needsChange: { readonly stageDefault: boolean; readonly route: (setting: RouteSetting) => boolean },
  what: string,
): PlannedCall<'apigatewayv2:UpdateStage'> | undefined {
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
