// HTTP and WebSocket API reads (API Gateway v2): the calls a region read and a targeted read share.
import {
  type Api,
  GetApisCommand,
  GetIntegrationsCommand,
  GetRoutesCommand,
  GetAuthorizersCommand as GetV2AuthorizersCommand,
  GetStagesCommand as GetV2StagesCommand,
} from '@aws-sdk/client-apigatewayv2';
import { v2ApiArn } from '../../model/identity';
import { parseOrThrow } from '../../rules/core/validation';
import type { Caller, RegionClients } from '../clients';
import type { RegionRead } from './attempt';
import { PAGE, pagesV2 } from './pages';
import type { Read } from './plan';
import { type V2ApiEntry, v2ApiEntrySchema } from './schema';

/** Every HTTP and WebSocket API of the region (`GetApis`, every page). */
export async function listV2Apis(clients: RegionClients, caller: Caller) {
  return pagesV2((NextToken) =>
    caller.send(
      'apigateway',
      clients.apigatewayv2,
      new GetApisCommand({ MaxResults: String(PAGE), NextToken }),
    ),
  );
}

/** One HTTP/WebSocket API as a region read lists it, with the parts `plan` asks for, each read on its own. */
export async function readV2ApiEntry(read: RegionRead, api: Api): Promise<V2ApiEntry> {
  const { clients, caller, plan, part: attempt } = read;
  const ApiId = api.ApiId as string;
  const arn = v2ApiArn(read.region, ApiId);
  const part = async <T>(which: Read, operation: string, run: () => Promise<T[]>): Promise<T[]> =>
    plan.has(which) ? ((await attempt(which, operation, arn, run)) ?? []) : [];
  const stages = await part('v2-stages', 'GetStages', () => readV2Stages(clients, caller, ApiId));
  const routes = await part('v2-routes', 'GetRoutes', () => readV2Routes(clients, caller, ApiId));
  const integrations = await part('v2-integrations', 'GetIntegrations', () =>
    readV2Integrations(clients, caller, ApiId),
  );
  const authorizers = await part('v2-authorizers', 'GetAuthorizers', () =>
    readV2Authorizers(clients, caller, ApiId),
  );
  return parseOrThrow(
    v2ApiEntrySchema,
    { api, stages, routes, integrations, authorizers },
    `The responses for API ${ApiId}`,
  );
}

export async function readV2Stages(clients: RegionClients, caller: Caller, ApiId: string) {
  return pagesV2((NextToken) =>
    caller.send(
      'apigateway',
      clients.apigatewayv2,
      new GetV2StagesCommand({ ApiId, MaxResults: String(PAGE), NextToken }),
    ),
  );
}

export async function readV2Routes(clients: RegionClients, caller: Caller, ApiId: string) {
  return pagesV2((NextToken) =>
    caller.send(
      'apigateway',
      clients.apigatewayv2,
      new GetRoutesCommand({ ApiId, MaxResults: String(PAGE), NextToken }),
    ),
  );
}

export async function readV2Integrations(clients: RegionClients, caller: Caller, ApiId: string) {
  return pagesV2((NextToken) =>
    caller.send(
      'apigateway',
      clients.apigatewayv2,
      new GetIntegrationsCommand({ ApiId, MaxResults: String(PAGE), NextToken }),
    ),
  );
}

export async function readV2Authorizers(clients: RegionClients, caller: Caller, ApiId: string) {
  return pagesV2((NextToken) =>
    caller.send(
      'apigateway',
      clients.apigatewayv2,
      new GetV2AuthorizersCommand({ ApiId, MaxResults: String(PAGE), NextToken }),
    ),
  );
}
