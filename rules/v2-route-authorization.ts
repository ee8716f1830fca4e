import * as z from 'zod/mini';
import { parameters, withDefault } from './core/params';
import { planCalls, refuse } from './core/plans';
import { plannedCall } from './core/remediation-calls';
import { describeResource } from './core/resources';
import { compliant, defineRule, nonCompliant, notApplicable } from './core/rule';
import { sentence } from './core/text';

/** "a", "a or b", "a, b or c". */
const eitherOf = (items: readonly string[]) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;

export default defineRule({
  id: 'v2-route-authorization',
  title: 'HTTP API routes and WebSocket $connect routes require authorization',
  severity: 'HIGH',
  resource: 'v2-route',
  reads: ['v2-authorizers'],
  rationale:
    'A route with authorization type NONE lets anyone on the internet call its integration. On WebSocket ' +
    'APIs the $connect route is the only gate: a connection opened there can send every message the API ' +
    'routes.',
  parameters: parameters({
    acceptApiKeyOnly: withDefault(
      z.boolean(),
      false,
      'Whether a WebSocket $connect route protected only by an API key counts as authorized. API keys identify callers; they do not authorize them.',
    ),
    allowUnauthenticatedOptions: withDefault(
      z.boolean(),
      true,
      'Whether HTTP API OPTIONS routes without authorization are left unjudged as CORS preflight routes (browsers send preflight requests without credentials).',
    ),
  }),
  evaluate(route, { acceptApiKeyOnly, allowUnauthenticatedOptions }) {
    const what = sentence(describeResource(route));
    if (route.protocol === 'WEBSOCKET' && route.routeKey !== '$connect') {
      return notApplicable(
        `${what} is not $connect: on WebSocket APIs only $connect carries authorization, checked once per connection.`,
      );
    }
    const accepted = route.protocol === 'WEBSOCKET' ? ['AWS_IAM', 'CUSTOM'] : ['AWS_IAM', 'JWT', 'CUSTOM'];
    const observed = {
      authorizationType: route.authorizationType,
      authorizerId: route.authorizer?.authorizerId ?? null,
      apiKeyRequired: route.apiKeyRequired,
    };
    const expected = { oneOf: accepted };

    if (route.authorizationType !== 'NONE') {
      const by = route.authorizer
        ? ` with authorizer ${route.authorizer.name} (${route.authorizer.authorizerId})`
        : '';
      return compliant(`${what} requires ${route.authorizationType} authorization${by}.`, {
        observed,
        expected,
      });
    }
    if (route.protocol === 'HTTP' && route.routeKey.startsWith('OPTIONS ') && allowUnauthenticatedOptions) {
      return notApplicable(
        `${what} is an OPTIONS route without authorization, taken as a CORS preflight route because browsers send preflight requests without credentials.`,
      );
    }
    if (route.apiKeyRequired) {
      if (acceptApiKeyOnly) {
        return compliant(`${what} is protected only by an API key, which the settings accept.`, {
          observed,
          expected,
        });
      }
      return nonCompliant(
        `${what} is protected only by an API key, and API keys identify callers but do not authorize them; ${eitherOf(accepted)} authorization is expected.`,
        { observed, expected },
      );
    }
    return nonCompliant(
      `${what} has authorization type NONE, so anyone can call it; ${eitherOf(accepted)} authorization is expected.`,
      { observed, expected },
    );
  },
  remediation: {
    kind: 'restore',
    summary:
      'Puts back the authorization type and authorizer the route had before the drift, from the baseline. Stages with automatic deployment serve it at once; others at their next deployment, which gatewatch does not make.',
    calls: [
      {
        service: 'apigatewayv2',
        operation: 'UpdateRoute',
        iamActions: ['apigateway:PATCH'],
        effect: 'Sets the route AuthorizationType and AuthorizerId back to their baseline values.',
      },
    ],
    canBreakClients: true,
    breakage:
      'Callers without valid credentials (an IAM signature, a JWT or what the Lambda authorizer requires) are rejected again, as they were before the drift.',
    async plan(route, _params, context) {
      const good = context.knownGood;
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
      return planCalls(
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
  },
  references: {
    securityHub: ['APIGateway.8'],
    configManagedRule: 'api-gwv2-authorization-type-configured',
    docs: [
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-access-control.html',
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-control-access.html',
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html',
    ],
  },
});
