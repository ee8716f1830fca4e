import * as z from 'zod/mini';
import { parameters, withDefault } from './core/params';
import { planCalls, refuse, stageName, v2RouteSettingsUpdate, weaker, withAccountRole } from './core/plans';
import { setAccountCloudWatchRole } from './core/remediation-calls';
import { describeResource, type LoggingLevel } from './core/resources';
import { compliant, defineRule, nonCompliant, notApplicable } from './core/rule';
import { listSome, sentence } from './core/text';

const rank: Record<LoggingLevel, number> = { OFF: 0, ERROR: 1, INFO: 2 };

export default defineRule({
  id: 'websocket-stage-execution-logging',
  title: 'WebSocket API stages write execution logs for every route',
  severity: 'MEDIUM',
  resource: 'v2-stage',
  rationale:
    'Execution logs record connections, authorizer decisions, integration errors and throttling for each ' +
    'message. Without them an incident on a WebSocket stage cannot be investigated, and an attack leaves no ' +
    'trace in CloudWatch Logs.',
  parameters: parameters({
    minimumLevel: withDefault(
      z.enum(['ERROR', 'INFO']),
      'ERROR',
      'The least verbose level accepted: ERROR (errors only) or INFO (every message).',
    ),
  }),
  evaluate(stage, { minimumLevel }) {
    const what = sentence(describeResource(stage));
    if (stage.protocol === 'HTTP') {
      return notApplicable(
        `${what} is not judged: HTTP APIs have no execution logging (API Gateway rejects the setting), so access logging covers them.`,
      );
    }
    const stageLevel = stage.defaultRouteSettings.loggingLevel ?? 'OFF';
    const tooLow = (level: LoggingLevel) => rank[level] < rank[minimumLevel];
    const weakOverrides = Object.entries(stage.routeSettings)
      .filter(([, setting]) => setting.loggingLevel && tooLow(setting.loggingLevel))
      .map(([routeKey, setting]) => `${routeKey} (${setting.loggingLevel})`);
    const observed = { stageLevel, weakOverrides };
    const expected = `${minimumLevel} or more verbose for all routes`;

    if (tooLow(stageLevel)) {
      return nonCompliant(
        `${what} has execution logging ${stageLevel} for all routes; ${expected} is expected.`,
        {
          observed,
          expected,
        },
      );
    }
    if (weakOverrides.length > 0) {
      return nonCompliant(
        `${what} logs at ${stageLevel} by default but overrides it for ${listSome(weakOverrides)}; ${expected} is expected.`,
        { observed, expected },
      );
    }
    return compliant(`${what} writes execution logs at ${stageLevel} for all routes.`, {
      observed,
      expected,
    });
  },
  remediation: {
    kind: 'safe',
    summary:
      'Sets the stage default logging level to ERROR (or the configured minimum) and raises route overrides that turn it lower. When the account settings name no CloudWatch Logs role, sets that role first (logging does nothing without it), or notifies when no role is configured.',
    calls: [
      setAccountCloudWatchRole,
      {
        service: 'apigatewayv2',
        operation: 'UpdateStage',
        iamActions: ['apigateway:PATCH'],
        effect:
          'Sets DefaultRouteSettings.LoggingLevel, and RouteSettings.{route key}.LoggingLevel of each weaker override, to the minimum level.',
      },
    ],
    canBreakClients: false,
    reads: { account: true },
    async plan(stage, { minimumLevel }, context) {
      return withAccountRole(context, stage.region, () => {
        const call = v2RouteSettingsUpdate(
          stage,
          { loggingLevel: minimumLevel },
          {
            stageDefault: weaker(stage.defaultRouteSettings.loggingLevel, minimumLevel),
            route: (setting) =>
              setting.loggingLevel !== undefined && weaker(setting.loggingLevel, minimumLevel),
          },
          `LoggingLevel → ${minimumLevel}`,
        );
        return call
          ? planCalls([call])
          : refuse(`${stageName(stage)} already logs at ${minimumLevel} or more.`);
      });
    },
  },
  references: {
    securityHub: ['APIGateway.1'],
    configManagedRule: 'api-gw-execution-logging-enabled',
    docs: [
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-logging.html',
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html',
    ],
  },
});
