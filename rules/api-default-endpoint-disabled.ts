import * as z from 'zod/mini';
import { parameters, withDefault } from './core/params';
import { planCalls, refuse, stageName, undeployedGuard } from './core/plans';
import { plannedCall } from './core/remediation-calls';
import { describeResource } from './core/resources';
import { compliant, defineRule, nonCompliant, notApplicable } from './core/rule';
import { listSome, sentence } from './core/text';

export default defineRule({
  id: 'api-default-endpoint-disabled',
  title: 'APIs served through a custom domain or CDN have the execute-api endpoint off',
  severity: 'MEDIUM',
  resource: 'api',
  reads: ['custom-domains'],
  rationale:
    'While the default https://{api id}.execute-api.{region}.amazonaws.com endpoint stays on, clients can call ' +
    'the API directly and skip what sits in front of it: the CloudFront distribution and its web ACL, the custom ' +
    "domain's TLS policy and mutual TLS. Turning it off leaves the custom domain as the only way in.",
  parameters: parameters({
    frontedByTagKey: withDefault(
      z.string().check(z.minLength(1)),
      'gatewatch:fronted-by',
      'A tag on the API, with any value, that says a CloudFront distribution or other proxy fronts it.',
    ),
  }),
  evaluate(api, { frontedByTagKey }) {
    const what = sentence(describeResource(api));
    // Private APIs are only reachable through VPC endpoints; their execute-api name is how those are addressed.
    if (api.protocol === 'REST' && api.endpointTypes.includes('PRIVATE')) {
      return notApplicable(
        `${what} is private; its default endpoint is only reachable through VPC endpoints.`,
      );
    }
    const fronts = [
      ...api.customDomainNames.map((domain) => `custom domain ${domain}`),
      ...(frontedByTagKey in api.tags
        ? [`tag ${frontedByTagKey}${api.tags[frontedByTagKey] ? `=${api.tags[frontedByTagKey]}` : ''}`]
        : []),
    ];
    if (fronts.length === 0) {
      return notApplicable(
        `${what} has no custom domain and no ${frontedByTagKey} tag; its default endpoint is its address.`,
      );
    }
    const observed = { disableExecuteApiEndpoint: api.disableExecuteApiEndpoint, frontedBy: fronts };
    const expected = { disableExecuteApiEndpoint: true };
    if (!api.disableExecuteApiEndpoint) {
      return nonCompliant(
        `${what} is fronted by ${listSome(fronts)} but its default execute-api endpoint is still on, so callers can bypass it.`,
        { observed, expected },
      );
    }
    return compliant(
      `${what} is fronted by ${listSome(fronts)} and its default execute-api endpoint is off.`,
      {
        observed,
        expected,
      },
    );
  },
  remediation: {
    kind: 'safe',
    summary:
      'Turns the default execute-api endpoint off. On REST APIs it takes effect at a deployment, so gatewatch deploys to a stage that already serves exactly the working copy, and notifies instead when every stage has undeployed changes. HTTP and WebSocket stages with automatic deployment apply it at once; others at their next deployment.',
    calls: [
      {
        service: 'apigateway',
        operation: 'UpdateRestApi',
        iamActions: ['apigateway:PATCH'],
        effect: 'REST APIs: replace /disableExecuteApiEndpoint with true.',
      },
      {
        service: 'apigateway',
        operation: 'CreateDeployment',
        iamActions: ['apigateway:POST'],
        effect:
          'REST APIs: deploys to one stage whose working copy holds no undeployed change, so the setting takes effect for every stage without shipping anything else.',
      },
      {
        service: 'apigatewayv2',
        operation: 'UpdateApi',
        iamActions: ['apigateway:PATCH'],
        effect: 'HTTP and WebSocket APIs: set DisableExecuteApiEndpoint to true.',
      },
    ],
    canBreakClients: true,
    breakage:
      'Clients that call the execute-api URL directly get 403 Forbidden (REST) or cannot connect, and must move to the custom domain.',
    reads: { apiStages: true },
    async plan(api, _params, context) {
      if (api.kind === 'v2-api') {
        return planCalls(
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
        return planCalls([update], ['The API has no stage, so nothing serves it yet.']);
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
      return planCalls([
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
  },
  references: {
    docs: [
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-disable-default-endpoint.html',
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-disable-default-endpoint.html',
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-disable-default-endpoint.html',
    ],
  },
});
