import * as z from 'zod/mini';
import { parameters, withDefault } from './core/params';
import { describeResource, type RouteSetting } from './core/resources';
import { compliant, defineRule, nonCompliant } from './core/rule';
import { joinWords, listSome, sentence } from './core/text';

export default defineRule({
  id: 'v2-stage-throttling',
  title: 'HTTP and WebSocket API stages set throttling limits within bounds',
  severity: 'MEDIUM',
  resource: 'v2-stage',
  rationale:
    'Without stage limits, one stage can use the whole account-wide request quota of the region, so a flood ' +
    'or a runaway client on it throttles every other API in the account and drives up backend cost.',
  parameters: parameters({
    maxRateLimit: withDefault(
      z.number().check(z.nonnegative()),
      10000,
      'The highest steady-state rate (requests per second) a stage default or route override may allow.',
    ),
    maxBurstLimit: withDefault(
      z.number().check(z.nonnegative()),
      5000,
      'The highest burst (requests) a stage default or route override may allow.',
    ),
  }),
  evaluate(stage, { maxRateLimit, maxBurstLimit }) {
    const what = sentence(describeResource(stage));
    const { throttlingRateLimit: rateLimit, throttlingBurstLimit: burstLimit } = stage.defaultRouteSettings;
    const excess = (setting: RouteSetting) =>
      [
        setting.throttlingRateLimit !== undefined && setting.throttlingRateLimit > maxRateLimit
          ? `rate ${setting.throttlingRateLimit}`
          : null,
        setting.throttlingBurstLimit !== undefined && setting.throttlingBurstLimit > maxBurstLimit
          ? `burst ${setting.throttlingBurstLimit}`
          : null,
      ].filter((item): item is string => item !== null);
    const routesAboveBounds = Object.entries(stage.routeSettings)
      .filter(([, setting]) => excess(setting).length > 0)
      .map(([routeKey, setting]) => `${routeKey} (${excess(setting).join(', ')})`);
    const observed = { rateLimit: rateLimit ?? null, burstLimit: burstLimit ?? null, routesAboveBounds };
    const expected = { maxRateLimit, maxBurstLimit };
    const bounds = `a rate of at most ${maxRateLimit} and a burst of at most ${maxBurstLimit} are expected`;

    const unset = [
      rateLimit === undefined ? 'rate limit' : null,
      burstLimit === undefined ? 'burst limit' : null,
    ];
    const missing = unset.filter((item): item is string => item !== null);
    if (missing.length > 0) {
      return nonCompliant(
        `${what} sets no default ${joinWords(missing)}, so only the account-wide quota applies; ${bounds}.`,
        { observed, expected },
      );
    }
    const defaultExcess = excess(stage.defaultRouteSettings);
    if (defaultExcess.length > 0) {
      return nonCompliant(`${what} allows ${joinWords(defaultExcess)} by default; ${bounds}.`, {
        observed,
        expected,
      });
    }
    if (routesAboveBounds.length > 0) {
      return nonCompliant(
        `${what} raises route limits above the bounds for ${listSome(routesAboveBounds)}; ${bounds}.`,
        {
          observed,
          expected,
        },
      );
    }
    return compliant(`${what} throttles at rate ${rateLimit} and burst ${burstLimit}, within bounds.`, {
      observed,
      expected,
    });
  },
  references: {
    docs: [
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html',
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-protect.html',
    ],
  },
});
