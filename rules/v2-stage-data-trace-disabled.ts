import { noParameters } from './core/params';
import { planCalls, refuse, stageName, v2RouteSettingsUpdate } from './core/plans';
import { describeResource } from './core/resources';
import { compliant, defineRule, nonCompliant, notApplicable } from './core/rule';
import { listSome, sentence } from './core/text';

export default defineRule({
  id: 'v2-stage-data-trace-disabled',
  title: 'WebSocket API stages do not log full message data',
  severity: 'MEDIUM',
  resource: 'v2-stage',
  rationale:
    'Data tracing copies every message body, with the tokens, personal data and secrets it carries, into ' +
    'CloudWatch Logs, where many more people can read it than can call the API. It is meant for short ' +
    'debugging sessions, not for stages in service.',
  parameters: noParameters,
  evaluate(stage) {
    const what = sentence(describeResource(stage));
    if (stage.protocol === 'HTTP') {
      return notApplicable(`${what} is not judged: HTTP APIs have no data tracing.`);
    }
    const stageDataTrace = stage.defaultRouteSettings.dataTraceEnabled === true;
    const routesWithDataTrace = Object.entries(stage.routeSettings)
      .filter(([, setting]) => setting.dataTraceEnabled === true)
      .map(([routeKey]) => routeKey);
    const observed = { stageDataTrace, routesWithDataTrace };
    const expected = 'data tracing off for all routes';

    if (stageDataTrace) {
      return nonCompliant(`${what} logs full message data for all routes; ${expected} is expected.`, {
        observed,
        expected,
      });
    }
    if (routesWithDataTrace.length > 0) {
      return nonCompliant(
        `${what} logs full message data for ${listSome(routesWithDataTrace)} through route overrides; ${expected} is expected.`,
        { observed, expected },
      );
    }
    return compliant(`${what} has data tracing off for all routes.`, { observed, expected });
  },
  remediation: {
    kind: 'safe',
    summary: 'Turns data tracing off for the stage default and for every route override that turns it on.',
    calls: [
      {
        service: 'apigatewayv2',
        operation: 'UpdateStage',
        iamActions: ['apigateway:PATCH'],
        effect:
          'Sets DefaultRouteSettings.DataTraceEnabled, and RouteSettings.{route key}.DataTraceEnabled of each override that turns it on, to false.',
      },
    ],
    canBreakClients: false,
    async plan(stage) {
      const call = v2RouteSettingsUpdate(
        stage,
        { dataTraceEnabled: false },
        {
          stageDefault: stage.defaultRouteSettings.dataTraceEnabled === true,
          route: (setting) => setting.dataTraceEnabled === true,
        },
        'DataTraceEnabled → false',
      );
      return call ? planCalls([call]) : refuse(`${stageName(stage)} has data tracing off already.`);
    },
  },
  references: {
    docs: [
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-logging.html',
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html',
    ],
  },
});
