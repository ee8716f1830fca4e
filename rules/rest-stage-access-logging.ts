import * as z from 'zod/mini';
import {
  accessLogProblems,
  destinationOf,
  jsonAccessLogFormat,
  REST_ACCESS_LOG_FIELDS,
} from './core/access-log';
import { optional, parameters, withDefault } from './core/params';
import { planCalls, refuse, restStageUpdate, stageName, withAccountRole } from './core/plans';
import { setAccountCloudWatchRole } from './core/remediation-calls';
import { describeResource } from './core/resources';
import { compliant, defineRule, nonCompliant } from './core/rule';
import { sentence } from './core/text';

export default defineRule({
  id: 'rest-stage-access-logging',
  title: 'REST API stages write structured access logs to a log destination',
  severity: 'MEDIUM',
  resource: 'rest-stage',
  rationale:
    'Access logs are the record of who called which method, from where, and with what result. Without them, ' +
    'or in a free-text format that queries cannot parse, abuse of the stage and the scope of an incident ' +
    'cannot be established afterwards.',
  parameters: parameters({
    requireJson: withDefault(
      z.boolean(),
      true,
      'Whether the access log format must be a JSON object, so CloudWatch Logs Insights and SIEMs can parse it.',
    ),
    requiredVariables: withDefault(
      z.array(z.string()),
      ['$context.requestId', '$context.identity.sourceIp'],
      'The $context variables the access log format must contain.',
    ),
    defaultDestinationArn: optional(
      z.string(),
      'The CloudWatch Logs log group (or Firehose stream) ARN remediation sends access logs to when the stage has no destination.',
    ),
  }),
  evaluate(stage, { requireJson, requiredVariables }) {
    const what = sentence(describeResource(stage));
    const problems = accessLogProblems(stage.accessLog, { requireJson, requiredVariables });
    const observed = stage.accessLog;
    const expected = {
      destination: 'a CloudWatch Logs log group or Firehose stream',
      format: requireJson ? 'a JSON object' : 'any',
      requiredVariables,
    };
    if (problems.length > 0) {
      return nonCompliant(`${what}: ${problems.join('; ')}.`, { observed, expected });
    }
    return compliant(
      `${what} writes ${requireJson ? 'JSON ' : ''}access logs to ${stage.accessLog?.destinationArn}.`,
      { observed, expected },
    );
  },
  remediation: {
    kind: 'safe',
    summary:
      "Sets a JSON access log format carrying the required variables, keeping the stage's destination or, when it has none, using defaultDestinationArn (without one, gatewatch notifies instead). For a log group destination it first sets the account's CloudWatch Logs role when the account settings name none.",
    calls: [
      setAccountCloudWatchRole,
      {
        service: 'apigateway',
        operation: 'UpdateStage',
        iamActions: ['apigateway:PATCH'],
        effect: 'replace /accessLogSettings/destinationArn and /accessLogSettings/format.',
      },
    ],
    canBreakClients: false,
    reads: { account: true },
    async plan(stage, params, context) {
      const destination = destinationOf(stage.accessLog, params.defaultDestinationArn);
      const build = () => {
        if (!destination) {
          return refuse(
            `${stageName(stage)} has no access log destination and the rule's defaultDestinationArn is not set; gatewatch never picks a log group on its own.`,
          );
        }
        const format = jsonAccessLogFormat(REST_ACCESS_LOG_FIELDS, params.requiredVariables);
        const ops = [
          { path: '/accessLogSettings/destinationArn', value: destination },
          { path: '/accessLogSettings/format', value: format },
        ];
        return planCalls([
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
  },
  references: {
    configManagedRule: 'apigateway-stage-access-logs-enabled',
    docs: ['https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html'],
  },
});
