import { noParameters } from './core/params';
import { patchLine, planCalls, restStageUpdate } from './core/plans';
import { describeResource } from './core/resources';
import { compliant, defineRule, nonCompliant } from './core/rule';
import { sentence } from './core/text';

export default defineRule({
  id: 'rest-stage-xray-tracing',
  title: 'REST API stages have AWS X-Ray active tracing enabled',
  severity: 'LOW',
  resource: 'rest-stage',
  rationale:
    'Active tracing samples requests and follows them from API Gateway through the authorizer and the ' +
    'integration. Without it, latency, errors and unexpected calls between services cannot be traced to the ' +
    'request that caused them.',
  parameters: noParameters,
  evaluate(stage) {
    const what = sentence(describeResource(stage));
    const values = { observed: stage.tracingEnabled, expected: true };
    if (!stage.tracingEnabled) {
      return nonCompliant(`${what} has AWS X-Ray active tracing off; active tracing is expected.`, values);
    }
    return compliant(`${what} has AWS X-Ray active tracing on.`, values);
  },
  remediation: {
    kind: 'safe',
    summary:
      'Turns active tracing on for the stage. API Gateway creates its service-linked role (AWSServiceRoleForAPIGateway) if the account does not have it yet.',
    calls: [
      {
        service: 'apigateway',
        operation: 'UpdateStage',
        iamActions: ['apigateway:PATCH', 'iam:CreateServiceLinkedRole'],
        effect: 'replace /tracingEnabled with true.',
      },
    ],
    canBreakClients: false,
    async plan(stage) {
      const ops = [{ path: '/tracingEnabled', value: 'true' }];
      return planCalls([restStageUpdate(stage, ops, patchLine(ops))]);
    },
  },
  references: {
    securityHub: ['APIGateway.3'],
    configManagedRule: 'api-gw-xray-enabled',
    docs: ['https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-enabling-xray.html'],
  },
});
