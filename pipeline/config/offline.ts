// The evaluator without AWS (`gatewatch config-event --offline`): the configuration item in the
// invocation is judged as Config recorded it, and every read the evaluator would make instead
// (what Config does not record, an oversized item's history, a periodic run's region) stops the
// evaluation with a NotEvaluatedOffline naming what is missing. Nothing is sent to Config.
import type { Evaluation } from '@aws-sdk/client-config-service';
import type { ConfigApi } from '../../aws/config/api';
import type { Normalised } from '../../aws/read/normalise';
import type { ReadResult } from '../../aws/read/reader';
import type { ConfigurationItem } from '../../events/config-invocation';
import type { Target } from '../../events/targets';
import type { ResourceReads } from './reads';

/** A read the evaluator needed, which offline cannot make: the evaluation is not made. */
export class NotEvaluatedOffline extends Error {
  override readonly name = 'NotEvaluatedOffline';
}

/**
 * Snapshot fields in the words of API Gateway, for "the configuration item does not carry …":
 * `never` for what Config does not record at all, else Config leaves the field out when unset.
 */
const fieldWords: Record<string, { readonly words: string; readonly never?: true }> = {
  methods: {
    words: 'the methods the stage serves (their authorization, validators, integrations)',
    never: true,
  },
  webAcl: { words: "the rules of the stage's web ACL", never: true },
  webAclArn: { words: 'the web ACL attached to the stage (Config leaves it out when none is attached)' },
  authorizer: { words: "the route's authorizer", never: true },
  protocol: { words: 'whether the API is an HTTP or a WebSocket API', never: true },
  customDomainNames: { words: 'the custom domains that map to the API', never: true },
  integrations: { words: "the API's integrations", never: true },
  invocations: { words: 'invocation counts (CloudWatch metrics)', never: true },
  mappings: { words: "the custom domain's API mappings", never: true },
  apiName: { words: 'the name of the API' },
  deploymentId: { words: 'the deployment the stage serves' },
  policy: { words: "the API's resource policy" },
  cloudwatchRoleArn: { words: 'the account settings', never: true },
};

const describeField = (field: string) => {
  const known = fieldWords[field];
  if (!known) return field;
  return known.never ? `${known.words}, which AWS Config does not record` : known.words;
};

const targetWords = (target: Target) => {
  const where = [
    'apiId' in target ? `API ${target.apiId}` : undefined,
    'stageName' in target ? `stage ${target.stageName}` : undefined,
    'routeId' in target ? `route ${target.routeId}` : undefined,
    'domainName' in target ? `custom domain ${target.domainName}` : undefined,
  ].filter(Boolean);
  return where.length > 0 ? where.join(', ') : `the ${target.kind.replace('-', ' ')} in ${target.region}`;
};

export class OfflineReads implements ResourceReads {
  live(target: Target, why?: { readonly notRecorded: readonly string[] }): Promise<ReadResult> {
    const missing = (why?.notRecorded ?? []).map(describeField);
    const what =
      missing.length > 0
        ? `the configuration item does not carry ${missing.join('; ')}`
        : `the rule needs ${targetWords(target)} read from API Gateway`;
    throw new NotEvaluatedOffline(
      `${what}; without --offline gatewatch reads it from API Gateway (${targetWords(target)}).`,
    );
  }

  region(region: string): Promise<Normalised> {
    throw new NotEvaluatedOffline(
      `a scheduled notification carries no configuration item: the rule judges every resource of its kind in ${region}, read from API Gateway without --offline.`,
    );
  }

  protocolOf(): undefined {
    return undefined;
  }

  historyItem(resourceType: string, resourceId: string): Promise<ConfigurationItem | undefined> {
    throw new NotEvaluatedOffline(
      `an oversized notification carries only the item's summary: the configuration item of ${resourceType} ${resourceId} is in AWS Config's history (GetResourceConfigHistory), read without --offline.`,
    );
  }
}

/** Config offline: evaluations are printed, never delivered. */
export const offlineConfigApi: ConfigApi = {
  putEvaluations: async (_evaluations: readonly Evaluation[]) => {},
  historyItem: (resourceType, resourceId) => new OfflineReads().historyItem(resourceType, resourceId),
  reportedResources: async () => [],
};
