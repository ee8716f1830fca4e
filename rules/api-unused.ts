import * as z from 'zod/mini';
import { parameters, withDefault } from './core/params';
import { describeResource } from './core/resources';
import { CannotJudge, compliant, defineRule, nonCompliant, notApplicable } from './core/rule';
import { sentence } from './core/text';

/** `2026-10-24T00:00:00.000Z` → `2026-10-24`. */
const day = (iso: string) => iso.slice(0, 10);

export default defineRule({
  id: 'api-unused',
  title: 'APIs have been invoked recently; unused APIs are deleted',
  severity: 'INFO',
  resource: 'api',
  rationale:
    'An API nobody calls is attack surface nobody watches: its authorizers, integrations and keys stay ' +
    'reachable while no one notices a failure or an abuse. Deleting it, or recording why it stays, keeps the ' +
    'estate to what is in use.',
  parameters: parameters({
    unusedDays: withDefault(
      z.int().check(z.minimum(1)),
      30,
      'Days without a single invocation after which an API is reported as unused.',
    ),
  }),
  evaluate(api, { unusedDays }) {
    const what = sentence(describeResource(api));
    const invocations = api.invocations;
    if (!invocations) throw new CannotJudge('its invocation count (CloudWatch metrics) was not read');
    if (invocations.days < unusedDays) {
      return notApplicable(
        `${what} has invocations counted over ${invocations.days} days only, fewer than the ${unusedDays} days needed to call it unused.`,
      );
    }
    const created = api.createdDate ? Date.parse(api.createdDate) : Number.NaN;
    if (created > Date.parse(invocations.windowStart)) {
      return notApplicable(
        `${what} was created on ${day(api.createdDate ?? '')}, after its ${invocations.days}-day invocation window began on ${day(invocations.windowStart)}, so it is too new to call unused.`,
      );
    }

    const observed = {
      invocations: invocations.count,
      days: invocations.days,
      since: invocations.windowStart,
    };
    const expected = `at least one invocation in ${unusedDays} days`;
    if (invocations.count === 0) {
      return nonCompliant(
        `${what} has had no invocations in the ${invocations.days} days since ${day(invocations.windowStart)}; delete it, or exempt it if it is kept on purpose.`,
        { observed, expected },
      );
    }
    return compliant(
      `${what} has had ${invocations.count} ${invocations.count === 1 ? 'invocation' : 'invocations'} in the ${invocations.days} days since ${day(invocations.windowStart)}.`,
      { observed, expected },
    );
  },
  references: {
    docs: [
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html',
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html',
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-logging.html',
    ],
  },
  periodic: true,
  needs: ['invocation-metrics'],
});
