import * as z from 'zod/mini';
import { matchesPattern, methodPattern, serves } from './core/methods';
import { parameters, withDefault } from './core/params';
import { planCalls, refuse, stageName, undeployedGuard } from './core/plans';
import { type PlannedCall, plannedCall } from './core/remediation-calls';
import type { RestMethod } from './core/resources';
import { describeResource } from './core/resources';
import { compliant, defineRule, nonCompliant, notApplicable } from './core/rule';
import { listSome, methodLabel, plural, sentence } from './core/text';

const AUTHORIZING_TYPES: readonly string[] = ['AWS_IAM', 'CUSTOM', 'COGNITO_USER_POOLS'];
const MAX_REASON = 250;

export default defineRule({
  id: 'rest-method-authorization',
  title: 'Methods served by REST API stages require IAM, Cognito or a Lambda authorizer',
  severity: 'HIGH',
  resource: 'rest-stage',
  reads: ['rest-methods'],
  rationale:
    'A method with authorization NONE answers anyone on the internet who finds its URL. An API key does not ' +
    'change that: API keys identify clients for usage plans and AWS advises against using them to authorize ' +
    'callers. Removing an authorizer from a method is a one-line change that opens the backend to everyone.',
  parameters: parameters({
    allowUnauthenticatedOptions: withDefault(
      z.boolean(),
      true,
      'Accept OPTIONS methods with authorization NONE: browsers send CORS preflight requests without credentials.',
    ),
    acceptApiKeyOnly: withDefault(
      z.boolean(),
      false,
      'Accept methods with authorization NONE that require an API key (API keys identify clients; they do not authorize them).',
    ),
    publicMethods: withDefault(
      z.array(methodPattern),
      [],
      'Methods meant to be public, as "METHOD /path" ("GET /health"); "*" matches any method or any part of a path.',
    ),
  }),
  evaluate(stage, { allowUnauthenticatedOptions, acceptApiKeyOnly, publicMethods }) {
    const what = sentence(describeResource(stage));
    const served = stage.methods.served;
    const workingCopy =
      stage.methods.source === 'working-copy'
        ? ' (judged on the working copy: the deployment could not be read)'
        : '';
    if (served.length === 0) return notApplicable(`${what} serves no methods${workingCopy}.`);

    const unauthorized = served.filter((method) => !AUTHORIZING_TYPES.includes(method.authorizationType));
    const preflight = unauthorized.filter(
      (method) => allowUnauthenticatedOptions && method.httpMethod === 'OPTIONS',
    );
    const declaredPublic = unauthorized.filter(
      (method) =>
        !preflight.includes(method) && publicMethods.some((pattern) => matchesPattern(pattern, method)),
    );
    const rest = unauthorized.filter(
      (method) => !preflight.includes(method) && !declaredPublic.includes(method),
    );
    const open = rest.filter((method) => !method.apiKeyRequired).map(methodLabel);
    const apiKeyOnly = rest.filter((method) => method.apiKeyRequired).map(methodLabel);

    const observed = { source: stage.methods.source, open, apiKeyOnly };
    const expected = 'AWS_IAM, CUSTOM or COGNITO_USER_POOLS authorization on every served method';
    const failing = acceptApiKeyOnly ? [] : apiKeyOnly;

    if (open.length > 0 || failing.length > 0) {
      // Names as many methods as fit AWS Config's 256-character annotation; observed lists them all.
      const reasonListing = (max: number) => {
        const some = (labels: string[]) => (max > 0 ? ` (${listSome(labels, max)})` : '');
        const parts = [
          open.length > 0 ? `${plural(open.length, 'method')} with no authorization${some(open)}` : '',
          failing.length > 0
            ? `${plural(failing.length, 'method')} protected only by an API key${some(failing)}`
            : '',
        ].filter(Boolean);
        return `${what} ${serves(stage, parts.join(' and '))}${workingCopy}; each needs IAM, Cognito or a Lambda authorizer.`;
      };
      const reason =
        [3, 2, 1].map(reasonListing).find((text) => text.length <= MAX_REASON) ?? reasonListing(0);
      return nonCompliant(reason, { observed, expected });
    }

    const excluded = [
      preflight.length > 0 ? `${preflight.length} CORS preflight OPTIONS` : '',
      declaredPublic.length > 0 ? `${declaredPublic.length} declared public` : '',
      apiKeyOnly.length > 0 ? `${apiKeyOnly.length} API-key-only (accepted)` : '',
    ].filter(Boolean);
    const authorized = served.length - unauthorized.length;
    return compliant(
      `${what} requires authorization on ${authorized} of its ${plural(served.length, 'method')}` +
        `${excluded.length > 0 ? `, the others being ${excluded.join(', ')}` : ''}${workingCopy}.`,
      { observed, expected },
    );
  },
  remediation: {
    kind: 'restore',
    summary:
      'Puts back the authorization type and authorizer each method had in the baseline, then redeploys the stage. ' +
      'Never guesses: a method the baseline knows nothing about is reported, not changed.',
    calls: [
      {
        service: 'apigateway',
        operation: 'UpdateMethod',
        iamActions: ['apigateway:PATCH'],
        effect: 'replace /authorizationType and /authorizerId with the values recorded in the baseline.',
      },
      {
        service: 'apigateway',
        operation: 'CreateDeployment',
        iamActions: ['apigateway:POST'],
        effect:
          'Deploys the API to the stage, since REST method changes take effect only on deployment. It deploys the whole working copy, including any other undeployed change.',
      },
    ],
    canBreakClients: true,
    breakage:
      'Callers without valid credentials (SigV4 signature, authorizer token or Cognito token) are rejected with 401 or 403 again, as before the drift.',
    reads: { apiStages: true },
    async plan(stage, _params, context) {
      const good = context.knownGood;
      if (!good) {
        return refuse(
          `gatewatch has no record of ${stageName(stage)} serving its methods with authorization, so it does not know which authorizer to put back; it does not guess.`,
        );
      }
      const observed = (context.finding.observed ?? {}) as { open?: string[]; apiKeyOnly?: string[] };
      const failing = new Set([...(observed.open ?? []), ...(observed.apiKeyOnly ?? [])]);
      const open = stage.methods.served.filter((method) => failing.has(methodLabel(method)));
      const restorable: { method: RestMethod; before: RestMethod }[] = [];
      const unknown: string[] = [];
      for (const method of open) {
        const before = good.methods.served.find(
          (candidate) =>
            candidate.httpMethod === method.httpMethod && candidate.resourcePath === method.resourcePath,
        );
        const usable =
          before &&
          AUTHORIZING_TYPES.includes(before.authorizationType) &&
          (before.authorizationType === 'AWS_IAM' || before.authorizer !== null);
        if (before && usable) restorable.push({ method, before });
        else unknown.push(methodLabel(method));
      }
      if (restorable.length === 0) {
        return refuse(
          `gatewatch knows no earlier authorizer for ${[...failing].join(', ')} on ${stageName(stage)}; it does not guess.`,
        );
      }
      const blocked = undeployedGuard(context, stage);
      if (blocked)
        return refuse(`Restoring authorization needs a deployment, but ${blocked}; nothing was changed.`);

      const updates: PlannedCall<'apigateway:UpdateMethod'>[] = [];
      for (const { method, before } of restorable) {
        const resourceId = await context.resourceIds.resourceId(
          stage.region,
          stage.apiId,
          method.resourcePath,
        );
        if (!resourceId) {
          return refuse(
            `${method.resourcePath} is no longer in the working copy of API ${stage.apiId}; nothing was changed.`,
          );
        }
        const authorizerId =
          before.authorizationType === 'AWS_IAM' ? undefined : before.authorizer?.authorizerId;
        updates.push(
          plannedCall(
            'apigateway:UpdateMethod',
            {
              restApiId: stage.apiId,
              resourceId,
              httpMethod: method.httpMethod,
              patchOperations: [
                { op: 'replace', path: '/authorizationType', value: before.authorizationType },
                ...(authorizerId
                  ? [{ op: 'replace' as const, path: '/authorizerId', value: authorizerId }]
                  : []),
              ],
            },
            `${methodLabel(method)} of API ${stage.apiId}: authorization ${method.authorizationType} → ${before.authorizationType}${
              before.authorizer
                ? ` (authorizer ${before.authorizer.name}, ${before.authorizer.authorizerId})`
                : ''
            }`,
          ),
        );
      }
      const labels = restorable.map(({ method }) => methodLabel(method)).join(', ');
      return planCalls(
        [
          ...updates,
          plannedCall(
            'apigateway:CreateDeployment',
            {
              restApiId: stage.apiId,
              stageName: stage.stageName,
              description: `gatewatch: restore authorization on ${labels}`.slice(0, 1024),
            },
            `${stageName(stage)}: deploy the working copy, which differs from what the stage serves only by the restored authorization`,
          ),
        ],
        unknown.length > 0
          ? [
              `gatewatch knows no earlier authorizer for ${unknown.join(', ')}: left as they are, for a person to decide.`,
            ]
          : [],
      );
    },
  },
  references: {
    docs: [
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-to-api.html',
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html',
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-cors.html',
    ],
  },
});
