// Reads a drift target afresh from AWS, with as few calls as the target allows: what the event
// cannot have changed is taken from the previous state (the baseline). Each part is read by the
// same functions as a region scan's (rest.ts, v2.ts, domains.ts, waf.ts, account.ts,
// collect-logging.ts, log-groups.ts); the responses are validated with the inventory schemas and
// normalised by normaliseRegion, exactly as a scan would. The targets' reads: live-rest.ts,
// live-v2.ts, live-account.ts (custom domains, account settings), live-waf-logs.ts (web ACLs,
// log groups), over one ReadSession per target and region (live-session.ts).
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
import { partsOf, type Target } from '../../events/targets';
import type { RegionClients } from '../clients';
import { readAccountTarget, readDomainNameTarget } from './live-account';
import { readRestApiTarget, readRestStagesTarget, readRestStageTarget } from './live-rest';
import { ReadSession, type SharedReads } from './live-session';
import { readV2ApiTarget, readV2RoutesTarget, readV2RouteTarget, readV2StageTarget } from './live-v2';
import { logGroupStages, type StageRead, webAclStages } from './live-waf-logs';
import { mergeResults, regionalTargets } from './logging-path';
import type { PreviousState, ReadResult, TargetReader } from './reader';

export type { SharedReads } from './live-session';

/** Reads targets from AWS: one account, any region (paced clients per region from `regionAccess`). */
export class LiveReader implements TargetReader {
  constructor(
    private readonly regionAccess: (region: string) => RegionClients,
    private readonly accountId: string,
    /** Reads shared with other LiveReaders (the Config evaluator's cache); none by default. */
    private readonly shared?: SharedReads,
  ) {}

  async read(target: Target, previous: PreviousState): Promise<ReadResult> {
    const regional = regionalTargets(target, previous);
    const results: ReadResult[] = [];
    for (const one of regional) {
      const clients = this.regionAccess(one.region);
      const session = new ReadSession(clients, this.accountId, one.region, previous, this.shared);
      await readTarget(session, one);
      results.push(session.result());
    }
    return mergeResults(results);
  }
}

/** Reads one regional target into its session. */
function readTarget(session: ReadSession, target: Target): Promise<void> {
  const restStage: StageRead = ({ apiId, stageName }) =>
    readRestStageTarget(session, apiId, stageName, false);
  const v2Stage: StageRead = ({ apiId, stageName }) => readV2StageTarget(session, apiId, stageName);
  switch (target.kind) {
    case 'rest-stage':
      return readRestStageTarget(session, target.apiId, target.stageName, true);
    case 'rest-stages':
      return readRestStagesTarget(session, target.apiId);
    case 'rest-api':
      return readRestApiTarget(session, target.apiId);
    case 'v2-api':
      return readV2ApiTarget(session, target.apiId);
    case 'v2-stage':
      return v2Stage(target);
    case 'v2-route':
      return readV2RouteTarget(session, target.apiId, target.routeId);
    case 'v2-routes':
      return readV2RoutesTarget(session, target.apiId);
    case 'domain-name':
      return readDomainNameTarget(session, target.domainName);
    case 'account':
      return readAccountTarget(session, partsOf(target.reads));
    case 'trail':
    case 'iam-role':
      // Split into account targets, one per region, by LiveReader.read.
      return Promise.resolve();
    case 'web-acl':
      return webAclStages(session, target.webAclArn, restStage);
    case 'log-group':
      return logGroupStages(session, target.logGroupArn, { rest: restStage, v2: v2Stage });
  }
}
