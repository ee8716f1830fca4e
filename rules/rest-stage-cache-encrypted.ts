import { noParameters } from './core/params';
import { patchLine, planCalls, restStageUpdate } from './core/plans';
import { describeResource } from './core/resources';
import { compliant, defineRule, nonCompliant, notApplicable } from './core/rule';
import { listSome, methodSettingLabel, sentence } from './core/text';

export default defineRule({
  id: 'rest-stage-cache-encrypted',
  title: 'REST API stages encrypt the cache of every method that caches responses',
  severity: 'MEDIUM',
  resource: 'rest-stage',
  rationale:
    'A stage cache keeps copies of integration responses, often personal or account data, for up to an hour. ' +
    'Encrypting the cache protects those copies at rest; stages that do not cache hold no such copies and are ' +
    'not judged.',
  parameters: noParameters,
  evaluate(stage) {
    const what = sentence(describeResource(stage));
    if (!stage.cacheClusterEnabled) {
      return notApplicable(`${what} has no cache cluster, so it caches no responses.`);
    }
    const stageDefault = stage.methodSettings['*/*'] ?? {};
    // A per-method override inherits whatever it does not set from the stage default.
    const settings = Object.entries({ '*/*': stageDefault, ...stage.methodSettings }).map(
      ([key, setting]) => ({
        label: methodSettingLabel(key),
        caching: setting.cachingEnabled ?? stageDefault.cachingEnabled ?? false,
        encrypted: setting.cacheDataEncrypted ?? stageDefault.cacheDataEncrypted ?? false,
      }),
    );
    const caching = settings.filter((setting) => setting.caching);
    if (caching.length === 0) {
      return notApplicable(`${what} has a cache cluster but no method caches responses.`);
    }
    const unencrypted = caching.filter((setting) => !setting.encrypted).map((setting) => setting.label);
    const observed = { caching: caching.map((setting) => setting.label), unencrypted };
    const expected = 'cache data encrypted wherever caching is on';
    if (unencrypted.length > 0) {
      return nonCompliant(
        `${what} caches responses unencrypted for ${listSome(unencrypted, 2)}; cache encryption is expected wherever caching is on.`,
        { observed, expected },
      );
    }
    return compliant(`${what} encrypts the cached responses of ${listSome(observed.caching, 2)}.`, {
      observed,
      expected,
    });
  },
  remediation: {
    kind: 'safe',
    summary:
      'Turns cache encryption on for the stage default and for every per-method override that caches without it. Caching itself is left as it is.',
    calls: [
      {
        service: 'apigateway',
        operation: 'UpdateStage',
        iamActions: ['apigateway:PATCH'],
        effect:
          'replace /*/*/caching/dataEncrypted, and each /{path}/{method}/caching/dataEncrypted that caches unencrypted, with true.',
      },
    ],
    canBreakClients: false,
    async plan(stage) {
      const stageDefault = stage.methodSettings['*/*'] ?? {};
      // The stage default first; an override inherits it unless it says false itself.
      const ops = [{ path: '/*/*/caching/dataEncrypted', value: 'true' }];
      for (const [key, setting] of Object.entries(stage.methodSettings)) {
        if (key === '*/*') continue;
        const caching = setting.cachingEnabled ?? stageDefault.cachingEnabled ?? false;
        if (caching && setting.cacheDataEncrypted === false) {
          ops.push({ path: `/${key}/caching/dataEncrypted`, value: 'true' });
        }
      }
      return planCalls([restStageUpdate(stage, ops, patchLine(ops))]);
    },
  },
  references: {
    // APIGateway.5 runs the Security Hub rule api-gw-cache-encrypted, which judges only methods that cache.
    // The managed rule api-gw-cache-enabled-and-encrypted also fails stages that do not cache, so it is not cited.
    securityHub: ['APIGateway.5'],
    docs: ['https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-caching.html'],
  },
});
