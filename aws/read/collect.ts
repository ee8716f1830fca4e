// Live collection: AWS SDK v3 → raw inventory, with as few calls as the APIs allow.
// Stages come in one call per API with their web ACL; methods come inline with their
// resources; each distinct deployment and web ACL is read once; every page is followed.
import {
  GetAccountCommand,
  GetAuthorizersCommand,
  GetDeploymentCommand,
  GetRequestValidatorsCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  GetRestApisCommand,
  GetStageCommand,
  GetStagesCommand,
  type Stage,
} from '@aws-sdk/client-api-gateway';
import {
  GetApiMappingsCommand,
  GetApisCommand,
  GetDomainNamesCommand,
  GetIntegrationsCommand,
  GetRoutesCommand,
  GetAuthorizersCommand as GetV2AuthorizersCommand,
  GetStagesCommand as GetV2StagesCommand,
} from '@aws-sdk/client-apigatewayv2';
import { GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { GetWebACLCommand } from '@aws-sdk/client-wafv2';
import { accountArn, apiGatewayArn, arnIn, restApiArn, v2ApiArn } from '../../model/identity';
import { parseOrThrow } from '../../rules/core/validation';
import { classifyError, failedOperation, isCredentialsError, type RegionClients } from '../clients';
import { readLoggingPath } from './collect-logging';
import {
  type CollectionError,
  type DomainEntry,
  domainEntrySchema,
  INVENTORY_VERSION,
  type Inventory,
  type RegionInventory,
  type RestApiEntry,
  restApiEntrySchema,
  type V2ApiEntry,
  v2ApiEntrySchema,
  webAclSchema,
} from './schema';

export interface CollectOptions {
  /** Days of invocation metrics to read for `api-unused`; 0 skips CloudWatch. */
  readonly metricsDays: number;
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

/** Stops a scan that cannot succeed at all (no credentials, expired token). */
export class CredentialsError extends Error {
  override readonly name = 'CredentialsError';
}

export async function collectRegion(
  clients: RegionClients,
  accountId: string,
  region: string,
  options: CollectOptions,
): Promise<RegionInventory> {
  const errors: CollectionError[] = [];
  const attempt = async <T>(
    operation: string,
    resource: string,
    read: () => Promise<T>,
  ): Promise<T | undefined> => {
    try {
      return await read();
    } catch (error) {
      if (isCredentialsError(error)) throw new CredentialsError((error as Error).message, { cause: error });
      if (options.rethrow?.(error)) throw error;
      errors.push({ operation: failedOperation(error) ?? operation, resource, ...classifyError(error) });
      return undefined;
    }
  };
  const regionResource = apiGatewayArn(region, '/');

  const account = await attempt('GetAccount', accountArn(region), () =>
    clients.apigateway.send(new GetAccountCommand({})),
  );
  const loggingPath = options.loggingPath
    ? await readLoggingPath(clients, { region, accountId }, account?.cloudwatchRoleArn || null, attempt)
    : undefined;
  const restApiList = (await attempt('GetRestApis', regionResource, () => listRestApis(clients))) ?? [];
  const v2ApiList = (await attempt('GetApis', regionResource, () => listV2Apis(clients))) ?? [];

  const total = restApiList.length + v2ApiList.length;
  let done = 0;
  const tick = () => options.onProgress?.({ done: ++done, total });
  const concurrency = options.concurrency ?? 4;

  const restApis = await mapPool(restApiList, concurrency, async (api) => {
    const entry = await attempt('GetRestApi', restApiArn(region, api.id ?? '?'), () =>
      readRestApi(clients, api, options.rethrow),
    );
    tick();
    return entry;
  });
  const v2Apis = await mapPool(v2ApiList, concurrency, async (api) => {
    const entry = await attempt('GetApi', v2ApiArn(region, api.ApiId ?? '?'), () => readV2Api(clients, api));
    tick();
    return entry;
  });
  const domainNames =
    (await attempt('GetDomainNames', regionResource, () => readDomainNames(clients, concurrency))) ?? [];

  const webAclArns = [
    ...new Set(
      restApis.flatMap((entry) => entry?.stages.map((stage) => stage.webAclArn) ?? []).filter(Boolean),
    ),
  ] as string[];
  const webAcls: RegionInventory['webAcls'] = {};
  for (const arn of webAclArns) {
    const webAcl = await attempt('GetWebACL', arn, () => readWebAcl(clients, arn));
    if (webAcl) webAcls[arn] = webAcl;
  }

  const presentRest = restApis.filter((entry): entry is RestApiEntry => entry !== undefined);
  const presentV2 = v2Apis.filter((entry): entry is V2ApiEntry => entry !== undefined);
  const invocations =
    options.metricsDays > 0
      ? ((await attempt('GetMetricData', arnIn('cloudwatch', region, accountId, ''), () =>
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
    account: account ? { ...stripMetadata(account) } : null,
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

// ─── REST ───────────────────────────────────────────────────────────────────────────────

export const PAGE = 500;

async function listRestApis(clients: RegionClients) {
  return pagesV1((position) => clients.apigateway.send(new GetRestApisCommand({ limit: PAGE, position })));
}

async function readRestApi(
  clients: RegionClients,
  api: NonNullable<Awaited<ReturnType<typeof listRestApis>>[number]>,
  rethrow?: (error: unknown) => boolean,
): Promise<RestApiEntry> {
  const restApiId = api.id as string;
  const stages = await readRestStages(clients, restApiId);
  const workingCopy = await readRestWorkingCopy(clients, restApiId);
  const deployments = await readRestDeployments(
    clients,
    restApiId,
    stages.map((stage) => stage.deploymentId),
    rethrow,
  );
  return parseOrThrow(
    restApiEntrySchema,
    { api, stages, ...workingCopy, deployments },
    `The responses for REST API ${restApiId}`,
  );
}

/** A REST API's own settings (`GetRestApi`): name, tags, policy, endpoint configuration. */
export async function readRestApiSettings(clients: RegionClients, restApiId: string) {
  return stripMetadata(await clients.apigateway.send(new GetRestApiCommand({ restApiId })));
}

/** Every stage of a REST API in one call (`GetStages`), or just one (`GetStage`). */
export async function readRestStages(
  clients: RegionClients,
  restApiId: string,
  stageName?: string,
): Promise<Stage[]> {
  const { apigateway } = clients;
  if (stageName !== undefined) {
    return [stripMetadata(await apigateway.send(new GetStageCommand({ restApiId, stageName })))];
  }
  return (await apigateway.send(new GetStagesCommand({ restApiId }))).item ?? [];
}

/** The API's working copy: resources with their methods inline, authorizers, request validators. */
/**
 * The API's current definition: resources with their methods inline, and the request
 * validators the methods use (read only when one does). Authorizers are read for their names
 * unless `withAuthorizers` is false: no rule needs them, and a method keeps its authorizer id.
 */
export async function readRestWorkingCopy(
  clients: RegionClients,
  restApiId: string,
  { withAuthorizers = true }: { withAuthorizers?: boolean } = {},
) {
  const { apigateway } = clients;
  const resources = await pagesV1((position) =>
    apigateway.send(new GetResourcesCommand({ restApiId, embed: ['methods'], limit: PAGE, position })),
  );
  const methods = resources.flatMap((resource) => Object.values(resource.resourceMethods ?? {}));
  const authorizers =
    withAuthorizers && methods.some((method) => method.authorizerId)
      ? await pagesV1((position) =>
          apigateway.send(new GetAuthorizersCommand({ restApiId, limit: PAGE, position })),
        )
      : [];
  const requestValidators = methods.some((method) => method.requestValidatorId)
    ? await pagesV1((position) =>
        apigateway.send(new GetRequestValidatorsCommand({ restApiId, limit: PAGE, position })),
      )
    : [];
  return { resources, authorizers, requestValidators };
}

/**
 * What stages serve: each distinct deployment once, with its API summary. A deployment that
 * cannot be read (an old one, an endpoint that lacks the call) is left out, so its stages are
 * judged on the working copy, and the reason says so.
 */
export async function readRestDeployments(
  clients: RegionClients,
  restApiId: string,
  deploymentIds: Iterable<string | undefined | null>,
  /** Errors to throw rather than fall back on the working copy (refused credentials always are). */
  rethrow: (error: unknown) => boolean = () => false,
): Promise<Record<string, unknown>> {
  const deployments: Record<string, unknown> = {};
  for (const deploymentId of new Set([...deploymentIds].filter(Boolean)) as Set<string>) {
    try {
      const deployment = await clients.apigateway.send(
        new GetDeploymentCommand({ restApiId, deploymentId, embed: ['apisummary'] }),
      );
      deployments[deploymentId] = { ...stripMetadata(deployment), id: deployment.id ?? deploymentId };
    } catch (error) {
      if (isCredentialsError(error) || rethrow(error)) throw error;
    }
  }
  return deployments;
}

// ─── HTTP and WebSocket ─────────────────────────────────────────────────────────────────

export async function listV2Apis(clients: RegionClients) {
  return pagesV2((NextToken) =>
    clients.apigatewayv2.send(new GetApisCommand({ MaxResults: String(PAGE), NextToken })),
  );
}

async function readV2Api(
  clients: RegionClients,
  api: NonNullable<Awaited<ReturnType<typeof listV2Apis>>[number]>,
): Promise<V2ApiEntry> {
  const ApiId = api.ApiId as string;
  const stages = await readV2Stages(clients, ApiId);
  const routes = await readV2Routes(clients, ApiId);
  const integrations = await readV2Integrations(clients, ApiId);
  const authorizers = await readV2Authorizers(clients, ApiId);
  return parseOrThrow(
    v2ApiEntrySchema,
    { api, stages, routes, integrations, authorizers },
    `The responses for API ${ApiId}`,
  );
}

export async function readV2Stages(clients: RegionClients, ApiId: string) {
  return pagesV2((NextToken) =>
    clients.apigatewayv2.send(new GetV2StagesCommand({ ApiId, MaxResults: String(PAGE), NextToken })),
  );
}

export async function readV2Routes(clients: RegionClients, ApiId: string) {
  return pagesV2((NextToken) =>
    clients.apigatewayv2.send(new GetRoutesCommand({ ApiId, MaxResults: String(PAGE), NextToken })),
  );
}

export async function readV2Integrations(clients: RegionClients, ApiId: string) {
  return pagesV2((NextToken) =>
    clients.apigatewayv2.send(new GetIntegrationsCommand({ ApiId, MaxResults: String(PAGE), NextToken })),
  );
}

export async function readV2Authorizers(clients: RegionClients, ApiId: string) {
  return pagesV2((NextToken) =>
    clients.apigatewayv2.send(new GetV2AuthorizersCommand({ ApiId, MaxResults: String(PAGE), NextToken })),
  );
}

// ─── Custom domains, web ACLs, metrics ──────────────────────────────────────────────────

/** Every custom domain name with its API mappings; a domain deleted while being read is left out. */
export async function readDomainNames(clients: RegionClients, concurrency: number): Promise<DomainEntry[]> {
  const domains = await pagesV2((NextToken) =>
    clients.apigatewayv2.send(new GetDomainNamesCommand({ MaxResults: String(PAGE), NextToken })),
  );
  const entries = await mapPool(domains, concurrency, async (domain) => {
    try {
      return await readDomainEntry(clients, domain);
    } catch (error) {
      if (classifyError(error).kind === 'gone') return undefined;
      throw error;
    }
  });
  return entries.filter((entry): entry is DomainEntry => entry !== undefined);
}

/** One custom domain name's entry: its API mappings (every page) beside what `GetDomainName(s)` said of it. */
export async function readDomainEntry(
  clients: RegionClients,
  domain: { DomainName?: string },
): Promise<DomainEntry> {
  const DomainName = domain.DomainName as string;
  const apiMappings = await pagesV2((NextToken) =>
    clients.apigatewayv2.send(new GetApiMappingsCommand({ DomainName, MaxResults: String(PAGE), NextToken })),
  );
  return parseOrThrow(domainEntrySchema, { domainName: domain, apiMappings }, `Domain name ${DomainName}`);
}

/** `arn:aws:wafv2:REGION:ACCOUNT:regional/webacl/NAME/ID` */
export function parseWebAclArn(arn: string): { Name: string; Id: string; Scope: 'REGIONAL' | 'CLOUDFRONT' } {
  const match = /^arn:[^:]+:wafv2:[^:]*:\d*:(regional|global)\/webacl\/([^/]+)\/([^/]+)$/.exec(arn);
  if (!match) throw new Error(`Not a WAFv2 web ACL ARN: ${arn}`);
  return {
    Scope: match[1] === 'global' ? 'CLOUDFRONT' : 'REGIONAL',
    Name: match[2] as string,
    Id: match[3] as string,
  };
}

/** A web ACL's contents (`GetWebACL`), or undefined when WAF returns none. */
export async function readWebAcl(clients: RegionClients, arn: string) {
  const output = await clients.wafv2.send(new GetWebACLCommand(parseWebAclArn(arn)));
  return output.WebACL ? parseOrThrow(webAclSchema, output.WebACL, `Web ACL ${arn}`) : undefined;
}

/**
 * Invocations per API over the last `days`, one data point each: REST APIs report `Count` by
 * API name, HTTP APIs `Count` by API id, WebSocket APIs `ConnectCount` and `MessageCount`.
 */
async function readInvocations(
  clients: RegionClients,
  restApis: readonly RestApiEntry[],
  v2Apis: readonly V2ApiEntry[],
  days: number,
  now: Date,
): Promise<RegionInventory['invocations']> {
  const period = days * 86_400;
  const start = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000 - period * 1000);
  const queries: { apiId: string; query: MetricDataQuery }[] = [];
  const metric = (apiId: string, name: string, dimension: { Name: string; Value: string }) =>
    queries.push({
      apiId,
      query: {
        Id: `m${queries.length}`,
        MetricStat: {
          Metric: { Namespace: 'AWS/ApiGateway', MetricName: name, Dimensions: [dimension] },
          Period: period,
          Stat: 'Sum',
        },
        ReturnData: true,
      },
    });
  for (const { api } of restApis) metric(api.id, 'Count', { Name: 'ApiName', Value: api.name });
  for (const { api } of v2Apis) {
    if (api.ProtocolType === 'HTTP') metric(api.ApiId, 'Count', { Name: 'ApiId', Value: api.ApiId });
    else {
      metric(api.ApiId, 'ConnectCount', { Name: 'ApiId', Value: api.ApiId });
      metric(api.ApiId, 'MessageCount', { Name: 'ApiId', Value: api.ApiId });
    }
  }
  const counts: Record<string, number> = Object.fromEntries(queries.map(({ apiId }) => [apiId, 0]));
  const apiOfQuery = new Map(queries.map(({ apiId, query }) => [query.Id, apiId]));
  for (let i = 0; i < queries.length; i += 500) {
    const batch = queries.slice(i, i + 500).map(({ query }) => query);
    let NextToken: string | undefined;
    do {
      const output = await clients.cloudwatch.send(
        new GetMetricDataCommand({ MetricDataQueries: batch, StartTime: start, EndTime: now, NextToken }),
      );
      for (const result of output.MetricDataResults ?? []) {
        const apiId = apiOfQuery.get(result.Id);
        if (apiId)
          counts[apiId] = (counts[apiId] ?? 0) + (result.Values ?? []).reduce((sum, v) => sum + v, 0);
      }
      NextToken = output.NextToken;
    } while (NextToken);
  }
  const windowStart = start.toISOString();
  return Object.fromEntries(
    Object.entries(counts).map(([apiId, count]) => [apiId, { count, days, windowStart }]),
  );
}

// ─── Helpers ────────────────────────────────────────────────────────────────────────────

/** Follows API Gateway v1 pages (`position`). */
export async function pagesV1<T>(
  read: (position?: string) => Promise<{ items?: T[]; position?: string }>,
): Promise<T[]> {
  const all: T[] = [];
  let position: string | undefined;
  do {
    const page = await read(position);
    all.push(...(page.items ?? []));
    position = page.position;
  } while (position);
  return all;
}

/** Follows API Gateway v2 pages (`NextToken`). */
export async function pagesV2<T>(
  read: (token?: string) => Promise<{ Items?: T[]; NextToken?: string }>,
): Promise<T[]> {
  const all: T[] = [];
  let token: string | undefined;
  do {
    const page = await read(token);
    all.push(...(page.Items ?? []));
    token = page.NextToken;
  } while (token);
  return all;
}

/** Maps with at most `limit` promises in flight, keeping order. */
async function mapPool<T, R>(items: readonly T[], limit: number, map: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await map(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export function stripMetadata<T extends { $metadata?: unknown }>(output: T): Omit<T, '$metadata'> {
  const { $metadata: _ignored, ...rest } = output;
  return rest;
}
