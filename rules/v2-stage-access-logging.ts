import * as z from 'zod/mini';
import {
  accessLogProblems,
  destinationOf,
  HTTP_ACCESS_LOG_FIELDS,
  jsonAccessLogFormat,
  WEBSOCKET_ACCESS_LOG_FIELDS,
} from './core/access-log';
import { optional, parameters, withDefault } from './core/params';
import { planCalls, refuse, stageName, withAccountRole } from './core/plans';
import { plannedCall, setAccountCloudWatchRole } from './core/remediation-calls';
import { describeResource } from './core/resources';
import { compliant, defineRule, nonCompliant } from './core/rule';
import { joinWords, sentence } from './core/text';

/** `arn:aws:logs:eu-west-1:123456789012:log-group:/api/access` → `/api/access`; the ARN itself stays in `observed`. */
const logGroupName = (arn: string) => arn.split(':log-group:')[1]?.replace(/:\*$/, '') ?? arn;

export default defineRule({
  id: 'v2-stage-access-logging',
  title: 'HTTP and WebSocket API stages write access logs in JSON format',
  severity: 'MEDIUM',
  resource: 'v2-stage',
  rationale:
    'Access logs record who called the API, from where, which route and with what result. They are the ' +
    'first thing an investigation needs; a JSON format with the request id and source IP lets CloudWatch ' +
    'Logs Insights query them reliably.',
  parameters: parameters({
    requireJson: withDefault(z.boolean(), true, 'Whether the access log format must be a JSON object.'),
    requiredVariables: withDefault(
      z.array(z.string()),
      ['$context.requestId', '$context.identity.sourceIp'],
      'The $context variables the access log format must contain.',
    ),
    defaultDestinationArn: optional(
      z.string(),
      'The CloudWatch Logs log group ARN remediation sends access logs to when the stage has no destination.',
    ),
  }),
  evaluate(stage, { requireJson, requiredVariables }) {
    const what = sentence(describeResource(stage));
    const problems = accessLogProblems(stage.accessLog, { requireJson, requiredVariables });
    const observed = stage.accessLog;
    const expected = { json: requireJson, variables: requiredVariables };
    if (!stage.accessLog?.destinationArn) {
      return nonCompliant(
        `${what} has access logging off (no destination log group); access logs are expected.`,
        { observed, expected },
      );
    }
    if (problems.length > 0) {
      return nonCompliant(`${what} writes access logs, but ${joinWords(problems)}.`, { observed, expected });
    }
    return compliant(
      `${what} writes ${requireJson ? 'JSON ' : ''}access logs to log group ${logGroupName(stage.accessLog.destinationArn)}.`,
      { observed, expected },
    );
  },
  remediation: {
    kind: 'safe',
    summary:
      "Sets a JSON access log format holding the required variables, keeping the stage destination (or the configured defaultDestinationArn when it has none; without either it only notifies). For WebSocket stages it first sets the account's CloudWatch Logs role when the account settings name none.",
    calls: [
      setAccountCloudWatchRole,
      {
        service: 'apigatewayv2',
        operation: 'UpdateStage',
        iamActions: [
          'apigateway:PATCH',
          // HTTP API access logs: what AWS's "Configure logging for HTTP APIs" requires of the caller.
          'logs:CreateLogDelivery',
          'logs:UpdateLogDelivery',
          'logs:DeleteLogDelivery',
          'logs:GetLogDelivery',
          'logs:ListLogDeliveries',
          'logs:PutResourcePolicy',
          'logs:DescribeResourcePolicies',
          'logs:CreateLogGroup',
        ],
        effect: 'Sets AccessLogSettings (DestinationArn and Format) on the stage.',
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
        const fields = stage.protocol === 'WEBSOCKET' ? WEBSOCKET_ACCESS_LOG_FIELDS : HTTP_ACCESS_LOG_FIELDS;
        const format = jsonAccessLogFormat(fields, params.requiredVariables);
        return planCalls([
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
  },
  references: {
    securityHub: ['APIGateway.9'],
    configManagedRule: 'api-gwv2-access-logs-enabled',
    docs: [
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging.html',
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-logging.html',
    ],
  },
});
