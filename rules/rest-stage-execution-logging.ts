import * as z from 'zod/mini';
import { parameters, withDefault } from './core/params';
import {
  patchLine,
  planCalls,
  refuse,
  restStageUpdate,
  stageName,
  weaker,
  withAccountRole,
} from './core/plans';
import { setAccountCloudWatchRole } from './core/remediation-calls';
import { describeResource, type LoggingLevel } from './core/resources';
import { compliant, defineRule, nonCompliant } from './core/rule';
import { listSome, methodSettingLabel, sentence } from './core/text';

const rank: Record<LoggingLevel, number> = { OFF: 0, ERROR: 1, INFO: 2 };

export default defineRule({
  id: 'rest-stage-execution-logging',
  title: 'REST API stages write execution logs for every method',
  severity: 'MEDIUM',
  resource: 'rest-stage',
  rationale:
    'Execution logs record authorizer decisions, integration errors and throttling for each request. Without ' +
    'them an incident on the stage cannot be investigated, and an attack leaves no trace in CloudWatch Logs.',
  parameters: parameters({
    minimumLevel: withDefault(
      z.enum(['ERROR', 'INFO']),
      'ERROR',
      'The least verbose level accepted: ERROR (errors only) or INFO (every request).',
    ),
  }),
  evaluate(stage, { minimumLevel }) {
    const what = sentence(describeResource(stage));
    const stageLevel = stage.methodSettings['*/*']?.loggingLevel ?? 'OFF';
    const tooLow = (level: LoggingLevel) => rank[level] < rank[minimumLevel];
    const weakOverrides = Object.entries(stage.methodSettings)
      .filter(([key, setting]) => key !== '*/*' && setting.loggingLevel && tooLow(setting.loggingLevel))
      .map(([key, setting]) => `${methodSettingLabel(key)} (${setting.loggingLevel})`);
    const observed = { stageLevel, weakOverrides };
    const expected = `${minimumLevel} or more verbose for all methods`;

    if (tooLow(stageLevel)) {
      return nonCompliant(
        `${what} has execution logging ${stageLevel} for all methods; ${expected} is expected.`,
        { observed, expected },
      );
    }
    if (weakOverrides.length > 0) {
      return nonCompliant(
        `${what} logs at ${stageLevel} by default but overrides it for ${listSome(weakOverrides)}; ${expected} is expected.`,
        { observed, expected },
      );
    }
    return compliant(`${what} writes execution logs at ${stageLevel} for all methods.`, {
      observed,
      expected,
    });
  },
  remediation: {
    kind: 'safe',
    summary:
      'Sets the stage-wide logging level to ERROR (or the configured minimum) and raises per-method overrides that turn it lower. When the account settings name no CloudWatch Logs role, sets that role first (logging does nothing without it), or notifies when no role is configured.',
    calls: [
      setAccountCloudWatchRole,
      {
        service: 'apigateway',
        operation: 'UpdateStage',
        iamActions: ['apigateway:PATCH'],
        effect:
          'replace /*/*/logging/loglevel, and each weaker /{path}/{method}/logging/loglevel, with the minimum level.',
      },
    ],
    canBreakClients: false,
    reads: { account: true },
    async plan(stage, { minimumLevel }, context) {
      return withAccountRole(context, stage.region, () => {
        // The stage default (OFF when unset) and every override that sets a weaker level.
        const ops = Object.entries({ '*/*': stage.methodSettings['*/*'] ?? {}, ...stage.methodSettings })
          .filter(([key, setting]) =>
            key === '*/*'
              ? weaker(setting.loggingLevel, minimumLevel)
              : setting.loggingLevel !== undefined && weaker(setting.loggingLevel, minimumLevel),
          )
          .map(([key]) => ({ path: `/${key}/logging/loglevel`, value: minimumLevel }));
        if (ops.length === 0)
          return refuse(`${stageName(stage)} already logs at ${minimumLevel} or more for every method.`);
        return planCalls([restStageUpdate(stage, ops, patchLine(ops))]);
      });
    },
  },
  references: {
    securityHub: ['APIGateway.1'],
    configManagedRule: 'api-gw-execution-logging-enabled',
    docs: ['https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html'],
  },
});
