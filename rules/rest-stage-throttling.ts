import * as z from 'zod/mini';
import { parameters, withDefault } from './core/params';
import { describeResource } from './core/resources';
import { compliant, defineRule, nonCompliant } from './core/rule';
import { joinWords, listSome, methodSettingLabel, sentence } from './core/text';

// API Gateway reports -1 for a limit that is switched off ("Enable throttling" unticked).
const isSet = (limit: number | undefined): limit is number => limit !== undefined && limit >= 0;

export default defineRule({
  id: 'rest-stage-throttling',
  title: 'REST API stages throttle requests within set bounds',
  severity: 'MEDIUM',
  resource: 'rest-stage',
  rationale:
    'Without a stage-wide throttle, only the account-level limit applies, and it is shared by every API in ' +
    'the account and region: one flooded stage can exhaust it for all of them and overload its backend. ' +
    'Limits above the bounds the backend was sized for protect nothing.',
  parameters: parameters({
    maxRateLimit: withDefault(
      z.number().check(z.positive()),
      10000,
      'The highest steady-state rate, in requests per second, accepted for the stage default or any method.',
    ),
    maxBurstLimit: withDefault(
      z.int().check(z.positive()),
      5000,
      'The highest burst, in requests, accepted for the stage default or any method.',
    ),
  }),
  evaluate(stage, { maxRateLimit, maxBurstLimit }) {
    const what = sentence(describeResource(stage));
    const above = (rate: number | undefined, burst: number | undefined) =>
      (isSet(rate) && rate > maxRateLimit) || (isSet(burst) && burst > maxBurstLimit);
    const rateLimit = stage.methodSettings['*/*']?.throttlingRateLimit;
    const burstLimit = stage.methodSettings['*/*']?.throttlingBurstLimit;
    // A per-method override inherits the limit it does not set; -1 there is read the same way.
    const overridesAboveBounds = Object.entries(stage.methodSettings)
      .filter(
        ([key, setting]) => key !== '*/*' && above(setting.throttlingRateLimit, setting.throttlingBurstLimit),
      )
      .map(([key, setting]) => ({
        method: methodSettingLabel(key),
        rateLimit: setting.throttlingRateLimit ?? null,
        burstLimit: setting.throttlingBurstLimit ?? null,
      }));
    const observed = { rateLimit: rateLimit ?? null, burstLimit: burstLimit ?? null, overridesAboveBounds };
    const expected = { maxRateLimit, maxBurstLimit };

    const problems: string[] = [];
    const missing = [isSet(rateLimit) ? '' : 'rate', isSet(burstLimit) ? '' : 'burst'].filter(Boolean);
    if (missing.length > 0) {
      problems.push(`has no stage-wide ${missing.join(' or ')} limit (account-level limit only)`);
    } else if (above(rateLimit, burstLimit)) {
      problems.push(`throttles all methods at ${rateLimit} requests/s with a burst of ${burstLimit}`);
    }
    if (overridesAboveBounds.length > 0) {
      const methods = overridesAboveBounds.map((override) => override.method);
      problems.push(`lets ${listSome(methods, 2)} exceed the bounds`);
    }
    if (problems.length > 0) {
      return nonCompliant(
        `${what} ${joinWords(problems)}; at most ${maxRateLimit} requests/s with a burst of ${maxBurstLimit} is expected.`,
        { observed, expected },
      );
    }
    return compliant(
      `${what} throttles all methods at ${rateLimit} requests/s with a burst of ${burstLimit}, within the bounds (${maxRateLimit} requests/s, burst ${maxBurstLimit}).`,
      { observed, expected },
    );
  },
  references: {
    docs: [
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html',
    ],
  },
});
