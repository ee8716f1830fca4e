import { noParameters } from './core/params';
import { patchLine, planCalls, refuse, restStageUpdate, stageName } from './core/plans';
import { describeResource } from './core/resources';
import { compliant, defineRule, nonCompliant } from './core/rule';
import { listSome, methodSettingLabel, sentence } from './core/text';

export default defineRule({
  id: 'rest-stage-data-trace-disabled',
  title: 'REST API stages do not log full request and response data',
  severity: 'MEDIUM',
  resource: 'rest-stage',
  rationale:
    'Data tracing writes the full body and headers of every request and response to CloudWatch Logs. Those ' +
    'bodies carry personal data, tokens and passwords, which then sit in a log group readable by everyone ' +
    'allowed to read logs, long after the request.',
  parameters: noParameters,
  evaluate(stage) {
    const what = sentence(describeResource(stage));
    // An override without the field inherits the stage default, which is judged on its own.
    const tracing = Object.entries(stage.methodSettings)
      .filter(([, setting]) => setting.dataTraceEnabled === true)
      .map(([key]) => methodSettingLabel(key));
    const expected = 'data tracing off for all methods';
    if (tracing.length > 0) {
      return nonCompliant(
        `${what} logs full request and response data for ${listSome(tracing, 2)}; ${expected} is expected.`,
        { observed: { dataTraceEnabled: tracing }, expected },
      );
    }
    return compliant(`${what} has data tracing off for all methods.`, {
      observed: { dataTraceEnabled: [] },
      expected,
    });
  },
  remediation: {
    kind: 'safe',
    summary:
      'Turns data tracing off for the stage default and for every per-method override that turns it on. Execution logging itself is left as it is.',
    calls: [
      {
        service: 'apigateway',
        operation: 'UpdateStage',
        iamActions: ['apigateway:PATCH'],
        effect:
          'replace /*/*/logging/dataTrace, and each /{path}/{method}/logging/dataTrace that is on, with false.',
      },
    ],
    canBreakClients: false,
    async plan(stage) {
      const ops = Object.entries(stage.methodSettings)
        .filter(([, setting]) => setting.dataTraceEnabled === true)
        .map(([key]) => ({ path: `/${key}/logging/dataTrace`, value: 'false' }));
      if (ops.length === 0) return refuse(`${stageName(stage)} has data tracing off already.`);
      return planCalls([restStageUpdate(stage, ops, patchLine(ops))]);
    },
  },
  references: {
    docs: ['https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html'],
  },
});
