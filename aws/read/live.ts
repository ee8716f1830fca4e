// Reads a drift target afresh from AWS, with as few calls as the target allows: what the event
// cannot have changed is taken from the previous state (the baseline). Responses are validated
// with the inventory schemas and normalised by normaliseRegion, exactly as a scan would.
//
// Call plan per target kind: requests with one page per list. "prev" is the baseline's snapshot
// of the same resource; v1 is API Gateway's REST API, v2 its HTTP/WebSocket API.
//
// | target      | calls                                                                | prev known | not known |
// |-------------|----------------------------------------------------------------------|------------|-----------|
// | rest-stage  | v1 GetRestApi + GetStage                                             |     2      |     2     |
// |             |  methods: prev's when deploymentId unchanged, else GetResources      |     0      |     4     |
// |             |   (embed methods) + GetAuthorizers + GetRequestValidators            |            |           |
// |             |   + GetDeployment (embed apisummary)                                 |            |           |
// |             |  web ACL: prev's when its ARN is unchanged, else wafv2 GetWebACL     |     0      |     1     |
// |             |  DescribeLogGroups, only while prev says the access log destination  |    (1)     |     0     |
// |             |   was deleted and the stage still points at it                       |            |           |
// |             |  = total                                                             |   2 (3)    |     7     |
// | rest-stages | GetRestApi + GetStages + working copy (3, for pending drift)         |     5      |     5     |
// |             |  + GetDeployment per distinct deployment prev has not seen served    |     0      |     D     |
// |             |  + GetWebACL per distinct web ACL prev has not seen                  |     0      |     W     |
// |             |  + custom domains: prev's, else GetDomainNames + GetApiMappings × M  |     0      |   1 + M   |
// | rest-api    | GetRestApi + custom domains as above                                 |     1      |   2 + M   |
// | v2-api      | v2 GetApi + GetIntegrations + custom domains as above                |     2      |   3 + M   |
// | v2-stage    | GetApi + GetStage (+ DescribeLogGroups as for rest-stage)            |   2 (3)    |     2     |
// | v2-route    | GetApi + GetRoute + GetAuthorizer when the route has an authorizer   |    2–3     |    2–3    |
// | v2-routes   | GetApi + GetRoutes + GetAuthorizers                                  |     3      |     3     |
// | domain-name | v2 GetDomainName + GetApiMappings                                    |     2      |     2     |
// | account     | v1 GetAccount, + the logging-path parts the target `reads`:          |     1      |     1     |
// |             |  cloudwatch-role: iam GetRole (none when no role is named)            |    +1      |    +1     |
// |             |  trails: DescribeTrails + GetTrailStatus, GetEventSelectors per trail |  +1 + 2T   |  +1 + 2T  |
// |             |  log-resource-policies: logs DescribeResourcePolicies; the HTTP      |    +1      | +2 + H    |
// |             |   stages' log groups from prev, else GetApis + GetStages per HTTP API |            |           |
// |             |  parts not asked for are prev's (left out when prev does not know)   |            |           |
// | trail       | each region prev knows the account settings of, as account with     |  R × (2+2T)|     —     |
// |             |  trails (a multi-region or organization trail logs them all)         |            |           |
// | iam-role    | each region whose account settings prev saw naming the role, as     |   R × 2    |     —     |
// |             |  account with cloudwatch-role                                        |            |           |
// | web-acl     | wafv2 ListResourcesForWebACL (ResourceType API_GATEWAY), then the    | 2 + A + S  |   as if   |
// |             |  listed stages ∪ prev's stages with the web ACL, each as rest-stage: |            |  rest-    |
// |             |  GetWebACL once (afresh), GetRestApi once per API (A), GetStage per  |            |  stage    |
// |             |  stage (S), + 4 per stage whose deployment prev has not seen         |            |  each     |
// | log-group   | prev's stages logging to the group (none: 0 calls); CloudWatch Logs  | 1 + A + S  |     0     |
// |             |  DescribeLogGroups (name prefix, exact match), then each stage as    |            |           |
// |             |  rest-stage / v2-stage; a deleted group marks their access logs      |            |           |
// |             |  `destinationMissing`                                                |            |           |
//
// Errors: NotFound on the resource the target names → `gone`; denied or failed → `problems`
// (the resource is reported as "could not evaluate"); refused credentials → CredentialsError,
// thrown, so the event is retried rather than every resource reported unreadable; throttled,
// 5xx or network failures (after the SDK's own retries) are thrown too, so the event is retried.
// That includes GetDeployment: a deployment that cannot be read for good (denied, gone) is
// judged on the working copy, as a scan does, but a transient failure is retried.
// `pending` (a REST working copy that differs from what a stage serves) is only known when the
// working copy was read: always for rest-stages, for rest-stage when the deployment changed.
import { GetAccountCommand } from '@aws-sdk/client-api-gateway';
import {
  GetApiCommand,
  GetAuthorizerCommand,
  GetDomainNameCommand,
  GetRouteCommand,
  GetStageCommand as GetV2StageCommand,
} from '@aws-sdk/client-apigatewayv2';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ListResourcesForWebACLCommand } from '@aws-sdk/client-wafv2';
import { type LoggingPathPart, partsOf, type Target } from '../../events/targets';
import {
  accountArn,
  apiGatewayArn,
  domainNameArn,
  logGroupKey,
  restApiArn,
  restStageArn,
  v2ApiArn,
  v2RouteArn,
  v2StageArn,
} from '../../model/identity';
import type {
  AccessLogSettings,
  AccountSnapshot,
  RestApiSnapshot,
  RestMethod,
  RestStageSnapshot,
  Snapshot,
  V2ApiSnapshot,
} from '../../rules/core/resources';
import {
  classifyError,
  failedOperation,
  isCredentialsError,
  isNetworkError,
  type RegionClients,
} from '../clients';
import { CredentialsError } from './attempt';
import { readLoggingPath } from './collect-logging';
import { readDomainEntry, readDomainNames } from './domains';
import { mergeResults, regionalTargets, withKnownLoggingPath } from './logging-path';
import { type Normalised, normalisePieces } from './normalise';
import { stripMetadata } from './pages';
import type { Read } from './plan';
import type { PreviousState, ReadResult, TargetReader } from './reader';
import { readRestApiSettings, readRestDeployments, readRestStages, readRestWorkingCopy } from './rest';
import type { CollectionError, DomainEntry, WebAcl } from './schema';
import { listV2Apis, readV2Authorizers, readV2Integrations, readV2Routes, readV2Stages } from './v2';
import { readWebAcl } from './waf';

/** Reads targets from AWS: one account, any region (paced clients per region from `regionAccess`). */
export class LiveReader implements TargetReader {
  constructor(
    private readonly regionAccess: (region: string) => RegionClients,
    private readonly accountId: string,
  ) {}

  async read(target: Target, previous: PreviousState): Promise<ReadResult> {
    const regional = regionalTargets(target, previous);
    const results: ReadResult[] = [];
    for (const one of regional) {
      const read = new ReadSession(this.regionAccess(one.region), this.accountId, one.region, previous);
      await read.read(one);
      results.push(read.result());
    }
    return mergeResults(results);
  }
}

type SnapshotKind = Snapshot['kind'];
type SnapshotOfKind<K extends SnapshotKind> = Extract<Snapshot, { kind: K }>;

/** Domain lookups read mappings a few domains at a time; the clients pace them anyway. */
const DOMAIN_CONCURRENCY = 4;

/** A log group's name from its ARN (with or without the trailing `:*`). */
const logGroupName = (arn: string) => /:log-group:(.+)$/.exec(logGroupKey(arn))?.[1];

/**
 * One target's read session (not to be confused with TargetReader, what reads targets): the
 * results so far and what was already fetched (each API and web ACL once).
 */
class ReadSession {
  private readonly clients: RegionClients;
  private readonly snapshots = new Map<string, Snapshot>();
  private readonly pending = new Map<string, RestStageSnapshot>();
  private readonly compared = new Set<string>();
  private readonly gone = new Set<string>();
  private readonly problems: CollectionError[] = [];
  private readonly restApis = new Map<string, ReturnType<typeof readRestApiSettings>>();
  private readonly v2Apis = new Map<string, Promise<unknown>>();
  private readonly webAcls = new Map<string, Promise<WebAcl | undefined>>();
  /** Web ACLs the event may have changed: read afresh, never taken from the previous state. */
  private readonly freshWebAcls = new Set<string>();
  private readonly logGroupChecks = new Map<string, Promise<boolean | undefined>>();
  private readonly missingLogGroups = new Set<string>();

  constructor(
    access: RegionClients,
    private readonly accountId: string,
    private readonly region: string,
    private readonly previous: PreviousState,
  ) {
    this.clients = access;
  }

  async read(target: Target): Promise<void> {
    switch (target.kind) {
      case 'rest-stage':
        return this.restStage(target.apiId, target.stageName, true);
      case 'rest-stages':
        return this.restStages(target.apiId);
      case 'rest-api':
        return this.restApi(target.apiId);
      case 'v2-api':
        return this.v2Api(target.apiId);
      case 'v2-stage':
        return this.v2Stage(target.apiId, target.stageName);
      case 'v2-route':
        return this.v2Route(target.apiId, target.routeId);
      case 'v2-routes':
        return this.v2Routes(target.apiId);
      case 'domain-name':
        return this.domainName(target.domainName);
      case 'account':
        return this.account(partsOf(target.reads));
      case 'trail':
      case 'iam-role':
        // Split into account targets, one per region, by LiveReader.read.
        return;
      case 'web-acl':
        return this.webAclStages(target.webAclArn);
      case 'log-group':
        return this.logGroupStages(target.logGroupArn);
    }
  }

  result(): ReadResult {
    return {
      snapshots: [...this.snapshots.values()].map((snapshot) => this.markMissingDestination(snapshot)),
      pending: [...this.pending.values()].map((stage) => this.markMissingDestination(stage)),
      workingCopyCompared: [...this.compared],
      gone: [...this.gone],
      problems: this.problems,
    };
  }

  // ─── REST ─────────────────────────────────────────────────────────────────────────────

  /** One stage; the API's snapshot too when the previous state knows its custom domains. */
  private async restStage(apiId: string, stageName: string, withApi: boolean): Promise<void> {
    const arn = restStageArn(this.region, apiId, stageName);
    await this.attempt('GetStage', arn, [arn], async () => {
      // The API's own settings change only through events that re-read the API itself
      // (UpdateRestApi, TagResource, …): a stage event reuses what the previous state knows.
      const apiKnown = this.previousOf(restApiArn(this.region, apiId), 'rest-api');
      const api = apiKnown ? rawRestApi(apiKnown) : await this.restApiSettings(apiId);
      const [stage] = await readRestStages(this.clients, apiId, stageName);
      if (!stage) throw new Error(`GetStage returned no stage for ${arn}`);
      const before = this.previousOf(arn, 'rest-stage');
      const reuseMethods = before !== undefined && before.deploymentId === (stage.deploymentId ?? null);
      const served = reuseMethods
        ? { resources: [], authorizers: [], requestValidators: [], deployments: {} }
        : {
            ...(await readRestWorkingCopy(this.clients, apiId, { withAuthorizers: false })),
            deployments: await readRestDeployments(
              this.clients,
              apiId,
              [stage.deploymentId],
              isTransientError,
            ),
          };
      const webAcl = await this.webAclOf(stage.webAclArn, before);
      await this.recheckDestination(before, stage.accessLogSettings?.destinationArn);
      const normalised = this.normalise(`REST API stage ${arn}`, {
        restApis: [{ api, stages: [stage], ...served }],
        webAcls: webAcl.read ? { [webAcl.read.ARN]: webAcl.read } : {},
      });
      for (const snapshot of normalised.estate.restStages) {
        this.add({
          ...snapshot,
          methods: before && reuseMethods ? before.methods : withKnownAuthorizers(snapshot.methods, before),
          ...(webAcl.reused ? { webAcl: webAcl.reused } : {}),
        });
      }
      if (!reuseMethods) {
        for (const stage of normalised.estate.restStages) this.compared.add(stage.arn);
        for (const stage of normalised.pendingRestStages) this.addPending(stage);
      }
      const [apiSnapshot] = normalised.estate.restApis;
      if (withApi && apiKnown && apiSnapshot) this.add(knownDomains(apiSnapshot, apiKnown));
    });
  }

  /** The API and every stage, with the working copy read once for pending drift. */
  private async restStages(apiId: string): Promise<void> {
    const apiArn = restApiArn(this.region, apiId);
    await this.attempt('GetStages', apiArn, [apiArn], async () => {
      const api = await this.restApiSettings(apiId);
      const stages = await readRestStages(this.clients, apiId);
      const workingCopy = await readRestWorkingCopy(this.clients, apiId);

      // A deployment never changes: the API summary of one the previous state saw a stage
      // serve is rebuilt from that stage's served methods instead of being read again.
      const known: Record<string, unknown> = {};
      const befores = new Map(
        stages.map((stage) => {
          const arn = restStageArn(this.region, apiId, stage.stageName as string);
          return [arn, this.previousOf(arn, 'rest-stage')] as const;
        }),
      );
      for (const before of befores.values()) {
        if (before?.deploymentId && before.methods.source === 'deployment') {
          known[before.deploymentId] = {
            id: before.deploymentId,
            apiSummary: apiSummaryOf(before.methods.served),
          };
        }
      }
      const deployments = {
        ...known,
        ...(await readRestDeployments(
          this.clients,
          apiId,
          stages.map((stage) => stage.deploymentId).filter((id) => id && !(id in known)),
          isTransientError,
        )),
      };

      const webAcls: Record<string, WebAcl> = {};
      const reusedWebAcls = new Map<string, RestStageSnapshot['webAcl']>();
      for (const stage of stages) {
        const arn = restStageArn(this.region, apiId, stage.stageName as string);
        const webAcl = await this.webAclOf(stage.webAclArn, befores.get(arn));
        if (webAcl.read) webAcls[webAcl.read.ARN] = webAcl.read;
        if (webAcl.reused) reusedWebAcls.set(arn, webAcl.reused);
      }

      const apiBefore = this.previousOf(apiArn, 'rest-api');
      const normalised = this.normalise(`REST API ${apiArn}`, {
        restApis: [{ api, stages, ...workingCopy, deployments }],
        webAcls,
        domainNames: await this.domainEntriesUnlessKnown(apiBefore, apiArn),
      });
      for (const snapshot of normalised.estate.restApis) this.add(knownDomains(snapshot, apiBefore));
      for (const snapshot of normalised.estate.restStages) {
        const reused = reusedWebAcls.get(snapshot.arn);
        this.add(reused ? { ...snapshot, webAcl: reused } : snapshot);
        this.compared.add(snapshot.arn);
      }
      for (const stage of normalised.pendingRestStages) {
        const reused = reusedWebAcls.get(stage.arn);
        this.addPending(reused ? { ...stage, webAcl: reused } : stage);
      }
    });
  }

  private async restApi(apiId: string): Promise<void> {
    const apiArn = restApiArn(this.region, apiId);
    await this.attempt('GetRestApi', apiArn, [apiArn], async () => {
      const api = await this.restApiSettings(apiId);
      const before = this.previousOf(apiArn, 'rest-api');
      const normalised = this.normalise(`REST API ${apiArn}`, {
        restApis: [
          { api, stages: [], resources: [], authorizers: [], requestValidators: [], deployments: {} },
        ],
        domainNames: await this.domainEntriesUnlessKnown(before, apiArn),
      });
      for (const snapshot of normalised.estate.restApis) this.add(knownDomains(snapshot, before));
    });
  }

  private restApiSettings(apiId: string): ReturnType<typeof readRestApiSettings> {
    let read = this.restApis.get(apiId);
    if (!read) {
      read = readRestApiSettings(this.clients, apiId);
      this.restApis.set(apiId, read);
    }
    return read;
  }

  // ─── HTTP and WebSocket ───────────────────────────────────────────────────────────────

  private async v2Api(apiId: string): Promise<void> {
    const apiArn = v2ApiArn(this.region, apiId);
    await this.attempt('GetApi', apiArn, [apiArn], async () => {
      const api = await this.v2ApiSettings(apiId);
      const integrations = await readV2Integrations(this.clients, apiId);
      const before = this.previousOf(apiArn, 'v2-api');
      const normalised = this.normalise(`API ${apiArn}`, {
        v2Apis: [{ api, stages: [], routes: [], integrations, authorizers: [] }],
        domainNames: await this.domainEntriesUnlessKnown(before, apiArn),
      });
      for (const snapshot of normalised.estate.v2Apis) this.add(knownDomains(snapshot, before));
    });
  }

  private async v2Stage(apiId: string, stageName: string): Promise<void> {
    const arn = v2StageArn(this.region, apiId, stageName);
    await this.attempt('GetStage', arn, [arn], async () => {
      const api = await this.v2ApiSettings(apiId);
      const stage = stripMetadata(
        await this.clients.apigatewayv2.send(new GetV2StageCommand({ ApiId: apiId, StageName: stageName })),
      );
      await this.recheckDestination(
        this.previousOf(arn, 'v2-stage'),
        stage.AccessLogSettings?.DestinationArn,
      );
      const normalised = this.normalise(`stage ${arn}`, {
        v2Apis: [{ api, stages: [stage], routes: [], integrations: [], authorizers: [] }],
      });
      for (const snapshot of normalised.estate.v2Stages) this.add(snapshot);
    });
  }

  private async v2Route(apiId: string, routeId: string): Promise<void> {
    const arn = v2RouteArn(this.region, apiId, routeId);
    await this.attempt('GetRoute', arn, [arn], async () => {
      const api = await this.v2ApiSettings(apiId);
      const route = stripMetadata(
        await this.clients.apigatewayv2.send(new GetRouteCommand({ ApiId: apiId, RouteId: routeId })),
      );
      const AuthorizerId = route.AuthorizerId;
      // An authorizer deleted meanwhile leaves the route without one, as normalise shows an unknown id.
      const authorizer = AuthorizerId
        ? await this.attempt('GetAuthorizer', arn, [], async () =>
            stripMetadata(
              await this.clients.apigatewayv2.send(new GetAuthorizerCommand({ ApiId: apiId, AuthorizerId })),
            ),
          )
        : undefined;
      const normalised = this.normalise(`route ${arn}`, {
        v2Apis: [
          { api, stages: [], routes: [route], integrations: [], authorizers: authorizer ? [authorizer] : [] },
        ],
      });
      for (const snapshot of normalised.estate.v2Routes) this.add(snapshot);
    });
  }

  private async v2Routes(apiId: string): Promise<void> {
    const apiArn = v2ApiArn(this.region, apiId);
    await this.attempt('GetRoutes', apiArn, [apiArn], async () => {
      const api = await this.v2ApiSettings(apiId);
      const routes = await readV2Routes(this.clients, apiId);
      // Read on its own: without the authorizers, the routes are still judged by the rules that do not need them.
      const authorizers =
        (await this.attempt(
          'GetAuthorizers',
          apiArn,
          null,
          () => readV2Authorizers(this.clients, apiId),
          'v2-authorizers',
        )) ?? [];
      const normalised = this.normalise(`API ${apiArn}`, {
        v2Apis: [{ api, stages: [], routes, integrations: [], authorizers }],
      });
      for (const snapshot of normalised.estate.v2Routes) this.add(snapshot);
    });
  }

  private v2ApiSettings(apiId: string): Promise<unknown> {
    let read = this.v2Apis.get(apiId);
    if (!read) {
      read = this.clients.apigatewayv2.send(new GetApiCommand({ ApiId: apiId })).then(stripMetadata);
      this.v2Apis.set(apiId, read);
    }
    return read;
  }

  // ─── Custom domains and the account ───────────────────────────────────────────────────

  private async domainName(domainName: string): Promise<void> {
    const arn = domainNameArn(this.region, domainName);
    await this.attempt('GetDomainName', arn, [arn], async () => {
      const domain = stripMetadata(
        await this.clients.apigatewayv2.send(new GetDomainNameCommand({ DomainName: domainName })),
      );
      const entry = await readDomainEntry(this.clients, domain);
      const normalised = this.normalise(`domain name ${domainName}`, { domainNames: [entry] });
      for (const snapshot of normalised.estate.domainNames) this.add(snapshot);
    });
  }

  /** The account settings, the logging-path parts asked for read afresh and the others kept from before. */
  private async account(reads: readonly LoggingPathPart[]): Promise<void> {
    const arn = accountArn(this.region);
    await this.attempt('GetAccount', arn, [], async () => {
      const account = stripMetadata(await this.clients.apigateway.send(new GetAccountCommand({})));
      const before = this.previousOf(arn, 'account');
      const where = { region: this.region, accountId: this.accountId };
      const attempt = <T>(operation: string, resource: string, read: () => Promise<T>) =>
        this.attempt(operation, resource, null, read);
      const path = reads.length
        ? await readLoggingPath(this.clients, where, account.cloudwatchRoleArn || null, attempt, reads)
        : {};
      const stages = reads.includes('log-resource-policies') ? await this.httpStagesUnlessKnown(before) : [];
      const normalised = this.normalise('the account settings', {
        account,
        v2Apis: stages ?? [],
        loggingPath: {
          cloudwatchRole: path.cloudwatchRole ?? { state: 'not-read' },
          trails: path.trails ?? null,
          logResourcePolicies: path.logResourcePolicies ?? null,
        },
      });
      for (const snapshot of normalised.estate.accounts) {
        this.add(withKnownLoggingPath(snapshot, reads, before, stages !== undefined));
      }
    });
  }

  /**
   * The HTTP API stages (their access log settings) when the previous state does not know their
   * log groups; undefined when they could not be listed.
   */
  private async httpStagesUnlessKnown(before: AccountSnapshot | undefined): Promise<unknown[] | undefined> {
    if (before?.httpAccessLogGroups !== undefined) return [];
    const apis = await this.attempt('GetApis', apiGatewayArn(this.region, '/apis'), null, () =>
      listV2Apis(this.clients),
    );
    if (!apis) return undefined;
    const entries: unknown[] = [];
    for (const api of apis.filter((candidate) => candidate.ProtocolType === 'HTTP' && candidate.ApiId)) {
      const ApiId = api.ApiId as string;
      const stages = await this.attempt('GetStages', v2ApiArn(this.region, ApiId), [], () =>
        readV2Stages(this.clients, ApiId),
      );
      if (stages) entries.push({ api, stages, routes: [], integrations: [], authorizers: [] });
    }
    return entries;
  }

  /**
   * Custom domain entries for normalise to find an API's domains in, read only when the
   * previous state does not know them (`api-default-endpoint-disabled` needs them).
   */
  private async domainEntriesUnlessKnown(before: unknown, apiArn: string): Promise<DomainEntry[]> {
    if (before) return [];
    return (
      (await this.attempt('GetDomainNames', apiArn, null, () =>
        readDomainNames(this.clients, DOMAIN_CONCURRENCY),
      )) ?? []
    );
  }

  // ─── Web ACLs ─────────────────────────────────────────────────────────────────────────

  /** The stages a web ACL protects: those WAF lists now and those the previous state saw with it. */
  private async webAclStages(webAclArn: string): Promise<void> {
    this.freshWebAcls.add(webAclArn);
    // A web ACL deleted meanwhile lists nothing; the stages last seen with it are still read.
    const listed = await this.attempt('ListResourcesForWebACL', webAclArn, [], async () =>
      this.clients.wafv2.send(
        new ListResourcesForWebACLCommand({ WebACLArn: webAclArn, ResourceType: 'API_GATEWAY' }),
      ),
    );
    const stages = new Map<string, { apiId: string; stageName: string }>();
    for (const stage of this.previous.stagesWithWebAcl(webAclArn)) stages.set(stage.arn, stage);
    for (const arn of listed?.ResourceArns ?? []) {
      const match = /\/restapis\/([^/]+)\/stages\/([^/]+)$/.exec(arn);
      if (match) stages.set(arn, { apiId: match[1] as string, stageName: match[2] as string });
    }
    for (const { apiId, stageName } of stages.values()) await this.restStage(apiId, stageName, false);
  }

  /** A web ACL's contents: the previous stage's when the ARN is unchanged, else read once. */
  private async webAclOf(
    webAclArn: string | undefined,
    before: RestStageSnapshot | undefined,
  ): Promise<{ read?: WebAcl; reused?: RestStageSnapshot['webAcl'] }> {
    if (!webAclArn) return {};
    if (!this.freshWebAcls.has(webAclArn) && before?.webAclArn === webAclArn && before.webAcl) {
      return { reused: before.webAcl };
    }
    let read = this.webAcls.get(webAclArn);
    if (!read) {
      read = this.attempt('GetWebACL', webAclArn, null, () => readWebAcl(this.clients, webAclArn));
      this.webAcls.set(webAclArn, read);
    }
    const webAcl = await read;
    return webAcl ? { read: webAcl } : {};
  }

  // ─── Log groups ───────────────────────────────────────────────────────────────────────

  /** The stages last seen logging to a log group, read afresh; a deleted group marks their access logs. */
  private async logGroupStages(logGroupArn: string): Promise<void> {
    const stages = this.previous.stagesLoggingTo(logGroupArn);
    if (stages.length === 0) return;
    await this.logGroupExists(logGroupArn);
    for (const stage of stages) {
      if (stage.kind === 'rest-stage') await this.restStage(stage.apiId, stage.stageName, false);
      else if (stage.kind === 'v2-stage') await this.v2Stage(stage.apiId, stage.stageName);
    }
  }

  /** A destination the previous state saw deleted is checked again while the stage still points at it. */
  private async recheckDestination(
    before: { readonly accessLog: AccessLogSettings | null } | undefined,
    destinationArn: string | undefined,
  ): Promise<void> {
    const seen = before?.accessLog;
    if (
      seen?.destinationMissing &&
      destinationArn &&
      logGroupKey(seen.destinationArn) === logGroupKey(destinationArn)
    ) {
      await this.logGroupExists(destinationArn);
    }
  }

  /** DescribeLogGroups by name prefix, matching the exact name; undefined when it could not be told. */
  private logGroupExists(logGroupArn: string): Promise<boolean | undefined> {
    const key = logGroupKey(logGroupArn);
    let check = this.logGroupChecks.get(key);
    if (!check) {
      check = this.attempt('DescribeLogGroups', key, null, async () => {
        const name = logGroupName(key);
        if (!name) return undefined;
        let nextToken: string | undefined;
        do {
          const page = await this.clients.logs.send(
            new DescribeLogGroupsCommand({ logGroupNamePrefix: name, nextToken }),
          );
          if (page.logGroups?.some((group) => group.logGroupName === name)) return true;
          nextToken = page.nextToken;
        } while (nextToken);
        this.missingLogGroups.add(key);
        return false;
      });
      this.logGroupChecks.set(key, check);
    }
    return check;
  }

  private markMissingDestination<S extends Snapshot>(snapshot: S): S {
    if (snapshot.kind !== 'rest-stage' && snapshot.kind !== 'v2-stage') return snapshot;
    const { accessLog } = snapshot;
    if (!accessLog?.destinationArn || !this.missingLogGroups.has(logGroupKey(accessLog.destinationArn))) {
      return snapshot;
    }
    return { ...snapshot, accessLog: { ...accessLog, destinationMissing: true } };
  }

  // ─── Helpers ──────────────────────────────────────────────────────────────────────────

  /** Validates the responses as an inventory of this region would be, and normalises them. */
  private normalise(what: string, pieces: Record<string, unknown>): Normalised {
    return normalisePieces(
      { accountId: this.accountId, region: this.region },
      pieces,
      `The responses for ${what}`,
    );
  }

  private previousOf<K extends SnapshotKind>(arn: string, kind: K): SnapshotOfKind<K> | undefined {
    const snapshot = this.previous.snapshot(arn);
    return snapshot?.kind === kind ? (snapshot as SnapshotOfKind<K>) : undefined;
  }

  private add(snapshot: Snapshot): void {
    this.snapshots.set(snapshot.arn, snapshot);
  }

  private addPending(stage: RestStageSnapshot): void {
    this.pending.set(stage.arn, stage);
  }

  /**
   * Runs one read. A NotFound error marks `goneArns` gone (null: it is a problem like any
   * other); other errors become problems about `resource`; refused credentials stop the read.
   */
  private async attempt<T>(
    operation: string,
    resource: string,
    goneArns: readonly string[] | null,
    read: () => Promise<T>,
    /** The part of a resource this reads, when the resource is judged without it (aws/read/plan.ts). */
    part?: Read,
  ): Promise<T | undefined> {
    try {
      return await read();
    } catch (error) {
      if (isCredentialsError(error)) throw new CredentialsError((error as Error).message, { cause: error });
      // Still throttled or failing on AWS's side after the SDK's retries: throw, so the event
      // is retried later (then dead-lettered) instead of being recorded as handled.
      if (isTransientError(error)) throw error;
      const classified = classifyError(error);
      // A part found gone means its resource is: the read of the resource says so.
      if (classified.kind === 'gone' && part) throw error;
      if (classified.kind === 'gone' && goneArns) {
        for (const arn of goneArns) this.gone.add(arn);
        return undefined;
      }
      this.problems.push({
        operation: failedOperation(error) ?? operation,
        resource,
        ...classified,
        ...(part ? { read: part } : {}),
      });
      return undefined;
    }
  }
}

/** Throttling, a 5xx or a network failure: worth retrying the whole event later. */
export function isTransientError(error: unknown): boolean {
  const { name, $fault, $metadata } = (error ?? {}) as {
    name?: string;
    $fault?: string;
    $metadata?: { httpStatusCode?: number };
  };
  const status = $metadata?.httpStatusCode ?? 0;
  return (
    $fault === 'server' ||
    isNetworkError(error) ||
    status === 429 ||
    status >= 500 ||
    /Throttl|TooManyRequests|RequestLimitExceeded|^LimitExceededException$|TimeoutError|NetworkingError/.test(
      name ?? '',
    )
  );
}

/** The custom domains and invocation counts a live read does not fetch, from the previous state. */
function knownDomains<S extends RestApiSnapshot | V2ApiSnapshot>(snapshot: S, before: S | undefined): S {
  return before
    ? { ...snapshot, customDomainNames: before.customDomainNames, invocations: before.invocations }
    : snapshot;
}

/** The `apisummary` of a deployment, rebuilt from the methods a stage was seen serving from it. */
function apiSummaryOf(methods: readonly RestMethod[]) {
  const summary: Record<string, Record<string, { authorizationType: string; apiKeyRequired: boolean }>> = {};
  for (const method of methods) {
    const byMethod = summary[method.resourcePath] ?? {};
    summary[method.resourcePath] = byMethod;
    byMethod[method.httpMethod] = {
      authorizationType: method.authorizationType,
      apiKeyRequired: method.apiKeyRequired,
    };
  }
  return summary;
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

/** The API's settings as GetRestApi returns them, rebuilt from a snapshot the previous state holds. */
function rawRestApi(api: RestApiSnapshot) {
  return {
    id: api.apiId,
    name: api.name,
    tags: { ...api.tags },
    endpointConfiguration: { types: [...api.endpointTypes], vpcEndpointIds: [...api.vpcEndpointIds] },
    disableExecuteApiEndpoint: api.disableExecuteApiEndpoint,
    ...(api.policy ? { policy: JSON.stringify(api.policy) } : {}),
    ...(api.createdDate ? { createdDate: api.createdDate } : {}),
  };
}
