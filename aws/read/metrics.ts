// Invocation counts from CloudWatch (GetMetricData, up to 500 queries a call), for `api-unused`.
import { type MetricDataQuery, paginateGetMetricData } from '@aws-sdk/client-cloudwatch';
import type { RegionClients } from '../clients';
import type { RegionInventory, RestApiEntry, V2ApiEntry } from './schema';

/**
 * Invocations per API over the last `days`, one data point each: REST APIs report `Count` by
 * API name, HTTP APIs `Count` by API id, WebSocket APIs `ConnectCount` and `MessageCount`.
 */
export async function readInvocations(
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
    const pages = paginateGetMetricData(
      { client: clients.cloudwatch },
      { MetricDataQueries: batch, StartTime: start, EndTime: now },
    );
    for await (const output of pages) {
      for (const result of output.MetricDataResults ?? []) {
        const apiId = apiOfQuery.get(result.Id);
        if (apiId)
          counts[apiId] = (counts[apiId] ?? 0) + (result.Values ?? []).reduce((sum, v) => sum + v, 0);
      }
    }
  }
  const windowStart = start.toISOString();
  return Object.fromEntries(
    Object.entries(counts).map(([apiId, count]) => [apiId, { count, days, windowStart }]),
  );
}
