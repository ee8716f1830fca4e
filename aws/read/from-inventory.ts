// Reads targets from a saved inventory instead of AWS, so `gatewatch replay --inventory FILE`
// judges recorded events against a saved account. The inventory is normalised once, by the
// same normaliser a scan uses; a target's snapshots are looked up, never re-derived.
//
// What each target covers here matches what LiveReader returns, with the API's snapshot
// always beside a REST stage (a saved inventory knows the API's custom domains). Resources the
// target names that the inventory lacks are `gone`. A saved inventory cannot tell whether a log
// group still exists, so a log-group target returns its stages as saved, unmarked.

import type { Target } from '../../events/targets';
import {
  accountArn,
  domainNameArn,
  logGroupKey,
  restApiArn,
  restStageArn,
  v2ApiArn,
  v2RouteArn,
  v2StageArn,
} from '../../model/identity';
import type { RestStageSnapshot, Snapshot } from '../../rules/core/resources';
import { type Normalised, normalise } from './normalise';
import type { PreviousState, ReadResult, TargetReader } from './reader';
import type { Inventory } from './schema';

/** Log group ARNs appear with and without the trailing `:*`. */

export class InventoryReader implements TargetReader {
  private readonly normalised: Normalised;
  private readonly byArn = new Map<string, Snapshot>();
  private readonly pendingByArn: Map<string, RestStageSnapshot>;

  constructor(inventory: Inventory) {
    this.normalised = normalise(inventory);
    const { estate } = this.normalised;
    for (const snapshot of [
      ...estate.restApis,
      ...estate.restStages,
      ...estate.v2Apis,
      ...estate.v2Stages,
      ...estate.v2Routes,
      ...estate.domainNames,
      ...estate.accounts,
    ]) {
      this.byArn.set(snapshot.arn, snapshot);
    }
    this.pendingByArn = new Map(this.normalised.pendingRestStages.map((stage) => [stage.arn, stage]));
  }

  async read(target: Target, previous: PreviousState): Promise<ReadResult> {
    const { region } = target;
    const { estate } = this.normalised;
    switch (target.kind) {
      case 'rest-api':
        return this.lookUp([restApiArn(region, target.apiId)]);
      case 'rest-stage':
        return this.lookUp(
          [restStageArn(region, target.apiId, target.stageName)],
          [restApiArn(region, target.apiId)],
        );
      case 'rest-stages': {
        const api = restApiArn(region, target.apiId);
        if (!this.byArn.has(api)) return this.lookUp([api]);
        const stages = estate.restStages.filter((s) => s.region === region && s.apiId === target.apiId);
        return this.lookUp([api, ...stages.map((s) => s.arn)]);
      }
      case 'v2-api':
        return this.lookUp([v2ApiArn(region, target.apiId)]);
      case 'v2-stage':
        return this.lookUp([v2StageArn(region, target.apiId, target.stageName)]);
      case 'v2-route':
        return this.lookUp([v2RouteArn(region, target.apiId, target.routeId)]);
      case 'v2-routes': {
        const api = v2ApiArn(region, target.apiId);
        if (!this.byArn.has(api)) return this.lookUp([api]);
        const routes = estate.v2Routes.filter((r) => r.region === region && r.apiId === target.apiId);
        return this.lookUp(routes.map((r) => r.arn));
      }
      case 'domain-name': {
        const domain = estate.domainNames.find(
          (d) => d.region === region && d.domainName === target.domainName,
        );
        return domain ? this.lookUp([domain.arn]) : this.lookUp([domainNameArn(region, target.domainName)]);
      }
      case 'account':
        return this.lookUp([accountArn(region)]);
      // A saved inventory holds one account settings snapshot per region, logging path included.
      case 'trail':
        return this.lookUp(estate.accounts.map((account) => account.arn));
      case 'iam-role':
        return this.lookUp(
          estate.accounts
            .filter((account) => account.cloudwatchRoleArn?.endsWith(`/${target.roleName}`))
            .map((account) => account.arn),
        );
      case 'web-acl': {
        const saved = estate.restStages.filter(
          (s) => s.region === region && s.webAclArn === target.webAclArn,
        );
        const before = previous.stagesWithWebAcl(target.webAclArn);
        return this.lookUp([...saved, ...before].map((s) => s.arn));
      }
      case 'log-group': {
        const key = logGroupKey(target.logGroupArn);
        const saved = [...estate.restStages, ...estate.v2Stages].filter(
          (s) =>
            s.region === region && s.accessLog !== null && logGroupKey(s.accessLog.destinationArn) === key,
        );
        const before = previous.stagesLoggingTo(target.logGroupArn);
        return this.lookUp([...saved, ...before].map((s) => s.arn));
      }
    }
  }

  /**
   * The saved snapshots of the named ARNs (each once) and their pending stages; named ARNs not
   * saved are gone. `alongside`: snapshots returned when the named ones exist, never gone.
   */
  private lookUp(named: readonly string[], alongside: readonly string[] = []): ReadResult {
    const unique = [...new Set(named)];
    const gone = unique.filter((arn) => !this.byArn.has(arn));
    const arns = gone.length === 0 ? [...new Set([...unique, ...alongside])] : unique;
    return {
      snapshots: arns.flatMap((arn) => this.byArn.get(arn) ?? []),
      pending: arns.flatMap((arn) => this.pendingByArn.get(arn) ?? []),
      // A saved inventory holds each API's working copy: every REST stage was compared.
      workingCopyCompared: arns.filter((arn) => this.byArn.get(arn)?.kind === 'rest-stage'),
      gone,
      problems: [],
    };
  }
}
