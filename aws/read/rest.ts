// REST API reads (API Gateway v1): the calls a region read and a targeted read share.
import {
  GetAuthorizersCommand,
  GetDeploymentCommand,
  GetRequestValidatorsCommand,
  GetRestApiCommand,
  GetStageCommand,
  GetStagesCommand,
  paginateGetResources,
  paginateGetRestApis,
  type RestApi,
  type Stage,
} from '@aws-sdk/client-api-gateway';
import { restApiArn } from '../../model/identity';
import { parseOrThrow } from '../../rules/core/validation';
import { isCredentialsError, type RegionClients } from '../clients';
import type { RegionRead } from './attempt';
import { allItems, PAGE, paginate, stripMetadata } from './pages';
import { type RestApiEntry, restApiEntrySchema } from './schema';

/** Every REST API of the region (`GetRestApis`, every page). */
export async function listRestApis(clients: RegionClients) {
  return allItems(paginateGetRestApis({ client: clients.apigateway }, { limit: PAGE }), (page) => page.items);
}

/** One REST API as a region read lists it, with the parts `plan` asks for, each read on its own. */
export async function readRestApiEntry(read: RegionRead, api: RestApi): Promise<RestApiEntry> {
  const { clients, plan, part: attempt, rethrow } = read;
  const restApiId = api.id as string;
  const arn = restApiArn(read.region, restApiId);
  const stages = plan.has('rest-stages')
    ? ((await attempt('rest-stages', 'GetStages', arn, () => readRestStages(clients, restApiId))) ?? [])
    : [];
  const served = plan.has('rest-methods')
    ? await attempt('rest-methods', 'GetResources', arn, async () => ({
        ...(await readRestWorkingCopy(clients, restApiId)),
        deployments: await readRestDeployments(
          clients,
          restApiId,
          stages.map((stage) => stage.deploymentId),
          rethrow,
        ),
      }))
    : undefined;
  return parseOrThrow(
    restApiEntrySchema,
    { api, stages, ...(served ?? NOTHING_SERVED) },
    `The responses for REST API ${restApiId}`,
  );
}

/** The working copy and deployments of an API whose methods were not read. */
export const NOTHING_SERVED = { resources: [], authorizers: [], requestValidators: [], deployments: {} };

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
  const resources = await allItems(
    paginateGetResources({ client: apigateway }, { restApiId, embed: ['methods'], limit: PAGE }),
    (page) => page.items,
  );
  const methods = resources.flatMap((resource) => Object.values(resource.resourceMethods ?? {}));
  const authorizers =
    withAuthorizers && methods.some((method) => method.authorizerId)
      ? await allItems(
          paginate(
            (input) => apigateway.send(new GetAuthorizersCommand(input)),
            { restApiId, limit: PAGE },
            'position',
          ),
          (page) => page.items,
        )
      : [];
  const requestValidators = methods.some((method) => method.requestValidatorId)
    ? await allItems(
        paginate(
          (input) => apigateway.send(new GetRequestValidatorsCommand(input)),
          { restApiId, limit: PAGE },
          'position',
        ),
        (page) => page.items,
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
