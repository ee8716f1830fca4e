// Whether a CloudWatch Logs log group exists: what a stage's access logs are written to.
import { paginateDescribeLogGroups } from '@aws-sdk/client-cloudwatch-logs';
import { logGroupKey } from '../../model/identity';
import type { RegionClients } from '../clients';

/** A log group's name from its ARN (with or without the trailing `:*`). */
export const logGroupName = (arn: string) => /:log-group:(.+)$/.exec(logGroupKey(arn))?.[1];

/**
 * DescribeLogGroups by name prefix, every page until the exact name is found; undefined when the
 * ARN names no log group.
 */
export async function logGroupExists(
  clients: RegionClients,
  logGroupArn: string,
): Promise<boolean | undefined> {
  const name = logGroupName(logGroupArn);
  if (!name) return undefined;
  const pages = paginateDescribeLogGroups({ client: clients.logs }, { logGroupNamePrefix: name });
  for await (const page of pages) {
    if (page.logGroups?.some((group) => group.logGroupName === name)) return true;
  }
  return false;
}
