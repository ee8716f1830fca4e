// The logging path in the drift path's reads (live.ts, live-account.ts): which regions a trail
// or IAM role event concerns, and how an account read that asked for some logging-path parts
// keeps the others from the previous state. Pure.

import type { LoggingPathPart, Target } from '../../events/targets';
import { parseRoleArn } from '../../model/identity';
import type { AccountSnapshot } from '../../rules/core/resources';
import type { PreviousState, ReadResult } from './reader';

/**
 * A trail or IAM role event concerns the account settings of every region gatewatch knows
 * that it can affect: a multi-region or organization trail logs them all, a role is global.
 */
export function regionalTargets(target: Target, previous: PreviousState): Target[] {
  if (target.kind !== 'trail' && target.kind !== 'iam-role') return [target];
  const known = previous.accounts?.() ?? [];
  if (target.kind === 'trail') {
    // The event's own region may be one gatewatch only hears from (us-east-1, for IAM and CloudTrail).
    const regions = known.length > 0 ? new Set(known.map((account) => account.region)) : [target.region];
    return [...regions].map((region) => ({ kind: 'account', region, reads: 'trails' }));
  }
  return known
    .filter(
      (account) =>
        account.cloudwatchRoleArn && parseRoleArn(account.cloudwatchRoleArn)?.roleName === target.roleName,
    )
    .map((account) => ({ kind: 'account', region: account.region, reads: 'cloudwatch-role' }));
}

export function mergeResults(results: readonly ReadResult[]): ReadResult {
  return {
    snapshots: results.flatMap((result) => result.snapshots),
    pending: results.flatMap((result) => result.pending),
    workingCopyCompared: results.flatMap((result) => result.workingCopyCompared),
    gone: results.flatMap((result) => result.gone),
    problems: results.flatMap((result) => result.problems),
  };
}

/**
 * The logging-path parts the read did not ask for are the previous snapshot's (or left out
 * when it does not know them): the CloudWatch Logs role only while the settings name the same
 * role, the HTTP stages' log groups whenever the previous state knows them (stage events keep
 * the stages' own snapshots current; the sweep refreshes the list).
 */
export function withKnownLoggingPath(
  snapshot: AccountSnapshot,
  reads: readonly LoggingPathPart[],
  before: AccountSnapshot | undefined,
  stagesListed: boolean,
): AccountSnapshot {
  const { cloudwatchRole, trails, logResourcePolicies, httpAccessLogGroups, ...settings } = snapshot;
  const known = <K extends keyof AccountSnapshot>(key: K): Partial<AccountSnapshot> =>
    before?.[key] === undefined ? {} : { [key]: before[key] };
  const sameRole = before?.cloudwatchRoleArn === settings.cloudwatchRoleArn;
  return {
    ...settings,
    ...(reads.includes('cloudwatch-role') ? { cloudwatchRole } : sameRole ? known('cloudwatchRole') : {}),
    ...(reads.includes('trails') ? { trails } : known('trails')),
    ...(reads.includes('log-resource-policies') ? { logResourcePolicies } : known('logResourcePolicies')),
    ...(before?.httpAccessLogGroups !== undefined
      ? known('httpAccessLogGroups')
      : reads.includes('log-resource-policies') && stagesListed
        ? { httpAccessLogGroups }
        : {}),
  };
}
