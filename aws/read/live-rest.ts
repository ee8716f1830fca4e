// The targeted reads of REST APIs (API Gateway v1): one stage, an API with every stage, an API's
// own settings. What the event cannot have changed is the previous state's: the API's settings
// beside a stage, the methods of a deployment already seen, a web ACL whose ARN is unchanged.
import { restApiArn, restStageArn } from '../../model/identity';
import type { RestStageSnapshot } from '../../rules/core/resources';
import { isTransientError } from '../clients';
import { domainEntriesUnlessKnown, knownDomains } from './live-account';
import type { ReadSession } from './live-session';
import { recheckDestination, webAclOf } from './live-waf-logs';
import type { ServedMethod } from './normalise';
import {
  NOTHING_SERVED,
  readRestApiSettings,
  readRestDeployments,
  readRestStages,
  readRestWorkingCopy,
} from './rest';
import type { WebAcl } from './schema';

/** The API's settings (`GetRestApi`), once per session. */
const apiSettings = (session: ReadSession, apiId: string) =>
  session.once(`rest-api ${apiId}`, () => readRestApiSettings(session.clients, apiId));

/** One stage; the API's snapshot too when the previous state knows it (`withApi`). */
export async function readRestStageTarget(
  session: ReadSession,
  apiId: string,
  stageName: string,
  withApi: boolean,
): Promise<void> {
  const { clients, region } = session;
  const arn = restStageArn(region, apiId, stageName);
  await session.attempt('GetStage', arn, [arn], async () => {
    // The API's own settings change only through events that re-read the API itself
    // (UpdateRestApi, TagResource, …): a stage event keeps the previous state's API snapshot,
    // and its stage takes the API's id and name from it, as the stage's snapshot names them.
    const apiKnown = session.previousOf(restApiArn(region, apiId), 'rest-api');
    const api = apiKnown ? { id: apiId, name: apiKnown.name } : await apiSettings(session, apiId);
    const [stage] = await readRestStages(clients, apiId, stageName);
    if (!stage) throw new Error(`GetStage returned no stage for ${arn}`);
    const before = session.previousOf(arn, 'rest-stage');
    const reuseMethods = before !== undefined && before.deploymentId === (stage.deploymentId ?? null);
    const served = reuseMethods
      ? NOTHING_SERVED
      : {
          ...(await readRestWorkingCopy(clients, apiId, { withAuthorizers: false })),
          deployments: await readRestDeployments(clients, apiId, [stage.deploymentId], isTransientError),
        };
    const webAcl = await webAclOf(session, stage.webAclArn, before);
    await recheckDestination(session, before, stage.accessLogSettings?.destinationArn);
    const normalised = session.normalise(`REST API stage ${arn}`, {
      restApis: [{ api, stages: [stage], ...served }],
      webAcls: webAcl.read ? { [webAcl.read.ARN]: webAcl.read } : {},
    });
    for (const snapshot of normalised.estate.restStages) {
      session.add({
        ...snapshot,
        methods: before && reuseMethods ? before.methods : withKnownAuthorizers(snapshot.methods, before),
        ...(webAcl.reused ? { webAcl: webAcl.reused } : {}),
      });
    }
    if (!reuseMethods) {
      for (const stage of normalised.estate.restStages) session.addCompared(stage.arn);
      for (const stage of normalised.pendingRestStages) session.addPending(stage);
    }
    if (withApi && apiKnown) session.add(apiKnown);
  });
}

/** The API and every stage, with the working copy read once for pending drift. */
export async function readRestStagesTarget(session: ReadSession, apiId: string): Promise<void> {
  const { clients, region } = session;
  const apiArn = restApiArn(region, apiId);
  await session.attempt('GetStages', apiArn, [apiArn], async () => {
    const api = await apiSettings(session, apiId);
    const stages = await readRestStages(clients, apiId);
    const workingCopy = await readRestWorkingCopy(clients, apiId);

    // A deployment never changes: the methods the previous state saw a stage serve from one
    // stand for it instead of it being read again.
    const served = new Map<string, readonly ServedMethod[]>();
    const befores = new Map(
      stages.map((stage) => {
        const arn = restStageArn(region, apiId, stage.stageName as string);
        return [arn, session.previousOf(arn, 'rest-stage')] as const;
      }),
    );
    for (const before of befores.values()) {
      if (before?.deploymentId && before.methods.source === 'deployment') {
        served.set(before.deploymentId, before.methods.served);
      }
    }
    const deployments = await readRestDeployments(
      clients,
      apiId,
      stages.map((stage) => stage.deploymentId).filter((id) => id && !served.has(id)),
      isTransientError,
    );

    const webAcls: Record<string, WebAcl> = {};
    const reusedWebAcls = new Map<string, RestStageSnapshot['webAcl']>();
    for (const stage of stages) {
      const arn = restStageArn(region, apiId, stage.stageName as string);
      const webAcl = await webAclOf(session, stage.webAclArn, befores.get(arn));
      if (webAcl.read) webAcls[webAcl.read.ARN] = webAcl.read;
      if (webAcl.reused) reusedWebAcls.set(arn, webAcl.reused);
    }

    const apiBefore = session.previousOf(apiArn, 'rest-api');
    const normalised = session.normalise(
      `REST API ${apiArn}`,
      {
        restApis: [{ api, stages, ...workingCopy, deployments }],
        webAcls,
        domainNames: await domainEntriesUnlessKnown(session, apiBefore, apiArn),
      },
      { served },
    );
    for (const snapshot of normalised.estate.restApis) session.add(knownDomains(snapshot, apiBefore));
    for (const snapshot of normalised.estate.restStages) {
      const reused = reusedWebAcls.get(snapshot.arn);
      session.add(reused ? { ...snapshot, webAcl: reused } : snapshot);
      session.addCompared(snapshot.arn);
    }
    for (const stage of normalised.pendingRestStages) {
      const reused = reusedWebAcls.get(stage.arn);
      session.addPending(reused ? { ...stage, webAcl: reused } : stage);
    }
  });
}

/** The API's own settings; its custom domains from the previous state when it knows them. */
export async function readRestApiTarget(session: ReadSession, apiId: string): Promise<void> {
  const apiArn = restApiArn(session.region, apiId);
  await session.attempt('GetRestApi', apiArn, [apiArn], async () => {
    const api = await apiSettings(session, apiId);
    const before = session.previousOf(apiArn, 'rest-api');
    const normalised = session.normalise(`REST API ${apiArn}`, {
      restApis: [{ api, stages: [], ...NOTHING_SERVED }],
      domainNames: await domainEntriesUnlessKnown(session, before, apiArn),
    });
    for (const snapshot of normalised.estate.restApis) session.add(knownDomains(snapshot, before));
  });
}

/** Authorizer names and types are not read for one stage; the previous state may know them. */
function withKnownAuthorizers(
  methods: RestStageSnapshot['methods'],
  before: RestStageSnapshot | undefined,
): RestStageSnapshot['methods'] {
  const known = new Map(
    (before?.methods.served ?? []).flatMap((method) =>
      method.authorizer && method.authorizer.type !== 'UNKNOWN'
        ? [[method.authorizer.authorizerId, method.authorizer] as const]
        : [],
    ),
  );
  return {
    ...methods,
    served: methods.served.map((method) => {
      const details = method.authorizer ? known.get(method.authorizer.authorizerId) : undefined;
      return details ? { ...method, authorizer: details } : method;
    }),
  };
}
