// The targeted reads of HTTP and WebSocket APIs (API Gateway v2): an API, a stage, a route, an
// API's routes. The API's own settings are read once per session.
import { v2ApiArn, v2RouteArn, v2StageArn } from '../../model/identity';
import { domainEntriesUnlessKnown, knownDomains } from './live-account';
import type { ReadSession } from './live-session';
import { recheckDestination } from './live-waf-logs';
import {
  readV2Api,
  readV2Authorizer,
  readV2Authorizers,
  readV2Integrations,
  readV2Route,
  readV2Routes,
  readV2Stage,
} from './v2';

const NOTHING = { stages: [], routes: [], integrations: [], authorizers: [] };

/** The API's settings (`GetApi`), once per session. */
const apiSettings = (session: ReadSession, apiId: string) =>
  session.once(`v2-api ${apiId}`, () => readV2Api(session.clients, apiId));

/** The API with its integrations; its custom domains from the previous state when it knows them. */
export async function readV2ApiTarget(session: ReadSession, apiId: string): Promise<void> {
  const apiArn = v2ApiArn(session.region, apiId);
  await session.attempt('GetApi', apiArn, [apiArn], async () => {
    const api = await apiSettings(session, apiId);
    const integrations = await readV2Integrations(session.clients, apiId);
    const before = session.previousOf(apiArn, 'v2-api');
    const normalised = session.normalise(`API ${apiArn}`, {
      v2Apis: [{ ...NOTHING, api, integrations }],
      domainNames: await domainEntriesUnlessKnown(session, before, apiArn),
    });
    for (const snapshot of normalised.estate.v2Apis) session.add(knownDomains(snapshot, before));
  });
}

export async function readV2StageTarget(
  session: ReadSession,
  apiId: string,
  stageName: string,
): Promise<void> {
  const arn = v2StageArn(session.region, apiId, stageName);
  await session.attempt('GetStage', arn, [arn], async () => {
    const api = await apiSettings(session, apiId);
    const stage = await readV2Stage(session.clients, apiId, stageName);
    await recheckDestination(
      session,
      session.previousOf(arn, 'v2-stage'),
      stage.AccessLogSettings?.DestinationArn,
    );
    const normalised = session.normalise(`stage ${arn}`, { v2Apis: [{ ...NOTHING, api, stages: [stage] }] });
    for (const snapshot of normalised.estate.v2Stages) session.add(snapshot);
  });
}

export async function readV2RouteTarget(session: ReadSession, apiId: string, routeId: string): Promise<void> {
  const arn = v2RouteArn(session.region, apiId, routeId);
  await session.attempt('GetRoute', arn, [arn], async () => {
    const api = await apiSettings(session, apiId);
    const route = await readV2Route(session.clients, apiId, routeId);
    const AuthorizerId = route.AuthorizerId;
    // An authorizer deleted meanwhile leaves the route without one, as normalise shows an unknown id.
    const authorizer = AuthorizerId
      ? await session.attempt('GetAuthorizer', arn, [], () =>
          readV2Authorizer(session.clients, apiId, AuthorizerId),
        )
      : undefined;
    const normalised = session.normalise(`route ${arn}`, {
      v2Apis: [{ ...NOTHING, api, routes: [route], authorizers: authorizer ? [authorizer] : [] }],
    });
    for (const snapshot of normalised.estate.v2Routes) session.add(snapshot);
  });
}

export async function readV2RoutesTarget(session: ReadSession, apiId: string): Promise<void> {
  const apiArn = v2ApiArn(session.region, apiId);
  await session.attempt('GetRoutes', apiArn, [apiArn], async () => {
    const api = await apiSettings(session, apiId);
    const routes = await readV2Routes(session.clients, apiId);
    // Read on its own: without the authorizers, the routes are still judged by the rules that do not need them.
    const authorizers =
      (await session.attempt(
        'GetAuthorizers',
        apiArn,
        null,
        () => readV2Authorizers(session.clients, apiId),
        'v2-authorizers',
      )) ?? [];
    const normalised = session.normalise(`API ${apiArn}`, {
      v2Apis: [{ ...NOTHING, api, routes, authorizers }],
    });
    for (const snapshot of normalised.estate.v2Routes) session.add(snapshot);
  });
}
