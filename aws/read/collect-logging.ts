// Reading the logging path of one account and region: a few calls per region, none per API.
//   DescribeTrails (shadow trails included)         1
//   GetTrailStatus + GetEventSelectors per trail     2 × T (T: the trails that log the region)
//   DescribeResourcePolicies (CloudWatch Logs)       1 (one page holds the 10 a region may have)
//   GetRole for the CloudWatch Logs role named       1, or 0 when the account settings name none
// A shadow trail (a multi-region trail of another region, an organization trail of another
// account) is read by its ARN, as CloudTrail requires.
import {
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
} from '@aws-sdk/client-cloudtrail';
import { DescribeResourcePoliciesCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import type { LoggingPathPart } from '../../events/targets';
import { arnIn, parseRoleArn } from '../../model/identity';
import type { AnyRule, CollectedData } from '../../rules/core/rule';
import { classifyError, isCredentialsError, type RegionClients } from '../clients';
import { paginate } from './pages';
import type { LoggingPath } from './schema';

/** The declared data the logging path provides. */
const LOGGING_PATH_DATA: readonly CollectedData[] = [
  'cloudwatch-role',
  'cloudtrail-trails',
  'log-resource-policies',
];

/** Whether any of `rules` needs the logging path read. */
export const needsLoggingPath = (rules: readonly AnyRule[]) =>
  rules.some((rule) => (rule.needs ?? []).some((data) => LOGGING_PATH_DATA.includes(data)));

/** Runs one read, recording a failure as a collection problem (undefined) — the collector's `attempt`. */
export type Attempt = <T>(
  operation: string,
  resource: string,
  read: () => Promise<T>,
) => Promise<T | undefined>;

export const trailsResource = (region: string, accountId: string) =>
  arnIn('cloudtrail', region, accountId, 'trail/*');
export const logPoliciesResource = (region: string, accountId: string) =>
  arnIn('logs', region, accountId, 'resource-policy:*');

/** The parts of the logging path asked for; the others are left out of the result. */
export async function readLoggingPath(
  clients: RegionClients,
  where: { readonly region: string; readonly accountId: string },
  cloudwatchRoleArn: string | null,
  attempt: Attempt,
  parts: readonly LoggingPathPart[] = ['cloudwatch-role', 'trails', 'log-resource-policies'],
): Promise<Partial<LoggingPath>> {
  const path: Partial<LoggingPath> = {};
  if (parts.includes('cloudwatch-role')) {
    path.cloudwatchRole = await readRole(clients, cloudwatchRoleArn, attempt);
  }
  if (parts.includes('trails')) path.trails = await readTrails(clients, where, attempt);
  if (parts.includes('log-resource-policies')) {
    path.logResourcePolicies =
      (await attempt('DescribeResourcePolicies', logPoliciesResource(where.region, where.accountId), () =>
        readLogResourcePolicies(clients),
      )) ?? null;
  }
  return path;
}

async function readTrails(
  clients: RegionClients,
  where: { readonly region: string; readonly accountId: string },
  attempt: Attempt,
): Promise<LoggingPath['trails']> {
  const listed = await attempt('DescribeTrails', trailsResource(where.region, where.accountId), () =>
    clients.cloudtrail.send(new DescribeTrailsCommand({ includeShadowTrails: true })),
  );
  if (!listed) return null;
  const entries: NonNullable<LoggingPath['trails']> = [];
  for (const trail of listed.trailList ?? []) {
    const arn = trail.TrailARN;
    if (!arn || !trail.Name) continue;
    const status = await attempt('GetTrailStatus', arn, () =>
      clients.cloudtrail.send(new GetTrailStatusCommand({ Name: arn })),
    );
    const selectors = await attempt('GetEventSelectors', arn, () =>
      clients.cloudtrail.send(new GetEventSelectorsCommand({ TrailName: arn })),
    );
    entries.push({
      trail: { ...trail, Name: trail.Name, TrailARN: arn },
      status: status ? { IsLogging: status.IsLogging } : null,
      selectors: selectors
        ? {
            ...(selectors.TrailARN ? { TrailARN: selectors.TrailARN } : {}),
            ...(selectors.EventSelectors ? { EventSelectors: selectors.EventSelectors } : {}),
            ...(selectors.AdvancedEventSelectors
              ? { AdvancedEventSelectors: selectors.AdvancedEventSelectors }
              : {}),
          }
        : null,
    } as NonNullable<LoggingPath['trails']>[number]);
  }
  return entries;
}

async function readLogResourcePolicies(clients: RegionClients) {
  const policies: NonNullable<LoggingPath['logResourcePolicies']> = [];
  const pages = paginate(
    (input) => clients.logs.send(new DescribeResourcePoliciesCommand(input)),
    { limit: 50 },
    'nextToken',
  );
  for await (const page of pages) {
    for (const policy of page.resourcePolicies ?? []) {
      if (policy.policyName)
        policies.push({ policyName: policy.policyName, policyDocument: policy.policyDocument });
    }
  }
  return policies;
}

async function readRole(
  clients: RegionClients,
  roleArn: string | null,
  attempt: Attempt,
): Promise<LoggingPath['cloudwatchRole']> {
  const RoleName = roleArn ? parseRoleArn(roleArn)?.roleName : undefined;
  if (!roleArn || !RoleName) return { state: 'not-read' };
  let missing = false;
  const output = await attempt('GetRole', roleArn, async () => {
    try {
      return await clients.iam.send(new GetRoleCommand({ RoleName }));
    } catch (error) {
      // NoSuchEntity is the answer, not a failure: the role is gone.
      if (!isCredentialsError(error) && classifyError(error).kind === 'gone') {
        missing = true;
        return undefined;
      }
      throw error;
    }
  });
  if (missing) return { state: 'missing' };
  const role = output?.Role;
  if (!role?.RoleName || !role.Arn) return { state: 'not-read' };
  return {
    state: 'found',
    role: { RoleName: role.RoleName, Arn: role.Arn, AssumeRolePolicyDocument: role.AssumeRolePolicyDocument },
  };
}
