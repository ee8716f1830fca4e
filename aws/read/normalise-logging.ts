// The logging path of one region, raw → the account snapshot's declared fields: the trails that
// log the region, the CloudWatch Logs resource policies, the CloudWatch Logs role as IAM has it
// and the log groups HTTP API stages send access logs to. Pure, like normalise.ts.

import { logGroupKey, v2StageArn } from '../../model/identity';
import type {
  AccountSnapshot,
  AdvancedFieldSelector,
  CloudwatchRoleCheck,
  HttpAccessLogGroup,
  TrailSelectors,
  TrailSnapshot,
} from '../../rules/core/resources';
import { parsePolicy } from './policy-text';
import type { LoggingPath, RegionInventory, TrailEntry } from './schema';

type LoggingFields = Pick<
  AccountSnapshot,
  'cloudwatchRole' | 'trails' | 'logResourcePolicies' | 'httpAccessLogGroups'
>;

/** The account snapshot's logging-path fields, or none when the inventory did not read them. */
export function loggingPathFields(
  inventory: RegionInventory,
  cloudwatchRoleArn: string | null,
): LoggingFields {
  const path = inventory.loggingPath;
  if (!path) return {};
  return {
    cloudwatchRole: roleCheck(path.cloudwatchRole, cloudwatchRoleArn),
    trails: path.trails === null ? null : path.trails.map((entry) => trailSnapshot(entry, inventory.region)),
    logResourcePolicies:
      path.logResourcePolicies === null
        ? null
        : path.logResourcePolicies.map((policy) => ({
            name: policy.policyName,
            document: parsePolicy(policy.policyDocument),
          })),
    httpAccessLogGroups: httpAccessLogGroups(inventory),
  };
}

function roleCheck(read: LoggingPath['cloudwatchRole'], named: string | null): CloudwatchRoleCheck {
  if (!named) return { state: 'none-named' };
  if (read.state === 'missing') return { state: 'missing' };
  if (read.state === 'not-read') return { state: 'unreadable' };
  return {
    state: 'found',
    arn: read.role.Arn,
    trustPolicy: trustPolicyOf(read.role.AssumeRolePolicyDocument),
  };
}

/** IAM returns policy documents URL-encoded (RFC 3986); a document already decoded is read as is. */
export function trustPolicyOf(document: string | undefined) {
  if (!document) return null;
  let decoded = document;
  try {
    decoded = decodeURIComponent(document);
  } catch {
    // not URL-encoded after all: read as it came
  }
  return parsePolicy(decoded);
}

function trailSnapshot(entry: TrailEntry, region: string): TrailSnapshot {
  const { trail, status, selectors } = entry;
  return {
    name: trail.Name,
    arn: trail.TrailARN,
    homeRegion: trail.HomeRegion ?? region,
    multiRegion: trail.IsMultiRegionTrail ?? false,
    organization: trail.IsOrganizationTrail ?? false,
    logging: status?.IsLogging ?? null,
    selectors: selectors === null ? null : trailSelectors(selectors),
  };
}

function trailSelectors(read: NonNullable<TrailEntry['selectors']>): TrailSelectors {
  if (read.AdvancedEventSelectors && read.AdvancedEventSelectors.length > 0) {
    return {
      kind: 'advanced',
      selectors: read.AdvancedEventSelectors.map((selector) => ({
        name: selector.Name ?? null,
        fieldSelectors: selector.FieldSelectors.map(
          (field): AdvancedFieldSelector =>
            Object.fromEntries(
              Object.entries({
                field: field.Field,
                equals: field.Equals,
                startsWith: field.StartsWith,
                endsWith: field.EndsWith,
                notEquals: field.NotEquals,
                notStartsWith: field.NotStartsWith,
                notEndsWith: field.NotEndsWith,
              }).filter(([, value]) => value !== undefined),
            ) as unknown as AdvancedFieldSelector,
        ),
      })),
    };
  }
  return {
    kind: 'basic',
    selectors: (read.EventSelectors ?? []).map((selector) => ({
      // CloudTrail's defaults: All, management events included.
      readWriteType: selector.ReadWriteType ?? 'All',
      includeManagementEvents: selector.IncludeManagementEvents ?? true,
      excludeManagementEventSources: selector.ExcludeManagementEventSources ?? [],
    })),
  };
}

/** HTTP API stages that write access logs, by log group (WebSocket stages log through the CloudWatch Logs role). */
function httpAccessLogGroups(inventory: RegionInventory): HttpAccessLogGroup[] {
  const byGroup = new Map<string, string[]>();
  for (const { api, stages } of inventory.v2Apis) {
    if (api.ProtocolType !== 'HTTP') continue;
    for (const stage of stages) {
      const destination = stage.AccessLogSettings?.DestinationArn;
      if (!destination) continue;
      const group = logGroupKey(destination);
      byGroup.set(group, [
        ...(byGroup.get(group) ?? []),
        v2StageArn(inventory.region, api.ApiId, stage.StageName),
      ]);
    }
  }
  return [...byGroup].map(([logGroupArn, stages]) => ({ logGroupArn, stages }));
}
