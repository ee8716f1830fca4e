// A region read: AWS SDK v3 → raw inventory, with as few calls as the APIs allow, and only the
// reads the plan holds (aws/read/plan.ts: derived from the rules judged; everything by default).
// Stages come in one call per API with their web ACL; methods come inline with their
// resources; each distinct deployment and web ACL is read once; every page is followed. Each
// part is read on its own: a part that fails is a problem tagged with its read, and the rest of
// the resource is still there to judge.
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { accountArn, apiGatewayArn, arnIn, restApiArn, v2ApiArn } from '../../model/identity';
import { classifyError, isCredentialsError, type RegionClients } from '../clients';
import { readAccountSettings } from './account';
import { CredentialsError, type RegionRead, recordingAttempt } from './attempt';
import { readLoggingPath } from './collect-logging';
import { readDomainNames } from './domains';
import { readInvocations } from './metrics';
import { mapPool } from './pages';
import { FULL_PLAN, type ReadPlan } from './plan';
import { listRestApis, readRestApiEntry } from './rest';
import {
  type CollectionError,
  INVENTORY_VERSION,
  type Inventory,
  type RegionInventory,
  type RestApiEntry,
  type V2ApiEntry,
} from './schema';
import { listV2Apis, readV2ApiEntry } from './v2';
import { readWebAcl } from './waf';

export { CredentialsError } from './attempt';

export interface CollectOptions {
  /** Days of invocation metrics to read for `api-unused`; 0 skips CloudWatch. */
  readonly metricsDays: number;
  /** The reads to make (aws/read/plan.ts planFor the rules judged); every one by default. */
  readonly plan?: ReadPlan;
  /** APIs read at once; the rate limiter paces the calls whatever this is. */
  readonly concurrency?: number;
  readonly now?: () => Date;
  /** Told after each API is read, for progress bars. */
  readonly onProgress?: (progress: { done: number; total: number }) => void;
  /**
   * Errors to throw rather than record as collection problems: a caller that is retried (the
   * Config evaluator) throws throttling and AWS failures, so a retry reads again instead of a
   * transient failure being reported as "could not evaluate". A scan records everything.
   */
  readonly rethrow?: (error: unknown) => boolean;
  /**
   * Read the logging path too (trails, CloudWatch Logs resource policies, the CloudWatch Logs
   * role: aws/read/collect-logging.ts), a few calls per region; the rules that need
   * it are skipped without it.
   */
  readonly loggingPath?: boolean;
}

export async function collectRegion(
  clients: RegionClients,
  accountId: string,
  region: string,
  options: CollectOptions,
): Promise<RegionInventory> {
  const errors: CollectionError[] = [];
  const rethrow = options.rethrow ?? (() => false);
  const attempt = recordingAttempt(errors, rethrow);
  const plan = options.plan ?? FULL_PLAN;
  const part = recordingAttempt(errors, (error) => rethrow(error) || classifyError(error).kind === 'gone');
  const read: RegionRead = { clients, accountId, region, plan, attempt, part, rethrow };
  const regionResource = apiGatewayArn(region, '/');

  const account =
    plan.has('account') || options.loggingPath
      ? await attempt('account', 'GetAccount', accountArn(region), () => readAccountSettings(clients))
      : undefined;
  const loggingPath = options.loggingPath
    ? await readLoggingPath(
        clients,
        { region, accountId },
        account?.cloudwatchRoleArn || null,
        (operation, resource, run) => attempt(undefined, operation, resource, run),
      )
    : undefined;
  const restApiList = plan.has('rest-apis')
    ? ((await attempt('rest-apis', 'GetRestApis', regionResource, () => listRestApis(clients))) ?? [])
    : [];
  const v2ApiList = plan.has('v2-apis')
    ? ((await attempt('v2-apis', 'GetApis', regionResource, () => listV2Apis(clients))) ?? [])
    : [];

  const total = restApiList.length + v2ApiList.length;
  let done = 0;
  const tick = () => options.onProgress?.({ done: ++done, total });
  const concurrency = options.concurrency ?? 4;

  const restApis = await mapPool(restApiList, concurrency, async (api) => {
    const entry = await attempt('rest-apis', 'GetRestApi', restApiArn(region, api.id ?? '?'), () =>
      readRestApiEntry(read, api),
    );
    tick();
    return entry;
  });
  const v2Apis = await mapPool(v2ApiList, concurrency, async (api) => {
    const entry = await attempt('v2-apis', 'GetApi', v2ApiArn(region, api.ApiId ?? '?'), () =>
      readV2ApiEntry(read, api),
    );
    tick();
    return entry;
  });
  const domainNames = plan.has('domain-names')
    ? ((await attempt('domain-names', 'GetDomainNames', regionResource, () =>
        readDomainNames(clients, concurrency),
      )) ?? [])
    : [];

  const webAclArns = plan.has('web-acls')
    ? ([
        ...new Set(
          restApis.flatMap((entry) => entry?.stages.map((stage) => stage.webAclArn) ?? []).filter(Boolean),
        ),
      ] as string[])
    : [];
  const webAcls: RegionInventory['webAcls'] = {};
  for (const arn of webAclArns) {
    const webAcl = await attempt('web-acls', 'GetWebACL', arn, () => readWebAcl(clients, arn));
    if (webAcl) webAcls[arn] = webAcl;
  }

  const presentRest = restApis.filter((entry): entry is RestApiEntry => entry !== undefined);
  const presentV2 = v2Apis.filter((entry): entry is V2ApiEntry => entry !== undefined);
  const invocations =
    options.metricsDays > 0
      ? ((await attempt(
          'invocation-metrics',
          'GetMetricData',
          arnIn('cloudwatch', region, accountId, ''),
          () =>
            readInvocations(
              clients,
              presentRest,
              presentV2,
              options.metricsDays,
              options.now?.() ?? new Date(),
            ),
        )) ?? {})
      : {};

  return {
    accountId,
    region,
    account: account ? { ...account } : null,
    restApis: presentRest,
    v2Apis: presentV2,
    domainNames,
    webAcls,
    invocations,
    metricsDays: options.metricsDays,
    errors,
    ...(loggingPath ? { loggingPath: loggingPath as NonNullable<RegionInventory['loggingPath']> } : {}),
  };
}

/** Collects every region, one after the other (the quotas are per region; the account is one). */
export async function collect(
  regions: readonly string[],
  clientsFor: (region: string) => RegionClients,
  options: CollectOptions,
): Promise<Inventory> {
  const first = regions[0];
  if (!first) throw new Error('No region to scan.');
  let accountId: string;
  try {
    const identity = await clientsFor(first).sts.send(new GetCallerIdentityCommand({}));
    accountId = identity.Account ?? 'unknown';
  } catch (error) {
    // Only refused or missing credentials are a credentials problem; an unreachable endpoint is not.
    if (!isCredentialsError(error)) throw error;
    throw new CredentialsError(`Could not identify the AWS account: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const inventories: RegionInventory[] = [];
  for (const region of regions) {
    inventories.push(await collectRegion(clientsFor(region), accountId, region, options));
  }
  const calls: Record<string, number> = {};
  for (const region of regions) {
    for (const [operation, count] of Object.entries(clientsFor(region).pacer.stats.calls)) {
      calls[operation] = (calls[operation] ?? 0) + count;
    }
  }
  return {
    version: INVENTORY_VERSION,
    collectedAt: (options.now?.() ?? new Date()).toISOString(),
    calls,
    regions: inventories,
  };
}
