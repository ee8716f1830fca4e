// HTTP and WebSocket API reads (API Gateway v2): the calls a region read and a targeted read share.
import {
  type Api,
  GetApiCommand,
  GetApisCommand,
  GetIntegrationsCommand,
  GetRouteCommand,
  GetRoutesCommand,
  GetAuthorizerCommand as GetV2AuthorizerCommand,
  GetAuthorizersCommand as GetV2AuthorizersCommand,
  GetStageCommand as GetV2StageCommand,
  GetStagesCommand as GetV2StagesCommand,
} from '@aws-sdk/client-apigatewayv2';
import { v2ApiArn } from '../../model/identity';
import { parseOrThrow } from '../../rules/core/validation';
import type { RegionClients } from '../clients';
import type { RegionRead } from './attempt';
import { allItems, PAGE, paginate, stripMetadata } from './pages';
import type { Read } from './plan';
import { type V2ApiEntry, v2ApiEntrySchema } from './schema';

/** Every HTTP and WebSocket API of the region (`GetApis`, every page). */
export async function listV2Apis(clients: RegionClients) {
  return allItems(
    paginate(
      (input) => clients.apigatewayv2.send(new GetApisCommand(input)),
      { MaxResults: String(PAGE) },
      'NextToken',
    ),
    (page) => page.Items,
  );
}

/** One HTTP/WebSocket API as a region read lists it, with the parts `plan` asks for, each read on its own. */
export async function readV2ApiEntry(read: RegionRead, api: Api): Promise<V2ApiEntry> {
  const { clients, plan, part: attempt } = read;
  const ApiId = api.ApiId as string;
  const arn = v2ApiArn(read.region, ApiId);
  const part = async <T>(which: Read, operation: string, run: () => Promise<T[]>): Promise<T[]> =>
    plan.has(which) ? ((await attempt(which, operation, arn, run)) ?? []) : [];
  const stages = await part('v2-stages', 'GetStages', () => readV2Stages(clients, ApiId));
  const routes = await part('v2-routes', 'GetRoutes', () => readV2Routes(clients, ApiId));
  const integrations = await part('v2-integrations', 'GetIntegrations', () =>
    readV2Integrations(clients, ApiId),
  );
  const authorizers = await part('v2-authorizers', 'GetAuthorizers', () => readV2Authorizers(clients, ApiId));
  return parseOrThrow(
    v2ApiEntrySchema,
    { api, stages, routes, integrations, authorizers },
    `The responses for API ${ApiId}`,
  );
}

export async function readV2Stages(clients: RegionClients, ApiId: string) {
  return allItems(
    paginate(
      (input) => clients.apigatewayv2.send(new GetV2StagesCommand(input)),
      { ApiId, MaxResults: String(PAGE) },
      'NextToken',
    ),
    (page) => page.Items,
  );
}

export async function readV2Routes(clients: RegionClients, ApiId: string) {
  return allItems(
    paginate(
      (input) => clients.apigatewayv2.send(new GetRoutesCommand(input)),
      { ApiId, MaxResults: String(PAGE) },
      'NextToken',
    ),
    (page) => page.Items,
  );
}

export async function readV2Integrations(clients: RegionClients, ApiId: string) {
  return allItems(
    paginate(
      (input) => clients.apigatewayv2.send(new GetIntegrationsCommand(input)),
      { ApiId, MaxResults: String(PAGE) },
      'NextToken',
    ),
    (page) => page.Items,
  );
}

export async function readV2Authorizers(clients: RegionClients, ApiId: string) {
  return allItems(
    paginate(
      (input) => clients.apigatewayv2.send(new GetV2AuthorizersCommand(input)),
      { ApiId, MaxResults: String(PAGE) },
      'NextToken',
    ),
    (page) => page.Items,
  );
}

// ─── One resource at a time: what a targeted read (aws/read/live.ts) fetches ────────────

/** One HTTP/WebSocket API's own settings (`GetApi`). */
export async function readV2Api(clients: RegionClients, ApiId: string) {
  return stripMetadata(await clients.apigatewayv2.send(new GetApiCommand({ ApiId })));
}

/** One stage of an HTTP/WebSocket API (`GetStage`). */
export async function readV2Stage(clients: RegionClients, ApiId: string, StageName: string) {
  return stripMetadata(await clients.apigatewayv2.send(new GetV2StageCommand({ ApiId, StageName })));
}

/** One route (`GetRoute`). */
export async function readV2Route(clients: RegionClients, ApiId: string, RouteId: string) {
  return stripMetadata(await clients.apigatewayv2.send(new GetRouteCommand({ ApiId, RouteId })));
}

/** One authorizer (`GetAuthorizer`). */
export async function readV2Authorizer(clients: RegionClients, ApiId: string, AuthorizerId: string) {
  return stripMetadata(await clients.apigatewayv2.send(new GetV2AuthorizerCommand({ ApiId, AuthorizerId })));
}
